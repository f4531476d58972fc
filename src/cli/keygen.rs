//! `rolegate keygen`: a new Ed25519 signing key (private JWK, optional PKCS#8 PEM) and its public JWKS.

use super::input::{self, Secrecy};
use super::Host;
use super::{Outcome, EXIT_FAILED};
use crate::issue::SigningKey;

/// Generate an Ed25519 key pair: a private JWK to keep secret and a public JWKS to publish.
///
/// Files are created new: without `--force`, nothing is written if any of them exists. On unix the
/// private JWK and the PEM are created with mode 0600 (readable by their owner only), whatever the
/// umask.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// The key id put in the JWK and in every token signed with it (e.g. `2026-11`).
    #[arg(long)]
    kid: String,
    /// Write the private JWK here, mode 0600 on unix (default: print both keys as one JSON object).
    #[arg(long)]
    private: Option<String>,
    /// Write the public JWKS here.
    #[arg(long)]
    jwks: Option<String>,
    /// Also write the private key as PKCS#8 PEM here, mode 0600 on unix (for other JOSE stacks).
    #[arg(long)]
    pem: Option<String>,
    /// Overwrite existing files (they are replaced by new ones, with the modes above).
    #[arg(long)]
    force: bool,
}

pub(crate) fn run(a: Args, json: bool, host: &mut dyn Host) -> Outcome {
    let seed = match host.seed() {
        Ok(s) => s,
        Err(e) => return Outcome::error(EXIT_FAILED, "io", &e.to_string(), json),
    };
    let key = match SigningKey::with_seed(&a.kid, seed) {
        Ok(k) => k,
        Err(e) => return Outcome::from_error(EXIT_FAILED, &e, json),
    };
    let jwks = SigningKey::jwks(&[&key]);
    let writes = [
        (&a.private, key.private_jwk(), Secrecy::Private),
        (&a.jwks, jwks.clone(), Secrecy::Public),
        (&a.pem, key.private_pem(), Secrecy::Private),
    ];
    let paths = writes.iter().filter_map(|(path, _, _)| path.as_deref());
    if let Err(m) = input::refuse_existing(host, paths, a.force) {
        return Outcome::error(EXIT_FAILED, "io", &m, json);
    }
    for (path, text, secrecy) in writes {
        if let Some(path) = path {
            if let Err(m) = input::write(host, path, &text, a.force, secrecy) {
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
