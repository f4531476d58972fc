// Loading the WebAssembly module once, from wherever the app keeps it. After `init()` resolves, every
// call is synchronous.
import * as glue from './rolegate_bg.js';

let pending = null;
let backend = null;

/**
 * Loads the WebAssembly module. Call once and await it before creating a `Gate`; later calls return
 * the same promise.
 *
 * @param {string | URL | Response | BufferSource | WebAssembly.Module} [source]
 *   where the `.wasm` file is: by default next to this module (`new URL('./rolegate_bg.wasm',
 *   import.meta.url)`); pass a URL, a `fetch` Response, the bytes or a compiled module to host it
 *   elsewhere (a CDN, a mobile app bundle).
 * @returns {Promise<void>}
 */
export function init(source) {
  pending ??= instantiate(source ?? new URL('./rolegate_bg.wasm', import.meta.url)).catch((e) => {
    pending = null;
    throw e;
  });
  return pending;
}

/** Whether `init()` has finished. */
export function ready() {
  return backend !== null;
}

/** Which backend runs the evaluator: `'wasm'`, or `null` before `init()`. */
export function backendName() {
  return backend;
}

async function instantiate(source) {
  const imports = { './rolegate_bg.js': glue };
  let instance;
  if (source instanceof WebAssembly.Module) {
    instance = await WebAssembly.instantiate(source, imports);
  } else {
    const { instance: i } = await WebAssembly.instantiate(await bytesOf(await source), imports);
    instance = i;
  }
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start?.();
  backend = 'wasm';
}

async function bytesOf(source) {
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return source;
  if (typeof Response !== 'undefined' && source instanceof Response) return source.arrayBuffer();
  const url = source instanceof URL ? source : new URL(String(source), globalThis.location?.href);
  if (url.protocol === 'file:') {
    // Node (and Deno/Bun): read the file without a static `node:` import that browser bundlers would trip on.
    const fs = globalThis.process?.getBuiltinModule?.('node:fs');
    if (!fs) throw new Error(`rolegate: cannot read ${url} here; pass the .wasm bytes to init()`);
    return fs.readFileSync(url);
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`rolegate: fetching ${url} failed with HTTP ${response.status}`);
  return response.arrayBuffer();
}
