//! Decisions and their stable reason codes.
//!
//! Every question is answered in one fixed order; the first step that decides gives the reason:
//!
//! | # | step | deny codes | allow codes |
//! |---|---|---|---|
//! | 1 | `envelope` | `no_snapshot`, `expired` | |
//! | 2 | `active` | `inactive` | |
//! | 3 | `platform` | `platform_denied` | |
//! | 4 | `tenant` | `tenant_mismatch`, `tenant_missing` | |
//! | 5 | `client` | `client_mismatch`, `client_missing` | |
//! | 6 | `catalogue` | `unknown_key` | |
//! | 7 | `feature` | `feature_disabled` | |
//! | 8 | `deny` | `explicit_deny` | |
//! | 9 | `grant` | | `granted`, `public` |
//! | 10 | `scope` | `out_of_scope` | `in_scope` |
//! | 11 | `field` | `setting_off`, `setting_forced`, `setting_not_applicable` | |
//! | 12 | `menu` | `empty_section` | |
//! | 13 | `default` | `no_grant`, `no_route`, `unknown_item`, `unknown_resource` | |
//! | 14 | `redirect` | `redirect_denied` | |
//!
//! The issuer's answers on role assignment have reasons of their own (`compile::AssignReason`).

use std::fmt;

/// Why a check was allowed or denied. Each reason has a stable snake_case [`Reason::code`].
///
/// ```
/// assert_eq!(rolegate::Reason::NoGrant.code(), "no_grant");
/// assert_eq!(rolegate::Reason::NoGrant.step(), "default");
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
    /// The user is not active: everything is denied.
    Inactive,
    /// The user may not use the platform the UI runs on (or any platform).
    PlatformDenied,
    /// The record belongs to another organisation.
    TenantMismatch,
    /// The record does not say which organisation it belongs to.
    TenantMissing,
    /// The key (or item) belongs to a feature that is off for this user.
    FeatureDisabled,
    /// A deny rule covers the key; deny beats any allow.
    ExplicitDeny,
    /// The route or menu item needs no permission.
    Public,
    /// A scoped grant covers the key and the record is within its scope.
    InScope,
    /// A grant covers the key, but not for this record.
    OutOfScope,
    /// The field needs a user setting that is off.
    SettingOff,
    /// The field needs a user setting that a role of the user forces off.
    SettingForced,
    /// The field needs a user setting that does not apply to the user's roles.
    SettingNotApplicable,
    /// A menu section none of whose children is visible.
    EmptySection,
    /// No grant covers the key.
    NoGrant,
    /// No route pattern matches the path.
    NoRoute,
    /// The menu item is not in the policy.
    UnknownItem,
    /// The resource type is not in the policy.
    UnknownResource,
    /// The key is not in the policy's catalogue (a typo), whatever wildcard grant would match it.
    UnknownKey,
    /// Client isolation: the record belongs to a client that is not one of the user's.
    ClientMismatch,
    /// Client isolation: the record does not say which client it belongs to.
    ClientMissing,
    /// The route is denied and so is the page its redirect leads to (the home or a path): the
    /// user is logged out instead of being sent round a loop.
    RedirectDenied,
}

