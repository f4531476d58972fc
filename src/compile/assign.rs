//! The assignment ceiling and locked roles: who may assign, edit or delete which role.

use super::Compiler;
use crate::eval::{Decision, Reason};
use crate::policy::User;

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
    pub fn may(&self, actor: &User, action: RoleAction, role: &str) -> Decision {
        let Some(target) = self.policy.roles.get(role) else { return Decision::deny(Reason::UnknownRole) };
        if !actor.active {
            return Decision::deny(Reason::Inactive);
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
                return Decision::new(Reason::AboveLevel, Some(role));
            }
        }
        if action == RoleAction::Delete && target.locked {
            let designated = actor.roles.iter().any(|r| self.policy.locked_deleters.contains(r));
            if !designated {
                return Decision::new(Reason::LockedRole, Some(role));
            }
        }
        Decision::new(Reason::Assignable, Some(role))
    }
}
