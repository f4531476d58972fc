// rolegate/server: the server enforcing what the UI hides, with the same snapshot. A request guard reads
// the snapshot token of each request (`Authorization: Bearer`, or a named cookie), verifies it with the
// same keys and options as the browser's `Gate`, and gives the handler a `Gate` with it loaded, or
// answers 401; route and key guards answer 403 with the decision's reason code. The gate comes from the
// planner module (`init({ query: true })`), so list endpoints get its query plans. ES module, Node only.
// Reading headers and writing responses is all this file does: every decision comes from wasm.
import { init as initGate, ready as gateReady } from './load.js';
import { Gate } from './gate.js';
import { RolegateError } from './error.js';
import { init as initIssuer, ready as issuerReady } from './issuer.js';

export { RolegateError };

/** The guard's own options; every other member is the browser gate's (`new Gate(options)`). */
const OWN = new Set(['cookie', 'realm']);
/** A cookie name as RFC 6265 allows it (a token: no separators, spaces or controls). */
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Loads the gate's planner module (`init({ query: true })` of `rolegate`: the gate plus `query`) and
 * the issuer's module (whose `toSql`, `toPrisma` and `toMongo` turn plans into queries). Await it once
 * before `createGuard`, and before any `init()` of `rolegate` itself; later calls return the same promise.
 * @returns {Promise<void>}
 */
export function init() {
  return Promise.all([initGate({ query: true }), initIssuer()]).then(() => undefined);
}

function misuse(message) {
  return new RolegateError('bad_argument', message);
}

/** A value safe inside a quoted-string of a `WWW-Authenticate` parameter (RFC 6750 §3: no `"` or `\`). */
const quoted = (s) => `"${String(s).replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '?')}"`;

/**
 * The gate a request handler gets: a `Gate` with the request's snapshot loaded, from the planner
 * module, so `query(resource, action?)` gives the snapshot's query plans. Freed when the response ends.
 */
export class RequestGate extends Gate {
  /** @private Made by `guard.authenticate(req)`. */
  constructor(options, token) {
    super(options);
    try {
      this.load(token);
    } catch (e) {
      this.free(); // a refused token leaves no gate behind
      throw e;
    }
  }
}

/**
 * A refusal as an HTTP answer: `{ status, headers, body }` (body: JSON text of `{ code, message }`).
 * `error` is `invalid_token` (401, a token that did not verify), `insufficient_scope` (403) or none
 * (401 without a token: RFC 6750 §3.1 gives no error code when no credentials were sent).
 */
function answer(status, code, message, error, realm) {
  const challenge = ['Bearer'];
  const params = [];
  if (realm !== undefined) params.push(`realm=${quoted(realm)}`);
  if (error !== undefined) params.push(`error="${error}"`, `error_description=${quoted(code)}`);
  if (params.length) challenge.push(params.join(', '));
  return {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'www-authenticate': challenge.join(' '),
    },
    body: JSON.stringify({ code, message }),
  };
}

