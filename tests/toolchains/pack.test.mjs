// What `npm pack` ships: only the files the package needs, types for every JavaScript entry of the
// `exports` map, and the same API from `import` and `require`. Reports the tarball's size.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { pathToFileURL } from 'node:url';
import { run, tarball } from './helpers.mjs';

const TGZ = tarball();
const listed = (await run('tar', ['-tzf', TGZ], '.')).split('\n').filter(Boolean);
const files = listed.map((f) => f.replace(/^package\//, ''));
const dir = mkdtempSync(join(tmpdir(), 'rolegate-pack-'));
await run('tar', ['-xzf', TGZ, '-C', dir], '.');
after(() => rmSync(dir, { recursive: true, force: true }));
const PKG = join(dir, 'package');
const read = (f) => readFileSync(join(PKG, f), 'utf8');
const manifest = JSON.parse(read('package.json'));

// The exports map as [subpath, conditions, target] rows, conditions outermost first.
function targets(node, subpath, conditions = []) {
  if (typeof node === 'string') return [[subpath, conditions, node]];
  return Object.entries(node).flatMap(([k, v]) => targets(v, subpath, [...conditions, k]));
}
const rows = Object.entries(manifest.exports).flatMap(([subpath, node]) => targets(node, subpath));
const isCode = (f) => /\.(js|cjs|mjs)$/.test(f);
const codeRows = rows.filter(([, c, t]) => isCode(t) && !c.includes('types'));

test('the tarball holds only what the package needs', () => {
  const allowed = /^(README\.md|LICENSE-MIT|LICENSE-APACHE|package\.json|rolegate(_issuer)?_bg\.(wasm|js)|rolegate_query_bg\.wasm|rolegate_bg\.wasm\.js|[a-z][a-z0-9-]*\.(js|cjs|d\.ts|d\.cts)|policy\.schema\.json|examples\/[a-z]+(\.users)?\.json)$/;
  assert.deepEqual(files.filter((f) => !allowed.test(f)), [], 'unexpected files in the tarball');
  for (const f of ['README.md', 'LICENSE-MIT', 'LICENSE-APACHE', 'package.json', 'rolegate_bg.wasm', 'rolegate_query_bg.wasm', 'rolegate_bg.js',
    'rolegate_bg.wasm.js', 'rolegate_issuer_bg.wasm', 'rolegate_issuer_bg.js', 'issuer.js', 'issuer.d.ts']) {
    assert.ok(files.includes(f), `${f} is missing`);
  }
  assert.equal(new Set(files).size, files.length, 'a file is packed twice');
});

test('every exports target exists; every JavaScript entry has types of its module format', () => {
  for (const [subpath, , target] of rows) {
    // A `*` target names a folder of assets: at least one file must be in it.
    const ok = target.includes('*') ? files.some((f) => f.startsWith(posix.normalize(target.slice(0, target.indexOf('*')))))
      : files.includes(posix.normalize(target));
    assert.ok(ok, `${subpath} -> ${target} is not packed`);
  }
  assert.ok(codeRows.length >= 2, 'an import and a require entry');
  for (const [subpath, conditions, target] of codeRows) {
    // The `types` condition sits beside the code target, in the same conditions object.
    let node = manifest.exports[subpath];
    for (const c of conditions.slice(0, -1)) node = node[c];
    const types = node.types;
    assert.ok(types, `${subpath} [${conditions}] -> ${target} has no types`);
    assert.ok(files.includes(posix.normalize(types)), `${types} is not packed`);
    assert.equal(types.endsWith('.d.cts'), target.endsWith('.cjs'), `${types} must match the module format of ${target}`);
  }
  const conditions = codeRows.map(([s, c]) => `${s} ${c.join('/')}`).sort();
  // `rolegate/issuer` (the Node issuer) and `rolegate/server` (request guards) are ES modules only; `rolegate/react` is one ES module for every
  // condition (a CommonJS copy would hold a second React context).
  assert.deepEqual(conditions, ['. import/default', '. require/default', './issuer import/default', './react default', './server import/default', './testing import/default']);
  // Anything else the map exports is an asset, not code.
  assert.deepEqual(rows.filter(([, , t]) => !isCode(t) && !/\.d\.c?ts$/.test(t)).map(([s]) => s), ['./rolegate_bg.wasm', './rolegate_query_bg.wasm', './examples/*', './policy.schema.json', './package.json']);
  for (const f of [manifest.main, manifest.module, manifest.types]) assert.ok(files.includes(posix.normalize(f)), `${f} is not packed`);
  assert.equal(manifest.type, 'module');
});

test('every packed module is reachable from an entry, and everything an entry loads is packed', () => {
  const seen = new Set();
  const visit = (f) => {
    if (seen.has(f)) return;
    assert.ok(files.includes(f), `${f} is loaded but not packed`);
    seen.add(f);
    if (!isCode(f)) return;
    const src = read(f);
    const refs = [...src.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"](\.[^'"]+)['"]/g)].map((m) => m[1]);
    refs.push(...[...src.matchAll(/new URL\(\s*['"](\.[^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g)].map((m) => m[1]));
    for (const r of refs) visit(posix.normalize(posix.join(posix.dirname(f), r)));
  };
  for (const [, , t] of codeRows) visit(posix.normalize(t));
  // The `bin` (`npx rolegate`) is an entry too: the CLI on the issuer's wasm.
  for (const t of Object.values(manifest.bin ?? {})) visit(posix.normalize(t));
  assert.deepEqual(manifest.bin, { rolegate: './cli.js' });
  assert.match(read('cli.js'), /^#!\/usr\/bin\/env node\n/, 'the bin runs under Node');
  assert.ok(seen.has('rolegate_bg.wasm'), 'the loader locates the .wasm next to itself');
  assert.ok(seen.has('rolegate_query_bg.wasm'), 'the loader locates the planner module next to itself');
  assert.ok(seen.has('rolegate_issuer_bg.wasm'), 'the issuer locates its .wasm next to itself');
  const unused = files.filter((f) => /\.(js|cjs|wasm)$/.test(f) && !seen.has(f));
  assert.deepEqual(unused, [], 'packed but never loaded');
  assert.doesNotMatch(read(manifest.exports['.'].require.default), /\brequire\s*\(/, 'the CommonJS entry is one self-contained file');
});

test('import and require give the same API, and the types declare exactly it', async () => {
  const esm = await import(pathToFileURL(join(PKG, manifest.exports['.'].import.default)).href);
  const cjs = createRequire(join(PKG, 'package.json'))(join(PKG, manifest.exports['.'].require.default));
  const names = Object.keys(esm).sort();
  assert.deepEqual(Object.keys(cjs).filter((k) => k !== '__esModule').sort(), names);
  const declared = (f) => [...read(f).matchAll(/^export (?:declare )?(?:class|function|const) (\w+)/gm)].map((m) => m[1]).sort();
  assert.deepEqual(declared(manifest.exports['.'].import.types), names);
  assert.deepEqual(declared(manifest.exports['.'].require.types), names);
  for (const m of [esm, cjs]) {
    assert.equal(m.ready(), false);
    assert.throws(() => new m.Gate({ keys: { keys: [] }, audience: 'x' }), (e) => e instanceof m.RolegateError && e.code === 'not_initialised');
  }
});

test('rolegate/react: declares exactly what it exports; React is an optional peer', () => {
  const names = (f, re) => [...read(f).matchAll(re)].map((m) => m[1]).sort();
  const { types, default: code } = manifest.exports['./react'];
  // An overloaded function is declared once per signature.
  assert.deepEqual([...new Set(names(types, /^export (?:declare )?function (\w+)/gm))], names(code, /^export function (\w+)/gm));
  assert.deepEqual(names(code, /^import .* from '([^']+)';$/gm), ['react'], 'rolegate/react imports React only: the app passes its gate');
  assert.deepEqual(manifest.peerDependenciesMeta, { react: { optional: true } });
  assert.ok(manifest.peerDependencies.react, 'React is a peer dependency');
  assert.equal(manifest.dependencies, undefined, 'rolegate depends on nothing');
});

test('the tarball size', (t) => {
  const packed = statSync(TGZ).size;
  const unpacked = files.reduce((n, f) => n + statSync(join(PKG, f)).size, 0);
  t.diagnostic(`${posix.basename(TGZ)}: ${files.length} files, ${packed} bytes packed (${(packed / 1024).toFixed(1)} KiB), ${unpacked} bytes unpacked`);
  for (const f of [...files].sort()) t.diagnostic(`  ${f.padEnd(20)} ${String(statSync(join(PKG, f)).size).padStart(8)}`);
  // The no-WebAssembly fallback (rolegate_bg.wasm.js, also inside index.cjs) is most of the tarball.
  assert.ok(packed < 1536 * 1024, `the tarball is ${packed} bytes`);
});

test('rolegate/issuer: its own wasm build, its types declare exactly its exports, and the browser entry never loads it', async () => {
  const entry = manifest.exports['./issuer'].import;
  const issuer = await import(pathToFileURL(join(PKG, entry.default)).href);
  const names = Object.keys(issuer).sort();
  const declared = [...read(entry.types).matchAll(/^export (?:declare )?(?:class|function|const) (\w+)/gm)].map((m) => m[1]).sort();
  assert.deepEqual(declared, names);
  for (const n of ['init', 'ready', 'Compiler', 'SigningKey', 'jwks', 'keygen', 'lint', 'RolegateError']) assert.ok(names.includes(n), n);
  await issuer.init();
  assert.equal(issuer.lint({ product: 'x', keys: [], roles: {} }).length, 0);
  assert.doesNotMatch(read(manifest.exports['.'].import.default), /rolegate_issuer|issuer\.js/);
  assert.doesNotMatch(read(manifest.exports['.'].require.default), /rolegate_issuer|issuer\.js/, 'the CommonJS entry does not bundle the issuer');
});

test('rolegate/testing: declares exactly what it exports, and neither browser entry loads it', async () => {
  const entry = manifest.exports['./testing'].import;
  const testing = await import(pathToFileURL(join(PKG, entry.default)).href);
  const names = Object.keys(testing).sort();
  const declared = [...read(entry.types).matchAll(/^export (?:declare )?(?:class|function|const) (\w+)/gm)].map((m) => m[1]).sort();
  assert.deepEqual(declared, names);
  for (const f of [manifest.exports['.'].import.default, manifest.exports['.'].require.default, 'gate.js', 'load.js', 'loader.js']) {
    assert.doesNotMatch(read(f), /(?:from|import\s*\(|require\s*\()\s*['"][^'"]*(?:testing|matchers|playwright|issuer)/, `${f} imports the test kit`);
    assert.doesNotMatch(read(f), /createTestKit|grantClaims|rolegate_test_grants/, `${f} holds test-kit code`);
  }
});

test('rolegate/server: declares exactly what it exports, its gates are the package\'s, and neither browser entry loads it', async () => {
  const entry = manifest.exports['./server'].import;
  const server = await import(pathToFileURL(join(PKG, entry.default)).href);
  const names = Object.keys(server).sort();
  const types = read(entry.types);
  const declared = [
    ...[...types.matchAll(/^export (?:declare )?(?:class|function|const) (\w+)/gm)].map((m) => m[1]),
    ...[...types.matchAll(/^export \{ ([\w, ]+) \};$/gm)].flatMap((m) => m[1].split(/, */)),
  ].sort();
  assert.deepEqual(declared, names);
  for (const n of ['init', 'createGuard', 'Guard', 'RequestGate', 'RolegateError']) assert.ok(names.includes(n), n);
  const esm = await import(pathToFileURL(join(PKG, manifest.exports['.'].import.default)).href);
  assert.equal(server.RolegateError, esm.RolegateError, 'one RolegateError class');
  assert.equal(Object.getPrototypeOf(server.RequestGate), esm.Gate, 'a request gate is a Gate of the package');
  for (const f of [manifest.exports['.'].import.default, manifest.exports['.'].require.default, 'gate.js', 'load.js', 'loader.js']) {
    assert.doesNotMatch(read(f), /(?:from|import\s*\(|require\s*\()\s*['"][^'"]*server/, `${f} imports rolegate/server`);
  }
});
