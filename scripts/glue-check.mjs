// Checks that the two browser modules can share one wasm-bindgen glue (scripts/build.sh): the planner
// module's glue, with its `query` method taken out, must be exactly the default module's glue (the
// same imports, and the same numbered exports in the same roles), and each module must export every
// function the glue calls (the default module all but `wasmgate_query`). Fails loudly otherwise, so a
// wasm-bindgen upgrade cannot silently pair a module with the wrong glue.
// Usage: node scripts/glue-check.mjs DEFAULT_GLUE PLANNER_GLUE DEFAULT_WASM PLANNER_WASM
import { readFileSync } from 'node:fs';

const [leanGlue, queryGlue, leanWasm, queryWasm] = process.argv.slice(2);
const fail = (why) => {
  console.error(`glue-check: ${why}`);
  process.exit(1);
};
const lean = readFileSync(leanGlue, 'utf8');
const full = readFileSync(queryGlue, 'utf8');
// The method, with the doc comment wasm-bindgen puts before it.
const method = /\n {4}\/\*\*(?:(?!\*\/)[\s\S])*?\*\/\n {4}query\([^)]*\) \{[\s\S]*?\n {4}\}\n/g;
const found = full.match(method) ?? [];
if (found.length !== 1) fail(`expected one \`query\` method in ${queryGlue}, found ${found.length}`);
if (full.replace(method, '\n') !== lean) fail(`${queryGlue} differs from ${leanGlue} by more than the \`query\` method`);
const called = new Set([...full.matchAll(/\bwasm\.(\w+)/g)].map((m) => m[1]));
const exports = (file) => new Set(WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(file))).map((e) => e.name));
for (const [file, missing] of [[queryWasm, []], [leanWasm, ['wasmgate_query']]]) {
  const have = exports(file);
  const absent = [...called].filter((name) => !have.has(name));
  if (absent.join() !== missing.join()) fail(`${file} lacks ${absent.join(', ') || 'nothing'}; expected ${missing.join(', ') || 'nothing'}`);
}
console.log('glue-check: one glue serves both browser modules');