/** The request's path (without the query string), from Express's `originalUrl` or the raw `url`. */
function pathOf(req) {
  const url = typeof req.originalUrl === 'string' ? req.originalUrl : req.url;
  if (typeof url !== 'string') return '';
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

/** The first value of header `name` (Node joins most repeated headers; a few arrive as arrays). */
function header(req, name) {
  const v = req?.headers?.[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Checks requests' snapshots; made by `createGuard(options)`. */
export class Guard {
  #gateOptions;
  #cookie;
  #realm;

  /** @private Use `createGuard(options)`. */
  constructor(options) {
    if (!gateReady() || !issuerReady()) {
      throw new RolegateError('not_initialised', 'call `await init()` from `rolegate/server` before creating a guard');
    }
    if (options === null || typeof options !== 'object') throw new RolegateError('bad_config', 'options must be an object');
    const gateOptions = {};
    let cookie, realm;
    try {
      for (const name of Object.keys(options)) {
        const v = options[name];
        if (name === 'cookie') cookie = v;
        else if (name === 'realm') realm = v;
        else {
          // As js/gate.js hands them to wasm: a JWKS object as its JSON text (once, not per request).
          gateOptions[name] = name === 'keys' && v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
        }
      }
    } catch (e) {
      throw new RolegateError('bad_config', `the options could not be read: ${e?.message ?? e}`);
    }
    if (cookie !== undefined && !(typeof cookie === 'string' && COOKIE_NAME.test(cookie))) {
      throw new RolegateError('bad_config', '`cookie` must be a cookie name');
    }
    if (realm !== undefined && typeof realm !== 'string') throw new RolegateError('bad_config', '`realm` must be a string');
    // The gate's options are checked now, once, so that a bad key set or option fails at start-up; and
    // so is the planner (`rolegate`'s own `init()`, called first, loads the module without it).
    const probe = new Gate(gateOptions);
    try {
      probe.query('');
    } catch {
      throw new RolegateError('not_initialised', '`rolegate/server` needs the planner module: await its `init()` before any `init()` of `rolegate`');
    } finally {
      probe.free();
    }
    this.#gateOptions = gateOptions;
    this.#cookie = cookie;
    this.#realm = realm;
  }

  /**
   * The snapshot token a request carries: `Authorization: Bearer <token>`, else the guard's cookie;
   * `undefined` when it carries none.
   */
  token(req) {
    const auth = header(req, 'authorization');
    if (typeof auth === 'string') {
      const m = /^bearer(?:[ \t]+(.*))?$/is.exec(auth.trim());
      if (m && m[1]) return m[1].trim();
    }
    const cookies = header(req, 'cookie');
    if (this.#cookie === undefined || typeof cookies !== 'string') return undefined;
    for (const pair of cookies.split(';')) {
      const eq = pair.indexOf('=');
      if (eq === -1 || pair.slice(0, eq).trim() !== this.#cookie) continue;
      const value = pair.slice(eq + 1).trim().replace(/^"(.*)"$/s, '$1');
      return value === '' ? undefined : value;
    }
    return undefined;
  }

  /**
   * A `RequestGate` with the request's snapshot loaded, or throws a `RolegateError`: `missing_token`
   * when the request carries none, else the code the gate refused the token with (`expired`,
   * `bad_signature`, `wrong_audience` …). The caller frees the gate (`gate.free()`); the framework
   * helpers free it when the response ends.
   */
  authenticate(req) {
    const token = this.token(req);
    if (token === undefined) {
      const where = this.#cookie === undefined ? '' : ` or the \`${this.#cookie}\` cookie`;
      throw new RolegateError('missing_token', `the request carries no snapshot: send \`Authorization: Bearer <token>\`${where}`);
    }
    return new RequestGate(this.#gateOptions, token);
  }

  /**
   * The HTTP answer to a refused request (`{ status, headers, body }`): 401 for an error of
   * `authenticate` (`{ code, message }` of the error, and a `WWW-Authenticate: Bearer` challenge),
   * 403 for a denied decision (its reason code and message). Other exceptions are thrown again.
   */
  refusal(reason) {
    if (reason instanceof RolegateError) {
      const error = reason.code === 'missing_token' ? undefined : 'invalid_token';
      return answer(401, reason.code, reason.message, error, this.#realm);
    }
    if (reason !== null && typeof reason === 'object' && reason.allow === false && typeof reason.code === 'string') {
      return answer(403, reason.code, reason.message, 'insufficient_scope', this.#realm);
    }
    throw reason;
  }

  /**
   * The first denied decision of `need` for this request, or `null` when all allow:
   * `{ route: true }` the request's path (`gate.route(path)`), `{ route: '/admin/users' }` that path,
   * `{ key: 'page.admin.view' }` `gate.check(key)`; both may be given (the route first).
   */
  decide(gate, req, need) {
    if (need == null) return null;
    if (typeof need !== 'object') throw misuse('a guard need is `{ route?, key? }`');
    const { route, key } = need;
    if (route !== undefined && route !== false) {
      const path = route === true ? pathOf(req) : route;
      if (typeof path !== 'string') throw misuse('`route` is `true` (the request path) or a path');
      const d = gate.route(path);
      if (!d.allow) return d;
    }
    if (key !== undefined) {
      if (typeof key !== 'string') throw misuse('`key` must be a string');
      const d = gate.check(key);
      if (!d.allow) return d;
    }
    return null;
  }

  /**
   * The gate of `req` (also set as `req.rolegate`), made once per request and freed when `res`
   * closes; or `{ refusal }` when the request is refused (401 or, with `need`, 403).
   */
  #enter(req, res, need) {
    let gate = req.rolegate;
    if (!(gate instanceof RequestGate)) {
      try {
        gate = this.authenticate(req);
      } catch (e) {
        return { refusal: this.refusal(e) };
      }
      req.rolegate = gate;
      const done = () => gate.free();
      if (res.writableFinished || res.destroyed) done();
      else res.once('close', done);
    }
    const denied = this.decide(gate, req, need);
    return denied ? { refusal: this.refusal(denied) } : { gate };
  }

  /**
   * For a plain `node:http` handler: the request's gate (also `req.rolegate`; freed when the
   * response closes), or `null` after answering 401 or 403 on `res`.
   *
   *     const gate = guard.handle(req, res, { route: '/admin/users' });
   *     if (!gate) return;
   */
  handle(req, res, need) {
    const { gate, refusal } = this.#enter(req, res, need);
    if (gate) return gate;
    res.writeHead(refusal.status, refusal.headers);
    res.end(refusal.body);
    return null;
  }

  /**
   * Express middleware: sets `req.rolegate` (freed when the response closes) or answers 401; with
   * `need`, also answers 403 when a decision of `need` denies (see `decide`).
   */
  express(need) {
    return (req, res, next) => {
      let entered;
      try {
        entered = this.#enter(req, res, need);
      } catch (e) {
        next(e);
        return;
      }
      if (entered.gate) {
        next();
        return;
      }
      const { status, headers, body } = entered.refusal;
      res.status(status).set(headers).send(body);
    };
  }

  /**
   * A Fastify `onRequest` or `preHandler` hook: sets `request.rolegate` (freed when the response
   * closes) or answers 401; with `need`, also 403 (see `decide`).
   *
   *     app.addHook('onRequest', guard.fastify());
   *     app.get('/admin/users', { preHandler: guard.fastify({ route: true }) }, handler);
   */
  fastify(need) {
    return async (request, reply) => {
      const { gate, refusal } = this.#enter(request, reply.raw, need);
      if (gate) return;
      reply.code(refusal.status).headers(refusal.headers).send(refusal.body);
      return reply; // Fastify: the request goes no further
    };
  }
}

/**
 * A request guard with the same keys and options as the browser gate (`{ keys, audience, issuer?,
 * clockSkewSec?, maxTokenBytes?, now?, platform?, offlineGraceSec? }`) and `cookie` (the name of a
 * cookie holding the token, read when there is no `Authorization: Bearer` header) and `realm` (for
 * the `WWW-Authenticate` challenge). Throws `bad_config` or `bad_jwks` at once for bad options.
 */
export function createGuard(options) {
  return new Guard(options);
}
