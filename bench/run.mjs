// The whole comparison in one command: `node bench/run.mjs` (after `bash scripts/build.sh`).
// Generates the workloads, signs rolegate's snapshots with the Rust side, checks that rolegate, CASL and
// Cedar give identical decisions, times every operation in Node and in headless Chromium, measures
// cold starts in fresh processes and fresh browser contexts, and rewrites bench/RESULTS.md and
// bench/results.json. Flags: `--no-browser`, `--quick` (a few seconds: W1 only, no file written).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

import { OUT, ROOT, portable, prepare } from './prepare.mjs';
import { measure } from '../scripts/sizes.mjs';

const args = new Set(process.argv.slice(2));
const load0 = loadavg()[0];
const quick = args.has('--quick');
const browser = !quick && !args.has('--no-browser');
const log = (...a) => console.error(...a);

if (!existsSync(join(ROOT, 'pkg', 'rolegate_bg.wasm'))) {
  console.error('pkg/ is missing: run `bash scripts/build.sh` first');
  process.exit(1);
}

const names = quick ? ['W1'] : ['W1', 'W2'];
const fixtures = names.map((n) => portable(prepare(n)));
const options = quick ? { rounds: 1, targetMs: 0.2, slowRounds: 1 } : { rounds: 6, targetMs: 4, slowRounds: 5 };

// Node: each library in its own worker process (see worker.mjs), in rotation, a few rounds per process;
// the first process of each library checks every decision against the expected answers.
// `wasm2js` is rolegate's no-WebAssembly fallback (the same package with WebAssembly deleted).
const LIBS = ['rolegate', 'casl', 'cedar', 'wasm2js'];
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const node = {};
for (const w of fixtures) {
  const file = join(OUT, `${w.name}.portable.json`);
  writeFileSync(file, JSON.stringify(w));
  const samples = {};
  const passes = quick ? 1 : 4;
  const verified = new Set();
  for (let p = 0; p < passes; p++) {
    for (const lib of p % 2 ? [...LIBS].reverse() : LIBS) {
      const rounds = lib === 'cedar' ? 1 : options.rounds;
      const targetMs = lib === 'cedar' ? Math.min(1, options.targetMs) : options.targetMs;
      const worker = () => JSON.parse(execFileSync(process.execPath,
        [join(ROOT, 'bench', 'worker.mjs'), file, lib, String(rounds), verified.has(lib) ? '' : '--verify'],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BENCH_TARGET_MS: String(targetMs) } }));
      // Node 20's V8 sometimes aborts in its deoptimizer while Cedar runs W2: retry, and if it keeps
      // failing leave that pass out (a wrong decision is an error, not a crash, and is never skipped).
      let got = null;
      for (let attempt = 0; attempt < 3 && !got; attempt++) {
        try {
          got = worker();
        } catch (e) {
          if (!/Fatal error|SIGTRAP|SIGILL|signal/.test(`${e.stderr ?? ''}${e.message}`) && e.status !== null && e.status !== 133) throw e;
          log(`${w.name}: ${lib} worker crashed (V8), retrying`);
        }
      }
      if (!got) continue;
      verified.add(lib);
      for (const [op, byLib] of Object.entries(got)) ((samples[op] ??= {})[lib] ??= []).push(...byLib[lib]);
    }
  }
  for (const lib of LIBS) if (!verified.has(lib)) log(`${w.name}: ${lib} never completed a run in Node (not timed)`);
  node[w.name] = Object.fromEntries(Object.entries(samples).map(([op, byLib]) =>
    [op, Object.fromEntries(Object.entries(byLib).map(([lib, xs]) => [lib, median(xs)]))]));
  log(`${w.name}: timed in Node`);
}

// Cold starts: fresh processes, libraries interleaved.
const coldFile = join(OUT, 'W1.portable.json');
const coldRuns = quick ? 1 : 15;
const cold = {};
for (let r = 0; r < coldRuns; r++) {
  for (const lib of LIBS) {
    const out = JSON.parse(execFileSync(process.execPath, [join(ROOT, 'bench', 'cold.mjs'), lib, coldFile], { encoding: 'utf8' }));
    if (out.decision !== true) throw new Error(`cold start of ${lib} answered ${out.decision}`);
    (cold[lib] ??= []).push(out.ms);
  }
}

let chromium = null;
if (browser) {
  const { runBrowser } = await import('./browser.mjs');
  // Chromium's timer has 100 µs steps: longer batches.
  chromium = await runBrowser(fixtures, { options: { ...options, targetMs: 25 }, coldRuns: 9, coldFixture: fixtures[0], log });
}

// The size as the build's budget counts it (scripts/sizes.mjs): the .wasm plus the entry's JS, minified,
// brotli; without WebAssembly the browser loads the wasm2js module instead of the .wasm, with the same JS.
const size = measure(join(ROOT, 'pkg'));
const results = {
  date: new Date().toISOString().slice(0, 10),
  // What else ran: the 1-minute load average when the run started and when it ended.
  conditions: `load average ${load0.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end`,
  node: process.version,
  snapshotBytes: Object.fromEntries(fixtures.map((w) => [w.name, w.token.length])),
  packageBrotliBytes: size.total,
  packageShippedBrotliBytes: size.shipped,
  fallbackBrotliBytes: size.fallback,
  fallbackRawBytes: readFileSync(join(ROOT, 'pkg', 'rolegate_bg.wasm.js')).length,
  node_ns: node,
  node_cold_ms: Object.fromEntries(Object.entries(cold).map(([l, xs]) => [l, median(xs)])),
  chromium_ns: chromium?.results ?? null,
  chromium_cold_ms: chromium ? Object.fromEntries(Object.entries(chromium.cold).map(([l, xs]) => [l, median(xs)])) : null,
};

if (quick) {
  console.log(JSON.stringify(results, null, 1));
} else {
  writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 1)}\n`);
  const { render } = await import('./report.mjs');
  writeFileSync(join(ROOT, 'bench', 'RESULTS.md'), render(results));
  log('wrote bench/RESULTS.md and bench/results.json');
}
