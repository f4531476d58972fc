//! WebAssembly tests in Node (`cargo test --target wasm32-unknown-unknown`).
#![cfg(target_arch = "wasm32")]

#[path = "suites/gate_suite.rs"]
mod gate_suite;
