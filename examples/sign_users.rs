//! Compiles every sample user of a product against its policy and signs a snapshot for each, with a
//! fixed test key and issue time: the Rust issuing API end to end, and fixtures for the JS tests.
//!
//! Run: `cargo run --example sign_users -- neptunecrm [issued-at-seconds] [ttl-seconds]`
//! Prints `{"jwks": …, "now": …, "tokens": {user: token}, "refused": {user: error code}, "plans":
//! {user: {resource: {action: plan}}}}`: for each signed user, the query plan (its JSON form) of
//! every resource for `view` and each action its keys name, as a gate with no platform gives it.

use std::error::Error;

use rolegate::compile::Compiler;
use rolegate::issue::SigningKey;
use rolegate::policy::User;
use serde_json::{json, Map, Value};

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let product = args.next().ok_or("usage: sign_users PRODUCT [issued-at] [ttl]")?;
    let now: f64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(1_700_000_000.0);
    let ttl: f64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(600.0);
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/policies");
    let policy = std::fs::read_to_string(format!("{dir}/{product}.json"))?;
    let compiler = Compiler::from_json(&policy)?;
    let actions = actions(&serde_json::from_str(&policy)?);
    let users: Map<String, Value> =
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}/{product}.users.json"))?)?;
    let key = SigningKey::from_seed("test-key", [7; 32]);
    let (mut tokens, mut refused, mut plans) = (Map::new(), Map::new(), Map::new());
    for (name, record) in &users {
        let user = User::from_json(&record.to_string())?;
        match compiler.claims(&user, "app", now, now + ttl, 1) {
            Ok(claims) => tokens.insert(name.clone(), key.sign(&claims)?.into()),
            Err(e) => refused.insert(name.clone(), e.code().into()),
        };
        if tokens.contains_key(name) {
            let mut by_resource = Map::new();
            for (resource, names) in &actions {
                let mut by_action = Map::new();
                for action in names {
                    by_action
                        .insert(action.clone(), compiler.query(&user, resource, Some(action))?.to_json());
                }
                by_resource.insert(resource.clone(), by_action.into());
            }
            plans.insert(name.clone(), by_resource.into());
        }
    }
    let jwks: Value = serde_json::from_str(&SigningKey::jwks(&[&key]))?;
    println!("{}", json!({ "jwks": jwks, "now": now, "tokens": tokens, "refused": refused, "plans": plans }));
    Ok(())
}

/// Each resource of `policy` with the actions to plan: `view`, and every `<action>` of a catalogue key
/// `<the resource's key prefix>.<action>`.
fn actions(policy: &Value) -> Vec<(String, Vec<String>)> {
    let catalogue: Vec<&str> =
        policy["keys"].as_array().map(|k| k.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    let resources = policy["resources"].as_object().cloned().unwrap_or_default();
    resources
        .iter()
        .map(|(name, r)| {
            let mut names = vec!["view".to_owned()];
            if let Some(prefix) = r["keys"].as_str() {
                let dotted = format!("{prefix}.");
                for key in &catalogue {
                    if let Some(action) = key.strip_prefix(&dotted) {
                        if !names.iter().any(|n| n == action) {
                            names.push(action.to_owned());
                        }
                    }
                }
            }
            (name.clone(), names)
        })
        .collect()
}
