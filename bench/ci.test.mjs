// CI smoke test of the benchmark (a few seconds): the generator, the Rust signer, the three libraries
// and the harness still run, and rolegate, CASL and Cedar still agree on every decision. No timing is
// asserted. Needs pkg/ (scripts/build.sh) and the dev dependencies.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { OPERATIONS } from './harness.mjs';

test('bench --quick runs W1 and the three libraries (and rolegate without WebAssembly) agree', () => {
  const run = fileURLToPath(new URL('./run.mjs', import.meta.url));
  const out = JSON.parse(execFileSync(process.execPath, [run, '--quick'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
  const w1 = out.node_ns.W1;
  for (const [label, method] of OPERATIONS) {
    const libs = method.startsWith('id') ? ['rolegate', 'wasm2js'] : ['rolegate', 'casl', 'cedar', 'wasm2js'];
    for (const lib of libs) assert.ok(Number.isFinite(w1[label]?.[lib]), `${label} timed for ${lib}`);
  }
  for (const lib of ['rolegate', 'casl', 'cedar', 'wasm2js']) assert.ok(out.node_cold_ms[lib] > 0, `cold start of ${lib}`);
  assert.ok(out.fallbackBrotliBytes > out.packageBrotliBytes, 'the wasm2js fallback is measured');
});
