//! Reading a snapshot body from its JSON (the `rg` claim), written out by hand.
//!
//! serde's derived deserializers did this before; each one instantiated for `Value` cost more of the
//! browser module than the evaluator itself. The rules are the ones the derive had: every member
//! but `v` may be absent (its default then), an optional member may also be `null`, any other wrong
//! type or an unknown member makes the whole body unreadable.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::body::{
    Body, BodyField, BodyMenu, BodyResource, BodyRoute, BodyRoutes, ScopedGrant, DEFAULT_HOME,
    DEFAULT_ON_DENY, DEFAULT_ON_PLATFORM_DENY,
};
use super::body_format::{self as names, key_index};

impl Body {
    /// Reads a body from the JSON of the `rg` claim; `None` when it does not have the shape of one
    /// (a wrong type, a missing `v`, or a member this version does not know).
    ///
    /// ```
    /// use rolegate::eval::Body;
    /// let body = Body::from_value(&serde_json::json!({"v": 1, "k": ["page.*"], "g": [0]})).unwrap();
    /// assert_eq!(Body::from_value(&body.to_value()), Some(body));
    /// assert_eq!(Body::from_value(&serde_json::json!({"v": 1, "g": "0"})), None);
    /// assert_eq!(Body::from_value(&serde_json::json!({"v": 1, "extra": 0})), None);
    /// ```
    pub fn from_value(value: &Value) -> Option<Body> {
        body(value)
    }
}

/// The members of one object; each is taken once, and any left over is an unknown member.
struct Members<'a> {
    map: &'a Map<String, Value>,
    taken: usize,
}

impl<'a> Members<'a> {
    fn of(v: &'a Value) -> Option<Members<'a>> {
        v.as_object().map(|map| Members { map, taken: 0 })
    }

    fn get(&mut self, name: &str) -> Option<&'a Value> {
        let v = self.map.get(name);
        self.taken += usize::from(v.is_some());
        v
    }

