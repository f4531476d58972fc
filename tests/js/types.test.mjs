// Typed permission keys: `rolegate types` writes the union of a policy's keys; with it as the gate's
// type parameter a misspelt key fails `tsc --noEmit` and a correct one compiles.
// Runs in the consumer project (rolegate and typescript installed); ROLEGATE_BIN is the CLI and
// ROLEGATE_ROOT the repository (for the policy file).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const tsc = join(here, 'node_modules', 'typescript', 'bin', 'tsc');
const types = execFileSync(process.env.ROLEGATE_BIN,
  ['types', join(process.env.ROLEGATE_ROOT, 'examples/policies/neptunecrm.json')], { encoding: 'utf8' });

/** Type-checks `body` in a project of its own with the generated key union; returns tsc's result. */
function compile(name, body, extra = {}) {
  return project(name, 'main.mts', `import { Gate } from 'rolegate';
import type { PermissionKey, ResourceName } from './permissions.js';
declare const gate: Gate<PermissionKey, ResourceName>;
${body}
`, extra);
}

/** Type-checks `source` as `file` in a module project of its own beside the generated types. */
function project(name, file, source, extra = {}) {
  const dir = join(here, 'typed-keys', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'permissions.d.ts'), types);
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', types: [], ...extra },
  }));
  writeFileSync(join(dir, file), source);
  return spawnSync(process.execPath, [tsc, '--noEmit', '-p', dir], { encoding: 'utf8', cwd: dir });
}

/** A React component over the typed factory, with `jsx` in its render (issue 21: typed React). */
function react(name, jsx) {
  return project(name, 'main.tsx', `import { createRolegateReact } from 'rolegate/react';
import type { PermissionKey, ResourceName } from './permissions.js';
const { Can, Guard, useCan, useCheck, useMask, useFields, useFilter } = createRolegateReact<PermissionKey, ResourceName>();
export function Screen({ proposal, customers }: { proposal: { cost: number }; customers: { id: string }[] }) {
  const ok: boolean = useCan('page.customers.view');
  const reason = useCheck('finance.costs.view')?.code;
  const { value } = useMask('proposal', proposal);
  const shown = useFields('proposal').filter((f) => f.allow).length;
  const mine = useFilter('customer', customers);
  return (<Guard path="/customers">{${jsx}}{String(ok)}{reason}{value.cost}{shown}{mine.length}</Guard>);
}
`, { jsx: 'react-jsx' });
}

