// The browser half of the JS API tests: serves this directory (the consumer project with the packed
// package installed) on 127.0.0.1, opens browser.html in headless Chromium, and turns each result the
// page reports into a test. CHROMIUM_PATH overrides /usr/bin/chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const dir = fileURLToPath(new URL('.', import.meta.url));
const port = 20000 + Math.floor(Math.random() * 20000);
let server, browser, results, errors;

before(async () => {
  server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '-d', dir], { stdio: 'ignore' });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage();
  errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  for (let i = 0; ; i++) {
    try {
      await page.goto(`http://127.0.0.1:${port}/browser.html`);
      break;
    } catch (e) {
      if (i > 50) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await page.waitForFunction(() => window.results, null, { timeout: 60_000 });
  results = await page.evaluate(() => window.results);
});

after(async () => {
  await browser?.close();
  server?.kill();
});

const NAMES = ['conformance commusoft', 'conformance property', 'conformance reconpro', 'conformance neptunecrm',
  'mask hides costs with setting_off', 'filter keeps own customers, same objects', 'menu filters an app tree and keeps its properties',
  'canMany, id and canId agree with can', 'route redirects a Contractor on the web to logout', 'status reports the wasm backend'];

for (const name of NAMES) {
  test(`chromium: ${name}`, () => {
    assert.ok(results[name], `the page reported no result for ${name}`);
    assert.equal(results[name].ok, true, JSON.stringify(results[name].detail));
  });
}

test('chromium: no page errors', () => assert.deepEqual(errors, []));
