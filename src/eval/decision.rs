//! Decisions and their stable reason codes.

use std::fmt;

/// Why a check was allowed or denied. Each reason has a stable snake_case [`Reason::code`].
///
/// ```
/// assert_eq!(rolegate::Reason::NoGrant.code(), "no_grant");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reason {
    /// A grant covers the key.
    Granted,
    /// No valid snapshot is loaded.
    NoSnapshot,
    /// The snapshot in force has expired.
    Expired,
    /// A deny rule covers the key; deny beats any allow.
    ExplicitDeny,
    /// No grant covers the key.
    NoGrant,
}

impl Reason {
    /// The stable machine-readable code.
    pub fn code(self) -> &'static str {
        match self {
            Reason::Granted => "granted",
            Reason::NoSnapshot => "no_snapshot",
            Reason::Expired => "expired",
            Reason::ExplicitDeny => "explicit_deny",
            Reason::NoGrant => "no_grant",
        }
    }

    /// A one-line human explanation.
    pub fn message(self) -> &'static str {
        match self {
            Reason::Granted => "a grant of the user's roles covers this",
            Reason::NoSnapshot => "no valid permission snapshot is loaded",
            Reason::Expired => "the permission snapshot has expired",
            Reason::ExplicitDeny => "a deny rule covers this, and deny beats any allow",
            Reason::NoGrant => "none of the user's roles grants this",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The answer to one question, with the reason and (where one decided it) the rule.
///
/// ```
/// let d = rolegate::Decision::deny(rolegate::Reason::NoSnapshot);
/// assert!(!d.allow);
/// assert_eq!(d.reason.code(), "no_snapshot");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Whether the question is answered yes.
    pub allow: bool,
    /// Why.
    pub reason: Reason,
    /// The rule (grant or deny pattern) that decided, if any.
    pub rule: Option<String>,
}

impl Decision {
    /// A deny for `reason`, with no rule.
    pub fn deny(reason: Reason) -> Decision {
        Decision { allow: false, reason, rule: None }
    }
}
