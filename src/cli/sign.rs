//! `rolegate sign`: sign a snapshot token with a private JWK, from a policy and a user record (the
//! compiler writes the body) or from a raw permission body.

use super::subject::PolicyUser;
use super::{input, Host, Outcome, EXIT_FAILED};
use crate::issue::SigningKey;
use crate::{Claims, Clock};

/// Sign a snapshot for a user, from a policy or from a raw permission body.
///
/// Policy mode compiles a user under a policy (`--policy` with `--user`, or `--users` and `--user-id`);
/// raw mode signs the permission body given (`--sub` and `--body`). Give exactly one of the two.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    rolegate sign --key key.jwk --aud my-app --policy policy.json --user alice.json --rev 12\n  \
    rolegate sign --key key.jwk --aud my-app --policy policy.json --users staff.users.json --user-id alice\n  \
    rolegate sign --key key.jwk --aud my-app --sub alice --body @body.json")]
pub(crate) struct Args {
    /// The private JWK file (from `rolegate keygen`); its `kid` goes in the token's header.
    #[arg(long, value_name = "FILE")]
    key: String,
    /// Refuse to sign unless the key's `kid` is this one (a guard during key rotation).
    #[arg(long)]
    kid: Option<String>,
    #[command(flatten)]
    subject: PolicyUser,
    /// Raw mode: the user the snapshot is for (`sub`).
    #[arg(long, required_unless_present = "policy", conflicts_with = "policy")]
    sub: Option<String>,
    /// Raw mode: the tenant (`tid`). With `--policy` the tenant is the user record's.
    #[arg(long, conflicts_with = "policy")]
    tid: Option<String>,
    /// Raw mode: the permission body (`rg`) as JSON: inline, `-` for stdin, or `@file`.
    #[arg(long, required_unless_present = "policy", conflicts_with = "policy")]
    body: Option<String>,
    /// The audience (`aud`).
    #[arg(long)]
    aud: String,
    /// The issuer (`iss`).
    #[arg(long)]
    iss: Option<String>,
    /// A unique id for the snapshot (`jti`).
    #[arg(long)]
    jti: Option<String>,
    /// The revision of the user's permissions (`rev`); raise it whenever their roles change.
    #[arg(long, default_value_t = 0)]
    rev: u64,
    /// Lifetime in seconds.
    #[arg(long, default_value_t = 600.0)]
    ttl: f64,
    /// Issue at this time (seconds since the epoch) instead of now.
    #[arg(long)]
    now: Option<f64>,
}

pub(crate) fn run(a: Args, json: bool, host: &mut dyn Host) -> Outcome {
    match claims(&a, json, host).and_then(|c| sign(&a, &c, json, host)) {
        Ok(token) if json => Outcome::ok(format!("{}\n", serde_json::json!({ "ok": true, "token": token }))),
        Ok(token) => Outcome::ok(format!("{token}\n")),
        Err(outcome) => outcome,
    }
}

fn claims(a: &Args, json: bool, host: &mut dyn Host) -> Result<Claims, Outcome> {
    if !(a.ttl.is_finite() && a.ttl > 0.0) {
        let m = "`--ttl` must be a positive number of seconds";
        return Err(Outcome::error(EXIT_FAILED, "bad_config", m, json));
    }
    let now = a.now.unwrap_or_else(|| Clock::system().now().floor());
    let mut claims = match (&a.subject.policy, &a.sub, &a.body) {
        (Some(policy), _, _) => {
            let (compiler, user) = a.subject.load(policy, json, host)?;
            compiler
                .claims(&user, &a.aud, now, now + a.ttl, a.rev)
                .map_err(|e| Outcome::from_error(super::EXIT_REFUSED, &e, json))?
        }
        (None, Some(sub), Some(body)) => {
            let text = input::text(host, body).map_err(|m| Outcome::error(EXIT_FAILED, "io", &m, json))?;
            let body = serde_json::from_str(&text).map_err(|e| {
                Outcome::error(EXIT_FAILED, "bad_body", &format!("the body is not JSON: {e}"), json)
            })?;
            let mut claims = Claims::new(sub, &a.aud, now, now + a.ttl, a.rev, body);
            claims.tenant.clone_from(&a.tid);
            claims
        }
        _ => {
            let m = "give `--policy` and a user, or `--sub` and `--body`";
            return Err(Outcome::error(EXIT_FAILED, "usage", m, json));
        }
    };
    claims.iss.clone_from(&a.iss);
    claims.jti.clone_from(&a.jti);
    Ok(claims)
}

fn sign(a: &Args, claims: &Claims, json: bool, host: &mut dyn Host) -> Result<String, Outcome> {
    let text = input::read(host, &a.key).map_err(|m| Outcome::error(EXIT_FAILED, "io", &m, json))?;
    let key = SigningKey::from_jwk(&text).map_err(|e| Outcome::from_error(EXIT_FAILED, &e, json))?;
    if let Some(kid) = a.kid.as_deref().filter(|k| *k != key.kid()) {
        let m = format!("the key's kid is `{}`, not `{kid}`", key.kid());
        return Err(Outcome::error(EXIT_FAILED, "bad_config", &m, json));
    }
    key.sign(claims).map_err(|e| Outcome::from_error(EXIT_FAILED, &e, json))
}
