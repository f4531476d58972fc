//! Writes a development key set and freshly signed snapshots for the demo page:
//! `www/dev/jwks.json` (public keys) and `www/dev/snapshots.json` (one token per sample user).
//! The private key is created once in `.dev/` (git-ignored) and reused.
//!
//! Run: `cargo run --example dev_snapshot --features keygen [ttl-seconds]`

use std::fs;
use std::path::Path;

use rolegate::eval::Body;
use rolegate::issue::SigningKey;
use rolegate::{Claims, Clock};
use serde_json::json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ttl: f64 = std::env::args().nth(1).map(|s| s.parse()).transpose()?.unwrap_or(600.0);
    let key_path = Path::new(".dev/signing-key.json");
    let key = if key_path.exists() {
        SigningKey::from_jwk(&fs::read_to_string(key_path)?)?
    } else {
        let key = SigningKey::generate("dev-1")?;
        fs::create_dir_all(".dev")?;
        fs::write(key_path, key.private_jwk())?;
        key
    };
    let now = Clock::system().now().floor();
    let users = [
        ("alice", "Office manager", Body::from_keys(&["page.*", "api.email.*"], &["page.admin.billing"])),
        ("bob", "Field engineer", Body::from_keys(&["page.jobs.*", "page.diary.view"], &[])),
    ];
    let mut snapshots = Vec::new();
    for (sub, label, body) in users {
        let mut claims = Claims::new(sub, "rolegate-demo", now, now + ttl, 1, body.to_value());
        claims.tenant = Some("acme".to_owned());
        snapshots.push(json!({ "user": sub, "label": label, "token": key.sign(&claims)? }));
    }
    fs::create_dir_all("www/dev")?;
    fs::write("www/dev/jwks.json", SigningKey::jwks(&[&key]))?;
    fs::write("www/dev/snapshots.json", serde_json::to_string_pretty(&snapshots)?)?;
    println!("wrote www/dev/jwks.json and www/dev/snapshots.json ({} users, ttl {ttl} s)", snapshots.len());
    Ok(())
}
