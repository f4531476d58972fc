// Loading the WebAssembly module once, from wherever the app keeps it. After `init()` resolves, every
// call is synchronous. Importing this module runs no code that needs a browser (no `window`, no
// `document`, no `fetch`), so server-side rendering can import the package; `init()` works in Node too.
import * as glue from './rolegate_bg.js';

let pending = null;
let backend = null;
let memory = null;

/**
 * Loads the WebAssembly module. Call once and await it before creating a `Gate`; later calls return
 * the same promise (whatever `source` they pass). If loading fails the promise rejects with the
 * reason, nothing is initialised, and the next call tries again.
 *
 * @param {string | URL | Response | PromiseLike<Response> | BufferSource | WebAssembly.Module} [source]
 *   where the `.wasm` file is: by default next to this module (`new URL('./rolegate_bg.wasm',
 *   import.meta.url)`, which Vite, webpack 5 and Node understand); pass a URL, a `fetch` Response (or
 *   the promise of one), the bytes or a compiled module to host it elsewhere (a CDN, a mobile app bundle).
 * @returns {Promise<void>}
 */
export function init(source) {
  pending ??= instantiate(source).catch((e) => {
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

/**
 * Diagnostic: the size of the WebAssembly linear memory in bytes (it only grows; a steady value under
 * load means no leak), or 0 before `init()`. Used by the soak tests (`bench/soak/`).
 * @returns {number}
 */
export function memoryBytes() {
  return memory ? memory.buffer.byteLength : 0;
}

async function instantiate(source) {
  const given = await (source ?? defaultLocation());
  const imports = { './rolegate_bg.js': glue };
  const instance = given instanceof WebAssembly.Module
    ? await WebAssembly.instantiate(given, imports)
    : (await instantiateSource(given, imports)).instance;
  glue.__wbg_set_wasm(instance.exports);
  memory = instance.exports.memory ?? null;
  instance.exports.__wbindgen_start?.();
  backend = 'wasm';
}

// Kept in exactly this form: bundlers recognise `new URL('<literal>', import.meta.url)`, emit the file
// and rewrite the URL. The CommonJS build defines `import.meta.url` as the file URL of index.cjs.
function defaultLocation() {
  try {
    return new URL('./rolegate_bg.wasm', import.meta.url);
  } catch (cause) {
    throw new Error('rolegate: cannot locate rolegate_bg.wasm in this build (import.meta.url is not a URL); ' +
      'pass its URL, a Response or its bytes to init()', { cause });
  }
}

function instantiateSource(source, imports) {
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return WebAssembly.instantiate(source, imports);
  if (typeof Response === 'function' && source instanceof Response) return instantiateResponse(source, imports);
  if (typeof source === 'string' || source instanceof URL) return instantiateUrl(toUrl(source), imports);
  throw new TypeError('rolegate: init() takes a URL, a Response, the .wasm bytes or a WebAssembly.Module, ' +
    `not ${Object.prototype.toString.call(source)}`);
}

function toUrl(source) {
  if (source instanceof URL) return source;
  try {
    return new URL(source, globalThis.location?.href);
  } catch (cause) {
    throw new TypeError(`rolegate: init() cannot resolve ${JSON.stringify(source)}; pass an absolute URL`, { cause });
  }
}

async function instantiateUrl(url, imports) {
  if (url.protocol !== 'file:') {
    const response = await fetch(url).catch((cause) => {
      throw new Error(`rolegate: fetching ${url} failed: ${cause.message}`, { cause });
    });
    return instantiateResponse(response, imports);
  }
  // Node, Deno and Bun: read the file, without a static `node:` import that browser bundlers would trip on.
  const fs = globalThis.process?.getBuiltinModule?.('node:fs');
  if (!fs) throw new Error(`rolegate: cannot read ${url} in this runtime; pass the .wasm bytes to init()`);
  const bytes = await fs.promises.readFile(url).catch((cause) => {
    throw new Error(`rolegate: cannot read ${url} (${cause.code ?? cause.message}); if a bundler moved rolegate's ` +
      'code, put rolegate_bg.wasm next to it or pass the .wasm bytes or URL to init()', { cause });
  });
  return WebAssembly.instantiate(bytes, imports);
}

async function instantiateResponse(response, imports) {
  const where = response.url || 'the .wasm file';
  if (!response.ok) {
    throw new Error(`rolegate: fetching ${where} failed with HTTP ${response.status}; serve rolegate_bg.wasm there ` +
      'or pass its URL or bytes to init()');
  }
  // Streaming compilation needs the `application/wasm` type; other types are read into memory first.
  const type = response.headers.get('content-type')?.split(';')[0].trim().toLowerCase();
  if (type === 'application/wasm' && typeof WebAssembly.instantiateStreaming === 'function') {
    return WebAssembly.instantiateStreaming(response, imports);
  }
  return WebAssembly.instantiate(await response.arrayBuffer(), imports);
}
