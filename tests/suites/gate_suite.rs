//! The gate suite run inside WebAssembly (in Node and in browsers) against tokens signed in Rust at
//! test time. Included by `tests/wasm_node.rs` and `tests/wasm_browser.rs`.

use rolegate::eval::Body;
use rolegate::issue::SigningKey;
use rolegate::{Claims, Clock, Gate, GateOptions, Keyring};
use wasm_bindgen_test::wasm_bindgen_test;

const NOW: f64 = 1_800_000_000.0;

fn key(kid: &str, seed: u8) -> SigningKey {
    SigningKey::from_seed(kid, [seed; 32])
}

fn gate(keys: &[&SigningKey]) -> Gate {
    let mut options = GateOptions::new(Keyring::from_jwks(&SigningKey::jwks(keys)).unwrap(), "app");
    options.clock = Clock::fixed(NOW);
    Gate::new(options).unwrap()
}

fn token(key: &SigningKey, rev: u64, body: serde_json::Value) -> String {
    key.sign(&Claims::new("alice", "app", NOW, NOW + 600.0, rev, body)).unwrap()
}

#[wasm_bindgen_test]
fn verifies_and_answers_in_wasm() {
    let k = key("k1", 1);
    let mut g = gate(&[&k]);
    assert!(!g.can("page.jobs"));
    g.load(&token(&k, 1, Body::from_keys(&["page.*"], &["page.admin"]).to_value())).unwrap();
    assert!(g.can("page.jobs"));
    assert_eq!(g.check("page.admin").reason.code(), "explicit_deny");
    assert_eq!(g.status().subject.as_deref(), Some("alice"));
}

#[wasm_bindgen_test]
fn the_system_clock_works_in_wasm() {
    let k = key("k1", 1);
    let mut g =
        Gate::new(GateOptions::new(Keyring::from_jwks(&SigningKey::jwks(&[&k])).unwrap(), "app")).unwrap();
    let now = Clock::system().now();
    assert!(now > 1_700_000_000.0, "Date.now() is read: {now}");
    let t = k
        .sign(&Claims::new("alice", "app", now, now + 600.0, 1, Body::from_keys(&["a"], &[]).to_value()))
        .unwrap();
    g.load(&t).unwrap();
    assert!(g.can("a"));
}

#[wasm_bindgen_test]
fn every_single_byte_change_is_rejected_in_wasm() {
    let k = key("k1", 1);
    let mut g = gate(&[&k]);
    let good = token(&k, 1, Body::from_keys(&["page.*"], &[]).to_value());
    let bytes = good.as_bytes();
    for i in 0..bytes.len() {
        for replacement in [b'A', b'-', b'.'] {
            if bytes[i] == replacement {
                continue;
            }
            let mut changed = bytes.to_vec();
            changed[i] = replacement;
            let changed = String::from_utf8(changed).unwrap();
            assert!(g.load(&changed).is_err(), "byte {i} -> {}", replacement as char);
        }
    }
    assert!(!g.can("page.jobs"), "nothing was ever loaded");
    g.load(&good).unwrap();
    assert!(g.can("page.jobs"));
}

#[wasm_bindgen_test]
fn errors_keep_the_previous_snapshot_and_do_not_poison_the_module() {
    let k = key("k1", 1);
    let stranger = key("k1", 2);
    let mut g = gate(&[&k]);
    g.load(&token(&k, 5, Body::from_keys(&["x"], &[]).to_value())).unwrap();
    let cases = [
        ("garbage".to_owned(), "malformed"),
        (token(&stranger, 6, Body::from_keys(&[], &[]).to_value()), "bad_signature"),
        (token(&key("k9", 1), 6, Body::from_keys(&[], &[]).to_value()), "unknown_kid"),
        (token(&k, 4, Body::from_keys(&[], &[]).to_value()), "rolled_back"),
        (
            k.sign(&Claims::new(
                "alice",
                "app",
                NOW - 900.0,
                NOW - 300.0,
                6,
                Body::from_keys(&[], &[]).to_value(),
            ))
            .unwrap(),
            "expired",
        ),
        (
            k.sign(&Claims::new("alice", "other", NOW, NOW + 60.0, 6, Body::from_keys(&[], &[]).to_value()))
                .unwrap(),
            "wrong_audience",
        ),
    ];
    for (t, code) in cases {
        assert_eq!(g.load(&t).unwrap_err().code(), code);
        assert!(g.can("x"), "still answers after {code}");
    }
    g.load(&token(&k, 6, Body::from_keys(&["y"], &[]).to_value())).unwrap();
    assert!(g.can("y") && !g.can("x"));
}
