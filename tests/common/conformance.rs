//! The conformance runner, shared by the native tests (`tests/conformance.rs`, `capabilities.rs`, `surfaces.rs`, `size.rs`, each including it as `common`) and the wasm tests.
//!
//! It takes file contents, never paths (wasm tests cannot read files), and goes through the public
//! API the way an application does: compile the user → sign a snapshot with a fixed test key →
//! `Gate::load` → ask the question.
//!
//! A conformance file is `{"product": …, "cases": [case …]}`; a case names a `user` (an id from the
//! product's users file, or an inline user record), at most one question (`can`, `record`, `see`,
//! `route`, `menu`, `field`, `assign` (with `by`, `target` or `draft`: see [`AssignAsk`]), `set` (a
//! setting change, [`SetAsk`]), or `start: true`, whether a session may start on the UI
//! `platform` at all, `Gate::platform`; none means "compile this user"), an optional UI `platform`,
//! the `expect`ed answer (`allow`, `code`, `redirect`, `home` the user's home path, or `error` for a
//! refused user), the `seed` sentence it comes from and an optional `note` recording a decision.

#![allow(dead_code, reason = "each test crate including this module uses part of it")]

use std::collections::BTreeMap;

use rolegate::compile::{Assignment, Compiler, RoleAction};
use rolegate::issue::SigningKey;
use rolegate::policy::User;
use rolegate::surfaces::{Question, Redirect};
use rolegate::{Claims, Clock, Decision, Gate, GateOptions, Keyring};
use serde::Deserialize;
use serde_json::Value;

/// The fixed time of every conformance run.
pub const NOW: f64 = 1_700_000_000.0;
/// The audience of conformance snapshots.
pub const AUDIENCE: &str = "conformance";

/// The fixed test key.
pub fn key() -> SigningKey {
    SigningKey::from_seed("conformance", [7; 32])
}

/// A gate trusting the test key, at the fixed time, on `platform`.
pub fn gate(platform: Option<&str>) -> Result<Gate, rolegate::Error> {
    let keys = Keyring::from_jwks(&SigningKey::jwks(&[&key()]))?;
    let mut options = GateOptions::new(keys, AUDIENCE);
    options.clock = Clock::fixed(NOW);
    options.platform = platform.map(str::to_owned);
    Gate::new(options)
}

/// Signs `body` for `user` with the test key.
pub fn token(user: &User, body: Value) -> Result<String, rolegate::Error> {
    let mut claims = Claims::new(&user.id, AUDIENCE, NOW, NOW + 600.0, 1, body);
    claims.tenant = user.tenant.clone();
    key().sign(&claims)
}

