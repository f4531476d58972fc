// Prints raw / gzip / brotli sizes of the package's wasm and JavaScript, and fails when the wasm plus
// the JavaScript a browser loads exceed the brotli budget (bytes, second argument).
//
// The JavaScript is counted minified (esbuild, as a production bundle serves it: the convention of
// bundle-size reports such as bundlephobia); the package ships it readable, with its comments, and
// that size is printed too.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { transformSync } from 'esbuild';

const dir = process.argv[2] ?? 'pkg';
const budget = Number(process.argv[3] ?? 65536);
const sizes = (buf) => ({
  raw: buf.length,
  gzip: gzipSync(buf, { level: 9 }).length,
  brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});
// The budget covers what `import … from 'rolegate'` loads in a browser with WebAssembly on: index.js
// and every module it imports (followed from the import statements), plus the .wasm. Reported apart:
// the wasm2js fallback (*.wasm.js, loaded only without WebAssembly), the opt-in subpaths
// (rolegate/react) and what only Node loads (rolegate/issuer, rolegate/testing).
const all = readdirSync(dir).filter((f) => /\.(wasm|js)$/.test(f));
const loaded = new Set(['index.js']);
for (const f of loaded) {
  for (const [, dep] of readFileSync(join(dir, f), 'utf8').matchAll(/\bfrom\s+'\.\/([\w.-]+\.js)'/g)) loaded.add(dep);
}
const runtime = [...[...loaded].sort(), ...all.filter((f) => f.endsWith('.wasm') && !/issuer/.test(f))];
const fallback = all.filter((f) => f.endsWith('.wasm.js'));
const isNode = (f) => /(^|_)issuer|^(testing|matchers|playwright)\.js$/.test(f);
const optIn = all.filter((f) => !loaded.has(f) && !runtime.includes(f) && !fallback.includes(f) && !isNode(f));
const brotli = (text) => brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
let total = 0;
let shipped = 0;
console.log('file                       raw      gzip    brotli  minified+brotli (counted)');
for (const f of runtime) {
  const buf = readFileSync(join(dir, f));
  const s = sizes(buf);
  const counted = f.endsWith('.js') ? brotli(transformSync(buf.toString('utf8'), { minify: true, format: 'esm' }).code) : s.brotli;
  total += counted;
  shipped += s.brotli;
  console.log(`${f.padEnd(22)} ${String(s.raw).padStart(8)} ${String(s.gzip).padStart(9)} ${String(s.brotli).padStart(9)} ${String(counted).padStart(9)}`);
}
for (const f of fallback) {
  const s = sizes(readFileSync(join(dir, f)));
  console.log(`${f.padEnd(22)} ${String(s.raw).padStart(8)} ${String(s.gzip).padStart(9)} ${String(s.brotli).padStart(9)}  (no-WebAssembly fallback, loaded only then; not in the budget)`);
}
console.log(`wasm + JS (minified), brotli: ${total} bytes (${(total / 1024).toFixed(1)} KiB; budget ${(budget / 1024).toFixed(1)} KiB); as shipped, unminified: ${shipped} bytes (${(shipped / 1024).toFixed(1)} KiB)`);
for (const f of optIn) {
  const s = sizes(readFileSync(join(dir, f)));
  console.log(`${f.padEnd(22)} ${String(s.raw).padStart(8)} ${String(s.gzip).padStart(9)} ${String(s.brotli).padStart(9)}  (opt-in subpath; not in the budget)`);
}
for (const f of all.filter(isNode)) {
  const s = sizes(readFileSync(join(dir, f)));
  console.log(`${f.padEnd(22)} ${String(s.raw).padStart(8)} ${String(s.gzip).padStart(9)} ${String(s.brotli).padStart(9)}  (Node only: issuer or test kit; not in the budget)`);
}
if (total > budget) {
  console.error(`size budget exceeded: ${total} > ${budget} bytes brotli`);
  process.exit(1);
}
