// End-to-end: the demo page in headless Chromium against the dev issuer (`rolegate serve`), which
// compiles and signs the snapshots of the sample users of examples/policies/. For every product, at
// least three users of different roles: exactly which menu items, routes, columns, records and
// buttons they get, with the reason codes of the explain panel; then tampered and expired snapshots,
// automatic refresh, and two phone emulations; last, the page's own rough edges (issue 21): unbroken
// codes with their messages, one explain row for one answer, the platform from the device, visible
// reasons of disabled buttons, screen titles, Tamper without a snapshot. Expectations come from the
// seed documents (../shared/seeds) as the policies encode them.
//
// BASE_URL is the dev server (default http://127.0.0.1:8123/); SCREENSHOTS is where pictures go.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { devices } from 'playwright-core';
import { launch, page as newPage } from './browser.mjs';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:8123/';
const SHOTS = process.env.SCREENSHOTS ?? 'target/screenshots';
mkdirSync(SHOTS, { recursive: true });

const DESKTOP = { viewport: { width: 1280, height: 800 } };
const phone = (name) => {
  const { defaultBrowserType, ...options } = devices[name]; // Chromium with the phone's viewport, UA, touch
  return options;
};
const PIXEL = phone('Pixel 7');
const IPHONE = phone('iPhone 14');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Opens the demo for `product`/`user` (query: platform, ttl, refresh) and waits until it has drawn. */
async function open(query, device = DESKTOP, hash = '') {
  const p = await newPage(browser, device);
  await p.goto(`${BASE}?${new URLSearchParams(query)}${hash}`);
  await p.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
  assert.equal(await p.getAttribute('body', 'data-user'), query.user, 'the requested user is shown');
  return p;
}

const state = (p) => p.getAttribute('#snapshot', 'data-state');
/** The visible menu leaves, in order (sections are not links). */
const menu = (p) => p.$$eval('#menu li[data-menu]:not(.section)', (els) => els.map((e) => e.dataset.menu));
const sections = (p) => p.$$eval('#menu li.section', (els) => els.map((e) => e.dataset.menu));
const routes = (p, cls) => p.$$eval(`#routes button.${cls}`, (els) => els.map((e) => e.dataset.route));
const columns = (p, resource) =>
  p.$$eval(`section[data-resource="${resource}"] th[data-field]`, (els) => els.map((e) => e.dataset.field));
const rows = (p, resource) =>
  p.$$eval(`section[data-resource="${resource}"] tr[data-record]`, (els) => els.map((e) => e.dataset.record));
/** `{ "<record>:<action>": true (enabled) | "<code>" (disabled) }` for a list. */
const buttons = (p, resource) =>
  p.$$eval(`section[data-resource="${resource}"] button[data-action]`, (els) => Object.fromEntries(
    els.map((e) => [`${e.dataset.record}:${e.dataset.action}`, e.disabled ? e.dataset.code : true])));
/** `{ "<kind>:<id>": code }` from the explain panel. */
const explained = (p) => p.$$eval('#explain tr[data-kind]', (els) => Object.fromEntries(
  els.map((e) => [`${e.dataset.kind}:${e.dataset.id}`, e.dataset.code])));

/** Clicks the menu link of `id` and waits until the page shows that route. */
async function openMenu(p, id, path) {
  await p.click(`#menu li[data-menu="${id}"] > a`);
  await p.waitForFunction((r) => document.body.dataset.route === r, path);
}

async function shot(p, name) {
  await p.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** Nothing overflows sideways (the page is usable at this width), and no console error was logged. */
async function tidy(p) {
  const { scroll, width } = await p.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: innerWidth }));
  assert.ok(scroll <= width, `the page is ${scroll} px wide in a ${width} px viewport`);
  assert.deepEqual(p.errors, []);
  await p.context().close();
}

