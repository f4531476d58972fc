// The Gate through the installed npm package, exactly as a user imports it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { init, ready, backendName, Gate, RolegateError } from 'rolegate';
import { body as grants, claims, jwks, keyPair, signToken } from './node-signer.mjs';

/** The backend `init()` must pick: real WebAssembly, or its wasm2js translation where it is missing. */
const BACKEND = typeof WebAssembly === 'object' ? 'wasm' : 'wasm2js';

const key = keyPair('k1');
const body = grants(['page.*', 'api.email.send.manage'], ['page.admin']);

test('creating a gate before init() is a clear error', () => {
  assert.equal(ready(), false);
  assert.throws(() => new Gate({ keys: jwks(key), audience: 'demo' }), (e) => e instanceof RolegateError && e.code === 'not_initialised');
});

test('init() loads the module next to the package, once, on the right backend', async () => {
  const a = init();
  assert.equal(a, init(), 'the same promise');
  await a;
  assert.equal(ready(), true);
  assert.equal(backendName(), BACKEND);
});

test('a token signed with node:crypto verifies and answers checks', () => {
  const gate = new Gate({ keys: jwks(key), audience: 'demo' });
  assert.equal(gate.can('page.jobs.view'), false, 'nothing loaded: deny');
  assert.equal(gate.check('page.jobs.view').code, 'no_snapshot');
  const status = gate.load(signToken(key, claims({ sub: 'alice', rev: 7, tid: 'acme', rg: body })));
  assert.deepEqual([status.loaded, status.subject, status.tenant, status.rev, status.expired, status.backend], [true, 'alice', 'acme', 7, false, BACKEND]);
  assert.equal(gate.can('page.jobs.view'), true);
  assert.equal(gate.can('api.email.send.manage'), true);
  assert.equal(gate.can('api.email.verify.view'), false);
  assert.deepEqual(gate.check('page.admin'), {
    allow: false, code: 'explicit_deny', step: 'deny', rule: 'page.admin', message: 'a deny rule covers this, and deny beats any allow',
  });
  assert.equal(gate.check('page.jobs.view').rule, 'page.*');
});

test('the JWKS may be passed as text, and several keys are trusted at once (rotation)', () => {
  const next = keyPair('k2');
  const gate = new Gate({ keys: JSON.stringify(jwks(key, next)), audience: 'demo' });
  gate.load(signToken(key, claims({ rev: 1, rg: body })));
  gate.load(signToken(next, claims({ rev: 2, rg: body })));
  assert.equal(gate.status().rev, 2);
  const rotated = new Gate({ keys: jwks(next), audience: 'demo' });
  assert.throws(() => rotated.load(signToken(key, claims({ rg: body }))), { code: 'unknown_kid' });
});

