//! `rolegate inspect`: decode a token WITHOUT verifying it, clearly labelled unverified.

use super::{input, Host, Outcome, EXIT_FAILED, EXIT_REFUSED};
use crate::unverified::UnverifiedSnapshot;

/// Decode a token's header and claims without checking its signature (for debugging only).
#[derive(clap::Args)]
pub(crate) struct Args {
    /// The token, `-` for stdin, or `@file`.
    token: String,
}

pub(crate) fn run(a: Args, json: bool, host: &mut dyn Host) -> Outcome {
    let token = match input::exact_token(host, &a.token) {
        Ok(t) => t,
        Err(m) => return Outcome::error(EXIT_FAILED, "io", &m, json),
    };
    match UnverifiedSnapshot::decode(&token) {
        Ok(s) => {
            let times = super::times::of_claims(&s.payload);
            let body = s.payload.get("rg").and_then(super::readable::body);
            let out = serde_json::json!({
                "verified": false, "header": s.header, "payload": s.payload, "times": times, "body": body,
            });
            let mut text = format!("{out:#}\n");
            if !json {
                text.insert_str(0, "UNVERIFIED: decoded without checking the signature; do not trust it\n");
            }
            Outcome::ok(text)
        }
        Err(e) => Outcome::from_error(EXIT_REFUSED, &e, json),
    }
}
