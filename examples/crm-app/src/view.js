// What each screen shows, decided by the gate: `model(gate, path)` is plain data (unit-tested in Node
// with rolegate/testing), `render(document, model)` writes it into the page. Nothing here decides a
// permission itself: routes, menus, rows and columns all come from the gate's answers.
import { PROPOSALS } from './data.js';

/** The app's menu; `gate.menu(MENU)` keeps the items the policy's menu rules allow (ids as in the policy). */
export const MENU = [
  { id: 'dashboard', label: 'Dashboard', href: '#/' },
  { id: 'customers', label: 'Customers', href: '#/customers' },
  { id: 'proposals', label: 'Proposals', href: '#/proposals' },
  { id: 'jobs', label: 'Jobs', href: '#/jobs' },
  { id: 'admin', label: 'Admin', href: '#/admin', children: [{ id: 'admin.users', label: 'Users', href: '#/admin/users' }] },
];

const TITLES = { '/': 'Dashboard', '/profile': 'Profile', '/customers': 'Customers', '/jobs': 'Jobs', '/admin': 'Admin', '/admin/users': 'Users' };

/** Proposal columns everyone with the page sees, then the cost columns the policy governs. */
const COLUMNS = [{ key: 'title', label: 'Proposal' }, { key: 'customer', label: 'Customer' }, { key: 'value', label: 'Value' }];
const COST_COLUMNS = [{ key: 'cost', label: 'Cost' }, { key: 'costBreakdown', label: 'Breakdown' }, { key: 'margin', label: 'Margin' }];

function page(gate, path, records) {
  if (path !== '/proposals') return { kind: 'page', title: TITLES[path] ?? path };
  const visible = new Set(gate.fields('proposal').filter((f) => f.allow).map((f) => f.field));
  return {
    kind: 'proposals',
    title: 'Proposals',
    columns: [...COLUMNS, ...COST_COLUMNS.filter((c) => visible.has(c.key))],
    // The proposals the user may see, each without the fields they may not.
    rows: gate.filter('proposal', records).map((p) => gate.mask('proposal', p).value),
  };
}

/**
 * The screen for `path`: the session state, the filtered menu, and the page, or where the user was
 * sent instead (`notice` says from where and why, with the reason code).
 */
export function model(gate, path, records = PROPOSALS) {
  const status = gate.status();
  const state = !status.loaded ? 'signed-out' : status.expired && !status.inGrace ? 'expired' : 'active';
  const base = { state, subject: status.subject ?? null, expiresIn: status.expiresIn, menu: gate.menu(MENU), notice: null };
  const route = gate.route(path);
  if (route.allow) return { ...base, page: page(gate, path, records) };
  if (state !== 'active' || route.redirect === 'logout') return { ...base, page: { kind: 'signed-out', title: 'Signed out', code: route.code } };
  const target = route.redirect === 'home' ? gate.home() : route.redirect;
  const notice = { from: path, code: route.code };
  if (target === null || target === path || !gate.route(target).allow) {
    return { ...base, notice, page: { kind: 'denied', title: 'Not available', code: route.code } };
  }
  return { ...base, notice, redirectedTo: target, page: page(gate, target, records) };
}

function el(doc, tag, props = {}, children = []) {
  const node = Object.assign(doc.createElement(tag), props);
  node.append(...children);
  return node;
}

function menuList(doc, items) {
  return el(doc, 'ul', {}, items.map((item) => {
    const link = el(doc, 'a', { href: item.href, textContent: item.label });
    link.dataset.id = item.id;
    return el(doc, 'li', {}, item.children ? [link, menuList(doc, item.children)] : [link]);
  }));
}

function table(doc, { columns, rows }) {
  const head = el(doc, 'tr', {}, columns.map((c) => el(doc, 'th', { textContent: c.label })));
  const body = rows.map((r) => {
    const row = el(doc, 'tr', {}, columns.map((c) => el(doc, 'td', { textContent: r[c.key] ?? '' })));
    row.dataset.id = r.id;
    return row;
  });
  return el(doc, 'table', {}, [el(doc, 'thead', {}, [head]), el(doc, 'tbody', {}, body)]);
}

/** Writes `m` (from `model`) into the page: menu, status line, notice and page body. */
export function render(doc, m) {
  doc.getElementById('menu').replaceChildren(menuList(doc, m.menu));
  const status = doc.getElementById('status');
  status.dataset.state = m.state;
  status.textContent = m.state === 'active' ? `Signed in as ${m.subject} · snapshot expires in ${Math.round(m.expiresIn)} s`
    : m.state === 'expired' ? 'Your session has expired' : 'Signed out';
  doc.getElementById('notice').textContent = m.notice ? `${m.notice.from} is not available to you (${m.notice.code})` : '';
  const section = doc.getElementById('page');
  section.dataset.kind = m.page.kind;
  const parts = [el(doc, 'h1', { textContent: m.page.title })];
  if (m.page.kind === 'proposals') parts.push(table(doc, m.page));
  if (m.page.code) parts.push(el(doc, 'p', { textContent: `reason: ${m.page.code}` }));
  section.replaceChildren(...parts);
}
