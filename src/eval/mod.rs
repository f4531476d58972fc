//! The evaluator: decisions with reason codes, read from a verified snapshot body.
//!
//! Body format (the `rg` claim), for now: `{"allow": [keys], "deny": [keys]}` where a key ending in
//! `.*` matches every key below that prefix. A deny beats any allow, whatever the order.

mod decision;
mod grants;

pub use decision::{Decision, Reason};
pub use grants::Grants;
