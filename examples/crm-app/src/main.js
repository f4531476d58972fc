// The app: fetch the server's JWKS and the user's snapshot, verify it in the gate, and redraw on every
// change (load, refresh, expiry) and navigation. The back end is whatever issues snapshots: your
// server, or `rolegate serve` while developing (`?user=coordinator` picks a sample user); the tests
// answer both requests themselves with rolegate/testing.
// No bundler: the browser loads the installed package's ES modules as they are (with a bundler, or an
// import map where the Content-Security-Policy allows it, write `from 'rolegate'`).
import { init, Gate, RolegateError } from '../node_modules/rolegate/index.js';
import { model, render } from './view.js';

const AUDIENCE = 'crm-web';
const user = new URLSearchParams(location.search).get('user') ?? 'coordinator';

async function json(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.json();
}

async function start() {
  await init();
  const gate = new Gate({ keys: await json('/api/jwks.json'), audience: AUDIENCE, platform: 'web' });
  const problem = document.getElementById('problem');
  // Why the user was sent elsewhere, shown until they navigate.
  let notice = null;
  const draw = () => {
    const m = model(gate, location.hash.slice(1) || '/');
    if (m.redirectedTo !== undefined) {
      notice = m.notice;
      history.replaceState(null, '', `#${m.redirectedTo}`);
    }
    render(document, { ...m, notice: m.notice ?? notice });
  };
  // A refused snapshot leaves the previous one in force; the problem is shown with its code.
  const refresh = async () => {
    try {
      gate.load((await json(`/api/snapshot?product=neptunecrm&user=${encodeURIComponent(user)}`)).token);
      problem.textContent = '';
    } catch (e) {
      problem.textContent = e instanceof RolegateError ? `snapshot refused: ${e.code}` : `snapshot unavailable: ${e.message}`;
      problem.dataset.code = e instanceof RolegateError ? e.code : 'unavailable';
    }
  };
  gate.onChange(draw);
  gate.onRefresh(refresh);
  addEventListener('hashchange', () => {
    notice = null;
    draw();
  });
  await refresh();
  draw();
}

start().catch((e) => {
  document.getElementById('problem').textContent = `could not start: ${e.message}`;
});
