// Assertions about a Gate for an application's tests, part of `rolegate/testing`. Each question is
// answered by the gate itself (`check`, `route`, `fields`, `menu`, `explain`); these functions only
// compare and word the failure, always with the reason code, so a failing test says why.
//
// Two forms of the same checks: `matchers` for `expect.extend(matchers)` (Vitest, Jest, Playwright's
// expect), and `assert…` functions that throw node:assert's AssertionError (node:test, anything else).
import { AssertionError } from 'node:assert';

/** "code `explicit_deny` (rule roles.coordinator.deny[4]): message" */
function why(d) {
  const rule = d.rule ? ` (rule ${d.rule})` : '';
  return `code \`${d.code}\`${rule}: ${d.message}`;
}

const list = (ids) => (ids.length ? ids.map((id) => `\`${id}\``).join(', ') : 'nothing');

function flatten(tree, out = []) {
  for (const node of tree) {
    out.push(node.id);
    if (Array.isArray(node.children)) flatten(node.children, out);
  }
  return out;
}

function field(gate, resource, name, record) {
  const found = gate.fields(resource, record).find((f) => f.field === name);
  return found ?? null;
}

/**
 * The checks, each `(gate, ...args) → { pass, message() }`, the shape `expect.extend` takes:
 * `expect(gate).toBlockRoute('/admin', { redirect: 'home' })`.
 */
export const matchers = {
  /** The user may do `key` (on `record`, if given). */
  toAllow(gate, key, record) {
    const d = gate.check(key, record);
    return {
      pass: d.allow,
      message: () => (d.allow ? `expected \`${key}\` to be denied, but it is allowed: ${why(d)}` : `expected \`${key}\` to be allowed, but it is denied: ${why(d)}`),
    };
  },

  /** The user may not do `key` (on `record`, if given); with `code`, denied for that reason. */
  toDeny(gate, key, { record, code } = {}) {
    const d = gate.check(key, record);
    const pass = !d.allow && (code === undefined || d.code === code);
    const wanted = code === undefined ? 'denied' : `denied with code \`${code}\``;
    return {
      pass,
      message: () => (pass ? `expected \`${key}\` not to be ${wanted}, but it is: ${why(d)}` : `expected \`${key}\` to be ${wanted}, but it is ${d.allow ? 'allowed' : 'denied'}: ${why(d)}`),
    };
  },

  /** The user may open `path`. */
  toAllowRoute(gate, path) {
    const d = gate.route(path);
    return {
      pass: d.allow,
      message: () => (d.allow ? `expected route \`${path}\` to be blocked, but it is open: ${why(d)}` : `expected route \`${path}\` to be open, but it is blocked (redirect \`${d.redirect}\`): ${why(d)}`),
    };
  },

  /** The user may not open `path`; with `redirect` and/or `code`, sent there for that reason. */
  toBlockRoute(gate, path, { redirect, code } = {}) {
    const d = gate.route(path);
    const pass = !d.allow && (redirect === undefined || d.redirect === redirect) && (code === undefined || d.code === code);
    const wanted = ['blocked', redirect !== undefined && `with redirect \`${redirect}\``, code !== undefined && `with code \`${code}\``].filter(Boolean).join(' ');
    const actual = d.allow ? 'open' : `blocked with redirect \`${d.redirect}\``;
    return {
      pass,
      message: () => (pass ? `expected route \`${path}\` not to be ${wanted}, but it is: ${why(d)}` : `expected route \`${path}\` to be ${wanted}, but it is ${actual}: ${why(d)}`),
    };
  },

  /** The user may not see `resource`'s `field` (on `record`, if given): `mask` would remove it. */
  toMaskField(gate, resource, name, record) {
    const f = field(gate, resource, name, record);
    if (f === null) {
      return { pass: false, message: () => `\`${resource}.${name}\` is not a field the policy governs, so it is never masked` };
    }
    return {
      pass: !f.allow,
      message: () => (f.allow ? `expected \`${resource}.${name}\` to be masked, but the user sees it: ${why(f)}` : `expected \`${resource}.${name}\` to be visible, but it is masked: ${why(f)}`),
    };
  },

  /** The user may see `resource`'s governed `field` (on `record`, if given). */
  toShowField(gate, resource, name, record) {
    const r = matchers.toMaskField(gate, resource, name, record);
    const governed = field(gate, resource, name, record) !== null;
    return { pass: governed && !r.pass, message: r.message };
  },

  /**
   * The menu shows exactly the items `ids` (every level, in any order): the policy's menu, or the
   * app's `tree` of `{ id, children? }` filtered.
   */
  toShowMenu(gate, ids, tree) {
    const shown = flatten(gate.menu(tree));
    const want = new Set(ids);
    const missing = ids.filter((id) => !shown.includes(id));
    const extra = shown.filter((id) => !want.has(id));
    const pass = missing.length === 0 && extra.length === 0;
    const explain = (id) => `  \`${id}\`: ${why(gate.explain({ menu: id }))}`;
    return {
      pass,
      message: () => {
        if (pass) return `expected the menu not to show exactly ${list(ids)}, but it does`;
        const lines = [`expected the menu to show exactly ${list(ids)}, but it shows ${list(shown)}`];
        if (missing.length) lines.push('missing:', ...missing.map(explain));
        if (extra.length) lines.push('not expected:', ...extra.map(explain));
        return lines.join('\n');
      },
    };
  },
};

function assertion(matcher, name) {
  return (...args) => {
    const r = matcher(...args);
    if (!r.pass) throw new AssertionError({ message: r.message(), stackStartFn: assertions[name] });
  };
}

const assertions = {
  assertAllowed: assertion(matchers.toAllow, 'assertAllowed'),
  assertDenied: assertion(matchers.toDeny, 'assertDenied'),
  assertRouteAllowed: assertion(matchers.toAllowRoute, 'assertRouteAllowed'),
  assertRouteBlocked: assertion(matchers.toBlockRoute, 'assertRouteBlocked'),
  assertFieldMasked: assertion(matchers.toMaskField, 'assertFieldMasked'),
  assertFieldVisible: assertion(matchers.toShowField, 'assertFieldVisible'),
  assertMenu: assertion(matchers.toShowMenu, 'assertMenu'),
};

/** Throws unless the user may do `key` (on `record`): `assertAllowed(gate, 'data.job.view', job)`. */
export const { assertAllowed } = assertions;
/** Throws unless `key` is denied (for `code`): `assertDenied(gate, 'finance.costs.view', { code: 'explicit_deny' })`. */
export const { assertDenied } = assertions;
/** Throws unless the user may open `path`: `assertRouteAllowed(gate, '/jobs')`. */
export const { assertRouteAllowed } = assertions;
/** Throws unless `path` is blocked (with `redirect`, `code`): `assertRouteBlocked(gate, '/admin', { redirect: 'home' })`. */
export const { assertRouteBlocked } = assertions;
/** Throws unless `resource.field` is masked: `assertFieldMasked(gate, 'proposal', 'cost')`. */
export const { assertFieldMasked } = assertions;
/** Throws unless `resource.field` is visible: `assertFieldVisible(gate, 'proposal', 'cost')`. */
export const { assertFieldVisible } = assertions;
/** Throws unless the menu shows exactly `ids`: `assertMenu(gate, ['dashboard', 'jobs'])`. */
export const { assertMenu } = assertions;
