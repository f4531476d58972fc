// Query plans against real query engines (issue 19, point 3): for the sample users of the four seed
// products and generated records of every resource, the rows SQLite (better-sqlite3) returns for the
// plan's SQL, the records MongoDB's filter keeps (evaluated by mingo, a MongoDB query engine in JS), the
// rows a real Prisma Client (Prisma 7: its query compiler in wasm, the driver adapters for
// better-sqlite3 and pg) returns for the plan's `where` object and, when DATABASE_URL names a
// PostgreSQL server (scripts/test.sh starts one), the rows PostgreSQL returns, are exactly the records
// `gate.filter` keeps, and the records `gate.can(key, record)` allows for each action. Plans come from
// `rolegate/issuer` (`compiler.query`), serialised by `toSql`, `toPrisma` and `toMongo`.
//
// The Prisma Client is generated here, for the tables below, by Prisma's CLI (the repository's
// devDependency `prisma`, found under ROLEGATE_ROOT) with the `prisma-client` generator, and its
// TypeScript compiled by tsc; @prisma/client, the adapters and typescript are the consumer's
// (scripts/test.sh). Generating fetches nothing (see `prismaClient`).
// Prisma has scalar lists (`String[]`, the `has` filter) on PostgreSQL only: on SQLite its models leave
// the list columns out and a `where` naming one runs on PostgreSQL alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { init as initIssuer, Compiler, SigningKey, jwks, toSql, toMongo, toPrisma } from 'rolegate/issuer';
import { init, Gate } from 'rolegate';
import Database from 'better-sqlite3';
import { Query } from 'mingo';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';

const ROOT = process.env.ROLEGATE_ROOT ?? resolve(import.meta.dirname, '../..');
const PRODUCTS = ['commusoft', 'neptunecrm', 'property', 'reconpro'];
const NOW = 1_700_000_000;
const RECORDS = 48;
const read = (f) => JSON.parse(readFileSync(join(ROOT, f), 'utf8'));

