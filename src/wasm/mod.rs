//! JavaScript bindings. They translate types and errors and decide nothing: every answer comes from
//! the same Rust code that runs natively, as numbers (src/gate/numbers.rs). `js/gate.js` wraps [`gate::WasmGate`] as the public `Gate`;
//! `js/issuer.js` wraps the issuer bindings (compiled only with the `issuer` feature, for Node).

mod convert;
mod gate;
#[cfg(feature = "issuer")]
mod issuer;
mod json;
mod options;
