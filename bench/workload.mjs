// One generator for the benchmark workloads. From a seed and a size it builds a product (keys, roles
// with allows/denies/patterns, a record type with an owner scope, a masked record type, routes, a menu)
// and writes it three ways: a rolegate policy (signed by the Rust side, see bench/prepare.mjs), CASL
// rules for the same user, and a Cedar policy set with its entities. It also computes the expected
// answer of every question from the model itself, so each library is checked against the same truth.

export const WORKLOADS = {
  // ≈ a NeptuneCRM tenant: 4 roles, ~60 keys, 20 routes, 10 cost fields, a 100-item menu.
  W1: { seed: 1, share: 0.35, roles: 4, keys: 60, routeSections: 5, resources: 1, fieldsPerResource: 10, menuSections: 10, userRoles: 2 },
  // 50 roles, 2,000 keys, 500 route patterns, 200 field rules; the app filters 100 of its 500 menu items.
  W2: { seed: 2, share: 0.05, roles: 50, keys: 2000, routeSections: 125, resources: 10, fieldsPerResource: 20, menuSections: 50, userRoles: 2 },
};

const AREAS = ['page', 'data', 'api', 'report', 'admin', 'feature', 'settings', 'export'];
const VERBS = ['view', 'edit', 'manage', 'create', 'delete'];
export const USER = { id: 'u-bench', tenant: 'org-1', name: 'Bench User' };
/** Fields of the masked record (its tenant and `f0`…); the first `fieldsPerResource` `f` fields are governed. */
export const RECORD_FIELDS = 20;
export const MENU_ITEMS_PER_SECTION = 9;

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Whether `pattern` (a key, `prefix.*` or `*`) covers `key`. */
const covers = (pattern, key) => pattern === key || pattern === '*' ||
  (pattern.endsWith('.*') && key.startsWith(pattern.slice(0, -1)));

