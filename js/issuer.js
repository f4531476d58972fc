// rolegate/issuer: issue snapshots from a Node back end with the same Rust code as the CLI and the
// native crate (a second wasm build, rolegate_issuer_bg.wasm, with the policy compiler and the signer).
// Compile a user under a policy, sign with a private JWK, lint a policy, make keys. ES module only.
// The browser entry (`rolegate`) never loads this build. Bindings translate; they decide nothing.
import * as glue from './rolegate_issuer_bg.js';
import { createLoader } from './loader.js';
import { RolegateError } from './error.js';

const loader = createLoader({
  glue,
  specifier: './rolegate_issuer_bg.js',
  file: 'rolegate_issuer_bg.wasm',
  locate: () => new URL('./rolegate_issuer_bg.wasm', import.meta.url),
});

export { RolegateError };

/**
 * Loads the issuer's WebAssembly module (by default the file next to this module). Await it once
 * before using anything else; later calls return the same promise.
 *
 * @param {string | URL | Response | PromiseLike<Response> | BufferSource | WebAssembly.Module} [source]
 * @returns {Promise<void>}
 */
export function init(source) {
  return loader.init(source);
}

/** Whether `init()` has finished. */
export function ready() {
  return loader.ready();
}

function initialised() {
  if (!loader.ready()) throw new RolegateError('not_initialised', 'call `await init()` from `rolegate/issuer` first');
}

function misuse(message) {
  return new RolegateError('bad_argument', message);
}

/**
 * Policies, users, roles and claims cross into wasm as JSON text; objects are serialised here, and
 * anything that is not JSON (a cycle, a BigInt, a throwing getter or Proxy, `undefined`, a Symbol) is
 * a `bad_argument` error before anything reaches wasm.
 */
function text(value) {
  let t;
  try {
    t = typeof value === 'string' ? value : JSON.stringify(value);
  } catch (e) {
    throw misuse(`not representable as JSON: ${e?.message ?? e}`);
  }
  if (typeof t !== 'string') throw misuse('expected an object or JSON text');
  return t;
}
const optionalText = (value) => (value == null ? undefined : text(value));

/** A value as JSON text, whatever its type (a string too: `'5'` stays a string, never the number 5). */
function json(value) {
  let t;
  try {
    t = JSON.stringify(value);
  } catch (e) {
    throw misuse(`not representable as JSON: ${e?.message ?? e}`);
  }
  if (typeof t !== 'string') throw misuse('expected a JSON value');
  return t;
}

/** `name` must be a string (it is copied into wasm memory as one). */
function string(value, name) {
  if (typeof value !== 'string') throw misuse(`\`${name}\` must be a string`);
  return value;
}

/** The wasm object of `owner`, or a `bad_argument` error once it was freed. */
function live(wasm) {
  if (!wasm) throw misuse('this object was freed');
  return wasm;
}

/** A policy linted and ready to compile users (with a tenant's custom roles, if given). */
export class Compiler {
  #wasm;

  /**
   * @param {object | string} policy  the policy document (object or JSON text)
   * @param {object | string} [customRoles]  the tenant's custom roles: role id → role
   */
  constructor(policy, customRoles) {
    initialised();
    this.#wasm = new glue.WasmCompiler(text(policy), optionalText(customRoles));
  }

