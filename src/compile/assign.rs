//! Who may assign, edit, create or delete which role: the `admin` section, the level ceiling, "no
//! more access than you have", locked roles, and the target user's family, exclusive sets and features.

use std::collections::{BTreeMap, BTreeSet};

use super::{validate, with_custom_roles, Compiler};
use crate::error::{Error, Issue};
use crate::eval::Reason;
use crate::policy::{covers, effective_of, lint, Effective, Policy, Role, User};
use crate::scope::Scope;

/// Why [`Compiler::may`] (and its siblings for targets, drafts and settings) allowed or refused:
/// a stable code, the step that decided and a message, as a gate's [`Reason`] has
/// (docs/errors.md). These are the issuer's own; a gate never answers them.
///
/// ```
/// use rolegate::compile::AssignReason;
/// assert_eq!(AssignReason::AboveLevel.code(), "above_level");
/// assert_eq!(AssignReason::AboveLevel.step(), "assignment");
/// assert!(AssignReason::Assignable.allows() && AssignReason::Settable.allows() && !AssignReason::LockedRole.allows());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AssignReason {
    /// The role may be assigned, edited, created or deleted by this user.
    Assignable,
    /// The setting may be changed to this value by this user.
    Settable,
    /// The role is not in the policy.
    UnknownRole,
    /// The acting user's account is not active.
    Inactive,
    /// The target user belongs to another tenant than the acting user.
    TenantMismatch,
    /// The policy's `admin` section names nobody who may do this.
    NoAuthority,
    /// The acting user lacks the key or role the policy's `admin` section requires (for a key
    /// scoped to teams or areas: the target user is outside them).
    NotAuthorised,
    /// The role is above the user's own level.
    AboveLevel,
    /// The role grants a key the acting user does not hold, or holds for fewer records: nobody may
    /// give more access than they have.
    ExceedsOwnAccess,
    /// The role is of another family (principal type) than the target user.
    WrongFamily,
    /// An exclusive set forbids the role beside the target user's other roles.
    ExclusiveRoles,
    /// The role needs a feature (subscription) the target user's tenant has not enabled.
    MissingFeature,
    /// The role is locked and only designated roles may delete it.
    LockedRole,
    /// The value does not have the setting's type (the JSON type of its default).
    WrongType,
    /// A role of the target user forces the setting to another value.
    SettingForced,
    /// The setting does not apply to the target user's roles.
    SettingNotApplicable,
}

