// Preloaded (node --import) by sources.test.mjs: any read of a browser global, or of `fetch`, throws.
// Importing rolegate and awaiting init() in Node must not read one (server-side rendering).
for (const name of ['window', 'document', 'self', 'location', 'navigator', 'fetch', 'XMLHttpRequest']) {
  Object.defineProperty(globalThis, name, {
    configurable: true,
    get() { throw new Error(`${name} was read`); },
  });
}
