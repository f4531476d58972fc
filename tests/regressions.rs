//! Regression tests for the bugs found by the evaluator, policy and route fuzz targets and the
//! invariant tests (issue 9). Each test names the commit that fixed its bug in `docs/security.md`.

#![cfg(feature = "issuer")]
#![allow(clippy::unwrap_used, reason = "fixture helpers: a bad fixture should fail the test")]

#[path = "common/conformance.rs"]
mod common;

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
