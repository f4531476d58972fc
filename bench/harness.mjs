// The timing loop, shared by Node and the browser: every operation of every library is calibrated to a
// batch of a few milliseconds, then the batches run interleaved (operation by operation, libraries in
// rotating order) for several rounds; the result is the median time per call.
import { LIBRARIES, verify } from './libs.mjs';

/** The operations timed, with the library method and argument each one uses. */
export const OPERATIONS = [
  ['key check allow (string)', 'keyAllow'],
  ['key check deny (string)', 'keyDeny'],
  ['key check allow (id)', 'idAllow', null, 'keyAllow'],
  ['key check deny (id)', 'idDeny', null, 'keyDeny'],
  ['own record allow', 'record', (q) => q.own],
  ['own record deny', 'record', (q) => q.other],
  ['route allow', 'route', (q) => q.routeAllow],
  ['route deny', 'route', (q) => q.routeDeny],
  ['mask 20-field record', 'mask', (q) => q.record],
  ['filter 100 records', 'filter', (q) => q.list],
  ['menu: filter 100 items', 'menu', (_, w) => w.appMenu],
  ['load snapshot', 'load'],
];

const now = () => performance.now();
let sink = 0;
const consume = (v) => { sink = (sink + (v === true ? 1 : typeof v === 'object' && v !== null ? 2 : 3)) | 0; };

function batch(fn, n) {
  const t0 = now();
  for (let i = 0; i < n; i++) consume(fn());
  return now() - t0;
}

/** Calls per batch so that one batch takes about `targetMs`. */
function calibrate(fn, targetMs) {
  let n = 1;
  for (;;) {
    const t = batch(fn, n);
    if (t >= targetMs || n >= 1 << 24) return Math.max(1, Math.round((n * targetMs) / Math.max(t, 1e-3)));
    n *= t < targetMs / 10 ? 10 : 2;
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Sets up every library on fixture `w`, checks all their decisions against the expected ones (throws on
 * any difference), then times every operation. Returns `{ [operation]: { [library]: ns per call } }`
 * (with `samples`, the per-round times instead of their median).
 */
export async function runWorkload(modules, w, { rounds = 15, targetMs = 3, slowRounds = 5, libraries = ['rolegate', 'casl', 'cedar'], verify: check = true, samples = false, log = () => {} } = {}) {
  const ops = {};
  for (const lib of libraries) ops[lib] = LIBRARIES[lib](modules, w);
  const diffs = check ? libraries.flatMap((lib) => verify(lib, ops[lib], w)) : [];
  if (diffs.length) throw new Error(`decisions differ on ${w.name}:\n${diffs.slice(0, 20).join('\n')}`);
  if (check) log(`${w.name}: ${libraries.join(', ')} give the expected answer for ${w.questions.checkKeys.length} keys, 2 records, ` +
    `${w.questions.routePaths.length} paths, a mask, a filter and a menu`);

  const jobs = [];
  for (const [label, method, arg] of OPERATIONS) {
    for (const lib of libraries) {
      const o = ops[lib];
      const f = o[method];
      if (!f) continue;
      const a = arg ? arg(w.questions, w) : undefined;
      const fn = arg ? () => f(a) : f;
      jobs.push({ label, lib, fn, samples: [] });
    }
  }
  for (const j of jobs) {
    j.n = calibrate(j.fn, targetMs);
    j.slow = j.n < 20; // Cedar: milliseconds per call; fewer rounds
  }
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? [...jobs].reverse() : jobs;
    for (const j of order) {
      if (j.slow && r >= slowRounds) continue;
      j.samples.push((batch(j.fn, j.n) * 1e6) / j.n);
    }
  }
  const out = {};
  for (const j of jobs) (out[j.label] ??= {})[j.lib] = samples ? j.samples : median(j.samples);
  if (sink === 0.5) log('');
  return out;
}
