//! Role resolution: inheritance and ladders flattened into each role's effective grants.

use std::collections::{BTreeMap, BTreeSet};

use super::{Grant, Policy, Role};
use crate::scope::Scope;

/// The permissions a role ends up with, its own and inherited ones.
///
/// ```
/// let p = rolegate::policy::Policy::from_json(r#"{"product": "x", "keys": ["a", "b"],
///     "roles": {"low": {"allow": ["a"]}, "high": {"allow": ["b"]}}, "ladders": {"main": ["low", "high"]}}"#).unwrap();
/// let eff = rolegate::policy::effective(&p);
/// assert_eq!(eff["high"].allow.len(), 2);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Effective {
    /// Granted patterns with their scopes (`[All]` for unscoped grants).
    pub allow: BTreeMap<String, BTreeSet<Scope>>,
    /// Denied patterns.
    pub deny: BTreeSet<String>,
}

/// The roles `role` builds on: its `inherits`, then the rung below it on each ladder.
///
/// ```
/// let p = rolegate::policy::Policy::from_json(r#"{"product": "x", "keys": [],
///     "roles": {"a": {}, "b": {}}, "ladders": {"l": ["a", "b"]}}"#).unwrap();
/// assert_eq!(rolegate::policy::parents(&p, "b"), ["a"]);
/// ```
pub fn parents<'p>(policy: &'p Policy, role: &str) -> Vec<&'p str> {
    let mut out: Vec<&str> =
        policy.roles.get(role).map(|r| r.inherits.iter().map(String::as_str).collect()).unwrap_or_default();
    for rungs in policy.ladders.values() {
        let below = rungs.windows(2).filter_map(|w| match w {
            [lower, upper] if upper == role => Some(lower.as_str()),
            _ => None,
        });
        out.extend(below);
    }
    out
}

fn own(role: &Role, into: &mut Effective) {
    for g in &role.allow {
        let scopes = into.allow.entry(g.key().to_owned()).or_default();
        match g {
            Grant::Key(_) => {
                scopes.insert(Scope::All);
            }
            Grant::Scoped { scope, .. } => scopes.extend(scope.iter().copied()),
        }
    }
    into.deny.extend(role.deny.iter().cloned());
}

fn collect(policy: &Policy, id: &str, into: &mut Effective, seen: &mut BTreeSet<String>) {
    if !seen.insert(id.to_owned()) {
        return;
    }
    let Some(role) = policy.roles.get(id) else { return };
    own(role, into);
    if role.inherits_permissions {
        for parent in parents(policy, id) {
            collect(policy, parent, into, seen);
        }
    }
}

/// Every role's effective permissions (cycles are cut; lint reports them).
///
/// ```
/// let p = rolegate::policy::Policy::from_json(r#"{"product": "x", "keys": ["a", "b"],
///     "roles": {"base": {"allow": ["a"]}, "shell": {"inherits": ["base"], "inherits_permissions": false, "deny": ["b"]}}}"#).unwrap();
/// let eff = rolegate::policy::effective(&p);
/// assert!(eff["shell"].allow.is_empty());
/// assert!(eff["shell"].deny.contains("b"));
/// ```
pub fn effective(policy: &Policy) -> BTreeMap<String, Effective> {
    policy.roles.keys().map(|id| (id.clone(), effective_of(policy, id))).collect()
}

/// One role's effective permissions (empty for a role the policy does not have).
///
/// ```
/// let p = rolegate::policy::Policy::from_json(r#"{"product": "x", "keys": ["a", "b"],
///     "roles": {"base": {"allow": ["a"]}, "lead": {"inherits": ["base"], "allow": ["b"]}}}"#).unwrap();
/// assert_eq!(rolegate::policy::effective_of(&p, "lead").allow.len(), 2);
/// ```
pub fn effective_of(policy: &Policy, id: &str) -> Effective {
    let mut e = Effective::default();
    collect(policy, id, &mut e, &mut BTreeSet::new());
    e
}

/// Whether `pattern` (a key, `prefix.*` or `*`) covers `key`.
///
/// ```
/// use rolegate::policy::covers;
/// assert!(covers("api.email.*", "api.email.send.manage"));
/// assert!(!covers("api.email.*", "api.emails"));
/// assert!(!covers("api.email*", "api.email.send"), "only `*` and `prefix.*` are wildcards");
/// ```
pub fn covers(pattern: &str, key: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    match pattern.strip_suffix(".*") {
        Some(prefix) => key.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('.')),
        None => pattern == key,
    }
}
