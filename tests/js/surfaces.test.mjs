// The front-end API through the npm package, with NeptuneCRM and Commusoft snapshots: masks, lists,
// menus, ids, explanations, revocation, offline grace and the lifecycle events.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init, Gate, RolegateError } from 'rolegate';

const fixture = (product) => JSON.parse(readFileSync(new URL(`./fixtures/${product}.json`, import.meta.url), 'utf8'));
const nep = fixture('neptunecrm');
const commusoft = fixture('commusoft');

before(async () => { await init(); });

/** A gate on `platform` holding `user`'s NeptuneCRM snapshot, with a clock we move by hand. */
function gateFor(user, { platform = 'web', fx = nep, ...options } = {}) {
  const clock = { now: fx.now + 1 };
  const gate = new Gate({ keys: fx.jwks, audience: 'app', platform, now: () => clock.now, ...options });
  gate.load(fx.tokens[user]);
  return { gate, clock };
}

const proposal = { id: 'p1', consultantId: 'u-cons', organisationId: 'org-1', total: 1200, cost: 800, costBreakdown: [500, 300], margin: 33 };

test('mask: cost fields hidden with a reason each; the original record is untouched', () => {
  const admin = gateFor('admin').gate.mask('proposal', proposal);
  assert.deepEqual(admin.masked, []);
  assert.equal(admin.value.cost, 800);
  // Coordinators: the policy denies `finance.*`, and the deny step comes before the settings step.
  for (const [user, code, owner] of [['coordinator', 'explicit_deny', 'u-cons'], ['consultant_nocosts', 'setting_off', 'u-cons2']]) {
    const { value, masked } = gateFor(user).gate.mask('proposal', { ...proposal, consultantId: owner });
    assert.deepEqual(masked.map((m) => m.field).sort(), ['cost', 'costBreakdown', 'margin']);
    assert.ok(masked.every((m) => m.allow === false && m.code === code && m.message), JSON.stringify(masked));
    assert.equal(value.total, 1200);
    for (const f of ['cost', 'costBreakdown', 'margin']) assert.ok(!(f in value) || value[f] !== proposal[f], f);
  }
  assert.equal(proposal.cost, 800, 'mask returns a copy');
  // A record the user may not see at all is masked whole.
  const foreign = gateFor('consultant_nocosts').gate.mask('proposal', proposal);
  assert.equal(foreign.masked.length, Object.keys(proposal).length);
});

test('mask: one shallow copy; members kept as they are, an own __proto__ member stays data', () => {
  const { gate } = gateFor('admin');
  const nested = { a: [1, 2.5, -0, null, undefined, 'x', { b: true }] };
  const f = () => 1;
  const record = { ...proposal, nested, big: 2 ** 60, nan: NaN, gone: undefined, f };
  const { value } = gate.mask('proposal', record);
  assert.notEqual(value, record);
  assert.deepEqual(Object.keys(value), Object.keys(record), 'the record\'s own members, in its order');
  assert.equal(value.nested, nested, 'members are copied by reference: one shallow copy per record');
  assert.ok(Object.is(value.nested.a[2], -0) && Number.isNaN(value.nan) && 'gone' in value && value.f === f);
  const cyclic = { ...proposal };
  cyclic.self = cyclic;
  assert.equal(gate.mask('proposal', cyclic).value.self, cyclic);
  // JSON.parse makes `__proto__` an own member; the copy keeps it as data and keeps Object.prototype.
  const parsed = JSON.parse('{"__proto__": {"polluted": true}, "id": "p1", "organisationId": "org-1", "cost": 800}');
  for (const user of ['admin', 'coordinator']) {
    const copy = gateFor(user).gate.mask('proposal', parsed).value;
    assert.equal(Object.getPrototypeOf(copy), Object.prototype, user);
    assert.equal(copy.polluted, undefined, user);
    assert.deepEqual(Object.getOwnPropertyDescriptor(copy, '__proto__').value, { polluted: true }, user);
  }
  // A menu node with an own __proto__ member is copied the same way.
  const [node] = gate.menu([JSON.parse('{"id": "customers", "__proto__": {"polluted": true}}')]);
  assert.equal(Object.getPrototypeOf(node), Object.prototype);
  assert.equal(node.polluted, undefined);
});

