//! Compiles every sample user of a product against its policy and signs a snapshot for each, with a
//! fixed test key and issue time: the Rust issuing API end to end, and fixtures for the JS tests.
//!
//! Run: `cargo run --example sign_users -- neptunecrm [issued-at-seconds] [ttl-seconds]`
//! Prints `{"jwks": …, "now": …, "tokens": {user: token}, "refused": {user: error code}}`.

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
    let compiler = Compiler::from_json(&std::fs::read_to_string(format!("{dir}/{product}.json"))?)?;
    let users: Map<String, Value> =
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}/{product}.users.json"))?)?;
    let key = SigningKey::from_seed("test-key", [7; 32]);
    let (mut tokens, mut refused) = (Map::new(), Map::new());
    for (name, record) in &users {
        let user = User::from_json(&record.to_string())?;
        match compiler.claims(&user, "app", now, now + ttl, 1) {
            Ok(claims) => tokens.insert(name.clone(), key.sign(&claims)?.into()),
            Err(e) => refused.insert(name.clone(), e.code().into()),
        };
    }
    let jwks: Value = serde_json::from_str(&SigningKey::jwks(&[&key]))?;
    println!("{}", json!({ "jwks": jwks, "now": now, "tokens": tokens, "refused": refused }));
    Ok(())
}