let key;
let pg;
let sqlite; // one SQLite file, shared by better-sqlite3 and Prisma's adapter
let prismaLite;
let prismaPg;
let work; // the generated clients and the SQLite file, removed at the end
before(async () => {
  // scripts/test.sh (CI) starts PostgreSQL and insists on it; elsewhere it is used when it is there.
  if (process.env.ROLEGATE_REQUIRE_POSTGRES === '1') assert.ok(process.env.DATABASE_URL, 'DATABASE_URL names no PostgreSQL server');
  await Promise.all([init(), initIssuer()]);
  key = SigningKey.fromSeed('query', new Uint8Array(32).fill(9));
  // Under this folder, so that the generated client finds @prisma/client in the consumer's node_modules.
  work = mkdtempSync(join(import.meta.dirname, '.prisma-'));
  const file = join(work, 'query.db');
  sqlite = new Database(file);
  sqlite.pragma('synchronous = OFF');
  const tables = [...SEEDS.flatMap((s) => s.tables), RANDOM_TABLE];
  const [Lite, Pg] = await Promise.all([
    prismaClient(join(work, 'sqlite'), 'sqlite', tables),
    process.env.DATABASE_URL ? prismaClient(join(work, 'postgresql'), 'postgresql', tables) : null,
  ]);
  prismaLite = new Lite({ adapter: new PrismaBetterSqlite3({ url: file }) });
  if (process.env.DATABASE_URL) {
    const { default: pgModule } = await import('pg');
    pg = new pgModule.Client({ connectionString: process.env.DATABASE_URL });
    await pg.connect();
    prismaPg = new Pg({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL }) });
  }
});
after(async () => {
  await Promise.all([pg?.end(), prismaLite?.$disconnect(), prismaPg?.$disconnect()]);
  sqlite?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

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

/**
 * A dotted field (`consultant.id`) as a to-one relation, the way a Prisma schema holds NeptuneCRM's
 * customer: a relation `consultant` to a model keyed by `id`, whose foreign key is the flat column
 * (`consultant_id`) the SQL tests read. Its table holds a row for every key a record names.
 */
function relationsOf(fields) {
  return fields.filter((f) => f.field.includes('.')).map((f) => {
    const [name, key, ...deeper] = f.field.split('.');
    assert.ok(deeper.length === 0 && !f.list, `the Prisma models here know one-level, one-value dotted fields only, not ${f.field}`);
    return { field: f.field, name, key, fk: column(f.field) };
  });
}

/** Every seed product's tables: a resource's fields and generated records (the same on every run). */
const SEEDS = PRODUCTS.map((product, n) => {
  const policy = read(`examples/policies/${product}.json`);
  const users = Object.values(read(`examples/policies/${product}.users.json`));
  const tables = Object.keys(policy.resources).map((resource) => {
    const fields = fieldsOf(policy, resource, users);
    return { resource, table: `${product}_${resource}`, fields, records: recordsOf(fields, 1000 * n + resource.length) };
  });
  return { product, policy, users, tables };
});
/**
 * The random plans' table: a column of each kind of the column map, the integer ones in both of
 * PostgreSQL's and Prisma's integer types (`integer`/`Int`, `bigint`/`BigInt`).
 */
const RANDOM_FIELDS = [
  { field: 'f0', kind: 'text', list: false, pg: 'TEXT', prisma: 'String' },
  { field: 'f1', kind: 'text', list: false, pg: 'TEXT', prisma: 'String' },
  { field: 'f2', kind: 'text', list: true, pg: 'TEXT[]', prisma: 'String' },
  { field: 'f3', kind: 'text', list: true, pg: 'TEXT[]', prisma: 'String' },
  { field: 'f4', kind: 'integer', list: false, pg: 'INTEGER', prisma: 'Int' },
  { field: 'f5', kind: 'integer', list: false, pg: 'BIGINT', prisma: 'BigInt' },
  { field: 'f6', kind: 'integer', list: true, pg: 'INTEGER[]', prisma: 'Int' },
  { field: 'f7', kind: 'integer', list: true, pg: 'BIGINT[]', prisma: 'BigInt' },
];
const RANDOM_TABLE = { table: 'random_plans', fields: RANDOM_FIELDS };

/**
 * A Prisma schema for `tables` on `provider`: a model per table (named as the table), `id` and a
 * field per column (`String?`, or the type the field names; lists `String[]`, `Int[]` … on
 * PostgreSQL, left out on SQLite, where Prisma has no scalar lists), and the to-one relations of
 * dotted fields (`relationsOf`).
 */
function prismaSchema(provider, tables) {
  const lists = provider === 'postgresql';
  const models = tables.flatMap(({ table, fields }) => {
    const relations = relationsOf(fields);
    const lines = [
      'id String @id',
      ...fields.filter((f) => lists || !f.list).map((f) => `${column(f.field)} ${f.prisma ?? 'String'}${f.list ? '[]' : '?'}`),
      ...relations.map((r) => `${r.name} ${table}__${r.name}? @relation(fields: [${r.fk}], references: [${r.key}])`),
    ];
    return [
      `model ${table} {\n  ${lines.join('\n  ')}\n}`,
      ...relations.map((r) => `model ${table}__${r.name} {\n  ${r.key} String @id\n  records ${table}[]\n}`),
    ];
  });
  return [
    'generator client {\n  provider = "prisma-client"\n  output = "./client"\n  moduleFormat = "esm"\n  importFileExtension = "js"\n}',
    `datasource db {\n  provider = "${provider}"\n}`,
    ...models,
  ].join('\n\n');
}

const execFileAsync = promisify(execFile);

/**
 * Generates a Prisma Client for `tables` on `provider` in `dir` and gives its `PrismaClient` class:
 * `prisma generate` of Prisma's CLI (the repository's devDependency), then tsc for its TypeScript.
 */
async function prismaClient(dir, provider, tables) {
  const cli = join(ROOT, 'node_modules/prisma/build/index.js');
  assert.ok(existsSync(cli), `Prisma's CLI is not at ${cli}: \`npm ci\` in the repository installs it`);
  const require = createRequire(import.meta.url);
  const [cliVersion, clientVersion] = [JSON.parse(readFileSync(join(ROOT, 'node_modules/prisma/package.json'), 'utf8')).version, require('@prisma/client/package.json').version];
  assert.equal(clientVersion, cliVersion, 'the consumer\'s @prisma/client (scripts/test.sh) is not at the version of the CLI that generates for it (package.json)');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'schema.prisma'), prismaSchema(provider, tables));
  // `prisma generate` makes sure the schema engine binary is there, and would download it; only
  // migrations run it (generating runs Prisma's schema wasm). A stand-in that fails if it is ever run
  // takes its place, so that nothing is fetched.
  const engine = join(dir, 'no-schema-engine');
  writeFileSync(engine, '#!/bin/sh\necho "query.test.mjs: the schema engine was run; it is not installed here" >&2\nexit 1\n');
  chmodSync(engine, 0o755);
  const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: engine, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' };
  await execFileAsync(process.execPath, [cli, 'generate', '--schema', join(dir, 'schema.prisma')], { env, cwd: dir })
    .catch((e) => assert.fail(`prisma generate (${provider}) failed: ${e.stderr || e.message}`));
  const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin/tsc');
  const sources = readdirSync(join(dir, 'client'), { recursive: true }).filter((f) => f.endsWith('.ts')).map((f) => join(dir, 'client', f));
  await execFileAsync(process.execPath, [tsc, '--noCheck', '--skipLibCheck', '--module', 'nodenext', '--target', 'es2022', '--outDir', join(dir, 'js'), ...sources])
    .catch((e) => assert.fail(`tsc on the generated ${provider} client failed: ${e.stdout}${e.stderr}`));
  return (await import(pathToFileURL(join(dir, 'js', 'client.js')))).PrismaClient;
}

