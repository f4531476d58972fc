//! Regression tests for the bugs found by the evaluator, policy and route fuzz targets and the
//! invariant tests (issue 9). Each test names the commit that fixed its bug in `docs/security.md`.

#![cfg(feature = "issuer")]
#![allow(clippy::unwrap_used, reason = "fixture helpers: a bad fixture should fail the test")]

#[path = "common/conformance.rs"]
mod common;

use rolegate::eval::FieldValue;
use rolegate::policy::User;
use serde_json::json;

fn user(id: &str, tenant: &str) -> User {
    User::from_json(&json!({"id": id, "tenant": tenant}).to_string()).unwrap()
}

/// A body whose menu repeats an item id as its own child made `decide(Menu)` walk the parent chain
/// forever (the index kept the last item of an id, whose parent was itself). Lint refuses such
/// policies; the evaluator now refuses such bodies too.
#[test]
fn a_body_whose_menu_repeats_an_id_is_refused_not_looped_on() {
    for menu in
        [json!([["a", null, [["a"]]]]), json!([["a", null, [["b", null, [["a"]]]]]]), json!([["a"], ["a"]])]
    {
        let body = json!({"v": 1, "m": menu});
        let mut gate = common::gate(None).unwrap();
        let err = gate.load(&common::token(&user("u", "t"), body).unwrap()).unwrap_err();
        assert_eq!(err.code(), "bad_claim", "{menu}");
    }
}

/// A number in a record matched any text that parses to the same `f64`: ids past 2^53 collided
/// (tenant `9007199254740993` owned records of tenant `9007199254740992`), and `01`, `+1`, `1.0`,
/// `1e0` all matched `1`. A number now matches only the canonical decimal text of a safe integer.
#[test]
fn numbers_match_only_their_canonical_text() {
    assert!(FieldValue::Num(42.0).is("42"));
    assert!(FieldValue::Num(-7.0).is("-7"));
    assert!(FieldValue::Num(-0.0).is("0"));
    for text in ["01", "+1", "1.0", "1e0", " 1", "1 ", "0x1", "inf"] {
        assert!(!FieldValue::Num(1.0).is(text), "{text}");
    }
    assert!(!FieldValue::Num(9_007_199_254_740_992.0).is("9007199254740993"));
    assert!(!FieldValue::Num(9_007_199_254_740_992.0).is("9007199254740992"), "beyond 2^53 - 1");
    assert!(!FieldValue::Num(f64::INFINITY).is("inf") && !FieldValue::Num(f64::INFINITY).is("Infinity"));
    assert!(!FieldValue::Num(f64::NAN).is("NaN"));
    assert!(!FieldValue::Num(1.5).is("1.5"), "only whole numbers compare with ids");
}

#[test]
fn a_numeric_tenant_past_2_pow_53_is_another_tenant() {
    let body = json!({"v": 1, "tf": "org", "k": ["doc.view"], "g": [0], "rs": {"doc": {"k": "doc"}}});
    let mut gate = common::gate(None).unwrap();
    gate.load(&common::token(&user("u", "9007199254740993"), body).unwrap()).unwrap();
    let other = json!({"org": 9_007_199_254_740_992_u64});
    assert_eq!(gate.check_record("doc.view", &other).reason.code(), "tenant_mismatch");
    assert!(gate.filter("doc", std::slice::from_ref(&other)).is_empty());
    let own = json!({"org": "9007199254740993"});
    assert!(gate.can_record("doc.view", &own));
}

#[test]
fn an_owner_id_written_differently_is_another_owner() {
    let body =
        json!({"v": 1, "k": ["doc.view"], "gs": [[0, "own"]], "rs": {"doc": {"k": "doc", "o": ["ownerId"]}}});
    let mut gate = common::gate(None).unwrap();
    gate.load(&common::token(&user("01", "t"), body).unwrap()).unwrap();
    assert_eq!(gate.check_record("doc.view", &json!({"ownerId": 1})).reason.code(), "out_of_scope");
    assert!(gate.can_record("doc.view", &json!({"ownerId": "01"})));
}

/// A record's tenant field holding a list that contains the user's tenant counted as the user's
/// tenant: `{"org": ["other", "mine"]}` was allowed. A tenant is one value; a list is another tenant.
#[test]
fn a_list_valued_tenant_field_is_another_tenant() {
    let body = json!({"v": 1, "tf": "org", "k": ["doc.view"], "g": [0], "rs": {"doc": {"k": "doc"}}});
    let mut gate = common::gate(None).unwrap();
    gate.load(&common::token(&user("u", "mine"), body).unwrap()).unwrap();
    for rec in [json!({"org": ["other", "mine"]}), json!({"org": ["mine"]}), json!({"org": [["mine"]]})] {
        assert_eq!(gate.check_record("doc.view", &rec).reason.code(), "tenant_mismatch", "{rec}");
        assert!(gate.filter("doc", std::slice::from_ref(&rec)).is_empty(), "{rec}");
    }
    assert!(gate.can_record("doc.view", &json!({"org": "mine"})));
}

