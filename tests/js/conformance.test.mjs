// The conformance files (tests/conformance/<product>.json) through the npm package's JS API in Node.
// Expects ./conformance/<product>.json and ./fixtures/<product>.json (signed snapshots of every sample
// user, from `cargo run --example sign_users -- <product>`) next to this file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { init, Gate } from 'rolegate';
import { PRODUCTS, runProduct } from './conformance-runner.mjs';

const json = (p) => JSON.parse(readFileSync(new URL(p, import.meta.url), 'utf8'));

for (const product of PRODUCTS) {
  test(`conformance: ${product}`, async () => {
    await init();
    const { asked, failures } = runProduct(Gate, json(`./conformance/${product}.json`).cases, json(`./fixtures/${product}.json`));
    assert.deepEqual(failures, []);
    assert.ok(asked >= 30, `only ${asked} cases of ${product} were asked through JS`);
  });
}
