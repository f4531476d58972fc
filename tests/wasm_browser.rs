//! WebAssembly tests in a real headless browser (Chromium in CI; Firefox and WebKit by driver).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "test code: a panic is a failed test")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[path = "suites/gate_suite.rs"]
mod gate_suite;

mod common;

#[path = "suites/corpus_suite.rs"]
mod corpus_suite;

#[path = "common/conformance.rs"]
mod conformance;

#[path = "suites/conformance_suite.rs"]
mod conformance_suite;
