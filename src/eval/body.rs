//! The snapshot body (the `rg` claim): one user's effective grants and the rules that concern them.
//!
//! The compiler writes it and the evaluator reads it, through this one definition. Names are short
//! because every byte is signed, base64-encoded and sent to the browser:
//!
//! | field | meaning |
//! |---|---|
//! | `v` | format version, `1` |
//! | `u`, `n`, `t` | user id, user name (only when a resource matches owners by name), tenant |
//! | `off` | `true` when the user is inactive (then nothing else is needed) |
//! | `r` | the user's role ids, for display and explanations |
//! | `p` | platforms the user may use (absent: any; empty: none) |
//! | `g` | allowed keys and patterns (`api.email.*`, `*`) valid for every record |
//! | `gs` | scoped grants: pattern → scopes (`own`, `team`, `area`, `client`, `tenant`, `shared`) |
//! | `d` | denied keys and patterns (deny beats allow) |
//! | `fo` | features off for this user → the key patterns they gate |
//! | `tm`, `ar`, `cl` | the user's team, area and client ids |
//! | `s`, `sf`, `sn` | settings values; settings forced by a role; settings not applicable |
//! | `tf` | default tenant field of records |
//! | `rs` | resources: `k` key prefix, `t` tenant field, `o`/`on` owner fields by id/name, `tm`/`ar`/`cl` team/area/client field, `sh` `[field, [values]]` shared-with, `v` view key, `f` field → `{k, s}` rules, `ph` placeholder |
//! | `rt` | routes: `h` home path, `fb` fallback allow, `d` default deny target, `pd` platform deny target, `r` `[[pattern, key or null, target or null]]` |
//! | `m` | menu: `[{i, k, f, p, c}]` id, key, feature, platforms, children |

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::scope::Scope;

/// The current body format version.
pub const BODY_VERSION: u8 = 1;

fn is_false(b: &bool) -> bool {
    !*b
}

/// A snapshot body as serialised in the `rg` claim.
///
/// ```
/// use rolegate::eval::Body;
/// let body: Body = serde_json::from_value(serde_json::json!({"v": 1, "u": "u1", "g": ["page.*"]})).unwrap();
/// assert_eq!(body.allow, ["page.*"]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Body {
    /// Format version ([`BODY_VERSION`]).
    #[serde(rename = "v")]
    pub version: u8,
    /// The user's id.
    #[serde(rename = "u")]
    pub user: String,
    /// The user's name, when some resource matches owners by name.
    #[serde(rename = "n", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The user's tenant.
    #[serde(rename = "t", default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// Whether the user is inactive.
    #[serde(rename = "off", default, skip_serializing_if = "is_false")]
    pub inactive: bool,
    /// The user's role ids.
    #[serde(rename = "r", default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    /// The platforms the user may use; `None` means any.
    #[serde(rename = "p", default, skip_serializing_if = "Option::is_none")]
    pub platforms: Option<Vec<String>>,
    /// Allowed keys and patterns, for every record.
    #[serde(rename = "g", default, skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<String>,
    /// Scoped grants: pattern → scopes.
    #[serde(rename = "gs", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub scoped: BTreeMap<String, Vec<Scope>>,
    /// Denied keys and patterns.
    #[serde(rename = "d", default, skip_serializing_if = "Vec::is_empty")]
    pub deny: Vec<String>,
    /// Features off for the user → the key patterns they gate.
    #[serde(rename = "fo", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub features_off: BTreeMap<String, Vec<String>>,
    /// Team ids.
    #[serde(rename = "tm", default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<String>,
    /// Area ids.
    #[serde(rename = "ar", default, skip_serializing_if = "Vec::is_empty")]
    pub areas: Vec<String>,
    /// Client ids.
    #[serde(rename = "cl", default, skip_serializing_if = "Vec::is_empty")]
    pub clients: Vec<String>,
    /// Effective settings.
    #[serde(rename = "s", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub settings: BTreeMap<String, Value>,
    /// Settings whose value a role forces.
    #[serde(rename = "sf", default, skip_serializing_if = "Vec::is_empty")]
    pub forced: Vec<String>,
    /// Settings that do not apply to the user's roles.
    #[serde(rename = "sn", default, skip_serializing_if = "Vec::is_empty")]
    pub not_applicable: Vec<String>,
    /// The default tenant field of records.
    #[serde(rename = "tf", default, skip_serializing_if = "Option::is_none")]
    pub tenant_field: Option<String>,
    /// Resource types by name.
    #[serde(rename = "rs", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub resources: BTreeMap<String, BodyResource>,
    /// Route rules.
    #[serde(rename = "rt", default, skip_serializing_if = "Option::is_none")]
    pub routes: Option<BodyRoutes>,
    /// The menu tree.
    #[serde(rename = "m", default, skip_serializing_if = "Vec::is_empty")]
    pub menu: Vec<BodyMenu>,
}

