// rolegate/issuer through the installed npm package: compile and sign in Node with the same Rust code
// as the CLI, then load the token into the browser Gate (from `rolegate`) and check its decisions;
// lint with pointers; keys made in Node round-trip through node:crypto and the Gate.
// ROLEGATE_ROOT is the repository (for examples/policies); scripts/test.sh sets it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as issuer from 'rolegate/issuer';
import { Compiler, SigningKey, jwks, keygen, lint, RolegateError, toSql, toPrisma, toMongo } from 'rolegate/issuer';
import { init, Gate } from 'rolegate';
import { fromPrivateJwk, signToken, claims as nodeClaims } from './node-signer.mjs';

const ROOT = process.env.ROLEGATE_ROOT ?? resolve(import.meta.dirname, '../..');
const read = (f) => JSON.parse(readFileSync(join(ROOT, f), 'utf8'));
const neptune = read('examples/policies/neptunecrm.json');
const users = read('examples/policies/neptunecrm.users.json');
const NOW = 1_800_000_000;

const gateFor = (...keys) => new Gate({ keys: jwks(...keys), audience: 'crm', now: () => NOW + 5 });

test('nothing works before init(), with a clear error', () => {
  assert.equal(issuer.ready(), false);
  for (const f of [() => new Compiler(neptune), () => SigningKey.generate('k'), () => lint(neptune), () => keygen('k')]) {
    assert.throws(f, (e) => e instanceof RolegateError && e.code === 'not_initialised');
  }
});

test('init() loads the issuer wasm next to the package, and the browser build separately', async () => {
  const a = issuer.init();
  assert.equal(a, issuer.init(), 'the same promise');
  await a;
  assert.equal(issuer.ready(), true);
  await init();
});

test('a user compiled and signed in Node loads into the browser Gate, which decides', () => {
  const key = SigningKey.generate('node-1');
  const compiler = new Compiler(neptune);
  assert.equal(compiler.product, 'neptunecrm');
  const admin = compiler.issue(users.admin, key, { audience: 'crm', now: NOW, rev: 7, issuer: 'https://auth.test', jti: 'j1' });
  const gate = new Gate({ keys: jwks(key), audience: 'crm', issuer: 'https://auth.test', now: () => NOW + 5 });
  const status = gate.load(admin);
  assert.deepEqual([status.subject, status.tenant, status.rev, status.expiresAt], ['u-admin', 'org-1', 7, NOW + 600]);
  assert.equal(gate.can('page.admin.view'), true);
  // The consultant, from a JSON text record this time.
  gate.load(compiler.issue(JSON.stringify(users.consultant), key, { audience: 'crm', now: NOW, rev: 1, issuer: 'https://auth.test' }));
  assert.equal(gate.status().subject, 'u-cons');
  assert.equal(gate.can('data.proposal.view'), true);
  const { allow, code, rule } = gate.check('page.admin.view');
  assert.deepEqual({ allow, code, rule }, { allow: false, code: 'explicit_deny', rule: 'page.admin.*' });
  // The body and the claims are plain objects; claims signed later are the same snapshot.
  const claims = compiler.claims(users.contractor, { audience: 'crm', now: NOW, ttl: 60 });
  assert.deepEqual([claims.sub, claims.aud, claims.tid, claims.iat, claims.exp, claims.rev], ['u-contr', 'crm', 'org-1', NOW, NOW + 60, 0]);
  assert.deepEqual(claims.rg, compiler.body(users.contractor));
  const other = gateFor(key);
  other.load(key.sign(claims));
  assert.equal(other.status().subject, 'u-contr');
  compiler.free();
  key.free();
});

