//! WebAssembly tests in a real headless browser (Chromium in CI; Firefox and WebKit by driver).
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[path = "suites/gate_suite.rs"]
mod gate_suite;