test('every refused token throws a RolegateError with its code and keeps the previous snapshot', () => {
  let now = 1_800_000_000;
  const gate = new Gate({ keys: jwks(key), audience: 'demo', issuer: 'https://auth.test', now: () => now });
  const good = (over = {}) => claims({ now, iss: 'https://auth.test', rev: 5, rg: body, ...over });
  gate.load(signToken(key, good()));
  const other = keyPair('k1');
  const token = signToken(key, good());
  const flipped = token.slice(0, -3) + (token.at(-3) === 'A' ? 'B' : 'A') + token.slice(-2);
  const cases = [
    ['not a token', 'malformed'],
    [token + '.x', 'malformed'],
    [flipped, 'bad_signature'],
    [signToken(other, good()), 'bad_signature'],
    [signToken(key, good(), { alg: 'HS256' }), 'alg_not_allowed'],
    [signToken(key, good(), { alg: 'none' }), 'alg_not_allowed'],
    [signToken(key, good(), { typ: 'JWT' }), 'bad_typ'],
    [signToken(key, good(), { crit: ['exp'] }), 'crit_not_supported'],
    [signToken(key, good(), { kid: 'nope' }), 'unknown_kid'],
    [signToken(key, good({ exp: now - 61 })), 'expired'],
    [signToken(key, good({ nbf: now + 61 })), 'not_yet_valid'],
    [signToken(key, good({ aud: 'other-app' })), 'wrong_audience'],
    [signToken(key, good({ iss: 'https://evil.test' })), 'wrong_issuer'],
    [signToken(key, { ...good(), sub: undefined }), 'missing_claim'],
    [signToken(key, good({ rev: -1 })), 'bad_claim'],
    [signToken(key, good({ rev: 4 })), 'rolled_back'],
    ['a'.repeat(300_000), 'too_large'],
  ];
  for (const [t, code] of cases) {
    assert.throws(() => gate.load(t), (e) => e instanceof RolegateError && e.code === code && e.message.length > 0, code);
    assert.equal(gate.can('page.jobs.view'), true, `previous snapshot still answers after ${code}`);
    assert.equal(gate.status().rev, 5);
  }
  // A refused claim is named on the error, with what is wrong with it; other errors name none.
  assert.throws(() => gate.load(signToken(key, good({ rev: -1 }))), (e) => e.claim === 'rev' && typeof e.reason === 'string' && e.reason.length > 0);
  assert.throws(() => gate.load(signToken(key, { ...good(), sub: undefined })), (e) => e.claim === 'sub' && !('reason' in e));
  assert.throws(() => gate.load(flipped), (e) => e.code === 'bad_signature' && !('claim' in e) && !('pointer' in e));
});

test('expiry: the clock is read once per task; a task that starts after expiry (beyond the skew) is denied', async () => {
  let now = 1_800_000_000;
  let reads = 0;
  const gate = new Gate({ keys: jwks(key), audience: 'demo', clockSkewSec: 10, now: () => { reads++; return now; } });
  gate.load(signToken(key, claims({ now, ttl: 100, rg: body })));
  now += 109;
  const before = reads;
  assert.equal(gate.can('page.jobs.view'), true);
  now += 1;
  for (let i = 0; i < 100; i++) assert.equal(gate.can('page.jobs.view'), true, 'this task keeps its reading');
  assert.equal(reads - before, 1, 'one clock read for the whole task');
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(gate.can('page.jobs.view'), false, 'a new task reads the clock again');
  assert.equal(gate.check('page.jobs.view').code, 'expired');
  assert.equal(gate.route('/jobs').code, 'expired');
  assert.equal(gate.status().expired, true);
  // A microtask boundary also counts: a continuation after `await` reads the clock again.
  now -= 1;
  await null;
  assert.equal(gate.can('page.jobs.view'), true);
  gate.clear();
  assert.equal(gate.check('page.jobs.view').code, 'no_snapshot', 'clear takes effect at once');
});

test('bad options are RolegateErrors with code bad_config or bad_jwks', () => {
  const bad = [
    [undefined, 'bad_config'],
    [{ keys: jwks(key) }, 'bad_config'],
    [{ keys: jwks(key), audience: 'demo', clockSkewSec: 'x' }, 'bad_config'],
    [{ keys: jwks(key), audience: 'demo', clockSkewSec: -1 }, 'bad_config'],
    [{ keys: jwks(key), audience: 'demo', now: 5 }, 'bad_config'],
    [{ keys: 7, audience: 'demo' }, 'bad_config'],
    [{ keys: { keys: [] }, audience: 'demo' }, 'bad_jwks'],
    [{ keys: '{', audience: 'demo' }, 'bad_jwks'],
    [{ keys: { keys: [{ ...key.jwk, d: key.jwk.x }] }, audience: 'demo' }, 'bad_jwks'],
  ];
  for (const [options, code] of bad) {
    assert.throws(() => new Gate(options), (e) => e instanceof RolegateError && e.code === code, JSON.stringify(options));
  }
  // The module is not poisoned by the errors above.
  assert.equal(new Gate({ keys: jwks(key), audience: 'demo' }).can('x'), false);
});

