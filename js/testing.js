// rolegate/testing: sign test snapshots in one line, for an application's own tests (Node test
// runners, Vitest, Jest with ES modules, Playwright). A kit makes a throw-away Ed25519 key pair, signs
// snapshots with the same Rust compiler and signer as `rolegate/issuer`, and builds gates that trust
// that key only. Nothing here is reachable from the `rolegate` entry: an application's gate trusts the
// keys it is given and no others, so a test key is trusted only where a test passes it in.
import * as issuer from './issuer.js';
import { grantClaims } from './rolegate_issuer_bg.js';
import { init as initGate, Gate } from './index.js';
import { clockMoved } from './gate.js';
import { RolegateError } from './error.js';
import { attach } from './playwright.js';

export { PageSession } from './playwright.js';

export { assertAllowed, assertDenied, assertRouteAllowed, assertRouteBlocked, assertFieldMasked, assertFieldVisible, assertMenu, matchers } from './matchers.js';

/** The role a kit adds to a copy of the policy for ad-hoc grants (see `TestKit.token`). */
const GRANTS_ROLE = 'rolegate_test_grants';
/** The home of ad-hoc grants that may open no home of the policy: a route the kit adds, open to every user. */
const TEST_HOME = '/rolegate-test-home';
const KIT_OPTIONS = new Set(['policy', 'users', 'customRoles', 'audience', 'issuer', 'kid', 'now']);
const TOKEN_OPTIONS = new Set(['ttl', 'now', 'expiresAt', 'rev', 'tenant', 'platforms', 'issuer', 'jti']);
const GATE_OPTIONS = new Set(['platform', 'clockSkewSec', 'offlineGraceSec', 'refreshAheadSec', 'maxTokenBytes', 'now']);

const badConfig = (message) => new RolegateError('bad_config', message);

function strict(options, known, what) {
  if (options == null) return {};
  if (typeof options !== 'object') throw badConfig(`${what} must be an object`);
  const unknown = Object.keys(options).filter((k) => !known.has(k));
  if (unknown.length) throw badConfig(`unknown ${what} \`${unknown[0]}\` (known: ${[...known].join(', ')})`);
  return options;
}

/** A JSON document given as an object, JSON text, or a file path or URL (read with node:fs). */
async function document(value, what) {
  if (value == null || typeof value === 'object' && !(value instanceof URL)) return value ?? undefined;
  const text = String(value);
  const inline = typeof value === 'string' && text.trimStart().startsWith('{');
  try {
    if (inline) return JSON.parse(text);
    const { readFile } = await import('node:fs/promises');
    return JSON.parse(await readFile(value, 'utf8'));
  } catch (e) {
    throw badConfig(`cannot read the ${what} from ${inline ? 'its JSON text' : text}: ${e.message}`);
  }
}

/**
 * A clock for tests: `now()` returns the time it is set to, in seconds, until you move it.
 *
 * ```js
 * const clock = testClock();
 * const kit = await createTestKit({ policy, now: clock.now });
 * clock.advance(3600); // every gate of the kit now sees its snapshots expired
 * ```
 * @param {number} [start] seconds since the epoch (default: the real time now)
 */
export function testClock(start = Math.floor(Date.now() / 1000)) {
  let t = start;
  return {
    now: () => t,
    advance(sec) {
      t += sec;
      clockMoved(); // gates read a clock once per task: tell them it moved
      return t;
    },
    set(sec) {
      t = sec;
      clockMoved();
      return t;
    },
  };
}

/**
 * `token` with one character of its `part` (`'signature'`, `'payload'` or `'header'`) changed, still
 * valid base64url: a gate refuses it (`bad_signature` for the payload and the signature) and keeps
 * the snapshot it had.
 *
 * @param {string} token
 * @param {'signature' | 'payload' | 'header'} [part]
 */
export function tamper(token, part = 'signature') {
  const parts = String(token).split('.');
  const i = ['header', 'payload', 'signature'].indexOf(part);
  if (parts.length !== 3 || i < 0) throw badConfig('tamper() takes a compact JWS and `header`, `payload` or `signature`');
  const s = parts[i];
  // Not the last character, whose low bits may be padding: every other one carries 6 whole bits.
  const at = Math.floor((s.length - 1) / 2);
  parts[i] = s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1);
  return parts.join('.');
}

