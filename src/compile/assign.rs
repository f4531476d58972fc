//! The assignment ceiling and locked roles: who may assign, edit or delete which role.

use super::Compiler;
use crate::eval::Reason;
use crate::policy::User;

/// Why [`Compiler::may`] allowed or refused: a stable code, the step that decided and a message, as
/// a gate's [`Reason`] has (docs/errors.md). These are the issuer's own; a gate never answers them.
///
/// ```
/// use rolegate::compile::AssignReason;
/// assert_eq!(AssignReason::AboveLevel.code(), "above_level");
/// assert_eq!(AssignReason::AboveLevel.step(), "assignment");
/// assert!(AssignReason::Assignable.allows() && !AssignReason::LockedRole.allows());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AssignReason {
    /// The role may be assigned, edited or deleted by this user.
    Assignable,
    /// The role is not in the policy.
    UnknownRole,
    /// The acting user's account is not active.
    Inactive,
    /// The role is above the user's own level.
    AboveLevel,
    /// The role is locked and only designated roles may delete it.
    LockedRole,
}

impl AssignReason {
    /// Every reason, in the order `may` tries them.
    ///
    /// ```
    /// assert_eq!(rolegate::compile::AssignReason::ALL.len(), 5);
    /// ```
    pub const ALL: &'static [AssignReason] = &[
        AssignReason::UnknownRole,
        AssignReason::Inactive,
        AssignReason::AboveLevel,
        AssignReason::LockedRole,
        AssignReason::Assignable,
    ];

    /// The stable machine-readable code.
    ///
    /// ```
    /// assert_eq!(rolegate::compile::AssignReason::LockedRole.code(), "locked_role");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            AssignReason::Assignable => "assignable",
            AssignReason::UnknownRole => "unknown_role",
            AssignReason::Inactive => Reason::Inactive.code(),
            AssignReason::AboveLevel => "above_level",
            AssignReason::LockedRole => "locked_role",
        }
    }

    /// The step that decided: `default` for an unknown role, `active` for an inactive user (as a
    /// gate names them), `assignment` for the rest.
    ///
    /// ```
    /// assert_eq!(rolegate::compile::AssignReason::Inactive.step(), "active");
    /// ```
    pub fn step(self) -> &'static str {
        match self {
            AssignReason::UnknownRole => "default",
            AssignReason::Inactive => Reason::Inactive.step(),
            AssignReason::Assignable | AssignReason::AboveLevel | AssignReason::LockedRole => "assignment",
        }
    }

    /// A one-line human explanation.
    ///
    /// ```
    /// assert_eq!(rolegate::compile::AssignReason::UnknownRole.message(), "the role is not in the policy");
    /// ```
    pub fn message(self) -> &'static str {
        match self {
            AssignReason::Assignable => "the role is at or below the user's level",
            AssignReason::UnknownRole => "the role is not in the policy",
            AssignReason::Inactive => Reason::Inactive.message(),
            AssignReason::AboveLevel => "the role is above the user's own level",
            AssignReason::LockedRole => "the role is locked and only designated roles may delete it",
        }
    }

    /// Whether this reason answers yes.
    ///
    /// ```
    /// assert!(!rolegate::compile::AssignReason::Inactive.allows());
    /// ```
    pub fn allows(self) -> bool {
        self == AssignReason::Assignable
    }
}

/// [`Compiler::may`]'s answer: whether, why, and the role it is about.
///
/// ```
/// use rolegate::compile::{AssignReason, Assignment};
/// let a = Assignment::new(AssignReason::AboveLevel, "sysops");
/// assert!(!a.allow);
/// assert_eq!((a.reason.code(), a.rule.as_deref()), ("above_level", Some("sysops")));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// Whether the actor may do it.
    pub allow: bool,
    /// Why.
    pub reason: AssignReason,
    /// The role whose level or lock decided, if one did.
    pub rule: Option<String>,
}

impl Assignment {
    /// The answer for `reason` about `role`, named in `rule` when the role's own level or lock
    /// decided (not for a role the policy lacks, nor for an inactive actor).
    ///
    /// ```
    /// use rolegate::compile::{AssignReason, Assignment};
    /// assert_eq!(Assignment::new(AssignReason::UnknownRole, "x").rule, None);
    /// assert_eq!(Assignment::new(AssignReason::Inactive, "x").rule, None);
    /// ```
    pub fn new(reason: AssignReason, role: &str) -> Assignment {
        let by_role = !matches!(reason, AssignReason::UnknownRole | AssignReason::Inactive);
        let rule = by_role.then(|| role.to_owned());
        Assignment { allow: reason.allows(), reason, rule }
    }
}

/// What a user wants to do with a role.
///
/// ```
/// assert_ne!(rolegate::compile::RoleAction::Assign, rolegate::compile::RoleAction::Delete);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleAction {
    /// Give the role to a user.
    Assign,
    /// Change the role's permissions.
    Edit,
    /// Delete the role.
    Delete,
}

impl Compiler {
    /// May `actor` assign, edit or delete `role`? With levels, only roles at or below the actor's
    /// most powerful level (`above_level` otherwise); a locked role may be deleted only by holders
    /// of the policy's `locked_deleters` roles (`locked_role`). Without levels there is no ceiling;
    /// whether the actor may manage roles at all is a key check of the application.
    ///
    /// ```
    /// use rolegate::{compile::{Compiler, RoleAction}, policy::User};
    /// let c = Compiler::from_json(r#"{"product": "x", "keys": [], "levels": {"min": 10, "max": 50},
    ///     "locked_deleters": ["sysops"],
    ///     "roles": {"sysops": {"level": 10}, "director": {"level": 20, "locked": true}, "finance": {"level": 30, "locked": true}}}"#).unwrap();
    /// let director = User::from_json(r#"{"id": "d", "roles": ["director"]}"#).unwrap();
    /// assert!(c.may(&director, RoleAction::Assign, "finance").allow);
    /// assert_eq!(c.may(&director, RoleAction::Assign, "sysops").reason.code(), "above_level");
    /// assert_eq!(c.may(&director, RoleAction::Delete, "finance").reason.code(), "locked_role");
    /// ```
    pub fn may(&self, actor: &User, action: RoleAction, role: &str) -> Assignment {
        let Some(target) = self.policy.roles.get(role) else {
            return Assignment::new(AssignReason::UnknownRole, role);
        };
        if !actor.active {
            return Assignment::new(AssignReason::Inactive, role);
        }
        if let Some(levels) = self.policy.levels {
            let own = actor
                .roles
                .iter()
                .filter_map(|r| self.policy.roles.get(r).and_then(|r| r.level))
                .reduce(|a, b| if levels.stronger(a, b) { a } else { b });
            let within = match (own, target.level) {
                (Some(own), Some(level)) => !levels.stronger(level, own),
                _ => false,
            };
            if !within {
                return Assignment::new(AssignReason::AboveLevel, role);
            }
        }
        if action == RoleAction::Delete && target.locked {
            let designated = actor.roles.iter().any(|r| self.policy.locked_deleters.contains(r));
            if !designated {
                return Assignment::new(AssignReason::LockedRole, role);
            }
        }
        Assignment::new(AssignReason::Assignable, role)
    }
}
