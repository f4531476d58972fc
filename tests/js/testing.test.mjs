// rolegate/testing through the installed npm package: test kits, ad-hoc grants, snapshot options,
// tampering and expiry, the assertions and their messages, and that nothing a kit signs is trusted
// by a gate that was not given the kit's key. ROLEGATE_ROOT is the repository (for examples/policies).
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'expect';
import { init, Gate, RolegateError } from 'rolegate';
import { init as initIssuer, keygen } from 'rolegate/issuer';
import {
  createTestKit, testClock, tamper, matchers, TestKit,
  assertAllowed, assertDenied, assertRouteAllowed, assertRouteBlocked, assertFieldMasked, assertFieldVisible, assertMenu,
} from 'rolegate/testing';

const ROOT = process.env.ROLEGATE_ROOT ?? resolve(import.meta.dirname, '../..');
const POLICY = join(ROOT, 'examples/policies/neptunecrm.json');
const USERS = join(ROOT, 'examples/policies/neptunecrm.users.json');
const AUDIENCE = 'crm-web';

const kit = await createTestKit({ policy: POLICY, users: USERS, audience: AUDIENCE });
const code = (f) => {
  try {
    f();
  } catch (e) {
    if (e instanceof RolegateError) return e.code;
    throw e;
  }
  return 'no error';
};
/** The message of the AssertionError `f` throws. */
const failure = (f) => {
  try {
    f();
  } catch (e) {
    assert.equal(e.name, 'AssertionError');
    return e.message;
  }
  assert.fail('no assertion failed');
};

test('a kit reads the policy and users from files and signs for a sample user; its gate trusts its key only', () => {
  assert.ok(kit instanceof TestKit);
  assert.deepEqual(kit.jwks.keys.map((k) => k.kid), [kit.kid]);
  assert.match(kit.kid, /^rolegate-test-[a-z0-9]+$/);
  assert.equal(kit.jwks.keys[0].d, undefined, 'the JWKS holds the public key only');
  const gate = kit.gate('coordinator');
  const s = gate.status();
  assert.deepEqual([s.loaded, s.subject, s.tenant, s.rev, s.expired], [true, 'u-coord', 'org-1', 1, false]);
  assert.ok(Math.abs(s.expiresIn - 600) < 5, `${s.expiresIn}`);
  assert.equal(kit.user('coordinator').id, 'u-coord');
  assert.equal(code(() => kit.user('nobody')), 'bad_config');
  assert.equal(code(() => kit.gate('nobody')), 'bad_config');
});

test('the seed products through the assertions: a Coordinator never sees costs, a Consultant does', () => {
  const coordinator = kit.gate('coordinator');
  assertFieldMasked(coordinator, 'proposal', 'cost');
  assertFieldMasked(coordinator, 'proposal', 'margin');
  assertFieldMasked(coordinator, 'product', 'cost');
  assertDenied(coordinator, 'finance.costs.view', { code: 'explicit_deny' });
  assertRouteBlocked(coordinator, '/admin/users', { redirect: 'home', code: 'explicit_deny' });
  assertRouteAllowed(coordinator, '/proposals/7');
  assertAllowed(coordinator, 'data.job.create');
  const consultant = kit.gate('consultant');
  assertFieldVisible(consultant, 'proposal', 'cost');
  assertAllowed(consultant, 'data.customer.view', { organisationId: 'org-1', consultant: { id: 'u-cons' } });
  assertDenied(consultant, 'data.customer.view', { record: { organisationId: 'org-1', consultant: { id: 'someone' } } });
  assertMenu(kit.gate('contractor', { platform: 'mobile' }), ['jobs']);
  assertRouteBlocked(kit.gate('contractor', { platform: 'web' }), '/jobs', { redirect: 'logout', code: 'platform_denied' });
});

