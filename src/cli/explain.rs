//! `rolegate explain`: answer one question for a user, with the reason behind the answer.
//!
//! The user comes from a policy and a user record (compiled and loaded into a gate here, as the
//! browser would after the server signed it) or from a token verified against a JWKS.

use clap::ArgGroup;
use serde_json::Value;

use super::subject::PolicyUser;
use super::{input, Host, Outcome, EXIT_DENY, EXIT_FAILED, EXIT_REFUSED};
use crate::issue::SigningKey;
use crate::surfaces::{Question, Redirect};
use crate::Decision;
use crate::{Clock, Gate, GateOptions, Keyring};

/// Explain one decision for a user, with its reason (exit 0 allow, 2 deny).
///
/// May this user do a key (on a record), open a route, see a menu item, a field or a record? Prints
/// `{allow, code, step, rule, message}` (and `redirect` for a denied route).
#[derive(clap::Args)]
#[command(
    group(ArgGroup::new("source").required(true).args(["policy", "token"])),
    group(ArgGroup::new("question").required(true).args(["key", "route", "menu", "field", "see"])),
    after_help = "Examples:\n  \
        rolegate explain --policy policy.json --users staff.users.json --user-id admin --key page.jobs.view\n  \
        rolegate explain --policy policy.json --user u.json --platform web --route /admin/users\n  \
        rolegate explain --policy policy.json --user u.json --field proposal.cost --record '{\"orgId\":\"o1\"}'\n  \
        rolegate explain --token @token.jwt --jwks jwks.json --aud my-app --menu admin"
)]
pub(crate) struct Args {
    #[command(flatten)]
    subject: PolicyUser,
    /// Or a signed token (inline, `-` for stdin, or `@file`), verified against `--jwks` for `--aud`.
    #[arg(long, requires_all = ["jwks", "aud"], conflicts_with = "policy")]
    token: Option<String>,
    /// The public JWKS file that verifies `--token`.
    #[arg(long, value_name = "FILE", requires = "token")]
    jwks: Option<String>,
    /// The audience `--token` must be for.
    #[arg(long, requires = "token")]
    aud: Option<String>,
    /// The issuer `--token` must come from.
    #[arg(long, requires = "token")]
    iss: Option<String>,
    /// Decide at this time (seconds since the epoch) instead of now.
    #[arg(long)]
    now: Option<f64>,
    /// The platform the UI runs on (`web`, `mobile` …).
    #[arg(long)]
    platform: Option<String>,
    /// Question: may the user do this permission key (on `--record`, if given)?
    #[arg(long)]
    key: Option<String>,
    /// Question: may the user open this path (e.g. `/jobs/42`)?
    #[arg(long, value_name = "PATH")]
    route: Option<String>,
    /// Question: is this menu item visible?
    #[arg(long, value_name = "ID")]
    menu: Option<String>,
    /// Question: is this field visible (`RESOURCE.FIELD`, e.g. `proposal.cost`; on `--record`, if given)?
    #[arg(long, value_name = "RESOURCE.FIELD")]
    field: Option<String>,
    /// Question: may the user see `--record`, a record of this resource type?
    #[arg(long, value_name = "RESOURCE", requires = "record")]
    see: Option<String>,
    /// The record the question is about, as JSON: inline, `-` for stdin, or `@file`.
    #[arg(long, value_name = "JSON")]
    record: Option<String>,
}

pub(crate) fn run(a: Args, json: bool, host: &mut dyn Host) -> Outcome {
    let record = match a.record.as_deref().map(|r| read_record(r, json, host)).transpose() {
        Ok(r) => r,
        Err(outcome) => return outcome,
    };
    if record.is_some() && (a.route.is_some() || a.menu.is_some()) {
        return Outcome::error(
            EXIT_FAILED,
            "usage",
            "`--record` goes with `--key`, `--field` or `--see`",
            json,
        );
    }
    let gate = match gate(&a, json, host) {
        Ok(g) => g,
        Err(outcome) => return outcome,
    };
    let rec = record.as_ref().map(|r| r as &dyn crate::eval::Record);
    let (decision, redirect) = if let Some(key) = &a.key {
        let q = match rec {
            Some(r) => Question::Record(key, r),
            None => Question::Key(key),
        };
        (gate.decide(q), None)
    } else if let Some(path) = &a.route {
        let d = gate.route(path);
        (d.decision, d.redirect)
    } else if let Some(id) = &a.menu {
        (gate.decide(Question::Menu(id)), None)
    } else if let Some(f) = &a.field {
        let Some((resource, field)) = f.split_once('.') else {
            let m = format!("`--field {f}` must be `RESOURCE.FIELD`");
            return Outcome::error(EXIT_FAILED, "usage", &m, json);
        };
        (gate.decide(Question::Field { resource, field, record: rec }), None)
    } else if let (Some(resource), Some(r)) = (&a.see, rec) {
        (gate.decide(Question::See(resource, r)), None)
    } else {
        return Outcome::error(EXIT_FAILED, "usage", "ask one question", json);
    };
    report(&decision, redirect.as_ref(), json)
}

