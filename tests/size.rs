//! Snapshot size: a NeptuneCRM user's whole signed token stays within 4 KB.

#![cfg(feature = "issuer")]

mod common;

use rolegate::compile::Compiler;
use rolegate::policy::User;
use std::collections::BTreeMap;

#[test]
fn neptunecrm_tokens_fit_in_4_kb() {
    let compiler = Compiler::from_json(include_str!("../examples/policies/neptunecrm.json")).unwrap();
    let users: BTreeMap<String, User> =
        serde_json::from_str(include_str!("../examples/policies/neptunecrm.users.json")).unwrap();
    for (name, user) in &users {
        let token = common::token(user, compiler.body(user).unwrap()).unwrap();
        let body = compiler.body(user).unwrap();
        for (k, v) in body.as_object().unwrap() {
            println!("  {k}: {}", v.to_string().len());
        }
        println!("{name}: {} bytes", token.len());
        assert!(token.len() <= 4096, "{name}: {} bytes", token.len());
    }
}
