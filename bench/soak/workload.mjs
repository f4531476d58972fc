// The soak workload, shared by the Node and the browser runs: load/swap cycles through the signed
// snapshots of every sample user, a fixed number of checks after each load, and memory samples (wasm
// linear memory and JS heap) along the way. Synchronous and allocation-light on the JS side, so that
// what grows is what the package keeps.

/**
 * @param {object} rg        the package: `{ Gate, memoryBytes }`
 * @param {object} fx        `{ jwks, now, tokens, keys, paths, records }`
 * @param {object} o         `{ cycles, checksPerCycle, samples, heap: () => number, gc?: () => void,
 *                              newGateEvery }`
 * @returns {{ cycles, checks, allowed, ms, samples: {cycle, wasm, heap}[] }}
 */
export function soak(rg, fx, o) {
  const tokens = Object.values(fx.tokens);
  const make = () => new rg.Gate({ keys: fx.jwks, audience: 'app', platform: 'web', now: () => fx.now + 1 });
  let gate = make();
  const ids = fx.keys.map((k) => gate.id(k));
  const every = Math.max(1, Math.floor(o.cycles / o.samples));
  const samples = [];
  const sample = (cycle) => {
    o.gc?.();
    samples.push({ cycle, wasm: rg.memoryBytes(), heap: o.heap() });
  };
  let checks = 0;
  let allowed = 0;
  const t0 = performance.now();
  for (let c = 0; c < o.cycles; c++) {
    if (o.newGateEvery && c > 0 && c % o.newGateEvery === 0) {
      gate.free();
      gate = make();
      for (let i = 0; i < fx.keys.length; i++) ids[i] = gate.id(fx.keys[i]);
    }
    gate.load(tokens[c % tokens.length]);
    for (let j = 0; j < o.checksPerCycle; j++) {
      let yes;
      if ((j & 63) === 0) yes = gate.route(fx.paths[j % fx.paths.length]).allow;
      else if ((j & 15) === 0) yes = gate.can(fx.keys[j % fx.keys.length], fx.records[j % fx.records.length]);
      else if ((j & 7) === 0) yes = gate.check(fx.keys[j % fx.keys.length]).allow;
      else yes = gate.canId(ids[j % ids.length]);
      allowed += yes ? 1 : 0;
      checks++;
    }
    if (c % every === 0 || c === o.cycles - 1) sample(c);
  }
  const ms = performance.now() - t0;
  gate.free();
  return { cycles: o.cycles, checks, allowed, ms, samples };
}

/** Growth after warm-up (the first `warm` fraction of the samples): wasm bytes, and JS heap bytes. */
export function growth(samples, warm = 0.2) {
  const from = samples[Math.min(samples.length - 1, Math.floor(samples.length * warm))];
  const after = samples.slice(samples.indexOf(from));
  const last = samples[samples.length - 1];
  const maxHeap = Math.max(...after.map((s) => s.heap));
  return {
    wasmWarm: from.wasm, wasmEnd: last.wasm, wasmGrowth: last.wasm - from.wasm,
    heapWarm: from.heap, heapEnd: last.heap, heapMax: maxHeap, heapGrowth: last.heap - from.heap,
  };
}

/** The NeptuneCRM questions: every catalogue key, route paths, and records of several shapes. */
export function questions(policy) {
  const keys = [...policy.keys, 'page.unknown', 'data.*'];
  const paths = policy.routes.rules.map((r) => r.path.replace('{*rest}', 'a/b').replace('{id}', '42'));
  const records = [
    { organisationId: 'org-1', jobManagerId: 'u-cons', consultantId: 'u-cons' },
    { organisationId: 'org-2', jobManagerId: 'u-cons' },
    { organisationId: 'org-1', assignedTo: ['u-x', 'u-cons'], sharedWith: 'everyone' },
    { id: 7 },
  ];
  return { keys, paths, records };
}
