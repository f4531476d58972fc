//! Arbitrary route patterns through the policy's route compiler (lint, then the gate's matcher at
//! load) and arbitrary paths through `Gate::route`.
//!
//! A policy with the fuzzed rules is compiled for a user granted everything and a user granted
//! nothing. Invariants: lint accepting the patterns means the signed body loads (the two compilers
//! agree); both users see the same paths as matched or `no_route` (matching does not depend on the
//! user); the user granted everything is allowed every matched path, the user granted nothing only
//! public ones; the query string and fragment never change a decision; a path made from an accepted
//! pattern (parameters filled in) is matched by some rule.
#![no_main]

#[path = "shared/mod.rs"]
mod shared;

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use rolegate::compile::Compiler;
use rolegate::policy::User;
use serde_json::json;

#[derive(Arbitrary, Debug)]
struct Rule {
    path: String,
    requires: bool,
}

#[derive(Arbitrary, Debug)]
struct Input {
    rules: Vec<Rule>,
    paths: Vec<String>,
    fallback_allow: bool,
}

/// `pattern` with each `{name}` replaced by one segment and each `{*name}` by two; `None` when
/// the pattern uses escaped braces.
fn instantiate(pattern: &str) -> Option<String> {
    if pattern.contains("{{") || pattern.contains("}}") {
        return None;
    }
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}')? + open;
        out.push_str(if rest[open + 1..].starts_with('*') { "x/y" } else { "x" });
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

fuzz_target!(|input: Input| {
    // A public home both users may open (lint refuses a home a role may not open: `redirect_loop`).
    let home = json!({"path": "/fuzz-home"});
    let rules: Vec<_> = std::iter::once(home)
        .chain(input.rules.iter().take(12).map(|r| {
            if r.requires { json!({"path": r.path, "requires": "k.a"}) } else { json!({"path": r.path}) }
        }))
        .collect();
    let policy = json!({
        "product": "routes", "keys": ["k.a", "k.b"],
        "roles": {"all": {"allow": ["*"]}, "none": {"allow": ["k.b"]}},
        "routes": {"home": "/fuzz-home", "fallback_allow": input.fallback_allow, "rules": rules},
    });
    let c = match Compiler::from_json(&policy.to_string()) {
        Ok(c) => c,
        Err(e) => {
            assert_eq!(e.code(), "bad_route", "{e}");
            return;
        }
    };
    let user = |role: &str| User::from_json(&json!({"id": "u", "roles": [role]}).to_string()).expect("user");
    let all = shared::load(&c, &user("all"), None).expect("lint accepted the routes, the gate must too");
    let none = shared::load(&c, &user("none"), None).expect("lint accepted the routes, the gate must too");
    let mut paths: Vec<String> = input.paths.iter().take(8).cloned().collect();
    let made: Vec<String> = input.rules.iter().take(12).filter_map(|r| instantiate(&r.path)).collect();
    paths.extend(made.iter().cloned());
    for p in &paths {
        let (a, n) = (all.route(p), none.route(p));
        for d in [&a, &n] {
            assert_eq!(d.allow, d.decision.allow);
            assert_eq!(d.allow, d.redirect.is_none());
        }
        let unmatched = |d: &rolegate::surfaces::RouteDecision| {
            d.decision.reason.code() == "no_route" || (d.decision.reason.code() == "public" && d.decision.rule.is_none())
        };
        assert_eq!(unmatched(&a), unmatched(&n), "`{p}` matched for one user only: {a:?} {n:?}");
        if !unmatched(&a) {
            assert!(a.allow, "`{p}`: the user granted everything is denied: {a:?}");
        }
        if n.allow {
            assert_eq!(n.decision.reason.code(), "public", "`{p}`: {n:?}");
        }
        if !p.contains(['?', '#']) {
            assert_eq!(all.route(&format!("{p}?q=1#f")), a, "the query string changed `{p}`");
        }
    }
    for p in &made {
        let a = all.route(p);
        assert_ne!(a.decision.reason.code(), "no_route", "`{p}`, made from an accepted pattern, matches nothing");
    }
});
