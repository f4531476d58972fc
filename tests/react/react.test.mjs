// rolegate/react through the packed package: the gated NeptuneCRM screen of sidebar.mjs rendered by
// react-dom/server in Node and, bundled by esbuild, in headless Chromium before a snapshot loads, after
// the Consultant's loads, after role changes (Admin, then Coordinator, in the same gate) and after
// clear(), and when a snapshot expires (only the gate's expiry timer may re-render then). At each
// point the gated elements on screen are exactly those the gate allows (computed here
// from a gate holding the same snapshot), none is ever inserted while forbidden, and the server's HTML
// equals the client's first render and hydrates without a mismatch.
// Run from the directory where the tarball is installed (scripts/test.sh: target/js-consumer/react);
// esbuild and the Chromium launcher come from the repository (ROLEGATE_ROOT).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createElement as h } from 'react';
import { renderToString } from 'react-dom/server';
import { init, Gate } from 'rolegate';
import { ACTIONS, App, CUSTOMERS, PROPOSAL, TREE } from './sidebar.mjs';

const HERE = import.meta.dirname;
const ROOT = resolve(process.env.ROLEGATE_ROOT ?? join(HERE, '../../..'));
const { build } = createRequire(join(ROOT, 'package.json'))('esbuild');
const { launch, page: newPage } = await import(pathToFileURL(join(ROOT, 'tests/e2e/browser.mjs')).href);
const { serve } = await import(pathToFileURL(join(ROOT, 'tests/toolchains/helpers.mjs')).href);

const FIXTURE = join(HERE, '../fixtures/neptunecrm.json');
const fx = JSON.parse(readFileSync(FIXTURE, 'utf8'));
const DIST = join(HERE, 'dist');
let browser;
let server;
let ssr;

/** A Node gate like the page's, holding `user`'s snapshot (none when `user` is null), `later` seconds on. */
function gateFor(user, later = 0) {
  let now = fx.now + 1;
  const gate = new Gate({ keys: fx.jwks, audience: 'app', platform: 'web', now: () => now });
  if (user) gate.load(fx.tokens[user]);
  now += later;
  return gate;
}

/** The gated elements sidebar.mjs must show for what `gate` allows, sorted: the gate's answers, asked directly. */
function expected(gate) {
  const flat = (nodes) => nodes.flatMap((n) => [n.id, ...flat(n.children ?? [])]);
  const loaded = gate.status().loaded;
  return [
    ...flat(gate.menu(TREE)).map((id) => `menu:${id}`),
    ...ACTIONS.filter(([, key]) => gate.can(key)).map(([id]) => `action:${id}`),
    ...CUSTOMERS.filter((c) => gate.can('data.customer.view', c)).map((c) => `customer:${c.id}`),
    ...(loaded && !gate.can('page.admin.view') ? ['notice:no-admin'] : []),
    ...(gate.route('/admin/users').allow ? ['page:admin-users'] : []),
    ...Object.keys(gate.mask('proposal', PROPOSAL).value).map((k) => `field:${k}`),
    ...gate.filter('customer', CUSTOMERS).map((c) => `filtered:${c.id}`),
    ...gate.fields('proposal').filter((f) => f.allow).map((f) => `shown:${f.field}`),
  ].sort();
}

/** What a screen must show for `user` (null: no snapshot in force), `later` seconds on. */
function want(user, later = 0) {
  const gate = gateFor(user, later);
  return {
    gated: expected(gate),
    loaded: String(user !== null),
    header: user ? `Signed in as ${gate.status().subject}` : 'Loading permissions…',
    reason: user ? gate.check('page.admin.view').code : 'pending',
    denied: user !== null && !gate.route('/admin/users').allow,
  };
}

/** Every gated element put in the DOM during `phase` was allowed for that phase's user. */
function assertNeverForbidden(seen, phase, user) {
  const allowed = new Set(want(user).gated);
  const flashed = seen.filter((s) => s.phase === phase && !allowed.has(s.gated)).map((s) => s.gated);
  assert.deepEqual(flashed, [], `forbidden elements were in the DOM while loading ${phase}`);
}

