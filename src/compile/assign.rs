//! The assignment ceiling and locked roles: who may assign, edit or delete which role.

use std::collections::{BTreeMap, BTreeSet};

use super::{with_custom_roles, Compiler};
use crate::error::Error;
use crate::eval::Reason;
use crate::policy::{covers, effective_of, lint, Effective, Role, User};
use crate::scope::Scope;

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
    /// The role grants a key the acting user does not hold, or holds for fewer records: nobody may
    /// give more access than they have.
    ExceedsOwnAccess,
}

impl AssignReason {
    /// Every reason, in the order `may` tries them.
    ///
    /// ```
    /// assert_eq!(rolegate::compile::AssignReason::ALL.len(), 6);
    /// ```
    pub const ALL: &'static [AssignReason] = &[
        AssignReason::UnknownRole,
        AssignReason::Inactive,
        AssignReason::AboveLevel,
        AssignReason::ExceedsOwnAccess,
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
            AssignReason::ExceedsOwnAccess => "exceeds_own_access",
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
            AssignReason::Assignable
            | AssignReason::AboveLevel
            | AssignReason::LockedRole
            | AssignReason::ExceedsOwnAccess => "assignment",
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
            AssignReason::ExceedsOwnAccess => "the role grants a key the user does not hold themselves",
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
    /// The role whose level or lock decided, if one did; for `exceeds_own_access`, the first key
    /// the role grants beyond the actor's own access.
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