test('a failed assertion says what was expected, what happened and the reason code', () => {
  const coordinator = kit.gate('coordinator');
  const m = failure(() => assertFieldVisible(coordinator, 'proposal', 'cost'));
  assert.match(m, /expected `proposal\.cost` to be visible, but it is masked: code `\w+`/);
  assert.match(failure(() => assertFieldMasked(kit.gate('admin'), 'proposal', 'cost')), /but the user sees it: code `granted`/);
  assert.match(failure(() => assertFieldMasked(coordinator, 'proposal', 'colour')), /not a field the policy governs/);
  assert.match(failure(() => assertRouteBlocked(coordinator, '/admin', { redirect: 'logout' })),
    /expected route `\/admin` to be blocked with redirect `logout`, but it is blocked with redirect `home`: code `explicit_deny` \(rule [^)]+\)/);
  assert.match(failure(() => assertRouteAllowed(coordinator, '/admin')), /to be open, but it is blocked \(redirect `home`\): code `explicit_deny`/);
  assert.match(failure(() => assertAllowed(coordinator, 'finance.costs.view')), /to be allowed, but it is denied: code `explicit_deny`/);
  assert.match(failure(() => assertDenied(coordinator, 'page.jobs.view')), /to be denied, but it is allowed: code `granted`/);
  assert.match(failure(() => assertDenied(coordinator, 'page.admin.view', { code: 'no_grant' })), /denied with code `no_grant`, but it is denied: code `explicit_deny`/);
  const menu = failure(() => assertMenu(kit.gate('contractor', { platform: 'mobile' }), ['jobs', 'admin']));
  assert.match(menu, /expected the menu to show exactly `jobs`, `admin`, but it shows `jobs`/);
  assert.match(menu, /missing:\n {2}`admin`: code `\w+`/);
  const extra = failure(() => assertMenu(kit.gate('admin'), ['dashboard']));
  assert.match(extra, /not expected:\n {2}`customers`: code `granted`/);
});

test('matchers have the shape expect.extend takes, with messages for .not', () => {
  const coordinator = kit.gate('coordinator');
  for (const [name, args, pass] of [
    ['toAllow', ['page.jobs.view'], true], ['toAllow', ['finance.costs.view'], false],
    ['toDeny', ['finance.costs.view', { code: 'explicit_deny' }], true], ['toDeny', ['page.jobs.view'], false],
    ['toAllowRoute', ['/jobs'], true], ['toBlockRoute', ['/admin', { redirect: 'home' }], true],
    ['toBlockRoute', ['/jobs'], false], ['toMaskField', ['proposal', 'cost'], true], ['toShowField', ['proposal', 'cost'], false],
    ['toShowField', ['proposal', 'nothing'], false],
  ]) {
    const r = matchers[name](coordinator, ...args);
    assert.equal(r.pass, pass, `${name}(${JSON.stringify(args)})`);
    assert.equal(typeof r.message(), 'string');
    assert.match(r.message(), /code `\w+`|not a field/, `${name}: ${r.message()}`);
  }
  assert.match(matchers.toBlockRoute(coordinator, '/admin').message(), /expected route `\/admin` not to be blocked, but it is/);
});

test('the matchers in Jest\'s own expect (the `expect` package), .not included', () => {
  expect.extend(matchers);
  const coordinator = kit.gate('coordinator');
  expect(coordinator).toMaskField('proposal', 'cost');
  expect(coordinator).not.toShowField('proposal', 'cost');
  expect(coordinator).toBlockRoute('/admin', { redirect: 'home', code: 'explicit_deny' });
  expect(coordinator).not.toAllowRoute('/admin');
  expect(coordinator).toDeny('finance.costs.view', { code: 'explicit_deny' });
  expect(kit.gate('contractor', { platform: 'mobile' })).toShowMenu(['jobs']);
  expect(() => expect(coordinator).toShowField('proposal', 'cost')).toThrow(/to be visible, but it is masked: code `\w+`/);
  expect(() => expect(coordinator).not.toMaskField('proposal', 'cost')).toThrow(/to be visible, but it is masked: code `\w+`/);
  expect(() => expect(coordinator).toAllowRoute('/admin')).toThrow(/blocked \(redirect `home`\): code `explicit_deny`/);
});

