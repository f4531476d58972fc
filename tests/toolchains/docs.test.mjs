// The documentation's code, run as written: every code block is extracted from the Markdown (never
// copied into a test) and run in one new folder where only the packed package is installed, with
// React, ReactDOM, Vite, TypeScript and @types/react at the versions CI pins elsewhere.
//
// - docs/walkthrough.md: each block marked `file=NAME` is saved as NAME, each `npx rolegate …` and
//   `node …` line of its `sh` blocks is run in order (its first block, `npm init` and `npm install
//   rolegate …`, is what this test does with the tarball; `mkdir -p` lines run too), each script's `// → …` comments are the
//   lines it must print, and the React app is built with Vite and opened in Chromium for both users.
// - docs/api.md: each `js` block runs in Node against a gate holding a NeptuneCRM Consultant's
//   snapshot; a statement followed by a `// value` comment (`// true`, `// { code: 'granted', … }`,
//   `// Coordinator: [{ field: 'cost', … }, …]`) must give that value, for the role the comment names.
// - docs/react.md: its first block is the page's entry and the others are rendered by one Vite app in
//   Chromium, as a Consultant and as an Admin; the `tsx` block is type-checked and must fail exactly on
//   its misspelt key. The `ts` block of api.md likewise.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { launch, page as newPage } from '../e2e/browser.mjs';
import { ROOT, WORK, run, serve, tarball } from './helpers.mjs';

const DIR = join(WORK, 'docs');
const md = (name) => readFileSync(join(ROOT, 'docs', name), 'utf8');
const pin = (file, section, name) => JSON.parse(readFileSync(join(ROOT, file), 'utf8'))[section][name];
const REACT = pin('examples/react/package.json', 'dependencies', 'react');
const VITE = pin('examples/react/package.json', 'devDependencies', 'vite');
const TYPESCRIPT = pin('examples/toolchains/typescript/package.json', 'devDependencies', 'typescript');
const TYPES_REACT = pin('package.json', 'devDependencies', '@types/react');

/** The fenced code blocks of a Markdown text, in order: `{ lang, file, code, line }`. */
function blocks(text) {
  return [...text.matchAll(/^```(\w*)([^\n]*)\n([\s\S]*?)^```$/gm)].map((m) => ({
    lang: m[1],
    file: m[2].match(/\bfile=(\S+)/)?.[1],
    code: m[3],
    line: text.slice(0, m.index).split('\n').length,
  }));
}

/** Writes `text` to `name` under `dir`, making its folder. */
function save(dir, name, text) {
  mkdirSync(dirname(join(dir, name)), { recursive: true });
  writeFileSync(join(dir, name), text);
}

let browser;
before(async () => {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  await run('npm', ['init', '-y'], DIR);
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball(), `react@${REACT}`, `react-dom@${REACT}`], DIR);
  await run('npm', ['install', '--save-dev', '--no-audit', '--no-fund', '--loglevel=error', `vite@${VITE}`,
    `typescript@${TYPESCRIPT}`, `@types/react@${TYPES_REACT}`], DIR);
  browser = await launch();
});
after(async () => { await browser?.close(); });

/**
 * Serves `root` (a Vite build) and `routes` (as `serve` takes them) and opens it; resolves to what
 * `read(page)` returns, and the page's errors.
 */
async function visit(root, read, routes = {}) {
  const server = await serve(root, { '/favicon.ico': () => ({ type: 'image/x-icon', body: '' }), ...routes });
  const p = await newPage(browser);
  try {
    await p.goto(server.url);
    await p.waitForSelector('[data-ready], header', { timeout: 15_000 });
    return { seen: await read(p), errors: p.errors };
  } finally {
    await p.context().close();
    await server.close();
  }
}

