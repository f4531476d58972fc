//! The snapshot body (the `rg` claim): one user's effective grants and the rules that concern them.
//!
//! The compiler writes it (`body_writer.rs`) and the evaluator reads it (`body_reader.rs`), both by
//! the one table of member names in `body_format.rs`; docs/snapshot.md documents the format.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::body_format::key_index;
use crate::scope::Scope;

/// The current body format version.
///
/// ```
/// assert_eq!(rolegate::eval::BODY_VERSION, 1);
/// ```
pub const BODY_VERSION: u8 = 1;

/// A snapshot body as serialised in the `rg` claim.
///
/// ```
/// use rolegate::eval::Body;
/// let body = Body::from_value(&serde_json::json!({"v": 1, "k": ["page.*"], "g": [0]})).unwrap();
/// assert_eq!(body.key(body.allow[0]), Some("page.*"));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Body {
    /// Format version ([`BODY_VERSION`]).
    pub version: u8,
    /// The user's id; absent, the claims' `sub` is the user's id.
    pub user: Option<String>,
    /// The user's name, when some resource matches owners by name.
    pub name: Option<String>,
    /// The user's tenant; absent, the claims' `tid` is the user's tenant.
    pub tenant: Option<String>,
    /// Whether the user is inactive.
    pub inactive: bool,
    /// The user's role ids.
    pub roles: Vec<String>,
    /// The platforms the user may use; `None` means any.
    pub platforms: Option<Vec<String>>,
    /// Allowed keys and patterns, for every record (indices into the key table).
    pub allow: Vec<u32>,
    /// Scoped grants.
    pub scoped: Vec<ScopedGrant>,
    /// Denied keys and patterns (indices into the key table).
    pub deny: Vec<u32>,
    /// Features off for the user → the key patterns they gate (indices into the key table).
    pub features_off: Vec<(String, Vec<u32>)>,
    /// Team ids.
    pub teams: Vec<String>,
    /// Area ids.
    pub areas: Vec<String>,
    /// Client ids.
    pub clients: Vec<String>,
    /// Client isolation: a record of a resource with a client field must name one of `clients` there.
    pub client_isolation: bool,
    /// Effective settings.
    pub settings: BTreeMap<String, Value>,
    /// Settings whose value a role forces.
    pub forced: Vec<String>,
    /// Settings that do not apply to the user's roles.
    pub not_applicable: Vec<String>,
    /// The key table: every key and pattern of the body, referred to by index.
    pub keys: Vec<String>,
    /// The policy's catalogue keys the key table does not name (in ascending order): with it, a gate
    /// denies a key outside the catalogue with `unknown_key`, whatever wildcard grant matches it.
    /// `None` (a body made by hand, without a policy): keys are not checked against a catalogue.
    pub catalogue: Option<Vec<String>>,
    /// The default tenant field of records.
    pub tenant_field: Option<String>,
    /// Resource types by name.
    pub resources: Vec<(String, BodyResource)>,
    /// Route rules.
    pub routes: Option<BodyRoutes>,
    /// The menu tree.
    pub menu: Vec<BodyMenu>,
}

impl Body {
    /// The key at index `i` of the key table.
    ///
    /// ```
    /// let mut body = rolegate::eval::Body::default();
    /// body.keys.push("page.jobs.view".into());
    /// assert_eq!(body.key(0), Some("page.jobs.view"));
    /// assert_eq!(body.key(1), None);
    /// ```
    pub fn key(&self, i: u32) -> Option<&str> {
        self.keys.get(i as usize).map(String::as_str)
    }