test('ad-hoc grants under the policy: a role of exactly those keys, checked against the policy', () => {
  const gate = kit.gate({ grants: ['page.jobs.view', 'data.job.view'], tenant: 'org-1' });
  assertAllowed(gate, 'page.jobs.view');
  assertDenied(gate, 'page.customers.view', { code: 'no_grant' });
  assertRouteAllowed(gate, '/jobs');
  assertRouteBlocked(gate, '/customers', { redirect: 'home', code: 'no_grant' });
  assertMenu(gate, ['jobs']);
  assertFieldMasked(gate, 'proposal', 'cost');
  const denied = kit.gate({ grants: ['page.*'], deny: ['page.admin.*'] });
  assertDenied(denied, 'page.admin.view', { code: 'explicit_deny' });
  // A misspelt key is caught by the policy's lint, with where it is.
  assert.throws(() => kit.token({ grants: ['page.jbos.view'] }), (e) => e.code === 'unknown_key' && /jbos/.test(e.message) && e.pointer.startsWith('/roles/'));
  assert.equal(code(() => kit.token({ grants: ['page.jobs.view'], roles: ['admin'] })), 'bad_config');
  assert.equal(code(() => kit.token({ grants: 'page.jobs.view' })), 'bad_config');
});

test('ad-hoc grants and every sample user under each seed policy (families, levels, ladders)', async () => {
  const { readFileSync } = await import('node:fs');
  for (const product of ['commusoft', 'property', 'reconpro', 'neptunecrm']) {
    const path = join(ROOT, `examples/policies/${product}.json`);
    const policy = JSON.parse(readFileSync(path, 'utf8'));
    const users = JSON.parse(readFileSync(join(ROOT, `examples/policies/${product}.users.json`), 'utf8'));
    const k = await createTestKit({ policy: path, users });
    const [first, second] = policy.keys;
    // Commusoft gives a user record without platforms none (`platform_default: []`): name them.
    const gate = k.gate({ grants: [first], type: policy.families?.[0], platforms: policy.platforms });
    assertAllowed(gate, first);
    assertDenied(gate, second, { code: 'no_grant' });
    for (const name of Object.keys(users)) assert.equal(k.gate(name).status().subject, users[name].id, `${product}/${name}`);
    k.free();
  }
});

test('ad-hoc grants without a policy: keys only', async () => {
  const bare = await createTestKit();
  assert.equal(bare.audience, 'rolegate-test');
  const gate = bare.gate({ grants: ['page.*', 'data.job.view'], deny: ['page.admin.*'], id: 'u-7', tenant: 't-1' });
  assertAllowed(gate, 'page.jobs.view');
  assertAllowed(gate, 'data.job.view');
  assertDenied(gate, 'page.admin.users', { code: 'explicit_deny' });
  assertDenied(gate, 'data.job.edit', { code: 'no_grant' });
  assert.deepEqual([gate.status().subject, gate.status().tenant], ['u-7', 't-1']);
  assert.equal(bare.gate({ grants: [] }).status().subject, 'test-user');
  assert.equal(code(() => bare.token({ grants: ['a'], platforms: ['web'] })), 'bad_config', 'platforms need a policy');
  assert.equal(code(() => bare.token('coordinator')), 'bad_config');
  assert.equal(code(() => bare.token({ id: 'u', roles: ['admin'] })), 'bad_config');
  bare.free();
});

