//! The policy document: the permission-key catalogue, roles, resources and UI rules of one product.
//!
//! An administrator writes it once as JSON (`schema/policy.schema.json` lets editors complete it);
//! see `docs/policy.md` for the language by example. Unknown fields are refused everywhere.
//!
//! ```
//! let policy = rolegate::policy::Policy::from_json(r#"{
//!     "product": "demo", "keys": ["page.jobs.view"],
//!     "roles": {"engineer": {"allow": ["page.jobs.view"]}}
//! }"#).unwrap();
//! assert!(policy.roles.contains_key("engineer"));
//! ```

mod admin;
pub mod lint;
pub(crate) mod locate;
mod resolve;
pub(crate) mod routes;
mod suggest;
mod unique;
mod user;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Issue};
use crate::limits::MAX_POLICY_BYTES;
pub use crate::scope::Scope;
pub use admin::{Admin, Authority};
pub use resolve::{covers, effective, effective_of, parents, Effective};
pub use suggest::did_you_mean;
pub use user::User;

fn yes() -> bool {
    true
}

/// A whole policy document.
///
/// ```
/// let p = rolegate::policy::Policy::from_json(r#"{"product": "x", "keys": [], "roles": {}}"#).unwrap();
/// assert_eq!(p.product, "x");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Policy {
    /// The JSON Schema the document follows (for editors).
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// A free comment.
    #[serde(rename = "$comment", default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The product's name.
    pub product: String,
    /// Decisions taken where the product's documentation is vague, kept beside the rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The permission-key catalogue: every key the product checks.
    pub keys: Vec<String>,
    /// Principal types (role families). When set, every role names one and users have a `type`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub families: Vec<String>,
    /// Numeric levels of roles and the assignment ceiling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub levels: Option<Levels>,
    /// The roles, by id.
    pub roles: BTreeMap<String, Role>,
    /// Cumulative ladders: each rung inherits every permission of the rungs before it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub ladders: BTreeMap<String, Vec<String>>,
    /// Sets of roles that cannot be combined.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclusive: Vec<Exclusive>,
    /// Whether tenants may define their own roles.
    #[serde(default)]
    pub custom_roles: bool,
    /// Whether a user may hold no role at all (`false` by default: a user record without roles is
    /// refused, `no_role`).
    #[serde(default)]
    pub allow_no_role: bool,
    /// Who administers what: the key or roles needed to assign roles, to create, edit and delete
    /// roles, and to change each user setting (what `Compiler::may` answers from).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin: Option<Admin>,
    /// The roles whose holders may delete locked roles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locked_deleters: Vec<String>,
    /// The platforms a user may be given (`web`, `mobile` …); empty means no platform rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub platforms: Vec<String>,
    /// The platforms a user record without its own `platforms` gets (within those its roles allow);
    /// absent or empty: none, so such a user is denied on every platform (fail closed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub platform_default: Vec<String>,
    /// User settings and their policy defaults.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub settings: BTreeMap<String, SettingDef>,
    /// Feature flags a tenant may enable.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub features: BTreeMap<String, Feature>,
    /// The field of records that holds their tenant, unless a resource says otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_field: Option<String>,
    /// Client isolation: the families whose users reach only their own clients' records. For such a
    /// user, a record of a resource with a `client` field must name one of the user's `clients`
    /// there, whatever their grants (`client_mismatch`, or `client_missing` without the field).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub client_isolation: Vec<String>,
    /// Resource types (records): scopes' fields and field rules.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub resources: BTreeMap<String, Resource>,
    /// Route rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routes: Option<Routes>,
    /// The menu tree.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub menu: Vec<MenuItem>,
}

