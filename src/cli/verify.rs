//! `rolegate verify`: verify a token against a JWKS exactly as a gate does, and print its claims, the
//! times as dates and the body in readable form (src/cli/readable.rs).

use super::{input, Host, Outcome, EXIT_FAILED, EXIT_REFUSED};
use crate::{Clock, Gate, GateOptions, Keyring};

/// Verify a token (signature, key, algorithm, times, audience, issuer) and print its claims, with the
/// body beside them in readable form (`body`: keys by name, members spelt out).
///
/// The token is taken exactly as a gate takes it: surrounding or inner whitespace is `malformed`. The
/// one exception is a single line end (`\n` or `\r\n`) at the end of stdin or of a file, as `echo` and
/// editors write it; it is dropped.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// The token, `-` for stdin, or `@file` (one trailing line end of stdin or a file is dropped;
    /// any other whitespace is refused as `malformed`, as by a gate).
    token: String,
    /// The public JWKS file.
    #[arg(long)]
    jwks: String,
    /// The audience the token must be for.
    #[arg(long)]
    aud: String,
    /// The issuer the token must come from.
    #[arg(long)]
    iss: Option<String>,
    /// Check at this time (seconds since the epoch) instead of now.
    #[arg(long)]
    now: Option<f64>,
    /// Allowed clock skew in seconds.
    #[arg(long, default_value_t = crate::limits::DEFAULT_CLOCK_SKEW_SEC)]
    skew: f64,
}

pub(crate) fn run(a: Args, json: bool, host: &mut dyn Host) -> Outcome {
    let (token, jwks) = match (input::exact_token(host, &a.token), input::read(host, &a.jwks)) {
        (Ok(t), Ok(j)) => (t, j),
        (Err(m), _) | (_, Err(m)) => return Outcome::error(EXIT_FAILED, "io", &m, json),
    };
    let keys = match Keyring::from_jwks(&jwks) {
        Ok(k) => k,
        Err(e) => return Outcome::from_error(EXIT_FAILED, &e, json),
    };
    let mut options = GateOptions::new(keys, &a.aud);
    options.issuer = a.iss;
    options.clock_skew_sec = a.skew;
    if let Some(now) = a.now {
        options.clock = Clock::fixed(now);
    }
    let mut gate = match Gate::new(options) {
        Ok(g) => g,
        Err(e) => return Outcome::from_error(EXIT_FAILED, &e, json),
    };
    match gate.load(&token) {
        Ok(_) => {
            let claims = gate.claims().map(serde_json::to_value).transpose().unwrap_or_default();
            let times = claims.as_ref().map(super::times::of_claims).unwrap_or_default();
            let body = claims.as_ref().and_then(|c| c.get("rg")).and_then(super::readable::body);
            let out = serde_json::json!({ "ok": true, "verified": true, "claims": claims, "times": times, "body": body });
            Outcome::ok(format!("{out:#}\n"))
        }
        Err(e) => Outcome::from_error(EXIT_REFUSED, &e, json),
    }
}
