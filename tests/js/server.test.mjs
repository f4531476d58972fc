// rolegate/server with real HTTP requests (issue 19, point 4): the same API served by a plain
// `node:http` server, an Express app and a Fastify app, each guarded by one `createGuard`. Tokens are
// NeptuneCRM's sample users signed with `rolegate/issuer`. Missing, garbage, foreign, expired and
// wrong-audience tokens get 401 with their code; a route or key guard 403 with the decision's reason
// code; the customer list is built from `req.rolegate.query('customer')` with `toSql` and run on
// PostgreSQL (DATABASE_URL; scripts/test.sh starts one and sets ROLEGATE_REQUIRE_POSTGRES=1), and its
// rows are exactly those `gate.filter` keeps; a proposal is masked with `gate.mask`. Last, the
// `node:http` example of examples/server is started and asked the same way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EventEmitter, once } from 'node:events';
import express from 'express';
import Fastify from 'fastify';
import { init, createGuard, RequestGate, RolegateError } from 'rolegate/server';
import { Compiler, SigningKey, jwks, toSql } from 'rolegate/issuer';
import { Gate, memoryBytes } from 'rolegate';

const ROOT = process.env.ROLEGATE_ROOT ?? resolve(import.meta.dirname, '../..');
const read = (f) => JSON.parse(readFileSync(join(ROOT, f), 'utf8'));
const AUDIENCE = 'crm-api';
const TABLE = `server_customers_${process.pid}`;
const COLUMNS = { organisationId: 'organisation_id', 'consultant.id': 'consultant_id', contractorIds: { column: 'contractor_ids', type: 'text_list' } };

let key, compiler, users, pg, guard;
const tokens = {};
const customers = [];
const proposal = { id: 'p1', organisationId: 'org-1', consultantId: 'u-cons2', total: 1200, cost: 800, costBreakdown: [500, 300], margin: 400 };

before(async () => {
  if (process.env.ROLEGATE_REQUIRE_POSTGRES === '1') assert.ok(process.env.DATABASE_URL, 'DATABASE_URL names no PostgreSQL server');
  await init();
  key = SigningKey.fromSeed('server-key', new Uint8Array(32).fill(5));
  compiler = new Compiler(read('examples/policies/neptunecrm.json'));
  users = read('examples/policies/neptunecrm.users.json');
  for (const [name, user] of Object.entries(users)) tokens[name] = compiler.issue(user, key, { audience: AUDIENCE });
  guard = createGuard({ keys: jwks(key), audience: AUDIENCE, cookie: 'rg' });
  // Customers of two organisations, each with one of the users (or someone else) as consultant and
  // contractors; some without a consultant or an organisation (missing fields are denied, not guessed).
  const ids = ['u-admin', 'u-cons', 'u-cons2', 'u-coord', 'u-contr', 'u-other'];
  for (let i = 0; i < 36; i++) {
    const c = { id: `c${String(i).padStart(2, '0')}`, name: `Customer ${i}` };
    if (i % 9 !== 8) c.organisationId = i % 4 === 3 ? 'org-2' : 'org-1';
    if (i % 7 !== 6) c.consultant = { id: ids[i % ids.length] };
    if (i % 3 === 0) c.contractorIds = [ids[(i * 5) % ids.length], ids[(i + 4) % ids.length]].slice(0, 1 + (i % 2));
    customers.push(c);
  }
  if (process.env.DATABASE_URL) {
    const { default: pgModule } = await import('pg');
    pg = new pgModule.Client({ connectionString: process.env.DATABASE_URL });
    await pg.connect();
    await pg.query(`DROP TABLE IF EXISTS "${TABLE}"`);
    await pg.query(`CREATE TABLE "${TABLE}" (id TEXT PRIMARY KEY, name TEXT, organisation_id TEXT, consultant_id TEXT, contractor_ids TEXT[])`);
    for (const c of customers) {
      await pg.query(`INSERT INTO "${TABLE}" VALUES ($1, $2, $3, $4, $5)`, [c.id, c.name, c.organisationId ?? null, c.consultant?.id ?? null, c.contractorIds ?? null]);
    }
  }
});
after(async () => {
  if (pg) {
    await pg.query(`DROP TABLE IF EXISTS "${TABLE}"`);
    await pg.end();
  }
});