fn read_record(arg: &str, json: bool, host: &mut dyn Host) -> Result<Value, Outcome> {
    let text = input::text(host, arg).map_err(|m| Outcome::error(EXIT_FAILED, "io", &m, json))?;
    match serde_json::from_str(&text) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err(Outcome::error(EXIT_FAILED, "bad_record", "the record must be a JSON object", json)),
        Err(e) => {
            Err(Outcome::error(EXIT_FAILED, "bad_record", &format!("the record is not JSON: {e}"), json))
        }
    }
}

/// A gate with the user's snapshot in force, from the policy or from the verified token.
fn gate(a: &Args, json: bool, host: &mut dyn Host) -> Result<Gate, Outcome> {
    let refused = |e: crate::Error| Outcome::from_error(EXIT_REFUSED, &e, json);
    let failed = |e: crate::Error| Outcome::from_error(EXIT_FAILED, &e, json);
    let now = a.now.unwrap_or_else(|| Clock::system().now());
    if let Some(policy) = &a.subject.policy {
        let (compiler, user) = a.subject.load(policy, json, host)?;
        // Signed here with a throwaway key and loaded at once: what a browser would hold.
        let key = SigningKey::from_seed("rolegate-explain", [0x5a; 32]);
        let claims = compiler.claims(&user, "rolegate-explain", now, now + 600.0, 0).map_err(refused)?;
        let token = key.sign(&claims).map_err(failed)?;
        let keys = Keyring::from_jwks(&SigningKey::jwks(&[&key])).map_err(failed)?;
        let mut gate = new_gate(GateOptions::new(keys, "rolegate-explain"), a, now).map_err(failed)?;
        gate.load(&token).map_err(failed)?;
        return Ok(gate);
    }
    let (Some(token), Some(jwks), Some(aud)) = (&a.token, &a.jwks, &a.aud) else {
        return Err(Outcome::error(EXIT_FAILED, "usage", "give `--policy` and a user, or `--token`", json));
    };
    let io = |m: String| Outcome::error(EXIT_FAILED, "io", &m, json);
    let token = input::exact_token(host, token).map_err(io)?;
    let keys = Keyring::from_jwks(&input::read(host, jwks).map_err(io)?).map_err(failed)?;
    let mut options = GateOptions::new(keys, aud);
    options.issuer.clone_from(&a.iss);
    let mut gate = new_gate(options, a, now).map_err(failed)?;
    gate.load(&token).map_err(refused)?;
    Ok(gate)
}

fn new_gate(mut options: GateOptions, a: &Args, now: f64) -> Result<Gate, crate::Error> {
    options.clock = Clock::fixed(now);
    options.platform.clone_from(&a.platform);
    Gate::new(options)
}

fn report(d: &Decision, redirect: Option<&Redirect>, json: bool) -> Outcome {
    let (code, step, message) = (d.reason.code(), d.reason.step(), d.reason.message());
    let redirect = redirect.map(|r| match r {
        Redirect::Home => "home".to_owned(),
        Redirect::Logout => "logout".to_owned(),
        Redirect::To(path) => path.clone(),
    });
    let text = if json {
        let mut out = serde_json::json!({
            "allow": d.allow, "code": code, "step": step, "rule": d.rule, "message": message,
        });
        if let (Some(r), Some(obj)) = (&redirect, out.as_object_mut()) {
            obj.insert("redirect".to_owned(), Value::from(r.as_str()));
        }
        format!("{out}\n")
    } else {
        let mut t = format!("{}: {code} (step `{step}`)\n", if d.allow { "allow" } else { "deny" });
        if let Some(rule) = &d.rule {
            t.push_str(&format!("rule: `{rule}`\n"));
        }
        if let Some(r) = &redirect {
            t.push_str(&format!("redirect: {r}\n"));
        }
        t.push_str(&format!("{message}\n"));
        t
    };
    Outcome { code: if d.allow { 0 } else { EXIT_DENY }, stdout: text, stderr: None }
}
