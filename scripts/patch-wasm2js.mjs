// Patches wasm2js output so that its emulated `memory.grow` detaches the old ArrayBuffer, as real
// WebAssembly does. wasm-bindgen's glue notices a grown memory by the old buffer being detached; without
// this, strings are read from a stale view after the memory grows (wrong results, no error).
// Fails loudly when the code it patches is not there exactly once, so a binaryen upgrade cannot
// silently drop the fix. Usage: node scripts/patch-wasm2js.mjs pkg/rolegate_bg.wasm.js
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2];
const text = readFileSync(file, 'utf8');
const needle = /^(\s*)buffer = newBuffer;$/gm;
const found = [...text.matchAll(needle)];
if (found.length !== 1) {
  console.error(`patch-wasm2js: expected exactly one \`buffer = newBuffer;\` in ${file}, found ${found.length}; ` +
    'the wasm2js output changed: re-check the memory-growth patch (see docs/platforms.md)');
  process.exit(1);
}
const patched = text.replace(needle, (_, indent) => `${indent}var oldBuffer = buffer; buffer = newBuffer;\n` +
  `${indent}try { if (oldBuffer.transfer) oldBuffer.transfer(0); else structuredClone(oldBuffer, { transfer: [oldBuffer] }); } catch (e) {}`);
writeFileSync(file, patched);
console.log(`patch-wasm2js: memory.grow now detaches the old buffer in ${file}`);
