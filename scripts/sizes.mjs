// Prints raw / gzip / brotli sizes of the package's wasm and JavaScript, and fails when the wasm plus
// the JavaScript a browser loads exceed the brotli budget (bytes, second argument). `measure(dir)` is
// the same measurement for bench/run.mjs.
//
// The budget covers what `import … from 'rolegate'` loads in a browser with WebAssembly on: index.js
// and every module it imports (followed from the import statements), plus the .wasm. Its JavaScript
// is counted minified (esbuild, as a production bundle serves it: the convention of bundle-size
// reports such as bundlephobia); the package ships it readable, with its comments, and that size is
// printed too. Reported apart: the wasm2js fallback (*.wasm.js, loaded only without WebAssembly), the
// opt-in subpaths (rolegate/react), the opt-in planner module (rolegate_query_bg.wasm, loaded instead of
// rolegate_bg.wasm by `init({ query: true })`) and what only Node loads (rolegate/issuer, rolegate/server,
// rolegate/testing).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { transformSync } from 'esbuild';

const brotli = (buf) => brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const minified = (buf) => Buffer.from(transformSync(buf.toString('utf8'), { minify: true, format: 'esm' }).code);

/**
 * Sizes of the package in `dir`: `files` (name, group, raw, gzip, brotli, counted), `total` (the budget's
 * count: .wasm plus minified JS of the entry, brotli), `shipped` (the same files as shipped) and
 * `fallback` (the wasm2js module plus the same JS, minified, brotli).
 */
export function measure(dir) {
  const all = readdirSync(dir).filter((f) => /\.(wasm|js)$/.test(f));
  const entryJs = new Set(['index.js']);
  for (const f of entryJs) {
    for (const [, dep] of readFileSync(join(dir, f), 'utf8').matchAll(/\bfrom\s+'\.\/([\w.-]+\.js)'/g)) entryJs.add(dep);
  }
  const group = (f) => {
    if (entryJs.has(f) || (f.endsWith('.wasm') && !/issuer|query/.test(f))) return 'runtime';
    if (f.endsWith('.wasm.js')) return 'fallback';
    if (/(^|_)issuer|^(testing|matchers|playwright|server)\.js$/.test(f)) return 'node';
    return 'opt-in';
  };
  const order = { runtime: 0, fallback: 1, 'opt-in': 2, node: 3 };
  const files = all.map((name) => {
    const buf = readFileSync(join(dir, name));
    const g = group(name);
    const b = brotli(buf);
    return { name, group: g, raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length, brotli: b,
      counted: g === 'runtime' && name.endsWith('.js') ? brotli(minified(buf)) : b };
  }).sort((a, b) => order[a.group] - order[b.group] || a.name.localeCompare(b.name));
  const runtime = files.filter((f) => f.group === 'runtime');
  const sum = (list, key) => list.reduce((s, f) => s + f[key], 0);
  const js = sum(runtime.filter((f) => f.name.endsWith('.js')), 'counted');
  return {
    files,
    total: sum(runtime, 'counted'),
    shipped: sum(runtime, 'brotli'),
    fallback: js + sum(files.filter((f) => f.group === 'fallback'), 'brotli'),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = process.argv[2] ?? 'pkg';
  const budget = Number(process.argv[3] ?? 65536);
  const { files, total, shipped } = measure(dir);
  const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;
  const note = {
    runtime: '', fallback: '  (no-WebAssembly fallback, loaded only then; not in the budget)',
    'opt-in': '  (opt-in: a subpath, or the planner module `init({ query: true })` loads instead; not in the budget)', node: '  (Node only: issuer, server guard or test kit; not in the budget)',
  };
  console.log('file                       raw      gzip    brotli   counted (JS minified, brotli)');
  for (const f of files) {
    const counted = f.group === 'runtime' ? String(f.counted).padStart(9) : '';
    console.log(`${f.name.padEnd(22)} ${String(f.raw).padStart(8)} ${String(f.gzip).padStart(9)} ${String(f.brotli).padStart(9)} ${counted}${note[f.group]}`);
  }
  console.log(`wasm + JS (minified), brotli: ${total} bytes (${kib(total)}; budget ${kib(budget)}); as shipped, unminified: ${shipped} bytes (${kib(shipped)})`);
  if (total > budget) {
    console.error(`size budget exceeded: ${total} > ${budget} bytes brotli`);
    process.exit(1);
  }
}
