// Soak in headless Chromium: `node bench/soak/browser.mjs [cycles] [checksPerCycle]` after
// `bash scripts/build.sh`. Serves pkg/ and this directory to a page through request interception (no
// server), runs the same workload as node.mjs there, and prints the samples and growth as JSON.
// Needs playwright-core (a devDependency) and /usr/bin/chromium (CHROMIUM_PATH overrides it).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { fixtures } from './node.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cycles = Number(process.argv[2] ?? 10_000);
const checksPerCycle = Number(process.argv[3] ?? 1_000);
const TYPES = { js: 'text/javascript', mjs: 'text/javascript', wasm: 'application/wasm', html: 'text/html', json: 'application/json' };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking',
    '--enable-precise-memory-info', '--js-flags=--expose-gc'],
});
try {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.route('http://soak.invalid/**', (route) => {
    const path = new URL(route.request().url()).pathname;
    const file = path === '/' ? 'bench/soak/page.html' : path.slice(1);
    if (!/^(pkg|bench\/soak)\/[\w./-]+$/.test(file) || file.includes('..')) return route.fulfill({ status: 404 });
    try {
      route.fulfill({ body: readFileSync(root + file), contentType: TYPES[file.split('.').pop()] ?? 'application/octet-stream' });
    } catch {
      route.fulfill({ status: 404 });
    }
  });
  await page.goto('http://soak.invalid/');
  await page.waitForFunction(() => window.ready);
  const r = await page.evaluate(([fx, c, n]) => window.run(fx, c, n), [fixtures(), cycles, checksPerCycle]);
  const summary = { runtime: `chromium ${browser.version()}`, cycles: r.cycles, checks: r.checks, allowed: r.allowed,
    seconds: +(r.ms / 1000).toFixed(2), checksPerSecond: Math.round(r.checks / (r.ms / 1000)), ...r.growth, errors };
  console.log(JSON.stringify({ summary, samples: r.samples }));
  console.error(JSON.stringify(summary, null, 1));
  process.exitCode = errors.length || r.growth.wasmGrowth > 0 || r.growth.heapGrowth > 4 * 1024 * 1024 ? 1 : 0;
} finally {
  await browser.close();
}