test('mask: a record that cannot be read is bad_argument, and nothing unwinds through the gate', () => {
  for (const user of ['admin', 'coordinator']) {
    const { gate } = gateFor(user);
    const hostile = new Proxy({ ...proposal }, { ownKeys() { throw new Error('no keys for you'); } });
    const getter = { ...proposal, get total() { throw new Error('no total for you'); } };
    const revocable = Proxy.revocable({ ...proposal }, {});
    revocable.revoke();
    for (const bad of [hostile, getter, revocable.proxy]) {
      assert.throws(() => gate.mask('proposal', bad), (e) => e instanceof RolegateError && e.code === 'bad_argument', user);
      // The gate is still usable after each refusal.
      assert.equal(gate.mask('proposal', proposal).value.total, 1200);
      assert.equal(gate.can('page.customers.view'), true);
    }
    // can and filter read the same objects without throwing: unreadable fields are absent.
    assert.equal(gate.can('data.customer.view', revocable.proxy), false);
    assert.deepEqual(gate.filter('customer', [revocable.proxy]), []);
    // A getter that asks the gate a question while the gate reads the record is refused, not obeyed.
    const sneaky = { ...proposal, get total() { return gate.mask('proposal', proposal); } };
    assert.throws(() => gate.mask('proposal', sneaky), { code: 'bad_argument' });
  }
});

test('parity: can, check and explain agree on odd records (null, 42, "x", [], {}), all fail closed', () => {
  const { gate } = gateFor('consultant');
  for (const record of [null, 42, 'x', [], {}, true, () => {}]) {
    const via = [
      gate.can('data.customer.view', record),
      gate.check('data.customer.view', record).code,
      gate.explain({ key: 'data.customer.view', record }).code,
    ];
    assert.deepEqual(via, [false, 'tenant_missing', 'tenant_missing'], String(record));
  }
  // Without a record (undefined, or no `record` member) it is a question about the key alone.
  assert.deepEqual([gate.can('data.customer.view'), gate.check('data.customer.view', undefined).code,
    gate.explain({ key: 'data.customer.view' }).code, gate.explain({ key: 'data.customer.view', record: undefined }).code],
  [true, 'granted', 'granted', 'granted']);
});

test('fields: every governed field of a resource with its decision', () => {
  const fields = gateFor('coordinator').gate.fields('proposal');
  assert.deepEqual(fields.map((f) => [f.field, f.allow]).sort(), [['cost', false], ['costBreakdown', false], ['margin', false]]);
  assert.deepEqual(gateFor('consultant').gate.fields('proposal').map((f) => f.allow), [true, true, true]);
  // A resource type the policy does not have is not an empty list (nothing governed, all visible):
  // one entry for every field, denied.
  assert.deepEqual(gateFor('consultant').gate.fields('no-such-resource').map((f) => [f.field, f.allow, f.code]), [['*', false, 'unknown_resource']]);
});

test('filter: own-only data and tenant isolation; the same objects come back, in order', () => {
  const customers = [
    { id: 'c1', organisationId: 'org-1', consultant: { id: 'u-cons' } },
    { id: 'c2', organisationId: 'org-1', consultant: { id: 'u-other' } },
    { id: 'c3', organisationId: 'org-2', consultant: { id: 'u-cons' } },
    { id: 'c4', consultant: { id: 'u-cons' } },
  ];
  const mine = gateFor('consultant').gate.filter('customer', customers);
  assert.deepEqual(mine.map((c) => c.id), ['c1']);
  assert.equal(mine[0], customers[0], 'identity preserved');
  assert.deepEqual(gateFor('admin').gate.filter('customer', customers).map((c) => c.id), ['c1', 'c2']);
  const templates = [
    { id: 't1', organisationId: 'org-1', createdById: 'u-cons', createdBy: 'Carl Consultant', sharedWith: 'onlyMe' },
    { id: 't2', organisationId: 'org-1', createdById: 'u-else', createdBy: 'Someone Else', sharedWith: 'everyone' },
    { id: 't3', organisationId: 'org-1', createdById: 'u-else', createdBy: 'Someone Else', sharedWith: 'onlyMe' },
    // Same display name, another user: ownership is by id.
    { id: 't4', organisationId: 'org-1', createdById: 'u-cons-2', createdBy: 'Carl Consultant', sharedWith: 'onlyMe' },
  ];
  assert.deepEqual(gateFor('consultant').gate.filter('template', templates).map((t) => t.id), ['t1', 't2']);
});