/** The customers the request's snapshot may see, from PostgreSQL through the query plan's SQL. */
async function listCustomers(gate) {
  const { text, params } = toSql(gate.query('customer'), { dialect: 'postgres', columns: COLUMNS });
  const { rows } = await pg.query(`SELECT id FROM "${TABLE}" WHERE ${text} ORDER BY id`, params);
  return rows.map((r) => r.id);
}

/** What every app answers, from the request's gate (the frameworks differ only in how they hand it over). */
const routes = {
  me: (gate) => ({ subject: gate.status().subject, isRequestGate: gate instanceof RequestGate, isGate: gate instanceof Gate }),
  adminUsers: () => ({ users: Object.values(users).map((u) => u.id) }),
  settings: () => ({ ok: true }),
  customers: async (gate) => ({ customers: await listCustomers(gate) }),
  proposal: (gate) => {
    const { value, masked } = gate.mask('proposal', proposal);
    return { proposal: value, masked: masked.map((m) => [m.field, m.code]) };
  },
};

/** A plain node:http server: `guard.handle` answers 401 / 403 itself and returns null. */
function nodeApp() {
  return http.createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const need = { '/admin/users': { route: true }, '/settings': { key: 'page.admin.view' }, '/customers': { route: true } }[path];
    const gate = guard.handle(req, res, need);
    if (!gate) return;
    assert.equal(req.rolegate, gate);
    const name = { '/me': 'me', '/admin/users': 'adminUsers', '/settings': 'settings', '/customers': 'customers', '/proposals/p1': 'proposal' }[path];
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(await routes[name](gate)));
  });
}

/** An Express app: `guard.express()` for every request, `guard.express(need)` on guarded routes. */
function expressApp() {
  const app = express();
  app.use(guard.express());
  const reply = (name) => async (req, res) => res.json(await routes[name](req.rolegate));
  app.get('/me', reply('me'));
  app.get('/admin/users', guard.express({ route: true }), reply('adminUsers'));
  app.get('/settings', guard.express({ key: 'page.admin.view' }), reply('settings'));
  app.get('/customers', guard.express({ route: true }), reply('customers'));
  app.get('/proposals/p1', reply('proposal'));
  return http.createServer(app);
}

/** A Fastify app: `guard.fastify()` as an onRequest hook, `guard.fastify(need)` as routes' preHandler. */
async function fastifyApp() {
  const app = Fastify();
  app.decorateRequest('rolegate', null);
  app.addHook('onRequest', guard.fastify());
  const reply = (name) => async (request) => routes[name](request.rolegate);
  app.get('/me', reply('me'));
  app.get('/admin/users', { preHandler: guard.fastify({ route: true }) }, reply('adminUsers'));
  app.get('/settings', { preHandler: guard.fastify({ key: 'page.admin.view' }) }, reply('settings'));
  app.get('/customers', { preHandler: guard.fastify({ route: true }) }, reply('customers'));
  app.get('/proposals/p1', reply('proposal'));
  await app.ready();
  return { server: app.server, close: () => app.close() };
}

