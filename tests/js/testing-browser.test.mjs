// kit.attach in headless Chromium (Playwright): what a page sees before its scripts run, custom
// endpoints and response shapes, and option errors. The full flow (an app, expiry, tampering, user
// switches) is examples/crm-app/test/e2e.test.mjs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { createTestKit, PageSession } from 'rolegate/testing';

const kit = await createTestKit({ audience: 'app' });
const ORIGIN = 'http://app.test';
let browser;

before(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
});
after(() => browser?.close());

/** A page whose document (served by the test) records, as its first script, what storage holds. */
async function page() {
  const p = await browser.newPage();
  await p.route(`${ORIGIN}/`, (r) => r.fulfill({ contentType: 'text/html', body: '<script>window.seen = { local: localStorage.getItem("snap"), session: sessionStorage.getItem("snap") };</script>' }));
  return p;
}

test('storage: the first snapshot is in place before the page\'s first script, and it verifies', async () => {
  const p = await page();
  const session = await kit.attach(p, { grants: ['page.jobs.view'] }, { storage: 'snap' });
  assert.ok(session instanceof PageSession);
  await p.goto(`${ORIGIN}/`);
  const seen = await p.evaluate(() => window.seen);
  assert.deepEqual(seen, { local: session.token, session: null });
  assert.equal(kit.gate().load(seen.local).subject, 'test-user');
  const q = await page();
  const s2 = await kit.attach(q, { grants: [] }, { storage: { key: 'snap', area: 'sessionStorage' } });
  await q.goto(`${ORIGIN}/`);
  assert.deepEqual(await q.evaluate(() => window.seen), { local: null, session: s2.token });
  await Promise.all([p.close(), q.close()]);
});

test('the JWKS and fresh snapshots at the default endpoints, or at yours in your format', async () => {
  const p = await page();
  const session = await kit.attach(p, { grants: ['a'], id: 'u-1' });
  await p.goto(`${ORIGIN}/`);
  const got = await p.evaluate(async () => [await (await fetch('/api/jwks.json')).json(), await (await fetch('/api/snapshot?user=x')).json()]);
  assert.deepEqual(got[0], kit.jwks);
  assert.equal(got[1].token, session.token);
  assert.deepEqual([got[1].sub, got[1].rev, got[1].exp], ['u-1', 1, session.claims.exp]);
  const gate = kit.gate();
  assert.equal(gate.load(got[1].token).subject, 'u-1');
  await p.close();

  const q = await page();
  const custom = await kit.attach(q, { grants: ['a'] }, {
    jwksUrl: '**/.well-known/jwks', snapshotUrl: /\/session\/permissions$/, clock: false, ttl: 90,
    respond: (token) => ({ status: 200, contentType: 'text/plain', body: token }),
  });
  await q.goto(`${ORIGIN}/`);
  const [keys, token] = await q.evaluate(async () => [await (await fetch('/.well-known/jwks')).json(), await (await fetch('/session/permissions')).text()]);
  assert.deepEqual(keys, kit.jwks);
  assert.equal(token, custom.token);
  assert.equal(custom.claims.exp - custom.claims.iat, 90);
  await assert.rejects(custom.expire(), (e) => e.code === 'bad_config' && /clock/.test(e.message));
  await q.close();
});

test('serve, tamper and an ended session change what the next request gets', async () => {
  const p = await page();
  const session = await kit.attach(p, { grants: ['a'] });
  await p.goto(`${ORIGIN}/`);
  const next = () => p.evaluate(async () => { const r = await fetch('/api/snapshot'); return [r.status, await r.json()]; });
  const fixed = kit.token({ grants: ['b'], id: 'fixed' });
  session.serve(fixed);
  assert.deepEqual(await next(), [200, { token: fixed }]);
  session.tamper();
  const [, tampered] = await next();
  assert.throws(() => kit.gate().load(tampered.token), (e) => e.code === 'bad_signature');
  session.as({ grants: ['c'], id: 'switched' });
  assert.equal(kit.gate().load((await next())[1].token).subject, 'switched');
  await session.expire();
  assert.deepEqual((await next())[0], 401);
  assert.ok(await p.evaluate(() => Date.now()) / 1000 > session.claims.exp + 60, 'the page clock moved past expiry and skew');
  const before = await p.evaluate(() => Date.now());
  await session.expire({ clockSkewSec: 600 });
  assert.ok(await p.evaluate(() => Date.now()) / 1000 > session.claims.exp + 600, 'and past a larger skew');
  assert.ok(await p.evaluate(() => Date.now()) > before);
  await p.close();
});

test('attach refuses unknown options and storage areas', async () => {
  const p = await page();
  await assert.rejects(kit.attach(p, 'x', { jwksURL: '/k' }), (e) => e.code === 'bad_config' && /jwksURL/.test(e.message));
  await assert.rejects(kit.attach(p, { grants: [] }, { storage: { key: 'k', area: 'cookies' } }), (e) => e.code === 'bad_config');
  await assert.rejects(kit.attach(p, 'nobody'), (e) => e.code === 'bad_config' && /nobody/.test(e.message), 'a bad user fails at attach');
  await p.close();
});