test('can / check with records: own, other, other tenant; explain names the step', () => {
  const { gate } = gateFor('consultant');
  assert.equal(gate.can('data.customer.view', { organisationId: 'org-1', consultant: { id: 'u-cons' } }), true);
  const other = gate.check('data.customer.view', { organisationId: 'org-1', consultant: { id: 'u-x' } });
  assert.deepEqual([other.allow, other.code, other.step], [false, 'out_of_scope', 'scope']);
  const foreign = gate.explain({ key: 'data.customer.view', record: { organisationId: 'org-2', consultant: { id: 'u-cons' } } });
  assert.deepEqual([foreign.code, foreign.step], ['tenant_mismatch', 'tenant']);
});

test('routes: blocked routes go home; a Contractor on the web is logged out; params match', () => {
  const consultant = gateFor('consultant').gate;
  assert.deepEqual([consultant.route('/customers/42').allow, consultant.route('/customers/42').redirect], [true, null]);
  const blocked = consultant.route('/admin/users');
  assert.deepEqual([blocked.allow, blocked.redirect, blocked.code], [false, 'home', 'explicit_deny']);
  assert.equal(consultant.home(), '/');
  const contractor = gateFor('contractor').gate.route('/jobs');
  assert.deepEqual([contractor.allow, contractor.redirect, contractor.code], [false, 'logout', 'platform_denied']);
  assert.equal(gateFor('contractor', { platform: 'mobile' }).gate.route('/jobs').allow, true);
});

test('home and redirects: a Contractor on mobile goes home to /jobs, never into a closed route', () => {
  const { gate } = gateFor('contractor', { platform: 'mobile' });
  assert.equal(gate.home(), '/jobs');
  for (const path of ['/', '/admin/users', '/customers']) {
    const r = gate.route(path);
    assert.deepEqual([r.allow, r.redirect, r.code], [false, 'home', 'no_grant'], path);
  }
  assert.equal(gate.route(gate.home()).allow, true);
  assert.equal(gateFor('admin').gate.home(), '/');
});

test('platform(): may the session start here at all, shaped like a route answer', () => {
  const shape = (d) => [d.allow, d.code, d.step, d.rule, d.redirect];
  assert.deepEqual(shape(gateFor('contractor').gate.platform()), [false, 'platform_denied', 'platform', null, 'logout']);
  assert.deepEqual(shape(gateFor('contractor', { platform: 'mobile' }).gate.platform()), [true, 'granted', 'grant', 'mobile', null]);
  assert.deepEqual(shape(gateFor('inactive_admin').gate.platform()), [false, 'inactive', 'active', null, 'logout']);
  assert.equal(gateFor('admin').gate.platform().message, 'a grant of the user\'s roles covers this');
  // A gate that does not say its platform admits a user who has one; Commusoft's suspended user has none.
  const anywhere = new Gate({ keys: nep.jwks, audience: 'app', now: () => nep.now + 1 });
  anywhere.load(nep.tokens.contractor);
  assert.deepEqual(shape(anywhere.platform()), [true, 'granted', 'grant', null, null]);
  assert.deepEqual(shape(gateFor('suspended', { fx: commusoft }).gate.platform()), [false, 'platform_denied', 'platform', null, 'logout']);
  // Expired, cleared: the envelope's reason (a fresh gate: the clock is read once per task).
  const { gate, clock } = gateFor('admin');
  clock.now = nep.now + 600 + 61;
  assert.deepEqual(shape(gate.platform()), [false, 'expired', 'envelope', null, 'logout']);
  gate.clear();
  assert.deepEqual(shape(gate.platform()), [false, 'no_snapshot', 'envelope', null, 'logout']);
  const log = [];
  const other = gateFor('admin').gate;
  other.onDecision((e) => log.push([JSON.stringify(e.question), e.code]));
  other.platform();
  assert.deepEqual(log, [['{"platform":true}', 'granted']]);
});