    /// A body that allows the keys or patterns in `allow` and denies those in `deny`, for every
    /// record: for ad-hoc snapshots and tests. Policies go through the compiler instead.
    ///
    /// ```
    /// use rolegate::eval::Body;
    /// let body = Body::from_keys(&["page.*"], &["page.admin"]);
    /// assert_eq!(body.to_value(), serde_json::json!({"v": 1, "k": ["page.*", "page.admin"], "g": [0], "d": [1]}));
    /// let grants = rolegate::Grants::from_body(&body.to_value()).unwrap();
    /// assert!(grants.decide("page.jobs").allow && !grants.decide("page.admin").allow);
    /// ```
    pub fn from_keys(allow: &[&str], deny: &[&str]) -> Body {
        let keys: Vec<String> = allow.iter().chain(deny).map(|k| (*k).to_owned()).collect();
        let n = u32::try_from(allow.len()).unwrap_or(u32::MAX);
        let total = u32::try_from(keys.len()).unwrap_or(u32::MAX);
        Body {
            version: BODY_VERSION,
            keys,
            allow: (0..n).collect(),
            deny: (n..total).collect(),
            ..Body::default()
        }
    }
}

/// A scoped grant, written `[key index, scope, …]`.
///
/// ```
/// use rolegate::eval::{Scope, ScopedGrant};
/// let g = ScopedGrant::try_from(&[4.into(), "own".into(), "shared".into()][..]).unwrap();
/// assert_eq!((g.key, g.scopes.as_slice()), (4, [Scope::Own, Scope::Shared].as_slice()));
/// assert_eq!(serde_json::to_string(&g).unwrap(), r#"[4,"own","shared"]"#);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(into = "Vec<Value>")]
#[non_exhaustive]
pub struct ScopedGrant {
    /// The key or pattern (an index into the key table).
    pub key: u32,
    /// The scopes; any one suffices.
    pub scopes: Vec<Scope>,
}

impl ScopedGrant {
    /// A scoped grant.
    ///
    /// ```
    /// let g = rolegate::eval::ScopedGrant::new(0, vec![rolegate::eval::Scope::Team]);
    /// assert_eq!(serde_json::to_string(&g).unwrap(), r#"[0,"team"]"#);
    /// ```
    pub fn new(key: u32, scopes: Vec<Scope>) -> ScopedGrant {
        ScopedGrant { key, scopes }
    }
}

impl TryFrom<&[Value]> for ScopedGrant {
    type Error = &'static str;

    fn try_from(v: &[Value]) -> Result<Self, Self::Error> {
        let mut it = v.iter();
        let key = it.next().and_then(key_index).ok_or("bad key index")?;
        let scopes = it
            .map(|s| s.as_str().and_then(Scope::parse))
            .collect::<Option<Vec<Scope>>>()
            .ok_or("bad scope")?;
        Ok(ScopedGrant { key, scopes })
    }
}

impl From<ScopedGrant> for Vec<Value> {
    fn from(g: ScopedGrant) -> Vec<Value> {
        let scopes = g.scopes.into_iter().filter_map(|s| serde_json::to_value(s).ok());
        std::iter::once(Value::from(g.key)).chain(scopes).collect()
    }
}

/// One resource type in a body.
///
/// ```
/// let body = serde_json::json!({"v": 1, "rs": {"proposal": {"o": ["consultantId"]}}});
/// let body = rolegate::eval::Body::from_value(&body).unwrap();
/// let (name, resource) = &body.resources[0];
/// assert_eq!((name.as_str(), resource.owner.as_slice()), ("proposal", ["consultantId".to_owned()].as_slice()));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct BodyResource {
    /// The key prefix of this resource's permission keys (`data.proposal`).
    pub prefix: Option<String>,
    /// The tenant field, overriding the body's default.
    pub tenant_field: Option<String>,
    /// Owner fields holding the user's id.
    pub owner: Vec<String>,
    /// Owner fields holding the user's name.
    pub owner_name: Vec<String>,
    /// The team field.
    pub team: Option<String>,
    /// The area field.
    pub area: Option<String>,
    /// The client field.
    pub client: Option<String>,
    /// The shared-with field and the values that share a record with everyone.
    pub shared: Option<(String, Vec<String>)>,
    /// The key needed to see a record of this type (an index into the key table).
    pub view: Option<u32>,
    /// Field rules.
    pub fields: Vec<(String, BodyField)>,
    /// The value that replaces a hidden field; without one, hidden fields are removed.
    pub placeholder: Option<Value>,
}