test('invalid users, policies and options throw RolegateErrors with codes and pointers', () => {
  const compiler = new Compiler(neptune);
  const key = SigningKey.generate('k');
  const cases = [
    [() => compiler.body({ id: 'x', roles: ['consultnt'] }), 'unknown_role', '/roles/0', /did you mean `consultant`/],
    [() => compiler.body({ id: 'x', rolez: [] }), 'bad_user', '/rolez', /not valid: unknown member `rolez`; did you mean `roles`\?/],
    [() => new Compiler({ product: 'x', keys: ['a'], roles: { r: { allow: ['b'] } } }), 'unknown_key', '/roles/r/allow/0', /unknown key `b`/],
    [() => new Compiler('{'), 'bad_policy', '', /not a valid policy/],
    [() => new Compiler({ product: 'x', keys: ['a'], roles: {} }, { mine: { allow: ['a'] } }), 'bad_policy', '/roles/mine', /custom roles/],
  ];
  for (const [f, code, pointer, message] of cases) {
    assert.throws(f, (e) => e instanceof RolegateError && e.code === code && e.pointer === pointer && message.test(e.message), code);
  }
  const options = { audience: 'crm', now: NOW };
  for (const [over, code] of [[{ ttl: 0 }, 'bad_config'], [{ ttl: NaN }, 'bad_config'], [{ rev: 1.5 }, 'bad_config'],
    [{ rev: -1 }, 'bad_config'], [{ audience: undefined }, 'bad_config'], [{ issuer: '' }, 'bad_claim']]) {
    assert.throws(() => compiler.issue(users.admin, key, { ...options, ...over }), (e) => e instanceof RolegateError && e.code === code, JSON.stringify(over));
  }
  assert.throws(() => key.sign({ sub: '', aud: 'a', exp: NOW, rev: 0, rg: {} }), { code: 'bad_claim' });
  assert.throws(() => key.sign({ sub: 'a', aud: 'a', exp: NOW, rev: 0 }), { code: 'missing_claim' });
  assert.throws(() => key.sign('[]'), { code: 'malformed' });
  assert.throws(() => compiler.may(users.admin, 'steal', 'admin'), { code: 'bad_argument' });
});

test('custom roles compile when the policy allows them', () => {
  const policy = { product: 'x', keys: ['page.a', 'page.b'], custom_roles: true, roles: { base: { allow: ['page.a'] } } };
  const compiler = new Compiler(policy, { reviewer: { inherits: ['base'], allow: ['page.b'] } });
  const key = SigningKey.generate('k');
  const gate = gateFor(key);
  gate.load(compiler.issue({ id: 'u', roles: ['reviewer'] }, key, { audience: 'crm', now: NOW }));
  assert.deepEqual([gate.can('page.a'), gate.can('page.b')], [true, true]);
});

test('lint lists every problem with its JSON pointer', () => {
  assert.deepEqual(lint(neptune), []);
  assert.deepEqual(lint(JSON.stringify(neptune)), []);
  const problems = lint({
    product: 'x', keys: ['page.jobs.view'], custom_roles: true,
    roles: { a: { allow: ['page.job.view'], inherits: ['b'] }, b: { inherits: ['a'] } },
  }, { a: {}, mine: { deny: ['nope'] } });
  const found = problems.map((p) => `${p.code} ${p.pointer}`);
  for (const want of ['bad_policy /roles/a', 'unknown_key /roles/a/allow/0', 'unknown_key /roles/mine/deny/0']) {
    assert.ok(found.includes(want), `${want} in ${found}`);
  }
  assert.ok(found.some((f) => f.startsWith('inheritance_cycle ')), String(found));
  assert.match(problems.find((p) => p.pointer === '/roles/a/allow/0').message, /did you mean `page.jobs.view`\?/);
  assert.deepEqual(lint('{').map((p) => [p.code, p.pointer]), [['bad_policy', '']]);
  // An unknown member is located by its pointer, with the member it was probably meant to be.
  const typo = lint({ product: 'x', keys: ['a'], roles: { r: { allow: ['a'], inherit: [] } } });
  assert.deepEqual(typo.map((p) => [p.code, p.pointer]), [['bad_policy', '/roles/r/inherit']]);
  assert.match(typo[0].message, /unknown member `inherit`; did you mean `inherits`\?$/);
  const custom = lint({ product: 'x', keys: ['a'], custom_roles: true, roles: {} }, { mine: { alow: ['a'] } });
  assert.deepEqual(custom.map((p) => [p.code, p.pointer]), [['bad_policy', '/roles/mine/alow']]);
  assert.match(custom[0].message, /did you mean `allow`\?$/);
});

