// The same harness in headless Chromium (Debian's, through playwright-core): the page gets the
// fixtures as JSON, loads the three libraries from a bundle, checks their decisions and times them.
// Cold start: a fresh browser context per run loads one library's bundle and answers one check.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

import { OUT, ROOT } from './prepare.mjs';

const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.json': 'application/json' };
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const ENTRY = `
import * as rolegate from '../../pkg/index.js';
import * as casl from '@casl/ability';
import * as caslExtra from '@casl/ability/extra';
import initCedar, * as cedar from '@cedar-policy/cedar-wasm/web';
import { runWorkload } from '../harness.mjs';
window.runBench = async (fixtures, options) => {
  await rolegate.init('/pkg/rolegate_bg.wasm');
  await initCedar({ module_or_path: '/node_modules/@cedar-policy/cedar-wasm/web/cedar_wasm_bg.wasm' });
  const results = {};
  for (const w of fixtures) results[w.name] = await runWorkload({ rolegate, casl, caslExtra, cedar }, w, options);
  return results;
};`;

const COLD = {
  rolegate: `import { init, Gate } from '../../pkg/index.js';
    export async function cold(w) { await init('/pkg/rolegate_bg.wasm'); const g = new Gate({ keys: w.jwks, audience: 'bench' });
      g.load(w.token); return g.can(w.questions.allowKey); }`,
  casl: `import { createMongoAbility } from '@casl/ability';
    export async function cold(w) { const a = createMongoAbility(w.caslRules); const k = w.questions.allowKey, i = k.lastIndexOf('.');
      return a.can(k.slice(i + 1), k.slice(0, i)); }`,
  cedar: `import init, * as cedar from '@cedar-policy/cedar-wasm/web';
    export async function cold(w) { await init({ module_or_path: '/node_modules/@cedar-policy/cedar-wasm/web/cedar_wasm_bg.wasm' });
      cedar.preparsePolicySet('c', { staticPolicies: w.cedar.policies });
      const a = cedar.statefulIsAuthorized({ principal: w.cedar.principal, action: { type: 'Action', id: w.questions.allowKey },
        resource: { type: 'App', id: 'app' }, context: {}, preparsedPolicySetId: 'c', entities: w.cedar.entities });
      return a.type === 'success' && a.response.decision === 'allow'; }`,
};

async function bundle() {
  const common = { bundle: true, format: 'esm', platform: 'browser', absWorkingDir: OUT, logLevel: 'error', external: ['node:*'] };
  await build({ ...common, stdin: { contents: ENTRY, resolveDir: OUT }, outfile: join(OUT, 'browser.js') });
  for (const [lib, src] of Object.entries(COLD)) {
    await build({ ...common, minify: true, stdin: { contents: src, resolveDir: OUT }, outfile: join(OUT, `cold-${lib}.js`) });
  }
}

function serve() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    if (path === '/' || path === '/cold.html') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>bench</title>');
      return;
    }
    try {
      const body = await readFile(join(ROOT, path));
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Runs the harness in Chromium; returns `{ results, cold: { lib: [ms…] } }`. */
export async function runBrowser(fixtures, { options, coldRuns = 0, coldFixture, log = () => {} } = {}) {
  await bundle();
  const server = await serve();
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() !== 'error') log(`[browser] ${m.text()}`);
      else if (!m.text().includes('404')) errors.push(m.text()); // the page's favicon
    });
    await page.goto(`${base}/`);
    await page.addScriptTag({ url: '/bench/out/browser.js', type: 'module' });
    await page.waitForFunction(() => typeof window.runBench === 'function');
    const results = await page.evaluate(([f, o]) => window.runBench(f, { ...o, log: console.log }), [fixtures, options]);
    if (errors.length) throw new Error(`browser errors: ${errors.join('\n')}`);
    const cold = {};
    for (let r = 0; r < coldRuns; r++) {
      for (const lib of Object.keys(COLD)) {
        const context = await browser.newContext();
        const p = await context.newPage();
        await p.goto(`${base}/cold.html`);
        const got = await p.evaluate(async ([lib, w]) => {
          const t0 = performance.now();
          const m = await import(`/bench/out/cold-${lib}.js`);
          const decision = await m.cold(w);
          return { ms: performance.now() - t0, decision };
        }, [lib, coldFixture]);
        if (got.decision !== true) throw new Error(`browser cold start of ${lib} answered ${got.decision}`);
        (cold[lib] ??= []).push(got.ms);
        await context.close();
      }
    }
    return { results, cold };
  } finally {
    await browser.close();
    server.close();
  }
}
