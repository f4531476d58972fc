// Soak in Node: `node --expose-gc bench/soak/node.mjs [cycles] [checksPerCycle]` after
// `bash scripts/build.sh` (pkg/) — 10,000 load/swap cycles and 10 million checks by default, against
// signed snapshots of every NeptuneCRM sample user (made with `cargo run --example sign_users`).
// Prints the memory samples and the growth after warm-up as JSON; exits 1 on growth.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { soak, growth, questions } from './workload.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const rg = await import(new URL('../../pkg/index.js', import.meta.url));
await rg.init(readFileSync(`${root}pkg/rolegate_bg.wasm`));

export function fixtures() {
  const signed = JSON.parse(process.env.SOAK_FIXTURES
    ? readFileSync(process.env.SOAK_FIXTURES, 'utf8')
    : execFileSync('cargo', ['run', '-q', '--example', 'sign_users', '--', 'neptunecrm', '1700000000', '864000000'],
      { cwd: root, encoding: 'utf8' }));
  const policy = JSON.parse(readFileSync(`${root}examples/policies/neptunecrm.json`, 'utf8'));
  return { ...signed, ...questions(policy) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cycles = Number(process.argv[2] ?? 10_000);
  const checksPerCycle = Number(process.argv[3] ?? 1_000);
  if (!globalThis.gc) console.error('run with --expose-gc for steadier heap figures');
  const r = soak(rg, fixtures(), {
    cycles, checksPerCycle, samples: 50, newGateEvery: 1000,
    heap: () => process.memoryUsage().heapUsed, gc: globalThis.gc,
  });
  const g = growth(r.samples);
  const summary = { runtime: `node ${process.version}`, cycles: r.cycles, checks: r.checks, allowed: r.allowed,
    seconds: +(r.ms / 1000).toFixed(2), checksPerSecond: Math.round(r.checks / (r.ms / 1000)), ...g,
    rss: process.memoryUsage().rss };
  console.log(JSON.stringify({ summary, samples: r.samples }));
  console.error(JSON.stringify(summary, null, 1));
  process.exit(g.wasmGrowth > 0 || g.heapGrowth > 4 * 1024 * 1024 ? 1 : 0);
}
