//! Arbitrary bytes as a policy document through `Policy::from_json`, `lint` and
//! `Compiler::from_json`; a policy that compiles is then used for a few fixed users, whose bodies
//! must sign, load and answer consistently.
//!
//! Invariants: the parser and the compiler agree; the compiler fails exactly when lint finds a
//! problem, with the first problem's code; every error code is a documented one; whatever the
//! compiler produces for a valid user loads in a gate; `can == check.allow`; an inactive user is
//! denied everything.
#![no_main]

#[path = "shared/mod.rs"]
mod shared;

use libfuzzer_sys::fuzz_target;
use rolegate::compile::Compiler;
use rolegate::policy::{lint, Policy, User};
use serde_json::json;

fn users(p: &Policy) -> Vec<User> {
    let family = |r: &str| p.roles.get(r).and_then(|r| r.family.clone()).or_else(|| p.families.first().cloned());
    let features: Vec<&String> = p.features.keys().collect();
    let mut out = Vec::new();
    let mut add = |roles: Vec<&str>, active: bool| {
        let fam = roles.first().and_then(|r| family(r));
        let mut u = json!({"id": "u1", "name": "U One", "roles": roles, "tenant": "t1", "active": active,
            "features": features, "teams": ["tm1"], "areas": ["ar1"], "clients": ["cl1"]});
        if let Some(f) = fam {
            u["type"] = json!(f);
        }
        if let Ok(u) = User::from_json(&u.to_string()) {
            out.push(u);
        }
    };
    for r in p.roles.keys().take(6) {
        add(vec![r.as_str()], true);
    }
    add(p.roles.keys().take(3).map(String::as_str).collect(), true);
    if let Some(r) = p.roles.keys().next() {
        add(vec![r.as_str()], false);
    }
    add(vec![], true);
    out
}

fn probe(c: &Compiler, user: &User) {
    let gate = match shared::load(c, user, None) {
        Ok(g) => g,
        Err(e) => {
            assert!(rolegate::Error::CODES.contains(&e.code()), "{e:?}");
            // A user the compiler accepts must produce a body that loads.
            assert!(c.body(user).is_err(), "a compiled body did not load: {e}");
            return;
        }
    };
    let keys = c.policy().keys.iter().take(16);
    for k in keys.map(String::as_str).chain(["*", "", "x.*"]) {
        let d = gate.check(k);
        assert_eq!(gate.can(k), d.allow);
        if !user.active {
            assert!(!d.allow && d.reason.code() == "inactive", "inactive user allowed `{k}`");
        }
    }
    let _ = gate.menu();
    if let Some(routes) = &c.policy().routes {
        for r in routes.rules.iter().take(8) {
            let d = gate.route(&r.path);
            assert_eq!(d.allow, d.decision.allow);
            assert_eq!(d.allow, d.redirect.is_none());
            if !user.active {
                assert!(!d.allow);
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let parsed = Policy::from_json(text);
    let compiled = Compiler::from_json(text);
    let policy = match (parsed, &compiled) {
        (Err(e), Err(c)) => {
            assert_eq!(e.code(), "bad_policy");
            assert_eq!(c.code(), "bad_policy");
            return;
        }
        (Err(e), Ok(_)) => panic!("the compiler accepted what the parser refused: {e}"),
        (Ok(p), _) => p,
    };
    let problems = lint::lint(&policy);
    for p in &problems {
        assert!(rolegate::Error::CODES.contains(&p.issue.code()));
        let _ = rolegate::Error::Policy(p.clone()).to_string();
    }
    match &compiled {
        Ok(_) => assert!(problems.is_empty(), "compiled despite {:?}", problems.first()),
        Err(e) => {
            let first = problems.first().expect("the compiler failed but lint found nothing");
            assert_eq!(e.code(), first.issue.code());
        }
    }
    let Ok(c) = compiled else { return };
    for user in users(c.policy()) {
        match c.body(&user) {
            Ok(body) => {
                assert!(rolegate::Grants::from_body(&body).is_ok(), "compiled body does not index");
                probe(&c, &user);
            }
            Err(e) => assert!(rolegate::Error::CODES.contains(&e.code())),
        }
    }
});
