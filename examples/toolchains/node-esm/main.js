// Node with ES modules: verifies a signed snapshot and answers checks, as an API server or a script
// would. Usage: node main.js snapshot.json, where the file holds { audience, jwks, token, tampered }
// (the smoke test, scripts/toolchains.sh, signs one); prints what it decided as JSON.
import { readFileSync } from 'node:fs';
import { init, Gate, RolegateError } from 'rolegate';

const { audience, jwks, token, tampered } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const notReady = errorCode(() => new Gate({ keys: jwks, audience }));
await init(); // reads rolegate_bg.wasm from next to the package's index.js
const gate = new Gate({ keys: jwks, audience });
gate.load(token);
const result = { subject: gate.status().subject, jobs: gate.can('page.jobs.view'), admin: gate.can('page.admin'),
  adminCode: gate.check('page.admin').code, tampered: errorCode(() => gate.load(tampered)), notReady };
console.log(JSON.stringify({ ...result, jobsAfterTamper: gate.can('page.jobs.view') }));

/** The RolegateError code `f` throws, or 'no error'. */
function errorCode(f) {
  try {
    f();
    return 'no error';
  } catch (e) {
    if (e instanceof RolegateError) return e.code;
    throw e;
  }
}
