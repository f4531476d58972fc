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
// The Node issuer (rolegate/issuer: issuer.js and rolegate_issuer_bg.*) is reported apart: browsers never load it.
const isIssuer = (f) => /(^|_)issuer/.test(f);
const runtime = readdirSync(dir).filter((f) => /\.(wasm|js)$/.test(f) && !isIssuer(f));
let total = 0;
console.log('file                       raw      gzip    brotli');
for (const f of runtime) {
  const s = sizes(readFileSync(join(dir, f)));
  total += s.brotli;
  console.log(`${f.padEnd(22)} ${String(s.raw).padStart(8)} ${String(s.gzip).padStart(9)} ${String(s.brotli).padStart(9)}`);
}
console.log(`wasm + JS, brotli: ${total} bytes (${(total / 1024).toFixed(1)} KiB; budget ${(budget / 1024).toFixed(1)} KiB)`);
for (const f of readdirSync(dir).filter((f) => /\.(wasm|js)$/.test(f) && isIssuer(f))) {
  const s = sizes(readFileSync(join(dir, f)));
  console.log(`${f.padEnd(22)} ${String(s.raw).padStart(8)} ${String(s.gzip).padStart(9)} ${String(s.brotli).padStart(9)}  (Node issuer, not in the budget)`);
}
if (total > budget) {
  console.error(`size budget exceeded: ${total} > ${budget} bytes brotli`);
  process.exit(1);
}