test('a correct key compiles; can, check, canMany, id and explain take the typed keys', () => {
  const r = compile('good', `const ok: boolean = gate.can('page.customers.view');
gate.check('data.customer.view', { organisationId: 'o' });
gate.canMany(['page.customers.view', 'finance.costs.view']);
gate.explain({ key: 'page.admin.view' });
gate.id('page.jobs.view');`);
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('typed React: <Can I>, useCan, useMask, useFields and useFilter take the typed keys and resources', () => {
  const good = react('react-good', `<Can I="page.customers.view" fallback={null}>x</Can>`);
  assert.equal(good.status, 0, good.stdout + good.stderr);
  const badKey = react('react-bad-key', `<Can I="page.custmers.view">x</Can>`);
  assert.notEqual(badKey.status, 0, 'tsc accepted a misspelt key in <Can I>');
  assert.match(badKey.stdout, /page\.custmers\.view/);
  const badResource = project('react-bad-resource', 'main.tsx', `import { createRolegateReact } from 'rolegate/react';
import type { PermissionKey, ResourceName } from './permissions.js';
const { useMask } = createRolegateReact<PermissionKey, ResourceName>();
export function Screen() { return <p>{String(useMask('propsal', { cost: 1 }).value.cost)}</p>; }
`, { jsx: 'react-jsx' });
  assert.notEqual(badResource.status, 0, 'tsc accepted a misspelt resource in useMask');
  assert.match(badResource.stdout, /propsal/);
});

test('a misspelt resource in gate.mask, fields or filter is a compile error', () => {
  const r = compile('bad-resource', `gate.mask('propsal', { cost: 1 });`);
  assert.notEqual(r.status, 0, 'tsc accepted a misspelt resource');
  assert.match(r.stdout, /propsal/);
  const ok = compile('good-resource', `gate.mask('proposal', { cost: 1 }); gate.fields('proposal'); gate.filter('customer', [{ id: 'c' }]);`);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
});

test('a misspelt key is a compile error', () => {
  const r = compile('bad', `gate.can('page.custmers.view');`);
  assert.notEqual(r.status, 0, 'tsc accepted a misspelt key');
  assert.match(r.stdout, /page\.custmers\.view/);
  assert.match(r.stdout, /not assignable to parameter of type 'PermissionKey'/);
});

test('rolegate/testing: typical use type-checks, with a real Playwright page; a misspelt option does not', () => {
  const good = compile('testing-good', `import { createTestKit, testClock, tamper, matchers, assertFieldMasked, TestKit, PageSession } from 'rolegate/testing';
import type { Page } from 'playwright-core';
const clock = testClock(1_800_000_000);
const kit: TestKit = await createTestKit({ policy: 'policy.json', users: new URL('file:///users.json'), audience: 'crm-web', now: clock.now });
const coordinator: Gate<PermissionKey> = kit.gate<PermissionKey>('coordinator', { platform: 'web', ttl: 60 });
coordinator.can('page.customers.view');
assertFieldMasked(coordinator, 'proposal', 'cost');
const token: string = tamper(kit.token({ grants: ['page.*'], deny: ['page.admin.*'], tenant: 'org-1' }, { rev: 2 }), 'payload');
const blocked: boolean = matchers.toBlockRoute(coordinator, '/admin', { redirect: 'home' }).pass;
declare const page: Page;
const session: PageSession = await kit.attach(page, 'admin', { storage: { key: 'snap', area: 'sessionStorage' }, ttl: 90 });
session.as({ grants: ['page.jobs.view'] });
await session.expire();
console.log(token, blocked, gate);`, { skipLibCheck: true }); // playwright-core's own .d.ts wants @types/node
  assert.equal(good.status, 0, good.stdout + good.stderr);
  const bad = compile('testing-bad', `import { createTestKit } from 'rolegate/testing';
const kit = await createTestKit({ policy: 'policy.json' });
kit.token('admin', { tll: 60 });`);
  assert.notEqual(bad.status, 0, 'tsc accepted a misspelt option');
  assert.match(bad.stdout, /tll/);
});

test('rolegate/server: a guard and its request gates take the typed keys and resources', () => {
  const good = compile('server-good', `import { init, createGuard, RequestGate, Refusal } from 'rolegate/server';
import { toSql } from 'rolegate/issuer';
await init();
const guard = createGuard<PermissionKey, ResourceName>({ keys: '{"keys":[]}', audience: 'crm-api', cookie: 'rg', realm: 'crm' });
const middleware = guard.express({ route: true });
const hook = guard.fastify({ key: 'page.admin.view' });
declare const req: { headers: Record<string, string | undefined>; url: string };
declare const res: { writeHead(status: number, headers: Record<string, string>): unknown; end(body: string): unknown; once(event: 'close', f: () => void): unknown };
const g: RequestGate<PermissionKey, ResourceName> | null = guard.handle(req, res, { route: '/customers' });
if (g) {
  const { text, params } = toSql(g.query('customer', 'edit'), { dialect: 'postgres' });
  const refusal: Refusal = guard.refusal(g.check('page.customers.view'));
  console.log(text, params, refusal.status, g.can('page.customers.view'), g.mask('proposal', { cost: 1 }).value);
}
console.log(middleware, hook, gate);`);
  assert.equal(good.status, 0, good.stdout + good.stderr);
  const bad = compile('server-bad', `import { createGuard } from 'rolegate/server';
const guard = createGuard<PermissionKey, ResourceName>({ keys: '{"keys":[]}', audience: 'crm-api' });
guard.express({ key: 'page.admn.view' });
guard.authenticate({ headers: {} }).query('custmer');`);
  assert.notEqual(bad.status, 0, 'tsc accepted a misspelt key and resource');
  assert.match(bad.stdout, /page\.admn\.view/);
  assert.match(bad.stdout, /custmer/);
});

test('gate.query and init({ query: true }) are typed: a plan for a resource of the policy only', () => {
  const good = compile('query-good', `import { init, type QueryPlan, type PlanNode } from 'rolegate';
await init({ query: true });
const plan: QueryPlan = gate.query('customer');
const edit: PlanNode = gate.query('customer', 'edit').plan;
console.log(plan.v, edit);`);
  assert.equal(good.status, 0, good.stdout + good.stderr);
  const bad = compile('query-bad', `gate.query('custmer');`);
  assert.notEqual(bad.status, 0, 'tsc accepted a misspelt resource');
  assert.match(bad.stdout, /custmer/);
});
