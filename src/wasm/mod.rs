//! JavaScript bindings. They translate types and errors and decide nothing: every answer comes from
//! the same Rust code that runs natively. `js/gate.js` wraps [`gate::WasmGate`] as the public `Gate`.

mod convert;
mod gate;
mod options;
mod record;
