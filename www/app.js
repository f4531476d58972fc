// The rolegate demo: pick a product and one of its sample users; the dev issuer (`rolegate serve`)
// signs that user's role snapshot and this page verifies it in wasm and gates its menu, routes, lists,
// fields and buttons with it. Every decision and reason code comes from the gate; this file only draws.
// The product's own screens (menu labels and paths, routes to try, sample records) are in
// fixtures/<product>.json; the permissions are in the snapshot compiled from examples/policies/.
// The platform (web, mobile …) is the device's unless `?platform=` says otherwise.
import { init, Gate, RolegateError } from './pkg/index.js';

const $ = (id) => document.getElementById(id);
const STORE = 'rolegate-demo:';
const PLATFORM_NAMES = { web: 'Web app', mobile: 'Mobile app', back_office: 'Back Office' };
const params = new URLSearchParams(location.search);
const TTL = params.get('ttl'); // shorter snapshots for tests: ?ttl=3

const state = {
  catalogue: null, // { audience, ttl, products: [{ id, platforms, users }] }
  jwks: null,
  product: null, // an entry of catalogue.products
  fixtures: {}, // fixtures/<product>.json by product id
  fixture: null,
  assignees: new Map(), // setting name → the users the issuer lists by it (`/api/users`), for dropdowns
  platform: null,
  gate: null,
  snapshot: null, // the issuer's answer: { token, bytes, rev, ... }
  refused: null, // { code, message } of the last refused load
  signedOut: null, // { code, message, from } after a route said `logout`
  route: null, // the path shown, or null
  notice: null, // { from, code, rule, message, redirect } after a redirect
  refreshing: false,
  refreshes: 0,
  lastExpired: false,
  retryAt: 0,
};

// ---------------------------------------------------------------------------------------------
// Elements

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k.startsWith('data')) e.setAttribute(k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), v);
    else if (v === true) e.setAttribute(k, '');
    else e.setAttribute(k, v);
  }
  e.append(...children.flat().filter((c) => c != null));
  return e;
}

const code = (text) => el('code', { text });
const money = (v) => (typeof v === 'number' ? `£${v.toLocaleString('en-GB')}` : String(v));

// ---------------------------------------------------------------------------------------------
// Fixture helpers

function flatMenu(items, out = []) {
  for (const item of items) {
    out.push(item);
    if (item.children) flatMenu(item.children, out);
  }
  return out;
}

const idsOnly = (items) => items.map((i) => (i.children ? { id: i.id, children: idsOnly(i.children) } : { id: i.id }));
const menuItem = (id) => flatMenu(state.fixture.menu).find((i) => i.id === id);
const pathOf = (target) => target.split('?')[0] || '/';

const labelOf = (path) => flatMenu(state.fixture.menu).find((i) => i.path === path)?.label;

/** The screen title of `target`: its menu label; the product's home for `/`; else its path (`Work orders › WO-1 › edit`). */
function titleOf(target) {
  const own = labelOf(target) ?? labelOf(pathOf(target));
  if (own) return own;
  const [first, ...rest] = pathOf(target).split('/').filter(Boolean);
  if (!first) return `${state.fixture.title} home`;
  return [labelOf(`/${first}`) ?? first, ...rest].join(' › ');
}

// ---------------------------------------------------------------------------------------------
// Platforms

/** The platforms `user` may use, by name: the issuer compiles them (/api/products), the page only shows them. */
const platformNames = (user) => (user.platforms ?? []).map((p) => PLATFORM_NAMES[p] ?? p).join(', ') || 'no platform';

/** The user picker's text: the user's label, and their platforms where the product has any. */
const userOption = (user) => (state.product.platforms?.length ? `${user.label} · ${platformNames(user)}` : user.label);

