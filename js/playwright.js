// The Playwright side of `rolegate/testing`: serve a kit's JWKS and test snapshots to a page, from
// before its first script runs, and change them mid-test. Duck-typed on Playwright's `page`
// (`route`, `addInitScript`, `clock`): the package does not depend on Playwright.
import { RolegateError } from './error.js';

const ATTACH_OPTIONS = new Set(['jwksUrl', 'snapshotUrl', 'respond', 'storage', 'clock', 'ttl', 'rev', 'tenant', 'platforms', 'issuer']);

/**
 * The shape `rolegate serve` answers on `/api/snapshot` (`{ token, sub, rev, iat, exp }`), so an app
 * built against the dev server works unchanged; `claims` is null for a token given to `serve()`.
 */
function defaultRespond(token, claims) {
  const about = claims ? { sub: claims.sub, rev: claims.rev, iat: claims.iat, exp: claims.exp } : {};
  return { status: 200, contentType: 'application/json', body: JSON.stringify({ token, ...about }) };
}

/**
 * Serves `kit.jwks` at `jwksUrl` and a fresh snapshot for `who` at `snapshotUrl` (each request is
 * signed anew, as a server would), optionally writes the first snapshot into `storage` before the
 * page's scripts run, and installs Playwright's clock so that `expire()` can move time. Call it
 * before `page.goto`.
 *
 * @param {import('playwright-core').Page} page
 * @param {import('./testing.js').TestKit} kit
 * @param {unknown} who  a sample user's name, a user record or `{ grants }` (as for `kit.token`)
 * @param {import('./testing.js').AttachOptions} [options]
 */
export async function attach(page, kit, who, options = {}) {
  if (options === null || typeof options !== 'object') throw new RolegateError('bad_config', 'attach options must be an object');
  const unknown = Object.keys(options).filter((k) => !ATTACH_OPTIONS.has(k));
  if (unknown.length) throw new RolegateError('bad_config', `unknown attach option \`${unknown[0]}\``);
  const { jwksUrl = '**/api/jwks.json', snapshotUrl = '**/api/snapshot*', respond = defaultRespond, storage, clock = true } = options;
  const tokenOptions = {};
  for (const k of ['ttl', 'rev', 'tenant', 'platforms', 'issuer']) if (options[k] !== undefined) tokenOptions[k] = options[k];
  const { key, area = 'localStorage' } = typeof storage === 'string' ? { key: storage } : storage ?? {};
  if (storage !== undefined && (typeof key !== 'string' || (area !== 'localStorage' && area !== 'sessionStorage'))) {
    throw new RolegateError('bad_config', '`storage` is a key, or `{ key, area }` with area `localStorage` or `sessionStorage`');
  }
  const session = new PageSession(page, kit, who, tokenOptions, respond, Boolean(clock));
  // Signed now, so that a bad user or option fails here rather than inside a request.
  const first = session.issue();
  if (clock) await page.clock.install({ time: kit.now() * 1000 });
  await page.route(jwksUrl, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(kit.jwks) }));
  await page.route(snapshotUrl, (route) => route.fulfill(session.next()));
  if (storage !== undefined) await page.addInitScript(([a, k, t]) => globalThis[a].setItem(k, t), [area, key, first]);
  return session;
}

/**
 * One page's snapshot server for a test: who it signs for, and what happens to the next request.
 * Made by `kit.attach(page, who, options)`.
 */
export class PageSession {
  #page;
  #kit;
  #who;
  #options;
  #respond;
  #serve = 'fresh';
  #fixed = null;
  #clock;

  /** @private */
  constructor(page, kit, who, options, respond, clock) {
    this.#page = page;
    this.#clock = clock;
    this.#kit = kit;
    this.#who = who;
    this.#options = options;
    this.#respond = respond;
    /** The last snapshot served (or written to storage), or null. */
    this.token = null;
    /** Its claims. */
    this.claims = null;
  }

  /** Signs a fresh snapshot for the current user at the kit's now and remembers it. */
  issue() {
    this.claims = this.#kit.claims(this.#who, this.#options);
    this.token = this.#kit.sign(this.claims);
    return this.token;
  }

  /** @private The response to the next snapshot request. */
  next() {
    if (this.#serve === 'ended') {
      return { status: 401, contentType: 'application/json', body: JSON.stringify({ error: 'session_ended', message: 'the test ended the session' }) };
    }
    if (this.#serve === 'fixed') {
      this.token = this.#fixed;
      return this.#respond(this.#fixed, null);
    }
    const token = this.issue();
    return this.#respond(token, this.claims);
  }

  /** From the next request on, snapshots are for `who` (e.g. after a role change); `options` as in attach. */
  as(who, options) {
    this.#who = who;
    if (options !== undefined) this.#options = { ...this.#options, ...options };
    this.#serve = 'fresh';
  }

  /** From the next request on, serve exactly `token` (an expired one, another kit's, …). */
  serve(token) {
    this.#fixed = String(token);
    this.#serve = 'fixed';
  }

  /** From the next request on, serve a fresh snapshot with one character of `part` changed. */
  tamper(part = 'signature') {
    this.serve(this.#kit.tamper(this.issue(), part));
  }

  /**
   * Ends the session (snapshot requests get 401 from now on) and moves the page's clock past the
   * expiry of the last fresh snapshot served and the gate's clock skew (the gate's default, 60 s,
   * unless the app sets another `clockSkewSec`). The app's gate then reports the snapshot expired
   * (its `onChange` fires) and denies everything. Needs the clock (`clock: true`).
   */
  async expire({ clockSkewSec = 60 } = {}) {
    if (this.claims === null) throw new RolegateError('bad_config', 'no snapshot has been served yet');
    if (!this.#clock) throw new RolegateError('bad_config', 'expire() moves the page clock: attach with `clock: true`');
    this.#serve = 'ended';
    const pageNow = await this.#page.evaluate(() => Date.now());
    const ms = Math.max(0, (this.claims.exp + clockSkewSec + 1) * 1000 - pageNow);
    await this.#page.clock.fastForward(Math.ceil(ms));
  }
}
