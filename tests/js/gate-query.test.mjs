// `gate.query` with the planner module (`init({ query: true })`, issue 19): for every signed sample user
// of the four seed products, every resource and every action, the plan a gate gives for the loaded
// snapshot is the one the native compiler gives (the fixtures' `plans`, from examples/sign_users.rs) and
// the one `rolegate/issuer` gives (`compiler.query`); nothing loaded, an expired snapshot, an inactive
// user and any name the policy does not have are always-false; an argument that is not a string is
// bad_argument, and a freed gate refuses. scripts/test.sh runs this file with WebAssembly and without it
// (wasm2js, which has the planner; the issuer, which has no fallback, is then not compared).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { init, backendName, Gate, RolegateError } from 'rolegate';
import { init as initIssuer, Compiler } from 'rolegate/issuer';

const ROOT = process.env.ROLEGATE_ROOT ?? resolve(import.meta.dirname, '../..');
const PRODUCTS = ['commusoft', 'neptunecrm', 'property', 'reconpro'];
const fixture = (product) => JSON.parse(readFileSync(new URL(`./fixtures/${product}.json`, import.meta.url)));
const read = (f) => JSON.parse(readFileSync(join(ROOT, f), 'utf8'));
const FALSE = { v: 1, plan: false };

/** The issuer has no wasm2js fallback: without WebAssembly the plans are compared with the native ones only. */
const ISSUER = typeof WebAssembly === 'object';

before(async () => {
  await Promise.all([init({ query: true }), ISSUER && initIssuer()]);
});

test('init({ query: true }) loads the planner module (or the wasm2js fallback, which has it)', () => {
  assert.equal(backendName(), typeof WebAssembly === 'object' ? 'wasm' : 'wasm2js');
});

for (const product of PRODUCTS) {
  test(`${product}: every plan is the native compiler's and the issuer's`, () => {
    const fx = fixture(product);
    const users = read(`examples/policies/${product}.users.json`);
    const compiler = ISSUER ? new Compiler(read(`examples/policies/${product}.json`)) : null;
    let compared = 0;
    let nonTrivial = 0;
    for (const [user, byResource] of Object.entries(fx.plans)) {
      const gate = new Gate({ keys: fx.jwks, audience: 'app', now: () => fx.now + 1 });
      assert.deepEqual(gate.query('customer'), FALSE, 'nothing loaded');
      gate.load(fx.tokens[user]);
      for (const [resource, byAction] of Object.entries(byResource)) {
        for (const [action, plan] of Object.entries(byAction)) {
          const got = gate.query(resource, action);
          assert.deepEqual(got, plan, `${user} ${resource} ${action}`);
          if (compiler) assert.deepEqual(got, compiler.query(users[user], resource, action), `${user} ${resource} ${action}: the issuer`);
          if (action === 'view') assert.deepEqual(gate.query(resource), plan, 'view is the default action');
          if (typeof got.plan === 'object') nonTrivial++;
          compared++;
        }
      }
      assert.deepEqual(gate.query('no-such-resource'), FALSE);
      assert.deepEqual(gate.query(Object.keys(byResource)[0], 'no-such-action'), FALSE);
      gate.free();
    }
    compiler?.free();
    assert.ok(compared >= 40, `${compared} plans compared`);
    assert.ok(nonTrivial >= 5, `only ${nonTrivial} plans were conditions`);
  });
}

/** The gate reads its clock once per task: the next task sees a moved clock. */
const nextTask = () => new Promise((r) => setTimeout(r, 0));

test('expired, inactive and cleared: always-false; a later load answers again', async () => {
  const fx = fixture('neptunecrm');
  let now = fx.now + 1;
  const gate = new Gate({ keys: fx.jwks, audience: 'app', now: () => now });
  gate.load(fx.tokens.consultant);
  const plan = gate.query('customer');
  assert.notDeepEqual(plan, FALSE);
  now = fx.now + 10_000; // the fixtures' snapshots live 600 s
  await nextTask();
  assert.deepEqual(gate.query('customer'), FALSE, 'expired');
  now = fx.now + 1;
  await nextTask();
  assert.deepEqual(gate.query('customer'), plan);
  gate.clear();
  assert.deepEqual(gate.query('customer'), FALSE, 'cleared');
  const inactive = Object.keys(fx.tokens).find((u) => /inactive/.test(u));
  if (inactive) {
    gate.load(fx.tokens[inactive]);
    assert.deepEqual(gate.query('customer'), FALSE, 'inactive');
  }
  gate.free();
});

test('hostile arguments: not a string is bad_argument, an odd string always-false; a freed gate refuses', () => {
  const fx = fixture('neptunecrm');
  const gate = new Gate({ keys: fx.jwks, audience: 'app', now: () => fx.now + 1 });
  gate.load(fx.tokens.admin);
  const plan = gate.query('customer', 'edit');
  let reads = 0;
  const sneaky = { toString() { reads++; return 'customer'; } };
  const bad = (e) => e instanceof RolegateError && e.code === 'bad_argument';
  for (const v of [null, 42, sneaky, ['customer'], Symbol('customer'), 10n, () => 'customer']) {
    assert.throws(() => gate.query(v), bad, String(typeof v));
    assert.throws(() => gate.query('customer', v), bad, `action ${typeof v}`);
  }
  for (const v of ['customer\u0000', 'Customer', 'x'.repeat(100_000), '', '__proto__', 'constructor']) {
    assert.deepEqual(gate.query(v), FALSE, v.slice(0, 20));
    assert.deepEqual(gate.query('customer', v), FALSE, `action ${v.slice(0, 20)}`);
  }
  assert.equal(reads, 0, 'no argument is converted');
  assert.deepEqual(gate.query('customer', 'edit'), plan, 'the gate answers as before');
  gate.free();
  assert.throws(() => gate.query('customer'), (e) => e instanceof RolegateError && e.code === 'bad_argument');
});
