// Runs in a browser page: the conformance files and the main surfaces through the installed package.
// Results go to `window.results` as `{ name: { ok, detail } }` for browser.test.mjs to read.
import { init, Gate, RolegateError, backendName, memoryBytes } from 'rolegate';
import { PRODUCTS, runProduct } from './conformance-runner.mjs';
import { runHostile } from './hostile-runner.mjs';

const results = {};
const get = (p) => fetch(p).then((r) => r.json());

function check(name, fn) {
  try {
    const detail = fn();
    results[name] = { ok: detail === true, detail };
  } catch (e) {
    results[name] = { ok: false, detail: String(e) };
  }
}

// `?query`: the planner module (`init({ query: true })`); `?nowasm`: the wasm2js translation, which has
// the planner too; else the default module, which has not.
const PLANNER = /query|nowasm/.test(location.search);
await init(location.search.includes('query') ? { query: true } : undefined);
const fixtures = {};
for (const product of PRODUCTS) {
  const [file, fixture] = await Promise.all([get(`conformance/${product}.json`), get(`fixtures/${product}.json`)]);
  fixtures[product] = fixture;
  const { asked, failures } = runProduct(Gate, file.cases, fixture);
  results[`conformance ${product}`] = { ok: failures.length === 0 && asked >= 30, detail: { asked, failures } };
}

/** Deep equality of JSON values, whatever the order of object members. */
const same = (a, b) => (a !== null && b !== null && typeof a === 'object' && typeof b === 'object'
  ? Array.isArray(a) === Array.isArray(b) && Object.keys(a).length === Object.keys(b).length &&
    Object.keys(a).every((k) => Object.hasOwn(b, k) && same(a[k], b[k]))
  : a === b);

check('query: every plan is the native compiler\'s (planner module), or not_initialised', () => {
  let compared = 0;
  for (const [product, fx] of Object.entries(fixtures)) {
    for (const [user, byResource] of Object.entries(fx.plans)) {
      const g = new Gate({ keys: fx.jwks, audience: 'app', now: () => fx.now + 1 });
      try {
        if (PLANNER && !same(g.query('customer'), { v: 1, plan: false })) return 'a plan with nothing loaded';
        g.load(fx.tokens[user]);
        for (const [resource, byAction] of Object.entries(byResource)) {
          for (const [action, plan] of Object.entries(byAction)) {
            let got;
            try {
              got = g.query(resource, action === 'view' && compared % 2 ? undefined : action);
            } catch (e) {
              if (PLANNER || e.code !== 'not_initialised') return `${product} ${user} ${resource} ${action}: ${e}`;
              compared++;
              continue;
            }
            if (!PLANNER) return 'a plan without the planner module';
            if (!same(got, plan)) return { product, user, resource, action, got, plan };
            compared++;
          }
        }
        if (PLANNER && !same(g.query('no-such-resource'), { v: 1, plan: false })) return 'a plan for an unknown resource';
      } finally {
        g.free();
      }
    }
  }
  return compared > 200 || compared;
});

