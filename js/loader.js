// Instantiating one wasm-bindgen build (`--target bundler` glue) from wherever the app keeps its `.wasm`.
// Shared by the browser entry (load.js: rolegate_bg.wasm) and the Node issuer (issuer.js:
// rolegate_issuer_bg.wasm). Runs no code that needs a browser or Node when imported.

/**
 * A loader for one build: `glue` is the generated `*_bg.js` module, `specifier` the name the `.wasm`
 * imports it by (`'./rolegate_bg.js'`), `file` the `.wasm` file name (for messages), `locate()` its
 * default location, and `fallback()` (optional) imports the module's wasm2js translation, used where
 * WebAssembly is missing or refuses to compile. Returns `{ init, ready, backendName, memoryBytes }` (see load.js).
 */
export function createLoader({ glue, specifier, file, locate, fallback }) {
  let pending = null;
  let backend = null;
  let memory = null;

  async function instantiate(source) {
    if (!usable()) return fallBack('WebAssembly is not available here');
    const given = await (source ?? defaultLocation());
    const imports = { [specifier]: glue };
    const instance = given instanceof WebAssembly.Module
      ? await WebAssembly.instantiate(given, imports)
      : (await instantiateSource(given, imports, file)).instance;
    start(instance.exports, 'wasm');
  }

  /** The same module translated to JavaScript by wasm2js: same code, same answers, slower. */
  async function fallBack(why) {
    if (!fallback) throw new Error(`rolegate: ${why}, and ${file} has no JavaScript fallback`);
    start(await fallback(), 'wasm2js');
  }

  function start(exports, name) {
    glue.__wbg_set_wasm(exports);
    memory = exports.memory ?? null;
    exports.__wbindgen_start?.();
    backend = name;
  }

  function defaultLocation() {
    try {
      return locate();
    } catch (cause) {
      throw new Error(`rolegate: cannot locate ${file} in this build (import.meta.url is not a URL); ` +
        'pass its URL, a Response or its bytes to init()', { cause });
    }
  }

  return {
    init(source) {
      pending ??= instantiate(source).catch((e) => {
        pending = null;
        throw e;
      });
      return pending;
    },
    ready: () => backend !== null,
    backendName: () => backend,
    memoryBytes: () => (memory ? memory.buffer.byteLength : 0),
    buffer: () => memory.buffer,
  };
}

/**
 * Whether WebAssembly can be used here: it exists, and compiling the smallest module (8 bytes) works.
 * Under a Content-Security-Policy without 'wasm-unsafe-eval', or in a hardened webview, that fails, and
 * the loader uses the JavaScript translation. Asking up front keeps real errors real: a wrong or broken
 * .wasm file still rejects init() instead of silently switching backends.
 */
function usable() {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.Module !== 'function') return false;
  try {
    new WebAssembly.Module(Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00));
    return true;
  } catch {
    return false;
  }
}

// `Response` is looked at last: in Node, touching the global loads its whole fetch implementation
// (about 20 ms), which a file URL or bytes never need.
function instantiateSource(source, imports, file) {
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return WebAssembly.instantiate(source, imports);
  if (typeof source === 'string' || source instanceof URL) return instantiateUrl(toUrl(source), imports, file);
  if (typeof Response === 'function' && source instanceof Response) return instantiateResponse(source, imports, file);
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

async function instantiateUrl(url, imports, file) {
  if (url.protocol !== 'file:') {
    const response = await fetch(url).catch((cause) => {
      throw new Error(`rolegate: fetching ${url} failed: ${cause.message}`, { cause });
    });
    return instantiateResponse(response, imports, file);
  }
  // Node, Deno and Bun: read the file, without a static `node:` import that browser bundlers would trip on.
  const fs = globalThis.process?.getBuiltinModule?.('node:fs');
  if (!fs) throw new Error(`rolegate: cannot read ${url} in this runtime; pass the .wasm bytes to init()`);
  const bytes = await fs.promises.readFile(url).catch((cause) => {
    throw new Error(`rolegate: cannot read ${url} (${cause.code ?? cause.message}); if a bundler moved rolegate's ` +
      `code, put ${file} next to it or pass the .wasm bytes or URL to init()`, { cause });
  });
  return WebAssembly.instantiate(bytes, imports);
}

async function instantiateResponse(response, imports, file) {
  const where = response.url || 'the .wasm file';
  if (!response.ok) {
    throw new Error(`rolegate: fetching ${where} failed with HTTP ${response.status}; serve ${file} there ` +
      'or pass its URL or bytes to init()');
  }
  // Streaming compilation needs the `application/wasm` type; other types are read into memory first.
  const type = response.headers.get('content-type')?.split(';')[0].trim().toLowerCase();
  if (type === 'application/wasm' && typeof WebAssembly.instantiateStreaming === 'function') {
    return WebAssembly.instantiateStreaming(response, imports);
  }
  return WebAssembly.instantiate(await response.arrayBuffer(), imports);
}