/// One resource type in a body.
///
/// ```
/// let r: rolegate::eval::BodyResource = serde_json::from_str(r#"{"o": ["consultantId"]}"#).unwrap();
/// assert_eq!(r.owner, ["consultantId"]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct BodyResource {
    /// The key prefix of this resource's permission keys (`data.proposal`).
    #[serde(rename = "k", default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// The tenant field, overriding the body's default.
    #[serde(rename = "t", default, skip_serializing_if = "Option::is_none")]
    pub tenant_field: Option<String>,
    /// Owner fields holding the user's id.
    #[serde(rename = "o", default, skip_serializing_if = "Vec::is_empty")]
    pub owner: Vec<String>,
    /// Owner fields holding the user's name.
    #[serde(rename = "on", default, skip_serializing_if = "Vec::is_empty")]
    pub owner_name: Vec<String>,
    /// The team field.
    #[serde(rename = "tm", default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// The area field.
    #[serde(rename = "ar", default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// The client field.
    #[serde(rename = "cl", default, skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    /// The shared-with field and the values that share a record with everyone.
    #[serde(rename = "sh", default, skip_serializing_if = "Option::is_none")]
    pub shared: Option<(String, Vec<String>)>,
    /// The key needed to see a record of this type.
    #[serde(rename = "v", default, skip_serializing_if = "Option::is_none")]
    pub view: Option<String>,
    /// Field rules.
    #[serde(rename = "f", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, BodyField>,
    /// The value that replaces a hidden field; without one, hidden fields are removed.
    #[serde(rename = "ph", default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<Value>,
}

/// What a field needs: a key, a boolean setting, or both.
///
/// ```
/// let f: rolegate::eval::BodyField = serde_json::from_str(r#"{"s": "canViewCosts"}"#).unwrap();
/// assert_eq!(f.setting.as_deref(), Some("canViewCosts"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct BodyField {
    /// The key the field needs.
    #[serde(rename = "k", default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The boolean setting the field needs.
    #[serde(rename = "s", default, skip_serializing_if = "Option::is_none")]
    pub setting: Option<String>,
}

/// Route rules in a body.
///
/// ```
/// let r: rolegate::eval::BodyRoutes = serde_json::from_str(r#"{"r": [["/admin/{*rest}", "page.admin", null]]}"#).unwrap();
/// assert_eq!(r.home, "/");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct BodyRoutes {
    /// The home path.
    #[serde(rename = "h", default = "home")]
    pub home: String,
    /// Whether a path no pattern matches is allowed.
    #[serde(rename = "fb", default, skip_serializing_if = "is_false")]
    pub fallback_allow: bool,
    /// Where a denied route goes unless the rule says otherwise: `home`, `logout` or a path.
    #[serde(rename = "d", default = "home_target")]
    pub on_deny: String,
    /// Where a user denied by platform or activity goes.
    #[serde(rename = "pd", default = "logout_target")]
    pub on_platform_deny: String,
    /// `[pattern, key or null, target or null]`.
    #[serde(rename = "r", default)]
    pub rules: Vec<(String, Option<String>, Option<String>)>,
}

fn home() -> String {
    "/".to_owned()
}

fn home_target() -> String {
    "home".to_owned()
}

fn logout_target() -> String {
    "logout".to_owned()
}

/// One menu item in a body.
///
/// ```
/// let m: rolegate::eval::BodyMenu = serde_json::from_str(r#"{"i": "admin", "c": [{"i": "admin.users", "k": "page.users"}]}"#).unwrap();
/// assert_eq!(m.children.len(), 1);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct BodyMenu {
    /// The item id.
    #[serde(rename = "i")]
    pub id: String,
    /// The key the item needs.
    #[serde(rename = "k", default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The feature the item needs.
    #[serde(rename = "f", default, skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
    /// The platforms the item shows on; `None` means all.
    #[serde(rename = "p", default, skip_serializing_if = "Option::is_none")]
    pub platforms: Option<Vec<String>>,
    /// Children; an item with children is a section, hidden when no child is visible.
    #[serde(rename = "c", default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<BodyMenu>,
}