const nep = await get('fixtures/neptunecrm.json');
const gate = (user) => {
  const g = new Gate({ keys: nep.jwks, audience: 'app', platform: 'web', now: () => nep.now + 1 });
  g.load(nep.tokens[user]);
  return g;
};
const proposal = { id: 'p1', consultantId: 'u-cons2', organisationId: 'org-1', total: 1, cost: 2, costBreakdown: [2], margin: 3 };
check('mask hides costs with setting_off', () => {
  const { value, masked } = gate('consultant_nocosts').mask('proposal', proposal);
  return value.total === 1 && !('cost' in value && value.cost === 2) && masked.every((m) => m.code === 'setting_off') && masked.length === 3
    || JSON.stringify({ value, masked });
});
check('filter keeps own customers, same objects', () => {
  const cs = [{ id: 'a', organisationId: 'org-1', consultant: { id: 'u-cons' } }, { id: 'b', organisationId: 'org-1', consultant: { id: 'x' } }];
  const kept = gate('consultant').filter('customer', cs);
  return (kept.length === 1 && kept[0] === cs[0]) || JSON.stringify(kept);
});
check('menu filters an app tree and keeps its properties', () => {
  const m = gate('consultant').menu([{ id: 'customers', label: 'C' }, { id: 'admin', children: [{ id: 'admin.users' }] }]);
  return JSON.stringify(m) === '[{"id":"customers","label":"C"}]' || JSON.stringify(m);
});
check('canMany, id and canId agree with can', () => {
  const g = gate('consultant');
  const keys = ['page.customers.view', 'page.admin.view'];
  const one = keys.map((k) => g.can(k));
  return (JSON.stringify(g.canMany(keys)) === JSON.stringify(one) && keys.every((k, i) => g.canId(g.id(k)) === one[i])) || 'disagree';
});
check('route redirects a Contractor on the web to logout', () => {
  const r = gate('contractor').route('/jobs');
  return (r.allow === false && r.redirect === 'logout' && r.code === 'platform_denied') || JSON.stringify(r);
});
check('platform, keys and home: a Contractor may start on mobile only, home /jobs', () => {
  const onMobile = new Gate({ keys: nep.jwks, audience: 'app', platform: 'mobile', now: () => nep.now + 1 });
  onMobile.load(nep.tokens.contractor);
  const [web, mobile] = [gate('contractor').platform(), onMobile.platform()];
  const keys = onMobile.keys();
  const seen = { web, mobile, keys, webKeys: gate('contractor').keys(), home: onMobile.home(), blocked: onMobile.route('/') };
  onMobile.clear();
  return (web.allow === false && web.code === 'platform_denied' && web.redirect === 'logout' &&
    mobile.allow === true && mobile.code === 'granted' && mobile.rule === 'mobile' && mobile.redirect === null &&
    keys.join() === 'data.customer.view,data.job.update,data.job.view,page.jobs.view' && seen.webKeys.length === 0 &&
    seen.home === '/jobs' && seen.blocked.redirect === 'home' && onMobile.keys().length === 0 &&
    onMobile.platform().code === 'no_snapshot') || JSON.stringify(seen);
});
check('parity: can, check and explain agree on odd records and fail closed', () => {
  const g = gate('consultant');
  const seen = [null, 42, 'x', [], {}, true].map((record) => [g.can('data.customer.view', record),
    g.check('data.customer.view', record).code, g.explain({ key: 'data.customer.view', record }).code]);
  const alone = [g.can('data.customer.view'), g.explain({ key: 'data.customer.view', record: undefined }).code];
  return (seen.every((v) => JSON.stringify(v) === '[false,"tenant_missing","tenant_missing"]') &&
    JSON.stringify(alone) === '[true,"granted"]') || JSON.stringify({ seen, alone });
});
check('mask: one shallow copy in order; an own __proto__ member stays data', () => {
  const nested = { a: [1] };
  const record = { ...proposal, consultantId: 'u-cons', nested };
  const { value } = gate('admin').mask('proposal', record);
  const parsed = JSON.parse('{"__proto__": {"polluted": true}, "id": "p1", "organisationId": "org-1", "cost": 2}');
  const copies = ['admin', 'coordinator'].map((u) => gate(u).mask('proposal', parsed).value);
  return (value !== record && value.nested === nested && Object.keys(value).join() === Object.keys(record).join() &&
    copies.every((c) => Object.getPrototypeOf(c) === Object.prototype && c.polluted === undefined &&
      Object.getOwnPropertyDescriptor(c, '__proto__').value.polluted === true)) || JSON.stringify(copies);
});
check('mask: an unreadable record is bad_argument, nothing unwinds, the gate stays usable', () => {
  const g = gate('coordinator');
  const revocable = Proxy.revocable({ ...proposal }, {});
  revocable.revoke();
  const hostile = [new Proxy({ ...proposal }, { ownKeys() { throw new Error('no'); } }),
    { ...proposal, get total() { throw new Error('no'); } }, revocable.proxy];
  const codes = hostile.map((r) => { try { g.mask('proposal', r); return 'returned'; } catch (e) { return e.code; } });
  return (codes.every((c) => c === 'bad_argument') && g.mask('proposal', proposal).value.total === 1 &&
    g.can('data.customer.view', revocable.proxy) === false && g.can('page.customers.view') === true) || JSON.stringify(codes);
});
const BACKEND = typeof WebAssembly === 'object' ? 'wasm' : 'wasm2js';
check('status reports the backend', () => (backendName() === BACKEND && gate('admin').status().backend === BACKEND) || backendName());

check('hostile callers: nothing unwinds, wedges or grants', () => {
  const { calls, failures } = runHostile({ Gate, RolegateError, memoryBytes }, nep, 3);
  return (failures.length === 0 && calls > 2000) || JSON.stringify({ calls, failures: failures.slice(0, 5) });
});
window.results = results;
document.getElementById('out').textContent = JSON.stringify(results, null, 2);