// -------------------------------------------------------------------------------------------------
describe('NeptuneCRM', () => {
  const product = 'neptunecrm';

  test('Admin: every page, every customer and proposal with costs, every edit button', async () => {
    const p = await open({ product, user: 'admin' }, DESKTOP, '#/proposals');
    assert.equal(await state(p), 'valid');
    assert.deepEqual(await menu(p), ['dashboard', 'customers', 'proposals', 'proposal_builder', 'contracts', 'jobs',
      'templates', 'enquiries', 'marketing', 'inventory.products', 'inventory.pools', 'inventory.categories',
      'inventory.sections', 'admin.organisation', 'admin.users', 'admin.statistics', 'admin.subscription',
      'feature_flags', 'pdf_chat']);
    assert.deepEqual(await routes(p, 'deny'), []);
    assert.deepEqual(await columns(p, 'proposal'), ['title', 'price', 'cost', 'costBreakdown', 'margin']);
    assert.deepEqual(await rows(p, 'proposal'), ['PR-1', 'PR-2', 'PR-3']);
    await openMenu(p, 'customers', '/customers');
    assert.deepEqual(await rows(p, 'customer'), ['C-1', 'C-2', 'C-3', 'C-4']);
    assert.deepEqual(await buttons(p, 'customer'), { 'C-1:edit': true, 'C-2:edit': true, 'C-3:edit': true, 'C-4:edit': true });
    assert.deepEqual(await explained(p), { 'record:C-9': 'tenant_mismatch' }, 'only the other organisation\'s record is hidden');
    await shot(p, 'neptunecrm-admin-desktop');
    await tidy(p);
  });

  test('Admin assigns customers: the consultant dropdown lists the users whose canAssignCustomers is on (issuer)', async () => {
    const p = await open({ product, user: 'admin' }, DESKTOP, '#/customers');
    const dropdowns = await p.$$eval('section[data-resource="customer"] select[data-field="consultantName"]', (els) =>
      els.map((e) => ({ record: e.dataset.record, value: e.value, options: [...e.options].map((o) => o.value) })));
    // From `/api/users?setting=canAssignCustomers` (Compiler::list): every active user but the Contractor,
    // whose role turns the setting off by default; the inactive admin is in no list.
    const listed = ['u-admin', 'u-cons', 'u-cons2', 'u-coord'];
    assert.deepEqual(dropdowns, [
      { record: 'C-1', value: 'u-cons', options: listed }, { record: 'C-2', value: 'u-cons2', options: listed },
      { record: 'C-3', value: 'u-cons', options: listed }, { record: 'C-4', value: 'u-admin', options: listed },
    ]);
    await p.selectOption('select[data-record="C-2"]', 'u-coord');
    await p.waitForFunction(() => /Consultant of C-2: Cora Coordinator/.test(document.getElementById('alert')?.textContent ?? ''));
    await tidy(p);
  });

  test('Consultant: only their own customers and proposals, costs shown, admin and enquiries blocked', async () => {
    const p = await open({ product, user: 'consultant' }, DESKTOP, '#/customers');
    assert.deepEqual(await menu(p), ['dashboard', 'customers', 'proposals', 'proposal_builder', 'contracts', 'jobs',
      'templates', 'inventory.products', 'inventory.pools', 'feature_flags', 'pdf_chat']);
    assert.deepEqual(await sections(p), ['inventory']);
    assert.deepEqual(await routes(p, 'deny'), ['/jobs/new', '/enquiries', '/marketing', '/admin/users']);
    assert.deepEqual(await rows(p, 'customer'), ['C-1', 'C-3']);
    assert.deepEqual(await buttons(p, 'customer'), { 'C-1:edit': true, 'C-3:edit': true });
    const why = await explained(p);
    assert.equal(why['record:C-2'], 'out_of_scope');
    assert.equal(why['record:C-9'], 'tenant_mismatch');
    assert.equal(why['menu:enquiries'], 'explicit_deny');
    assert.equal(why['menu:admin'], 'explicit_deny');
    assert.equal(why['route:/admin/users'], 'explicit_deny');
    await openMenu(p, 'proposals', '/proposals');
    assert.deepEqual(await columns(p, 'proposal'), ['title', 'price', 'cost', 'costBreakdown', 'margin']);
    assert.deepEqual(await rows(p, 'proposal'), ['PR-1', 'PR-3']);
    assert.deepEqual(await buttons(p, 'proposal'), { 'PR-1:edit': true, 'PR-3:edit': true });
    // A blocked route redirects home, and says why.
    await p.click('#routes button[data-route="/enquiries"]');
    await p.waitForFunction(() => document.body.dataset.route === '/');
    assert.match(await p.textContent('#notice'), /Redirected from \/enquiries: explicit_deny/);
    await shot(p, 'neptunecrm-consultant-desktop');
    await tidy(p);
  });

  test('Consultant without costs: the cost, breakdown and margin columns are masked (setting_off)', async () => {
    const p = await open({ product, user: 'consultant_nocosts' }, DESKTOP, '#/proposals');
    assert.deepEqual(await columns(p, 'proposal'), ['title', 'price']);
    assert.deepEqual(await rows(p, 'proposal'), ['PR-2']);
    const why = await explained(p);
    for (const f of ['cost', 'costBreakdown', 'margin']) assert.equal(why[`field:proposal.${f}`], 'setting_off', f);
    assert.equal(why['menu:proposal_builder'], 'feature_disabled', 'her tenant has not enabled the builder');
    await tidy(p);
  });

  test('Coordinator: every customer and proposal, but no cost column and no inventory or admin', async () => {
    const p = await open({ product, user: 'coordinator' }, DESKTOP, '#/proposals');
    assert.deepEqual(await menu(p), ['dashboard', 'customers', 'proposals', 'proposal_builder', 'contracts', 'jobs',
      'templates', 'enquiries', 'marketing', 'feature_flags', 'pdf_chat']);
    assert.deepEqual(await sections(p), []);
    assert.deepEqual(await columns(p, 'proposal'), ['title', 'price']);
    assert.deepEqual(await rows(p, 'proposal'), ['PR-1', 'PR-2', 'PR-3']);
    assert.deepEqual(await buttons(p, 'proposal'), {}, 'coordinators view proposals, they do not edit them');
    const why = await explained(p);
    assert.equal(why['field:proposal.cost'], 'explicit_deny');
    assert.equal(why['menu:inventory'], 'empty_section');
    assert.equal(why['route:/products'], 'explicit_deny');
    await openMenu(p, 'customers', '/customers');
    assert.deepEqual(await rows(p, 'customer'), ['C-1', 'C-2', 'C-3', 'C-4']);
    await shot(p, 'neptunecrm-coordinator-desktop');
    await tidy(p);
  });

  test('Contractor on the web is logged out (platform_denied)', async () => {
    const p = await open({ product, user: 'contractor', platform: 'web' });
    assert.equal(await state(p), 'signed-out');
    assert.equal(await p.getAttribute('#page', 'data-kind'), 'fail-closed');
    assert.match(await p.textContent('#page'), /Signed out.*platform_denied/s);
    assert.deepEqual(await menu(p), []);
    await tidy(p);
  });

  test('Contractor in the mobile app (Pixel 7): only jobs, only their own, which they may update', async () => {
    const p = await open({ product, user: 'contractor', platform: 'mobile' }, PIXEL);
    assert.equal(await state(p), 'valid');
    assert.deepEqual(await menu(p), ['jobs']);
    assert.equal(await p.getAttribute('body', 'data-route'), '/jobs', 'home is blocked, so the first page of the menu');
    assert.deepEqual(await rows(p, 'job'), ['JB-1', 'JB-3']);
    assert.deepEqual(await buttons(p, 'job'), { 'JB-1:update': true, 'JB-3:update': true });
    assert.equal((await explained(p))['record:JB-2'], 'out_of_scope');
    await shot(p, 'neptunecrm-contractor-pixel7');
    await tidy(p);
  });
});

