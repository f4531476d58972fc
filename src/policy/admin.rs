//! Who administers what: the key or roles an actor needs to assign roles to users, to create, edit
//! and delete roles, and to change each user setting (`"admin"` in a policy).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The policy's `admin` section. An action it names no authority for is refused to everyone
/// (`no_authority`): a policy says who administers, or nobody does.
///
/// ```
/// let a: rolegate::policy::Admin = serde_json::from_str(r#"{"assign": "admin.users.manage",
///     "roles": {"roles": ["owner"]}, "settings": {"*": "admin.users.manage"}}"#).unwrap();
/// assert_eq!(a.setting("canViewCosts").and_then(|s| s.key()), Some("admin.users.manage"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Admin {
    /// A free comment (seed sentences, decisions).
    #[serde(rename = "$comment", default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Who may give a role to a user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assign: Option<Authority>,
    /// Who may create, edit and delete roles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Authority>,
    /// Who may change each user setting, by setting name; `*` for every setting not named.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub settings: BTreeMap<String, Authority>,
}

impl Admin {
    /// The authority over setting `name`: its own entry, else the `*` entry.
    ///
    /// ```
    /// let a: rolegate::policy::Admin = serde_json::from_str(r#"{"settings": {"color": {"roles": ["admin"]}}}"#).unwrap();
    /// assert!(a.setting("color").is_some() && a.setting("commission").is_none());
    /// ```
    pub fn setting(&self, name: &str) -> Option<&Authority> {
        self.settings.get(name).or_else(|| self.settings.get("*"))
    }
}

/// What an actor needs for an administrative action: a permission key of the catalogue (checked as
/// a gate checks it, with the target user as the record, so a team-scoped grant reaches the actor's
/// teams only), or one of a list of roles.
///
/// ```
/// let k: rolegate::policy::Authority = serde_json::from_str(r#""admin.users.manage""#).unwrap();
/// assert_eq!(k.key(), Some("admin.users.manage"));
/// let r: rolegate::policy::Authority = serde_json::from_str(r#"{"roles": ["admin"]}"#).unwrap();
/// assert_eq!(r.key(), None);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Authority {
    /// Holders of this key.
    Key(String),
    /// Holders of any of these roles.
    Roles {
        /// The roles.
        roles: Vec<String>,
    },
}

impl Authority {
    /// The key, when the authority is one.
    ///
    /// ```
    /// assert_eq!(rolegate::policy::Authority::Key("k".into()).key(), Some("k"));
    /// ```
    pub fn key(&self) -> Option<&str> {
        match self {
            Authority::Key(k) => Some(k),
            Authority::Roles { .. } => None,
        }
    }

    /// What the authority names, for a refusal's `rule`: the key, or the roles joined by `|`.
    ///
    /// ```
    /// let r: rolegate::policy::Authority = serde_json::from_str(r#"{"roles": ["admin", "owner"]}"#).unwrap();
    /// assert_eq!(r.name(), "admin|owner");
    /// ```
    pub fn name(&self) -> String {
        match self {
            Authority::Key(k) => k.clone(),
            Authority::Roles { roles } => roles.join("|"),
        }
    }
}