/** The ids of the rows `client` finds in `table` for the `where` object (sorted). */
async function prismaIds(client, table, where, what) {
  try {
    return sorted((await client[table].findMany({ where, select: { id: true } })).map((r) => r.id));
  } catch (e) {
    return assert.fail(`Prisma refused ${what}: ${JSON.stringify(where)}: ${e.message}`);
  }
}

/** The fields a Prisma `where` object filters on (a relation by its name). */
const prismaFields = (where) => Object.entries(where).flatMap(([k, v]) => (k === 'AND' || k === 'OR' ? v.flatMap(prismaFields) : [k]));

/** The keys a relation's table holds: every value a record gives the dotted field. */
const relationKeys = (relation, records) => [...new Set(records.map((rec) => get(rec, relation.field)).filter((v) => v !== undefined))];

/** A SQLite table of `records` with a column per field (lists as JSON arrays), and its relations' tables. */
function sqliteTable(db, name, fields, records) {
  db.exec(`CREATE TABLE "${name}" (id TEXT PRIMARY KEY, ${fields.map((f) => `"${column(f.field)}" TEXT`).join(', ')})`);
  const insert = db.prepare(`INSERT INTO "${name}" VALUES (${['?', ...fields.map(() => '?')].join(', ')})`);
  for (const rec of records) {
    insert.run(rec.id, ...fields.map((f) => { const v = get(rec, f.field); return v === undefined ? null : f.list ? JSON.stringify(v) : v; }));
  }
  for (const r of relationsOf(fields)) {
    db.exec(`CREATE TABLE "${name}__${r.name}" ("${r.key}" TEXT PRIMARY KEY)`);
    for (const k of relationKeys(r, records)) db.prepare(`INSERT INTO "${name}__${r.name}" VALUES (?)`).run(k);
  }
}

async function postgresTable(name, fields, records) {
  for (const r of relationsOf(fields)) await pg.query(`DROP TABLE IF EXISTS "${name}__${r.name}"`);
  await pg.query(`DROP TABLE IF EXISTS "${name}"`);
  await pg.query(`CREATE TABLE "${name}" (id TEXT PRIMARY KEY, ${fields.map((f) => `"${column(f.field)}" ${f.list ? 'TEXT[]' : 'TEXT'}`).join(', ')})`);
  for (const rec of records) {
    const values = [rec.id, ...fields.map((f) => get(rec, f.field) ?? null)];
    await pg.query(`INSERT INTO "${name}" VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')})`, values);
  }
  for (const r of relationsOf(fields)) {
    await pg.query(`CREATE TABLE "${name}__${r.name}" ("${r.key}" TEXT PRIMARY KEY)`);
    for (const k of relationKeys(r, records)) await pg.query(`INSERT INTO "${name}__${r.name}" VALUES ($1)`, [k]);
  }
}

const sorted = (ids) => [...ids].sort();

