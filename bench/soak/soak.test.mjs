// A short soak for CI (a few seconds): 600 load/swap cycles and 300,000 checks in Node against pkg/;
// fails when wasm memory grows after warm-up or the JS heap grows by more than a generous 8 MiB.
// Run by scripts/test.sh; by hand: `node --expose-gc --test bench/soak/` after `bash scripts/build.sh`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { soak, growth } from './workload.mjs';

test('short soak: no wasm memory growth, bounded JS heap', async () => {
  const { fixtures } = await import('./node.mjs');
  const rg = await import('../../pkg/index.js');
  const r = soak(rg, fixtures(), {
    cycles: 600, checksPerCycle: 500, samples: 30, newGateEvery: 100,
    heap: () => process.memoryUsage().heapUsed, gc: globalThis.gc,
  });
  const g = growth(r.samples, 0.3);
  assert.equal(r.checks, 300_000);
  assert.equal(g.wasmGrowth, 0, `wasm memory grew: ${JSON.stringify(g)}`);
  assert.ok(g.heapGrowth < 8 * 1024 * 1024, `JS heap grew: ${JSON.stringify(g)}`);
});
