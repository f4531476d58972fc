//! The compiler (issuer side): a policy and a user record → the user's snapshot body.
//!
//! The body carries this user's effective grants and the rules that concern them, in the short
//! format of [`crate::eval::Body`], ready to be signed as the `rg` claim.
//!
//! ```
//! use rolegate::compile::Compiler;
//! use rolegate::policy::User;
//! let compiler = Compiler::from_json(r#"{"product": "demo", "keys": ["page.jobs.view", "page.admin.view"],
//!     "roles": {"engineer": {"allow": ["page.*"], "deny": ["page.admin.view"]}}}"#).unwrap();
//! let user = User::from_json(r#"{"id": "u1", "roles": ["engineer"]}"#).unwrap();
//! let body = compiler.body(&user).unwrap();
//! assert_eq!(body["k"], serde_json::json!(["page.*", "page.admin.view"]));
//! assert_eq!((&body["g"], &body["d"]), (&serde_json::json!([0]), &serde_json::json!([1])));
//! ```

mod admin;
mod assign;
mod build;
mod list;
mod validate;

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{Error, Issue, Problem};
use crate::policy::{effective, lint, Effective, Policy, Role, User};

pub use assign::{AssignReason, Assignment, RoleAction};
pub use list::Listing;

/// A linted policy (with any tenant custom roles) ready to compile users.
///
/// ```
/// let c = rolegate::compile::Compiler::from_json(include_str!("../../examples/policies/neptunecrm.json")).unwrap();
/// assert_eq!(c.policy().product, "neptunecrm");
/// ```
#[derive(Debug, Clone)]
pub struct Compiler {
    policy: Policy,
    effective: BTreeMap<String, Effective>,
}

impl Compiler {
    /// Lints `policy` with the tenant's `custom` roles added, and resolves every role once.
    ///
    /// ```
    /// use rolegate::compile::Compiler;
    /// use rolegate::policy::Policy;
    /// let p = Policy::from_json(r#"{"product": "x", "keys": ["a"], "roles": {"r": {"allow": ["b"]}}}"#).unwrap();
    /// assert_eq!(Compiler::new(p, Default::default()).unwrap_err().code(), "unknown_key");
    /// ```
    pub fn new(policy: Policy, custom: BTreeMap<String, Role>) -> Result<Compiler, Error> {
        let (policy, problems) = with_custom_roles(policy, custom);
        if let Some(p) = problems.into_iter().next() {
            return Err(Error::Policy(p));
        }
        lint::check(&policy)?;
        let effective = effective(&policy);
        Ok(Compiler { policy, effective })
    }

    /// Parses, lints and prepares a policy without custom roles.
    ///
    /// ```
    /// assert_eq!(rolegate::compile::Compiler::from_json("{}").unwrap_err().code(), "bad_policy");
    /// ```
    pub fn from_json(policy: &str) -> Result<Compiler, Error> {
        Compiler::new(Policy::from_json(policy)?, BTreeMap::new())
    }

