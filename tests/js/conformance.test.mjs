// The conformance files (tests/conformance/<product>.json) through the npm package's JS API: every
// case about a sample user asks the same question the Rust runner asks, through route / check /
// explain, and must get the same answer and reason code.
// Expects ./conformance/<product>.json and ./fixtures/<product>.json (signed snapshots of every sample
// user, from `cargo run --example sign_users -- <product>`) next to this file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init, Gate } from 'rolegate';

const here = (p) => new URL(p, import.meta.url);
const PRODUCTS = ['commusoft', 'property', 'reconpro', 'neptunecrm'];

/** The question of a case, asked through the public API; `null` for cases only the issuer can answer. */
function ask(gate, c) {
  if (c.route !== undefined) return gate.route(c.route);
  if (c.can !== undefined) return gate.check(c.can);
  if (c.record !== undefined) return gate.check(c.record.key, c.record.record);
  if (c.menu !== undefined) return gate.explain({ menu: c.menu });
  if (c.field !== undefined) return gate.explain(c.field);
  if (c.see !== undefined) return gate.explain({ resource: c.see.resource, see: c.see.record });
  return null; // `assign` and compile-only cases need the compiler (server side)
}

for (const product of PRODUCTS) {
  test(`conformance: ${product}`, async () => {
    await init();
    const { cases } = JSON.parse(readFileSync(here(`./conformance/${product}.json`), 'utf8'));
    const { jwks, now, tokens } = JSON.parse(readFileSync(here(`./fixtures/${product}.json`), 'utf8'));
    let asked = 0;
    const failures = [];
    for (const [i, c] of cases.entries()) {
      if (typeof c.user !== 'string' || !tokens[c.user] || c.expect.error) continue;
      const gate = new Gate({ keys: jwks, audience: 'app', platform: c.platform, now: () => now + 1 });
      gate.load(tokens[c.user]);
      const got = ask(gate, c);
      gate.free();
      if (got === null) continue;
      asked++;
      const want = c.expect;
      const same = got.allow === want.allow && (want.code === undefined || got.code === want.code)
        && (want.redirect === undefined || got.redirect === want.redirect);
      if (!same) failures.push(`#${i} ${c.user} ${JSON.stringify(c.route ?? c.can ?? c.record ?? c.menu ?? c.field ?? c.see)}: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
    }
    assert.deepEqual(failures, []);
    assert.ok(asked >= 30, `only ${asked} cases of ${product} were asked through JS`);
  });
}
