// The hostile-caller suite (tests/js/hostile-runner.mjs) in Node; scripts/test.sh runs this file with
// WebAssembly and again without it (wasm2js), and browser-page.mjs runs the same suite in browsers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init, Gate, RolegateError, memoryBytes } from 'rolegate';
import { runHostile } from './hostile-runner.mjs';

const nep = JSON.parse(readFileSync(new URL('./fixtures/neptunecrm.json', import.meta.url)));

test('hostile callers: every method, every hostile value; nothing unwinds, wedges or grants', async () => {
  await init();
  const { calls, failures, memory } = runHostile({ Gate, RolegateError, memoryBytes }, nep, 15);
  assert.deepEqual(failures, []);
  assert.ok(calls >= 10_000, `${calls} calls`);
  assert.ok(memory > 0);
});

test('the repro of issue 22: one hostile record check, then clear() clears', async () => {
  await init();
  const gate = new Gate({ keys: nep.jwks, audience: 'app', platform: 'web', now: () => nep.now + 1 });
  gate.load(nep.tokens.consultant);
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  assert.equal(gate.can('data.customer.edit', { organisationId: proxy }), false);
  gate.clear();
  assert.equal(gate.can('page.customers.view'), false, 'logout took effect');
  assert.equal(gate.check('page.customers.view').code, 'no_snapshot');
  gate.load(nep.tokens.consultant);
  assert.equal(gate.can('page.customers.view'), true);
  // 10,000 masks of a revoked Proxy leave the module usable.
  for (let i = 0; i < 10_000; i++) assert.throws(() => gate.mask('proposal', proxy), { code: 'bad_argument' });
  const fresh = new Gate({ keys: nep.jwks, audience: 'app', platform: 'web', now: () => nep.now + 1 });
  fresh.load(nep.tokens.consultant);
  assert.equal(fresh.can('page.customers.view'), true);
});

test('own members only: a polluted Object.prototype changes no answer and no option', async () => {
  await init();
  const options = { keys: nep.jwks, audience: 'app', platform: 'web', now: () => nep.now + 1 };
  const gate = new Gate(options);
  gate.load(nep.tokens.consultant);
  const before = [gate.can('data.customer.edit', {}), gate.can('data.customer.edit', { organisationId: 'org-1' }),
    gate.explain({ route: '/customers' }).code];
  const polluted = { organisationId: 'org-1', 'consultant.id': 'u-cons', consultantId: 'u-cons', offlineGraceSec: 1e9,
    clockSkewSec: 86400, key: 'page.customers.view' };
  try {
    Object.assign(Object.prototype, polluted);
    assert.deepEqual([gate.can('data.customer.edit', {}), gate.can('data.customer.edit', { organisationId: 'org-1' }),
      gate.explain({ route: '/customers' }).code], before);
    // Options: an inherited offlineGraceSec or clockSkewSec must not let a token expired an hour ago load.
    const late = new Gate({ ...options, now: () => nep.now + 3600 * 24 * 30 });
    assert.throws(() => late.load(nep.tokens.consultant), { code: 'expired' });
  } finally {
    for (const k of Object.keys(polluted)) delete Object.prototype[k];
  }
});

test('non-string arguments are denies or bad_argument errors, never a trap in the allocator', async () => {
  await init();
  const gate = new Gate({ keys: nep.jwks, audience: 'app', platform: 'web', now: () => nep.now + 1 });
  gate.load(nep.tokens.admin);
  for (const v of [42, true, {}, Symbol('s'), null, 10n]) {
    assert.equal(gate.check(v).allow, false);
    assert.throws(() => gate.id(v), { code: 'bad_argument' });
    assert.equal(gate.fields(v).length, 1);
    assert.deepEqual(gate.mask(v, {}), { value: {}, masked: [] });
    assert.deepEqual(gate.filter(v, []), []);
    assert.equal(gate.setting(v), undefined);
    assert.throws(() => gate.revoke({ subject: v, rev: 9 }), { code: 'bad_argument' });
    assert.throws(() => gate.load(v), { code: 'bad_argument' });
    assert.equal(gate.route(v).allow, false);
  }
  assert.equal(gate.can('page.customers.view'), true, 'still answering');
  assert.equal(gate.revoke({ subject: 'u-admin', rev: 1 }), false);
  gate.free();
  assert.throws(() => gate.can('page.customers.view'), { code: 'bad_argument' }, 'a freed gate refuses, never answers from freed memory');
  gate.free(); // twice is harmless
});

test('tamper sweep: every byte of a token, four substitutions each; none accepted, the snapshot in force kept', async () => {
  await init();
  const gate = new Gate({ keys: nep.jwks, audience: 'app', platform: 'web', now: () => nep.now + 1 });
  gate.load(nep.tokens.consultant);
  const token = nep.tokens.inactive_admin; // the shortest fixture: header, payload and signature all swept
  const codes = {};
  let variants = 0;
  for (let i = 0; i < token.length; i++) {
    for (const c of new Set(['A', '_', '.', token[i] === 'a' ? 'b' : 'a'])) {
      if (c === token[i]) continue;
      variants++;
      const tampered = token.slice(0, i) + c + token.slice(i + 1);
      try {
        gate.load(tampered);
        assert.fail(`accepted a change at byte ${i}: ${c}`);
      } catch (e) {
        assert.ok(e instanceof RolegateError, `byte ${i}: ${e}`);
        codes[e.code] = (codes[e.code] ?? 0) + 1;
      }
    }
  }
  assert.ok(variants > 3 * token.length, `${variants} variants`);
  assert.deepEqual(Object.keys(codes).filter((c) => !['malformed', 'bad_signature', 'bad_typ', 'alg_not_allowed', 'unknown_kid', 'bad_claim', 'crit_not_supported'].includes(c)), []);
  assert.equal(gate.status().subject, 'u-cons', 'the snapshot in force stayed');
  assert.equal(gate.can('page.customers.view'), true);
});

test('past the interning limit (65,536 distinct keys) keys are still answered, by one call each', async () => {
  await init();
  const gate = new Gate({ keys: nep.jwks, audience: 'app', platform: 'web', now: () => nep.now + 1 });
  gate.load(nep.tokens.consultant);
  const own = { organisationId: 'org-1', consultantId: 'u-cons' };
  const before = [gate.check('page.customers.view'), gate.check('data.customer.edit', own), gate.check('data.customer.edit', {})];
  // In a gate that has interned as many keys as it may, a key first asked has no id; it is answered
  // as `explain({ key, record })` answers it, the same as with an id.
  const fresh = new Gate({ keys: nep.jwks, audience: 'app', platform: 'web', now: () => nep.now + 1 });
  fresh.load(nep.tokens.consultant);
  for (let i = 0; fresh.id(`junk.${i}`) !== 2 ** 32 - 1; i++);
  assert.deepEqual([fresh.check('page.customers.view'), fresh.check('data.customer.edit', own), fresh.check('data.customer.edit', {})], before);
  assert.equal(fresh.can('page.admin.view'), false);
  assert.equal(fresh.check('junk.x').code, 'unknown_key');
});
