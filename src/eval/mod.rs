//! The evaluator: a verified snapshot body indexed once, and decisions with reason codes over it.
//!
//! Every question goes through the same fixed order (see [`Reason`] for the codes of each step):
//! envelope valid → user active → platform → tenant → client isolation → catalogue → feature flag →
//! explicit deny → grant → record scope → default deny. The envelope step is the gate's; the others
//! are here.

mod body;
mod body_format;
mod body_reader;
mod body_writer;
mod decision;
mod grants;
mod index;
mod record;
mod scope;

pub use crate::scope::{Scope, ScopeSet};
pub use body::{Body, BodyField, BodyMenu, BodyResource, BodyRoute, BodyRoutes, ScopedGrant, BODY_VERSION};
pub use decision::{Decision, Reason};
pub use grants::{Context, Grants};
pub use record::{FieldValue, Record};

pub(crate) use grants::{KeyPlan, Resource, Setting, Verdict};