test('keygen round trip: Node crypto signs with the private JWK, the Gate verifies with the JWKS', () => {
  const made = keygen('2026-11');
  assert.equal(made.kid, '2026-11');
  assert.deepEqual(Object.keys(made.privateJwk).sort(), ['alg', 'crv', 'd', 'kid', 'kty', 'use', 'x']);
  assert.equal(made.jwks.keys.length, 1);
  assert.equal(made.jwks.keys[0].d, undefined, 'the JWKS holds no private material');
  assert.equal(made.jwks.keys[0].x, made.privateJwk.x);
  const gate = new Gate({ keys: made.jwks, audience: 'demo', now: () => NOW });
  gate.load(signToken(fromPrivateJwk(made.privateJwk), nodeClaims({ now: NOW, rev: 1 })));
  assert.equal(gate.status().loaded, true);
  // And back: the private JWK read into rolegate signs what the same JWKS verifies.
  const key = SigningKey.fromJwk(made.privateJwk);
  assert.deepEqual(key.publicJwk(), made.jwks.keys[0]);
  gate.load(key.sign(nodeClaims({ now: NOW, rev: 2 })));
  assert.equal(gate.status().rev, 2);
  assert.notEqual(keygen('2026-11').privateJwk.d, made.privateJwk.d, 'fresh randomness each time');
});

test('fromSeed is deterministic and checked', () => {
  const seed = new Uint8Array(32).fill(7);
  const a = SigningKey.fromSeed('k', seed);
  assert.deepEqual(a.privateJwk(), SigningKey.fromSeed('k', seed).privateJwk());
  assert.equal(a.privateJwk().d, Buffer.from(seed).toString('base64url'));
  assert.throws(() => SigningKey.fromSeed('k', new Uint8Array(31)), { code: 'bad_argument', message: 'bad argument: a key seed must be 32 bytes' });
  assert.throws(() => SigningKey.fromSeed('', seed), { code: 'bad_argument', message: 'bad argument: a key id must be 1 to 256 bytes' });
  assert.throws(() => SigningKey.fromSeed('k', [1, 2]), { code: 'bad_argument' });
  assert.throws(() => SigningKey.fromJwk({ kty: 'OKP', crv: 'Ed25519', kid: 'k' }), { code: 'bad_jwks' });
  assert.throws(() => new SigningKey({}), TypeError);
});

test('key rotation: a JWKS with both keys accepts both; without the old key its tokens are refused', () => {
  const compiler = new Compiler(neptune);
  const [old, next] = [SigningKey.generate('old'), SigningKey.generate('new')];
  const both = gateFor(old, next);
  both.load(compiler.issue(users.admin, old, { audience: 'crm', now: NOW, rev: 1 }));
  both.load(compiler.issue(users.admin, next, { audience: 'crm', now: NOW, rev: 2 }));
  assert.equal(both.status().rev, 2);
  assert.throws(() => gateFor(next).load(compiler.issue(users.admin, old, { audience: 'crm', now: NOW })), { code: 'unknown_kid' });
});

test('setting(): the effective value of a setting for any user record, as the snapshot carries it', () => {
  const compiler = new Compiler(neptune);
  // NeptuneCRM's consultant dropdown lists the users whose canAssignCustomers is on (default on).
  const listed = Object.entries(users).filter(([, u]) => u.active !== false && compiler.setting(u, 'canAssignCustomers') === true);
  assert.ok(listed.length >= 3, 'most users default to on');
  assert.equal(compiler.setting(users.coordinator, 'canViewCosts'), false, 'forced off for Coordinators');
  assert.equal(compiler.setting({ ...users.coordinator, settings: { canViewCosts: true } }, 'canViewCosts'), false, 'whatever the record says');
  assert.equal(compiler.setting(users.consultant, 'commission'), 5);
  assert.equal(compiler.setting(users.contractor, 'commission'), null, 'not applicable to Contractors');
  assert.throws(() => compiler.setting(users.consultant, 'canViewCost'), { code: 'unknown_name', message: /did you mean `canViewCosts`/ });
  assert.throws(() => compiler.setting({ id: 'x', roles: ['nobody'] }, 'canViewCosts'), { code: 'unknown_role' });
  assert.throws(() => compiler.setting(users.consultant, 42), { code: 'bad_argument' });
});