    /// The policy, custom roles included.
    ///
    /// ```
    /// let c = rolegate::compile::Compiler::from_json(r#"{"product": "x", "keys": [], "roles": {}}"#).unwrap();
    /// assert_eq!(c.policy().product, "x");
    /// ```
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The snapshot body for `user`, or why the user is invalid (unknown role, wrong family, two
    /// exclusive roles, missing feature, bad settings).
    ///
    /// ```
    /// use rolegate::{compile::Compiler, policy::User};
    /// let c = Compiler::from_json(r#"{"product": "x", "keys": ["a"], "roles": {"engineer": {"allow": ["a"]}}}"#).unwrap();
    /// let e = c.body(&User::from_json(r#"{"id": "u", "roles": ["enginer"]}"#).unwrap()).unwrap_err();
    /// assert_eq!(e.to_string(), "unknown role `enginer`; did you mean `engineer`? (at `/roles/0`)");
    /// ```
    pub fn body(&self, user: &User) -> Result<Value, Error> {
        validate::user(&self.policy, user)?;
        Ok(build::body(&self.policy, &self.effective, user).to_value())
    }

    /// The effective value of setting `name` for `user`, as their snapshot carries it: forced by a
    /// role, else the user's value, a role default or the policy's default; `None` when the setting
    /// does not apply to the user's roles. For admin screens that list users by a setting (NeptuneCRM's
    /// consultant dropdown shows the users whose `canAssignCustomers` is on). An invalid user or a
    /// setting the policy does not have is an error.
    ///
    /// ```
    /// use rolegate::{compile::Compiler, policy::User};
    /// let c = Compiler::from_json(r#"{"product": "x", "keys": [], "settings": {"canViewCosts": {"default": true}},
    ///     "roles": {"coordinator": {"settings": {"canViewCosts": {"force": false}}}, "consultant": {}, "contractor": {"settings": {"canViewCosts": "not_applicable"}}}}"#).unwrap();
    /// let user = |json| User::from_json(json).unwrap();
    /// assert_eq!(c.setting(&user(r#"{"id": "a", "roles": ["consultant"]}"#), "canViewCosts").unwrap(), Some(serde_json::json!(true)));
    /// assert_eq!(c.setting(&user(r#"{"id": "b", "roles": ["coordinator"], "settings": {"canViewCosts": true}}"#), "canViewCosts").unwrap(), Some(serde_json::json!(false)));
    /// assert_eq!(c.setting(&user(r#"{"id": "c", "roles": ["contractor"]}"#), "canViewCosts").unwrap(), None);
    /// assert_eq!(c.setting(&user(r#"{"id": "a", "roles": ["consultant"]}"#), "canViewCost").unwrap_err().code(), "unknown_name");
    /// ```
    pub fn setting(&self, user: &User, name: &str) -> Result<Option<Value>, Error> {
        validate::user(&self.policy, user)?;
        match build::setting(&self.policy, user, name) {
            Some(build::Setting::Forced(v, _) | build::Setting::Value(v)) => Ok(Some(v.clone())),
            Some(build::Setting::NotApplicable) => Ok(None),
            None => {
                let msg = validate::unknown("setting", name, self.policy.settings.keys().map(String::as_str));
                Err(Error::User(Problem::new(Issue::UnknownName, "", msg)))
            }
        }
    }

    /// The platforms `user` may use, as their snapshot's platform step enforces it: their own (the
    /// policy's `platform_default` when their record names none; without one, none), within those
    /// their roles allow; `None` when the policy has no platforms. For screens that list users, e.g.
    /// the dev issuer's picker.
    ///
    /// ```
    /// use rolegate::{compile::Compiler, policy::User};
    /// let c = Compiler::from_json(r#"{"product": "x", "keys": [], "platforms": ["web", "mobile"],
    ///     "platform_default": ["web", "mobile"], "roles": {"office": {}, "field": {"platforms": ["mobile"]}}}"#).unwrap();
    /// let user = |json| User::from_json(json).unwrap();
    /// assert_eq!(c.platforms(&user(r#"{"id": "u", "roles": ["field"]}"#)).unwrap(), ["mobile"]);
    /// assert_eq!(c.platforms(&user(r#"{"id": "u", "roles": ["office"], "platforms": ["web"]}"#)).unwrap(), ["web"]);
    /// assert_eq!(c.platforms(&user(r#"{"id": "u", "roles": ["office"]}"#)).unwrap(), ["web", "mobile"]);
    /// // Without a `platform_default`, a record that names no platforms gets none (fail closed).
    /// let strict = Compiler::from_json(r#"{"product": "x", "keys": [], "platforms": ["web"], "roles": {"office": {}}}"#).unwrap();
    /// assert_eq!(strict.platforms(&user(r#"{"id": "u", "roles": ["office"]}"#)).unwrap(), Vec::<String>::new());
    /// ```
    pub fn platforms(&self, user: &User) -> Option<Vec<String>> {
        build::platforms(&self.policy, user)
    }

    /// As [`Compiler::body`], and every role of `user` must be one `assigner` may give them
    /// ([`Compiler::may_assign`]); a refusal is an error with the refusal's code, at `/roles/<i>`.
    ///
    /// ```
    /// use rolegate::{compile::Compiler, policy::User};
    /// let c = Compiler::from_json(r#"{"product": "x", "keys": ["users.manage"], "levels": {"min": 10, "max": 50},
    ///     "admin": {"assign": "users.manage"},
    ///     "roles": {"sysops": {"level": 10, "allow": ["*"]}, "minimal": {"level": 50, "allow": ["users.manage"]}}}"#).unwrap();
    /// let boss = User::from_json(r#"{"id": "b", "roles": ["minimal"]}"#).unwrap();
    /// let user = User::from_json(r#"{"id": "u", "roles": ["sysops"]}"#).unwrap();
    /// assert_eq!(c.body_assigned_by(&user, &boss).unwrap_err().code(), "above_level");
    /// ```
    pub fn body_assigned_by(&self, user: &User, assigner: &User) -> Result<Value, Error> {
        for (i, role) in user.roles.iter().enumerate() {
            let d = self.may_assign(assigner, role, user)?;
            if !d.allow {
                let mut msg =
                    format!("`{}` may not assign role `{role}`: {}", assigner.id, d.reason.message());
                if let (AssignReason::ExceedsOwnAccess | AssignReason::NotAuthorised, Some(rule)) =
                    (d.reason, &d.rule)
                {
                    msg.push_str(&format!(" (`{rule}`)"));
                }
                let issue = match d.reason {
                    AssignReason::UnknownRole => Issue::UnknownRole,
                    AssignReason::ExceedsOwnAccess => Issue::ExceedsOwnAccess,
                    AssignReason::NotAuthorised => Issue::NotAuthorised,
                    AssignReason::NoAuthority => Issue::NoAuthority,
                    AssignReason::TenantMismatch => Issue::TenantMismatch,
                    AssignReason::WrongFamily => Issue::WrongFamily,
                    AssignReason::ExclusiveRoles => Issue::ExclusiveRoles,
                    AssignReason::MissingFeature => Issue::MissingFeature,
                    _ => Issue::AboveLevel,
                };
                return Err(Error::User(Problem::new(issue, &format!("/roles/{i}"), msg)));
            }
        }
        self.body(user)
    }
}

/// Adds a tenant's `custom` roles to `policy`, and the problems of those that cannot be added (the
/// policy does not allow custom roles, or one has the id of a policy role), located at `/roles/<id>`.
/// Lint the merged policy for the rest.
///
/// ```
/// use rolegate::compile::{custom_roles_from_json, with_custom_roles};
/// use rolegate::policy::Policy;
/// let p = Policy::from_json(r#"{"product": "x", "keys": ["a"], "custom_roles": true, "roles": {"r": {}}}"#).unwrap();
/// let custom = custom_roles_from_json(r#"{"r": {}, "mine": {"allow": ["a"]}}"#).unwrap();
/// let (merged, problems) = with_custom_roles(p, custom);
/// assert!(merged.roles.contains_key("mine"));
/// assert_eq!(problems[0].pointer, "/roles/r");
/// ```
pub fn with_custom_roles(mut policy: Policy, custom: BTreeMap<String, Role>) -> (Policy, Vec<Problem>) {
    let mut problems = Vec::new();
    for (id, role) in custom {
        let at = format!("/roles/{}", id.replace('~', "~0").replace('/', "~1"));
        if !policy.custom_roles {
            problems.push(Problem::new(Issue::BadPolicy, &at, "the policy does not allow custom roles"));
            continue;
        }
        match policy.roles.entry(id) {
            Entry::Occupied(e) => {
                let msg = format!("custom role `{}` has the id of a role of the policy", e.key());
                problems.push(Problem::new(Issue::BadPolicy, &at, msg));
            }
            Entry::Vacant(e) => {
                e.insert(role);
            }
        }
    }
    (policy, problems)
}

/// Parses a tenant's custom roles: a JSON object of role id to role, in the policy's role format.
///
/// ```
/// let e = rolegate::compile::custom_roles_from_json(r#"{"mine": {"allow": 1}}"#).unwrap_err();
/// assert_eq!(e.code(), "bad_policy");
/// ```
pub fn custom_roles_from_json(json: &str) -> Result<BTreeMap<String, Role>, Error> {
    serde_json::from_str(json).map_err(|e| {
        let what = "the custom roles are not an object of role id to role";
        let mut p = crate::policy::locate::problem(Issue::BadPolicy, what, json, &e);
        if !p.pointer.is_empty() {
            // A custom role's place, as if the role were in the policy (`/roles/<id>/…`).
            p.pointer = format!("/roles{}", p.pointer);
        }
        Error::Policy(p)
    })
}

/// Parses one role definition (a draft for [`Compiler::may_edit`]) in the policy's role format; a
/// problem is located as if the role were the policy's role `id` (`/roles/<id>/…`).
///
/// ```
/// let e = rolegate::compile::role_from_json("clerk", r#"{"allow": [1]}"#).unwrap_err();
/// assert_eq!(e.code(), "bad_policy");
/// assert!(rolegate::compile::role_from_json("clerk", r#"{"allow": ["a.view"]}"#).is_ok());
/// ```
pub fn role_from_json(id: &str, json: &str) -> Result<Role, Error> {
    serde_json::from_str(json).map_err(|e| {
        let mut p = crate::policy::locate::problem(Issue::BadPolicy, "the draft is not a role", json, &e);
        p.pointer = format!("/roles/{}{}", id.replace('~', "~0").replace('/', "~1"), p.pointer);
        Error::Policy(p)
    })
}

/// Every problem of a policy document (with a tenant's custom roles added), in document order: the
/// document's shape, the custom roles, then [`lint::lint`]. Empty when the policy is fit to compile.
///
/// ```
/// let problems = rolegate::compile::problems(r#"{"product": "x", "keys": ["a"], "roles": {"r": {"allow": ["b"]}}}"#, None);
/// assert_eq!((problems[0].issue.code(), problems[0].pointer.as_str()), ("unknown_key", "/roles/r/allow/0"));
/// assert_eq!(rolegate::compile::problems("{", None)[0].issue.code(), "bad_policy");
/// ```
pub fn problems(policy: &str, custom: Option<&str>) -> Vec<Problem> {
    let first = |e: Error| match e {
        Error::Policy(p) | Error::User(p) => vec![p],
        other => vec![Problem::new(Issue::BadPolicy, "", other.to_string())],
    };
    let policy = match Policy::from_json(policy) {
        Ok(p) => p,
        Err(e) => return first(e),
    };
    let custom = match custom.map(custom_roles_from_json).transpose() {
        Ok(c) => c.unwrap_or_default(),
        Err(e) => return first(e),
    };
    let (merged, mut problems) = with_custom_roles(policy, custom);
    problems.extend(lint::lint(&merged));
    problems
}