/**
 * A test kit: a throw-away key pair (a fresh random key per kit), a policy and its sample users.
 *
 * ```js
 * import { createTestKit, assertRouteBlocked } from 'rolegate/testing';
 * const kit = await createTestKit({ policy: 'policy.json', users: 'users.json', audience: 'crm-web' });
 * const gate = kit.gate('coordinator');            // a Gate trusting the kit's key only
 * assertRouteBlocked(gate, '/admin', { redirect: 'home' });
 * ```
 *
 * @param {import('./testing.js').TestKitOptions} [options]
 * @returns {Promise<TestKit>}
 */
export async function createTestKit(options) {
  const o = strict(options, KIT_OPTIONS, 'test kit option');
  const [policy, users, customRoles] = await Promise.all([
    document(o.policy, 'policy'), document(o.users, 'users'), document(o.customRoles, 'custom roles'),
  ]);
  await Promise.all([issuer.init(), initGate()]);
  const now = typeof o.now === 'number' ? () => o.now : o.now ?? (() => Date.now() / 1000);
  if (typeof now !== 'function') throw badConfig('`now` must be seconds since the epoch or a function returning them');
  return new TestKit({ policy, users, customRoles, audience: o.audience ?? 'rolegate-test', issuer: o.issuer, kid: o.kid, now });
}

/** Signs test snapshots and builds gates that trust only this kit's key. Made by `createTestKit`. */
export class TestKit {
  #key;
  #compiler;
  #policy;
  #users;
  #customRoles;
  #issuer;