test('assignment checks: may() and bodyAssignedBy()', () => {
  const property = new Compiler(read('examples/policies/property.json'));
  const pusers = read('examples/policies/property.users.json');
  const [someone] = Object.values(pusers);
  const d = property.may(someone, 'assign', 'no_such_role');
  assert.deepEqual([d.allow, d.code, typeof d.step, typeof d.message], [false, 'unknown_role', 'string', 'string']);
  assert.deepEqual(property.bodyAssignedBy(someone, someone), property.body(someone));
  // "You cannot grant a role with more access than you have": a Director (level 20, 'Role and
  // permission management') may create a custom level-35 role with their own keys, not one with
  // SysOps keys, nor one above their level; Finance may not create roles at all. (A custom role is
  // linted with the policy: without the dashboard, it needs a home it may open.)
  const { finance, director } = pusers;
  const mine = property.may(director, 'create', { clerk: { name: 'Clerk', level: 35, home: '/reports/gdpr', allow: ['page.gdpr.view'] } });
  assert.deepEqual([mine.allow, mine.code, mine.rule], [true, 'assignable', 'clerk']);
  const sysops = property.may(director, 'create', JSON.stringify({ ops: { name: 'Ops', level: 35, home: '/profile', allow: ['api.sysops.*'] } }));
  assert.deepEqual([sysops.allow, sysops.code, sysops.step], [false, 'exceeds_own_access', 'assignment']);
  assert.match(sysops.rule, /^api\.sysops\./, 'it names the first key beyond their own');
  assert.equal(property.may(director, 'create', { boss: { name: 'Boss', level: 15, home: '/profile' } }).code, 'above_level');
  const clerk = property.may(finance, 'create', { clerk: { name: 'Clerk', level: 35, home: '/profile' } });
  assert.deepEqual([clerk.allow, clerk.code, clerk.step, clerk.rule], [false, 'not_authorised', 'administration', 'api.roles.manage']);
  assert.throws(() => property.may(director, 'create', { lost: { name: 'Lost', level: 35 } }),
    { code: 'redirect_loop', pointer: '/roles/lost' });
  assert.throws(() => property.may(director, 'create', { typo: { name: 'T', level: 35, allow: ['page.gdpr.veiw'] } }),
    { code: 'unknown_key', pointer: '/roles/typo/allow/0' });
  assert.throws(() => property.may(director, 'create', { a: { level: 35 }, b: { level: 35 } }), { code: 'bad_argument' });
  assert.throws(() => property.may(director, 'create', { director: { level: 35 } }), { code: 'bad_policy' });
  // Assigning follows the same rules, and bodyAssignedBy refuses with the code.
  assert.equal(property.may(pusers.maintenance_coordinator, 'assign', 'minimal_access').code, 'assignable');
  assert.equal(property.may(pusers.minimal_access, 'assign', 'minimal_access').code, 'not_authorised');
  assert.throws(() => property.bodyAssignedBy(pusers.sysops, finance), { code: 'above_level' });
  assert.throws(() => property.bodyAssignedBy(pusers.minimal_access, pusers.minimal_access), { code: 'not_authorised' });
  // Editing with the role's new definition: adding a key the Director lacks is refused.
  const draft = { name: 'Finance', level: 30, locked: true, inherits: ['maintenance_coordinator'], allow: ['api.sysops.web_push.test'] };
  const edit = property.may(director, 'edit', 'finance', draft);
  assert.deepEqual([edit.allow, edit.code, edit.rule], [false, 'exceeds_own_access', 'api.sysops.web_push.test']);
  assert.equal(property.may(director, 'edit', 'finance', { ...draft, allow: [] }).code, 'assignable');
  assert.throws(() => property.may(director, 'edit', 'finance', { ...draft, allow: [7] }), { code: 'bad_policy', pointer: /^\/roles\/finance\/allow/ });
  assert.throws(() => property.may(director, 'delete', 'finance', draft), { code: 'bad_argument' });
});