test('docs/walkthrough.md: policy, lint, key, snapshot, checks in Node, the React screen in Chromium', async () => {
  const dir = join(DIR, 'walkthrough');
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), readFileSync(join(DIR, 'package.json')));
  const all = blocks(md('walkthrough.md'));
  assert.match(all[0].code, /npm install rolegate react react-dom/, 'the walkthrough starts with the installation this test does');
  let arrows = 0;
  for (const b of all.slice(1)) {
    if (b.file) {
      save(dir, b.file, b.code);
      continue;
    }
    if (b.lang !== 'sh') continue;
    for (const line of b.code.split('\n').filter((l) => /^(npx rolegate|node|mkdir -p) /.test(l))) {
      const out = await run('sh', ['-c', line], dir, { env: { ...process.env, PATH: `${join(DIR, 'node_modules/.bin')}:${process.env.PATH}` } });
      const script = line.match(/^node (\S+)/)?.[1];
      const expected = script ? [...readFileSync(join(dir, script), 'utf8').matchAll(/\/\/ → (.*)$/gm)]
        .map((m) => m[1].replace(/ \(.*\)$/, '').trim()) : [];
      if (expected.length) assert.deepEqual(out.trim().split('\n'), expected, `${line} prints what its comments say`);
      arrows += expected.length;
    }
  }
  assert.ok(arrows >= 8, 'the Node checks ran');
  const screen = async (p) => ({
    header: await p.textContent('header'),
    menu: await p.$$eval('nav a', (as) => as.map((a) => a.textContent)),
    rows: await p.$$eval('tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent))),
  });
  const vite = join(DIR, 'node_modules/vite/bin/vite.js');
  for (const [user, want] of [
    ['ana', { header: 'Signed in as ana', menu: ['Tickets'], rows: [['Printer on fire', '—', 'Edit']] }],
    ['lee', { header: 'Signed in as lee', menu: ['Tickets', 'Reports'], rows: [['Printer on fire', '$120', 'Edit'], ['VPN down', '$40', 'Edit']] }],
  ]) {
    await run(process.execPath, ['issue.mjs', user], dir);
    await run(process.execPath, [vite, 'build'], dir);
    const { seen, errors } = await visit(join(dir, 'dist'), screen);
    assert.deepEqual(seen, want, `what ${user} sees`);
    assert.deepEqual(errors, []);
  }
});

// ---- docs/api.md -------------------------------------------------------------------------------

