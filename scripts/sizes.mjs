// Prints raw / gzip / brotli sizes of the package's wasm and JavaScript, and fails when the wasm plus
// the JavaScript a browser loads exceed the brotli budget (bytes, second argument).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dir = process.argv[2] ?? 'pkg';
const budget = Number(process.argv[3] ?? 65536);
const sizes = (buf) => ({
  raw: buf.length,
  gzip: gzipSync(buf, { level: 9 }).length,
  brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});
// What a browser loads with WebAssembly on. Reported apart: the wasm2js fallback (*.wasm.js, loaded
// only without WebAssembly), the Node issuer (rolegate/issuer: issuer.js, rolegate_issuer_bg.*) and the
// Node test kit (rolegate/testing: testing.js, matchers.js, playwright.js).
const isIssuer = (f) => /(^|_)issuer|^(testing|matchers|playwright)\.js$/.test(f);
const all = readdirSync(dir).filter((f) => /\.(wasm|js)$/.test(f));
const runtime = all.filter((f) => !f.endsWith('.wasm.js') && !isIssuer(f));
const fallback = all.filter((f) => f.endsWith('.wasm.js') && !isIssuer(f));
let total = 0;
console.log('file                       raw      gzip    brotli');
for (const f of runtime) {
  const s = sizes(readFileSync(join(dir, f)));
  total += s.brotli;
  console.log(`${f.padEnd(22)} ${String(s.raw).padStart(8)} ${String(s.gzip).padStart(9)} ${String(s.brotli).padStart(9)}`);
}
for (const f of fallback) {
  const s = sizes(readFileSync(join(dir, f)));
  console.log(`${f.padEnd(22)} ${String(s.raw).padStart(8)} ${String(s.gzip).padStart(9)} ${String(s.brotli).padStart(9)}  (no-WebAssembly fallback, loaded only then; not in the budget)`);
}
console.log(`wasm + JS, brotli: ${total} bytes (${(total / 1024).toFixed(1)} KiB; budget ${(budget / 1024).toFixed(1)} KiB)`);
for (const f of all.filter(isIssuer)) {
  const s = sizes(readFileSync(join(dir, f)));
  console.log(`${f.padEnd(22)} ${String(s.raw).padStart(8)} ${String(s.gzip).padStart(9)} ${String(s.brotli).padStart(9)}  (Node only: issuer or test kit; not in the budget)`);
}
if (total > budget) {
  console.error(`size budget exceeded: ${total} > ${budget} bytes brotli`);
  process.exit(1);
}