before(async () => {
  await init();
  ssr = renderToString(h(App, { gate: gateFor(null) }));
  rmSync(DIST, { recursive: true, force: true });
  mkdirSync(DIST, { recursive: true });
  await build({
    entryPoints: [join(HERE, 'page.mjs')],
    outfile: join(DIST, 'page.js'),
    bundle: true,
    format: 'esm',
    // React's development build: it reports hydration mismatches on the console.
    define: { 'process.env.NODE_ENV': '"development"' },
    logLevel: 'warning',
  });
  copyFileSync(join(HERE, '../node_modules/rolegate/rolegate_bg.wasm'), join(DIST, 'rolegate_bg.wasm'));
  copyFileSync(FIXTURE, join(DIST, 'neptunecrm.json'));
  const html = (body) => '<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">' +
    `<title>rolegate/react</title></head><body><div id="root">${body}</div><script type="module" src="./page.js"></script></body></html>\n`;
  writeFileSync(join(DIST, 'index.html'), html(''));
  writeFileSync(join(DIST, 'ssr.html'), html(ssr));
  server = await serve(DIST);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens `path` in a fresh page and waits for the app to start. */
async function open(path) {
  const p = await newPage(browser);
  await p.goto(server.url + path);
  await p.waitForSelector('body[data-state]');
  assert.equal(await p.getAttribute('body', 'data-state'), 'ready');
  return p;
}

test('SSR: the server renders the pending state, the same whatever its gate holds', () => {
  assert.match(ssr, /Loading permissions…/);
  assert.match(ssr, /<output id="admin-reason">pending<\/output>/);
  assert.doesNotMatch(ssr, /data-gated/, 'nothing gated in server HTML');
  assert.doesNotMatch(ssr, /Not for you/, 'the guard renders its pending state, not its fallback');
  for (const user of ['admin', 'consultant']) {
    assert.equal(renderToString(h(App, { gate: gateFor(user) })), ssr, `a server gate holding ${user}'s snapshot`);
  }
});

test('Chromium: before a snapshot, Consultant, Admin, Coordinator, cleared: the screen follows the gate; nothing forbidden is ever in the DOM', async () => {
  const p = await open('index.html');
  try {
    assert.equal(await p.evaluate(() => window.app.first), ssr, "the client's first render is the server's HTML");
    assert.deepEqual(await p.evaluate(() => window.app.screen()), want(null));
    const screens = {};
    for (const user of ['consultant', 'admin', 'coordinator']) {
      screens[user] = await p.evaluate((u) => window.app.load(u), user);
      assert.deepEqual(screens[user], want(user), `the screen just after loading ${user}'s snapshot`);
    }
    // The Consultant's role denies Admin, Enquiries and Marketing; the Admin sees all; the Coordinator
    // gains Enquiries and Marketing and loses Inventory and Admin.
    for (const gone of ['menu:admin', 'menu:admin.users', 'menu:enquiries', 'menu:marketing', 'action:users',
      'action:enquiries', 'action:marketing', 'action:new-job', 'customer:c2', 'customer:c3', 'page:admin-users']) {
      assert.ok(!screens.consultant.gated.includes(gone), `${gone} shown to the Consultant`);
    }
    for (const shown of ['menu:customers', 'menu:inventory.products', 'customer:c1', 'notice:no-admin']) {
      assert.ok(screens.consultant.gated.includes(shown), `${shown} hidden from the Consultant`);
    }
    for (const shown of ['menu:admin.users', 'menu:enquiries', 'menu:marketing', 'action:users', 'customer:c2', 'page:admin-users']) {
      assert.ok(screens.admin.gated.includes(shown), `${shown} hidden from the Admin`);
    }
    assert.ok(!screens.admin.gated.includes('notice:no-admin'));
    assert.ok(screens.coordinator.gated.includes('menu:enquiries') && !screens.coordinator.gated.some((g) => /^menu:(admin|inventory)/.test(g)));
    assert.deepEqual([screens.consultant.reason, screens.admin.reason], ['explicit_deny', 'granted']);

    assert.deepEqual(await p.evaluate(() => window.app.clear()), want(null), 'after clear(), the pending state again');
    const { seen, denials } = await p.evaluate(() => ({ seen: window.app.seen, denials: window.app.denials }));
    for (const [phase, user] of [['pending', null], ['consultant', 'consultant'], ['admin', 'admin'], ['coordinator', 'coordinator'], ['cleared', null]]) {
      assertNeverForbidden(seen, phase, user);
    }
    assert.ok(seen.some((s) => s.phase === 'admin' && s.gated === 'menu:admin.users'), 'the observer saw insertions');
    // The guard sent nobody away while no snapshot was in force (the gate would have said 'logout').
    assert.deepEqual(denials, [
      { phase: 'consultant', redirect: 'home', code: 'explicit_deny' },
      { phase: 'coordinator', redirect: 'home', code: 'explicit_deny' },
    ]);
    assert.deepEqual(p.errors, []);
  } finally {
    await p.context().close();
  }
});

test('Chromium: hydrating the server HTML while the Admin snapshot is already loaded: no mismatch, then the gate decides', async () => {
  const p = await open('ssr.html?mode=hydrate&preload=admin');
  try {
    await p.waitForFunction(() => document.getElementById('status').dataset.loaded === 'true');
    assert.deepEqual(await p.evaluate(() => window.app.screen()), want('admin'));
    assert.deepEqual(await p.evaluate(() => window.app.load('coordinator')), want('coordinator'));
    const { seen, errors } = await p.evaluate(() => ({ seen: window.app.seen, errors: window.app.errors }));
    assertNeverForbidden(seen, 'admin', 'admin');
    assertNeverForbidden(seen, 'coordinator', 'coordinator');
    assert.deepEqual(errors, [], 'hydration recovered from no error');
    assert.deepEqual(p.errors, [], 'no mismatch reported on the console');
  } finally {
    await p.context().close();
  }
});

test('Chromium: when the snapshot expires, the screen re-renders denied by itself (onChange at expiry)', async () => {
  const p = await newPage(browser);
  await p.clock.install(); // the page's timers under the test's control
  await p.goto(`${server.url}index.html`);
  await p.waitForSelector('body[data-state]');
  try {
    assert.deepEqual(await p.evaluate(() => window.app.load('consultant')), want('consultant'));
    const later = gateFor('consultant').status().expiresIn + 61; // past expiry and the 60 s clock skew
    // The gate's clock moves; nothing re-renders until the gate's expiry timer fires and says so.
    await p.evaluate((sec) => window.app.advance(sec), later);
    await p.clock.fastForward(later * 1000);
    const screen = await p.evaluate(() => window.app.screen());
    assert.deepEqual(screen, want('consultant', later));
    assert.ok(!screen.gated.includes('menu:customers'), 'the menu is gone');
    assert.ok(want('consultant').gated.includes('menu:customers'));
    const { seen } = await p.evaluate(() => ({ seen: window.app.seen }));
    assert.deepEqual(seen.filter((x) => x.phase === 'expired' && !want('consultant', later).gated.includes(x.gated)), []);
    assert.deepEqual(p.errors, []);
  } finally {
    await p.context().close();
  }
});
