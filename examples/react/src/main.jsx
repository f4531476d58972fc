// Verifies the user's signed snapshot and renders the app through rolegate/react. The app is on screen
// before the snapshot loads, in its pending state: nothing gated shows until the gate has answers.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { init, Gate, RolegateError } from 'rolegate';
import { RolegateProvider } from 'rolegate/react';
import { App } from './App.jsx';

async function main() {
  // A real app fetches its server's JWKS and the user's token; `npm run snapshot` (snapshot.mjs) writes
  // both here, with a forged token beside them.
  const { audience, jwks, token, tampered } = await (await fetch('./rolegate-fixture.json')).json();
  const notReady = errorCode(() => new Gate({ keys: jwks, audience }));
  await init(); // Vite emits rolegate_bg.wasm as an asset and rewrites its URL
  const gate = new Gate({ keys: jwks, audience });
  const root = createRoot(document.getElementById('root'));
  const show = (checks) => root.render(
    <StrictMode>
      <RolegateProvider gate={gate}>
        <App checks={checks} />
      </RolegateProvider>
    </StrictMode>,
  );
  show(null);
  // Loading (and later refreshing) the snapshot re-renders whatever it changes; a forged token is
  // refused and the snapshot in force stays.
  gate.load(token);
  show({ tampered: errorCode(() => gate.load(tampered)), notReady });
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

main().catch((error) => {
  const out = Object.assign(document.createElement('pre'), { id: 'result', textContent: JSON.stringify({ error: String(error) }) });
  out.dataset.state = 'error';
  document.body.append(out);
});
