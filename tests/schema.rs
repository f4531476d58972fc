//! The committed JSON Schema names every field the seed policies use (which the Rust types accept,
//! since they refuse unknown fields), and every field it names is one the Rust types accept.

#![cfg(feature = "issuer")]
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers fail the test on bad fixtures"
)]

use rolegate::policy::Policy;
use serde_json::{json, Value};

const SCHEMA: &str = include_str!("../schema/policy.schema.json");

fn def<'s>(schema: &'s Value, name: &str) -> &'s Value {
    &schema["$defs"][name]
}

/// Checks that every key of `doc` is a property of `node` (an object schema), recursing by name.
fn walk(schema: &Value, node: &Value, doc: &Value, at: &str) {
    let Some(obj) = doc.as_object() else { return };
    let props = node["properties"].as_object().unwrap_or_else(|| panic!("{at}: no properties in schema"));
    for (k, v) in obj {
        assert!(props.contains_key(k), "{at}/{k} is not in the schema");
        let child = match (at, k.as_str()) {
            ("", "roles") => Some(("role", true)),
            ("", "resources") => Some(("resource", true)),
            ("", "routes") => Some(("routes", false)),
            ("", "levels") => Some(("levels", false)),
            ("", "settings") => Some(("setting", true)),
            ("", "features") => Some(("feature", true)),
            ("", "admin") => Some(("admin", false)),
            _ => None,
        };
        match child {
            Some((name, true)) => {
                v.as_object().unwrap().values().for_each(|x| walk(schema, def(schema, name), x, name))
            }
            Some((name, false)) => walk(schema, def(schema, name), v, name),
            None => {}
        }
    }
}

#[test]
fn seed_policies_use_only_schema_fields() {
    let schema: Value = serde_json::from_str(SCHEMA).unwrap();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    for text in [
        include_str!("../examples/policies/commusoft.json"),
        include_str!("../examples/policies/property.json"),
        include_str!("../examples/policies/reconpro.json"),
        include_str!("../examples/policies/neptunecrm.json"),
    ] {
        walk(&schema, &schema, &serde_json::from_str(text).unwrap(), "");
    }
}

#[test]
fn every_schema_field_is_accepted_by_the_policy_type() {
    let schema: Value = serde_json::from_str(SCHEMA).unwrap();
    let sample = |node: &Value| -> Value {
        node["properties"].as_object().unwrap().keys().map(|k| (k.clone(), Value::Null)).collect()
    };
    // A policy with every root and role property present (nulls where a value is optional).
    let mut policy = json!({"product": "x", "keys": [], "roles": {}});
    for k in sample(&schema).as_object().unwrap().keys() {
        policy.as_object_mut().unwrap().entry(k.clone()).or_insert(Value::Null);
    }
    let role: Value = sample(def(&schema, "role"));
    policy["roles"] = json!({"r": role});
    for (k, v) in policy.as_object_mut().unwrap() {
        if v.is_null() && !["$schema", "$comment", "levels", "tenant_field", "routes"].contains(&k.as_str()) {
            *v = match k.as_str() {
                "custom_roles" | "allow_no_role" => json!(false),
                "admin" => json!({}),
                "ladders" | "settings" | "features" | "resources" => json!({}),
                _ => json!([]),
            };
        }
    }
    let role = policy["roles"]["r"].as_object_mut().unwrap();
    for (k, v) in role.iter_mut() {
        if v.is_null() && ["locked", "inherits_permissions"].contains(&k.as_str()) {
            *v = json!(true);
        } else if v.is_null() && ["inherits", "allow", "deny"].contains(&k.as_str()) {
            *v = json!([]);
        } else if v.is_null() && k == "settings" {
            *v = json!({});
        }
    }
    serde_json::from_value::<Policy>(policy).unwrap();
}
