// init(source) with every kind of source it accepts — the default location, a URL (object or text),
// a Response or its promise, bytes, a compiled WebAssembly.Module — in Node through `import` and
// `require`, and in headless Chromium; and the failures: each rejects with a clear message and leaves
// the package uninitialised, and the next init() can still succeed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, page as newPage } from '../e2e/browser.mjs';
import { EXPECTED, WORK, fixture, install, run, serve } from './helpers.mjs';

const DIR = join(WORK, 'sources');
const FIXTURE = fixture();
const DECIDED = { ready: true, jobs: EXPECTED.jobs, admin: EXPECTED.admin, tampered: EXPECTED.tampered };
const FAILED = { ready: false, notReady: 'not_initialised' };
let server;

before(async () => {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  writeFileSync(join(DIR, 'package.json'), '{ "name": "sources", "private": true }\n');
  await install(DIR);
  copyFileSync(join(import.meta.dirname, 'init-check.cjs'), join(DIR, 'init-check.cjs'));
  copyFileSync(join(import.meta.dirname, 'trap-browser-globals.mjs'), join(DIR, 'trap-browser-globals.mjs'));
  writeFileSync(join(DIR, 'rolegate-fixture.json'), JSON.stringify(FIXTURE));
  writeFileSync(join(DIR, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>sources</title>\n');
  server = await serve(DIR);
});
after(() => server?.close());

const check = async (how, source, ...node) =>
  JSON.parse(await run(process.execPath, [...node, 'init-check.cjs', how, source, server.url], DIR));

const FAILURES = {
  'missing file': /^Error: rolegate: cannot read file:.*missing\.wasm \(ENOENT\)/,
  'relative path': /^TypeError: rolegate: init\(\) cannot resolve "rolegate_bg.wasm"; pass an absolute URL/,
  'HTTP 404': /^Error: rolegate: fetching http:.*missing\.wasm failed with HTTP 404/,
  'not wasm': /^CompileError: /,
  'a number': /^TypeError: rolegate: init\(\) takes a URL, a Response, the \.wasm bytes or a WebAssembly\.Module, not \[object Number\]/,
};

for (const how of ['import', 'require']) {
  describe(`Node, ${how}`, () => {
    for (const source of ['default', 'file URL', 'file URL string', 'http URL', 'Uint8Array', 'ArrayBuffer', 'Response',
      'Promise<Response>', 'WebAssembly.Module']) {
      test(`init(${source})`, async () => assert.deepEqual(await check(how, source), DECIDED));
    }
    for (const [source, message] of Object.entries(FAILURES)) {
      test(`init(${source}) rejects`, async () => {
        const { error, ...rest } = await check(how, source);
        assert.match(error, message);
        assert.deepEqual(rest, FAILED);
      });
    }
    test('importing and init() read no browser global and no fetch (server-side rendering)', async () => {
      assert.deepEqual(await check(how, 'default', '--import', './trap-browser-globals.mjs'), DECIDED);
    });
  });
}

describe('Chromium', () => {
  let browser;
  before(async () => { browser = await launch(); });
  after(async () => { await browser?.close(); });

  // Each call runs in a fresh page, so in a fresh copy of the package's modules.
  async function inPage(sources) {
    const p = await newPage(browser);
    try {
      await p.goto(server.url);
      return await p.evaluate(async ({ sources, fx }) => {
        const { init, ready, Gate, RolegateError } = await import('/node_modules/rolegate/index.js');
        const wasm = new URL('/node_modules/rolegate/rolegate_bg.wasm', location.href);
        const make = {
          'default': () => undefined,
          'URL': () => wasm,
          'absolute URL string': () => wasm.href,
          'relative URL string': () => 'node_modules/rolegate/rolegate_bg.wasm',
          'Response': () => fetch(wasm).then((r) => r),
          'Promise<Response>': () => fetch(wasm),
          'ArrayBuffer': async () => (await fetch(wasm)).arrayBuffer(),
          'Uint8Array': async () => new Uint8Array(await (await fetch(wasm)).arrayBuffer()),
          'WebAssembly.Module': () => WebAssembly.compileStreaming(fetch(wasm)),
          'a Response that is not application/wasm': async () => new Response(await (await fetch(wasm)).arrayBuffer()),
          'HTTP 404': () => new URL('/missing.wasm', location.href),
          'an HTTP 404 Response': () => fetch('/missing.wasm'),
          'not wasm': () => new TextEncoder().encode('not wasm'),
        };
        const results = [];
        for (const name of sources) {
          // `Response` is awaited here so that init() gets the Response itself, not its promise.
          const source = name === 'Promise<Response>' ? make[name]() : await make[name]();
          try {
            await init(source);
          } catch (e) {
            let notReady;
            try { new Gate({ keys: fx.jwks, audience: fx.audience }); } catch (g) { notReady = g.code; }
            results.push({ error: `${e.name}: ${e.message}`, ready: ready(), notReady });
            continue;
          }
          const gate = new Gate({ keys: fx.jwks, audience: fx.audience });
          gate.load(fx.token);
          let tampered;
          try { gate.load(fx.tampered); } catch (e) { tampered = e instanceof RolegateError ? e.code : String(e); }
          results.push({ ready: ready(), jobs: gate.can('page.jobs.view'), admin: gate.can('page.admin'), tampered });
        }
        return results;
      }, { sources, fx: FIXTURE });
    } finally {
      // The 404 cases log the failed request; nothing else may be logged.
      assert.deepEqual(p.errors.filter((e) => !/^Failed to load resource: .* 404 \(Not Found\)$/.test(e)), []);
      await p.context().close();
    }
  }

  for (const source of ['default', 'URL', 'absolute URL string', 'relative URL string', 'Response', 'Promise<Response>',
    'ArrayBuffer', 'Uint8Array', 'WebAssembly.Module', 'a Response that is not application/wasm']) {
    test(`init(${source})`, async () => assert.deepEqual(await inPage([source]), [DECIDED]));
  }

  const BROWSER_FAILURES = {
    'HTTP 404': /^Error: rolegate: fetching http:.*\/missing\.wasm failed with HTTP 404/,
    'an HTTP 404 Response': /^Error: rolegate: fetching http:.*\/missing\.wasm failed with HTTP 404/,
    'not wasm': /^CompileError: /,
  };
  for (const [source, message] of Object.entries(BROWSER_FAILURES)) {
    test(`init(${source}) rejects, and a later init() succeeds`, async () => {
      const [failed, retried] = await inPage([source, 'default']);
      const { error, ...rest } = failed;
      assert.match(error, message);
      assert.deepEqual(rest, FAILED);
      assert.deepEqual(retried, DECIDED);
    });
  }
});
