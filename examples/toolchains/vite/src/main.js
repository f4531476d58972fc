// Verifies the user's signed snapshot and shows only the menu entries it allows. `#result` reports
// what happened, for the smoke test (scripts/toolchains.sh). No top-level await is needed.
import { init, Gate, RolegateError } from 'rolegate';

const MENU = { 'page.jobs.view': 'Jobs', 'page.diary.view': 'Diary', 'page.admin': 'Admin' };

async function main() {
  // A real app fetches its server's JWKS and the user's token; the smoke test writes both here.
  const { audience, jwks, token, tampered } = await (await fetch('./rolegate-fixture.json')).json();
  const notReady = errorCode(() => new Gate({ keys: jwks, audience }));
  await init(); // Vite emits rolegate_bg.wasm as an asset and rewrites its URL
  const gate = new Gate({ keys: jwks, audience });
  gate.load(token);
  const links = Object.entries(MENU).filter(([key]) => gate.can(key)).map(([key, label]) =>
    Object.assign(document.createElement('a'), { href: `#${key}`, textContent: label }));
  document.getElementById('menu').replaceChildren(...links);
  const result = { subject: gate.status().subject, jobs: gate.can('page.jobs.view'), admin: gate.can('page.admin'),
    adminCode: gate.check('page.admin').code, tampered: errorCode(() => gate.load(tampered)), notReady };
  return { ...result, jobsAfterTamper: gate.can('page.jobs.view') };
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

function report(state, value) {
  const out = document.getElementById('result');
  out.textContent = JSON.stringify(value);
  out.dataset.state = state;
}

main().then((result) => report('done', result), (error) => report('error', { error: String(error) }));