async function listen(server) {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${server.address().port}`;
}

async function get(base, path, headers = {}) {
  const res = await fetch(base + path, { headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}
const bearer = (token) => ({ authorization: `Bearer ${token}` });

/** The same requests, to whichever app serves `base`. */
async function exercise(t, base) {
  await t.test('a missing token is 401 missing_token, with a bare Bearer challenge', async () => {
    for (const headers of [{}, { authorization: 'Basic dXNlcjpwYXNz' }, { authorization: 'Bearer ' }, { cookie: 'other=1' }]) {
      const r = await get(base, '/me', headers);
      assert.equal(r.status, 401);
      assert.equal(r.body.code, 'missing_token');
      assert.match(r.body.message, /Authorization: Bearer/);
      assert.equal(r.headers.get('www-authenticate'), 'Bearer');
      assert.match(r.headers.get('content-type'), /^application\/json/);
    }
  });

  await t.test('bad tokens are 401 with the code the gate refused them with', async () => {
    const other = SigningKey.fromSeed('server-key', new Uint8Array(32).fill(6)); // same kid, another key
    const foreign = SigningKey.fromSeed('foreign-key', new Uint8Array(32).fill(7));
    const user = users.consultant;
    const cases = {
      malformed: 'garbage',
      bad_signature: compiler.issue(user, other, { audience: AUDIENCE }),
      unknown_kid: compiler.issue(user, foreign, { audience: AUDIENCE }),
      expired: compiler.issue(user, key, { audience: AUDIENCE, now: Date.now() / 1000 - 7200, ttl: 600 }),
      wrong_audience: compiler.issue(user, key, { audience: 'another-app' }),
      not_yet_valid: compiler.issue(user, key, { audience: AUDIENCE, now: Date.now() / 1000 + 7200 }),
    };
    for (const [code, token] of Object.entries(cases)) {
      const r = await get(base, '/me', bearer(token));
      assert.equal(r.status, 401, code);
      assert.equal(r.body.code, code);
      assert.equal(typeof r.body.message, 'string');
      assert.deepEqual(Object.keys(r.body).sort(), ['code', 'message']);
      assert.equal(r.headers.get('www-authenticate'), `Bearer error="invalid_token", error_description="${code}"`);
    }
  });

  await t.test('a valid token, in the header or the cookie, gives the handler a Gate with it loaded', async () => {
    for (const headers of [bearer(tokens.consultant), { cookie: `a=b; rg=${tokens.consultant}; c=d` }, { authorization: `bearer   ${tokens.consultant}` }]) {
      const r = await get(base, '/me', headers);
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, { subject: 'u-cons', isRequestGate: true, isGate: true });
    }
    // The header wins over the cookie.
    const r = await get(base, '/me', { ...bearer(tokens.admin), cookie: `rg=${tokens.consultant}` });
    assert.equal(r.body.subject, 'u-admin');
  });

  await t.test('route and key guards answer 403 with the decision\'s reason code', async () => {
    const cases = [
      ['consultant', '/admin/users', 403, 'explicit_deny'],
      ['admin', '/admin/users', 200],
      ['consultant', '/settings', 403, 'explicit_deny'],
      ['admin', '/settings', 200],
      ['inactive_admin', '/admin/users', 403, 'inactive'],
    ];
    for (const [name, path, status, code] of cases) {
      const r = await get(base, path, bearer(tokens[name]));
      assert.equal(r.status, status, `${name} ${path}`);
      if (status !== 403) continue;
      const gate = new Gate({ keys: jwks(key), audience: AUDIENCE });
      gate.load(tokens[name]);
      const decision = path === '/settings' ? gate.check('page.admin.view') : gate.route(path);
      gate.free();
      assert.equal(decision.code, code);
      assert.deepEqual(r.body, { code, message: decision.message });
      assert.equal(r.headers.get('www-authenticate'), `Bearer error="insufficient_scope", error_description="${code}"`);
    }
  });

  await t.test('the customer list, from PostgreSQL through the query plan, is exactly what gate.filter keeps', { skip: !process.env.DATABASE_URL && 'no DATABASE_URL' }, async () => {
    let nonTrivial = 0;
    for (const [name, token] of Object.entries(tokens)) {
      const gate = new Gate({ keys: jwks(key), audience: AUDIENCE });
      gate.load(token);
      const kept = gate.filter('customer', customers).map((c) => c.id);
      const mayOpen = gate.route('/customers');
      gate.free();
      const r = await get(base, '/customers', bearer(token));
      if (!mayOpen.allow) {
        assert.equal(r.status, 403, name);
        assert.equal(r.body.code, mayOpen.code);
        continue;
      }
      assert.equal(r.status, 200, name);
      assert.deepEqual(r.body.customers, kept, name);
      if (kept.length > 0 && kept.length < customers.length) nonTrivial++;
    }
    assert.ok(nonTrivial >= 2, 'the plans keep some customers and drop others');
    // The consultant's: their organisation's customers whose consultant or contractor they are.
    const r = await get(base, '/customers', bearer(tokens.consultant));
    const own = customers.filter((c) => c.organisationId === 'org-1' && (c.consultant?.id === 'u-cons' || c.contractorIds?.includes('u-cons')));
    assert.deepEqual(r.body.customers, own.map((c) => c.id));
  });

  await t.test('a proposal is masked with gate.mask: costs only for those who may see them', async () => {
    for (const [name, token] of Object.entries(tokens)) {
      const gate = new Gate({ keys: jwks(key), audience: AUDIENCE });
      gate.load(token);
      const { value, masked } = gate.mask('proposal', proposal);
      gate.free();
      const r = await get(base, '/proposals/p1', bearer(token));
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, { proposal: value, masked: masked.map((m) => [m.field, m.code]) }, name);
    }
    const nocosts = (await get(base, '/proposals/p1', bearer(tokens.consultant_nocosts))).body;
    assert.equal(nocosts.proposal.cost, undefined);
    assert.deepEqual(nocosts.masked.find(([f]) => f === 'cost'), ['cost', 'setting_off']);
    const admin = (await get(base, '/proposals/p1', bearer(tokens.admin))).body;
    assert.equal(admin.proposal.cost, 800);
    assert.deepEqual(admin.masked, []);
  });
}

for (const [name, app] of [['node:http with guard.handle', nodeApp], ['Express with guard.express', expressApp]]) {
  test(name, async (t) => {
    const server = app();
    const base = await listen(server);
    try {
      await exercise(t, base);
    } finally {
      server.close();
    }
  });
}

test('Fastify with guard.fastify', async (t) => {
  const { server, close } = await fastifyApp();
  const base = await listen(server);
  try {
    await exercise(t, base);
  } finally {
    await close();
  }
});

test('the request gate\'s query plan is the snapshot\'s, and follows load, clear and revoke', () => {
  const gate = guard.authenticate({ headers: bearer(tokens.consultant) });
  try {
    assert.deepEqual(gate.query('customer'), compiler.query(users.consultant, 'customer'));
    assert.deepEqual(gate.query('customer', 'edit'), compiler.query(users.consultant, 'customer', 'edit'));
    assert.deepEqual(gate.query('template'), compiler.query(users.consultant, 'template'));
    assert.deepEqual(gate.query('proposal'), compiler.query(users.consultant, 'proposal'));
    assert.deepEqual(gate.query('nothing'), { v: 1, plan: false });
    const copy = gate.query('customer');
    copy.plan = true; // a copy: the next answer is not changed
    assert.notEqual(gate.query('customer').plan, true);
    gate.load(tokens.admin);
    assert.deepEqual(gate.query('customer'), compiler.query(users.admin, 'customer'));
    assert.deepEqual(gate.query('customer'), { v: 1, plan: { eq: { field: 'organisationId', value: 'org-1' } } });
    gate.revoke({ subject: 'u-admin', rev: 1 });
    assert.deepEqual(gate.query('customer'), { v: 1, plan: false });
    gate.load(tokens.consultant);
    gate.clear();
    assert.deepEqual(gate.query('customer'), { v: 1, plan: false });
    assert.throws(() => gate.query(7), (e) => e instanceof RolegateError && e.code === 'bad_argument');
    assert.throws(() => gate.query('customer', 7), (e) => e instanceof RolegateError && e.code === 'bad_argument');
  } finally {
    gate.free();
  }
  // An inactive user's and a refused token's: always-false, or the token's error.
  const inactive = guard.authenticate({ headers: bearer(tokens.inactive_admin) });
  assert.deepEqual(inactive.query('customer'), { v: 1, plan: false });
  inactive.free();
  assert.throws(() => guard.authenticate({ headers: bearer('garbage') }), (e) => e.code === 'malformed');
  assert.throws(() => guard.authenticate({ headers: {} }), (e) => e.code === 'missing_token');
});

test('each request\'s gate is freed when its response closes, refused ones at once: wasm memory stays flat', () => {
  const response = () => Object.assign(new EventEmitter(), { writeHead() {}, end() {} });
  const round = (n) => {
    for (let i = 0; i < n; i++) {
      const res = response();
      const gate = guard.handle({ headers: bearer(i % 2 ? tokens.consultant : 'garbage') }, res);
      if (gate) gate.query('customer');
      res.emit('close');
      if (gate) assert.throws(() => gate.load(tokens.consultant), (e) => e.code === 'bad_argument'); // freed
    }
  };
  round(200);
  const before = memoryBytes();
  round(1000); // 500 gates kept would take some 15 MB
  assert.ok(memoryBytes() - before < 1 << 20, `wasm memory grew by ${memoryBytes() - before} bytes`);
});

test('a guard made after rolegate\'s own init() (the module without the planner) is not_initialised, saying why', () => {
  // A process of its own: init() decides once per process.
  const script = `import { init } from 'rolegate';
import { init as initServer, createGuard } from 'rolegate/server';
import { SigningKey, jwks } from 'rolegate/issuer';
await init();
await initServer();
const keys = jwks(SigningKey.fromSeed('k', new Uint8Array(32)));
try { createGuard({ keys, audience: 'x' }); console.log('made'); } catch (e) { console.log(e.code, e.message); }`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: import.meta.dirname, encoding: 'utf8' });
  assert.match(out, /^not_initialised .*planner module.*before any `init\(\)` of `rolegate`/);
});

test('a guard\'s options are checked when it is made', () => {
  const bad = [
    [{ audience: AUDIENCE }, 'bad_config'],
    [{ keys: jwks(key) }, 'bad_config'],
    [{ keys: { keys: [] }, audience: AUDIENCE }, 'bad_jwks'],
    [{ keys: jwks(key), audience: AUDIENCE, clockSkewSec: -1 }, 'bad_config'],
    [{ keys: jwks(key), audience: AUDIENCE, cookie: 'a b' }, 'bad_config'],
    [{ keys: jwks(key), audience: AUDIENCE, realm: 7 }, 'bad_config'],
    [{ keys: jwks(key), audience: AUDIENCE, cokie: 'rg' }, 'bad_config'],
    [null, 'bad_config'],
    [{ get keys() { throw new Error('a getter that throws'); }, audience: AUDIENCE }, 'bad_config'],
    [new Proxy({}, { ownKeys() { throw new Error('a trap that throws'); } }), 'bad_config'],
  ];
  for (const [i, [options, code]] of bad.entries()) {
    assert.throws(() => createGuard(options), (e) => e instanceof RolegateError && e.code === code, `options ${i}`);
  }
  // Requests of odd shapes carry no token; a need of the wrong shape is the caller's bad_argument.
  for (const req of [{}, { headers: null }, { headers: { authorization: 7, cookie: 7 } }, { headers: { cookie: 'rg=' } }, { headers: { authorization: ['Bearer x'] } }]) {
    assert.throws(() => guard.authenticate(req), (e) => e.code === (Array.isArray(req.headers?.authorization) ? 'malformed' : 'missing_token'), JSON.stringify(req));
  }
  const gate = guard.authenticate({ headers: bearer(tokens.admin), url: '/admin/users?x=1' });
  assert.equal(guard.decide(gate, { url: '/admin/users?x=1' }, { route: true }), null);
  assert.equal(guard.decide(gate, {}, { route: true }).code, 'no_route'); // a request without a URL opens no route
  for (const need of [{ route: 7 }, { key: 7 }, 'page.admin.view']) {
    assert.throws(() => guard.decide(gate, {}, need), (e) => e.code === 'bad_argument', JSON.stringify(need));
  }
  assert.throws(() => guard.refusal(new Error('not ours')), /not ours/);
  gate.free();
  // The same options as the gate's: a platform, an issuer, a clock.
  const now = Date.now() / 1000;
  const strict = createGuard({ keys: jwks(key), audience: AUDIENCE, issuer: 'https://id.example', now: () => now + 7200, realm: 'crm' });
  assert.throws(() => strict.authenticate({ headers: bearer(tokens.admin) }), (e) => e.code === 'expired');
  const refusal = strict.refusal(new RolegateError('expired', 'the snapshot has expired'));
  assert.equal(refusal.headers['www-authenticate'], 'Bearer realm="crm", error="invalid_token", error_description="expired"');
  assert.equal(refusal.status, 401);
  const withIssuer = compiler.issue(users.admin, key, { audience: AUDIENCE, issuer: 'https://id.example' });
  const issuerGuard = createGuard({ keys: jwks(key), audience: AUDIENCE, issuer: 'https://id.example' });
  assert.throws(() => issuerGuard.authenticate({ headers: bearer(tokens.admin) }), (e) => e.code === 'wrong_issuer');
  issuerGuard.authenticate({ headers: bearer(withIssuer) }).free();
  // The platform option reaches the plan too: a mobile-only user's plan from the web is always-false.
  const web = createGuard({ keys: jwks(key), audience: AUDIENCE, platform: 'web' });
  const contractor = web.authenticate({ headers: bearer(tokens.contractor) });
  assert.equal(contractor.platform().allow, false);
  assert.deepEqual(contractor.query('customer'), { v: 1, plan: false });
  contractor.free();
});

test('the node:http example (examples/server) runs with node and enforces the policy', async () => {
  // Copied beside this file, where `rolegate` is installed, and run as written.
  const dir = mkdtempSync(join(import.meta.dirname, 'example-server-'));
  copyFileSync(join(ROOT, 'examples/server/server.mjs'), join(dir, 'server.mjs'));
  const child = spawn(process.execPath, ['server.mjs'], { cwd: dir, env: { ...process.env, PORT: '0', JWKS: '' }, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    let out = '';
    child.stdout.setEncoding('utf8');
    const base = await new Promise((ok, fail) => {
      child.stdout.on('data', (d) => {
        out += d;
        const m = /listening on (http:\S+)/.exec(out);
        if (m) ok(m[1]);
      });
      child.on('exit', (code) => fail(new Error(`the example exited (${code}): ${out}`)));
    });
    const printed = Object.fromEntries([...out.matchAll(/^token (\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]));
    assert.deepEqual(Object.keys(printed).sort(), Object.keys(users).sort());
    assert.equal((await get(base, '/customers')).body.code, 'missing_token');
    assert.equal((await get(base, '/customers', bearer(tokens.consultant))).body.code, 'unknown_kid'); // our key is not its
    const list = await get(base, '/customers', bearer(printed.consultant));
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.customers.map((c) => c.id), ['c1']);
    assert.equal(list.body.where.text, '("organisation_id" = $1 AND ("consultant_id" = $2 OR $3 = ANY("contractor_ids")))');
    assert.deepEqual(list.body.where.params, ['org-1', 'u-cons', 'u-cons']);
    const other = await get(base, '/customers', { cookie: `rolegate=${printed.consultant_nocosts}` });
    assert.equal(other.status, 200);
    assert.deepEqual(other.body.customers.map((c) => c.id), ['c2']);
    const contractor = await get(base, '/customers', bearer(printed.contractor));
    assert.deepEqual([contractor.status, contractor.body.code], [403, 'no_grant']);
    const admin = await get(base, '/admin/users', bearer(printed.admin));
    assert.equal(admin.status, 200);
    const denied = await get(base, '/admin/users', bearer(printed.consultant));
    assert.deepEqual([denied.status, denied.body.code], [403, 'explicit_deny']);
    const masked = await get(base, '/proposals/p1', bearer(printed.consultant));
    assert.equal(masked.status, 200);
    assert.equal(masked.body.proposal.cost, 800); // their own proposal, costs on
    const coordinator = await get(base, '/proposals/p1', bearer(printed.coordinator));
    assert.equal(coordinator.status, 200);
    assert.equal(coordinator.body.proposal.cost, undefined);
    assert.ok(coordinator.body.masked.includes('cost'));
    const notTheirs = await get(base, '/proposals/p1', bearer(printed.consultant_nocosts));
    assert.equal(notTheirs.status, 404);
  } finally {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
