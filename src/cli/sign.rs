//! `rolegate sign`: sign a snapshot token with a private JWK.

use super::{input, Outcome, EXIT_FAILED};
use crate::issue::SigningKey;
use crate::{Claims, Clock};

/// Sign a snapshot for a user: the permission body is given as JSON.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// The private JWK file (from `rolegate keygen`).
    #[arg(long)]
    key: String,
    /// The user the snapshot is for (`sub`).
    #[arg(long)]
    sub: String,
    /// The audience (`aud`).
    #[arg(long)]
    aud: String,
    /// The issuer (`iss`).
    #[arg(long)]
    iss: Option<String>,
    /// The tenant (`tid`).
    #[arg(long)]
    tid: Option<String>,
    /// A unique id for the snapshot (`jti`).
    #[arg(long)]
    jti: Option<String>,
    /// The revision of the user's permissions (`rev`).
    #[arg(long, default_value_t = 0)]
    rev: u64,
    /// Lifetime in seconds.
    #[arg(long, default_value_t = 600.0)]
    ttl: f64,
    /// Issue at this time (seconds since the epoch) instead of now.
    #[arg(long)]
    now: Option<f64>,
    /// The permission body (`rg`) as JSON: inline, `-` for stdin, or `@file`.
    #[arg(long)]
    body: String,
}

pub(crate) fn run(a: Args, json: bool) -> Outcome {
    let key = match input::read(&a.key).map(|t| SigningKey::from_jwk(&t)) {
        Ok(Ok(k)) => k,
        Ok(Err(e)) => return Outcome::from_error(EXIT_FAILED, &e, json),
        Err(m) => return Outcome::error(EXIT_FAILED, "io", &m, json),
    };
    let body = match input::token(&a.body).map(|t| serde_json::from_str::<serde_json::Value>(&t)) {
        Ok(Ok(b)) => b,
        Ok(Err(e)) => {
            return Outcome::error(EXIT_FAILED, "bad_body", &format!("the body is not JSON: {e}"), json)
        }
        Err(m) => return Outcome::error(EXIT_FAILED, "io", &m, json),
    };
    if !(a.ttl.is_finite() && a.ttl > 0.0) {
        return Outcome::error(
            EXIT_FAILED,
            "bad_config",
            "`--ttl` must be a positive number of seconds",
            json,
        );
    }
    let now = a.now.unwrap_or_else(|| Clock::system().now().floor());
    let mut claims = Claims::new(&a.sub, &a.aud, now, now + a.ttl, a.rev, body);
    claims.iss = a.iss;
    claims.tenant = a.tid;
    claims.jti = a.jti;
    match key.sign(&claims) {
        Ok(token) if json => Outcome::ok(format!("{}\n", serde_json::json!({ "ok": true, "token": token }))),
        Ok(token) => Outcome::ok(format!("{token}\n")),
        Err(e) => Outcome::from_error(EXIT_FAILED, &e, json),
    }
}