/// Compiles `user` and loads the signed snapshot into a gate on `platform`.
pub fn load(compiler: &Compiler, user: &User, platform: Option<&str>) -> Result<Gate, rolegate::Error> {
    let claims = compiler.claims(user, AUDIENCE, NOW, NOW + 600.0, 1)?;
    let mut gate = gate(platform)?;
    gate.load(&key().sign(&claims)?)?;
    Ok(gate)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    product: String,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum UserRef {
    Id(String),
    Inline(Box<User>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    user: UserRef,
    #[serde(default)]
    platform: Option<String>,
    #[serde(default)]
    can: Option<String>,
    #[serde(default)]
    record: Option<KeyRecord>,
    #[serde(default)]
    see: Option<SeeRecord>,
    #[serde(default)]
    route: Option<String>,
    #[serde(default)]
    menu: Option<String>,
    #[serde(default)]
    field: Option<FieldAsk>,
    #[serde(default)]
    assign: Option<AssignAsk>,
    #[serde(default)]
    set: Option<SetAsk>,
    #[serde(default)]
    start: bool,
    expect: Expect,
    seed: String,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyRecord {
    key: String,
    record: Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeeRecord {
    resource: String,
    record: Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldAsk {
    resource: String,
    field: String,
    #[serde(default)]
    record: Option<Value>,
}

/// `assign`: may the case's user `action` (`assign`, `edit`, `delete`, `create`) `role`? With `by`,
/// the case's user is the one compiled and `by` the assigner (`Compiler::body_assigned_by`); with
/// `target`, the user who would get the role (`may_assign`); with `draft`, the role's new (`edit`)
/// or first (`create`) definition.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssignAsk {
    role: String,
    action: String,
    #[serde(default)]
    by: Option<String>,
    #[serde(default)]
    target: Option<UserRef>,
    #[serde(default)]
    draft: Option<rolegate::policy::Role>,
}

/// `set`: may the case's user set `target`'s `setting` to `value` (`Compiler::may_set`)?
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetAsk {
    target: UserRef,
    setting: String,
    value: Value,
}

fn resolve(users: &BTreeMap<String, User>, r: &UserRef) -> Result<User, String> {
    match r {
        UserRef::Id(id) => users.get(id).cloned().ok_or(format!("no user `{id}`")),
        UserRef::Inline(u) => Ok((**u).clone()),
    }
}

/// The answer to an `assign` case without `by`, or to a `set` case, by the public API.
fn administer(
    compiler: &Compiler,
    users: &BTreeMap<String, User>,
    actor: &User,
    case: &Case,
) -> Result<Option<Result<Assignment, rolegate::Error>>, String> {
    if let Some(set) = &case.set {
        let target = resolve(users, &set.target)?;
        return Ok(Some(compiler.may_set(actor, &target, &set.setting, &set.value)));
    }
    let Some(ask) = case.assign.as_ref().filter(|a| a.by.is_none()) else { return Ok(None) };
    let target = ask.target.as_ref().map(|t| resolve(users, t)).transpose()?;
    Ok(Some(match (ask.action.as_str(), &target, &ask.draft) {
        ("assign", Some(t), None) => compiler.may_assign(actor, &ask.role, t),
        ("edit", None, Some(d)) => compiler.may_edit(actor, &ask.role, d),
        ("create", None, Some(d)) => compiler.may_create(actor, &ask.role, d),
        ("assign", None, None) => Ok(compiler.may(actor, RoleAction::Assign, &ask.role)),
        ("edit", None, None) => Ok(compiler.may(actor, RoleAction::Edit, &ask.role)),
        ("delete", None, None) => Ok(compiler.may(actor, RoleAction::Delete, &ask.role)),
        (other, _, _) => return Err(format!("`{other}` with this target or draft is not a question")),
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(default)]
    allow: Option<bool>,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    redirect: Option<String>,
    #[serde(default)]
    home: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

fn redirect_text(r: &Redirect) -> String {
    match r {
        Redirect::Home => "home".into(),
        Redirect::Logout => "logout".into(),
        Redirect::To(p) => p.clone(),
    }
}

/// Runs every case of `cases` against `policy` and `users` (an object of user id → user record).
/// Returns the number of cases run, or every failure, one per line.
pub fn run(policy: &str, users: &str, cases: &str) -> Result<usize, String> {
    let compiler = Compiler::from_json(policy).map_err(|e| format!("policy: {e}"))?;
    let users: BTreeMap<String, User> = serde_json::from_str(users).map_err(|e| format!("users: {e}"))?;
    let file: File = serde_json::from_str(cases).map_err(|e| format!("cases: {e}"))?;
    if file.product != compiler.policy().product {
        return Err(format!(
            "cases are for `{}`, the policy is `{}`",
            file.product,
            compiler.policy().product
        ));
    }
    let mut failures = Vec::new();
    for (i, case) in file.cases.iter().enumerate() {
        if let Err(e) = run_case(&compiler, &users, case) {
            failures.push(format!("case {i} ({}): {e}", case.seed.chars().take(60).collect::<String>()));
        }
    }
    if failures.is_empty() {
        Ok(file.cases.len())
    } else {
        Err(failures.join("\n"))
    }
}

fn run_case(compiler: &Compiler, users: &BTreeMap<String, User>, case: &Case) -> Result<(), String> {
    let user = match &case.user {
        UserRef::Id(id) => users.get(id).cloned().ok_or(format!("no user `{id}`"))?,
        UserRef::Inline(u) => (**u).clone(),
    };
    if let Some(by) = case.assign.as_ref().and_then(|a| a.by.as_ref()) {
        let actor = users.get(by).ok_or(format!("no user `{by}`"))?;
        let got = compiler.body_assigned_by(&user, actor).err().map(|e| e.code().to_owned());
        return compare_error(&case.expect, got);
    }
    match administer(compiler, users, &user, case)? {
        Some(Ok(d)) => return compare(&case.expect, &d, None),
        Some(Err(e)) => return compare_error(&case.expect, Some(e.code().to_owned())),
        None => {}
    }
    let mut gate = match load(compiler, &user, case.platform.as_deref()) {
        Ok(g) => g,
        Err(e) => return compare_error(&case.expect, Some(e.code().to_owned())),
    };
    if case.expect.error.is_some() {
        return compare_error(&case.expect, None);
    }
    if case.expect.home.is_some() && case.expect.home.as_deref() != gate.home() {
        return Err(format!("expected home {:?}, got {:?}", case.expect.home, gate.home()));
    }
    if case.start {
        let d = gate.platform();
        return compare(&case.expect, &d.decision, d.redirect.as_ref().map(redirect_text));
    }
    if let Some(key) = &case.can {
        let d = gate.check(key);
        let id = gate.id(key);
        if gate.can(key) != d.allow || gate.can_id(id) != d.allow || gate.can_many(&[key]) != [d.allow] {
            return Err("`can`, `can_id`, `can_many` and `check` disagree".into());
        }
        if gate.decide(Question::Key(key)).reason.code() != d.reason.code() {
            return Err("`explain` and `check` disagree".into());
        }
        return compare(&case.expect, &d, None);
    }
    if let Some(r) = &case.record {
        let d = gate.check_record(&r.key, &r.record);
        if gate.can_record(&r.key, &r.record) != d.allow {
            return Err("`can_record` and `check_record` disagree".into());
        }
        return compare(&case.expect, &d, None);
    }
    if let Some(s) = &case.see {
        let d = gate.decide(Question::See(&s.resource, &s.record));
        let kept = gate.filter(&s.resource, std::slice::from_ref(&s.record)).len() == 1;
        if kept != d.allow {
            return Err("`filter` and `see` disagree".into());
        }
        return compare(&case.expect, &d, None);
    }
    if let Some(path) = &case.route {
        let d = gate.route(path);
        return compare(&case.expect, &d.decision, d.redirect.as_ref().map(redirect_text));
    }
    if let Some(id) = &case.menu {
        let d = gate.decide(Question::Menu(id));
        let in_tree = contains(&gate.menu(), id);
        if in_tree != d.allow {
            return Err(format!(
                "`menu()` {} `{id}` but the decision is {}",
                if in_tree { "shows" } else { "hides" },
                d.allow
            ));
        }
        return compare(&case.expect, &d, None);
    }
    if let Some(f) = &case.field {
        let record = f.record.as_ref().map(|r| r as &dyn rolegate::eval::Record);
        let d = gate.decide(Question::Field { resource: &f.resource, field: &f.field, record });
        return compare(&case.expect, &d, None);
    }
    compare(&case.expect, &Decision::new(rolegate::Reason::Granted, None), None)
}

fn contains(tree: &[rolegate::surfaces::MenuNode], id: &str) -> bool {
    tree.iter().any(|n| n.id == id || contains(&n.children, id))
}

/// What a case compares, from a gate's [`Decision`] or the issuer's [`Assignment`].
struct Compared<'a> {
    allow: bool,
    code: &'static str,
    rule: Option<&'a str>,
}

impl<'a> From<&'a Decision> for Compared<'a> {
    fn from(d: &'a Decision) -> Self {
        Compared { allow: d.allow, code: d.reason.code(), rule: d.rule.as_deref() }
    }
}

impl<'a> From<&'a Assignment> for Compared<'a> {
    fn from(a: &'a Assignment) -> Self {
        Compared { allow: a.allow, code: a.reason.code(), rule: a.rule.as_deref() }
    }
}

fn compare<'a>(expect: &Expect, d: impl Into<Compared<'a>>, redirect: Option<String>) -> Result<(), String> {
    let d = d.into();
    if let Some(e) = &expect.error {
        return Err(format!("expected error `{e}`, got a decision `{}`", d.code));
    }
    if let Some(allow) = expect.allow {
        if allow != d.allow {
            return Err(format!("expected allow={allow}, got {} ({}, rule {:?})", d.allow, d.code, d.rule));
        }
    }
    if let Some(code) = &expect.code {
        if code != d.code {
            return Err(format!("expected code `{code}`, got `{}` (rule {:?})", d.code, d.rule));
        }
    }
    if expect.redirect.is_some() && expect.redirect != redirect {
        return Err(format!("expected redirect {:?}, got {redirect:?}", expect.redirect));
    }
    Ok(())
}

fn compare_error(expect: &Expect, got: Option<String>) -> Result<(), String> {
    if expect.error != got {
        return Err(format!("expected error {:?}, got {got:?}", expect.error));
    }
    Ok(())
}

/// Each case's actual answer (not compared with `expect`), one JSON object per case, for the parity
/// test that computes the same through the npm package (`tests/js/parity.test.mjs`):
/// `{product, case, kind, platform, result, platformless?}` where `result` is `{error}` for a refused
/// user, `{allow, code, rule}` for a decision (with `redirect` for a route), and `platformless` the
/// decision of a key check on a gate that does not know its platform (for JS gates without one).
pub fn decisions(policy: &str, users: &str, cases: &str) -> Result<Vec<Value>, String> {
    let compiler = Compiler::from_json(policy).map_err(|e| format!("policy: {e}"))?;
    let users: BTreeMap<String, User> = serde_json::from_str(users).map_err(|e| format!("users: {e}"))?;
    let file: File = serde_json::from_str(cases).map_err(|e| format!("cases: {e}"))?;
    let mut out = Vec::new();
    for (i, case) in file.cases.iter().enumerate() {
        let (kind, result, platformless) = decide_case(&compiler, &users, case)?;
        let mut line = serde_json::json!({
            "product": file.product, "case": i, "kind": kind, "platform": case.platform, "result": result,
        });
        if let (Some(p), Some(obj)) = (platformless, line.as_object_mut()) {
            obj.insert("platformless".into(), p);
        }
        out.push(line);
    }
    Ok(out)
}

fn decision_json<'a>(d: impl Into<Compared<'a>>, redirect: Option<String>) -> Value {
    let d = d.into();
    let mut v = serde_json::json!({ "allow": d.allow, "code": d.code, "rule": d.rule });
    if let (Some(r), Some(obj)) = (redirect, v.as_object_mut()) {
        obj.insert("redirect".into(), r.into());
    }
    v
}

type Answer = (&'static str, Value, Option<Value>);

fn decide_case(compiler: &Compiler, users: &BTreeMap<String, User>, case: &Case) -> Result<Answer, String> {
    let error = |e: rolegate::Error| serde_json::json!({ "error": e.code() });
    let user = match &case.user {
        UserRef::Id(id) => users.get(id).cloned().ok_or(format!("no user `{id}`"))?,
        UserRef::Inline(u) => (**u).clone(),
    };
    if let Some(by) = case.assign.as_ref().and_then(|a| a.by.as_ref()) {
        let actor = users.get(by).ok_or(format!("no user `{by}`"))?;
        let result = match compiler.body_assigned_by(&user, actor) {
            Ok(_) => serde_json::json!({ "error": null }),
            Err(e) => error(e),
        };
        return Ok(("assign_by", result, None));
    }
    match administer(compiler, users, &user, case)? {
        Some(Ok(d)) => return Ok(("assign", decision_json(&d, None), None)),
        Some(Err(e)) => return Ok(("assign", error(e), None)),
        None => {}
    }
    let gate = match load(compiler, &user, case.platform.as_deref()) {
        Ok(g) => g,
        Err(e) => return Ok(("compile", error(e), None)),
    };
    if let Some(key) = &case.can {
        let platformless = match case.platform {
            Some(_) => {
                Some(decision_json(&load(compiler, &user, None).map_err(|e| e.to_string())?.check(key), None))
            }
            None => None,
        };
        return Ok(("can", decision_json(&gate.check(key), None), platformless));
    }
    let (kind, d, redirect) = if let Some(r) = &case.record {
        ("record", gate.check_record(&r.key, &r.record), None)
    } else if let Some(s) = &case.see {
        ("see", gate.decide(Question::See(&s.resource, &s.record)), None)
    } else if let Some(path) = &case.route {
        let d = gate.route(path);
        ("route", d.decision, d.redirect.as_ref().map(redirect_text))
    } else if case.start {
        let d = gate.platform();
        ("start", d.decision, d.redirect.as_ref().map(redirect_text))
    } else if let Some(id) = &case.menu {
        ("menu", gate.decide(Question::Menu(id)), None)
    } else if let Some(f) = &case.field {
        let record = f.record.as_ref().map(|r| r as &dyn rolegate::eval::Record);
        ("field", gate.decide(Question::Field { resource: &f.resource, field: &f.field, record }), None)
    } else {
        return Ok(("compile", serde_json::json!({ "error": null }), None));
    };
    Ok((kind, decision_json(&d, redirect), None))
}