impl Reason {
    /// Every reason, in the documented order.
    ///
    /// ```
    /// assert!(rolegate::Reason::ALL.iter().any(|r| r.code() == "out_of_scope"));
    /// ```
    pub const ALL: &'static [Reason] = &[
        Reason::NoSnapshot,
        Reason::Expired,
        Reason::Inactive,
        Reason::PlatformDenied,
        Reason::TenantMismatch,
        Reason::TenantMissing,
        Reason::ClientMismatch,
        Reason::ClientMissing,
        Reason::UnknownKey,
        Reason::FeatureDisabled,
        Reason::ExplicitDeny,
        Reason::Granted,
        Reason::Public,
        Reason::InScope,
        Reason::OutOfScope,
        Reason::SettingOff,
        Reason::SettingForced,
        Reason::SettingNotApplicable,
        Reason::EmptySection,
        Reason::NoGrant,
        Reason::NoRoute,
        Reason::UnknownItem,
        Reason::UnknownResource,
        Reason::RedirectDenied,
    ];

    /// The stable machine-readable code.
    ///
    /// ```
    /// assert_eq!(rolegate::Reason::ExplicitDeny.code(), "explicit_deny");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            Reason::Granted => "granted",
            Reason::NoSnapshot => "no_snapshot",
            Reason::Expired => "expired",
            Reason::Inactive => "inactive",
            Reason::PlatformDenied => "platform_denied",
            Reason::TenantMismatch => "tenant_mismatch",
            Reason::TenantMissing => "tenant_missing",
            Reason::FeatureDisabled => "feature_disabled",
            Reason::ExplicitDeny => "explicit_deny",
            Reason::Public => "public",
            Reason::InScope => "in_scope",
            Reason::OutOfScope => "out_of_scope",
            Reason::SettingOff => "setting_off",
            Reason::SettingForced => "setting_forced",
            Reason::SettingNotApplicable => "setting_not_applicable",
            Reason::EmptySection => "empty_section",
            Reason::NoGrant => "no_grant",
            Reason::NoRoute => "no_route",
            Reason::UnknownItem => "unknown_item",
            Reason::UnknownResource => "unknown_resource",
            Reason::UnknownKey => "unknown_key",
            Reason::ClientMismatch => "client_mismatch",
            Reason::ClientMissing => "client_missing",
            Reason::RedirectDenied => "redirect_denied",
        }
    }

    /// The step of the evaluation order that gives this reason.
    ///
    /// ```
    /// assert_eq!(rolegate::Reason::TenantMismatch.step(), "tenant");
    /// ```
    pub fn step(self) -> &'static str {
        match self {
            Reason::NoSnapshot | Reason::Expired => "envelope",
            Reason::Inactive => "active",
            Reason::PlatformDenied => "platform",
            Reason::TenantMismatch | Reason::TenantMissing => "tenant",
            Reason::ClientMismatch | Reason::ClientMissing => "client",
            Reason::UnknownKey => "catalogue",
            Reason::FeatureDisabled => "feature",
            Reason::ExplicitDeny => "deny",
            Reason::Granted | Reason::Public => "grant",
            Reason::InScope | Reason::OutOfScope => "scope",
            Reason::SettingOff | Reason::SettingForced | Reason::SettingNotApplicable => "field",
            Reason::EmptySection => "menu",
            Reason::NoGrant | Reason::NoRoute | Reason::UnknownItem | Reason::UnknownResource => "default",
            Reason::RedirectDenied => "redirect",
        }
    }

    /// A one-line human explanation.
    ///
    /// ```
    /// assert_eq!(rolegate::Reason::Inactive.message(), "the user's account is not active");
    /// ```
    pub fn message(self) -> &'static str {
        match self {
            Reason::Granted => "a grant of the user's roles covers this",
            Reason::NoSnapshot => "no valid permission snapshot is loaded",
            Reason::Expired => "the permission snapshot has expired",
            Reason::Inactive => "the user's account is not active",
            Reason::PlatformDenied => "the user may not use this platform",
            Reason::TenantMismatch => "the record belongs to another organisation",
            Reason::TenantMissing => "the record does not name its organisation",
            Reason::FeatureDisabled => "this belongs to a feature that is off for the user",
            Reason::ExplicitDeny => "a deny rule covers this, and deny beats any allow",
            Reason::Public => "this needs no permission",
            Reason::InScope => "a grant covers this record",
            Reason::OutOfScope => "the user's grant does not reach this record",
            Reason::SettingOff => "a user setting this needs is off",
            Reason::SettingForced => "a role of the user forces off a setting this needs",
            Reason::SettingNotApplicable => "a setting this needs does not apply to the user's roles",
            Reason::EmptySection => "no item of this section is visible",
            Reason::NoGrant => "none of the user's roles grants this",
            Reason::NoRoute => "no route of the policy matches this path",
            Reason::UnknownItem => "the menu item is not in the policy",
            Reason::UnknownResource => "the resource type is not in the policy",
            Reason::UnknownKey => "the key is not in the policy's catalogue",
            Reason::ClientMismatch => "the record belongs to another client",
            Reason::ClientMissing => "the record does not name its client",
            Reason::RedirectDenied => "the page it redirects to is denied too",
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
    /// The rule (grant or deny pattern, route pattern, feature, setting) that decided, if any.
    pub rule: Option<String>,
}

impl Decision {
    /// A deny for `reason`, with no rule.
    ///
    /// ```
    /// assert!(!rolegate::Decision::deny(rolegate::Reason::Expired).allow);
    /// ```
    pub fn deny(reason: Reason) -> Decision {
        Decision { allow: false, reason, rule: None }
    }

    /// A decision whose allow follows from `reason`, naming `rule`.
    ///
    /// ```
    /// use rolegate::{Decision, Reason};
    /// let d = Decision::new(Reason::Granted, Some("page.*"));
    /// assert!(d.allow);
    /// ```
    pub fn new(reason: Reason, rule: Option<&str>) -> Decision {
        Decision { allow: reason.allows(), reason, rule: rule.map(str::to_owned) }
    }
}

impl Reason {
    /// Whether this reason answers yes.
    ///
    /// ```
    /// assert!(rolegate::Reason::InScope.allows());
    /// assert!(!rolegate::Reason::OutOfScope.allows());
    /// ```
    pub fn allows(self) -> bool {
        matches!(self, Reason::Granted | Reason::Public | Reason::InScope)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for r in Reason::ALL {
            assert!(seen.insert(r.code()), "{r:?}");
            assert!(r.code().bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
            assert!(!r.message().ends_with('.'));
        }
    }
}
