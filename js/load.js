// Loading the WebAssembly module once, from wherever the app keeps it. After `init()` resolves, every
// call is synchronous. Importing this module runs no code that needs a browser (no `window`, no
// `document`, no `fetch`), so server-side rendering can import the package; `init()` works in Node too.
import * as glue from './rolegate_bg.js';
import { createLoader } from './loader.js';

const loader = createLoader({
  glue,
  specifier: './rolegate_bg.js',
  file: 'rolegate_bg.wasm',
  // Kept in exactly this form: bundlers recognise `new URL('<literal>', import.meta.url)`, emit the file
  // and rewrite the URL. The CommonJS build defines `import.meta.url` as the file URL of index.cjs.
  locate: () => new URL('./rolegate_bg.wasm', import.meta.url),
  // The no-WebAssembly fallback: a literal dynamic import, so bundlers split it into its own chunk that
  // only browsers without WebAssembly download (docs/platforms.md).
  fallback: () => import('./rolegate_bg.wasm.js'),
});

/**
 * Loads the WebAssembly module. Call once and await it before creating a `Gate`; later calls return
 * the same promise (whatever `source` they pass). If loading fails the promise rejects with the
 * reason, nothing is initialised, and the next call tries again.
 *
 * @param {string | URL | Response | PromiseLike<Response> | BufferSource | WebAssembly.Module | { query: true }} [source]
 *   where the `.wasm` file is: by default next to this module (`new URL('./rolegate_bg.wasm',
 *   import.meta.url)`, which Vite, webpack 5 and Node understand); pass a URL, a `fetch` Response (or
 *   the promise of one), the bytes or a compiled module to host it elsewhere (a CDN, a mobile app bundle).
 *   `{ query: true }` loads the planner module instead (`rolegate_query_bg.wasm`, next to this module):
 *   the same gate plus `gate.query`, 2.8 KB larger (docs/records.md); to host it elsewhere, pass its
 *   URL, Response, bytes or module as `source`.
 * @returns {Promise<void>}
 */
export function init(source) {
  // The same literal form as `locate`, so bundlers emit the planner module too.
  return loader.init(source?.query === true ? new URL('./rolegate_query_bg.wasm', import.meta.url) : source);
}

/** Whether `init()` has finished. */
export function ready() {
  return loader.ready();
}

/** Which backend runs the evaluator: `'wasm'`, `'wasm2js'` (no WebAssembly), or `null` before `init()`. */
export function backendName() {
  return loader.backendName();
}

/**
 * Diagnostic: the size of the module's linear memory in bytes (it only grows; a steady value under
 * load means no leak), or 0 before `init()`. Used by the soak tests (`bench/soak/`).
 * @returns {number}
 */
export function memoryBytes() {
  return loader.memoryBytes();
}

/**
 * The module's memory as it is now (a new buffer after each growth; the old one is detached). For
 * js/gate.js, which reads answers from it; call only after `init()`.
 * @returns {ArrayBuffer}
 */
export function memoryBuffer() {
  return loader.buffer();
}