impl Policy {
    /// Parses a policy document (shape only; see [`lint::lint`] for the meaning checks). A document
    /// over [`MAX_POLICY_BYTES`] is `too_large`; one that repeats a member of any object (two roles
    /// with one id, a field twice) is `bad_policy`.
    ///
    /// ```
    /// let e = rolegate::policy::Policy::from_json(r#"{"product": "x"}"#).unwrap_err();
    /// assert_eq!(e.code(), "bad_policy");
    /// ```
    pub fn from_json(json: &str) -> Result<Policy, Error> {
        if json.len() > MAX_POLICY_BYTES {
            return Err(Error::TooLarge { what: "policy", size: json.len(), limit: MAX_POLICY_BYTES });
        }
        let bad = |e: serde_json::Error| {
            Error::Policy(locate::problem(Issue::BadPolicy, "the document is not a valid policy", json, &e))
        };
        unique::check(json).map_err(bad)?;
        serde_json::from_str(json).map_err(bad)
    }
}

/// Levels of roles: a range and which end is more powerful.
///
/// ```
/// let l: rolegate::policy::Levels = serde_json::from_str(r#"{"min": 10, "max": 50}"#).unwrap();
/// assert!(l.stronger(10, 20));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Levels {
    /// The lowest level allowed.
    pub min: i64,
    /// The highest level allowed.
    pub max: i64,
    /// Which end is more powerful: `lower` (the default: 10 beats 50) or `higher`.
    #[serde(default)]
    pub power: Power,
}

/// Which end of the level range is more powerful.
///
/// ```
/// assert_eq!(rolegate::policy::Power::default(), rolegate::policy::Power::Lower);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Power {
    /// A lower number is more power.
    #[default]
    Lower,
    /// A higher number is more power.
    Higher,
}

impl Levels {
    /// Whether level `a` is strictly more powerful than level `b`.
    ///
    /// ```
    /// let l: rolegate::policy::Levels = serde_json::from_str(r#"{"min": 1, "max": 9, "power": "higher"}"#).unwrap();
    /// assert!(l.stronger(9, 1));
    /// ```
    pub fn stronger(&self, a: i64, b: i64) -> bool {
        match self.power {
            Power::Lower => a < b,
            Power::Higher => a > b,
        }
    }
}

/// One role.
///
/// ```
/// let r: rolegate::policy::Role = serde_json::from_str(r#"{"allow": ["a.*", {"key": "data.job.view", "scope": ["own"]}]}"#).unwrap();
/// assert_eq!(r.allow.len(), 2);
/// assert!(r.inherits_permissions);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Role {
    /// The display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A free comment (seed sentences, decisions).
    #[serde(rename = "$comment", default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The family (principal type) the role belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// The role's level (see [`Levels`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<i64>,
    /// A locked role can be deleted only by holders of the policy's `locked_deleters` roles.
    #[serde(default)]
    pub locked: bool,
    /// Roles this one builds on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inherits: Vec<String>,
    /// Whether the permissions of `inherits` are included (`true` by default).
    #[serde(default = "yes")]
    pub inherits_permissions: bool,
    /// Grants: a key or pattern (every record), or `{key, scope}`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<Grant>,
    /// Keys or patterns denied whatever any role allows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deny: Vec<String>,
    /// Per-role setting rules.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub settings: BTreeMap<String, RoleSetting>,
    /// The platforms holders may use (absent: any).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platforms: Option<Vec<String>>,
    /// A feature the tenant must have enabled for the role to be given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
    /// The holders' home path, instead of the policy's `routes.home`: a user's home is the first
    /// home of their roles (a role's own, else `routes.home`), in the user's role order, that they
    /// may open; else `routes.home`. Not inherited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home: Option<String>,
}

/// A grant: a key or pattern valid for every record, or one limited to scopes.
///
/// ```
/// let g: rolegate::policy::Grant = serde_json::from_str(r#""page.*""#).unwrap();
/// assert_eq!(g.key(), "page.*");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Grant {
    /// Every record.
    Key(String),
    /// Only records within one of the scopes.
    Scoped {
        /// The key or pattern.
        key: String,
        /// The scopes; any one suffices.
        scope: Vec<Scope>,
    },
}