test('snapshot options: expiry, revision, tenant, platforms, issuer', async () => {
  const t0 = 1_900_000_000;
  const gate = kit.gate('consultant', { now: t0, ttl: 120, rev: 9, tenant: 'org-2' });
  assert.deepEqual(
    (({ issuedAt, expiresAt, rev, tenant }) => ({ issuedAt, expiresAt, rev, tenant }))(gate.status()),
    { issuedAt: t0, expiresAt: t0 + 120, rev: 9, tenant: 'org-2' },
  );
  // A record of the old tenant is another organisation's now.
  assertDenied(gate, 'data.customer.view', { record: { organisationId: 'org-1', consultant: { id: 'u-cons' } }, code: 'tenant_mismatch' });
  assert.equal(kit.claims('consultant', { now: t0, expiresAt: t0 + 30 }).exp, t0 + 30);
  assert.equal(code(() => kit.token('consultant', { rev: -1 })), 'bad_config');
  // The user may use the web only; the UI is the mobile app.
  assertRouteBlocked(kit.gate('admin', { platforms: ['web'], platform: 'mobile' }), '/', { redirect: 'logout', code: 'platform_denied' });
  assertRouteAllowed(kit.gate('admin', { platforms: ['web'], platform: 'web' }), '/');
  const withIssuer = await createTestKit({ policy: POLICY, users: USERS, issuer: 'https://auth.test' });
  assert.equal(withIssuer.claims('admin').iss, 'https://auth.test');
  assert.equal(withIssuer.gate('admin').status().loaded, true);
  assert.equal(code(() => withIssuer.gate().load(withIssuer.token('admin', { issuer: 'https://evil.test' }))), 'wrong_issuer');
  assert.equal(code(() => kit.token('admin', { tll: 60 })), 'bad_config', 'a misspelt option is an error');
  assert.equal(code(() => kit.gate('admin', { plattform: 'web' })), 'bad_config');
  await assert.rejects(createTestKit({ polcy: POLICY }), (e) => e.code === 'bad_config');
  await assert.rejects(createTestKit({ policy: join(ROOT, 'missing.json') }), (e) => e.code === 'bad_config' && /missing\.json/.test(e.message));
  await assert.rejects(createTestKit({ policy: '{"product": ' }), (e) => e.code === 'bad_config' && /JSON text/.test(e.message));
  withIssuer.free();
});

test('documents as objects, JSON text, paths and URLs', async () => {
  const { readFileSync } = await import('node:fs');
  const text = readFileSync(POLICY, 'utf8');
  for (const policy of [JSON.parse(text), text, pathToFileURL(POLICY)]) {
    const k = await createTestKit({ policy, users: pathToFileURL(USERS) });
    assertFieldMasked(k.gate('coordinator'), 'proposal', 'cost');
    k.free();
  }
});

test('expiry: an expired snapshot is refused, and a loaded one expires on the kit clock', async () => {
  const clock = testClock(1_800_000_000);
  const timed = await createTestKit({ policy: POLICY, users: USERS, now: clock.now });
  const gate = timed.gate('admin');
  assertAllowed(gate, 'page.jobs.view');
  assert.equal(code(() => gate.load(timed.expiredToken('coordinator'))), 'expired');
  assert.equal(gate.status().subject, 'u-admin', 'the previous snapshot stays in force');
  clock.advance(600 + 61);
  assertDenied(gate, 'page.jobs.view', { code: 'expired' });
  assertRouteBlocked(gate, '/jobs', { code: 'expired' });
  timed.free();
});

test('tampering: every part refused with its code, and the previous snapshot still answers', () => {
  const gate = kit.gate('consultant');
  const token = kit.token('admin');
  assert.notEqual(tamper(token), token);
  assert.equal(tamper(token).length, token.length);
  assert.equal(code(() => gate.load(tamper(token))), 'bad_signature');
  assert.equal(code(() => gate.load(tamper(token, 'payload'))), 'bad_signature');
  assert.notEqual(code(() => gate.load(kit.tamper(token, 'header'))), 'no error');
  assert.equal(gate.status().subject, 'u-cons');
  assert.equal(code(() => tamper('not-a-token')), 'bad_config');
  assert.equal(code(() => tamper(token, 'body')), 'bad_config');
});