    /// The refusal `exceeds_own_access`, naming `key`, the first key beyond the actor's own access.
    ///
    /// ```
    /// let a = rolegate::compile::Assignment::exceeding("api.sysops.sync".into());
    /// assert_eq!((a.allow, a.reason.code(), a.rule.as_deref()), (false, "exceeds_own_access", Some("api.sysops.sync")));
    /// ```
    pub fn exceeding(key: String) -> Assignment {
        Assignment { allow: false, reason: AssignReason::ExceedsOwnAccess, rule: Some(key) }
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
    /// most powerful level (`above_level` otherwise). To assign or edit, the role may grant no key
    /// the actor does not hold themselves, nor a key for more records than the actor's grant
    /// reaches (`exceeds_own_access`, naming the first such key of the policy's catalogue). A
    /// locked role may be deleted only by holders of the policy's `locked_deleters` roles
    /// (`locked_role`). Whether the actor may manage roles at all is a key check of the application.
    ///
    /// ```
    /// use rolegate::{compile::{Compiler, RoleAction}, policy::User};
    /// let c = Compiler::from_json(r#"{"product": "x", "keys": ["a.view", "a.edit", "b.view"], "levels": {"min": 10, "max": 50},
    ///     "locked_deleters": ["sysops"],
    ///     "roles": {"sysops": {"level": 10, "allow": ["*"]}, "director": {"level": 20, "locked": true, "allow": ["a.*"]},
    ///               "finance": {"level": 30, "locked": true, "allow": ["a.view"]}, "custom": {"level": 40, "allow": ["b.view"]}}}"#).unwrap();
    /// let director = User::from_json(r#"{"id": "d", "roles": ["director"]}"#).unwrap();
    /// assert!(c.may(&director, RoleAction::Assign, "finance").allow);
    /// assert_eq!(c.may(&director, RoleAction::Assign, "sysops").reason.code(), "above_level");
    /// assert_eq!(c.may(&director, RoleAction::Delete, "finance").reason.code(), "locked_role");
    /// let beyond = c.may(&director, RoleAction::Assign, "custom");
    /// assert_eq!((beyond.reason.code(), beyond.rule.as_deref()), ("exceeds_own_access", Some("b.view")));
    /// ```
    pub fn may(&self, actor: &User, action: RoleAction, role: &str) -> Assignment {
        let Some(target) = self.policy.roles.get(role) else {
            return Assignment::new(AssignReason::UnknownRole, role);
        };
        if !actor.active {
            return Assignment::new(AssignReason::Inactive, role);
        }
        if !self.within_level(actor, target.level) {
            return Assignment::new(AssignReason::AboveLevel, role);
        }
        if action != RoleAction::Delete {
            let given: Vec<&Effective> = self.effective.get(role).into_iter().collect();
            if let Some(key) = beyond(&self.policy.keys, &self.own(actor), &given) {
                return Assignment::exceeding(key);
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

    /// May `actor` create the custom role `id` defined as `draft` (a tenant's custom role, in the
    /// policy's role format)? The same rules as assigning it: at or below the actor's level, and no
    /// key beyond the actor's own access (`exceeds_own_access`, naming the key). A draft that cannot
    /// be added (the policy allows no custom roles, the id is a policy role's) or does not lint is an
    /// error, located at `/roles/<id>/…`.
    ///
    /// ```
    /// use rolegate::{compile::Compiler, policy::{Role, User}};
    /// let c = Compiler::from_json(r#"{"product": "x", "keys": ["a.view", "ops.run"], "custom_roles": true,
    ///     "levels": {"min": 10, "max": 50}, "roles": {"finance": {"level": 30, "allow": ["a.view"]}}}"#).unwrap();
    /// let finance = User::from_json(r#"{"id": "f", "roles": ["finance"]}"#).unwrap();
    /// let draft = |json: &str| -> Role { serde_json::from_str(json).unwrap() };
    /// assert!(c.may_create(&finance, "clerk", &draft(r#"{"level": 35, "allow": ["a.view"]}"#)).unwrap().allow);
    /// let more = c.may_create(&finance, "ops", &draft(r#"{"level": 35, "allow": ["ops.run"]}"#)).unwrap();
    /// assert_eq!((more.reason.code(), more.rule.as_deref()), ("exceeds_own_access", Some("ops.run")));
    /// let high = c.may_create(&finance, "boss", &draft(r#"{"level": 20, "allow": []}"#)).unwrap();
    /// assert_eq!(high.reason.code(), "above_level");
    /// assert_eq!(c.may_create(&finance, "typo", &draft(r#"{"level": 35, "allow": ["a.veiw"]}"#)).unwrap_err().code(), "unknown_key");
    /// ```
    pub fn may_create(&self, actor: &User, id: &str, draft: &Role) -> Result<Assignment, Error> {
        let (merged, problems) =
            with_custom_roles(self.policy.clone(), BTreeMap::from([(id.to_owned(), draft.clone())]));
        if let Some(p) = problems.into_iter().next() {
            return Err(Error::Policy(p));
        }
        lint::check(&merged)?;
        if !actor.active {
            return Ok(Assignment::new(AssignReason::Inactive, id));
        }
        if !self.within_level(actor, draft.level) {
            return Ok(Assignment::new(AssignReason::AboveLevel, id));
        }
        let drafted = effective_of(&merged, id);
        if let Some(key) = beyond(&self.policy.keys, &self.own(actor), &[&drafted]) {
            return Ok(Assignment::exceeding(key));
        }
        Ok(Assignment::new(AssignReason::Assignable, id))
    }

    /// The effective grants of each of `actor`'s roles.
    fn own(&self, actor: &User) -> Vec<&Effective> {
        actor.roles.iter().filter_map(|r| self.effective.get(r)).collect()
    }

    /// Whether a role of `level` is at or below `actor`'s most powerful level; always, in a policy
    /// without levels.
    fn within_level(&self, actor: &User, level: Option<i64>) -> bool {
        let Some(levels) = self.policy.levels else { return true };
        let own = actor
            .roles
            .iter()
            .filter_map(|r| self.policy.roles.get(r).and_then(|r| r.level))
            .reduce(|a, b| if levels.stronger(a, b) { a } else { b });
        match (own, level) {
            (Some(own), Some(level)) => !levels.stronger(level, own),
            _ => false,
        }
    }
}

/// The first key `given` grants beyond `own`: one `own` does not grant, or grants for fewer records
/// (a scope `given` has that `own` lacks, where `own` is not unscoped). Checked over the policy's
/// catalogue `keys`, so a wildcard is caught at the first catalogue key it reaches beyond; in a
/// policy without a catalogue, over the patterns `given` grants.
fn beyond(keys: &[String], own: &[&Effective], given: &[&Effective]) -> Option<String> {
    let patterns: Vec<String>;
    let keys = if keys.is_empty() {
        patterns = given.iter().flat_map(|e| e.allow.keys().cloned()).collect();
        &patterns
    } else {
        keys
    };
    keys.iter()
        .find(|key| {
            let wanted = scopes(given, key, false);
            let held = scopes(own, key, true);
            !wanted.is_empty() && !held.contains(&Scope::All) && !wanted.is_subset(&held)
        })
        .cloned()
}

/// The scopes in which the roles `effective` grant `key` (`All` for an unscoped grant); empty when
/// none grants it or a deny covers it, or, with `partly`, a deny covers any part of it (a pattern
/// `key` of a policy without a catalogue: what the actor holds is read strictly).
fn scopes(effective: &[&Effective], key: &str, partly: bool) -> BTreeSet<Scope> {
    if effective.iter().any(|e| e.deny.iter().any(|d| covers(d, key) || (partly && covers(key, d)))) {
        return BTreeSet::new();
    }
    effective
        .iter()
        .flat_map(|e| e.allow.iter().filter(|(p, _)| covers(p, key)).flat_map(|(_, s)| s.iter().copied()))
        .collect()
}