impl AssignReason {
    /// Every reason, in the order the checks are tried.
    ///
    /// ```
    /// assert_eq!(rolegate::compile::AssignReason::ALL.len(), 16);
    /// ```
    pub const ALL: &'static [AssignReason] = &[
        AssignReason::UnknownRole,
        AssignReason::Inactive,
        AssignReason::TenantMismatch,
        AssignReason::NoAuthority,
        AssignReason::NotAuthorised,
        AssignReason::AboveLevel,
        AssignReason::ExceedsOwnAccess,
        AssignReason::WrongFamily,
        AssignReason::ExclusiveRoles,
        AssignReason::MissingFeature,
        AssignReason::LockedRole,
        AssignReason::WrongType,
        AssignReason::SettingForced,
        AssignReason::SettingNotApplicable,
        AssignReason::Assignable,
        AssignReason::Settable,
    ];

    /// The stable machine-readable code.
    ///
    /// ```
    /// assert_eq!(rolegate::compile::AssignReason::LockedRole.code(), "locked_role");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            AssignReason::Assignable => "assignable",
            AssignReason::Settable => "settable",
            AssignReason::UnknownRole => "unknown_role",
            AssignReason::Inactive => Reason::Inactive.code(),
            AssignReason::TenantMismatch => Reason::TenantMismatch.code(),
            AssignReason::NoAuthority => "no_authority",
            AssignReason::NotAuthorised => "not_authorised",
            AssignReason::AboveLevel => "above_level",
            AssignReason::ExceedsOwnAccess => "exceeds_own_access",
            AssignReason::WrongFamily => "wrong_family",
            AssignReason::ExclusiveRoles => "exclusive_roles",
            AssignReason::MissingFeature => "missing_feature",
            AssignReason::LockedRole => "locked_role",
            AssignReason::WrongType => "wrong_type",
            AssignReason::SettingForced => Reason::SettingForced.code(),
            AssignReason::SettingNotApplicable => Reason::SettingNotApplicable.code(),
        }
    }

    /// The step that decided: `default` for an unknown role, `active` and `tenant` as a gate names
    /// them, `administration` for the `admin` section, `setting` for a setting's value, `assignment`
    /// for the rest.
    ///
    /// ```
    /// use rolegate::compile::AssignReason;
    /// assert_eq!(AssignReason::Inactive.step(), "active");
    /// assert_eq!(AssignReason::NotAuthorised.step(), "administration");
    /// ```
    pub fn step(self) -> &'static str {
        match self {
            AssignReason::UnknownRole => "default",
            AssignReason::Inactive => Reason::Inactive.step(),
            AssignReason::TenantMismatch => Reason::TenantMismatch.step(),
            AssignReason::NoAuthority | AssignReason::NotAuthorised => "administration",
            AssignReason::Settable
            | AssignReason::WrongType
            | AssignReason::SettingForced
            | AssignReason::SettingNotApplicable => "setting",
            AssignReason::Assignable
            | AssignReason::AboveLevel
            | AssignReason::ExceedsOwnAccess
            | AssignReason::WrongFamily
            | AssignReason::ExclusiveRoles
            | AssignReason::MissingFeature
            | AssignReason::LockedRole => "assignment",
        }
    }

    /// A one-line human explanation.
    ///
    /// ```
    /// assert_eq!(rolegate::compile::AssignReason::UnknownRole.message(), "the role is not in the policy");
    /// ```
    pub fn message(self) -> &'static str {
        match self {
            AssignReason::Assignable => "the user may do this with the role",
            AssignReason::Settable => "the user may change the setting to this value",
            AssignReason::UnknownRole => "the role is not in the policy",
            AssignReason::Inactive => Reason::Inactive.message(),
            AssignReason::TenantMismatch => "the target user belongs to another organisation",
            AssignReason::NoAuthority => "the policy names nobody who may do this",
            AssignReason::NotAuthorised => "the user lacks the key or role the policy requires for this",
            AssignReason::AboveLevel => "the role is above the user's own level",
            AssignReason::ExceedsOwnAccess => "the role grants a key the user does not hold themselves",
            AssignReason::WrongFamily => "the role is for another family of users than the target user's",
            AssignReason::ExclusiveRoles => "the role cannot be combined with the target user's roles",
            AssignReason::MissingFeature => {
                "the role needs a feature the target user's tenant has not enabled"
            }
            AssignReason::LockedRole => "the role is locked and only designated roles may delete it",
            AssignReason::WrongType => "the value does not have the setting's type",
            AssignReason::SettingForced => "a role of the target user forces this setting",
            AssignReason::SettingNotApplicable => "the setting does not apply to the target user's roles",
        }
    }

    /// Whether this reason answers yes.
    ///
    /// ```
    /// assert!(!rolegate::compile::AssignReason::Inactive.allows());
    /// ```
    pub fn allows(self) -> bool {
        matches!(self, AssignReason::Assignable | AssignReason::Settable)
    }
}

/// [`Compiler::may`]'s answer: whether, why, and the role, key or setting it is about.
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
    /// What decided, if one thing did: the role (its level, lock, family, exclusive set or feature);
    /// for `exceeds_own_access`, the first key the role grants beyond the actor's own access; for
    /// `not_authorised`, the key (or the roles, joined by `|`) the policy requires; for a setting,
    /// its name, or for `setting_forced` the role that forces it.
    pub rule: Option<String>,
}

impl Assignment {
    /// The answer for `reason` about `role`, named in `rule` when the role itself decided (not for
    /// a role the policy lacks, an inactive actor, a target of another tenant, nor an action the
    /// policy names nobody for).
    ///
    /// ```
    /// use rolegate::compile::{AssignReason, Assignment};
    /// assert_eq!(Assignment::new(AssignReason::UnknownRole, "x").rule, None);
    /// assert_eq!(Assignment::new(AssignReason::Inactive, "x").rule, None);
    /// ```
    pub fn new(reason: AssignReason, role: &str) -> Assignment {
        let by_role = !matches!(
            reason,
            AssignReason::UnknownRole
                | AssignReason::Inactive
                | AssignReason::TenantMismatch
                | AssignReason::NoAuthority
        );
        Assignment::naming(reason, by_role.then(|| role.to_owned()))
    }

    /// The answer for `reason`, naming `rule`.
    ///
    /// ```
    /// use rolegate::compile::{AssignReason, Assignment};
    /// let a = Assignment::naming(AssignReason::NotAuthorised, Some("admin.users.manage".into()));
    /// assert_eq!((a.allow, a.rule.as_deref()), (false, Some("admin.users.manage")));
    /// ```
    pub fn naming(reason: AssignReason, rule: Option<String>) -> Assignment {
        Assignment { allow: reason.allows(), reason, rule }
    }

