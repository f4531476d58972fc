#![doc = include_str!("../README.md")]

mod clock;
pub mod envelope;
mod error;
pub mod eval;
mod gate;
pub mod limits;

#[cfg(feature = "issuer")]
pub mod issue;

#[cfg(feature = "cli")]
pub mod cli;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use clock::Clock;
pub use envelope::{unverified, Claims, Keyring};
pub use error::{Error, Malformed};
pub use eval::{Decision, Grants, Reason};
pub use gate::{Gate, GateOptions, Status};

/// The Rust examples in `docs/issuing.md` are compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../docs/issuing.md")]
struct IssuingDoc;