/** `label: value` or `value` of a comment; the role a label names (a Consultant unless it says). */
function expectation(comment) {
  const m = comment.match(/^([A-Za-z][^:{['"]*?):\s+(.*)$/);
  const [label, value] = m ? [m[1], m[2]] : ['', comment];
  const role = label.match(/coordinator|contractor|admin|consultant/i)?.[0].toLowerCase() ?? 'consultant';
  return { role, value: value.trim() };
}

/** JSON for a literal of the docs (`'x'`, `true`, `null`, `42`), or undefined. */
function literal(text) {
  if (/^'([^'\\]|\\.)*'$/.test(text)) return JSON.stringify(text.slice(1, -1));
  if (/^(true|false|null|-?\d+(\.\d+)?)$/.test(text)) return text;
  return undefined;
}

/** The members of an object in the docs' notation (`{ allow: false, code: 'x', … }`) whose values are literals. */
function members(text) {
  return Object.fromEntries([...text.matchAll(/(\w+): ('(?:[^'\\]|\\.)*'|true|false|null|-?\d+(?:\.\d+)?)/g)]
    .map(([, k, v]) => [k, JSON.parse(literal(v))]));
}

/** What a value comment asserts, as JSON for the snippet runner's `expect`, or undefined when it is prose. */
function assertion(value) {
  if (literal(value) !== undefined) return { is: JSON.parse(literal(value)) };
  if (value.startsWith('{') && value.endsWith('}')) return { has: members(value) };
  if (value.startsWith('[') && value.endsWith(']')) {
    const items = [...value.matchAll(/\{[^{}]*\}/g)].map((m) => members(m[0]));
    return { items, exact: !/…\s*\]$/.test(value) };
  }
  return undefined;
}

/**
 * One `js` block as a runnable scope: imports lifted out, and every statement followed by a value
 * comment (on its line or the lines after it) replaced by a call that compares its value.
 */
function checked(code, line, asserts) {
  const lines = code.split('\n');
  const out = [];
  const imports = [];
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i];
    if (/^import /.test(text)) {
      imports.push(text);
      continue;
    }
    let statement = null;
    let comment = null;
    const inline = text.match(/^(\S.*?;)\s*\/\/ (.*)$/);
    if (inline) [statement, comment] = [inline[1], inline[2]];
    else if (/;$/.test(text) && /^\/\/ /.test(lines[i + 1] ?? '')) {
      // A statement (perhaps of several lines) with its value in the comment lines after it.
      let start = out.length;
      if (!/^[A-Za-z_$]/.test(text)) {
        while (start > 0 && !/^[A-Za-z_$]/.test(out[start - 1])) start--;
        start = Math.max(start - 1, 0);
      }
      statement = [...out.splice(start), text].join('\n');
      comment = '';
      while (/^\/\/ /.test(lines[i + 1] ?? '')) comment += ' ' + lines[++i].slice(3).trim();
    }
    if (/^(const|let|var) /.test(statement ?? '')) comment = null; // a declaration: its comment is prose
    const want = comment === null ? undefined : expectation(comment.trim());
    const a = want && assertion(want.value);
    if (!a) {
      out.push(statement ?? text);
      continue;
    }
    asserts.push(`api.md:${line + i}`);
    const expr = statement.replace(/;$/, '');
    out.push(`expect(${JSON.stringify(`api.md:${line + i}`)}, ((gate) => (${expr}))(${want.role === 'consultant' ? 'gate' : `gateFor('${want.role}')`}), ${JSON.stringify(a)});`);
  }
  return { imports, body: `{\n  let gate = gateFor('consultant');\n  {\n${out.join('\n')}\n  }\n}` };
}

// The names api.md's blocks leave to the app: a NeptuneCRM gate for each role, records, callbacks.
const API_PRELUDE = `
import { readFileSync } from 'node:fs';
import * as issuer from 'rolegate/issuer';
await issuer.init();
await init({ query: true }); // the planner module, so that gate.query's examples run too
const policy = readFileSync(new URL(import.meta.resolve('rolegate/examples/neptunecrm.json')), 'utf8');
const key = issuer.SigningKey.generate('docs-key');
const jwks = issuer.jwks(key);
const compiler = new issuer.Compiler(policy);
const NOW = Math.floor(Date.now() / 1000);
const USERS = {
  consultant: { id: 'u-cons', roles: ['consultant'], tenant: 'org-1', settings: { canViewCosts: false } },
  coordinator: { id: 'u-coord', roles: ['coordinator'], tenant: 'org-1' },
  contractor: { id: 'u-contr', roles: ['contractor'], tenant: 'org-1' },
  admin: { id: 'u-admin', roles: ['admin'], tenant: 'org-1' },
};
const tokenOf = (who) => compiler.issue(USERS[who], key, { audience: 'crm-web', rev: 3, ttl: 540, now: NOW });
const token = tokenOf('consultant');
function gateFor(who) {
  const g = new Gate({ keys: jwks, audience: 'crm-web', platform: 'web', now: () => NOW });
  g.load(tokenOf(who));
  return g;
}
const record = { organisationId: 'org-1', consultant: { id: 'u-cons' } };
const customers = [record, { organisationId: 'org-1', consultant: { id: 'u-2' } }];
const proposal = { organisationId: 'org-1', consultantId: 'u-cons', cost: 800, costBreakdown: [500, 300], margin: 0.3, total: 1200 };
const template = { organisationId: 'org-1', createdById: 'u-coord', createdBy: 'Cora', sharedWith: 'everyone' };
const report = () => {};
const render = (f) => f();
const rerender = () => {};
const fetchSnapshot = async () => token;
const audit = [];
const results = [];
function expect(where, actual, want) {
  let ok;
  if ('is' in want) ok = Object.is(actual, want.is) || JSON.stringify(actual) === JSON.stringify(want.is);
  else if (want.has) ok = Object.entries(want.has).every(([k, v]) => actual?.[k] === v);
  else ok = Array.isArray(actual) && (want.exact ? actual.length === want.items.length : actual.length >= want.items.length)
    && want.items.every((m, i) => Object.entries(m).every(([k, v]) => actual[i]?.[k] === v));
  results.push({ where, ok, actual, want });
}
`;

test('docs/api.md: every js block runs in Node, and every value it shows is the value it gets', async () => {
  const asserts = [];
  const parts = blocks(md('api.md')).filter((b) => b.lang === 'js').map((b) => checked(b.code, b.line, asserts));
  const imports = [...new Set(parts.flatMap((p) => p.imports))];
  assert.ok(imports.some((i) => /\bGate\b/.test(i) && /\binit\b/.test(i)), 'api.md imports init and Gate');
  const program = [...imports, API_PRELUDE, ...parts.map((p) => p.body), 'console.log(JSON.stringify(results));'].join('\n');
  save(DIR, 'api-snippets.mjs', program);
  const results = JSON.parse(await run(process.execPath, ['api-snippets.mjs'], DIR));
  assert.deepEqual(results.map((r) => r.where), asserts, 'every shown value was checked');
  for (const r of results) assert.ok(r.ok, `${r.where}: got ${JSON.stringify(r.actual)}, the docs say ${JSON.stringify(r.want)}`);
  assert.ok(results.length >= 11, `api.md shows values (${results.length} checked)`);
});

// ---- docs/react.md -----------------------------------------------------------------------------

// The names react.md's blocks leave to the app: its records, components, router and log-out.
const REACT_PRELUDE = `
import { createElement } from 'react';
import { Can, Guard, useCan, useCheck, useFields, useFilter, useGate, useMask, useMenu, useRoute, useStatus } from 'rolegate/react';

const customer = { id: 'c1', name: 'Ada Lovelace', organisationId: 'org-1', consultant: { id: 'u-cons' } };
const proposal = { id: 'p1', organisationId: 'org-1', consultantId: 'u-cons', cost: 800, margin: 0.3, total: 1200 };
const SIDEBAR = [{ id: 'customers', label: 'Customers', href: '/customers' }, { id: 'admin', label: 'Admin', href: '/admin' }];
const EditButton = ({ id }) => <button type="button">Edit {id}</button>;
const NewJobButton = () => <button type="button">New job</button>;
const Skeleton = () => <span>…</span>;
const Spinner = () => <span>loading</span>;
const Users = () => <p>Users</p>;
const useNavigate = () => (to) => { document.body.dataset.navigated = to; };
const logout = () => { document.body.dataset.navigated = 'logout'; };
`;

/** react.md's first block (the entry) and its other `jsx` blocks as one App module. */
function reactApp() {
  const jsx = blocks(md('react.md')).filter((b) => b.lang === 'jsx');
  const [entry, ...rest] = jsx;
  assert.match(entry.code, /import \{ App \} from '\.\/App\.jsx'/, "react.md's first block renders the app's <App />");
  const names = [];
  const parts = rest.map((b) => {
    const declared = [...b.code.matchAll(/^function (\w+)/gm)].map((m) => m[1]);
    if (declared.length) {
      names.push(...declared);
      return b.code;
    }
    names.push(`Block${b.line}`);
    return `function Block${b.line}() {\n  return (<>\n${b.code}\n</>);\n}`;
  });
  const rows = new Set(names.filter((n) => new RegExp(`function ${n}\\([^)]*\\) \\{[\\s\\S]*?return <tr>`).test(parts.join('\n'))));
  const app = `${REACT_PRELUDE}\n${parts.join('\n\n')}
const PROPS = { CustomerRow: { customer }, ProposalCosts: { proposal } };
const ROWS = new Set(${JSON.stringify([...rows])});
export function App() {
  const { loaded } = useStatus();
  return (
    <main data-ready={loaded ? 'true' : undefined}>
      {[${names.map((n) => `[${JSON.stringify(n)}, ${n}]`).join(', ')}].map(([name, C]) => (
        <section key={name} data-snippet={name}>
          {ROWS.has(name) ? <table><tbody>{createElement(C, PROPS[name])}</tbody></table> : createElement(C, PROPS[name])}
        </section>
      ))}
    </main>
  );
}
`;
  return { entry: entry.code, app, names };
}

test('docs/react.md: every jsx block renders in Chromium from a Vite build, as a Consultant and as an Admin', async () => {
  const dir = join(DIR, 'react-md');
  const { entry, app, names } = reactApp();
  save(dir, 'index.html', '<!doctype html><html lang="en"><body><div id="root"></div><script type="module" src="./main.jsx"></script></body></html>\n');
  save(dir, 'main.jsx', entry);
  save(dir, 'App.jsx', app);
  await run(process.execPath, [join(DIR, 'node_modules/vite/bin/vite.js'), 'build', dir, '--outDir', join(dir, 'dist')], DIR);
  const issuer = await import(join(DIR, 'node_modules/rolegate/issuer.js'));
  await issuer.init();
  const policy = readFileSync(join(DIR, 'node_modules/rolegate/examples/neptunecrm.json'), 'utf8');
  const key = issuer.SigningKey.generate('react-md');
  const compiler = new issuer.Compiler(policy);
  // Each block's text nodes, joined by spaces.
  const text = async (p) => Object.fromEntries(await p.$$eval('[data-snippet]', (ss) => ss.map((s) => {
    const walk = document.createTreeWalker(s, NodeFilter.SHOW_TEXT);
    const words = [];
    while (walk.nextNode()) words.push(walk.currentNode.textContent.trim());
    return [s.dataset.snippet, words.filter(Boolean).join(' ')];
  })));
  const read = async (p) => {
    await p.waitForSelector('main[data-ready]', { timeout: 15_000 });
    return { ...(await text(p)), navigated: await p.getAttribute('body', 'data-navigated') };
  };
  const seen = {};
  for (const [who, user] of [
    ['consultant', { id: 'u-cons', roles: ['consultant'], tenant: 'org-1', settings: { canViewCosts: false } }],
    ['admin', { id: 'u-admin', roles: ['admin'], tenant: 'org-1' }],
  ]) {
    const routes = {
      '/api/jwks.json': () => ({ type: 'application/json', body: JSON.stringify(issuer.jwks(key)) }),
      '/api/snapshot': () => ({ type: 'text/plain', body: compiler.issue(user, key, { audience: 'crm-web' }) }),
    };
    const { seen: s, errors } = await visit(join(dir, 'dist'), read, routes);
    assert.deepEqual(errors, [], `no errors for the ${who}`);
    assert.deepEqual(Object.keys(s).filter((k) => k !== 'navigated'), names, 'every block rendered');
    seen[who] = s;
  }
  const { consultant: c, admin: a } = seen;
  // The Consultant: their own customer is editable, Admin is hidden, costs are hidden (canViewCosts off).
  assert.match(c.CustomerRow, /Ada Lovelace Edit c1/);
  assert.equal(c.Sidebar, 'Customers');
  assert.equal(c.ProposalCosts, '');
  assert.equal(c.Header, 'Signed in as u-cons');
  assert.equal(c.navigated, '/', "the route guard sent the Consultant to the policy's home");
  assert.equal(c.AdminPage, '');
  const can = Object.keys(c).find((k) => k.startsWith('Block'));
  assert.equal(c[can], 'Ask your coordinator Ask an administrator for access to Admin. Edit');
  // The Admin: everything, costs too.
  assert.equal(a.Sidebar, 'Customers Admin');
  assert.equal(a.ProposalCosts, 'Cost 800');
  assert.equal(a.AdminPage, 'Users');
  assert.equal(a.navigated, null);
  assert.equal(a[can], 'Admin New job Edit');
});

// ---- TypeScript blocks -------------------------------------------------------------------------

/** Type-checks `code` (after `prelude`) as NAME.tsx with the NeptuneCRM keys; resolves to tsc's errors. */
async function typecheck(name, prelude, code) {
  const dir = join(DIR, name);
  const npx = { env: { ...process.env, PATH: `${join(DIR, 'node_modules/.bin')}:${process.env.PATH}` } };
  mkdirSync(dir, { recursive: true });
  await run('sh', ['-c', 'rolegate types ../node_modules/rolegate/examples/neptunecrm.json --out permissions.d.ts'], dir, npx);
  save(dir, 'main.tsx', `${prelude}\n${code}`);
  save(dir, 'tsconfig.json', JSON.stringify({ compilerOptions: { strict: true, noEmit: true, jsx: 'react-jsx', module: 'esnext',
    moduleResolution: 'bundler', target: 'es2022', skipLibCheck: true, types: [] }, files: ['main.tsx'] }));
  try {
    await run('sh', ['-c', 'tsc -p tsconfig.json'], dir, npx);
    return [];
  } catch (e) {
    return [...String(e.message).matchAll(/main\.tsx\((\d+),\d+\): error TS\d+: (.*)/g)]
      .map((m) => ({ line: Number(m[1]) - prelude.split('\n').length, notAssignable: /is not assignable to/.test(m[2]) }));
  }
}

for (const [doc, lang, prelude] of [
  ['api.md', 'ts', "import { Gate } from 'rolegate';\ndeclare const keys: string;"],
  ['react.md', 'tsx', ''],
]) {
  test(`docs/${doc}: the ${lang} block type-checks, except on its misspelt key`, async () => {
    const block = blocks(md(doc)).find((b) => b.lang === lang);
    const errors = await typecheck(`${doc}-${lang}`, prelude, block.code);
    const misspelt = block.code.split('\n').findIndex((l) => l.includes('custmers')) + 1;
    assert.ok(misspelt > 0, 'the block shows a misspelt key');
    assert.deepEqual(errors, [{ line: misspelt, notAssignable: true }]);
  });
}