impl Grant {
    /// The key or pattern granted.
    ///
    /// ```
    /// let g: rolegate::policy::Grant = serde_json::from_str(r#"{"key": "k", "scope": ["own"]}"#).unwrap();
    /// assert_eq!(g.key(), "k");
    /// ```
    pub fn key(&self) -> &str {
        match self {
            Grant::Key(k) | Grant::Scoped { key: k, .. } => k,
        }
    }
}

/// What a role says about a user setting.
///
/// ```
/// let s: rolegate::policy::RoleSetting = serde_json::from_str(r#"{"force": false}"#).unwrap();
/// assert_eq!(s, rolegate::policy::RoleSetting::Force(serde_json::json!(false)));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleSetting {
    /// The value when the user has none.
    Default(Value),
    /// The value whatever the user's own setting.
    Force(Value),
    /// The setting does not apply to holders of this role.
    NotApplicable,
}

/// A user setting and its policy default.
///
/// ```
/// let s: rolegate::policy::SettingDef = serde_json::from_str(r#"{"default": true}"#).unwrap();
/// assert_eq!(s.default, serde_json::json!(true));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SettingDef {
    /// The default value (its JSON type is the setting's type).
    pub default: Value,
    /// What the setting does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A feature flag.
///
/// ```
/// let f: rolegate::policy::Feature = serde_json::from_str(r#"{"exclude_roles": ["contractor"]}"#).unwrap();
/// assert_eq!(f.exclude_roles, ["contractor"]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Feature {
    /// What the feature is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Roles that never get the feature (a user keeps it if any other role of theirs is not excluded).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_roles: Vec<String>,
    /// The key patterns that belong to the feature; they are denied while it is off.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<String>,
}

impl Feature {
    /// Whether the feature is on for a holder of `roles` whose tenant has `enabled` it: enabled, and
    /// at least one of the roles not excluded from it. While it is off, its keys are denied (the
    /// compiler turns them off in the body; lint and `may` read grants the same way).
    ///
    /// ```
    /// let f: rolegate::policy::Feature =
    ///     serde_json::from_str(r#"{"exclude_roles": ["guest"], "keys": ["sales.*"]}"#).unwrap();
    /// assert!(f.is_on(true, ["admin", "guest"]));
    /// assert!(!f.is_on(true, ["guest"]));
    /// assert!(!f.is_on(false, ["admin"]));
    /// ```
    pub fn is_on<'r>(&self, enabled: bool, roles: impl IntoIterator<Item = &'r str>) -> bool {
        enabled && roles.into_iter().any(|r| !self.exclude_roles.iter().any(|x| x == r))
    }
}

/// An exclusive set of roles.
///
/// ```
/// let e: rolegate::policy::Exclusive = serde_json::from_str(r#"{"roles": ["a", "b"], "alone": true}"#).unwrap();
/// assert!(e.alone);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Exclusive {
    /// The roles of the set.
    pub roles: Vec<String>,
    /// `true`: a holder of any of these roles holds no other role at all. `false`: at most one of them.
    #[serde(default)]
    pub alone: bool,
    /// A free comment.
    #[serde(rename = "$comment", default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A resource type (customers, jobs, templates …).
///
/// ```
/// let r: rolegate::policy::Resource = serde_json::from_str(r#"{"keys": "data.proposal", "owner": ["consultantId"]}"#).unwrap();
/// assert_eq!(r.owner.len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Resource {
    /// The prefix of this resource's keys (`data.proposal` for `data.proposal.view` …).
    pub keys: String,
    /// The key needed to see a record (filter, mask).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<String>,
    /// The tenant field, overriding the policy's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_field: Option<String>,
    /// Owner fields for the `own` scope.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owner: Vec<Owner>,
    /// The team field for the `team` scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// The area field for the `area` scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// The client field for the `client` scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    /// The shared-with field for the `shared` scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared: Option<Shared>,
    /// Field rules: which fields need which key and/or boolean setting.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, FieldRule>,
    /// What replaces a hidden field in a masked record; without it hidden fields are removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<Value>,
}

