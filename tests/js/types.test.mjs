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
  const dir = join(here, 'typed-keys', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'permissions.d.ts'), types);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', types: [], ...extra },
  }));
  writeFileSync(join(dir, 'main.mts'), `import { Gate } from 'rolegate';
import type { PermissionKey } from './permissions.js';
declare const gate: Gate<PermissionKey>;
${body}
`);
  return spawnSync(process.execPath, [tsc, '--noEmit', '-p', dir], { encoding: 'utf8', cwd: dir });
}

test('a correct key compiles; can, check, canMany, id and explain take the typed keys', () => {
  const r = compile('good', `const ok: boolean = gate.can('page.customers.view');
gate.check('data.customer.view', { organisationId: 'o' });
gate.canMany(['page.customers.view', 'finance.costs.view']);
gate.explain({ key: 'page.admin.view' });
gate.id('page.jobs.view');`);
  assert.equal(r.status, 0, r.stdout + r.stderr);
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
