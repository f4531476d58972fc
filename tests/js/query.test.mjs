// Query plans against real query engines (issue 19, point 3): for the sample users of the four seed
// products and generated records of every resource, the rows SQLite (better-sqlite3) returns for the
// plan's SQL, the records MongoDB's filter keeps (evaluated by mingo, a MongoDB query engine in JS) and,
// when DATABASE_URL names a PostgreSQL server (scripts/test.sh starts one), the rows PostgreSQL returns,
// are exactly the records `gate.filter` keeps, and the records `gate.can(key, record)` allows for each
// action. Plans come from `rolegate/issuer` (`compiler.query`), serialised by `toSql` and `toMongo`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { init as initIssuer, Compiler, SigningKey, jwks, toSql, toMongo, toPrisma } from 'rolegate/issuer';
import { init, Gate } from 'rolegate';
import Database from 'better-sqlite3';
import { Query } from 'mingo';

const ROOT = process.env.ROLEGATE_ROOT ?? resolve(import.meta.dirname, '../..');
const PRODUCTS = ['commusoft', 'neptunecrm', 'property', 'reconpro'];
const NOW = 1_700_000_000;
const RECORDS = 48;
const read = (f) => JSON.parse(readFileSync(join(ROOT, f), 'utf8'));

let key;
let pg;
before(async () => {
  // scripts/test.sh (CI) starts PostgreSQL and insists on it; elsewhere it is used when it is there.
  if (process.env.ROLEGATE_REQUIRE_POSTGRES === '1') assert.ok(process.env.DATABASE_URL, 'DATABASE_URL names no PostgreSQL server');
  await Promise.all([init(), initIssuer()]);
  key = SigningKey.fromSeed('query', new Uint8Array(32).fill(9));
  if (process.env.DATABASE_URL) {
    const { default: pgModule } = await import('pg');
    pg = new pgModule.Client({ connectionString: process.env.DATABASE_URL });
    await pg.connect();
  }
});
after(async () => { await pg?.end(); });

/** A small deterministic generator (the same records on every run). */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The fields a resource's checks read, each with the values it is drawn from and its shape. */
function fieldsOf(policy, resource, users) {
  const r = policy.resources[resource];
  const ids = users.map((u) => u.id);
  const names = users.map((u) => u.name).filter(Boolean);
  const all = (member) => [...new Set(users.flatMap((u) => u[member] ?? []))];
  const out = [];
  const add = (field, pool) => {
    if (!out.some((f) => f.field === field)) out.push({ field, pool: [...new Set([...pool, 'x-other', 'x-7'])], list: /Ids$/.test(field) });
  };
  add(r.tenant_field ?? policy.tenant_field ?? 'tenant', [...new Set(users.map((u) => u.tenant))]);
  for (const o of r.owner ?? []) add(typeof o === 'string' ? o : o.field, typeof o === 'object' && o.by === 'name' ? names : ids);
  if (r.team) add(r.team, all('teams'));
  if (r.area) add(r.area, all('areas'));
  if (r.client) add(r.client, all('clients'));
  if (r.shared) add(r.shared.field, [...r.shared.values, 'onlyMe']);
  return out;
}

/** Sets `record.a.b.c` for the dotted path `a.b.c` (records nest, as applications hold them). */
function put(record, path, value) {
  const steps = path.split('.');
  let at = record;
  for (const s of steps.slice(0, -1)) at = at[s] ??= {};
  at[steps.at(-1)] = value;
}
const get = (record, path) => path.split('.').reduce((v, s) => (v == null ? undefined : v[s]), record);

/** Records of `resource`: each field missing, one value of its pool, or (list fields) a list of them. */
function recordsOf(fields, seed) {
  const r = random(seed);
  const pick = (pool) => pool[Math.floor(r() * pool.length)];
  return Array.from({ length: RECORDS }, (_, i) => {
    const record = { id: `r${i}` };
    for (const f of fields) {
      if (r() < 0.2) continue;
      put(record, f.field, f.list ? Array.from({ length: Math.floor(r() * 3) }, () => pick(f.pool)) : pick(f.pool));
    }
    return record;
  });
}

const column = (field) => field.replace(/[^A-Za-z0-9]/g, '_');
const columnsOf = (fields) => Object.fromEntries(fields.map((f) => [f.field, { column: column(f.field), type: f.list ? 'text_list' : 'text' }]));

/** A SQLite table of `records` with a column per field (lists as JSON arrays). */
function sqliteTable(db, name, fields, records) {
  db.exec(`CREATE TABLE "${name}" (id TEXT PRIMARY KEY, ${fields.map((f) => `"${column(f.field)}" TEXT`).join(', ')})`);
  const insert = db.prepare(`INSERT INTO "${name}" VALUES (${['?', ...fields.map(() => '?')].join(', ')})`);
  for (const rec of records) {
    insert.run(rec.id, ...fields.map((f) => { const v = get(rec, f.field); return v === undefined ? null : f.list ? JSON.stringify(v) : v; }));
  }
}

