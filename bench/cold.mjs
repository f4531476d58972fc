// One cold start, in a fresh process: import the library, get it ready for the fixture's user, answer
// one key check. Prints `{ lib, ms, decision }` (ms from before the import to after the decision).
// Run by bench/run.mjs: `node bench/cold.mjs LIB FIXTURE.json`.
import { readFileSync } from 'node:fs';

const [lib, file] = process.argv.slice(2);
const w = JSON.parse(readFileSync(file, 'utf8'));
const t0 = performance.now();
let decision;
if (lib === 'rolegate' || lib === 'wasm2js') {
  if (lib === 'wasm2js') delete globalThis.WebAssembly; // the no-WebAssembly fallback
  const { init, Gate } = await import('../pkg/index.js');
  await init();
  const gate = new Gate({ keys: w.jwks, audience: 'bench' });
  gate.load(w.token);
  decision = gate.can(w.questions.allowKey);
} else if (lib === 'casl') {
  const { createMongoAbility } = await import('@casl/ability');
  const ability = createMongoAbility(w.caslRules);
  const i = w.questions.allowKey.lastIndexOf('.');
  decision = ability.can(w.questions.allowKey.slice(i + 1), w.questions.allowKey.slice(0, i));
} else if (lib === 'cedar') {
  const cedar = await import('@cedar-policy/cedar-wasm/nodejs');
  cedar.preparsePolicySet('cold', { staticPolicies: w.cedar.policies });
  const a = cedar.statefulIsAuthorized({ principal: w.cedar.principal, action: { type: 'Action', id: w.questions.allowKey },
    resource: { type: 'App', id: 'app' }, context: {}, preparsedPolicySetId: 'cold', entities: w.cedar.entities });
  decision = a.type === 'success' && a.response.decision === 'allow';
}
const ms = performance.now() - t0;
console.log(JSON.stringify({ lib, ms, decision, sinceProcessStart: performance.now() }));
