#![doc = include_str!("../README.md")]

mod clock;
#[cfg(feature = "issuer")]
pub mod compile;
pub mod envelope;
mod error;
pub mod eval;
mod gate;
#[cfg(feature = "internals")]
pub mod json;
#[cfg(not(feature = "internals"))]
mod json;
pub mod limits;
mod pattern;
#[cfg(feature = "issuer")]
pub mod policy;
mod revocation;
mod scope;
pub mod surfaces;
mod text;

#[cfg(feature = "issuer")]
pub mod issue;

#[cfg(feature = "commands")]
pub mod cli;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use clock::Clock;
pub use envelope::{unverified, Claims, Keyring};
pub use error::{Error, Malformed};
#[cfg(feature = "issuer")]
pub use error::{Issue, Problem};
pub use eval::{Decision, Grants, Reason};
pub use gate::{Gate, GateOptions, Status};
pub use revocation::Revocation;

/// The Rust examples in `docs/issuing.md` are compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../docs/issuing.md")]
struct IssuingDoc;

/// The Rust examples in `docs/records.md` are compiled and run as doctests.
#[cfg(all(doctest, feature = "issuer"))]
#[doc = include_str!("../docs/records.md")]
struct RecordsDoc;