/// An owner field: a name (matched against the user's id), or `{field, by}`.
///
/// ```
/// let o: rolegate::policy::Owner = serde_json::from_str(r#"{"field": "createdBy", "by": "name"}"#).unwrap();
/// assert_eq!(o.field(), "createdBy");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Owner {
    /// A field holding the owner's user id.
    Id(String),
    /// A field matched by the user's `id` or `name`.
    By {
        /// The field.
        field: String,
        /// What it holds.
        by: OwnerBy,
    },
}

impl Owner {
    /// The field name.
    ///
    /// ```
    /// assert_eq!(rolegate::policy::Owner::Id("ownerId".into()).field(), "ownerId");
    /// ```
    pub fn field(&self) -> &str {
        match self {
            Owner::Id(f) | Owner::By { field: f, .. } => f,
        }
    }
}

/// What an owner field holds.
///
/// ```
/// let b: rolegate::policy::OwnerBy = serde_json::from_str(r#""name""#).unwrap();
/// assert_eq!(b, rolegate::policy::OwnerBy::Name);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OwnerBy {
    /// The user's id.
    Id,
    /// The user's name.
    Name,
}

/// The shared-with field and the values that share a record with everyone.
///
/// ```
/// let s: rolegate::policy::Shared = serde_json::from_str(r#"{"field": "sharedWith", "values": ["everyone"]}"#).unwrap();
/// assert_eq!(s.values, ["everyone"]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Shared {
    /// The field.
    pub field: String,
    /// The values meaning "shared with everyone".
    pub values: Vec<String>,
}

/// What a field needs to be visible.
///
/// ```
/// let f: rolegate::policy::FieldRule = serde_json::from_str(r#"{"key": "data.cost.view", "setting": "canViewCosts"}"#).unwrap();
/// assert!(f.key.is_some() && f.setting.is_some());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct FieldRule {
    /// The key the field needs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The boolean setting that must be `true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setting: Option<String>,
}

/// Route rules.
///
/// ```
/// let r: rolegate::policy::Routes = serde_json::from_str(r#"{"rules": [{"path": "/jobs", "requires": "page.jobs.view"}]}"#).unwrap();
/// assert_eq!(r.home, "/");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Routes {
    /// The home path.
    #[serde(default = "home")]
    pub home: String,
    /// Whether a path matched by no rule is allowed (`false`: denied as `no_route`).
    #[serde(default)]
    pub fallback_allow: bool,
    /// Where a denied route goes: `home`, `logout`, or a path.
    #[serde(default = "target_home")]
    pub on_deny: String,
    /// Where a user denied by platform or activity goes.
    #[serde(default = "target_logout")]
    pub on_platform_deny: String,
    /// Path patterns (`/jobs/{id}`, `/admin/{*rest}`) and what they need.
    pub rules: Vec<RouteRule>,
}

fn home() -> String {
    "/".to_owned()
}

fn target_home() -> String {
    "home".to_owned()
}

fn target_logout() -> String {
    "logout".to_owned()
}

/// One route rule.
///
/// ```
/// let r: rolegate::policy::RouteRule = serde_json::from_str(r#"{"path": "/", "on_deny": "logout"}"#).unwrap();
/// assert!(r.requires.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct RouteRule {
    /// The path pattern (`{name}` one segment, `{*name}` the rest).
    pub path: String,
    /// The key needed; absent: anyone (active, on an allowed platform) may open it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requires: Option<String>,
    /// Where to go when denied, overriding the policy's `on_deny`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_deny: Option<String>,
}

/// One menu item; an item with children is a section, hidden when none of them is visible.
///
/// ```
/// let m: rolegate::policy::MenuItem = serde_json::from_str(r#"{"id": "jobs", "requires": "page.jobs.view"}"#).unwrap();
/// assert!(m.children.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct MenuItem {
    /// The item id.
    pub id: String,
    /// The label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The key needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requires: Option<String>,
    /// The feature needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
    /// The platforms the item shows on (absent: all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platforms: Option<Vec<String>>,
    /// Children.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<MenuItem>,
}