  /** The policy's product name. */
  get product() {
    return live(this.#wasm).product;
  }

  /** The snapshot body (`rg` claim) for a user record; throws a RolegateError (with `pointer`) for an invalid user. */
  body(user) {
    return live(this.#wasm).body(text(user));
  }

  /** As `body`, and every role of `user` must be one `assigner` may assign (`above_level` otherwise). */
  bodyAssignedBy(user, assigner) {
    return live(this.#wasm).bodyAssignedBy(text(user), text(assigner));
  }

  /**
   * The claims of a user's snapshot, ready for `SigningKey.sign`: `sub` and `tid` from the record.
   * @param {object | string} user
   * @param {import('./issuer.js').ClaimsOptions} options
   */
  claims(user, options) {
    const own = (name) => (options != null && Object.hasOwn(options, name) ? options[name] : undefined);
    let audience, ttl, now, rev, issuer, jti;
    try {
      [audience, ttl = 600, now = Date.now() / 1000, rev = 0, issuer, jti] = ['audience', 'ttl', 'now', 'rev', 'issuer', 'jti'].map(own);
    } catch (e) {
      throw new RolegateError('bad_config', `the options could not be read: ${e?.message ?? e}`);
    }
    if (typeof audience !== 'string') throw new RolegateError('bad_config', '`audience` is required');
    if (!(Number.isFinite(ttl) && ttl > 0)) throw new RolegateError('bad_config', '`ttl` must be a positive number of seconds');
    if (!Number.isFinite(now)) throw new RolegateError('bad_config', '`now` must be seconds since the epoch');
    if (typeof rev !== 'number') throw new RolegateError('bad_config', '`rev` must be a whole number');
    const iat = Math.floor(now);
    const claims = live(this.#wasm).claims(text(user), audience, iat, iat + ttl, rev);
    if (issuer !== undefined) claims.iss = issuer;
    if (jti !== undefined) claims.jti = jti;
    return claims;
  }

  /** Compiles `user` and signs the snapshot with `key`: the token to send to the browser. */
  issue(user, key, options) {
    if (!SigningKey.is(key)) throw misuse('`issue` signs with a SigningKey');
    return key.sign(this.claims(user, options));
  }

  /**
   * The effective value of setting `name` for `user` (forced by a role, else the user's, a role
   * default or the policy default), `null` where it does not apply to the user's roles.
   */
  setting(user, name) {
    return live(this.#wasm).setting(text(user), string(name, 'name'));
  }

  /**
   * May `actor` do this? `may(actor, 'assign', role, user?)` (with the user who would get the role:
   * their tenant, family, exclusive sets and features too), `may(actor, 'edit', role, draft?)` (with
   * the role's new definition), `may(actor, 'delete', role)`, `may(actor, 'create', { id: role })`,
   * `may(actor, 'set', user, setting, value)`. `{ allow, code, step, rule, message }`.
   */
  may(actor, action, role, extra, value) {
    string(action, 'action');
    if (action === 'set') {
      return live(this.#wasm).maySet(text(actor), text(role), string(extra, 'setting'), json(value));
    }
    const what = action === 'create' ? text(role) : string(role, 'role'); // create: `{ id: role }`
    return live(this.#wasm).may(text(actor), action, what, optionalText(extra));
  }

  /**
   * The query plan of the snapshot `user` would get: the condition a record of `resource` must meet
   * to be seen (`action` absent or `'view'`) or acted on (`'edit'` … : the key `<resource keys>.<action>`),
   * as `{ v: 1, plan }` (docs/records.md). Serialise it with `toSql`, `toPrisma` or `toMongo`.
   */
  query(user, resource, action) {
    const a = action === undefined ? undefined : string(action, 'action');
    return live(this.#wasm).query(text(user), string(resource, 'resource'), a);
  }

  /**
   * The user records of `users` that a list includes, in order, active users only: `{ setting, value }`
   * selects those whose setting is in effect with `value` (default `true`; never where the setting
   * does not apply to their roles), `{ role }` those who hold the role themselves. For admin screens:
   * NeptuneCRM's consultant dropdown is `list(users, { setting: 'canAssignCustomers' })`.
   */
  list(users, by) {
    let records, setting, value, role;
    try {
      if (!Array.isArray(users)) throw misuse('`users` must be an array of user records');
      records = Array.from(users);
      const own = (name) => (by !== null && typeof by === 'object' && Object.hasOwn(by, name) ? by[name] : undefined);
      [setting, value, role] = ['setting', 'value', 'role'].map(own);
    } catch (e) {
      throw e instanceof RolegateError ? e : misuse(`the users or the selection could not be read: ${e?.message ?? e}`);
    }
    if ((role === undefined) === (setting === undefined)) throw misuse('a list selects by `{ setting, value? }` or by `{ role }`');
    const wasm = live(this.#wasm);
    const included = role === undefined
      ? wasm.list(text(records), string(setting, 'setting'), json(value === undefined ? true : value), undefined)
      : wasm.list(text(records), undefined, undefined, string(role, 'role'));
    return Array.from(included, (i) => records[i]);
  }

  /** Frees the wasm memory of this compiler; using it afterwards is a `bad_argument` error. */
  free() {
    this.#wasm?.free();
    this.#wasm = null;
  }
}

/** An Ed25519 private key with its key id, for signing snapshots. */
export class SigningKey {
  #wasm;

  /** @private Use `SigningKey.generate`, `SigningKey.fromJwk` or `SigningKey.fromSeed`. */
  constructor(wasm) {
    if (!(wasm instanceof glue.WasmSigningKey)) {
      throw new TypeError('rolegate: use SigningKey.generate(kid), SigningKey.fromJwk(jwk) or SigningKey.fromSeed(kid, seed)');
    }
    this.#wasm = wasm;
  }

  /** A new random key: 32 bytes from `globalThis.crypto.getRandomValues`, made into a key by the Rust code. */
  static generate(kid) {
    initialised();
    if (typeof globalThis.crypto?.getRandomValues !== 'function') {
      throw new RolegateError('bad_config', 'no random source: globalThis.crypto.getRandomValues is missing');
    }
    const seed = globalThis.crypto.getRandomValues(new Uint8Array(32));
    try {
      return SigningKey.fromSeed(kid, seed);
    } finally {
      seed.fill(0);
    }
  }

  /** The key whose 32-byte secret seed is `seed` (fixtures and tests; use `generate` for real keys). */
  static fromSeed(kid, seed) {
    initialised();
    // isView first: it reads an internal slot, so a Proxy (revoked or not) is refused without a trap.
    if (!(ArrayBuffer.isView(seed) && seed instanceof Uint8Array)) throw new RolegateError('bad_argument', 'a key seed must be a Uint8Array of 32 bytes');
    return new SigningKey(glue.WasmSigningKey.fromSeed(string(kid, 'kid'), seed));
  }

  /** Reads a private JWK (object or JSON text), e.g. one written by `rolegate keygen`. */
  static fromJwk(jwk) {
    initialised();
    return new SigningKey(glue.WasmSigningKey.fromJwk(text(jwk)));
  }

  /** Whether `value` is a SigningKey (a brand check: no getter or Proxy trap of `value` runs). */
  static is(value) {
    return typeof value === 'object' && value !== null && #wasm in value;
  }

  /** The key id, put in the header of every token this key signs. */
  get kid() {
    return live(this.#wasm).kid;
  }

  /** The private JWK: keep it secret. */
  privateJwk() {
    return JSON.parse(live(this.#wasm).privateJwk());
  }

  /** The public JWK, for the JWKS a gate trusts. */
  publicJwk() {
    return JSON.parse(live(this.#wasm).publicJwk());
  }

  /** Signs claims (checked exactly as a gate reads them) into a snapshot token. */
  sign(claims) {
    return live(this.#wasm).sign(text(claims));
  }

  /** Frees the wasm memory of this key; using it afterwards is a `bad_argument` error. */
  free() {
    this.#wasm?.free();
    this.#wasm = null;
  }
}

/** A JWKS with the public halves of `keys` (publish the old and the new key during rotation). */
export function jwks(...keys) {
  if (!keys.every(SigningKey.is)) throw misuse('jwks takes SigningKey objects');
  return { keys: keys.map((k) => k.publicJwk()) };
}

/** A new random key as `{ kid, privateJwk, jwks }`: store the private JWK, publish the JWKS. */
export function keygen(kid) {
  const key = SigningKey.generate(kid);
  try {
    return { kid: key.kid, privateJwk: key.privateJwk(), jwks: jwks(key) };
  } finally {
    key.free();
  }
}

/**
 * Every problem of a policy (with a tenant's custom roles added): `[{ code, pointer, message }]`,
 * empty when the policy is fit to compile.
 */
export function lint(policy, customRoles) {
  initialised();
  return glue.lintPolicy(text(policy), optionalText(customRoles));
}

/** `options`' own members `names` (a getter or Proxy that throws is a `bad_argument` error). */
function members(options, names) {
  try {
    return names.map((n) => (options !== null && typeof options === 'object' && Object.hasOwn(options, n) ? options[n] : undefined));
  } catch (e) {
    throw misuse(`the options could not be read: ${e?.message ?? e}`);
  }
}

/**
 * A query plan (`compiler.query(…)`, or its JSON text) as a parameterised SQL condition for a `WHERE`
 * clause: `{ text, params }`. `dialect`: `'postgres'` (`$1` …; list columns are arrays) or `'sqlite'`
 * (`?`; list columns hold JSON arrays). `columns` maps record fields to columns: `{ field: 'column' }`
 * or `{ field: { column, type } }` (`text`, `integer`, `text_list`, `integer_list`). Values are only
 * ever parameters; identifiers are quoted.
 */
export function toSql(plan, options) {
  initialised();
  const [dialect, columns] = members(options, ['dialect', 'columns']);
  return glue.planToSql(text(plan), string(dialect, 'dialect'), optionalText(columns));
}

/** A query plan as a Prisma `where` object (`columns` as for `toSql`; a dotted field is a relation). */
export function toPrisma(plan, options) {
  initialised();
  const [columns] = members(options, ['columns']);
  return glue.planToDocument(text(plan), 'prisma', optionalText(columns));
}

/** A query plan as a MongoDB filter (`columns` as for `toSql`; a dotted field is an embedded path). */
export function toMongo(plan, options) {
  initialised();
  const [columns] = members(options, ['columns']);
  return glue.planToDocument(text(plan), 'mongo', optionalText(columns));
}
