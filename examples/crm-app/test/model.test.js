// Unit tests (Vitest, in Node): each screen model for each role, with gates from rolegate/testing and
// its matchers added to Vitest's expect.
import { expect, test } from 'vitest';
import { matchers, testClock, createTestKit } from 'rolegate/testing';
import { model, MENU } from '../src/view.js';
import { PROPOSALS } from '../src/data.js';
import { kit as makeKit, POLICY, USERS } from './kit.js';

expect.extend(matchers);
const kit = await makeKit();
const web = (who) => kit.gate(who, { platform: 'web' });
const ids = (tree) => tree.flatMap((n) => [n.id, ...ids(n.children ?? [])]);

test('a Coordinator sees every proposal of the organisation and no cost, breakdown or margin', () => {
  const gate = web('coordinator');
  expect(gate).toMaskField('proposal', 'cost');
  expect(gate).toMaskField('proposal', 'margin');
  const { page } = model(gate, '/proposals');
  expect(page.columns.map((c) => c.key)).toEqual(['title', 'customer', 'value']);
  expect(page.rows.map((r) => r.id)).toEqual(['p-1', 'p-2', 'p-3']);
  for (const row of page.rows) {
    expect(row).not.toHaveProperty('cost');
    expect(row).not.toHaveProperty('costBreakdown');
    expect(row).not.toHaveProperty('margin');
  }
});

test('a Consultant sees their own proposals, with costs', () => {
  const gate = web('consultant');
  expect(gate).toShowField('proposal', 'cost');
  const { page } = model(gate, '/proposals');
  expect(page.columns.map((c) => c.key)).toEqual(['title', 'customer', 'value', 'cost', 'costBreakdown', 'margin']);
  expect(page.rows.map((r) => [r.id, r.cost])).toEqual([['p-1', 11200], ['p-3', 6300]]);
});

test('a Consultant whose canViewCosts setting is off sees no costs', () => {
  const gate = web('consultant_nocosts');
  expect(gate).toMaskField('proposal', 'cost');
  expect(model(gate, '/proposals').page.columns.map((c) => c.key)).not.toContain('cost');
});

test('menus: exactly what each role may open', () => {
  expect(web('coordinator')).toShowMenu(['dashboard', 'customers', 'proposals', 'jobs'], MENU);
  expect(web('admin')).toShowMenu(['dashboard', 'customers', 'proposals', 'jobs', 'admin', 'admin.users'], MENU);
  expect(ids(model(web('consultant'), '/').menu)).toEqual(['dashboard', 'customers', 'proposals', 'jobs']);
});

test('routes: the admin pages send a Coordinator home, with the reason', () => {
  const gate = web('coordinator');
  expect(gate).toBlockRoute('/admin/users', { redirect: 'home', code: 'explicit_deny' });
  const m = model(gate, '/admin/users');
  expect(m.redirectedTo).toBe('/');
  expect(m.notice).toEqual({ from: '/admin/users', code: 'explicit_deny' });
  expect(m.page.title).toBe('Dashboard');
  expect(web('admin')).toAllowRoute('/admin/users');
});

test('a Contractor (mobile app only) is signed out of the web app', () => {
  const gate = web('contractor');
  expect(gate).toBlockRoute('/jobs', { redirect: 'logout', code: 'platform_denied' });
  expect(model(gate, '/jobs').page.kind).toBe('signed-out');
  expect(model(gate, '/jobs').menu).toEqual([]);
});

test('an expired snapshot denies everything: no menu, no proposals', async () => {
  const clock = testClock();
  const timed = await createTestKit({ policy: POLICY, users: USERS, audience: 'crm-web', now: clock.now });
  const gate = timed.gate('admin', { platform: 'web', ttl: 300 });
  expect(model(gate, '/proposals').page.rows).toHaveLength(3);
  clock.advance(300 + 61);
  expect(gate).toDeny('page.proposals.view', { code: 'expired' });
  const m = model(gate, '/proposals');
  expect([m.state, m.page.kind, m.menu]).toEqual(['expired', 'signed-out', []]);
});

test('a record of another organisation is never shown, whatever the role', () => {
  for (const who of ['admin', 'coordinator', 'consultant']) {
    expect(web(who).filter('proposal', PROPOSALS).map((p) => p.organisationId)).not.toContain('org-2');
  }
});
