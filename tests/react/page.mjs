// The browser side of the React test, bundled by esbuild with React and the installed rolegate. Renders
// (or hydrates the server's HTML of) the screen in sidebar.mjs, and gives the test `window.app` to load
// snapshots and read the screen. A MutationObserver records every gated element ever put in the DOM,
// with the phase (the snapshot being loaded) it appeared in, so a flash between renders is caught too.
import { createElement as h } from 'react';
import { flushSync } from 'react-dom';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { init, Gate } from 'rolegate';
import { App } from './sidebar.mjs';

const root = document.getElementById('root');
const seen = [];
const denials = [];
const errors = [];
let phase = 'pending';

function record(node) {
  if (node.nodeType !== Node.ELEMENT_NODE) return;
  for (const el of [node, ...node.querySelectorAll('[data-gated]')]) {
    if (el.dataset.gated) seen.push({ phase, gated: el.dataset.gated });
  }
}
new MutationObserver((changes) => {
  for (const c of changes) {
    if (c.type === 'attributes') record(c.target);
    else c.addedNodes.forEach(record);
  }
}).observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-gated'] });

/** What the screen shows now. */
function screen() {
  return {
    gated: [...root.querySelectorAll('[data-gated]')].map((el) => el.dataset.gated).sort(),
    loaded: document.getElementById('status')?.dataset.loaded ?? null,
    header: document.getElementById('status')?.textContent ?? null,
    reason: document.getElementById('admin-reason')?.textContent ?? null,
    denied: document.getElementById('denied') !== null,
  };
}

/** Resolves just before the next frame is painted: what the user would see first. */
const beforePaint = () => new Promise((ok) => requestAnimationFrame(() => ok(screen())));

async function start() {
  const params = new URLSearchParams(location.search);
  const fixture = await (await fetch('./neptunecrm.json')).json();
  await init();
  // The gate's clock: the fixture's time, moved on by `advance()`.
  let offset = 0;
  const gate = new Gate({ keys: fixture.jwks, audience: 'app', platform: 'web', now: () => fixture.now + 1 + offset });
  const onDeny = (d) => denials.push({ phase, redirect: d.redirect, code: d.code });
  const app = h(App, { gate, onDeny });
  let first = null;
  if (params.get('mode') === 'hydrate') {
    // The worst case for hydration: the client already holds a snapshot the server did not render with.
    if (params.get('preload')) gate.load(fixture.tokens[(phase = params.get('preload'))]);
    hydrateRoot(root, app, { onRecoverableError: (e) => errors.push(String(e)) });
  } else {
    flushSync(() => createRoot(root).render(app));
    first = root.innerHTML;
  }
  window.app = {
    first,
    seen,
    denials,
    errors,
    screen: beforePaint,
    /** Loads `user`'s snapshot into the same gate; resolves to the screen before the next paint. */
    load(user) {
      phase = user;
      gate.load(fixture.tokens[user]);
      return beforePaint();
    },
    /** Moves the gate's clock `sec` seconds on, without touching React: only the gate's timers may re-render. */
    advance(sec) {
      phase = 'expired';
      offset += sec;
    },
    /** Drops the snapshot (a logout); resolves to the screen before the next paint. */
    clear() {
      phase = 'cleared';
      gate.clear();
      return beforePaint();
    },
  };
}

start().then(() => { document.body.dataset.state = 'ready'; }, (e) => { document.body.dataset.state = `error: ${e}`; });
