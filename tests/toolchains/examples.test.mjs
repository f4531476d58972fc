// Every example under examples/toolchains/, as a user would get it: copied out of the tree, its locked
// dependencies and the packed rolegate tarball installed, built with its own toolchain, then run — in
// headless Chromium for the pages (served from 127.0.0.1, built output only) and in Node for the rest.
// Each must make real decisions from a snapshot signed here, and refuse a forged one with its code.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, page as newPage } from '../e2e/browser.mjs';
import { EXPECTED, ROOT, WORK, fixture, install, run, serve } from './helpers.mjs';

const EXAMPLES = join(ROOT, 'examples/toolchains');
const FIXTURE = fixture();
const VERSION = JSON.parse(readFileSync(join(ROOT, 'pkg/package.json'), 'utf8')).version;
const WANT = { ...EXPECTED, notReady: 'not_initialised', jobsAfterTamper: true };

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Copies examples/toolchains/NAME (or FROM/NAME) to WORK/NAME (sources and lockfile only) and installs it. */
async function setUp(name, from = EXAMPLES) {
  const dir = join(WORK, name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(from, name), dir, { recursive: true, filter: (f) => !/[/\\](node_modules|dist|rolegate-fixture\.json)$/.test(f) });
  assert.ok(existsSync(join(dir, 'package-lock.json')), `${name} has no package-lock.json`);
  const wanted = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies?.rolegate;
  if (wanted) assert.equal(wanted, VERSION, `${name} depends on the version of rolegate being packed`);
  await install(dir);
  return dir;
}

/**
 * Loads `url` in Chromium; resolves to the app's report (`state` 'done' or 'error'), its menu and the
 * page's console errors. `edit(html)`, when given, rewrites the HTML document on its way to the page.
 */
async function visit(url, edit) {
  const p = await newPage(browser);
  try {
    if (edit) {
      await p.route(url, async (route) => {
        const response = await route.fetch();
        await route.fulfill({ response, body: edit(await response.text()) });
      });
    }
    await p.goto(url);
    await p.waitForSelector('#result:not([data-state="loading"])', { timeout: 15_000 });
    const state = await p.getAttribute('#result', 'data-state');
    const report = JSON.parse(await p.textContent('#result'));
    const menu = await p.$$eval('#menu a', (as) => as.map((a) => a.textContent));
    return { state, report, menu, errors: p.errors };
  } finally {
    await p.context().close();
  }
}

function assertDecisions({ state, report, menu, errors }) {
  assert.equal(state, 'done', `the app failed: ${report.error}`);
  assert.deepEqual(report, WANT);
  assert.deepEqual(menu, ['Jobs', 'Diary'], 'the menu shows what the snapshot allows, and no more');
  assert.deepEqual(errors, []);
}

/**
 * Builds the page example NAME (unless it has no build), serves SERVED (relative to it) and checks it;
 * then runs `more(url)`, if given, while the page is still served. FROM is where NAME is, if not
 * examples/toolchains.
 */
async function pageExample(name, served, more, from) {
  const dir = await setUp(name, from);
  if (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).scripts?.build) await run('npm', ['run', 'build'], dir);
  writeFileSync(join(dir, served, 'rolegate-fixture.json'), JSON.stringify(FIXTURE));
  const server = await serve(join(dir, served));
  try {
    assertDecisions(await visit(server.url));
    await more?.(server.url);
  } finally {
    await server.close();
  }
  return dir;
}

/**
 * Starts `node ARGS` in `cwd` and waits for its output to match `pattern`, whose first group is the URL
 * it serves; resolves to `{ url, stop() }`.
 */