// -------------------------------------------------------------------------------------------------
describe('Commusoft', () => {
  const product = 'commusoft';

  test('Engineer: the web app logs them out; in the mobile app (iPhone 14) own jobs only and no invoicing', async () => {
    const web = await open({ product, user: 'engineer', platform: 'web' });
    assert.equal(await state(web), 'signed-out');
    await tidy(web);

    const p = await open({ product, user: 'engineer', platform: 'mobile' }, IPHONE);
    assert.deepEqual(await menu(p), ['diary']);
    assert.equal(await p.getAttribute('body', 'data-route'), '/diary');
    assert.deepEqual(await rows(p, 'job'), ['J-101', 'J-105']);
    assert.deepEqual(await buttons(p, 'job'), {}, 'an Engineer cannot invoice jobs or take payments');
    const why = await explained(p);
    assert.equal(why['button:job.invoice'], 'no_grant');
    assert.equal(why['button:job.payment'], 'no_grant');
    assert.equal(why['record:J-103'], 'out_of_scope');
    assert.equal(why['record:J-900'], 'tenant_mismatch');
    assert.equal(why['route:/jobs/J-101/invoice'], 'no_grant');
    await shot(p, 'commusoft-engineer-iphone14');
    await tidy(p);
  });

  test('Engineer with invoicing (mobile): invoices and takes payments on their own job', async () => {
    const p = await open({ product, user: 'engineer_invoicing', platform: 'mobile' }, PIXEL);
    assert.deepEqual(await menu(p), ['diary', 'customers']);
    assert.deepEqual(await rows(p, 'job'), ['J-102']);
    assert.deepEqual(await buttons(p, 'job'), { 'J-102:invoice': true, 'J-102:payment': true });
    await tidy(p);
  });

  test('Senior engineer (web): every diary and job; invoice only their own, reassign any', async () => {
    const p = await open({ product, user: 'senior_engineer', platform: 'web' });
    assert.deepEqual(await menu(p), ['diary', 'team_diary', 'customers']);
    assert.deepEqual(await rows(p, 'job'), ['J-101', 'J-102', 'J-103', 'J-104', 'J-105']);
    const b = await buttons(p, 'job');
    assert.deepEqual(Object.keys(b).filter((k) => k.endsWith(':invoice') && b[k] === true), ['J-104:invoice']);
    assert.equal(b['J-101:invoice'], 'out_of_scope');
    assert.ok(['J-101', 'J-102', 'J-103', 'J-104', 'J-105'].every((j) => b[`${j}:reassign`] === true));
    assert.equal(b['J-101:unlock'], undefined, 'unlocking is for Financial office staff');
    await tidy(p);
  });

  test('Owner/Manager: finance and settings; the contract only on the web', async () => {
    const p = await open({ product, user: 'owner_manager', platform: 'web' });
    assert.deepEqual(await menu(p), ['diary', 'team_diary', 'customers', 'finance.reconcile', 'finance.export',
      'settings.system', 'settings.finance', 'settings.users', 'settings.contract']);
    assert.deepEqual(await routes(p, 'deny'), ['/sales', '/sales/templates', '/sales/settings', '/sales/settings/branding']);
    await p.selectOption('#platform', 'mobile');
    await p.waitForFunction(() => document.body.dataset.platform === 'mobile' && document.body.dataset.route === '/diary');
    assert.deepEqual(await menu(p), ['diary', 'team_diary', 'customers', 'finance.reconcile', 'finance.export',
      'settings.system', 'settings.finance', 'settings.users']);
    assert.equal((await explained(p))['menu:settings.contract'], 'platform_denied');
    await tidy(p);
  });

  test('Sales person: opportunities only, proposal margins masked; Senior sales sees them', async () => {
    const p = await open({ product, user: 'sales_person', platform: 'web' });
    assert.deepEqual(await menu(p), ['sales.opportunities']);
    // A Sales+ role's own home (the policy's /diary is not theirs): no redirect on the way in.
    assert.equal(await p.getAttribute('body', 'data-route'), '/sales');
    assert.equal(await p.isVisible('#notice'), false);
    assert.deepEqual(await columns(p, 'proposal'), ['ref', 'customer', 'price']);
    assert.equal((await explained(p))['field:proposal.margin'], 'no_grant');
    await p.close();
    const senior = await open({ product, user: 'senior_sales', platform: 'web' });
    assert.deepEqual(await columns(senior, 'proposal'), ['ref', 'customer', 'price', 'margin', 'profit']);
    await shot(senior, 'commusoft-senior-sales-desktop');
    await tidy(senior);
    assert.deepEqual(p.errors, []);
  });

  test('A company without the Sales+ add-on: no Sales+ menu, route or key', async () => {
    const p = await open({ product, user: 'no_sales_plus', platform: 'web' });
    assert.deepEqual(await menu(p), ['diary', 'team_diary', 'customers']);
    const why = await explained(p);
    assert.equal(why['menu:sales'], 'feature_disabled');
    assert.equal(why['route:/sales/settings/branding'], 'feature_disabled');
    await tidy(p);
  });

  test('A suspended user ("Neither") is logged out on every platform', async () => {
    for (const platform of ['web', 'mobile']) {
      const p = await open({ product, user: 'suspended', platform });
      assert.equal(await state(p), 'signed-out', platform);
      assert.match(await p.textContent('#page'), /platform_denied/);
      await tidy(p);
    }
  });
});

