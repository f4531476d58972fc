// Preload for running the JS API tests without WebAssembly (`node --import ./no-wasm.mjs --test …`):
// as in iOS Lockdown Mode or a hardened webview, the global is simply not there.
delete globalThis.WebAssembly;
