//! WebAssembly tests in Node (`cargo test --target wasm32-unknown-unknown`).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "test code: a panic is a failed test")]

#[path = "suites/gate_suite.rs"]
mod gate_suite;

mod common;

#[path = "suites/corpus_suite.rs"]
mod corpus_suite;

#[path = "common/conformance.rs"]
mod conformance;

#[path = "suites/conformance_suite.rs"]
mod conformance_suite;