async function postgresTable(name, fields, records) {
  await pg.query(`DROP TABLE IF EXISTS "${name}"`);
  await pg.query(`CREATE TABLE "${name}" (id TEXT PRIMARY KEY, ${fields.map((f) => `"${column(f.field)}" ${f.list ? 'TEXT[]' : 'TEXT'}`).join(', ')})`);
  for (const rec of records) {
    const values = [rec.id, ...fields.map((f) => get(rec, f.field) ?? null)];
    await pg.query(`INSERT INTO "${name}" VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')})`, values);
  }
}

const sorted = (ids) => [...ids].sort();

for (const [n, product] of PRODUCTS.entries()) {
  test(`${product}: SQL (SQLite${process.env.DATABASE_URL ? ', PostgreSQL' : ''}) and Mongo filters keep exactly the records the gate keeps`, async () => {
    const policy = read(`examples/policies/${product}.json`);
    const users = Object.values(read(`examples/policies/${product}.users.json`));
    const compiler = new Compiler(policy);
    const db = new Database(':memory:');
    let compared = 0;
    let nonTrivial = 0;
    for (const resource of Object.keys(policy.resources)) {
      const fields = fieldsOf(policy, resource, users);
      const records = recordsOf(fields, 1000 * n + resource.length);
      const table = `${product}_${resource}`;
      const columns = columnsOf(fields);
      sqliteTable(db, table, fields, records);
      if (pg) await postgresTable(table, fields, records);
      const prefix = policy.resources[resource].keys;
      const actions = [undefined, ...new Set(policy.keys.filter((k) => k.startsWith(`${prefix}.`)).map((k) => k.slice(prefix.length + 1)))];
      for (const user of users) {
        const gate = new Gate({ keys: jwks(key), audience: 'query', now: () => NOW });
        gate.load(compiler.issue(user, key, { audience: 'query', now: NOW, rev: 1 }));
        for (const action of actions) {
          const expected = sorted((action === undefined ? gate.filter(resource, records)
            : records.filter((r) => gate.can(`${prefix}.${action}`, r))).map((r) => r.id));
          const plan = compiler.query(user, resource, action);
          const what = `${user.id} ${resource} ${action ?? 'view'}: ${JSON.stringify(plan.plan)}`;
          const lite = toSql(plan, { dialect: 'sqlite', columns });
          assert.deepEqual(sorted(db.prepare(`SELECT id FROM "${table}" WHERE ${lite.text}`).all(...lite.params).map((r) => r.id)), expected, `SQLite, ${what}: ${lite.text}`);
          if (pg) {
            const q = toSql(plan, { dialect: 'postgres', columns });
            const { rows } = await pg.query(`SELECT id FROM "${table}" WHERE ${q.text}`, q.params);
            assert.deepEqual(sorted(rows.map((r) => r.id)), expected, `PostgreSQL, ${what}: ${q.text}`);
          }
          const mongo = toMongo(plan);
          assert.deepEqual(sorted(new Query(mongo).find(records).all().map((r) => r.id)), expected, `Mongo, ${what}: ${JSON.stringify(mongo)}`);
          assert.equal(typeof toPrisma(plan, { columns }), 'object');
          compared++;
          if (expected.length > 0 && expected.length < records.length) nonTrivial++;
        }
        gate.free();
      }
    }
    db.close();
    compiler.free();
    assert.ok(compared >= 40, `${compared} plans compared`);
    assert.ok(nonTrivial >= 10, `only ${nonTrivial} plans kept some records but not all`);
  });
}