/** The device's platform: the mobile app on a phone or touch screen where the product has one, else its first other. */
function devicePlatform(platforms) {
  const phone = navigator.userAgentData?.mobile || /Mobi|Android|iPhone|iPad/.test(navigator.userAgent)
    || matchMedia('(pointer: coarse), (max-width: 720px)').matches;
  if (phone && platforms.includes('mobile')) return 'mobile';
  return platforms.find((p) => p !== 'mobile') ?? platforms[0] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Snapshot life cycle

async function getJson(url) {
  const r = await fetch(url);
  const body = await r.json();
  if (!r.ok) throw new Error(`${body.error ?? r.status}: ${body.message ?? url}`);
  return body;
}

function currentUser() {
  return state.product.users.find((u) => u.name === $('user').value) ?? state.product.users[0];
}

/** How long before expiry to fetch the next snapshot: a quarter of its lifetime, at most 10 s. */
function refreshLead() {
  const ttl = Number(TTL ?? state.catalogue.ttl);
  return Math.min(10, Math.max(0.5, ttl * 0.25));
}

function makeGate() {
  state.gate?.free?.();
  // No clock skew: the issuer runs on this machine, and the demo shows expiry to the second.
  const options = { keys: state.jwks, audience: state.catalogue.audience, clockSkewSec: 0, refreshAheadSec: refreshLead() };
  if (state.platform) options.platform = state.platform;
  state.gate = new Gate(options);
  // The gate calls this `refreshAheadSec` before the snapshot in force expires.
  state.gate.onRefresh(() => { if ($('auto-refresh').checked) refresh(); });
}

async function fetchSnapshot() {
  const q = new URLSearchParams({ product: state.product.id, user: currentUser().name });
  if (TTL) q.set('ttl', TTL);
  const s = await getJson(`/api/snapshot?${q}`);
  sessionStorage.setItem(`${STORE}token`, s.token);
  state.snapshot = s;
  return s;
}

/** Loads the stored snapshot into an empty gate, as an app does when it starts. */
function loadStored() {
  state.gate.clear();
  state.refused = null;
  const token = sessionStorage.getItem(`${STORE}token`);
  if (!token) return;
  try {
    state.gate.load(token);
  } catch (e) {
    if (!(e instanceof RolegateError)) throw e;
    state.refused = { code: e.code, message: e.message };
  }
}

/** Signs the chosen user in: a fresh snapshot, loaded from storage, then the home page. */
async function signIn() {
  state.signedOut = null;
  state.notice = null;
  state.refreshes = 0;
  showAlert(null);
  try {
    await fetchSnapshot();
  } catch (e) {
    showAlert(`The issuer refused: ${e.message}`);
    return;
  }
  loadStored();
  go(wanted() ?? state.gate.home() ?? '/');
}

/** Replaces the snapshot in force with a fresh one before it expires (no gap, no clear). */
async function refresh() {
  if (state.refreshing) return;
  state.refreshing = true;
  try {
    const s = await fetchSnapshot();
    state.gate.load(s.token);
    state.refreshes += 1;
    showAlert(null);
    render();
  } catch (e) {
    state.retryAt = Date.now() + 2000;
    showAlert(`Refresh failed: ${e.code ?? ''} ${e.message}`);
  } finally {
    state.refreshing = false;
  }
}

/** Alters one character of the stored token's payload and reloads it: the gate refuses it. */
function tamper() {
  const token = sessionStorage.getItem(`${STORE}token`) ?? '';
  const [h, p, s] = token.split('.');
  if (!p) return;
  const i = Math.floor(p.length / 2);
  const altered = p.slice(0, i) + (p[i] === 'A' ? 'B' : 'A') + p.slice(i + 1);
  sessionStorage.setItem(`${STORE}token`, [h, altered, s].join('.'));
  loadStored();
  render();
}

function signOut(reason) {
  state.gate.clear();
  sessionStorage.removeItem(`${STORE}token`);
  state.signedOut = reason;
  state.route = null;
  render();
}

// ---------------------------------------------------------------------------------------------
// Routing (hash based: #/customers)

function wanted() {
  const h = decodeURIComponent(location.hash.slice(1));
  return h.startsWith('/') ? h : null;
}

/** Opens `target` if the gate allows it; otherwise follows the policy's redirect. */
function go(target, notice = null, depth = 0) {
  const st = state.gate.status();
  if (!st.loaded || st.expired) {
    state.route = null;
    render();
    return;
  }
  const d = state.gate.route(pathOf(target));
  if (d.allow) {
    state.route = target;
    state.notice = notice;
    if (wanted() !== target) history.replaceState(null, '', `#${target}`);
    render();
    return;
  }
  const why = { from: notice?.from ?? target, code: d.code, rule: d.rule, message: d.message, redirect: d.redirect };
  if (d.redirect === 'logout') {
    signOut(why);
    return;
  }
  // Where the policy says; when that is the denied page itself (a home page this user may not open),
  // the first page of the user's menu, as an app would.
  const next = d.redirect && d.redirect !== 'home' ? d.redirect : state.gate.home();
  const first = flatMenu(state.gate.menu(idsOnly(state.fixture.menu))).map((n) => menuItem(n.id)?.path).find(Boolean);
  const to = [next, first].find((t) => t && pathOf(t) !== pathOf(target));
  if (depth >= 3 || !to) {
    state.route = null;
    state.notice = { ...why, nowhere: true };
    render();
    return;
  }
  go(to, why, depth + 1);
}

// ---------------------------------------------------------------------------------------------
// Drawing

function showAlert(text) {
  $('alert').hidden = !text;
  $('alert').textContent = text ?? '';
}

function render() {
  const st = state.gate.status();
  state.lastExpired = st.expired;
  renderStatus(st);
  renderMenu();
  renderPage(st);
  renderRoutes();
  renderExplain();
  document.body.dataset.product = state.product.id;
  document.body.dataset.user = currentUser().name;
  document.body.dataset.platform = state.platform ?? '';
  document.body.dataset.route = state.route ?? '';
}

function snapState(st) {
  if (state.signedOut) return 'signed-out';
  if (state.refused) return 'refused';
  if (!st.loaded) return 'none';
  return st.expired ? 'expired' : 'valid';
}

function renderStatus(st) {
  const s = snapState(st);
  $('snapshot').dataset.state = s;
  $('snap-state').textContent = {
    valid: 'verified', expired: 'expired', refused: `refused: ${state.refused?.code}`, none: 'no snapshot',
    'signed-out': 'signed out',
  }[s];
  const u = currentUser();
  $('snap-who').textContent = st.loaded ? `${u.label} · ${st.subject}` : u.label;
  const stored = sessionStorage.getItem(`${STORE}token`) !== null;
  $('tamper').disabled = !stored;
  $('tamper-why').hidden = stored;
  tick();
  $('snap-meta').textContent = st.loaded
    ? `tenant ${st.tenant ?? '–'} · rev ${st.rev} · ${state.snapshot?.bytes ?? '?'} bytes · ` +
      `${state.refreshes} refresh${state.refreshes === 1 ? '' : 'es'}`
    : '';
}

/** Updates the countdown, and refreshes or redraws when the time says so (every 250 ms). */
function tick() {
  if (!state.gate) return;
  const st = state.gate.status();
  $('snap-expires').textContent = st.loaded && !st.expired ? `${Math.max(0, Math.ceil(st.expiresIn))} s` : '–';
  $('snap-expires').dataset.seconds = st.loaded ? String(Math.ceil(st.expiresIn)) : '';
  if (st.loaded && st.expired !== state.lastExpired) {
    render();
    return;
  }
  // The gate's onRefresh timer fires once per snapshot; this catches auto-refresh switched back on late
  // and a refresh that failed.
  if (st.loaded && !st.expired && $('auto-refresh').checked && !state.refreshing && Date.now() > state.retryAt) {
    if (st.expiresIn <= refreshLead() - 0.25) refresh();
  }
}

function renderMenu() {
  const visible = state.gate.menu(idsOnly(state.fixture.menu));
  const current = state.route;
  const draw = (nodes) => nodes.map((node) => {
    const item = menuItem(node.id) ?? { id: node.id, label: node.id };
    if (node.children?.length) {
      return el('li', { class: 'section', dataMenu: node.id },
        el('span', { class: 'section-label', text: item.label }),
        el('ul', {}, draw(node.children)));
    }
    return el('li', { dataMenu: node.id },
      el('a', { href: `#${item.path}`, class: item.path === current ? 'current' : null, text: item.label }));
  });
  $('menu').replaceChildren(...draw(visible));
  $('menu-empty').hidden = visible.length > 0;
}

function failClosedCard(st) {
  if (state.signedOut) {
    const r = state.signedOut;
    return [
      el('h2', { text: 'Signed out' }),
      el('p', {}, `Opening ${r.from} answered `, code(r.code), `: ${r.message}. The policy sends this user to `,
        code('logout'), '.'),
      state.platform
        ? el('p', { class: 'hint', text: `This user may use: ${platformNames(currentUser())}. Pick another platform or user above.` })
        : null,
      el('button', { type: 'button', id: 'sign-in', onclick: () => signIn(), text: 'Sign in again' }),
    ];
  }
  if (state.refused) {
    return [
      el('h2', { text: 'Snapshot refused: everything is denied' }),
      el('p', {}, 'The stored snapshot did not verify (', code(state.refused.code), `): ${state.refused.message}.`),
      el('p', { class: 'hint', text: 'A refused snapshot never replaces one in force; with none loaded, the gate fails closed: no menu, no routes, no records.' }),
      el('button', { type: 'button', id: 'restore', onclick: () => signIn(), text: 'Fetch a genuine snapshot' }),
    ];
  }
  if (st.expired) {
    return [
      el('h2', { text: 'Snapshot expired: everything is denied' }),
      el('p', {}, 'The snapshot in force is past its ', code('exp'), '; every question answers ', code('expired'), '.'),
      el('button', { type: 'button', id: 'restore', onclick: () => signIn(), text: 'Fetch a new snapshot' }),
    ];
  }
  return [el('h2', { text: 'No snapshot' }), el('p', { text: 'Nothing is loaded: every question is denied.' })];
}

function renderPage(st) {
  const page = $('page');
  const n = state.notice;
  $('notice').hidden = !n || n.nowhere;
  if (n && !n.nowhere) {
    $('notice').replaceChildren(`Redirected from ${n.from}: `, code(n.code),
      n.rule ? el('span', {}, ' (', code(n.rule), ')') : null, ` ${n.message}`);
  }
  page.dataset.kind = 'page';
  if (state.signedOut || state.refused || !st.loaded || st.expired) {
    page.dataset.kind = 'fail-closed';
    page.replaceChildren(...failClosedCard(st));
    return;
  }
  if (!state.route) {
    page.dataset.kind = 'nowhere';
    page.replaceChildren(
      el('h2', { text: 'No page is open to this user' }),
      el('p', {}, 'Even the home page ', code(state.gate.home() ?? '/'), ' answers ', code(n?.code ?? 'no_route'),
        n?.message ? `: ${n.message}.` : '.'),
    );
    return;
  }
  const d = state.gate.route(pathOf(state.route));
  const lists = state.fixture.lists.filter((l) => l.path === pathOf(state.route));
  page.replaceChildren(
    el('div', { class: 'page-head' },
      el('h2', { id: 'page-title', text: titleOf(state.route) }),
      el('span', { class: 'route-tag' }, code(state.route), ' ', el('span', { class: 'ok', text: d.code }))),
    ...(lists.length ? lists.map((l) => renderList(l, l.title !== titleOf(state.route))) : [summary()]),
  );
}

/** The home of a page without a list: how much of each list this user sees. */
function summary() {
  const rows = state.fixture.lists.map((l) => {
    const seen = state.gate.filter(l.resource, l.records).length;
    return el('li', {}, el('strong', { text: `${seen} of ${l.records.length}` }), ` ${l.title.toLowerCase()}`);
  });
  return el('div', { class: 'summary' }, el('p', { class: 'hint', text: 'Records this user may see:' }), el('ul', {}, rows));
}

function renderList(list, withTitle) {
  const visible = state.gate.filter(list.resource, list.records);
  const rules = new Map(state.gate.fields(list.resource).map((f) => [f.field, f]));
  const columns = list.columns.filter((c) => rules.get(c.field)?.allow !== false);
  const actions = list.actions.filter((a) => state.gate.can(a.key));
  const head = el('tr', {}, columns.map((c) => el('th', { dataField: c.field, text: c.label })),
    actions.length ? el('th', { class: 'actions-head', text: 'Actions' }) : null);
  const rows = visible.map((record) => {
    const { value, masked } = state.gate.mask(list.resource, record);
    const cells = columns.map((c) => {
      if (c.assign && state.gate.can(c.assign.key, record)) return assignCell(c, record);
      const hidden = masked.find((m) => m.field === c.field);
      const shown = c.field in value ? (c.money ? money(value[c.field]) : String(value[c.field])) : 'hidden';
      return el('td', {
        // One word (an id such as J-101, an amount) never breaks at its hyphen or comma.
        dataField: c.field, dataLabel: c.label, class: hidden ? 'masked' : (/\s/.test(shown) ? null : 'word'),
        title: hidden ? `${hidden.code}: ${hidden.message}` : null, text: shown,
      });
    });
    return el('tr', { dataRecord: record.id }, cells,
      actions.length ? actionsCell(list, record, actions) : null);
  });
  return el('section', { class: 'list', dataResource: list.resource },
    el('h3', { class: withTitle ? null : 'count-only' }, withTitle ? list.title : null,
      el('span', { class: 'count', dataCount: visible.length, text: ` ${visible.length} of ${list.records.length} visible` })),
    visible.length
      ? el('table', { class: 'records' }, el('thead', {}, head), el('tbody', {}, rows))
      : el('p', { class: 'empty', text: 'No record of this list is visible to this user.' }));
}

/**
 * A column whose value is a user the record is assigned to, for a user who may edit the record: a
 * dropdown of the users the issuer lists by the column's setting (NeptuneCRM's consultant dropdown:
 * users whose `canAssignCustomers` is on), the record's own first if the list lacks it.
 */
function assignCell(c, record) {
  const current = record[c.assign.owner]?.id;
  const listed = state.assignees.get(c.assign.setting) ?? [];
  const options = listed.map((u) => new Option(u.label, u.id, false, u.id === current));
  if (!listed.some((u) => u.id === current)) options.unshift(new Option(String(record[c.field]), current, true, true));
  const select = el('select', {
    dataField: c.field, dataRecord: record.id, 'aria-label': `${c.label} of ${record.id}`,
    onchange: (e) => showAlert(`${c.label} of ${record.id}: ${e.target.selectedOptions[0].text}; the server checks it again.`),
  }, ...options);
  return el('td', { dataField: c.field, dataLabel: c.label, class: 'assign' }, select);
}

/**
 * The action buttons of `record`, and under them each reason the gate gives for disabling some, in view
 * without hover (a phone has none for a `title`).
 */
function actionsCell(list, record, actions) {
  const checks = actions.map((a) => ({ a, d: state.gate.check(a.key, record) }));
  const whyId = (d) => `why-${list.resource}-${record.id}-${d.code}`;
  const buttons = checks.map(({ a, d }) => el('button', {
    type: 'button', class: 'small', dataAction: a.id, dataRecord: record.id, dataCode: d.code,
    disabled: !d.allow, title: d.allow ? `${a.key}: ${d.code}` : `${d.code}: ${d.message}`,
    'aria-describedby': d.allow ? null : whyId(d),
    onclick: () => showAlert(`${a.label} ${record.id}: allowed (${d.code}); the server checks it again.`),
    text: a.label,
  }));
  const denied = new Map(); // code → { d, labels }: one reason line for the buttons it disables
  for (const { a, d } of checks) {
    if (!d.allow) denied.set(d.code, { d, labels: [...(denied.get(d.code)?.labels ?? []), a.label] });
  }
  const reasons = [...denied.values()].map(({ d, labels }) =>
    el('small', { class: 'why', id: whyId(d), dataCode: d.code, text: `${labels.join(', ')}: ${d.message}` }));
  return el('td', { class: 'actions', dataLabel: 'Actions' }, el('div', { class: 'buttons' }, buttons), reasons);
}

function renderRoutes() {
  const buttons = state.fixture.routes.map((path) => {
    const d = state.gate.route(path);
    const target = d.allow ? null : (d.redirect === 'home' ? 'home' : d.redirect);
    return el('button', {
      type: 'button', class: `route ${d.allow ? 'allow' : 'deny'}`, dataRoute: path, dataCode: d.code,
      title: `${d.code}${d.rule ? ` (${d.rule})` : ''}${target ? ` → ${target}` : ''}`,
      onclick: () => go(path),
    }, path, el('small', { text: d.allow ? '' : ` ${d.code}` }));
  });
  $('routes').replaceChildren(...buttons);
}

/** Everything the gate hides from this user, as `{ kind, id, what, d }` with the gate's decision `d`. */
function hiddenItems() {
  const g = state.gate;
  const items = [];
  const add = (kind, id, what, d) => items.push({ kind, id, what, d });
  const shown = new Set(flatMenu(g.menu(idsOnly(state.fixture.menu))).map((n) => n.id));
  for (const item of flatMenu(state.fixture.menu)) {
    if (!shown.has(item.id)) add('menu', item.id, [item.label], g.explain({ menu: item.id }));
  }
  for (const path of state.fixture.routes) {
    const d = g.route(path);
    if (!d.allow) add('route', path, [code(path), ` → ${d.redirect ?? 'stay'}`], d);
  }
  for (const list of state.fixture.lists) {
    for (const f of g.fields(list.resource)) {
      if (!f.allow) add('field', `${list.resource}.${f.field}`, [code(`${list.resource}.${f.field}`)], f);
    }
    for (const a of list.actions) {
      const d = g.check(a.key);
      if (!d.allow) add('button', `${list.resource}.${a.id}`, [`${a.label} `, code(a.key)], d);
    }
    const visible = new Set(g.filter(list.resource, list.records).map((r) => r.id));
    for (const r of list.records) {
      if (!visible.has(r.id)) add('record', r.id, [`${list.resource} ${r.id}`], g.explain({ resource: list.resource, see: r }));
    }
  }
  return items;
}

/** One row of the explain panel: what is hidden, and the gate's code, message and rule. */
function explainRow({ kind, id, what, d }, attrs = {}) {
  return el('tr', { dataKind: kind, dataId: id, dataCode: d.code, ...attrs },
    el('td', { dataLabel: 'What' }, el('span', { class: 'kind', text: kind }), ' ', what),
    el('td', { dataLabel: 'Why' }, code(d.code), ' ', el('span', { class: 'message', text: d.message }),
      d.rule ? el('span', { class: 'rule' }, 'rule ', code(d.rule)) : null));
}

const sameDecision = (a, b) => a.code === b.code && a.rule === b.rule && a.message === b.message;

/** "48 items (20 menu, 12 route …)": how many of each kind `items` holds. */
function countOf(items) {
  const kinds = new Map();
  for (const { kind } of items) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  return `${items.length} items (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')})`;
}

/** The explain panel; when the gate gives every item the same answer (no snapshot, expired), one row says so. */
function renderExplain() {
  const items = hiddenItems();
  const [first] = items;
  const uniform = items.length > 1 && items.every((i) => sameDecision(i.d, first.d));
  const rows = uniform
    ? [explainRow({ kind: 'all', id: 'all', what: countOf(items), d: first.d }, { dataCount: items.length })]
    : items.map((item) => explainRow(item));
  $('explain').replaceChildren(...(rows.length ? rows
    : [el('tr', {}, el('td', { colspan: 2, class: 'empty', text: 'Nothing is hidden from this user.' }))]));
}

// ---------------------------------------------------------------------------------------------
// Pickers

async function chooseProduct(id, userName) {
  state.product = state.catalogue.products.find((p) => p.id === id) ?? state.catalogue.products[0];
  state.fixture = state.fixtures[state.product.id];
  const settings = new Set(state.fixture.lists.flatMap((l) => l.columns.map((c) => c.assign?.setting).filter(Boolean)));
  state.assignees = new Map(await Promise.all([...settings].map(async (s) =>
    [s, (await getJson(`/api/users?product=${encodeURIComponent(state.product.id)}&setting=${encodeURIComponent(s)}`)).users])));
  $('product').value = state.product.id;
  $('user').replaceChildren(...state.product.users.map((u) => new Option(userOption(u), u.name)));
  if (userName && state.product.users.some((u) => u.name === userName)) $('user').value = userName;
  const platforms = state.product.platforms ?? [];
  $('platform-picker').hidden = platforms.length === 0;
  $('platform').replaceChildren(...platforms.map((p) => new Option(PLATFORM_NAMES[p] ?? p, p)));
  const keep = platforms.includes(state.platform) ? state.platform : devicePlatform(platforms);
  state.platform = keep;
  if (keep) $('platform').value = keep;
  remember();
  makeGate();
}

function remember() {
  sessionStorage.setItem(`${STORE}selection`, JSON.stringify({
    product: state.product.id, user: $('user').value, platform: state.platform,
  }));
}

async function main() {
  await init();
  [state.catalogue, state.jwks] = await Promise.all([getJson('/api/products'), getJson('/api/jwks.json')]);
  const fixtures = await Promise.all(state.catalogue.products.map((p) => getJson(`fixtures/${p.id}.json`)));
  state.fixtures = Object.fromEntries(state.catalogue.products.map((p, i) => [p.id, fixtures[i]]));
  const saved = JSON.parse(sessionStorage.getItem(`${STORE}selection`) ?? '{}');
  const pick = (name) => params.get(name) ?? saved[name];
  $('product').replaceChildren(...state.catalogue.products.map((p) => new Option(state.fixtures[p.id].title, p.id)));
  state.platform = pick('platform') ?? null;
  await chooseProduct(pick('product') ?? 'neptunecrm', pick('user'));

  $('product').addEventListener('change', async () => {
    await chooseProduct($('product').value);
    history.replaceState(null, '', location.pathname + location.search);
    await signIn();
  });
  $('user').addEventListener('change', () => { remember(); history.replaceState(null, '', location.pathname + location.search); signIn(); });
  $('platform').addEventListener('change', () => {
    state.platform = $('platform').value;
    remember();
    makeGate();
    signIn();
  });
  $('refresh').addEventListener('click', () => signIn());
  $('tamper').addEventListener('click', tamper);
  window.addEventListener('hashchange', () => {
    const w = wanted();
    if (w && w !== state.route && !state.signedOut) go(w);
  });
  if (params.get('refresh') === 'off') $('auto-refresh').checked = false;
  setInterval(tick, 250);
  await signIn();
  document.body.dataset.ready = 'true';
}

main().catch((e) => {
  showAlert(`The demo could not start: ${e.message}`);
  document.body.dataset.ready = 'error';
  throw e;
});
