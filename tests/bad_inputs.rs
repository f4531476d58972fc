//! The bad-input corpus (`tests/bad-inputs/*.json`): every case must produce exactly its expected
//! error code, and a gate that held a good snapshot must still answer the same afterwards.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed unwrap is a failed test"
)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

/// The corpus files, embedded so the runner needs no file system (and can run in wasm).
const FILES: &[(&str, &str)] = &[
    ("tokens.json", include_str!("bad-inputs/tokens.json")),
    ("jwks.json", include_str!("bad-inputs/jwks.json")),
    ("policies.json", include_str!("bad-inputs/policies.json")),
    ("users.json", include_str!("bad-inputs/users.json")),
    ("records.json", include_str!("bad-inputs/records.json")),
];

/// The codes the token and JWKS cases must cover between them (`revoked` is not wired yet;
/// `bad_config` comes from gate options, see `tests/envelope.rs`).
const COVERED: &[&str] = &[
    "too_large",
    "malformed",
    "alg_not_allowed",
    "bad_typ",
    "crit_not_supported",
    "unknown_kid",
    "bad_signature",
    "expired",
    "not_yet_valid",
    "wrong_audience",
    "wrong_issuer",
    "missing_claim",
    "bad_claim",
    "rolled_back",
    "bad_jwks",
    "bad_policy",
    "unknown_key",
    "unknown_role",
    "unknown_name",
    "inheritance_cycle",
    "wrong_family",
    "conflicting_exclusive",
    "level_out_of_range",
    "bad_route",
    "unreachable_menu_item",
    "bad_user",
    "exclusive_roles",
    "missing_feature",
    "tenant_mismatch",
    "tenant_missing",
    "out_of_scope",
];

#[test]
fn bad_input_corpus() {
    let mut by_code: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut bad = 0;
    for (file, text) in FILES {
        for o in common::run_corpus(file, text) {
            bad += usize::from(!matches!(o.got.as_str(), "ok" | "granted" | "in_scope" | "public"));
            *by_code.entry((o.kind, o.got)).or_default() += 1;
        }
    }
    eprintln!("bad-input corpus: {bad} refused cases (plus controls)");
    for ((kind, code), n) in &by_code {
        eprintln!("  {kind:6} {code:22} {n}");
    }
    assert!(bad >= 45, "the corpus shrank to {bad} refused cases");
    let seen: BTreeSet<&str> = by_code.keys().map(|(_, c)| c.as_str()).collect();
    for code in COVERED {
        assert!(seen.contains(code), "no corpus case produces `{code}`");
    }
}
