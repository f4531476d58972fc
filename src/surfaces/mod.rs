//! What a user interface asks: routes, menus, fields, masked records, filtered lists, explanations.
//!
//! These are reached through [`crate::Gate`]; this module holds their types and the logic over the
//! evaluator.

#[cfg_attr(
    not(target_arch = "wasm32"),
    allow(
        dead_code,
        reason = "the numeric answers are for the JavaScript bindings; native tests drive them"
    )
)]
pub(crate) mod ahead;
mod explain;
pub(crate) mod fields;
mod menu;
#[cfg(feature = "query")]
pub mod query;
mod route;
#[cfg_attr(
    not(target_arch = "wasm32"),
    allow(
        dead_code,
        reason = "the numeric answers are for the JavaScript bindings; native tests drive them"
    )
)]
pub(crate) mod wire;

#[cfg(feature = "internals")]
pub use crate::pattern::Patterns;
pub use crate::pattern::{check_params, site_path, site_target};
pub use explain::Question;
pub use fields::{FieldDecision, Masked};
pub use menu::MenuNode;
pub use route::{Redirect, RouteDecision};

pub(crate) use menu::MenuIndex;
pub(crate) use route::RouteTable;