/// What a field needs: a key, a boolean setting, or both.
///
/// ```
/// let body = serde_json::json!({"v": 1, "rs": {"proposal": {"f": {"cost": {"s": "canViewCosts"}}}}});
/// let body = rolegate::eval::Body::from_value(&body).unwrap();
/// let (field, rule) = &body.resources[0].1.fields[0];
/// assert_eq!((field.as_str(), rule.setting.as_deref()), ("cost", Some("canViewCosts")));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct BodyField {
    /// The key the field needs (an index into the key table).
    pub key: Option<u32>,
    /// The boolean setting the field needs.
    pub setting: Option<String>,
}

/// Route rules in a body.
///
/// ```
/// let body = serde_json::json!({"v": 1, "rt": {"r": [["/admin/{*rest}", 0]]}});
/// let body = rolegate::eval::Body::from_value(&body).unwrap();
/// assert_eq!(body.routes.unwrap().home, "/");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct BodyRoutes {
    /// The home path.
    pub home: String,
    /// Whether a path no pattern matches is allowed.
    pub fallback_allow: bool,
    /// Where a denied route goes unless the rule says otherwise: `home`, `logout` or a path.
    pub on_deny: String,
    /// Where a user denied by platform or activity goes.
    pub on_platform_deny: String,
    /// The rules, in order.
    pub rules: Vec<BodyRoute>,
}

/// One route rule, written as a short array: `[pattern]`, `[pattern, key index]` or
/// `[pattern, key index or null, target]`.
///
/// ```
/// let r = rolegate::eval::BodyRoute::try_from(&["/jobs/{id}".into(), 3.into()][..]).unwrap();
/// assert_eq!((r.pattern.as_str(), r.key, r.target.as_deref()), ("/jobs/{id}", Some(3), None));
/// assert_eq!(serde_json::to_string(&r).unwrap(), r#"["/jobs/{id}",3]"#);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(into = "Vec<Value>")]
#[non_exhaustive]
pub struct BodyRoute {
    /// The path pattern.
    pub pattern: String,
    /// The key needed (an index into the key table); `None`: no permission needed.
    pub key: Option<u32>,
    /// Where to go when denied, overriding the default.
    pub target: Option<String>,
}

impl BodyRoute {
    /// A rule.
    ///
    /// ```
    /// let r = rolegate::eval::BodyRoute::new("/", None, Some("logout".into()));
    /// assert_eq!(serde_json::to_string(&r).unwrap(), r#"["/",null,"logout"]"#);
    /// ```
    pub fn new(pattern: &str, key: Option<u32>, target: Option<String>) -> BodyRoute {
        BodyRoute { pattern: pattern.to_owned(), key, target }
    }
}

impl TryFrom<&[Value]> for BodyRoute {
    type Error = &'static str;

    fn try_from(v: &[Value]) -> Result<Self, Self::Error> {
        let mut it = v.iter();
        let Some(Value::String(pattern)) = it.next() else { return Err("a route needs a pattern") };
        let pattern = pattern.clone();
        let key = match it.next() {
            None | Some(Value::Null) => None,
            Some(n @ Value::Number(_)) => Some(key_index(n).ok_or("bad key index")?),
            Some(_) => return Err("a route key must be an index"),
        };
        let target = match it.next() {
            None | Some(Value::Null) => None,
            Some(Value::String(t)) => Some(t.clone()),
            Some(_) => return Err("a route target must be a string"),
        };
        if it.next().is_some() {
            return Err("a route has at most three parts");
        }
        Ok(BodyRoute { pattern, key, target })
    }
}

impl From<BodyRoute> for Vec<Value> {
    fn from(r: BodyRoute) -> Vec<Value> {
        let mut v = vec![Value::String(r.pattern)];
        if r.key.is_some() || r.target.is_some() {
            v.push(r.key.map_or(Value::Null, Value::from));
        }
        if let Some(t) = r.target {
            v.push(Value::String(t));
        }
        v
    }
}

