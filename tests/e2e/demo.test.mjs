// End-to-end: the demo page in headless Chromium, against the dev-signed snapshots.
// BASE_URL defaults to the demo server's address; SCREENSHOTS is where pictures are written.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launch, page as newPage } from './browser.mjs';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:8123/';
const SHOTS = process.env.SCREENSHOTS ?? 'target/screenshots';
mkdirSync(SHOTS, { recursive: true });

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function open(options) {
  const p = await newPage(browser, options);
  await p.goto(BASE);
  await p.waitForSelector('body[data-ready="true"]');
  return p;
}

const decision = (p, key) => p.textContent(`tr[data-key="${key}"] td:nth-child(2)`);
const reason = (p, key) => p.textContent(`tr[data-key="${key}"] td:nth-child(3)`);

test('the demo verifies a snapshot and shows its subject and decisions', async () => {
  const p = await open({ viewport: { width: 1280, height: 800 } });
  assert.equal(await p.textContent('#state'), 'verified');
  assert.equal(await p.textContent('#subject'), 'alice');
  assert.equal(await p.textContent('#tenant'), 'acme');
  assert.equal(await decision(p, 'page.jobs.view'), 'allow');
  assert.equal(await decision(p, 'page.admin.billing'), 'deny');
  assert.equal(await reason(p, 'page.admin.billing'), 'explicit_deny');
  assert.equal(await decision(p, 'api.invoices.export'), 'deny');
  assert.equal(await reason(p, 'api.invoices.export'), 'no_grant');
  await p.screenshot({ path: `${SHOTS}/demo-desktop.png`, fullPage: true });
  assert.deepEqual(p.errors, []);
});

test('switching user loads that user\'s snapshot', async () => {
  const p = await open();
  await p.selectOption('#user', 'bob');
  assert.equal(await p.textContent('#subject'), 'bob');
  assert.equal(await decision(p, 'page.jobs.view'), 'allow');
  assert.equal(await decision(p, 'api.email.send.manage'), 'deny');
  assert.deepEqual(p.errors, []);
});

test('a token altered by one character fails closed with its error code', async () => {
  const p = await open({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  await p.click('#tamper');
  const code = await p.getAttribute('#error', 'data-code');
  assert.ok(['bad_signature', 'malformed'].includes(code), code);
  assert.match(await p.textContent('#error'), new RegExp(code));
  assert.equal(await p.textContent('#state'), 'no valid snapshot');
  for (const key of ['page.jobs.view', 'api.email.send.manage']) {
    assert.equal(await decision(p, key), 'deny');
    assert.equal(await reason(p, key), 'no_snapshot');
  }
  await p.screenshot({ path: `${SHOTS}/demo-phone-tampered.png`, fullPage: true });
  await p.click('#restore');
  assert.equal(await p.textContent('#state'), 'verified');
  assert.deepEqual(p.errors, []);
});
