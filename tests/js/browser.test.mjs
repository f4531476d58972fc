// The JS API tests in a real browser engine: serves this directory (the consumer project with the
// packed package installed) on 127.0.0.1, opens browser.html through WebDriver, with WebAssembly (the
// default module, then the planner module of `init({ query: true })`) and with it deleted, and turns
// each result the page reports into a test.
// ENGINE = chromium (default) | firefox | webkit (run webkit under `xvfb-run -a`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { session, waitFor } from './webdriver.mjs';

const ENGINE = process.env.ENGINE ?? 'chromium';
const dir = fileURLToPath(new URL('.', import.meta.url));
const port = 20000 + Math.floor(Math.random() * 10000);
const VARIANTS = { wasm: '', query: '?query', nowasm: '?nowasm' };
const results = {};
let server;

before(async () => {
  server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '-d', dir], { stdio: 'ignore' });
  const browser = await session(ENGINE);
  try {
    for (const [variant, query] of Object.entries(VARIANTS)) {
      for (let i = 0; ; i++) { // the server may take a moment to listen
        await browser.open(`http://127.0.0.1:${port}/browser.html${query}`);
        const title = await browser.evaluate('return document.title');
        if (title.startsWith('rolegate') || i > 50) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const out = await waitFor(browser, 'return window.results ?? (window.pageErrors.length ? { pageErrors: window.pageErrors } : null)');
      results[variant] = { out, errors: await browser.evaluate('return window.pageErrors') };
    }
  } finally {
    await browser.close();
  }
});

after(() => server?.kill());

const NAMES = ['conformance commusoft', 'conformance property', 'conformance reconpro', 'conformance neptunecrm',
  'mask hides costs with setting_off', 'filter keeps own customers, same objects', 'menu filters an app tree and keeps its properties',
  'canMany, id and canId agree with can', 'route redirects a Contractor on the web to logout', 'status reports the backend',
  'platform, keys and home: a Contractor may start on mobile only, home /jobs',
  'parity: can, check and explain agree on odd records and fail closed',
  'mask: one shallow copy in order; an own __proto__ member stays data',
  'mask: an unreadable record is bad_argument, nothing unwinds, the gate stays usable',
  'hostile callers: nothing unwinds, wedges or grants',
  "query: every plan is the native compiler's (planner module), or not_initialised"];

for (const variant of Object.keys(VARIANTS)) {
  for (const name of NAMES) {
    test(`${ENGINE} ${variant}: ${name}`, () => {
      const r = results[variant]?.out?.[name];
      assert.ok(r, `the page reported no result: ${JSON.stringify(results[variant]?.out?.pageErrors ?? results[variant])}`);
      assert.equal(r.ok, true, JSON.stringify(r.detail));
    });
  }
  test(`${ENGINE} ${variant}: no page errors`, () => assert.deepEqual(results[variant]?.errors, []));
}