// -------------------------------------------------------------------------------------------------
describe('Property maintenance', () => {
  const product = 'property';
  const all = ['dashboard', 'jobs', 'contractors', 'reports.standard', 'reports.gdpr', 'admin.roles', 'admin.security',
    'sysops.maintenance', 'sysops.appearance'];

  test('SysOps sees everything; Director everything but the SysOps tools', async () => {
    const p = await open({ product, user: 'sysops' });
    assert.equal(await p.isVisible('#platform-picker'), false, 'no platforms in this policy');
    assert.deepEqual(await menu(p), all);
    await p.close();
    const d = await open({ product, user: 'director' });
    assert.deepEqual(await menu(d), all.slice(0, 7));
    assert.deepEqual(await routes(d, 'deny'), ['/sysops/maintenance']);
    assert.equal((await explained(d))['route:/sysops/maintenance'], 'no_grant');
    assert.deepEqual(p.errors, []);
    await tidy(d);
  });

  test('Finance and Maintenance Coordinator: jobs for the whole tenant; GDPR reports for Finance only', async () => {
    const f = await open({ product, user: 'finance' }, DESKTOP, '#/jobs');
    assert.deepEqual(await menu(f), ['dashboard', 'jobs', 'contractors', 'reports.standard', 'reports.gdpr']);
    assert.deepEqual(await rows(f, 'job'), ['PJ-1', 'PJ-2', 'PJ-3']);
    assert.deepEqual(Object.values(await buttons(f, 'job')).every((b) => b === true), true);
    assert.equal((await explained(f))['record:PJ-9'], 'tenant_mismatch');
    await shot(f, 'property-finance-desktop');
    await tidy(f);
    const m = await open({ product, user: 'maintenance_coordinator' });
    assert.deepEqual(await menu(m), ['dashboard', 'jobs', 'contractors', 'reports.standard']);
    assert.equal((await explained(m))['menu:reports.gdpr'], 'no_grant');
    assert.deepEqual(await columns(m, 'invoice'), ['number', 'amount', 'bankDetails']);
    await tidy(m);
  });

  test('Minimal Access has no pages but their profile (their home)', async () => {
    const p = await open({ product, user: 'minimal_access' });
    assert.equal(await state(p), 'valid');
    assert.deepEqual(await menu(p), []);
    assert.equal(await p.isVisible('#menu-empty'), true);
    assert.equal(await p.getAttribute('body', 'data-route'), '/profile', 'a home they may open, not a redirect loop');
    assert.equal(await p.getAttribute('#page', 'data-kind'), 'page');
    assert.deepEqual(await routes(p, 'allow'), []);
    const why = await explained(p);
    assert.equal(why['menu:dashboard'], 'no_grant');
    assert.equal(why['route:/dashboard'], 'no_grant');
    await tidy(p);
  });
});

