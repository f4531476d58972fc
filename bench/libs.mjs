// The three libraries behind one shape: each `setup(fixture)` returns the same operations, written the
// way an application would use that library. Runs in Node and in the browser (modules are passed in).
import { compileRoutes } from './workload.mjs';

/** CASL's and Cedar's menu filter, as an app would write it: a copy of `nodes` keeping what `can` allows. */
function menuBy(can, nodes) {
  const out = [];
  for (const n of nodes) {
    if (n.children) {
      const children = menuBy(can, n.children);
      if (children.length) out.push({ ...n, children });
    } else if (can(n.key)) {
      out.push({ ...n });
    }
  }
  return out;
}

/** CASL's and Cedar's route decision: the first pattern of the regular-expression table that matches. */
function routeBy(routes, can, path) {
  for (const r of routes) {
    if (r.re.test(path)) {
      const allow = can(r.rule.requires);
      return { allow, redirect: allow ? null : 'home' };
    }
  }
  return { allow: false, redirect: 'home' };
}

/** Each library's operations on a fixture `w` (see prepare.mjs `portable`). */
export const LIBRARIES = {
  rolegate: (m, w) => {
    const gate = new m.rolegate.Gate({ keys: w.jwks, audience: 'bench' });
    gate.load(w.token);
    const q = w.questions;
    const allowId = gate.id(q.allowKey);
    const denyId = gate.id(q.denyKey);
    return {
      keyAllow: () => gate.can(q.allowKey),
      keyDeny: () => gate.can(q.denyKey),
      idAllow: () => gate.canId(allowId),
      idDeny: () => gate.canId(denyId),
      key: (k) => gate.can(k),
      record: (r) => gate.can('data.customer.edit', r),
      route: (p) => { const d = gate.route(p); return { allow: d.allow, redirect: d.redirect }; },
      mask: (rec) => gate.mask('proposal', rec).value,
      filter: (list) => gate.filter('customer', list),
      menu: (tree) => gate.menu(tree),
      load: () => gate.load(w.token),
    };
  },

  casl: (m, w) => {
    const { createMongoAbility, subject } = m.casl;
    const rulesJson = JSON.stringify(w.caslRules);
    let ability = createMongoAbility(JSON.parse(rulesJson));
    const q = w.questions;
    const split = (key) => { const i = key.lastIndexOf('.'); return [key.slice(i + 1), key.slice(0, i)]; };
    const can = (key) => { const [a, s] = split(key); return ability.can(a, s); };
    const [allowA, allowS] = split(q.allowKey);
    const [denyA, denyS] = split(q.denyKey);
    const routes = compileRoutes(w.routes);
    const allFields = Object.keys(q.record);
    const fieldOptions = { fieldsFrom: (rule) => rule.fields || allFields };
    return {
      keyAllow: () => ability.can(allowA, allowS),
      keyDeny: () => ability.can(denyA, denyS),
      key: can,
      record: (r) => ability.can('edit', subject('Customer', r)),
      route: (p) => routeBy(routes, can, p),
      mask: (rec) => {
        const out = {};
        for (const f of m.caslExtra.permittedFieldsOf(ability, 'read', 'Proposal', fieldOptions)) {
          if (f in rec) out[f] = rec[f];
        }
        return out;
      },
      filter: (list) => list.filter((r) => ability.can('view', subject('Customer', r))),
      menu: (tree) => menuBy(can, tree),
      load: () => { ability = createMongoAbility(JSON.parse(rulesJson)); },
    };
  },

  cedar: (m, w) => {
    const cedar = m.cedar;
    const id = `bench-${w.name}`;
    const prep = () => {
      const r = cedar.preparsePolicySet(id, { staticPolicies: w.cedar.policies });
      if (r.type !== 'success') throw new Error(`cedar: ${JSON.stringify(r.errors)}`);
    };
    prep();
    const q = w.questions;
    const app = { type: 'App', id: 'app' };
    const ask = (action, resource, entities = w.cedar.entities) => {
      const a = cedar.statefulIsAuthorized({
        principal: w.cedar.principal, action: { type: 'Action', id: action }, resource, context: {},
        preparsedPolicySetId: id, entities,
      });
      if (a.type !== 'success') throw new Error(`cedar: ${JSON.stringify(a.errors)}`);
      return a.response.decision === 'allow';
    };
    const can = (key) => ask(key, app);
    const askCustomer = (action, r) => ask(action, { type: 'Customer', id: r.id }, [...w.cedar.entities,
      { uid: { type: 'Customer', id: r.id }, attrs: { organisationId: r.organisationId, ownerId: r.ownerId }, parents: [] }]);
    const routes = compileRoutes(w.routes);
    const proposalFields = Object.keys(q.record).map((f) => [f, /^f\d+$/.test(f) && Number(f.slice(1)) < w.spec.fieldsPerResource
      ? `finance.r0.${f}.view` : null]);
    return {
      keyAllow: () => can(q.allowKey),
      keyDeny: () => can(q.denyKey),
      key: can,
      record: (r) => askCustomer('data.customer.edit', r),
      filter: (list) => list.filter((r) => askCustomer('data.customer.view', r)),
      route: (p) => routeBy(routes, can, p),
      mask: (rec) => {
        const out = {};
        for (const [f, key] of proposalFields) if (f in rec && (key === null || can(key))) out[f] = rec[f];
        return out;
      },
      menu: (tree) => menuBy(can, tree),
      load: prep,
    };
  },

  // rolegate's no-WebAssembly fallback: the same package with WebAssembly deleted before import (Node only,
  // bench/worker.mjs), so the same module runs as its wasm2js translation.
  wasm2js: (m, w) => LIBRARIES.rolegate({ rolegate: m.wasm2js }, w),
};

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** Checks every decision of `ops` against the fixture's expectations; returns the list of differences. */
export function verify(name, ops, w) {
  const q = w.questions;
  const e = w.expected;
  const diffs = [];
  q.checkKeys.forEach((k, i) => { if (ops.key(k) !== e.keys[i]) diffs.push(`${name}: key ${k}: expected ${e.keys[i]}`); });
  if (ops.keyAllow() !== true) diffs.push(`${name}: keyAllow`);
  if (ops.keyDeny() !== false) diffs.push(`${name}: keyDeny`);
  if (ops.idAllow && ops.idAllow() !== true) diffs.push(`${name}: idAllow`);
  if (ops.idDeny && ops.idDeny() !== false) diffs.push(`${name}: idDeny`);
  if (ops.record(q.own) !== e.own) diffs.push(`${name}: own record`);
  if (ops.record(q.other) !== e.other) diffs.push(`${name}: other record`);
  q.routePaths.forEach((p, i) => {
    const got = ops.route(p);
    if (!same(got, e.routes[i])) diffs.push(`${name}: route ${p}: ${JSON.stringify(got)} != ${JSON.stringify(e.routes[i])}`);
  });
  const masked = Object.keys(ops.mask(q.record)).sort();
  if (!same(masked, [...e.mask].sort())) diffs.push(`${name}: mask ${masked} != ${e.mask}`);
  const kept = ops.filter(q.list).map((r) => r.id);
  if (!same(kept, e.filter)) diffs.push(`${name}: filter kept ${kept} != ${e.filter}`);
  const menu = ops.menu(w.appMenu);
  if (!same(menu, e.menu)) diffs.push(`${name}: menu differs`);
  return diffs;
}