test('keys(): the catalogue keys the snapshot grants, scoped ones included; none when nothing valid is loaded', () => {
  const { gate } = gateFor('consultant');
  const keys = gate.keys();
  assert.deepEqual(keys, [...keys].sort());
  assert.ok(keys.includes('page.customers.view') && keys.includes('data.customer.edit'), keys.join());
  assert.ok(!keys.includes('page.admin.view') && !keys.some((k) => k.endsWith('*')), keys.join());
  for (const k of keys) assert.equal(gate.can(k), true, k);
  assert.notEqual(gate.keys(), keys, 'a fresh array each time');
  assert.deepEqual(gateFor('contractor').gate.keys(), [], 'wrong platform');
  assert.deepEqual(gateFor('contractor', { platform: 'mobile' }).gate.keys(),
    ['data.customer.view', 'data.job.update', 'data.job.view', 'page.jobs.view']);
  assert.deepEqual(gateFor('inactive_admin').gate.keys(), []);
  const expired = gateFor('consultant');
  expired.clock.now = nep.now + 600 + 61;
  assert.deepEqual(expired.gate.keys(), [], 'expired');
  gate.clear();
  assert.deepEqual(gate.keys(), []);
});

test('menu: the policy menu and an app tree, filtered in one call; extra properties kept', () => {
  const coordinator = gateFor('coordinator').gate;
  const ids = coordinator.menu().map((n) => n.id);
  assert.ok(ids.includes('enquiries') && !ids.includes('admin') && !ids.includes('inventory'), ids.join());
  const tree = [
    { id: 'customers', label: 'Customers', icon: 'people' },
    { id: 'inventory', label: 'Inventory', children: [{ id: 'inventory.products', label: 'Products' }] },
    { id: 'admin', label: 'Admin', children: [{ id: 'admin.users', label: 'Users' }] },
    { id: 'made-up', label: 'Unknown' },
  ];
  assert.deepEqual(coordinator.menu(tree), [{ id: 'customers', label: 'Customers', icon: 'people' }]);
  const consultant = gateFor('consultant').gate.menu(tree);
  assert.deepEqual(consultant.map((n) => n.id), ['customers', 'inventory']);
  assert.deepEqual(consultant[1].children, [{ id: 'inventory.products', label: 'Products' }]);
  assert.notEqual(consultant[0], tree[0], 'copies, not the app objects');
  assert.throws(() => coordinator.menu([{ label: 'no id' }]), (e) => e instanceof RolegateError && e.code === 'bad_argument');
});

test('canMany, id and canId agree with can, and ids survive a reload', () => {
  const { gate } = gateFor('consultant');
  const keys = ['page.customers.view', 'page.admin.view', 'finance.costs.view', 'nope'];
  const one = keys.map((k) => gate.can(k));
  assert.deepEqual(gate.canMany(keys), one);
  const ids = keys.map((k) => gate.id(k));
  assert.equal(gate.id(keys[0]), ids[0]);
  assert.deepEqual(ids.map((i) => gate.canId(i)), one);
  gate.load(nep.tokens.coordinator);
  assert.deepEqual(ids.map((i) => gate.canId(i)), keys.map((k) => gate.can(k)));
  assert.equal(gate.canId(999999), false);
  assert.equal(gate.can(undefined), false);
  assert.equal(gate.can(42), false);
});

test('settings and platform: Commusoft users on web and mobile', () => {
  assert.equal(gateFor('coordinator').gate.setting('canViewCosts'), false);
  const engineerWeb = gateFor('engineer', { fx: commusoft, platform: 'web' }).gate;
  assert.equal(engineerWeb.check('job.view').code, 'platform_denied');
  const engineerMobile = gateFor('engineer', { fx: commusoft, platform: 'mobile' }).gate;
  assert.equal(engineerMobile.can('job.view', { companyId: 'co-1', engineerId: 'e1' }), true);
});

