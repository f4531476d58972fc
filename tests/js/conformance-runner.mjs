// The JS conformance runner, shared by Node (conformance.test.mjs) and browsers (browser-page.mjs):
// every case about a sample user is asked through the public API and compared with its expectation.

/** The question of a case, asked through the public API; `null` for cases only the issuer can answer. */
export function ask(gate, c) {
  if (c.start) return gate.platform();
  if (c.route !== undefined) return gate.route(c.route);
  if (c.can !== undefined) return gate.check(c.can);
  if (c.record !== undefined) return gate.check(c.record.key, c.record.record);
  if (c.menu !== undefined) return gate.explain({ menu: c.menu });
  if (c.field !== undefined) return gate.explain(c.field);
  if (c.see !== undefined) return gate.explain({ resource: c.see.resource, see: c.see.record });
  return null; // `assign` and compile-only cases need the compiler (server side)
}

/**
 * Runs one product's cases with `Gate` against the signed snapshots in `fixture`
 * (`{ jwks, now, tokens }`); returns `{ asked, failures }`.
 */
export function runProduct(Gate, cases, fixture) {
  const { jwks, now, tokens } = fixture;
  let asked = 0;
  const failures = [];
  for (const [i, c] of cases.entries()) {
    if (typeof c.user !== 'string' || !tokens[c.user] || c.expect.error) continue;
    const gate = new Gate({ keys: jwks, audience: 'app', platform: c.platform, now: () => now + 1 });
    gate.load(tokens[c.user]);
    const got = ask(gate, c);
    const home = gate.home();
    gate.free();
    if (got === null) continue;
    asked++;
    const want = c.expect;
    const same = got.allow === want.allow && (want.code === undefined || got.code === want.code)
      && (want.redirect === undefined || got.redirect === want.redirect) && (want.home === undefined || home === want.home);
    if (!same) {
      const q = c.start ? 'start' : c.route ?? c.can ?? c.record ?? c.menu ?? c.field ?? c.see;
      failures.push(`#${i} ${c.user} ${JSON.stringify(q)}: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
    }
  }
  return { asked, failures };
}

/** The products whose conformance files exist. */
export const PRODUCTS = ['commusoft', 'property', 'reconpro', 'neptunecrm'];