test('administration: assigning to a user, and setting changes (NeptuneCRM, ReconPro)', () => {
  const compiler = new Compiler(neptune);
  const { admin, consultant, coordinator, contractor, inactive_admin: inactive } = users;
  const set = (actor, target, name, value) => compiler.may(actor, 'set', target, name, value);
  assert.deepEqual(set(admin, consultant, 'canViewCosts', false), {
    allow: true, code: 'settable', step: 'setting', rule: 'canViewCosts', message: 'the user may change the setting to this value',
  });
  // "automatically disabled for the Coordinator role and cannot be enabled"
  assert.deepEqual([set(admin, coordinator, 'canViewCosts', true).code, set(admin, coordinator, 'canViewCosts', true).rule], ['setting_forced', 'coordinator']);
  assert.equal(set(admin, contractor, 'commission', 5).code, 'setting_not_applicable');
  assert.equal(set(admin, consultant, 'commission', '5').code, 'wrong_type', "'5' is a string, never the number 5");
  assert.deepEqual([set(consultant, consultant, 'color', '#fff').code, set(consultant, consultant, 'color', '#fff').rule], ['not_authorised', 'admin.users.manage']);
  assert.equal(set(inactive, consultant, 'color', '#fff').code, 'inactive');
  assert.equal(set(admin, { ...consultant, tenant: 'org-2' }, 'color', '#fff').code, 'tenant_mismatch');
  assert.throws(() => set(admin, consultant, 'colour', '#fff'), { code: 'unknown_name', message: /did you mean `color`/ });
  assert.throws(() => set(admin, consultant, 'color', undefined), { code: 'bad_argument' });
  assert.throws(() => set(admin, consultant, 7, '#fff'), { code: 'bad_argument' });
  assert.throws(() => set(admin, { id: 'x', roles: ['nobody'] }, 'color', '#fff'), { code: 'unknown_role' });
  assert.equal(compiler.may(admin, 'assign', 'consultant', contractor).code, 'assignable');
  assert.equal(compiler.may(admin, 'edit', 'consultant').code, 'no_authority');
  assert.throws(() => compiler.may(admin, 'promote', 'consultant'), { code: 'bad_argument' });
  assert.throws(() => compiler.body({ id: 'nobody', roles: [], tenant: 'org-1' }), { code: 'no_role', pointer: '/roles' });

  const reconpro = new Compiler(read('examples/policies/reconpro.json'));
  const rusers = read('examples/policies/reconpro.users.json');
  const staff = (team) => ({ id: `n-${team}`, type: 'staff', roles: [], tenant: 'acc-1', teams: [team] });
  // "Team Administrators have access to settings ... limited by their team scope."
  assert.equal(reconpro.may(rusers.team_administrator, 'assign', 'team_work_manager', staff('t1')).code, 'assignable');
  assert.equal(reconpro.may(rusers.team_administrator, 'assign', 'team_work_manager', staff('t2')).code, 'not_authorised');
  assert.equal(reconpro.may(rusers.administrator, 'assign', 'client', rusers.accountant).code, 'wrong_family');
  assert.equal(reconpro.may(rusers.administrator, 'assign', 'team_administrator', rusers.accountant).code, 'exclusive_roles');
  assert.equal(reconpro.may(rusers.administrator, 'assign', 'technician', staff('t1')).code, 'missing_feature');
});