test('production never trusts a test key unless it is given one explicitly', async () => {
  await Promise.all([init(), initIssuer()]);
  const production = keygen('prod-2026');
  const prodGate = new Gate({ keys: production.jwks, audience: AUDIENCE });
  // A kit makes a fresh random key: its snapshots fail against the production keys…
  assert.equal(code(() => prodGate.load(kit.token('admin'))), 'unknown_kid');
  // …even under the production key id…
  const sameKid = await createTestKit({ policy: POLICY, users: USERS, audience: AUDIENCE, kid: 'prod-2026' });
  assert.equal(code(() => prodGate.load(sameKid.token('admin'))), 'bad_signature');
  // …and one kit's snapshots fail in another kit's gates.
  const other = await createTestKit({ policy: POLICY, users: USERS, audience: AUDIENCE });
  assert.notDeepEqual(other.jwks, kit.jwks);
  assert.equal(code(() => other.gate().load(kit.token('admin'))), 'unknown_kid');
  assert.equal(prodGate.status().loaded, false);
  // Only a gate given the kit's JWKS trusts it.
  const given = new Gate({ keys: kit.jwks, audience: AUDIENCE });
  assert.equal(given.load(kit.token('admin')).subject, 'u-admin');
  sameKid.free();
  other.free();
});

test('a gate reports expiry through onChange, so a screen re-renders denied', async (t) => {
  const gate = kit.gate('admin', { ttl: 1, clockSkewSec: 0 });
  const seen = [];
  const expired = new Promise((done) => gate.onChange((s) => { seen.push(s); done(); }));
  // The gate's timers do not keep Node alive (an app's event loop does); this test's does.
  const alive = setTimeout(() => {}, 10_000);
  await expired;
  clearTimeout(alive);
  assert.equal(seen.length, 1);
  assert.deepEqual([seen[0].loaded, seen[0].expired], [true, true]);
  assertDenied(gate, 'page.jobs.view', { code: 'expired' });
  gate.free();

  // With the default clock skew and an offline grace, on Node's mocked clock: one change when the
  // snapshot expires (still answering, in grace), one when the grace ends.
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.now() });
  const graced = kit.gate('admin', { ttl: 120, offlineGraceSec: 300, now: () => Date.now() / 1000 });
  const changes = [];
  graced.onChange((s) => changes.push([s.expired, s.inGrace]));
  t.mock.timers.tick(119_000 + 60_000);
  assert.deepEqual(changes, []);
  t.mock.timers.tick(2_000);
  assert.deepEqual(changes, [[true, true]]);
  assertAllowed(graced, 'page.jobs.view');
  t.mock.timers.tick(300_000);
  assert.deepEqual(changes, [[true, true], [true, false]]);
  assertDenied(graced, 'page.jobs.view', { code: 'expired' });
  graced.free();
  mock.timers.reset();
});

test('docs/testing.md: the seed-product examples, as written', async () => {
  const { readFileSync } = await import('node:fs');
  const doc = readFileSync(join(ROOT, 'docs/testing.md'), 'utf8');
  const block = doc.slice(doc.indexOf('// NeptuneCRM: costs, own-only records')).split('```')[0];
  const cwd = process.cwd();
  process.chdir(ROOT); // the example reads the policies by their repository paths
  try {
    const run = new Function('createTestKit', 'assertFieldMasked', 'assertDenied', 'assertRouteAllowed', 'assertRouteBlocked',
      `return (async () => { ${block} })();`);
    await run(createTestKit, assertFieldMasked, assertDenied, assertRouteAllowed, assertRouteBlocked);
  } finally {
    process.chdir(cwd);
  }
  assert.match(block, /assertRouteBlocked\(cs\.gate\('engineer'/);
});
