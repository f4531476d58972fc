// Drops wasm-bindgen's closure shims from a browser module's function table (scripts/build.sh).
//
// wasm-bindgen's `convert::closures::…::invoke` shims are how JavaScript calls a Rust closure handed
// to it. Describing the closure types that js-sys and wasm-bindgen declare puts a shim for each in the
// function table, and the table keeps them alive after wasm-bindgen has removed the descriptions: the
// module carries about 4 KB of them (0.37 KB brotli) though it hands no closure to JavaScript. Only
// the glue could ever call one (by a table index it was generated with), so when the glue has no
// closure code, each of their table slots is pointed at one function that traps, and the next
// wasm-opt round removes the shims. If the glue ever wraps a closure, this script changes nothing and
// says so (the size budget then shows the cost). Needs the module's name section.
// Usage: node scripts/trim-table.mjs IN.wasm GLUE.js OUT.wasm
import { readFileSync, writeFileSync } from 'node:fs';
import binaryen from 'binaryen';

const [input, glue, output] = process.argv.slice(2);
const bytes = readFileSync(input);
if (/closure/i.test(readFileSync(glue, 'utf8'))) {
  console.log(`trim-table: ${glue} wraps closures; ${input} is left as it is`);
  writeFileSync(output, bytes);
  process.exit(0);
}
// The features scripts/build.sh builds with (FEATURES there), so that nothing newer is written.
const F = binaryen.Features;
const module = binaryen.readBinary(bytes);
module.setFeatures(F.MutableGlobals | F.NontrappingFPToInt | F.BulkMemory | F.BulkMemoryOpt | F.SignExt |
  F.CallIndirectOverlong);
const shim = /^wasm_bindgen(\[[0-9a-f]+\])?::convert::closures::/;
const TRAP = 'rolegate$closure_shim_removed';
let dropped = 0;
const segments = [];
for (let i = 0; i < module.getNumElementSegments(); i++) segments.push(binaryen.getElementSegmentInfo(module.getElementSegmentByIndex(i)));
if (!segments.some((s) => s.data.some((f) => /^[A-Za-z_<]/.test(f) && f.includes('::')))) {
  console.error(`trim-table: ${input} has no function names; keep its name section (wasm-opt -g)`);
  process.exit(1);
}
module.addFunction(TRAP, binaryen.none, binaryen.none, [], module.unreachable());
for (const s of segments) {
  const data = s.data.map((f) => (shim.test(f) ? (dropped++, TRAP) : f));
  if (!data.some((f, i) => f !== s.data[i])) continue;
  const offset = binaryen.getExpressionInfo(s.offset);
  if (offset.id !== binaryen.ConstId) {
    console.error(`trim-table: element segment ${s.name} has a computed offset`);
    process.exit(1);
  }
  module.removeElementSegment(s.name);
  module.addActiveElementSegment(s.table, s.name, data, module.i32.const(offset.value));
}
if (!module.validate()) {
  console.error('trim-table: the module does not validate after the change');
  process.exit(1);
}
writeFileSync(output, module.emitBinary());
module.dispose();
console.log(`trim-table: ${dropped} closure shims taken out of the function table of ${input}`);