    /// A member that may be absent (its default then) but not `null`.
    fn or_default<T: Default>(&mut self, name: &str, read: impl Fn(&'a Value) -> Option<T>) -> Option<T> {
        match self.get(name) {
            None => Some(T::default()),
            Some(v) => read(v),
        }
    }

    /// A member that may be absent or `null` (both `None`).
    fn optional<T>(&mut self, name: &str, read: impl Fn(&'a Value) -> Option<T>) -> Option<Option<T>> {
        match self.get(name) {
            None | Some(Value::Null) => Some(None),
            Some(v) => read(v).map(Some),
        }
    }

    /// Whether every member was taken (no unknown member).
    fn all_known(&self) -> bool {
        self.taken == self.map.len()
    }
}

fn string(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

fn boolean(v: &Value) -> Option<bool> {
    v.as_bool()
}

fn list<T>(v: &Value, read: impl Fn(&Value) -> Option<T>) -> Option<Vec<T>> {
    v.as_array()?.iter().map(read).collect()
}

fn strings(v: &Value) -> Option<Vec<String>> {
    list(v, string)
}

fn indices(v: &Value) -> Option<Vec<u32>> {
    list(v, key_index)
}

/// An object's members, each read with `read`, as entries in name order.
fn entries<T>(v: &Value, read: impl Fn(&Value) -> Option<T>) -> Option<Vec<(String, T)>> {
    v.as_object()?.iter().map(|(k, v)| Some((k.clone(), read(v)?))).collect()
}

/// An object's members, each read with `read`. Inserted one by one: `collect` into a `BTreeMap`
/// sorts first, and each instantiation of that sort cost kilobytes of the browser module.
fn map<T>(v: &Value, read: impl Fn(&Value) -> Option<T>) -> Option<BTreeMap<String, T>> {
    let mut out = BTreeMap::new();
    for (k, v) in v.as_object()? {
        out.insert(k.clone(), read(v)?);
    }
    Some(out)
}

/// A body, or `None` when `v` does not have the shape of one.
fn body(v: &Value) -> Option<Body> {
    let mut m = Members::of(v)?;
    let body = Body {
        version: m.get(names::body::VERSION).and_then(Value::as_u64).and_then(|n| u8::try_from(n).ok())?,
        user: m.optional(names::body::USER, string)?,
        name: m.optional(names::body::NAME, string)?,
        tenant: m.optional(names::body::TENANT, string)?,
        inactive: m.or_default(names::body::INACTIVE, boolean)?,
        roles: m.or_default(names::body::ROLES, strings)?,
        platforms: m.optional(names::body::PLATFORMS, strings)?,
        allow: m.or_default(names::body::ALLOW, indices)?,
        scoped: m.or_default(names::body::SCOPED, |v| {
            list(v, |g| ScopedGrant::try_from(g.as_array()?.as_slice()).ok())
        })?,
        deny: m.or_default(names::body::DENY, indices)?,
        features_off: m.or_default(names::body::FEATURES_OFF, |v| entries(v, indices))?,
        teams: m.or_default(names::body::TEAMS, strings)?,
        areas: m.or_default(names::body::AREAS, strings)?,
        clients: m.or_default(names::body::CLIENTS, strings)?,
        client_isolation: m.or_default(names::body::CLIENT_ISOLATION, boolean)?,
        settings: m.or_default(names::body::SETTINGS, |v| map(v, |s| Some(s.clone())))?,
        forced: m.or_default(names::body::FORCED, strings)?,
        not_applicable: m.or_default(names::body::NOT_APPLICABLE, strings)?,
        keys: m.or_default(names::body::KEYS, strings)?,
        catalogue: m.optional(names::body::CATALOGUE, strings)?,
        tenant_field: m.optional(names::body::TENANT_FIELD, string)?,
        resources: m.or_default(names::body::RESOURCES, |v| entries(v, resource))?,
        routes: m.optional(names::body::ROUTES, routes)?,
        menu: m.or_default(names::body::MENU, |v| {
            list(v, |i| BodyMenu::try_from(i.as_array()?.as_slice()).ok())
        })?,
    };
    m.all_known().then_some(body)
}

fn resource(v: &Value) -> Option<BodyResource> {
    let mut m = Members::of(v)?;
    let shared = |v: &Value| match v.as_array()?.as_slice() {
        [field, values] => Some((string(field)?, strings(values)?)),
        _ => None,
    };
    let r = BodyResource {
        prefix: m.optional(names::resource::PREFIX, string)?,
        tenant_field: m.optional(names::resource::TENANT_FIELD, string)?,
        owner: m.or_default(names::resource::OWNER, strings)?,
        owner_name: m.or_default(names::resource::OWNER_NAME, strings)?,
        team: m.optional(names::resource::TEAM, string)?,
        area: m.optional(names::resource::AREA, string)?,
        client: m.optional(names::resource::CLIENT, string)?,
        shared: m.optional(names::resource::SHARED, shared)?,
        view: m.optional(names::resource::VIEW, key_index)?,
        fields: m.or_default(names::resource::FIELDS, |v| entries(v, field))?,
        placeholder: m.optional(names::resource::PLACEHOLDER, |v| Some(v.clone()))?,
    };
    m.all_known().then_some(r)
}

fn field(v: &Value) -> Option<BodyField> {
    let mut m = Members::of(v)?;
    let f = BodyField {
        key: m.optional(names::field::KEY, key_index)?,
        setting: m.optional(names::field::SETTING, string)?,
    };
    m.all_known().then_some(f)
}

fn routes(v: &Value) -> Option<BodyRoutes> {
    let mut m = Members::of(v)?;
    let text = |name: &str, default: &str, m: &mut Members<'_>| match m.get(name) {
        None => Some(default.to_owned()),
        Some(v) => string(v),
    };
    let r = BodyRoutes {
        home: text(names::routes::HOME, DEFAULT_HOME, &mut m)?,
        fallback_allow: m.or_default(names::routes::FALLBACK_ALLOW, boolean)?,
        on_deny: text(names::routes::ON_DENY, DEFAULT_ON_DENY, &mut m)?,
        on_platform_deny: text(names::routes::ON_PLATFORM_DENY, DEFAULT_ON_PLATFORM_DENY, &mut m)?,
        rules: m.or_default(names::routes::RULES, |v| {
            list(v, |r| BodyRoute::try_from(r.as_array()?.as_slice()).ok())
        })?,
    };
    m.all_known().then_some(r)
}