/// The defaults of [`BodyRoutes`]' `home`, `on_deny` and `on_platform_deny` when the body leaves them out.
pub(super) const DEFAULT_HOME: &str = "/";
pub(super) const DEFAULT_ON_DENY: &str = "home";
pub(super) const DEFAULT_ON_PLATFORM_DENY: &str = "logout";

/// One menu item in a body, written as a short array with trailing empties left out:
/// `[id, key index, children, feature, platforms]`.
///
/// ```
/// let item = serde_json::json!(["admin", 0, [["admin.users", 1]]]);
/// let m = rolegate::eval::BodyMenu::try_from(item.as_array().unwrap().as_slice()).unwrap();
/// assert_eq!(m.children[0].key, Some(1));
/// assert_eq!(serde_json::to_string(&m.children[0]).unwrap(), r#"["admin.users",1]"#);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(into = "Vec<Value>")]
#[non_exhaustive]
pub struct BodyMenu {
    /// The item id.
    pub id: String,
    /// The key the item needs (an index into the key table).
    pub key: Option<u32>,
    /// The feature the item needs.
    pub feature: Option<String>,
    /// The platforms the item shows on; `None` means all.
    pub platforms: Option<Vec<String>>,
    /// Children; an item with children is a section, hidden when no child is visible.
    pub children: Vec<BodyMenu>,
}

impl BodyMenu {
    /// An item with no children.
    ///
    /// ```
    /// let m = rolegate::eval::BodyMenu::new("jobs", Some(2), None, None);
    /// assert_eq!(serde_json::to_string(&m).unwrap(), r#"["jobs",2]"#);
    /// ```
    pub fn new(
        id: &str,
        key: Option<u32>,
        feature: Option<String>,
        platforms: Option<Vec<String>>,
    ) -> BodyMenu {
        BodyMenu { id: id.to_owned(), key, feature, platforms, children: Vec::new() }
    }
}

impl TryFrom<&[Value]> for BodyMenu {
    type Error = &'static str;

    fn try_from(v: &[Value]) -> Result<Self, Self::Error> {
        let mut it = v.iter();
        let Some(Value::String(id)) = it.next() else { return Err("a menu item needs an id") };
        let id = id.clone();
        let key = match it.next() {
            None | Some(Value::Null) => None,
            Some(n @ Value::Number(_)) => Some(key_index(n).ok_or("bad key index")?),
            Some(_) => return Err("a menu key must be an index"),
        };
        let children = match it.next() {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .map(|i| match i {
                    Value::Array(item) => BodyMenu::try_from(item.as_slice()),
                    _ => Err("menu children must be menu items"),
                })
                .collect::<Result<_, _>>()
                .map_err(|_| "menu children must be menu items")?,
            Some(_) => return Err("menu children must be menu items"),
        };
        let feature = match it.next() {
            None | Some(Value::Null) => None,
            Some(Value::String(f)) => Some(f.clone()),
            Some(_) => return Err("a menu feature must be a string"),
        };
        let platforms = match it.next() {
            None | Some(Value::Null) => None,
            Some(Value::Array(items)) => Some(
                items
                    .iter()
                    .map(|i| match i {
                        Value::String(p) => Ok(p.clone()),
                        _ => Err("menu platforms must be strings"),
                    })
                    .collect::<Result<_, _>>()?,
            ),
            Some(_) => return Err("menu platforms must be strings"),
        };
        if it.next().is_some() {
            return Err("a menu item has at most five parts");
        }
        Ok(BodyMenu { id, key, feature, platforms, children })
    }
}

impl From<BodyMenu> for Vec<Value> {
    fn from(m: BodyMenu) -> Vec<Value> {
        let mut v = vec![
            Value::String(m.id),
            m.key.map_or(Value::Null, Value::from),
            if m.children.is_empty() {
                Value::Null
            } else {
                Value::Array(m.children.into_iter().map(|c| Value::Array(c.into())).collect())
            },
            m.feature.map_or(Value::Null, Value::String),
            m.platforms.map_or(Value::Null, |p| Value::Array(p.into_iter().map(Value::String).collect())),
        ];
        while v.last() == Some(&Value::Null) {
            v.pop();
        }
        v
    }
}