/// Maps of a policy (`roles`, `settings`, `resources` …) kept the last of repeated members: two roles
/// with one id meant the second here and the first to a first-wins reader. Refused now, as in users.
#[test]
fn repeated_members_in_policies_and_users_are_refused() {
    let policy =
        r#"{"product": "t", "keys": ["a", "b"], "roles": {"r": {"allow": ["a"]}, "r": {"allow": ["b"]}}}"#;
    assert_eq!(rolegate::compile::Compiler::from_json(policy).unwrap_err().code(), "bad_policy");
    let user = r#"{"id": "u", "settings": {"s": false, "s": true}}"#;
    assert_eq!(User::from_json(user).unwrap_err().code(), "bad_user");
}

#[test]
fn policies_and_users_over_their_size_limits_are_refused_before_parsing() {
    let big = format!("{{{}}}", " ".repeat(rolegate::limits::MAX_POLICY_BYTES));
    assert_eq!(rolegate::policy::Policy::from_json(&big).unwrap_err().code(), "too_large");
    let big = format!("{{{}}}", " ".repeat(rolegate::limits::MAX_USER_BYTES));
    assert_eq!(User::from_json(&big).unwrap_err().code(), "too_large");
}

/// Lint let through redirect targets that leave the site (`//host`, `/\host`: open redirects) and
/// route patterns with `?` or `#`, which can never match since a path's query string is ignored.
#[test]
fn lint_refuses_off_site_targets_and_unmatchable_patterns() {
    for routes in [
        json!({"on_deny": "//evil.example/x", "rules": []}),
        json!({"on_platform_deny": "/\\evil.example", "rules": []}),
        json!({"rules": [{"path": "/a", "on_deny": "//evil.example"}]}),
        json!({"rules": [{"path": "/admin?tab=1"}]}),
        json!({"rules": [{"path": "/admin#x"}]}),
    ] {
        let p = json!({"product": "t", "keys": ["a"], "roles": {}, "routes": routes});
        let e = rolegate::compile::Compiler::from_json(&p.to_string()).unwrap_err();
        assert_eq!(e.code(), "bad_route", "{routes}");
    }
    let ok = json!({"product": "t", "keys": ["a"], "roles": {}, "routes": {"on_deny": "/upgrade", "rules": [{"path": "/a"}]}});
    assert!(rolegate::compile::Compiler::from_json(&ok.to_string()).is_ok());
}

/// matchit panics on a pattern with more than 25 parameters ("Too many route parameters"), and lint
/// and the gate handed it patterns unchecked: a policy, or a signed body, with such a route aborted
/// the process (a trap in wasm). Found by the long runs of the `route` and `policy` fuzz targets.
/// Both now count parameters first and refuse more than `MAX_ROUTE_PARAMS`.
#[test]
fn a_route_with_too_many_parameters_is_refused_not_a_panic() {
    let params = |n: usize| (0..n).map(|i| format!("/{{p{i}}}")).collect::<String>();
    for n in [17, 26, 40] {
        let p =
            json!({"product": "t", "keys": ["a"], "roles": {}, "routes": {"rules": [{"path": params(n)}]}});
        let e = rolegate::compile::Compiler::from_json(&p.to_string()).unwrap_err();
        assert_eq!(e.code(), "bad_route", "{n} parameters");
        let body = json!({"v": 1, "rt": {"r": [[params(n)]]}});
        let mut gate = common::gate(None).unwrap();
        let err = gate.load(&common::token(&user("u", "t"), body).unwrap()).unwrap_err();
        assert_eq!(err.code(), "bad_claim", "{n} parameters");
    }
    let limit = rolegate::limits::MAX_ROUTE_PARAMS;
    let p =
        json!({"product": "t", "keys": ["a"], "roles": {}, "routes": {"rules": [{"path": params(limit)}]}});
    assert!(rolegate::compile::Compiler::from_json(&p.to_string()).is_ok());
    let mut gate = common::gate(None).unwrap();
    gate.load(&common::token(&user("u", "t"), json!({"v": 1, "rt": {"r": [[params(limit)]]}})).unwrap())
        .unwrap();
}
