// A minimal W3C WebDriver client: enough to open a page in Chromium (chromedriver), Firefox
// (geckodriver) or WebKit (WebKitWebDriver, under xvfb-run) and read a value the page computed.
// Playwright cannot drive Debian's Firefox or WebKit, so every engine goes through WebDriver.
import { spawn } from 'node:child_process';

const ENGINES = {
  chromium: {
    driver: () => [process.env.CHROMEDRIVER ?? '/usr/bin/chromedriver', (port) => [`--port=${port}`]],
    capabilities: {
      browserName: 'chrome',
      'goog:chromeOptions': {
        binary: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
          '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      },
    },
  },
  firefox: {
    driver: () => [process.env.GECKODRIVER ?? 'geckodriver', (port) => ['--port', String(port)]],
    capabilities: { browserName: 'firefox', 'moz:firefoxOptions': { args: ['-headless'] } },
  },
  webkit: {
    driver: () => [process.env.SAFARIDRIVER ?? '/usr/bin/WebKitWebDriver', (port) => [`--port=${port}`]],
    capabilities: {},
  },
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function call(base, method, path, body) {
  const res = await fetch(base + path, {
    method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`webdriver ${method} ${path}: HTTP ${res.status} ${JSON.stringify(json.value ?? json)}`);
  return json.value;
}

/** Starts `engine`'s driver and a browser session; returns `{ open(url), evaluate(js), close() }`. */
export async function session(engine) {
  const config = ENGINES[engine];
  if (!config) throw new Error(`unknown engine ${engine}`);
  const port = 30000 + Math.floor(Math.random() * 20000);
  const [cmd, args] = config.driver();
  // WebKitGTK needs a display: without one, run its driver under a virtual X server of its own, in a
  // process group so that closing the session stops both.
  const virtual = engine === 'webkit' && !process.env.DISPLAY;
  const driver = virtual
    ? spawn('xvfb-run', ['-a', cmd, ...args(port)], { stdio: 'ignore', detached: true })
    : spawn(cmd, args(port), { stdio: 'ignore' });
  const stop = () => {
    try {
      if (virtual) process.kill(-driver.pid); else driver.kill();
    } catch { /* already gone */ }
  };
  const failed = new Promise((_, reject) => driver.once('error', reject));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const ready = await Promise.race([call(base, 'GET', '/status').then((v) => v?.ready !== false).catch(() => false), failed]);
    if (ready) break;
    if (i > 300) {
      stop();
      throw new Error(`${cmd} did not start on port ${port}`);
    }
    await sleep(100);
  }
  let id;
  try {
    ({ sessionId: id } = await call(base, 'POST', '/session', { capabilities: { alwaysMatch: config.capabilities } }));
  } catch (e) {
    stop();
    throw e;
  }
  return {
    open: (url) => call(base, 'POST', `/session/${id}/url`, { url }),
    evaluate: (script) => call(base, 'POST', `/session/${id}/execute/sync`, { script, args: [] }),
    async close() {
      await call(base, 'DELETE', `/session/${id}`).catch(() => {});
      stop();
    },
  };
}

/** Polls `script` until it returns something other than null/undefined (or `timeoutMs` passes). */
export async function waitFor(s, script, timeoutMs = 120_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await s.evaluate(script);
    if (value !== null && value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for: ${script}`);
    await sleep(200);
  }
}