  /** @private Use `createTestKit`. */
  constructor({ policy, users, customRoles, audience, issuer: iss, kid, now }) {
    this.#policy = policy;
    this.#users = users;
    this.#customRoles = customRoles;
    this.#issuer = iss;
    this.#compiler = policy === undefined ? null : new issuer.Compiler(policy, customRoles);
    this.#key = issuer.SigningKey.generate(kid ?? `rolegate-test-${Math.random().toString(36).slice(2, 10)}`);
    /** The audience every snapshot of this kit is for, and every gate of it expects. */
    this.audience = audience;
    /** The kit's clock, seconds since the epoch. */
    this.now = now;
    /** The JWKS with the kit's public key only: what a page under test must be given. */
    this.jwks = issuer.jwks(this.#key);
  }

  /** The key id of the kit's key. */
  get kid() {
    return this.#key.kid;
  }

  /** A copy of the sample user called `name` in the kit's `users`. */
  user(name) {
    const found = Object.hasOwn(this.#users ?? {}, name) ? this.#users[name] : undefined;
    if (found === undefined) {
      const known = this.#users ? Object.keys(this.#users).join(', ') : 'none: pass `users` to createTestKit';
      throw badConfig(`no sample user \`${name}\` (known: ${known})`);
    }
    return structuredClone(found);
  }

  /**
   * The claims of a test snapshot for `who`: a sample user's id, a user record, or ad-hoc grants
   * `{ grants: [...], deny?: [...], ...user fields }`.
   */
  claims(who, options) {
    const o = strict(options, TOKEN_OPTIONS, 'snapshot option');
    const iat = Math.floor(o.now ?? this.now());
    const ttl = o.expiresAt !== undefined ? o.expiresAt - iat : o.ttl ?? 600;
    const rev = o.rev ?? 1;
    const user = this.#record(who);
    if (o.tenant !== undefined) user.tenant = o.tenant;
    if (o.platforms !== undefined) user.platforms = o.platforms;
    let claims;
    if (user.grants === undefined) {
      claims = this.#compiler.claims(user, { audience: this.audience, now: iat, ttl, rev });
    } else if (this.#policy !== undefined) {
      const { grants, deny = [], ...record } = user;
      const compiler = this.#grantsCompiler(grants, deny, record.type);
      try {
        claims = compiler.claims({ ...record, roles: [GRANTS_ROLE] }, { audience: this.audience, now: iat, ttl, rev });
      } finally {
        compiler.free();
      }
    } else {
      const { grants, deny = [], id, tenant, ...rest } = user;
      const ignored = Object.keys(rest).filter((k) => k !== 'name');
      if (ignored.length) throw badConfig(`\`${ignored[0]}\` needs a policy: without one, a snapshot holds keys only`);
      if (!(ttl > 0)) throw badConfig('`ttl` must be a positive number of seconds');
      claims = grantClaims(String(id), tenant ?? undefined, grants.map(String), deny.map(String), this.audience, iat, iat + ttl, rev);
    }
    const iss = o.issuer ?? this.#issuer;
    if (iss !== undefined) claims.iss = iss;
    if (o.jti !== undefined) claims.jti = o.jti;
    return claims;
  }

  /**
   * A signed test snapshot for `who` (see `claims`), by default valid for 600 s from the kit's now.
   * Options: `ttl`, `now`, `expiresAt`, `rev`, `tenant`, `platforms`, `issuer`, `jti`.
   */
  token(who, options) {
    return this.sign(this.claims(who, options));
  }

  /** Signs `claims` with the kit's key as they are (e.g. from `claims()`, then edited to test a refusal). */
  sign(claims) {
    return this.#key.sign(claims);
  }

  /** `tamper(token, part)`: `token` with one character of `part` changed (see the module function). */
  tamper(token, part) {
    return tamper(token, part);
  }

  /** A snapshot for `who` that expired `agoSec` seconds ago (default 3600, well beyond clock skew). */
  expiredToken(who, agoSec = 3600, options) {
    const now = this.now();
    return this.token(who, { ...options, now: now - agoSec - 60, expiresAt: now - agoSec });
  }

  /**
   * A `Gate` that trusts this kit's key only, with `who`'s snapshot loaded (nothing loaded when `who`
   * is undefined). Gate options (`platform`, `now`, `offlineGraceSec`, …) and snapshot options can
   * be mixed in `options`; the gate's clock defaults to the kit's.
   */
  gate(who, options = {}) {
    const gateOptions = { keys: this.jwks, audience: this.audience, now: this.now };
    const tokenOptions = {};
    for (const [k, v] of Object.entries(strict(options, new Set([...GATE_OPTIONS, ...TOKEN_OPTIONS]), 'gate option'))) {
      if (GATE_OPTIONS.has(k)) gateOptions[k] = v;
      else tokenOptions[k] = v;
    }
    if (this.#issuer !== undefined) gateOptions.issuer = this.#issuer;
    if (typeof gateOptions.now === 'number') {
      const t = gateOptions.now;
      gateOptions.now = () => t;
    }
    // The snapshot is issued at the gate's now.
    tokenOptions.now = gateOptions.now();
    const gate = new Gate(gateOptions);
    if (who !== undefined) gate.load(this.token(who, tokenOptions));
    return gate;
  }

  /**
   * Serves this kit's JWKS and `who`'s snapshots to a Playwright `page` before its scripts run; see
   * `docs/testing.md`. Returns a `PageSession` to switch user, tamper or expire mid-test.
   */
  attach(page, who, options) {
    return attach(page, this, who, options);
  }

  /** Frees the kit's key and compiler. */
  free() {
    this.#key.free();
    this.#compiler?.free();
  }

  #record(who) {
    if (typeof who === 'string') return this.user(who); // a sample user's name
    if (who === null || typeof who !== 'object') {
      throw badConfig('a snapshot is for a sample user id, a user record or `{ grants: [...] }`');
    }
    const record = structuredClone(who);
    if (record.grants !== undefined) {
      if (!Array.isArray(record.grants) || (record.deny !== undefined && !Array.isArray(record.deny))) {
        throw badConfig('`grants` and `deny` must be arrays of keys');
      }
      if (this.#policy !== undefined && record.roles !== undefined) {
        throw badConfig('ad-hoc `grants` replace the roles: pass `grants` or `roles`, not both');
      }
    } else if (this.#compiler === null) {
      throw badConfig('a user record needs a policy: pass `policy` to createTestKit, or use `{ grants: [...] }`');
    }
    record.id ??= 'test-user';
    return record;
  }

  /** A compiler for a copy of the policy with a role of exactly `grants` and `deny` (of `family`). */
  #grantsCompiler(grants, deny, family) {
    const policy = structuredClone(this.#policy);
    if (policy.roles?.[GRANTS_ROLE] !== undefined) throw badConfig(`the policy already has a role \`${GRANTS_ROLE}\``);
    const role = { name: 'Ad-hoc test grants', allow: grants, deny };
    if (family !== undefined) role.family = family;
    // Under numeric levels every role has one: the least powerful, so the test role outranks nobody.
    const levels = policy.levels;
    if (levels) role.level = levels.power === 'higher' ? levels.min : levels.max;
    policy.roles = { ...policy.roles, [GRANTS_ROLE]: role };
    try {
      return new issuer.Compiler(policy, this.#customRoles);
    } catch (e) {
      // Grants that open no home of the policy (lint's `redirect_loop` at the role itself) get a home
      // of their own, a route every user may open, so a blocked route redirects there.
      if (e?.code !== 'redirect_loop' || e.pointer !== `/roles/${GRANTS_ROLE}`) throw e;
      role.home = TEST_HOME;
      policy.routes = { ...policy.routes, rules: [...policy.routes.rules, { path: TEST_HOME }] };
      return new issuer.Compiler(policy, this.#customRoles);
    }
  }
}
