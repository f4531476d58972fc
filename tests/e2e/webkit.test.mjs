// The demo in WebKit (the engine of Safari and WKWebView), for one product: NeptuneCRM, three roles.
// Playwright cannot drive Debian's WebKitGTK, so this goes through WebDriver (tests/js/webdriver.mjs),
// which starts WebKitWebDriver under xvfb-run when there is no display. BASE_URL is the demo's address.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { session, waitFor } from '../js/webdriver.mjs';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:8123/';
let browser;

before(async () => { browser = await session(process.env.E2E_ENGINE ?? 'webkit'); });
after(async () => { await browser?.close(); });

/** Opens the demo as `user` and returns what it drew: menu leaves, customer rows, snapshot state, errors. */
async function open(user, hash = '#/customers') {
  await browser.open(`${BASE}?${new URLSearchParams({ product: 'neptunecrm', user })}${hash}`);
  await waitFor(browser, `return document.body.dataset.ready === 'true' && document.body.dataset.user === ${JSON.stringify(user)} || null`);
  return browser.evaluate(`return {
    menu: [...document.querySelectorAll('#menu li[data-menu]:not(.section)')].map((e) => e.dataset.menu),
    rows: [...document.querySelectorAll('section[data-resource="customer"] tr[data-record]')].map((e) => e.dataset.record),
    state: document.querySelector('#snapshot')?.dataset.state,
    backend: document.body.dataset.backend ?? null,
  }`);
}

test('webkit: Admin sees the admin menu and every customer of the organisation', async () => {
  const d = await open('admin');
  assert.ok(d.menu.includes('admin.users') && d.menu.includes('enquiries'), d.menu.join());
  assert.ok(d.rows.length >= 3, d.rows.join());
});

test('webkit: Consultant sees only their own customers and no admin or enquiries', async () => {
  const d = await open('consultant');
  assert.deepEqual(d.rows, ['C-1', 'C-3']);
  assert.ok(!d.menu.some((m) => m.startsWith('admin')) && !d.menu.includes('enquiries'), d.menu.join());
});

test('webkit: Coordinator has no inventory section', async () => {
  const d = await open('coordinator');
  assert.ok(d.menu.includes('enquiries') && !d.menu.some((m) => m.startsWith('inventory')), d.menu.join());
});
