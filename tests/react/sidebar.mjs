// The gated NeptuneCRM screen of the React test, rendered in Node (renderToString) and in Chromium from
// the same module: a sidebar from useMenu, actions behind <Can>, customers behind useCan on records, a
// reason through a render prop, a <Can not> notice and an admin page behind <Guard>. Every element
// that a permission governs carries `data-gated="<what>"`, so the test can list what is on screen.
import { createElement as h } from 'react';
import { createRolegateReact, useCan, useMenu, useStatus } from 'rolegate/react';

// The typed factory's functions are the module's own (types only differ): the screen uses them.
const { Can, Guard, RolegateProvider, useMask, useFields, useFilter } = createRolegateReact();

/** The app's sidebar: every item of the NeptuneCRM policy menu, with labels. */
export const TREE = [
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'customers', label: 'Customers' },
  { id: 'proposals', label: 'Proposals' },
  { id: 'proposal_builder', label: 'Proposal builder' },
  { id: 'contracts', label: 'Contracts' },
  { id: 'jobs', label: 'Jobs' },
  { id: 'templates', label: 'Templates' },
  { id: 'enquiries', label: 'Enquiries' },
  { id: 'marketing', label: 'Marketing' },
  { id: 'inventory', label: 'Inventory', children: [
    { id: 'inventory.products', label: 'Products' },
    { id: 'inventory.pools', label: 'Pools' },
    { id: 'inventory.categories', label: 'Categories' },
    { id: 'inventory.sections', label: 'Sections' },
  ] },
  { id: 'admin', label: 'Admin', children: [
    { id: 'admin.organisation', label: 'Organisation' },
    { id: 'admin.users', label: 'Users' },
    { id: 'admin.statistics', label: 'Statistics' },
    { id: 'admin.subscription', label: 'Subscription' },
  ] },
  { id: 'feature_flags', label: 'Feature flags' },
  { id: 'pdf_chat', label: 'PDF chat' },
];

/** Toolbar actions: [id, permission key, label]. */
export const ACTIONS = [
  ['new-job', 'data.job.create', 'New job'],
  ['new-template', 'data.template.create', 'New template'],
  ['enquiries', 'page.enquiries.view', 'Enquiries'],
  ['marketing', 'page.marketing.view', 'Marketing'],
  ['users', 'page.admin.view', 'Users'],
];

/** Customers of tenant org-1 and one of another tenant; the consultant owns c1 and c3. */
export const CUSTOMERS = [
  { id: 'c1', organisationId: 'org-1', consultant: { id: 'u-cons' } },
  { id: 'c2', organisationId: 'org-1', consultant: { id: 'u-other' } },
  { id: 'c3', organisationId: 'org-2', consultant: { id: 'u-cons' } },
];

/** A proposal of the Consultant's, with the cost fields a policy masks. */
export const PROPOSAL = { id: 'p1', organisationId: 'org-1', consultantId: 'u-cons', total: 1200, cost: 800, margin: 400 };

/** The proposal as useMask returns it: one element per member the user may see. */
function Proposal() {
  const { value } = useMask('proposal', PROPOSAL);
  return h('dl', { id: 'proposal' }, Object.keys(value).map((k) => h('dd', { key: k, 'data-gated': `field:${k}` }, String(value[k]))));
}

/** The customers useFilter keeps, and the proposal fields useFields allows. */
function Lists() {
  const customers = useFilter('customer', CUSTOMERS);
  const fields = useFields('proposal');
  return h('div', null,
    h('ul', { id: 'filtered' }, customers.map((c) => h('li', { key: c.id, 'data-gated': `filtered:${c.id}` }, c.id))),
    h('p', { id: 'fields' }, fields.filter((f) => f.allow).map((f) => h('span', { key: f.field, 'data-gated': `shown:${f.field}` }, f.field))));
}

function Items({ nodes }) {
  return h('ul', null, nodes.map((n) => h('li', { key: n.id },
    h('a', { href: `#${n.id}`, 'data-gated': `menu:${n.id}` }, n.label),
    n.children ? h(Items, { nodes: n.children }) : null)));
}

function Sidebar() {
  const menu = useMenu(TREE);
  return h('nav', { id: 'sidebar' }, h(Items, { nodes: menu }));
}

function Customer({ customer }) {
  const visible = useCan('data.customer.view', customer);
  return visible ? h('li', { 'data-gated': `customer:${customer.id}` }, customer.id) : null;
}

function Toolbar() {
  return h('div', { id: 'toolbar' }, ACTIONS.map(([id, key, label]) =>
    h(Can, { key: id, I: key, pending: h('span', { className: 'skeleton' }) },
      h('button', { type: 'button', 'data-gated': `action:${id}` }, label))));
}

/** The pending state, visible to the user, and what the snapshot says. */
function Header() {
  const status = useStatus();
  return h('header', { id: 'status', 'data-loaded': String(status.loaded), 'data-status': JSON.stringify(status) },
    status.loaded ? `Signed in as ${status.subject}` : 'Loading permissions…');
}

/** The whole screen; `onDeny` receives the route decision when /admin/users is refused. */
export function App({ gate, onDeny }) {
  return h(RolegateProvider, { gate },
    h(Header),
    h(Sidebar),
    h(Toolbar),
    h('ul', { id: 'customers' }, CUSTOMERS.map((c) => h(Customer, { key: c.id, customer: c }))),
    h(Proposal),
    h(Lists),
    h(Can, { I: 'page.admin.view', passThrough: true },
      (d) => h('output', { id: 'admin-reason' }, d === null ? 'pending' : d.code)),
    h(Can, { I: 'page.admin.view', not: true },
      h('p', { 'data-gated': 'notice:no-admin' }, 'Ask an administrator for access to Admin')),
    h(Guard, { path: '/admin/users', onDeny, fallback: h('p', { id: 'denied' }, 'Not for you') },
      h('main', { 'data-gated': 'page:admin-users' }, 'Users of the organisation')));
}
