//! The snapshot body (`rg`) in readable form for `verify` and `inspect`: every key named instead of
//! referred to by its index in the key table, and the one-letter members spelt out. The signed claims
//! are printed as they are beside it; this is only a reading aid.

use serde_json::{json, Map, Value};

use crate::eval::{Body, BodyMenu};

/// `rg` readable, or `None` when it is not a body this version reads.
///
/// ```ignore
/// let rg = serde_json::json!({"v": 1, "k": ["page.*", "page.admin"], "g": [0], "d": [1]});
/// assert_eq!(body(&rg).unwrap()["allow"], serde_json::json!(["page.*"]));
/// ```
pub(crate) fn body(rg: &Value) -> Option<Value> {
    let b = Body::from_value(rg)?;
    let key = |i: u32| b.key(i).map_or(Value::Null, |k| Value::String(k.to_owned()));
    let keys = |is: &[u32]| Value::Array(is.iter().map(|&i| key(i)).collect());
    let opt = |i: Option<u32>| i.map_or(Value::Null, key);
    let mut out = Map::new();
    let mut put = |name: &str, v: Value| {
        if !empty(&v) || name == "version" {
            out.insert(name.to_owned(), v);
        }
    };
    put("version", json!(b.version));
    put("user", json!(b.user));
    put("name", json!(b.name));
    put("tenant", json!(b.tenant));
    if b.inactive {
        put("inactive", json!(true));
    }
    put("roles", json!(b.roles));
    put("platforms", json!(b.platforms));
    put("allow", keys(&b.allow));
    put("scoped", b.scoped.iter().map(|s| json!({ "key": key(s.key), "scopes": s.scopes })).collect());
    put("deny", keys(&b.deny));
    put(
        "features_off",
        b.features_off.iter().map(|(f, is)| (f.clone(), keys(is))).collect::<Map<_, _>>().into(),
    );
    put("teams", json!(b.teams));
    put("areas", json!(b.areas));
    put("clients", json!(b.clients));
    put("settings", json!(b.settings));
    put("settings_forced", json!(b.forced));
    put("settings_not_applicable", json!(b.not_applicable));
    put("tenant_field", json!(b.tenant_field));
    let resources: Map<String, Value> = b
        .resources
        .iter()
        .map(|(name, r)| {
            let fields: Map<String, Value> = r
                .fields
                .iter()
                .map(|(f, rule)| (f.clone(), json!({ "requires": opt(rule.key), "setting": rule.setting })))
                .collect();
            let v = json!({
                "keys": r.prefix, "view": opt(r.view), "tenant_field": r.tenant_field, "owner": r.owner,
                "owner_by_name": r.owner_name, "team": r.team, "area": r.area, "client": r.client,
                "shared": r.shared, "fields": fields, "placeholder": r.placeholder,
            });
            (name.clone(), strip(v))
        })
        .collect();
    put("resources", resources.into());
    if let Some(rt) = &b.routes {
        let rules: Vec<Value> = rt
            .rules
            .iter()
            .map(|r| strip(json!({ "path": r.pattern, "requires": opt(r.key), "on_deny": r.target })))
            .collect();
        put(
            "routes",
            json!({ "home": rt.home, "fallback_allow": rt.fallback_allow, "on_deny": rt.on_deny,
                    "on_platform_deny": rt.on_platform_deny, "rules": rules }),
        );
    }
    fn menu(items: &[BodyMenu], key: &dyn Fn(u32) -> Value) -> Value {
        let item = |m: &BodyMenu| {
            strip(json!({ "id": m.id, "requires": m.key.map_or(Value::Null, key), "feature": m.feature,
                          "platforms": m.platforms, "children": menu(&m.children, key) }))
        };
        Value::Array(items.iter().map(item).collect())
    }
    put("menu", menu(&b.menu, &key));
    put("catalogue", json!(b.catalogue));
    Some(Value::Object(out))
}

/// Whether `v` is `null`, `[]` or `{}`: a default a reader need not see.
fn empty(v: &Value) -> bool {
    v.is_null() || v.as_array().is_some_and(Vec::is_empty) || v.as_object().is_some_and(Map::is_empty)
}

/// An object without its [`empty`] members.
fn strip(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(m.into_iter().filter(|(_, v)| !empty(v)).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_named_and_members_spelt_out() {
        let rg = json!({"v": 1, "k": ["page.*", "page.admin", "data.customer.view", "finance.costs.view"],
            "g": [0], "d": [1], "gs": [[2, "own"]],
            "rs": {"customer": {"k": "data.customer", "v": 2, "o": ["consultant.id"], "f": {"cost": {"k": 3}}}},
            "rt": {"r": [["/", 0], ["/admin/{*rest}", 1, "logout"]]}, "m": [["admin", 1, [["admin.users", 1]]]],
            "kc": ["page.jobs.view"]});
        let b = body(&rg).unwrap();
        assert_eq!(b["allow"], json!(["page.*"]));
        assert_eq!(b["deny"], json!(["page.admin"]));
        assert_eq!(b["scoped"], json!([{"key": "data.customer.view", "scopes": ["own"]}]));
        assert_eq!(b["resources"]["customer"]["view"], json!("data.customer.view"));
        assert_eq!(
            b["resources"]["customer"]["fields"]["cost"],
            json!({"requires": "finance.costs.view", "setting": null})
        );
        assert_eq!(
            b["routes"]["rules"][1],
            json!({"path": "/admin/{*rest}", "requires": "page.admin", "on_deny": "logout"})
        );
        assert_eq!(b["menu"][0]["children"][0], json!({"id": "admin.users", "requires": "page.admin"}));
        assert_eq!(b["catalogue"], json!(["page.jobs.view"]));
        assert_eq!(body(&json!({"v": 1, "zz": 0})), None);
    }
}