test('random plans: SQLite, PostgreSQL and the Mongo filter agree with the documented meaning of a plan', async () => {
  // Fields: two of one value (text columns), two lists (text_list columns); records leave any out.
  const FIELDS = [['f0', false], ['f1', false], ['f2', true], ['f3', true]];
  const VALUES = ['a', 'b', "c'd", '7'];
  const r = random(4242);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const node = (depth) => {
    const roll = r();
    if (depth > 0 && roll < 0.3) return { [pick(['and', 'or'])]: Array.from({ length: 1 + Math.floor(r() * 3) }, () => node(depth - 1)) };
    if (roll < 0.35) return r() < 0.5;
    const [field] = pick(FIELDS);
    const kind = pick(['eq', 'in', 'contains']);
    if (kind === 'in') return { in: { field, values: Array.from({ length: 1 + Math.floor(r() * 2) }, () => pick(VALUES)) } };
    return { [kind]: { field, value: pick(VALUES) } };
  };
  // The meaning docs/records.md gives each node: `eq` and `in` hold for one value (never a list),
  // `contains` for a list holding the value; a missing field meets nothing.
  const meets = (n, rec) => {
    if (typeof n === 'boolean') return n;
    if (n.and) return n.and.every((m) => meets(m, rec));
    if (n.or) return n.or.some((m) => meets(m, rec));
    const [[kind, c]] = Object.entries(n);
    const v = rec[c.field];
    if (kind === 'eq') return typeof v === 'string' && v === c.value;
    if (kind === 'in') return typeof v === 'string' && c.values.includes(v);
    return Array.isArray(v) && v.includes(c.value);
  };
  const records = Array.from({ length: 60 }, (_, i) => {
    const rec = { id: `r${i}` };
    for (const [f, list] of FIELDS) {
      if (r() < 0.25) continue;
      rec[f] = list ? Array.from({ length: Math.floor(r() * 3) }, () => pick(VALUES)) : pick(VALUES);
    }
    return rec;
  });
  const columns = Object.fromEntries(FIELDS.map(([f, list]) => [f, { column: f, type: list ? 'text_list' : 'text' }]));
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (id TEXT, f0 TEXT, f1 TEXT, f2 TEXT, f3 TEXT)');
  const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?, ?)');
  for (const rec of records) insert.run(rec.id, ...FIELDS.map(([f, list]) => (rec[f] === undefined ? null : list ? JSON.stringify(rec[f]) : rec[f])));
  if (pg) {
    await pg.query('DROP TABLE IF EXISTS random_plans');
    await pg.query('CREATE TABLE random_plans (id TEXT, f0 TEXT, f1 TEXT, f2 TEXT[], f3 TEXT[])');
    for (const rec of records) await pg.query('INSERT INTO random_plans VALUES ($1, $2, $3, $4, $5)', [rec.id, ...FIELDS.map(([f]) => rec[f] ?? null)]);
  }
  for (let i = 0; i < 300; i++) {
    const plan = { v: 1, plan: node(3) };
    const expected = records.filter((rec) => meets(plan.plan, rec)).map((rec) => rec.id);
    const what = JSON.stringify(plan.plan);
    const lite = toSql(plan, { dialect: 'sqlite', columns });
    assert.deepEqual(db.prepare(`SELECT id FROM t WHERE ${lite.text} ORDER BY rowid`).all(...lite.params).map((x) => x.id), expected, `SQLite ${what}: ${lite.text}`);
    assert.deepEqual(new Query(toMongo(plan)).find(records).all().map((x) => x.id), expected, `Mongo ${what}`);
    if (pg) {
      const q = toSql(plan, { dialect: 'postgres', columns });
      const { rows } = await pg.query(`SELECT id FROM random_plans WHERE ${q.text}`, q.params);
      assert.deepEqual(sorted(rows.map((x) => x.id)), sorted(expected), `PostgreSQL ${what}: ${q.text}`);
    }
  }
  db.close();
});

test('a field name or value with quotes, NUL, unicode or SQL in it changes nothing but the parameter', () => {
  const compiler = new Compiler({
    product: 'x', keys: ['doc.view'], tenant_field: 'org', admin: {},
    resources: { doc: { keys: 'doc', view: 'doc.view', owner: ['owner"; DROP TABLE doc; --'] } },
    roles: { own: { allow: [{ key: 'doc.view', scope: ['own'] }] } },
  });
  const db = new Database(':memory:');
  db.exec('CREATE TABLE doc (id TEXT, org TEXT, "owner""; DROP TABLE doc; --" TEXT)');
  const nasty = ["o'1", 'a"b', 'x\u0000y', 'é 🙂', "1' OR '1'='1", 'u); DROP TABLE doc; --'];
  for (const [i, v] of nasty.entries()) db.prepare('INSERT INTO doc VALUES (?, ?, ?)').run(`d${i}`, v, v);
  for (const v of nasty) {
    const plan = compiler.query({ id: v, roles: ['own'], tenant: v }, 'doc');
    const sql = toSql(plan, { dialect: 'sqlite' });
    assert.ok(!sql.text.includes(v), `the value is never in the text: ${sql.text}`);
    assert.deepEqual(sql.params, [v, v]);
    const rows = db.prepare(`SELECT id FROM doc WHERE ${sql.text}`).all(...sql.params);
    assert.deepEqual(rows.map((r) => r.id), [`d${nasty.indexOf(v)}`]);
  }
  assert.equal(db.prepare('SELECT count(*) AS n FROM doc').get().n, nasty.length, 'nothing was dropped');
  assert.throws(() => toSql({ v: 2, plan: true }, { dialect: 'sqlite' }), { code: 'bad_argument' });
  assert.throws(() => toSql({ v: 1, plan: true }, { dialect: 'oracle' }), { code: 'bad_argument' });
  assert.throws(() => toSql({ v: 1, plan: { eq: { field: 'a.b', value: '1' } } }, { dialect: 'sqlite' }), { code: 'bad_argument' });
  assert.throws(() => toMongo({ v: 1, plan: { eq: { field: '$where', value: '1' } } }), { code: 'bad_argument' });
});