async function start(args, cwd, pattern) {
  const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise((ok, fail) => {
    const seen = (d) => {
      out += d;
      const m = out.replace(/\x1b\[[0-9;]*m/g, '').match(pattern);
      if (m) ok(m[1]);
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.on('exit', (code) => fail(new Error(`node ${args.join(' ')} exited with ${code}\n${out}`)));
  });
  return { url, stop: () => child.kill() };
}

test('vite: production build, and the dev server', async () => {
  const dir = await pageExample('vite', 'dist');
  assert.ok(readFileSync(join(dir, 'dist/index.html'), 'utf8').includes('/assets/index-'), 'Vite built the page');
  // `vite` (dev) pre-bundles rolegate and serves the .wasm from node_modules: no config needed either.
  mkdirSync(join(dir, 'public'));
  writeFileSync(join(dir, 'public/rolegate-fixture.json'), JSON.stringify(FIXTURE));
  const dev = await start(['node_modules/vite/bin/vite.js', '--port', '0', '--host', '127.0.0.1'], dir, /Local:\s+(http:\S+)/);
  try {
    assertDecisions(await visit(dev.url));
  } finally {
    dev.stop();
  }
});

test('react: examples/react from a clean copy, with the snapshot it signs itself, production build', async () => {
  const dir = await setUp('react', join(ROOT, 'examples'));
  const built = await run('npm', ['run', 'build'], dir); // `prebuild` runs snapshot.mjs
  assert.match(built, /a snapshot for Carl Consultant \(consultant\)/);
  const server = await serve(join(dir, 'dist'));
  try {
    const { state, report, menu, errors } = await visit(server.url);
    assert.equal(state, 'done', `the app failed: ${report.error}`);
    assert.deepEqual(report, { ...WANT, subject: 'u-cons' });
    assert.deepEqual(menu, ['Customers', 'Jobs'], "a Consultant's menu: no Admin (page.admin.* is denied)");
    assert.deepEqual(errors, []);
  } finally {
    await server.close();
  }
});

test('webpack 5: production build', () => pageExample('webpack', 'dist'));

test('esbuild: bundle with the file loader for the .wasm', () => pageExample('esbuild', 'dist'));

test('rollup: bundle with the .wasm copied next to it', () => pageExample('rollup', 'dist'));

test('plain HTML: <script type="module">, no bundler, under a CSP with wasm-unsafe-eval', () =>
  pageExample('plain-html', '.', async (url) => {
    // The same page without 'wasm-unsafe-eval' in its CSP: the browser refuses to compile WebAssembly,
    // and init() falls back to the module's JavaScript translation (wasm2js): the same decisions.
    const csp = "script-src 'self' 'wasm-unsafe-eval'";
    const visited = await visit(url, (html) => {
      assert.ok(html.includes(csp));
      return html.replace(csp, "script-src 'self'");
    });
    assertDecisions({ ...visited, errors: visited.errors.filter((e) => !/Content Security Policy|wasm-unsafe-eval/.test(e)) });
  }));

/** Runs `node main.js fixture.json` in the example NAME and returns what it printed. */
async function nodeExample(name) {
  const dir = await setUp(name);
  writeFileSync(join(dir, 'rolegate-fixture.json'), JSON.stringify(FIXTURE));
  return JSON.parse(await run(process.execPath, ['main.js', 'rolegate-fixture.json'], dir));
}

test('node-esm: import in Node', async () => {
  assert.deepEqual(await nodeExample('node-esm'), WANT);
});

test('node-cjs: require in Node', async () => {
  assert.deepEqual(await nodeExample('node-cjs'), WANT);
});

test('typescript: strict tsc with nodenext resolution, ES module and CommonJS output run in Node', async () => {
  const dir = await setUp('typescript');
  // The build (`tsc`), listing the files it read: the types of each entry, for `import` and `require`.
  const listed = await run('npm', ['run', 'build', '--', '--listFiles'], dir);
  for (const types of ['index.d.ts', 'index.d.cts']) assert.ok(listed.includes(`/node_modules/rolegate/${types}\n`), `tsc did not read ${types}`);
  writeFileSync(join(dir, 'rolegate-fixture.json'), JSON.stringify(FIXTURE));
  for (const out of ['dist/esm.mjs', 'dist/cjs.cjs']) {
    assert.deepEqual(JSON.parse(await run(process.execPath, [out, 'rolegate-fixture.json'], dir)), WANT, out);
  }
});

test('ssr: Vite SSR build rendered by a Node server, page checked in Chromium', async () => {
  const dir = await setUp('ssr');
  await run('npm', ['run', 'build'], dir);
  writeFileSync(join(dir, 'rolegate-fixture.json'), JSON.stringify(FIXTURE));
  const server = await start(['server.js', 'rolegate-fixture.json'], dir, /listening on (\S+)/);
  try {
    assertDecisions(await visit(server.url));
    const html = await (await fetch(server.url)).text();
    assert.doesNotMatch(html, /<script/i, 'rendered on the server: the page runs no script');
  } finally {
    server.stop();
  }
});