for (const { product, policy, users, tables } of SEEDS) {
  test(`${product}: SQL (SQLite${process.env.DATABASE_URL ? ', PostgreSQL' : ''}), Prisma and Mongo filters keep exactly the records the gate keeps`, async () => {
    const compiler = new Compiler(policy);
    let compared = 0;
    let nonTrivial = 0;
    const prisma = { pg: 0, sqlite: 0, relation: 0 };
    for (const { resource, table, fields, records } of tables) {
      const columns = columnsOf(fields);
      // Prisma twice where a field is dotted: mapped to its flat column, as SQL reads it, and left
      // unmapped, a to-one relation (`{consultant: {is: {id: …}}}`).
      const relations = relationsOf(fields);
      const forms = [['flat columns', columns], ...(relations.length ? [['relations', columnsOf(fields.filter((f) => !f.field.includes('.')))]] : [])];
      const lists = new Set(fields.filter((f) => f.list).map((f) => column(f.field)));
      sqliteTable(sqlite, table, fields, records);
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
          assert.deepEqual(sorted(sqlite.prepare(`SELECT id FROM "${table}" WHERE ${lite.text}`).all(...lite.params).map((r) => r.id)), expected, `SQLite, ${what}: ${lite.text}`);
          if (pg) {
            const q = toSql(plan, { dialect: 'postgres', columns });
            const { rows } = await pg.query(`SELECT id FROM "${table}" WHERE ${q.text}`, q.params);
            assert.deepEqual(sorted(rows.map((r) => r.id)), expected, `PostgreSQL, ${what}: ${q.text}`);
          }
          const mongo = toMongo(plan);
          assert.deepEqual(sorted(new Query(mongo).find(records).all().map((r) => r.id)), expected, `Mongo, ${what}: ${JSON.stringify(mongo)}`);
          for (const [form, map] of forms) {
            const where = toPrisma(plan, { columns: map });
            const named = prismaFields(where);
            if (named.some((f) => relations.some((r) => r.name === f))) prisma.relation++;
            if (prismaPg) {
              assert.deepEqual(await prismaIds(prismaPg, table, where, `on PostgreSQL (${form}), ${what}`), expected, `Prisma on PostgreSQL (${form}), ${what}: ${JSON.stringify(where)}`);
              prisma.pg++;
            }
            if (named.every((f) => !lists.has(f))) {
              assert.deepEqual(await prismaIds(prismaLite, table, where, `on SQLite (${form}), ${what}`), expected, `Prisma on SQLite (${form}), ${what}: ${JSON.stringify(where)}`);
              prisma.sqlite++;
            }
          }
          compared++;
          if (expected.length > 0 && expected.length < records.length) nonTrivial++;
        }
        gate.free();
      }
    }
    compiler.free();
    assert.ok(compared >= 40, `${compared} plans compared`);
    assert.ok(nonTrivial >= 10, `only ${nonTrivial} plans kept some records but not all`);
    assert.ok(prisma.sqlite >= 20, `only ${prisma.sqlite} Prisma \`where\`s ran on SQLite`);
    if (prismaPg) assert.ok(prisma.pg >= compared, `${prisma.pg} Prisma \`where\`s ran on PostgreSQL for ${compared} plans`);
    if (tables.some((t) => relationsOf(t.fields).length)) assert.ok(prisma.relation >= 5, `only ${prisma.relation} Prisma \`where\`s filtered on a relation`);
  });
}

