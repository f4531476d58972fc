// Parity: every conformance case answered through the npm package (rolegate/issuer compiles and signs,
// rolegate's Gate decides) must equal the native Rust answer, case by case. The native answers come
// from `cargo run --example conformance_decisions --features issuer` (JSON lines, PARITY_NATIVE);
// the cases, policies and users from the repository (ROLEGATE_ROOT). scripts/test.sh sets both.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { init as initIssuer, Compiler, SigningKey, jwks } from 'rolegate/issuer';
import { init, Gate } from 'rolegate';

const ROOT = process.env.ROLEGATE_ROOT ?? resolve(import.meta.dirname, '../..');
const NATIVE = process.env.PARITY_NATIVE;
const PRODUCTS = ['commusoft', 'neptunecrm', 'property', 'reconpro'];
// The conformance runner's fixed time, audience and key (tests/common/conformance.rs).
const NOW = 1_700_000_000;
const AUDIENCE = 'conformance';
const read = (f) => readFileSync(join(ROOT, f), 'utf8');

let key;
let gatePlatforms = false;

before(async () => {
  await Promise.all([init(), initIssuer()]);
  key = SigningKey.fromSeed('conformance', new Uint8Array(32).fill(7));
  gatePlatforms = honoursPlatform();
});

function gate(platform) {
  return new Gate({ keys: jwks(key), audience: AUDIENCE, now: () => NOW, ...(platform ? { platform } : {}) });
}

/** Whether this package's Gate takes a `platform` option (a user without the platform is denied on it). */
function honoursPlatform() {
  const c = new Compiler({ product: 'probe', keys: ['a'], platforms: ['web', 'mobile'], roles: { r: { allow: ['a'] } } });
  const g = gate('web');
  g.load(c.issue({ id: 'u', roles: ['r'], platforms: ['mobile'] }, key, { audience: AUDIENCE, now: NOW, rev: 1 }));
  return g.check('a').code === 'platform_denied';
}

// The fields both sides report; `redirect` only for a denied route.
const decision = (d) => ({ allow: d.allow, code: d.code, rule: d.rule ?? null, ...(d.redirect != null && { redirect: d.redirect }) });
const errorOf = (f) => {
  try {
    f();
    return { error: null };
  } catch (e) {
    if (typeof e?.code !== 'string') throw e;
    return { error: e.code };
  }
};

// How Node answers each kind of case through the public JS API. Kinds without a row cannot be asked
// through this package's Gate and are reported as skipped: records, routes, menus, fields and `see`
// need the Gate's `explain` (and `check(key, record)`, `route(path)`), which arrive with the front-end
// API; with it, these rows apply by themselves.
const explains = typeof Gate.prototype.explain === 'function';
const ASK = {
  can: (g, c) => decision(g.check(c.can)),
  ...(explains && {
    record: (g, c) => decision(g.check(c.record.key, c.record.record)),
    see: (g, c) => decision(g.explain({ resource: c.see.resource, see: c.see.record })),
    route: (g, c) => decision(g.route(c.route)),
    start: (g) => decision(g.platform()),
    menu: (g, c) => decision(g.explain({ menu: c.menu })),
    field: (g, c) => decision(g.explain(c.field)),
  }),
};

/** Node's answer to case `c`, or `undefined` when it cannot be answered through the JS API yet. */
function answer(compiler, users, c, native) {
  const user = typeof c.user === 'string' ? users[c.user] : c.user;
  const who = (ref) => (typeof ref === 'string' ? users[ref] : ref);
  if (c.assign?.by) return errorOf(() => compiler.bodyAssignedBy(user, users[c.assign.by]));
  if (c.assign || c.set) {
    let d;
    const refused = errorOf(() => {
      if (c.set) d = compiler.may(user, 'set', who(c.set.target), c.set.setting, c.set.value);
      else if (c.assign.action === 'create') d = compiler.may(user, 'create', { [c.assign.role]: c.assign.draft });
      else d = compiler.may(user, c.assign.action, c.assign.role, c.assign.target === undefined ? c.assign.draft : who(c.assign.target));
    });
    return refused.error ? refused : decision(d);
  }
  let token;
  const compiled = errorOf(() => { token = compiler.issue(user, key, { audience: AUDIENCE, now: NOW, ttl: 600, rev: 1 }); });
  if (compiled.error || native.kind === 'compile') return compiled;
  const ask = ASK[native.kind];
  if (!ask) return undefined;
  const platformless = Boolean(c.platform) && !gatePlatforms;
  if (platformless && native.platformless === undefined) return undefined;
  const g = gate(platformless ? undefined : c.platform);
  g.load(token);
  const result = ask(g, c);
  g.free?.();
  return { result, platformless };
}

const natives = new Map(
  (NATIVE ? readFileSync(NATIVE, 'utf8') : '').split('\n').filter(Boolean).map((l) => JSON.parse(l))
    .map((n) => [`${n.product}#${n.case}`, n]),
);

test('the native answers are there for every case', () => {
  assert.ok(NATIVE, 'PARITY_NATIVE names the native answers (cargo run --example conformance_decisions --features issuer)');
  const total = PRODUCTS.reduce((n, p) => n + JSON.parse(read(`tests/conformance/${p}.json`)).cases.length, 0);
  assert.equal(natives.size, total);
});

for (const product of PRODUCTS) {
  test(`${product}: Node (issuer + Gate) answers every case as native Rust does`, (t) => {
    const compiler = new Compiler(read(`examples/policies/${product}.json`));
    const users = JSON.parse(read(`examples/policies/${product}.users.json`));
    const { cases } = JSON.parse(read(`tests/conformance/${product}.json`));
    const counts = { compared: 0, platformless: 0, skipped: {} };
    const mismatches = [];
    cases.forEach((c, i) => {
      const native = natives.get(`${product}#${i}`);
      assert.ok(native, `no native answer for ${product} case ${i}`);
      const got = answer(compiler, users, c, native);
      if (got === undefined) {
        counts.skipped[native.kind] = (counts.skipped[native.kind] ?? 0) + 1;
        return;
      }
      let [want, mine] = [native.result, got];
      if ('result' in got) {
        // A JS Gate without platforms is compared with the native answer on a gate without one.
        want = got.platformless ? native.platformless : native.result;
        mine = got.result;
        if (got.platformless) counts.platformless += 1;
      }
      counts.compared += 1;
      try {
        assert.deepEqual(mine, want);
      } catch {
        mismatches.push(`case ${i} (${native.kind}): node ${JSON.stringify(mine)} != native ${JSON.stringify(want)}`);
      }
    });
    t.diagnostic(`${product}: ${counts.compared} of ${cases.length} cases compared (${counts.platformless} on a gate ` +
      `without platform); not answerable in JS yet: ${JSON.stringify(counts.skipped)}`);
    assert.deepEqual(mismatches, []);
    assert.ok(counts.compared > 0);
  });
}