test('onChange fires on load, clear and revocation; unsubscribe works; listener errors do not break load', () => {
  const { gate } = gateFor('admin');
  const seen = [];
  const off = gate.onChange((s) => seen.push([s.loaded, s.subject]));
  const offBroken = gate.onChange(() => { throw new Error('a broken listener'); });
  // A throwing listener is reported asynchronously (re-thrown from a microtask), not into load().
  const original = globalThis.queueMicrotask;
  const reported = [];
  globalThis.queueMicrotask = (fn) => { try { fn(); } catch (e) { reported.push(e.message); } };
  try {
    gate.load(nep.tokens.consultant);
  } finally {
    globalThis.queueMicrotask = original;
  }
  assert.deepEqual(reported, ['a broken listener']);
  offBroken();
  gate.clear();
  gate.load(nep.tokens.consultant);
  assert.equal(gate.revoke({ subject: 'u-other', rev: 5 }), false);
  assert.equal(gate.revoke({ subject: 'u-cons', rev: 2 }), true);
  off();
  gate.load(nep.tokens.admin);
  assert.deepEqual(seen, [[true, 'u-cons'], [false, null], [true, 'u-cons'], [false, null]]);
  assert.throws(() => gate.load(nep.tokens.consultant), { code: 'revoked' });
  assert.throws(() => gate.revoke({ rev: 1 }), { code: 'bad_argument' });
  assert.throws(() => gate.onChange('nope'), { code: 'bad_argument' });
});

test('onRefresh fires refreshAheadSec before expiry', async () => {
  // The snapshot expires 0.2 s after this clock's reading; with no lead time the event fires then.
  const gate = new Gate({ keys: nep.jwks, audience: 'app', platform: 'web', refreshAheadSec: 0, now: () => nep.now + 599.8 });
  const keepAlive = setTimeout(() => {}, 10_000); // the gate's timer does not hold Node open by itself
  const started = Date.now();
  const status = await new Promise((resolve) => { gate.onRefresh(resolve); gate.load(nep.tokens.admin); });
  clearTimeout(keepAlive);
  assert.equal(status.subject, 'u-admin');
  assert.ok(Date.now() - started >= 150, 'not before its time');
  assert.throws(() => new Gate({ keys: nep.jwks, audience: 'app', refreshAheadSec: -1 }), { code: 'bad_config' });
});

test('expiry denies everything unless an offline grace period is configured', () => {
  const strict = gateFor('admin');
  const lenient = gateFor('admin', { offlineGraceSec: 3600 });
  for (const g of [strict, lenient]) g.clock.now = nep.now + 600 + 61;
  assert.equal(strict.gate.can('page.customers.view'), false);
  assert.equal(strict.gate.check('page.customers.view').code, 'expired');
  assert.equal(lenient.gate.can('page.customers.view'), true);
  assert.deepEqual([lenient.gate.status().expired, lenient.gate.status().inGrace], [true, true]);
});

test('onDecision sees every check with its code (audit)', () => {
  const { gate } = gateFor('consultant');
  const log = [];
  const off = gate.onDecision((e) => log.push([JSON.stringify(e.question), e.allow, e.code]));
  gate.can('page.admin.view');
  gate.route('/admin/users');
  gate.explain({ menu: 'admin' });
  off();
  gate.can('page.admin.view');
  assert.deepEqual(log, [
    ['{"key":"page.admin.view"}', false, 'explicit_deny'],
    ['{"route":"/admin/users"}', false, 'explicit_deny'],
    ['{"menu":"admin"}', false, 'explicit_deny'],
  ]);
});

test('options are checked: unknown names and wrong types are bad_config', () => {
  for (const options of [{ keys: nep.jwks, audience: 'app', audiance: 'x' }, { keys: nep.jwks, audience: 'app', platform: 7 },
    { keys: nep.jwks, audience: 'app', offlineGraceSec: -1 }]) {
    assert.throws(() => new Gate(options), (e) => e instanceof RolegateError && e.code === 'bad_config', JSON.stringify(options));
  }
  // A question of the wrong shape is a call made the wrong way, not an option.
  assert.throws(() => gateFor('admin').gate.explain({ nonsense: 1 }), { code: 'bad_argument' });
});

test('status reports the backend', () => {
  assert.equal(gateFor('admin').gate.status().backend, typeof WebAssembly === 'object' ? 'wasm' : 'wasm2js');
});
