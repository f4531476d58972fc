// One library on one workload in its own process (Node 20's V8 can crash in its deoptimizer when the
// three libraries share a process for long): `node bench/worker.mjs FIXTURE.json LIB ROUNDS [--verify]`.
// Prints `{ [operation]: [ns per call, one per round] }`; with --verify, first checks every decision.
import { readFileSync } from 'node:fs';

import { runWorkload } from './harness.mjs';

const [file, lib, rounds, flag] = process.argv.slice(2);
const w = JSON.parse(readFileSync(file, 'utf8'));
const modules = {};
if (lib === 'rolegate' || lib === 'wasm2js') {
  // The fallback: init() finds no WebAssembly and loads rolegate_bg.wasm.js instead.
  if (lib === 'wasm2js') delete globalThis.WebAssembly;
  const { init, backendName, ...rest } = await import('../pkg/index.js');
  await init();
  if (backendName() !== (lib === 'wasm2js' ? 'wasm2js' : 'wasm')) throw new Error(`${lib}: the backend is ${backendName()}`);
  modules[lib] = rest;
} else if (lib === 'casl') {
  [modules.casl, modules.caslExtra] = await Promise.all([import('@casl/ability'), import('@casl/ability/extra')]);
} else {
  modules.cedar = await import('@cedar-policy/cedar-wasm/nodejs');
}
const out = await runWorkload(modules, w, {
  libraries: [lib], rounds: Number(rounds), targetMs: Number(process.env.BENCH_TARGET_MS ?? 4), slowRounds: Number(rounds),
  verify: flag === '--verify', samples: true, log: (m) => console.error(m),
});
console.log(JSON.stringify(out));
