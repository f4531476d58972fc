// Node with CommonJS: verifies a signed snapshot and answers checks, as an API server or a script
// would. Usage: node main.js snapshot.json, where the file holds { audience, jwks, token, tampered }
// (the smoke test, scripts/toolchains.sh, signs one); prints what it decided as JSON.
const { readFileSync } = require('node:fs');
const { init, Gate, RolegateError } = require('rolegate');

async function main() {
  const { audience, jwks, token, tampered } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
  const notReady = errorCode(() => new Gate({ keys: jwks, audience }));
  await init(); // reads rolegate_bg.wasm from next to the package's index.cjs
  const gate = new Gate({ keys: jwks, audience });
  gate.load(token);
  const result = { subject: gate.status().subject, jobs: gate.can('page.jobs.view'), admin: gate.can('page.admin'),
    adminCode: gate.check('page.admin').code, tampered: errorCode(() => gate.load(tampered)), notReady };
  console.log(JSON.stringify({ ...result, jobsAfterTamper: gate.can('page.jobs.view') }));
}

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

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
