//! Snapshot size: a NeptuneCRM user's whole signed token stays within 4 KB, for the sample users and
//! for a worst case of every role with UUID ids, long names, every feature and every setting, signed
//! with a realistic issuer, audience and token id.

#![cfg(feature = "issuer")]
#![allow(clippy::unwrap_used, reason = "fixture helpers: a bad fixture should fail the test")]

#[path = "common/conformance.rs"]
mod common;

use std::collections::BTreeMap;

use rolegate::compile::Compiler;
use rolegate::policy::User;
use serde_json::json;

const LIMIT: usize = 4096;

fn compiler() -> Compiler {
    Compiler::from_json(include_str!("../examples/policies/neptunecrm.json")).unwrap()
}

#[test]
fn sample_users_fit_in_4_kb() {
    let compiler = compiler();
    let users: BTreeMap<String, User> =
        serde_json::from_str(include_str!("../examples/policies/neptunecrm.users.json")).unwrap();
    for (name, user) in &users {
        let token = common::token(user, compiler.body(user).unwrap()).unwrap();
        println!("{name}: {} bytes", token.len());
        assert!(token.len() <= LIMIT, "{name}: {} bytes", token.len());
    }
}

#[test]
fn worst_case_users_fit_in_4_kb() {
    let compiler = compiler();
    let every_feature = json!(["new_proposal_builder", "customer_jobs", "pdf_chat"]);
    let cases = ["admin", "consultant", "coordinator", "contractor"].map(|r| (r, every_feature.clone()));
    for (role, features) in cases.into_iter().chain([("consultant", json!([]))]) {
        let user: User = serde_json::from_value(json!({
            "id": "0b7c4a52-9a61-4f0e-8f5e-3c2d1e0f9a8b",
            "name": "Bartholomew Featherstonehaugh-Whittingham",
            "roles": [role],
            "tenant": "5f1d7e2a-6c3b-4a9d-b8e7-1a2b3c4d5e6f",
            "features": features,
            "settings": {"canAssignCustomers": true, "canViewCosts": false, "commission": 12.5, "color": "#1e88e5"}
        }))
        .unwrap();
        let mut claims =
            compiler.claims(&user, "https://app.neptunecrm.example", 1.7e9, 1.7e9 + 900.0, 123_456).unwrap();
        claims.iss = Some("https://auth.neptunecrm.example".into());
        claims.jti = Some("6a0f4d3e-2b1c-4e5f-9a8b-7c6d5e4f3a2b".into());
        let token = common::key().sign(&claims).unwrap();
        println!("{role} {features}: {} bytes", token.len());
        assert!(token.len() <= LIMIT, "{role}: {} bytes", token.len());
    }
}
