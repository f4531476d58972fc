// TypeScript, ES module output: `import` resolves to the package's index.d.ts and index.js.
// Usage after `npm run build`: node dist/esm.mjs snapshot.json (the file holds { audience, jwks, token, tampered }).
import { readFileSync } from 'node:fs';
import { init, Gate, RolegateError, type Decision, type ErrorCode, type Jwks } from 'rolegate';

interface Fixture { audience: string; jwks: Jwks; token: string; tampered: string }

const { audience, jwks, token, tampered }: Fixture = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const notReady = errorCode(() => new Gate({ keys: jwks, audience }));
await init();
const gate = new Gate({ keys: jwks, audience });
gate.load(token);
const admin: Decision = gate.check('page.admin');
const result = { subject: gate.status().subject, jobs: gate.can('page.jobs.view'), admin: admin.allow,
  adminCode: admin.code, tampered: errorCode(() => gate.load(tampered)), notReady };
console.log(JSON.stringify({ ...result, jobsAfterTamper: gate.can('page.jobs.view') }));

function errorCode(f: () => unknown): ErrorCode | 'no error' {
  try {
    f();
    return 'no error';
  } catch (e) {
    if (e instanceof RolegateError) return e.code;
    throw e;
  }
}