// -------------------------------------------------------------------------------------------------
describe('ReconPro', () => {
  const product = 'reconpro';

  test('Administrator: all operations, reporting and settings; every work order editable', async () => {
    const p = await open({ product, user: 'administrator' }, DESKTOP, '#/work-orders');
    assert.deepEqual(await menu(p), ['operations.service_requests', 'operations.work_orders', 'operations.invoices',
      'operations.repair_orders', 'reporting.reports', 'reporting.timesheets', 'settings.clients', 'settings.teams',
      'settings.devices']);
    assert.deepEqual(await rows(p, 'work_order'), ['WO-1', 'WO-2', 'WO-3', 'WO-4']);
    assert.deepEqual(await buttons(p, 'work_order'), { 'WO-1:edit': true, 'WO-2:edit': true, 'WO-3:edit': true, 'WO-4:edit': true });
    await tidy(p);
  });

  test('Team Work Manager: only their team\'s work orders and invoices, no settings', async () => {
    const p = await open({ product, user: 'team_work_manager' }, DESKTOP, '#/work-orders');
    assert.deepEqual(await menu(p), ['operations.service_requests', 'operations.work_orders', 'operations.invoices',
      'operations.repair_orders', 'reporting.reports', 'reporting.timesheets']);
    assert.deepEqual(await rows(p, 'work_order'), ['WO-1', 'WO-3']);
    assert.deepEqual(await buttons(p, 'work_order'), { 'WO-1:edit': true, 'WO-3:edit': true });
    const why = await explained(p);
    assert.equal(why['record:WO-2'], 'out_of_scope');
    assert.equal(why['record:WO-9'], 'tenant_mismatch');
    assert.equal(why['menu:settings'], 'empty_section');
    await openMenu(p, 'operations.invoices', '/invoices');
    assert.deepEqual(await rows(p, 'invoice'), ['IN-1']);
    await openMenu(p, 'reporting.timesheets', '/timesheets');
    assert.deepEqual(await rows(p, 'timesheet'), ['TS-1', 'TS-3'], 'timesheets of their team only');
    await shot(p, 'reconpro-team-work-manager-desktop');
    await tidy(p);
  });

  test('Area Work Manager sees their area; Read-Only Work Manager sees all but edits nothing', async () => {
    const a = await open({ product, user: 'area_work_manager' }, DESKTOP, '#/work-orders');
    assert.deepEqual(await rows(a, 'work_order'), ['WO-1', 'WO-2']);
    await tidy(a);
    const r = await open({ product, user: 'work_manager_readonly' }, DESKTOP, '#/work-orders');
    assert.deepEqual(await menu(r), ['operations.service_requests', 'operations.work_orders', 'reporting.reports']);
    assert.deepEqual(await rows(r, 'work_order'), ['WO-1', 'WO-2', 'WO-3', 'WO-4']);
    assert.deepEqual(await buttons(r, 'work_order'), {});
    assert.equal((await explained(r))['route:/work-orders/WO-1/edit'], 'no_grant');
    await tidy(r);
  });

  test('Client users see the Monitor (subscribed) and their commissions; employees are refused the Back Office', async () => {
    const c = await open({ product, user: 'client' });
    assert.deepEqual(await menu(c), ['monitor', 'commissions']);
    await tidy(c);
    const s = await open({ product, user: 'sales_person' }, DESKTOP, '#/commissions');
    assert.deepEqual(await menu(s), ['commissions']);
    assert.deepEqual(await rows(s, 'commission'), ['CM-1']);
    assert.equal((await explained(s))['record:CM-3'], 'client_mismatch', 'their own commission, but of another client');
    await tidy(s);
    const e = await open({ product, user: 'employee', platform: 'back_office' });
    assert.equal(await state(e), 'signed-out');
    await tidy(e);
  });
});

