//! `rolegate keygen`: a new Ed25519 signing key (private JWK, optional PKCS#8 PEM) and its public JWKS.

use super::{input, Outcome, EXIT_FAILED};
use crate::issue::SigningKey;

/// Generate an Ed25519 key pair: a private JWK to keep secret and a public JWKS to publish.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// The key id put in the JWK and in every token signed with it (e.g. `2026-11`).
    #[arg(long)]
    kid: String,
    /// Write the private JWK here (default: print both keys as one JSON object).
    #[arg(long)]
    private: Option<String>,
    /// Write the public JWKS here.
    #[arg(long)]
    jwks: Option<String>,
    /// Also write the private key as PKCS#8 PEM here (for other JOSE stacks).
    #[arg(long)]
    pem: Option<String>,
    /// Overwrite existing files.
    #[arg(long)]
    force: bool,
}

pub(crate) fn run(a: Args, json: bool) -> Outcome {
    let key = match SigningKey::generate(&a.kid) {
        Ok(k) => k,
        Err(e) => return Outcome::from_error(EXIT_FAILED, &e, json),
    };
    let jwks = SigningKey::jwks(&[&key]);
    let writes = [(&a.private, key.private_jwk()), (&a.jwks, jwks.clone()), (&a.pem, key.private_pem())];
    for (path, text) in writes {
        if let Some(path) = path {
            if let Err(m) = input::write(path, &text, a.force) {
                return Outcome::error(EXIT_FAILED, "io", &m, json);
            }
        }
    }
    if a.private.is_none() {
        let both = serde_json::json!({ "kid": a.kid, "private_jwk": serde_json::from_str::<serde_json::Value>(&key.private_jwk()).unwrap_or_default(), "jwks": serde_json::from_str::<serde_json::Value>(&jwks).unwrap_or_default() });
        return Outcome::ok(format!("{both:#}\n"));
    }
    if json {
        return Outcome::ok(format!("{}\n", serde_json::json!({ "ok": true, "kid": a.kid })));
    }
    Outcome::ok(format!("generated key `{}`\n", a.kid))
}