export function generate(name) {
  const spec = WORKLOADS[name];
  const rand = rng(spec.seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];

  // Keys: generic ones in groups (so `area.gN.*` patterns cover several), then the record and field keys.
  const generic = [];
  const fieldKeys = [];
  const resources = [];
  for (let r = 0; r < spec.resources; r++) {
    const fields = [];
    for (let f = 0; f < spec.fieldsPerResource; f++) {
      const key = `finance.r${r}.f${f}.view`;
      fieldKeys.push(key);
      fields.push({ field: `f${f}`, key });
    }
    resources.push({ name: r === 0 ? 'proposal' : `res${r}`, prefix: `data.res${r}`, view: `data.res${r}.view`, fields });
  }
  const special = ['data.customer.view', 'data.customer.edit', ...resources.map((r) => r.view), ...fieldKeys];
  const nGeneric = Math.max(8, spec.keys - special.length);
  for (let i = 0; i < nGeneric; i++) {
    generic.push(`${AREAS[i % AREAS.length]}.g${Math.floor(i / 32)}.${VERBS[(i * 7) % VERBS.length]}${i}`);
  }
  const keys = [...generic, ...special];

  // Roles: a share of the generic keys (35% in W1, 5% in W2), a wildcard group or two, a few denies; field keys at random.
  const roles = [];
  for (let r = 0; r < spec.roles; r++) {
    const allow = generic.filter(() => rand() < spec.share);
    const groups = [...new Set(generic.map((k) => k.split('.').slice(0, 2).join('.')))];
    for (let p = 0; p < 1 + (r % 2); p++) allow.push(`${pick(groups)}.*`);
    allow.push(...fieldKeys.filter(() => rand() < 0.5));
    const deny = generic.filter(() => rand() < 0.03);
    if (r % 3 === 1) deny.push(`${pick(groups)}.*`);
    roles.push({ id: `r${r}`, allow: [...new Set(allow)], deny: [...new Set(deny)] });
  }
  // Every role sees its record types (the masked record needs its view key); customers only their own.
  const scoped = ['data.customer.view', 'data.customer.edit'];

  const userRoles = roles.slice(0, spec.userRoles);
  const allows = (key) => userRoles.some((r) => r.allow.some((p) => covers(p, key))) ||
    resources.some((r) => r.view === key);
  const denies = (key) => userRoles.some((r) => r.deny.some((p) => covers(p, key)));
  const expectKey = (key) => scoped.includes(key) || (allows(key) && !denies(key));
  // Reachable keys (some role grants them and some role does not deny them): routes and menus use these.
  const reachable = generic.filter((k) => roles.some((r) => r.allow.some((p) => covers(p, k)) && !r.deny.some((p) => covers(p, k))));

  // Routes: per section `/sN`, `/sN/new`, `/sN/{id}`, `/sN/{id}/edit` (a static segment beats a parameter).
  const routes = [];
  for (let s = 0; s < spec.routeSections; s++) {
    const a = pick(reachable);
    const b = pick(reachable);
    routes.push({ path: `/s${s}`, requires: a }, { path: `/s${s}/new`, requires: b },
      { path: `/s${s}/{id}`, requires: a }, { path: `/s${s}/{id}/edit`, requires: b });
  }

  // Menu: sections of 9 items; the app's tree is 100 nodes (10 sections of 9 items, spread over the menu).
  const menu = [];
  for (let s = 0; s < spec.menuSections; s++) {
    const children = [];
    for (let c = 0; c < MENU_ITEMS_PER_SECTION; c++) children.push({ id: `m${s}.i${c}`, requires: pick(reachable) });
    menu.push({ id: `m${s}`, children });
  }
  const step = Math.max(1, Math.floor(spec.menuSections / 10));
  const appMenu = [];
  for (let s = 0; s < spec.menuSections && appMenu.length < 10; s += step) {
    appMenu.push({
      id: `m${s}`, label: `Section ${s}`,
      children: menu[s].children.map((c) => ({ id: c.id, label: `Item ${c.id}`, key: c.requires })),
    });
  }

  const policy = {
    product: `bench-${name.toLowerCase()}`,
    keys,
    tenant_field: 'organisationId',
    roles: Object.fromEntries(roles.map((r) => [r.id, {
      allow: [...r.allow, ...resources.map((x) => x.view), ...scoped.map((key) => ({ key, scope: ['own'] }))],
      ...(r.deny.length ? { deny: r.deny } : {}),
    }])),
    resources: {
      customer: { keys: 'data.customer', view: 'data.customer.view', owner: ['ownerId'] },
      ...Object.fromEntries(resources.map((r) => [r.name, {
        keys: r.prefix, view: r.view, fields: Object.fromEntries(r.fields.map((f) => [f.field, { key: f.key }])),
      }])),
    },
    // A public home: a denied route redirects there (lint refuses a home the roles may not open).
    routes: { home: '/', on_deny: 'home', rules: [{ path: '/' }, ...routes] },
    menu,
  };
  const users = { bench: { id: USER.id, name: USER.name, tenant: USER.tenant, roles: userRoles.map((r) => r.id) } };

  // CASL: `can(verb, subject)` for `subject.verb`, expanded from the patterns; `cannot` for denies.
  const split = (key) => {
    const i = key.lastIndexOf('.');
    return [key.slice(i + 1), key.slice(0, i)];
  };
  const caslRules = [];
  const granted = keys.filter((k) => allows(k) && !scoped.includes(k));
  for (const k of granted) {
    const [action, subject] = split(k);
    caslRules.push({ action, subject });
  }
  for (const k of keys.filter(denies)) {
    const [action, subject] = split(k);
    caslRules.push({ action, subject, inverted: true });
  }
  for (const k of scoped) {
    caslRules.push({ action: split(k)[0], subject: 'Customer', conditions: { organisationId: USER.tenant, ownerId: USER.id } });
  }
  const proposal = resources[0];
  const hidden = proposal.fields.filter((f) => !expectKey(f.key)).map((f) => f.field);
  caslRules.push({ action: 'read', subject: 'Proposal' });
  if (hidden.length) caslRules.push({ action: 'read', subject: 'Proposal', fields: hidden, inverted: true });

  // Cedar: one permit per role for its expanded keys (actions), one forbid for its denies, and the
  // owner rule for customers; the user entity is in its role entities.
  const cedarPolicies = [];
  const lit = (ks) => ks.map((k) => `Action::${JSON.stringify(k)}`).join(', ');
  for (const r of roles) {
    const allowed = keys.filter((k) => !scoped.includes(k) &&
      (r.allow.some((p) => covers(p, k)) || resources.some((x) => x.view === k)));
    cedarPolicies.push(`permit(principal in Role::"${r.id}", action in [${lit(allowed)}], resource);`);
    const denied = keys.filter((k) => r.deny.some((p) => covers(p, k)));
    if (denied.length) cedarPolicies.push(`forbid(principal in Role::"${r.id}", action in [${lit(denied)}], resource);`);
    cedarPolicies.push(`permit(principal in Role::"${r.id}", action in [${lit(scoped)}], resource is Customer) ` +
      'when { resource.organisationId == principal.tenant && resource.ownerId == principal.uid };');
  }
  const cedarEntities = [
    { uid: { type: 'User', id: USER.id }, attrs: { uid: USER.id, tenant: USER.tenant }, parents: userRoles.map((r) => ({ type: 'Role', id: r.id })) },
    ...roles.map((r) => ({ uid: { type: 'Role', id: r.id }, attrs: {}, parents: [] })),
  ];

  // Questions, with the expected answers.
  const allowKey = generic.find((k) => expectKey(k) && k.startsWith('page.')) ?? generic.find(expectKey);
  const denyKey = generic.find((k) => !expectKey(k) && k.startsWith('api.')) ?? generic.find((k) => !expectKey(k));
  const own = { id: 'c1', organisationId: USER.tenant, ownerId: USER.id, name: 'Acme' };
  const other = { id: 'c2', organisationId: USER.tenant, ownerId: 'u-other', name: 'Other' };
  // A list screen's 100 customers: every other one the user's own, every tenth in another tenant.
  const list = Array.from({ length: 100 }, (_, i) => ({
    id: `c${i}`, organisationId: i % 10 === 9 ? 'org-other' : USER.tenant, ownerId: i % 2 ? USER.id : 'u-other', name: `Customer ${i}`,
  }));
  const mayEdit = (r) => r.organisationId === USER.tenant && r.ownerId === USER.id;
  const record = { organisationId: USER.tenant };
  for (let f = 0; f < RECORD_FIELDS - 1; f++) record[`f${f}`] = f < spec.fieldsPerResource ? f * 100.5 : `text ${f}`;
  const mid = Math.floor(spec.routeSections / 2);
  const routeAllowed = (path) => {
    const rule = matchRoute(routes, path);
    return rule ? expectKey(rule.requires) : false;
  };
  // An allowed and a denied route near the middle of the table.
  let routeAllow = null;
  let routeDeny = null;
  for (let i = 0; i < spec.routeSections && !(routeAllow && routeDeny); i++) {
    const s = (mid + i) % spec.routeSections;
    for (const p of [`/s${s}/8842/edit`, `/s${s}/8842`, `/s${s}/new`, `/s${s}`]) {
      if (!routeAllow && routeAllowed(p)) routeAllow = p;
      if (!routeDeny && !routeAllowed(p)) routeDeny = p;
    }
  }
  const routePaths = [];
  for (let s = 0; s < spec.routeSections; s++) routePaths.push(`/s${s}`, `/s${s}/new`, `/s${s}/x1`, `/s${s}/x1/edit`);
  routePaths.push('/nowhere', '/s0/x1/edit/more');
  const filterMenu = (nodes) => nodes.flatMap((n) => {
    if (n.children) {
      const children = filterMenu(n.children);
      return children.length ? [{ ...n, children }] : [];
    }
    return expectKey(n.key) ? [{ ...n }] : [];
  });

  return {
    name, spec, policy, users, keys, routes, appMenu, caslRules,
    cedar: { policies: cedarPolicies.join('\n'), entities: cedarEntities, principal: { type: 'User', id: USER.id } },
    questions: { allowKey, denyKey, own, other, record, list, routeAllow, routeDeny, routePaths, checkKeys: keys.filter((k) => !scoped.includes(k)) },
    expect: {
      key: (k) => expectKey(k),
      record: mayEdit,
      filter: () => list.filter(mayEdit).map((r) => r.id),
      route: (p) => { const ok = routeAllowed(p); return { allow: ok, redirect: ok ? null : 'home' }; },
      mask: () => Object.keys(record).filter((f) => !hidden.includes(f)),
      menu: () => filterMenu(appMenu),
    },
  };
}

/** The first rule matching `path`, static segments first, as matchit orders them. */
export function matchRoute(routes, path) {
  const compiled = routes.compiled ??= compileRoutes(routes);
  for (const r of compiled) if (r.re.test(path)) return r.rule;
  return null;
}

/** Route patterns as anchored regular expressions in table order (each section's static patterns first). */
export function compileRoutes(routes) {
  return routes.map((rule) => ({
    rule,
    re: new RegExp(`^${rule.path.replace(/\{\*[^}]+\}/g, '(.+)').replace(/\{[^}]+\}/g, '([^/]+)')}$`),
  }));
}
