// Server-side rendering: the page's menu is decided on the server from the user's signed snapshot.
// Importing rolegate touches no browser global; init() reads the .wasm from disk in Node.
import { init, Gate, RolegateError } from 'rolegate';

const MENU = { 'page.jobs.view': 'Jobs', 'page.diary.view': 'Diary', 'page.admin': 'Admin' };
const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Resolves, once the wasm is loaded, to `render(token, tampered)` giving the page's HTML. */
export async function renderer({ jwks, audience }) {
  const notReady = errorCode(() => new Gate({ keys: jwks, audience }));
  await init();
  return (token, tampered) => {
    // One gate per request: a gate holds one user's snapshot, so a server never shares one between users.
    const gate = new Gate({ keys: jwks, audience });
    try {
      gate.load(token);
      const links = Object.entries(MENU).filter(([key]) => gate.can(key))
        .map(([key, label]) => `<a href="#${escape(key)}">${escape(label)}</a>`).join('');
      const result = { subject: gate.status().subject, jobs: gate.can('page.jobs.view'), admin: gate.can('page.admin'),
        adminCode: gate.check('page.admin').code, tampered: errorCode(() => gate.load(tampered)), notReady };
      const json = JSON.stringify({ ...result, jobsAfterTamper: gate.can('page.jobs.view') });
      return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><link rel="icon" href="data:,"><title>rolegate, rendered on the server</title></head>
<body><nav id="menu">${links}</nav><pre id="result" data-state="done">${escape(json)}</pre></body>
</html>
`;
    } finally {
      gate.free();
    }
  };
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
