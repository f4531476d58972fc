//! Compiles and signs snapshots for the benchmark workloads (`bench/`): a policy file and a users
//! file (`{name: user record}`) in, `{"jwks", "now", "tokens": {name: token}}` out, with a fixed test
//! key and issue time. The same path a server takes: `Compiler::claims` then `SigningKey::sign`.
//!
//! Run: `cargo run --example bench_sign -- POLICY.json USERS.json [issued-at-seconds] [ttl-seconds]`

use std::error::Error;

use rolegate::compile::Compiler;
use rolegate::issue::SigningKey;
use rolegate::policy::User;
use serde_json::{json, Map, Value};

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: bench_sign POLICY.json USERS.json [issued-at] [ttl]";
    let policy = args.next().ok_or(usage)?;
    let users = args.next().ok_or(usage)?;
    let now: f64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(1_700_000_000.0);
    let ttl: f64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(86_400.0 * 3650.0);
    let compiler = Compiler::from_json(&std::fs::read_to_string(policy)?)?;
    let users: Map<String, Value> = serde_json::from_str(&std::fs::read_to_string(users)?)?;
    let key = SigningKey::from_seed("bench-key", [9; 32]);
    let mut tokens = Map::new();
    for (name, record) in &users {
        let user = User::from_json(&record.to_string())?;
        let claims = compiler.claims(&user, "bench", now, now + ttl, 1)?;
        tokens.insert(name.clone(), key.sign(&claims)?.into());
    }
    let jwks: Value = serde_json::from_str(&SigningKey::jwks(&[&key]))?;
    println!("{}", json!({ "jwks": jwks, "now": now, "tokens": tokens }));
    Ok(())
}
