// End-to-end tests in headless Chromium (Playwright): the page gets the kit's JWKS and test snapshots
// from `kit.attach` instead of a back end, and the DOM is compared with the answers of a gate holding
// the same snapshot. CHROMIUM_PATH overrides the browser (default: Debian's /usr/bin/chromium).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { assertFieldMasked, assertFieldVisible } from 'rolegate/testing';
import { MENU } from '../src/view.js';
import { kit as makeKit } from './kit.js';
import { serve } from './server.mjs';

const kit = await makeKit();
let server;
let browser;

before(async () => {
  server = await serve();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking'],
  });
});
after(async () => {
  await browser?.close();
  server?.close();
});

/** A page attached to the kit as `who`, opened at `hash`, with its errors collected. */
async function open(who, hash = '/') {
  const page = await browser.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  const session = await kit.attach(page, who);
  await page.goto(`${server.url}#${hash}`);
  await page.waitForSelector('#status[data-state="active"], #status[data-state="signed-out"]');
  return { page, session };
}

const menuIds = (page) => page.$$eval('#menu a', (links) => links.map((a) => a.dataset.id));
const headers = (page) => page.$$eval('#page th', (ths) => ths.map((th) => th.textContent));
const flatten = (tree) => tree.flatMap((n) => [n.id, ...flatten(n.children ?? [])]);

test('a Coordinator: the menu the gate allows, proposals without any cost', async () => {
  const { page } = await open('coordinator', '/proposals');
  const gate = kit.gate('coordinator', { platform: 'web' });
  assertFieldMasked(gate, 'proposal', 'cost');
  assert.deepEqual(await menuIds(page), flatten(gate.menu(MENU)));
  assert.deepEqual(await headers(page), ['Proposal', 'Customer', 'Value']);
  const text = await page.textContent('#page');
  for (const cost of ['11200', '4100', '6300', 'labour']) assert.ok(!text.includes(cost), `a cost (${cost}) is on the page`);
  assert.equal(await page.locator('#page tbody tr').count(), 3);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a Consultant: their own proposals, with costs', async () => {
  const { page } = await open('consultant', '/proposals');
  assertFieldVisible(kit.gate('consultant', { platform: 'web' }), 'proposal', 'cost');
  assert.deepEqual(await headers(page), ['Proposal', 'Customer', 'Value', 'Cost', 'Breakdown', 'Margin']);
  assert.deepEqual(await page.$$eval('#page tbody tr', (rows) => rows.map((r) => r.dataset.id)), ['p-1', 'p-3']);
  await page.close();
});

test('a blocked route redirects home and says why', async () => {
  const { page } = await open('coordinator', '/admin/users');
  await page.waitForFunction(() => location.hash === '#/');
  assert.match(await page.textContent('#notice'), /\/admin\/users is not available to you \(explicit_deny\)/);
  assert.equal(await page.textContent('#page h1'), 'Dashboard');
  await page.close();
});

test('a Contractor on the web is signed out', async () => {
  const { page } = await open('contractor', '/jobs');
  assert.equal(await page.getAttribute('#page', 'data-kind'), 'signed-out');
  assert.deepEqual(await menuIds(page), []);
  await page.close();
});

test('the snapshot expires mid-test: the screen re-renders with everything denied', async () => {
  const { page, session } = await open('admin', '/proposals');
  assert.equal(await page.locator('#page tbody tr').count(), 3);
  await session.expire();
  await page.waitForSelector('#status[data-state="expired"]');
  assert.deepEqual(await menuIds(page), []);
  assert.equal(await page.locator('#page tbody tr').count(), 0);
  assert.match(await page.textContent('#problem'), /snapshot unavailable/, 'the refresh before expiry was refused by the ended session');
  await page.close();
});

test('a tampered refresh is refused and the previous snapshot stays in force', async () => {
  const { page, session } = await open('consultant', '/proposals');
  session.tamper();
  // Move the page clock to the app's refresh (30 s before expiry): it fetches the tampered snapshot.
  await page.clock.fastForward((session.claims.exp - 30 - session.claims.iat + 1) * 1000);
  await page.waitForSelector('#problem[data-code="bad_signature"]');
  assert.equal(await page.getAttribute('#status', 'data-state'), 'active');
  assert.deepEqual(await headers(page), ['Proposal', 'Customer', 'Value', 'Cost', 'Breakdown', 'Margin']);
  await page.close();
});

test('a tampered snapshot at start-up: nothing gated is shown', async () => {
  const page = await browser.newPage();
  const session = await kit.attach(page, 'admin');
  session.tamper('payload');
  await page.goto(`${server.url}#/proposals`);
  await page.waitForSelector('#problem[data-code="bad_signature"]');
  assert.equal(await page.getAttribute('#status', 'data-state'), 'signed-out');
  assert.deepEqual(await menuIds(page), []);
  await page.close();
});

test('switching user mid-test: the next snapshot is the new role', async () => {
  const { page, session } = await open('coordinator', '/proposals');
  assert.deepEqual(await headers(page), ['Proposal', 'Customer', 'Value']);
  session.as('admin');
  await page.reload();
  await page.waitForSelector('#status[data-state="active"]');
  assert.match(await page.textContent('#status'), /u-admin/);
  assert.deepEqual(await headers(page), ['Proposal', 'Customer', 'Value', 'Cost', 'Breakdown', 'Margin']);
  await page.close();
});
