//! Writing a snapshot body as the JSON of the `rg` claim, by the names of `body_format.rs` (the
//! table the reader uses too). A member at its default is left out, so the body stays small.

use serde_json::{Map, Value};

use super::body::{
    Body, BodyField, BodyResource, BodyRoutes, DEFAULT_HOME, DEFAULT_ON_DENY, DEFAULT_ON_PLATFORM_DENY,
};
use super::body_format as names;

impl Body {
    /// The body as the JSON object that goes into the `rg` claim.
    ///
    /// ```
    /// let body = rolegate::eval::Body::from_keys(&["page.*"], &["page.admin"]);
    /// assert_eq!(body.to_value(), serde_json::json!({"v": 1, "k": ["page.*", "page.admin"], "g": [0], "d": [1]}));
    /// ```
    pub fn to_value(&self) -> Value {
        let mut o = Object::default();
        o.put(names::body::VERSION, self.version.into());
        o.some(names::body::USER, self.user.as_deref().map(Value::from));
        o.some(names::body::NAME, self.name.as_deref().map(Value::from));
        o.some(names::body::TENANT, self.tenant.as_deref().map(Value::from));
        o.some(names::body::INACTIVE, self.inactive.then_some(Value::Bool(true)));
        o.list(names::body::ROLES, strings(&self.roles));
        o.some(names::body::PLATFORMS, self.platforms.as_deref().map(|p| Value::Array(strings(p))));
        o.list(names::body::ALLOW, indices(&self.allow));
        o.list(names::body::SCOPED, self.scoped.iter().map(|g| Value::Array(g.clone().into())).collect());
        o.list(names::body::DENY, indices(&self.deny));
        o.map(names::body::FEATURES_OFF, &self.features_off, |keys| Value::Array(indices(keys)));
        o.list(names::body::TEAMS, strings(&self.teams));
        o.list(names::body::AREAS, strings(&self.areas));
        o.list(names::body::CLIENTS, strings(&self.clients));
        o.some(names::body::CLIENT_ISOLATION, self.client_isolation.then_some(Value::Bool(true)));
        if !self.settings.is_empty() {
            let settings = self.settings.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            o.put(names::body::SETTINGS, Value::Object(settings));
        }
        o.list(names::body::FORCED, strings(&self.forced));
        o.list(names::body::NOT_APPLICABLE, strings(&self.not_applicable));
        o.list(names::body::KEYS, strings(&self.keys));
        o.some(names::body::CATALOGUE, self.catalogue.as_deref().map(|c| Value::Array(strings(c))));
        o.some(names::body::TENANT_FIELD, self.tenant_field.as_deref().map(Value::from));
        o.map(names::body::RESOURCES, &self.resources, resource);
        o.some(names::body::ROUTES, self.routes.as_ref().map(routes));
        o.list(names::body::MENU, self.menu.iter().map(|m| Value::Array(m.clone().into())).collect());
        o.into()
    }
}

fn resource(r: &BodyResource) -> Value {
    let mut o = Object::default();
    o.some(names::resource::PREFIX, r.prefix.as_deref().map(Value::from));
    o.some(names::resource::TENANT_FIELD, r.tenant_field.as_deref().map(Value::from));
    o.list(names::resource::OWNER, strings(&r.owner));
    o.list(names::resource::OWNER_NAME, strings(&r.owner_name));
    o.some(names::resource::TEAM, r.team.as_deref().map(Value::from));
    o.some(names::resource::AREA, r.area.as_deref().map(Value::from));
    o.some(names::resource::CLIENT, r.client.as_deref().map(Value::from));
    let shared = r
        .shared
        .as_ref()
        .map(|(f, values)| Value::Array(vec![f.as_str().into(), Value::Array(strings(values))]));
    o.some(names::resource::SHARED, shared);
    o.some(names::resource::VIEW, r.view.map(Value::from));
    o.map(names::resource::FIELDS, &r.fields, field);
    o.some(names::resource::PLACEHOLDER, r.placeholder.clone());
    o.into()
}

fn field(f: &BodyField) -> Value {
    let mut o = Object::default();
    o.some(names::field::KEY, f.key.map(Value::from));
    o.some(names::field::SETTING, f.setting.as_deref().map(Value::from));
    o.into()
}

fn routes(r: &BodyRoutes) -> Value {
    let mut o = Object::default();
    let unless = |value: &str, default: &str| (value != default).then(|| Value::from(value));
    o.some(names::routes::HOME, unless(&r.home, DEFAULT_HOME));
    o.some(names::routes::FALLBACK_ALLOW, r.fallback_allow.then_some(Value::Bool(true)));
    o.some(names::routes::ON_DENY, unless(&r.on_deny, DEFAULT_ON_DENY));
    o.some(names::routes::ON_PLATFORM_DENY, unless(&r.on_platform_deny, DEFAULT_ON_PLATFORM_DENY));
    o.put(
        names::routes::RULES,
        Value::Array(r.rules.iter().map(|x| Value::Array(x.clone().into())).collect()),
    );
    o.into()
}

fn strings(list: &[String]) -> Vec<Value> {
    list.iter().map(|s| Value::from(s.as_str())).collect()
}

fn indices(list: &[u32]) -> Vec<Value> {
    list.iter().map(|&i| Value::from(i)).collect()
}

/// A JSON object being written; members at their default are not put.
#[derive(Default)]
struct Object(Map<String, Value>);

impl Object {
    fn put(&mut self, name: &str, value: Value) {
        self.0.insert(name.to_owned(), value);
    }

    fn some(&mut self, name: &str, value: Option<Value>) {
        if let Some(v) = value {
            self.put(name, v);
        }
    }

    fn list(&mut self, name: &str, items: Vec<Value>) {
        if !items.is_empty() {
            self.put(name, Value::Array(items));
        }
    }

    /// `entries` as an object of `write(value)` by name, unless there are none.
    fn map<T>(&mut self, name: &str, entries: &[(String, T)], write: impl Fn(&T) -> Value) {
        if !entries.is_empty() {
            self.put(name, Value::Object(entries.iter().map(|(k, v)| (k.clone(), write(v))).collect()));
        }
    }
}

impl From<Object> for Value {
    fn from(o: Object) -> Value {
        Value::Object(o.0)
    }
}