test('random plans: SQLite, PostgreSQL, Prisma and the Mongo filter agree with the documented meaning of a plan', async () => {
  // Fields of each kind (RANDOM_FIELDS); records leave any out. Text fields hold strings, integer
  // fields numbers; ids are strings, some a number's canonical text and some not (`07`).
  const FIELDS = RANDOM_FIELDS;
  const VALUES = ['a', 'b', "c'd", '7', '12', '-3', '07'];
  const NUMBERS = [7, 12, -3];
  const r = random(4242);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const node = (depth) => {
    const roll = r();
    if (depth > 0 && roll < 0.3) return { [pick(['and', 'or'])]: Array.from({ length: 1 + Math.floor(r() * 3) }, () => node(depth - 1)) };
    if (roll < 0.35) return r() < 0.5;
    const { field } = pick(FIELDS);
    const kind = pick(['eq', 'in', 'contains']);
    if (kind === 'in') return { in: { field, values: Array.from({ length: 1 + Math.floor(r() * 2) }, () => pick(VALUES)) } };
    return { [kind]: { field, value: pick(VALUES) } };
  };
  // The meaning docs/records.md gives each node: `eq` and `in` hold for one value (never a list),
  // `contains` for a list holding the value; a value is the id when it is that string, or a number
  // whose canonical text it is; a missing field meets nothing.
  const is = (v, id) => v === id || (typeof v === 'number' && String(v) === id);
  const meets = (n, rec) => {
    if (typeof n === 'boolean') return n;
    if (n.and) return n.and.every((m) => meets(m, rec));
    if (n.or) return n.or.some((m) => meets(m, rec));
    const [[kind, c]] = Object.entries(n);
    const v = rec[c.field];
    if (kind === 'eq') return !Array.isArray(v) && is(v, c.value);
    if (kind === 'in') return !Array.isArray(v) && c.values.some((id) => is(v, id));
    return Array.isArray(v) && v.some((x) => is(x, c.value));
  };
  const records = Array.from({ length: 60 }, (_, i) => {
    const rec = { id: `r${i}` };
    for (const { field, kind, list } of FIELDS) {
      if (r() < 0.25) continue;
      const one = () => pick(kind === 'integer' ? NUMBERS : VALUES);
      rec[field] = list ? Array.from({ length: Math.floor(r() * 3) }, one) : one();
    }
    return rec;
  });
  const columns = Object.fromEntries(FIELDS.map((f) => [f.field, { column: f.field, type: f.list ? `${f.kind}_list` : f.kind }]));
  const lists = new Set(FIELDS.filter((f) => f.list).map((f) => f.field));
  const placeholders = (n) => Array.from({ length: n }, (_, i) => `$${i + 1}`).join(', ');
  // SQLite: integers in INTEGER columns, lists as JSON arrays in TEXT columns.
  sqlite.exec(`CREATE TABLE random_plans (id TEXT, ${FIELDS.map((f) => `${f.field} ${f.kind === 'integer' && !f.list ? 'INTEGER' : 'TEXT'}`).join(', ')})`);
  const insert = sqlite.prepare(`INSERT INTO random_plans VALUES (${placeholders(FIELDS.length + 1).replace(/\$\d+/g, '?')})`);
  for (const rec of records) insert.run(rec.id, ...FIELDS.map((f) => (rec[f.field] === undefined ? null : f.list ? JSON.stringify(rec[f.field]) : rec[f.field])));
  if (pg) {
    await pg.query('DROP TABLE IF EXISTS random_plans');
    await pg.query(`CREATE TABLE random_plans (id TEXT, ${FIELDS.map((f) => `${f.field} ${f.pg}`).join(', ')})`);
    for (const rec of records) await pg.query(`INSERT INTO random_plans VALUES (${placeholders(FIELDS.length + 1)})`, [rec.id, ...FIELDS.map((f) => rec[f.field] ?? null)]);
  }
  let onSqlite = 0;
  const met = new Set(); // the fields of the Prisma `where`s that kept some records but not all
  for (let i = 0; i < 300; i++) {
    const plan = { v: 1, plan: node(3) };
    const expected = records.filter((rec) => meets(plan.plan, rec)).map((rec) => rec.id);
    const what = JSON.stringify(plan.plan);
    const lite = toSql(plan, { dialect: 'sqlite', columns });
    assert.deepEqual(sqlite.prepare(`SELECT id FROM random_plans WHERE ${lite.text} ORDER BY rowid`).all(...lite.params).map((x) => x.id), expected, `SQLite ${what}: ${lite.text}`);
    assert.deepEqual(new Query(toMongo(plan)).find(records).all().map((x) => x.id), expected, `Mongo ${what}`);
    if (pg) {
      const q = toSql(plan, { dialect: 'postgres', columns });
      const { rows } = await pg.query(`SELECT id FROM random_plans WHERE ${q.text}`, q.params);
      assert.deepEqual(sorted(rows.map((x) => x.id)), sorted(expected), `PostgreSQL ${what}: ${q.text}`);
    }
    const where = toPrisma(plan, { columns });
    if (expected.length > 0 && expected.length < records.length) for (const f of prismaFields(where)) met.add(f);
    if (prismaPg) assert.deepEqual(await prismaIds(prismaPg, 'random_plans', where, `on PostgreSQL, ${what}`), sorted(expected), `Prisma on PostgreSQL ${what}: ${JSON.stringify(where)}`);
    if (prismaFields(where).every((f) => !lists.has(f))) {
      assert.deepEqual(await prismaIds(prismaLite, 'random_plans', where, `on SQLite, ${what}`), sorted(expected), `Prisma on SQLite ${what}: ${JSON.stringify(where)}`);
      onSqlite++;
    }
  }
  assert.deepEqual([...met].sort(), FIELDS.map((f) => f.field), 'a field of every kind is in some Prisma `where` that keeps some records but not all');
  assert.ok(onSqlite >= 50, `only ${onSqlite} of the random plans ran on Prisma's SQLite (the others name a list)`);
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