test('a signed body whose redirect leaves the site is bad_claim, and the previous snapshot stays', () => {
  const gate = new Gate({ keys: jwks(key), audience: 'demo' });
  gate.load(signToken(key, claims({ rev: 2 })));
  for (const rt of [{ h: '/', d: '//evil.example/phish' }, { h: '/', r: [['/jobs', null, 'https://evil.example']] }, { h: 'x' }]) {
    const token = signToken(key, claims({ rev: 3, rg: { ...grants(['page.*']), rt } }));
    assert.throws(() => gate.load(token), (e) => e instanceof RolegateError && e.code === 'bad_claim', JSON.stringify(rt));
    assert.equal(gate.status().rev, 2);
    assert.equal(gate.can('page.jobs.view'), true);
  }
  gate.load(signToken(key, claims({ rev: 3, rg: { ...grants(['page.*']), rt: { h: '/', d: '/login', r: [['/login']] } } })));
  assert.equal(gate.route('/nowhere').redirect, '/login');
});

test('a redirect into a denied route logs out with redirect_denied, naming that page', () => {
  const gate = new Gate({ keys: jwks(key), audience: 'demo', platform: 'web' });
  const rg = (rt, p) => ({ ...grants(['page.jobs', 'page.*'], ['page.admin']), ...(p && { p }), rt });
  const load = (rev, rt, p) => gate.load(signToken(key, claims({ rev, rg: rg(rt, p) })));
  load(1, { h: '/admin', r: [['/admin', 2], ['/jobs', 0], ['/login']], d: 'home' });
  const loop = gate.route('/nowhere');
  assert.deepEqual([loop.allow, loop.redirect, loop.code, loop.step, loop.rule], [false, 'logout', 'redirect_denied', 'redirect', '/admin']);
  assert.equal(loop.message, 'the page it redirects to is denied too');
  assert.equal(gate.explain({ route: '/admin' }).code, 'redirect_denied');
  assert.equal(gate.route('/jobs').allow, true);
  // The same body with an open home redirects there.
  load(2, { h: '/jobs', r: [['/admin', 2], ['/jobs', 0]] });
  assert.deepEqual([gate.route('/admin').redirect, gate.route('/admin').code, gate.home()], ['home', 'explicit_deny', '/jobs']);
  // Denied by platform, a path target is denied too; platform() answers the same.
  load(3, { h: '/jobs', pd: '/login', r: [['/jobs', 0], ['/login']] }, ['mobile']);
  for (const d of [gate.route('/jobs'), gate.platform()]) {
    assert.deepEqual([d.allow, d.redirect, d.code, d.rule], [false, 'logout', 'redirect_denied', '/login']);
  }
});

test('platform() and keys() of a hand-made body: no platform rules, no catalogue', () => {
  const gate = new Gate({ keys: jwks(key), audience: 'demo' });
  assert.deepEqual([gate.platform().code, gate.keys()], ['no_snapshot', []]);
  gate.load(signToken(key, claims({ rg: grants(['page.jobs', 'page.*', 'doc.read'], ['page.admin']) })));
  assert.deepEqual([gate.platform().allow, gate.platform().rule, gate.platform().redirect], [true, null, null]);
  assert.deepEqual(gate.keys(), ['doc.read', 'page.jobs']);
  gate.load(signToken(key, claims({ rev: 2, rg: { ...grants(['page.*']), off: true } })));
  assert.deepEqual([gate.platform().code, gate.platform().redirect, gate.keys()], ['inactive', 'logout', []]);
});

test('gate.query needs the planner module: not_initialised from the default module (the wasm2js fallback has it)', () => {
  const gate = new Gate({ keys: jwks(key), audience: 'demo' });
  gate.load(signToken(key, claims({ rg: body })));
  if (BACKEND === 'wasm') {
    assert.throws(() => gate.query('job'), (e) => e instanceof RolegateError && e.code === 'not_initialised' && e.message.includes('init({ query: true })'));
  } else {
    assert.deepEqual(gate.query('job'), { v: 1, plan: false }); // the hand-made body names no resource
  }
  assert.equal(gate.can('page.jobs'), true, 'the gate answers as before');
  gate.free();
});
