//! JavaScript bindings. They translate types and errors and decide nothing: every answer comes from
//! the same Rust code that runs natively, as numbers (src/gate/numbers.rs). `js/gate.js` wraps [`gate::WasmGate`] as the public `Gate`;
//! `js/issuer.js` wraps the issuer bindings (compiled only with the `issuer` feature, for Node) and
//! `js/cli.js` runs the command-line tool's (feature `commands`, in the same build).

#[cfg(feature = "commands")]
mod cli;
mod convert;
mod gate;
#[cfg(feature = "issuer")]
mod issuer;
mod json;
mod options;

/// The allocator of every wasm build: talc, in place of std's dlmalloc, made for single-threaded
/// WebAssembly and 1.4 KB brotli smaller in the browser module (measured with the build's settings;
/// docs/platforms.md).
#[cfg(not(target_feature = "atomics"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