// -------------------------------------------------------------------------------------------------
describe('snapshot life cycle', () => {
  test('a tampered stored snapshot fails closed (phone), and a genuine one restores the page', async () => {
    const p = await open({ product: 'neptunecrm', user: 'consultant' }, { ...PIXEL, viewport: { width: 360, height: 780 } });
    assert.ok((await menu(p)).length > 0);
    await p.click('#tamper');
    assert.equal(await state(p), 'refused');
    assert.match(await p.textContent('#snap-state'), /refused: bad_signature/);
    assert.equal(await p.getAttribute('#page', 'data-kind'), 'fail-closed');
    assert.deepEqual(await menu(p), []);
    assert.deepEqual(await routes(p, 'allow'), []);
    assert.deepEqual(await explained(p), { 'all:all': 'no_snapshot' }, 'one row for the same answer everywhere');
    const stored = await p.evaluate(() => sessionStorage.getItem('rolegate-demo:token'));
    assert.equal(stored.split('.').length, 3, 'the stored token itself was altered');
    await shot(p, 'demo-phone-tampered');
    await p.click('#restore');
    await p.waitForFunction(() => document.getElementById('snapshot').dataset.state === 'valid');
    assert.ok((await menu(p)).includes('customers'));
    await tidy(p);
  });

  test('an expired snapshot denies everything; a new one restores the page', async () => {
    const p = await open({ product: 'reconpro', user: 'administrator', ttl: '2', refresh: 'off' });
    assert.equal(await state(p), 'valid');
    await p.waitForFunction(() => document.getElementById('snapshot').dataset.state === 'expired', null, { timeout: 5000 });
    assert.equal(await p.getAttribute('#page', 'data-kind'), 'fail-closed');
    assert.deepEqual(await menu(p), []);
    assert.deepEqual(await explained(p), { 'all:all': 'expired' }, 'one row for the same answer everywhere');
    await shot(p, 'demo-expired-desktop');
    await p.click('#restore');
    await p.waitForFunction(() => document.getElementById('snapshot').dataset.state === 'valid');
    assert.ok((await menu(p)).includes('operations.work_orders'));
    await tidy(p);
  });

  test('the snapshot is refreshed before it expires, with a countdown', async () => {
    const p = await open({ product: 'property', user: 'finance', ttl: '3' });
    const first = await p.evaluate(() => document.getElementById('snap-expires').dataset.seconds);
    assert.ok(Number(first) <= 3 && Number(first) > 0, first);
    await p.waitForFunction(() => /[1-9]\d* refresh/.test(document.getElementById('snap-meta').textContent), null, { timeout: 6000 });
    await p.waitForTimeout(3500); // longer than one lifetime: refreshed again, never expired
    assert.equal(await state(p), 'valid');
    assert.match(await p.textContent('#snap-meta'), /([2-9]|\d\d) refreshes/);
    assert.deepEqual(await menu(p), ['dashboard', 'jobs', 'contractors', 'reports.standard', 'reports.gdpr']);
    await tidy(p);
  });

  test('switching product and user from the pickers signs the new user in', async () => {
    const p = await open({ product: 'property', user: 'finance' }, DESKTOP);
    await p.selectOption('#product', 'neptunecrm');
    await p.waitForFunction(() => document.body.dataset.product === 'neptunecrm' && document.body.dataset.route === '/');
    await p.selectOption('#user', 'coordinator');
    await p.waitForFunction(() => document.body.dataset.user === 'coordinator' && document.body.dataset.route === '/');
    assert.match(await p.textContent('#snap-who'), /u-coord/);
    assert.ok(!(await menu(p)).includes('inventory.products'));
    await p.click('#menu li[data-menu="proposals"] > a');
    await p.waitForFunction(() => document.body.dataset.route === '/proposals');
    assert.deepEqual(await columns(p, 'proposal'), ['title', 'price']);
    await shot(p, 'demo-desktop');
    await tidy(p);
  });
});

