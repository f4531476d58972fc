// The demo page: loads the package's build from ./pkg, verifies a dev-signed snapshot and shows what
// the snapshot allows. Every decision comes from the wasm gate.
import { init, Gate, RolegateError } from './pkg/index.js';

const KEYS = ['page.jobs.view', 'page.diary.view', 'page.admin.users', 'page.admin.billing', 'api.email.send.manage', 'api.invoices.export'];
const $ = (id) => document.getElementById(id);

await init();
const [jwks, snapshots] = await Promise.all(['dev/jwks.json', 'dev/snapshots.json'].map((u) => fetch(u).then((r) => r.json())));
const gate = new Gate({ keys: jwks, audience: 'rolegate-demo' });

for (const s of snapshots) $('user').append(new Option(`${s.label} (${s.user})`, s.user));

function load(token) {
  $('error').hidden = true;
  gate.clear();
  try {
    gate.load(token);
  } catch (e) {
    if (!(e instanceof RolegateError)) throw e;
    $('error').hidden = false;
    $('error').textContent = `Refused: ${e.code} — ${e.message}. Everything is denied.`;
    $('error').dataset.code = e.code;
  }
  render();
}

function render() {
  const st = gate.status();
  $('status').dataset.state = st.loaded ? (st.expired ? 'expired' : 'valid') : 'none';
  $('state').textContent = st.loaded ? (st.expired ? 'expired' : 'verified') : 'no valid snapshot';
  $('subject').textContent = st.subject ?? '–';
  $('tenant').textContent = st.tenant ?? '–';
  $('rev').textContent = st.rev ?? '–';
  $('expires').textContent = st.loaded ? `${Math.max(0, Math.round(st.expiresIn))} s` : '–';
  $('decisions').replaceChildren(...KEYS.map((key) => {
    const d = gate.check(key);
    const row = document.createElement('tr');
    row.dataset.key = key;
    row.innerHTML = `<td><code></code></td><td class="${d.allow ? 'allow' : 'deny'}">${d.allow ? 'allow' : 'deny'}</td><td><code></code></td>`;
    row.querySelector('td code').textContent = key;
    row.querySelector('td:last-child code').textContent = d.code;
    row.title = d.message;
    return row;
  }));
}

const current = () => snapshots.find((s) => s.user === $('user').value).token;
$('user').addEventListener('change', () => load(current()));
$('restore').addEventListener('click', () => load(current()));
$('tamper').addEventListener('click', () => {
  const t = current();
  const i = Math.floor(t.lastIndexOf('.') / 2); // a character inside the payload
  load(t.slice(0, i) + (t[i] === 'A' ? 'B' : 'A') + t.slice(i + 1));
});
setInterval(render, 1000);
load(current());
document.body.dataset.ready = 'true';