test("users listed by a setting or a role: NeptuneCRM's consultant dropdown", () => {
  const compiler = new Compiler(neptune);
  const all = Object.values(users);
  const off = { id: 'u-off', roles: ['consultant'], tenant: 'org-1', settings: { canAssignCustomers: false } };
  const dropdown = compiler.list([...all, off], { setting: 'canAssignCustomers' });
  // On by default but for Contractors (a role default); the inactive admin is in no list; `u-off` turned it off.
  assert.deepEqual(dropdown.map((u) => u.id), ['u-admin', 'u-cons', 'u-cons2', 'u-coord']);
  assert.equal(dropdown[0], users.admin, 'the same records, not copies');
  assert.deepEqual(compiler.list([...all, off], { setting: 'canAssignCustomers', value: false }).map((u) => u.id), ['u-contr', 'u-off']);
  assert.deepEqual(compiler.list(all, { role: 'consultant' }).map((u) => u.id), ['u-cons', 'u-cons2']);
  assert.deepEqual(compiler.list(all, { setting: 'commission', value: 5 }).map((u) => u.id), ['u-cons'], 'a Contractor has no commission at all');
  assert.deepEqual(compiler.list([], { role: 'admin' }), []);
  assert.throws(() => compiler.list(all, { setting: 'canAssignCustomer' }), { code: 'unknown_name', message: /did you mean `canAssignCustomers`/ });
  assert.throws(() => compiler.list(all, { role: 'consultnt' }), { code: 'unknown_role' });
  assert.throws(() => compiler.list([users.admin, { id: 'x', roles: ['nobody'] }], { role: 'admin' }), { code: 'unknown_role', pointer: '/1/roles/0' });
  assert.throws(() => compiler.list([users.admin, { roles: [] }], { role: 'admin' }), { code: 'bad_user', pointer: /^\/1/ });
  assert.throws(() => compiler.list(all, { role: 'admin', setting: 'color' }), { code: 'bad_argument' });
  assert.throws(() => compiler.list(all, {}), { code: 'bad_argument' });
  assert.throws(() => compiler.list(users, { role: 'admin' }), { code: 'bad_argument' }, 'an object is not a list');
});

test('hostile callers of the issuer: every method answers or throws a RolegateError, and keeps working', async () => {
  await issuer.init();
  await init();
  const { hostileValues } = await import('./hostile-runner.mjs');
  const values = Object.entries(hostileValues(() => null)).filter(([name]) => !/re-enters/.test(name));
  const compiler = new Compiler(neptune);
  const key = SigningKey.fromSeed('k1', new Uint8Array(32).fill(7));
  const options = { audience: 'crm', now: NOW };
  let calls = 0;
  for (const [family, make] of values) {
    for (let round = 0; round < 30; round++) {
      const v = make();
      for (const call of [() => new Compiler(v), () => new Compiler(neptune, v), () => compiler.body(v), () => compiler.bodyAssignedBy(users.admin, v),
        () => compiler.claims(v, options), () => compiler.claims(users.admin, v), () => compiler.claims(users.admin, { ...options, rev: v }),
        () => compiler.may(v, 'assign', 'admin'), () => compiler.may(users.admin, v, 'admin'), () => compiler.may(users.admin, 'assign', v),
        () => compiler.may(users.admin, 'assign', 'admin', v), () => compiler.may(users.admin, 'set', v, 'color', '#fff'), () => compiler.may(users.admin, 'set', users.admin, 'color', v),
        () => compiler.list(v, { role: 'admin' }), () => compiler.list([v], { role: 'admin' }), () => compiler.list([users.admin], v),
        () => compiler.query(v, 'customer'), () => compiler.query(users.admin, v), () => compiler.query(users.admin, 'customer', v),
        () => toSql(v, { dialect: 'sqlite' }), () => toSql({ v: 1, plan: true }, v), () => toSql({ v: 1, plan: true }, { dialect: 'postgres', columns: v }),
        () => toPrisma(v), () => toMongo(v), () => toMongo({ v: 1, plan: { eq: { field: 'a', value: 'b' } } }, v),
        () => compiler.issue(users.admin, v, options), () => SigningKey.fromSeed(v, new Uint8Array(32)), () => SigningKey.fromSeed('k', v),
        () => SigningKey.fromJwk(v), () => SigningKey.generate(v), () => key.sign(v), () => jwks(v), () => lint(v), () => lint(neptune, v), () => keygen(v)]) {
        calls++;
        try {
          call();
        } catch (e) {
          assert.ok(e instanceof RolegateError, `${family}: ${call} threw ${e?.name}: ${e?.message}`);
        }
      }
    }
  }
  assert.ok(calls >= 10_000, `${calls} calls`);
  // Still working: compile, sign, and a gate answers as before.
  const gate = gateFor(key);
  gate.load(compiler.issue(users.consultant, key, { audience: 'crm', now: NOW, rev: 1 }));
  assert.equal(gate.can('page.customers.view'), true);
  compiler.free();
  compiler.free();
  assert.throws(() => compiler.body(users.admin), { code: 'bad_argument' });
});