    /// The refusal `exceeds_own_access`, naming `key`, the first key beyond the actor's own access.
    ///
    /// ```
    /// let a = rolegate::compile::Assignment::exceeding("api.sysops.sync".into());
    /// assert_eq!((a.allow, a.reason.code(), a.rule.as_deref()), (false, "exceeds_own_access", Some("api.sysops.sync")));
    /// ```
    pub fn exceeding(key: String) -> Assignment {
        Assignment::naming(AssignReason::ExceedsOwnAccess, Some(key))
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
    /// May `actor` assign, edit or delete `role` (no particular user or draft in view)? In order:
    /// the actor is active; the policy's `admin` section names who may assign roles (`assign`) or
    /// change them (`roles`), and the actor is one of them (`no_authority`, `not_authorised`); with
    /// levels, the role is at or below the actor's most powerful level (`above_level`); to assign or
    /// edit, the role grants no key the actor does not hold themselves, nor a key for more records
    /// than the actor's grant reaches (`exceeds_own_access`, naming the first such key of the
    /// policy's catalogue); a locked role may be deleted only by holders of the policy's
    /// `locked_deleters` roles (`locked_role`). [`Compiler::may_assign`] also checks the user who
    /// would get the role, [`Compiler::may_edit`] a new definition of the role.
    ///
    /// ```
    /// use rolegate::{compile::{Compiler, RoleAction}, policy::User};
    /// let c = Compiler::from_json(r#"{"product": "x", "keys": ["a.view", "a.edit", "b.view", "users.manage"], "levels": {"min": 10, "max": 50},
    ///     "locked_deleters": ["sysops"], "admin": {"assign": "users.manage", "roles": "users.manage"},
    ///     "roles": {"sysops": {"level": 10, "allow": ["*"]}, "director": {"level": 20, "locked": true, "allow": ["a.*", "users.manage"]},
    ///               "finance": {"level": 30, "locked": true, "allow": ["a.view"]}, "custom": {"level": 40, "allow": ["b.view"]}}}"#).unwrap();
    /// let director = User::from_json(r#"{"id": "d", "roles": ["director"]}"#).unwrap();
    /// assert!(c.may(&director, RoleAction::Assign, "finance").allow);
    /// assert_eq!(c.may(&director, RoleAction::Assign, "sysops").reason.code(), "above_level");
    /// assert_eq!(c.may(&director, RoleAction::Delete, "finance").reason.code(), "locked_role");
    /// let beyond = c.may(&director, RoleAction::Assign, "custom");
    /// assert_eq!((beyond.reason.code(), beyond.rule.as_deref()), ("exceeds_own_access", Some("b.view")));
    /// let finance = User::from_json(r#"{"id": "f", "roles": ["finance"]}"#).unwrap();
    /// let no = c.may(&finance, RoleAction::Assign, "finance");
    /// assert_eq!((no.reason.code(), no.rule.as_deref()), ("not_authorised", Some("users.manage")));
    /// ```
    pub fn may(&self, actor: &User, action: RoleAction, role: &str) -> Assignment {
        let Some(target) = self.policy.roles.get(role) else {
            return Assignment::new(AssignReason::UnknownRole, role);
        };
        if !actor.active {
            return Assignment::new(AssignReason::Inactive, role);
        }
        let authority = match action {
            RoleAction::Assign => self.admin(|a| a.assign.as_ref()),
            RoleAction::Edit | RoleAction::Delete => self.admin(|a| a.roles.as_ref()),
        };
        if let Some(refused) = self.authorise(actor, authority, None) {
            return refused;
        }
        if !self.within_level(actor, target.level) {
            return Assignment::new(AssignReason::AboveLevel, role);
        }
        if action != RoleAction::Delete && self.ceiling(actor, target) {
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

    /// May `actor` give `role` to the user `target`? As [`Compiler::may`] for `assign`, and also:
    /// `target` is of the actor's tenant (`tenant_mismatch`, checked first); the actor's `admin`
    /// key reaches `target` as a gate's check reaches a record (a team-scoped grant: only users of
    /// the actor's teams), the user record read through the policy's resource for that key, if
    /// any; and `target`, holding the role beside their others, stays valid: the role is of their
    /// family (`wrong_family`), no exclusive set forbids it (`exclusive_roles`) and their tenant has
    /// the role's feature (`missing_feature`). An invalid `actor` or `target` record is an error.
    ///
    /// ```
    /// use rolegate::{compile::Compiler, policy::User};
    /// let c = Compiler::from_json(r#"{"product": "x", "keys": ["users.manage", "ops.view"], "families": ["staff", "client"],
    ///     "admin": {"assign": "users.manage"}, "resources": {"user": {"keys": "users", "team": "teams"}},
    ///     "exclusive": [{"roles": ["team_admin"], "alone": true}],
    ///     "roles": {"admin": {"family": "staff", "allow": ["users.manage", "ops.view"]},
    ///               "team_admin": {"family": "staff", "allow": [{"key": "users.manage", "scope": ["team"]}, "ops.view"]},
    ///               "worker": {"family": "staff", "allow": ["ops.view"]}, "client": {"family": "client"}}}"#).unwrap();
    /// let user = |json| User::from_json(json).unwrap();
    /// let lead = user(r#"{"id": "l", "type": "staff", "roles": ["team_admin"], "teams": ["t1"], "tenant": "o1"}"#);
    /// let mate = user(r#"{"id": "m", "type": "staff", "roles": ["worker"], "teams": ["t1"], "tenant": "o1"}"#);
    /// let other = user(r#"{"id": "o", "type": "staff", "roles": ["worker"], "teams": ["t2"], "tenant": "o1"}"#);
    /// assert!(c.may_assign(&lead, "worker", &mate).unwrap().allow);
    /// assert_eq!(c.may_assign(&lead, "worker", &other).unwrap().reason.code(), "not_authorised");
    /// assert_eq!(c.may_assign(&lead, "client", &mate).unwrap().reason.code(), "wrong_family");
    /// let boss = user(r#"{"id": "b", "type": "staff", "roles": ["admin"], "tenant": "o1"}"#);
    /// assert_eq!(c.may_assign(&boss, "team_admin", &mate).unwrap().reason.code(), "exclusive_roles");
    /// let foreign = user(r#"{"id": "f", "type": "staff", "roles": ["worker"], "tenant": "o2"}"#);
    /// assert_eq!(c.may_assign(&boss, "worker", &foreign).unwrap().reason.code(), "tenant_mismatch");
    /// ```
    pub fn may_assign(&self, actor: &User, role: &str, target: &User) -> Result<Assignment, Error> {
        validate::user(&self.policy, actor)?;
        let Some(given) = self.policy.roles.get(role) else {
            return Ok(Assignment::new(AssignReason::UnknownRole, role));
        };
        if !actor.active {
            return Ok(Assignment::new(AssignReason::Inactive, role));
        }
        if actor.tenant != target.tenant {
            return Ok(Assignment::new(AssignReason::TenantMismatch, role));
        }
        if let Some(refused) = self.authorise(actor, self.admin(|a| a.assign.as_ref()), Some(target)) {
            return Ok(refused);
        }
        if !self.within_level(actor, given.level) {
            return Ok(Assignment::new(AssignReason::AboveLevel, role));
        }
        let ceiling = self.ceiling(actor, given);
        let given: Vec<&Effective> = self.effective.get(role).into_iter().collect();
        if let Some(key) = beyond(&self.policy.keys, &self.own(actor), &given).filter(|_| ceiling) {
            return Ok(Assignment::exceeding(key));
        }
        let mut after = target.clone();
        if !after.roles.iter().any(|r| r == role) {
            after.roles.push(role.to_owned());
        }
        match validate::user(&self.policy, &after) {
            Ok(()) => Ok(Assignment::new(AssignReason::Assignable, role)),
            Err(Error::User(p)) => match p.issue {
                Issue::WrongFamily => Ok(Assignment::new(AssignReason::WrongFamily, role)),
                Issue::ExclusiveRoles => Ok(Assignment::new(AssignReason::ExclusiveRoles, role)),
                Issue::MissingFeature => Ok(Assignment::new(AssignReason::MissingFeature, role)),
                _ => Err(Error::User(p)),
            },
            Err(e) => Err(e),
        }
    }

    /// May `actor` change role `role` into `draft` (the role's new definition, in the policy's role
    /// format)? As [`Compiler::may`] for `edit`: the role's present level and the draft's are both at
    /// or below the actor's (`above_level`), and the role as the draft would make it grants nothing
    /// beyond the actor's own access (`exceeds_own_access`): adding a key the actor lacks is refused.
    /// A draft that does not lint in the policy is an error, located at `/roles/<id>/…`.
    ///
    /// ```
    /// use rolegate::{compile::Compiler, policy::{Role, User}};
    /// let c = Compiler::from_json(r#"{"product": "x", "keys": ["a.view", "ops.run", "roles.manage"], "levels": {"min": 10, "max": 50},
    ///     "admin": {"roles": "roles.manage"},
    ///     "roles": {"sysops": {"level": 10, "allow": ["*"]}, "director": {"level": 20, "allow": ["a.view", "roles.manage"]},
    ///               "clerk": {"level": 40, "allow": ["a.view"]}}}"#).unwrap();
    /// let director = User::from_json(r#"{"id": "d", "roles": ["director"]}"#).unwrap();
    /// let draft = |json: &str| -> Role { serde_json::from_str(json).unwrap() };
    /// assert!(c.may_edit(&director, "clerk", &draft(r#"{"level": 40, "allow": []}"#)).unwrap().allow);
    /// let more = c.may_edit(&director, "clerk", &draft(r#"{"level": 40, "allow": ["a.view", "ops.run"]}"#)).unwrap();
    /// assert_eq!((more.reason.code(), more.rule.as_deref()), ("exceeds_own_access", Some("ops.run")));
    /// assert_eq!(c.may_edit(&director, "clerk", &draft(r#"{"level": 15}"#)).unwrap().reason.code(), "above_level");
    /// ```
    pub fn may_edit(&self, actor: &User, role: &str, draft: &Role) -> Result<Assignment, Error> {
        validate::user(&self.policy, actor)?;
        let Some(present) = self.policy.roles.get(role) else {
            return Ok(Assignment::new(AssignReason::UnknownRole, role));
        };
        let mut merged = self.policy.clone();
        merged.roles.insert(role.to_owned(), draft.clone());
        lint::check(&merged)?;
        Ok(self.judge_draft(actor, role, &merged, draft, &[present.level, draft.level]))
    }

    /// May `actor` create the custom role `id` defined as `draft` (a tenant's custom role, in the
    /// policy's role format)? Whoever the policy's `admin` section lets change roles (`roles`), at
    /// or below the actor's level, and no key beyond the actor's own access (`exceeds_own_access`,
    /// naming the key). A draft that cannot be added (the policy allows no custom roles, the id is a
    /// policy role's) or does not lint is an error, located at `/roles/<id>/…`.
    ///
    /// ```
    /// use rolegate::{compile::Compiler, policy::{Role, User}};
    /// let c = Compiler::from_json(r#"{"product": "x", "keys": ["a.view", "ops.run"], "custom_roles": true, "admin": {"roles": "a.view"},
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
        Ok(self.judge_draft(actor, id, &merged, draft, &[draft.level]))
    }

    /// The answer on role `id` defined as `draft` in `merged` (the policy with the draft in it), for
    /// `may_edit` and `may_create`: the actor is active and may change roles, every one of `levels`
    /// is at or below the actor's, and the drafted role grants nothing beyond the actor's access.
    fn judge_draft(
        &self,
        actor: &User,
        id: &str,
        merged: &Policy,
        draft: &Role,
        levels: &[Option<i64>],
    ) -> Assignment {
        if !actor.active {
            return Assignment::new(AssignReason::Inactive, id);
        }
        if let Some(refused) = self.authorise(actor, self.admin(|a| a.roles.as_ref()), None) {
            return refused;
        }
        if !levels.iter().all(|&level| self.within_level(actor, level)) {
            return Assignment::new(AssignReason::AboveLevel, id);
        }
        let drafted = effective_of(merged, id);
        let ceiling = self.ceiling(actor, draft);
        if let Some(key) = beyond(&self.policy.keys, &self.own(actor), &[&drafted]).filter(|_| ceiling) {
            return Assignment::exceeding(key);
        }
        Assignment::new(AssignReason::Assignable, id)
    }

    /// Whether "no more access than you have" applies to `actor` giving `role`: always, but in a
    /// policy with families, where a role of another family than all of the actor's roles is given
    /// on the `admin` authority alone (a ReconPro administrator makes employees and client users,
    /// whose keys are for other applications and are not the administrator's own).
    fn ceiling(&self, actor: &User, role: &Role) -> bool {
        if self.policy.families.is_empty() {
            return true;
        }
        let family = |r: &Role| r.family.clone();
        let own = actor.roles.iter().filter_map(|r| self.policy.roles.get(r)).map(family);
        own.collect::<Vec<_>>().contains(&family(role))
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