// -------------------------------------------------------------------------------------------------
// Issue 21 (point 7): the rough edges a newcomer reported, each on a desktop and a phone.
describe('demo page rough edges', () => {
  const PHONES = { 'Pixel 7': PIXEL, 'iPhone 14': IPHONE };
  const ALL = { desktop: DESKTOP, ...PHONES };

  /** The explain panel's code elements that wrap onto a second line or stick out of their cell. */
  const brokenCodes = (p) => p.$$eval('#explain code', (els) => els.flatMap((e) => {
    const box = e.getBoundingClientRect();
    const cell = e.closest('td').getBoundingClientRect();
    const ok = e.getClientRects().length === 1 && box.left >= cell.left - 0.5 && box.right <= cell.right + 0.5;
    return ok ? [] : [`${e.textContent} (${e.getClientRects().length} lines, ${box.left}–${box.right} in ${cell.left}–${cell.right})`];
  }));
  /** `{ code, message, rule }` of the explain row `kind:id`. */
  const reason = (p, kind, id) => p.$eval(`#explain tr[data-kind="${kind}"][data-id="${id}"]`, (tr) => ({
    code: tr.dataset.code, message: tr.querySelector('.message')?.textContent, rule: tr.querySelector('.rule code')?.textContent,
  }));
  /** The explain panel when it is one row: its kind, code, count and text. */
  const oneRow = async (p) => {
    const rowsShown = await p.$$eval('#explain tr', (trs) => trs.map((tr) => ({
      kind: tr.dataset.kind, code: tr.dataset.code, count: Number(tr.dataset.count), text: tr.textContent,
    })));
    assert.equal(rowsShown.length, 1, rowsShown.map((r) => r.text).join('\n'));
    return rowsShown[0];
  };

  for (const [name, device] of Object.entries(ALL)) {
    test(`explain (${name}): codes and rule ids never break mid-word, and each code has its message`, async () => {
      const p = await open({ product: 'neptunecrm', user: 'coordinator' }, device, '#/proposals');
      assert.deepEqual(await brokenCodes(p), []);
      assert.deepEqual(await reason(p, 'menu', 'admin.users'),
        { code: 'explicit_deny', message: 'a deny rule covers this, and deny beats any allow', rule: 'page.admin.*' });
      assert.deepEqual(await reason(p, 'record', 'C-9'),
        { code: 'tenant_mismatch', message: 'the record belongs to another organisation', rule: undefined });
      const messages = await p.$$eval('#explain tr[data-kind]', (trs) => trs.map((tr) => tr.querySelector('.message')?.textContent ?? ''));
      assert.ok(messages.length > 10 && messages.every((m) => m.length > 10), messages.join('|'));
      await shot(p, `explain-${name.replace(' ', '').toLowerCase()}`);
      await tidy(p);
    });
  }

  for (const [name, device] of Object.entries({ desktop: DESKTOP, 'Pixel 7': PIXEL })) {
    test(`explain (${name}): the signed-out, tampered and expired states show one row for their one answer`, async () => {
      const out = await open({ product: 'neptunecrm', user: 'contractor', platform: 'web' }, device);
      assert.equal(await state(out), 'signed-out');
      const signedOut = await oneRow(out);
      assert.equal(signedOut.kind, 'all');
      assert.equal(signedOut.code, 'no_snapshot');
      assert.ok(signedOut.count >= 40, String(signedOut.count));
      assert.match(signedOut.text,
        new RegExp(`^all\\s*${signedOut.count} items \\(\\d+ menu, \\d+ route.*\\)\\s*no_snapshot no valid permission snapshot is loaded$`));
      assert.deepEqual(await brokenCodes(out), []);
      await tidy(out);

      const tampered = await open({ product: 'neptunecrm', user: 'admin' }, device);
      await tampered.click('#tamper');
      assert.equal(await state(tampered), 'refused');
      const refused = await oneRow(tampered);
      assert.equal(refused.code, 'no_snapshot');
      assert.match(refused.text, /^all\s*\d+ items .*no valid permission snapshot is loaded/);
      await tidy(tampered);

      // Three seconds to live: the demo's gate has no clock skew, so a snapshot that expired between
      // signing and loading (a slow page under load) would be refused, not expired (a CI run saw
      // that with one second).
      const old = await open({ product: 'commusoft', user: 'senior_engineer', ttl: '3', refresh: 'off' }, device);
      await old.waitForFunction(() => document.getElementById('snapshot').dataset.state === 'expired', null, { timeout: 10_000 });
      const expired = await oneRow(old);
      assert.equal(expired.code, 'expired');
      assert.match(expired.text, /items .*expired.*the permission snapshot has expired/);
      await shot(old, `explain-expired-${name.replace(' ', '').toLowerCase()}`);
      await tidy(old);
    });
  }

  /** The user picker's text of each user, by name. */
  const options = (p) => p.$$eval('#user option', (els) => Object.fromEntries(els.map((o) => [o.value, o.textContent])));

  for (const [name, device] of Object.entries({ desktop: DESKTOP, 'Pixel 7': PIXEL })) {
    test(`user picker (${name}): each user shows the platforms they may use`, async () => {
      const p = await open({ product: 'commusoft', user: 'senior_engineer' }, device);
      const commusoft = await options(p);
      assert.equal(commusoft.engineer, 'Engineer (Ed Engineer) · Mobile app');
      assert.equal(commusoft.senior_engineer, 'Senior engineer · Web app, Mobile app');
      assert.equal(commusoft.owner_manager, 'Owner/Manager · Web app, Mobile app', 'no platforms in the record: all of them');
      assert.equal(commusoft.suspended.endsWith(' · no platform'), true, commusoft.suspended);
      await p.selectOption('#product', 'reconpro');
      await p.waitForFunction(() => document.body.dataset.product === 'reconpro');
      const reconpro = await options(p);
      assert.equal(reconpro.client, 'Client · Back Office', 'a role allows the Back Office only');
      assert.equal(reconpro.employee, 'Employee · Mobile app');
      await p.selectOption('#product', 'neptunecrm');
      await p.waitForFunction(() => document.body.dataset.product === 'neptunecrm');
      assert.equal((await options(p)).contractor, 'Contractor (Tom Contractor) · Mobile app');
      await p.selectOption('#product', 'property');
      await p.waitForFunction(() => document.body.dataset.product === 'property');
      assert.equal((await options(p)).finance, 'Finance', 'a product without platforms names none');
      await tidy(p);
    });
  }

  /** "<platform>:<snapshot state>" of a page. */
  const where = async (p) => `${await p.getAttribute('body', 'data-platform')}:${await state(p)}`;

  test('platform: a phone signs a mobile-only user in on mobile, a desktop on the web, and ?platform= wins', async () => {
    for (const [name, device] of Object.entries(PHONES)) {
      const p = await open({ product: 'commusoft', user: 'engineer' }, device);
      assert.equal(await p.getAttribute('body', 'data-platform'), 'mobile', name);
      assert.equal(await state(p), 'valid', name);
      assert.equal(await p.inputValue('#platform'), 'mobile', name);
      assert.deepEqual(await menu(p), ['diary'], name);
      await tidy(p);
    }
    const employee = await open({ product: 'reconpro', user: 'employee' }, PIXEL);
    assert.equal(await where(employee), 'mobile:valid', 'ReconPro employees use the mobile app');
    await tidy(employee);

    const desk = await open({ product: 'commusoft', user: 'engineer' }, DESKTOP);
    assert.equal(await where(desk), 'web:signed-out');
    assert.match(await desk.textContent('#page'), /This user may use: Mobile app\./);
    await tidy(desk);
    const backOffice = await open({ product: 'reconpro', user: 'administrator' }, DESKTOP);
    assert.equal(await where(backOffice), 'back_office:valid', 'without a web platform, the first other than mobile');
    await tidy(backOffice);

    const web = await open({ product: 'commusoft', user: 'engineer', platform: 'web' }, PIXEL);
    assert.equal(await where(web), 'web:signed-out', '?platform=web on a phone');
    await tidy(web);
  });

  for (const [name, device] of Object.entries({ desktop: DESKTOP, 'Pixel 7': PIXEL })) {
    test(`disabled buttons (${name}): the gate's reason is in view without hovering`, async () => {
      const p = await open({ product: 'commusoft', user: 'senior_engineer', platform: 'mobile' }, device, '#/diary');
      assert.equal(await p.isDisabled('button[data-record="J-101"][data-action="invoice"]'), true);
      const why = await p.getAttribute('button[data-record="J-101"][data-action="invoice"]', 'aria-describedby');
      assert.ok(why, 'the disabled button names its reason');
      assert.equal(await p.isVisible(`#${why}`), true);
      assert.equal(await p.textContent(`#${why}`), 'Invoice, Take payment: the user\'s grant does not reach this record');
      assert.equal(await p.getAttribute(`#${why}`, 'data-code'), 'out_of_scope');
      assert.equal(await p.getAttribute('button[data-record="J-104"][data-action="invoice"]', 'aria-describedby'), null);
      assert.equal(await p.$$eval('tr[data-record="J-104"] .why', (els) => els.length), 0, 'no reason where all is allowed');
      await shot(p, `disabled-reasons-${name.replace(' ', '').toLowerCase()}`);
      await tidy(p);
    });

    test(`page title (${name}): a screen without a menu label is named, not shown as its path`, async () => {
      const client = await open({ product: 'reconpro', user: 'client', platform: 'back_office' }, device);
      assert.equal(await client.textContent('#page-title'), 'ReconPro home');
      await tidy(client);
      const admin = await open({ product: 'reconpro', user: 'administrator', platform: 'back_office' }, device, '#/work-orders/WO-1/edit');
      assert.equal(await admin.getAttribute('body', 'data-route'), '/work-orders/WO-1/edit');
      assert.equal(await admin.textContent('#page-title'), 'Work orders › WO-1 › edit');
      await tidy(admin);
    });

    test(`tamper (${name}): with no snapshot stored the button is disabled and says why`, async () => {
      const out = await open({ product: 'neptunecrm', user: 'contractor', platform: 'web' }, device);
      assert.equal(await state(out), 'signed-out');
      assert.equal(await out.isDisabled('#tamper'), true);
      assert.equal(await out.isVisible('#tamper-why'), true);
      assert.match(await out.textContent('#tamper-why'), /No snapshot is stored/);
      await tidy(out);
      const p = await open({ product: 'neptunecrm', user: 'consultant' }, device);
      assert.equal(await p.isDisabled('#tamper'), false);
      assert.equal(await p.isVisible('#tamper-why'), false);
      await tidy(p);
    });
  }
});
