//! The snapshot envelope through the public API only: every error code reached on purpose, clock
//! skew, key rotation, anti-rollback, fail-closed behaviour and every single-byte change of a token.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed unwrap is a failed test"
)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use common::*;
use rolegate::issue::SigningKey;
use rolegate::{Clock, Error, Gate, GateOptions, Keyring};
use serde_json::json;

/// The code of a failed load into a gate holding the good snapshot; checks the snapshot survived.
fn load_err(token: &str) -> &'static str {
    let mut g = loaded_gate();
    let code = g.load(token).expect_err("the token must be refused").code();
    assert_eq!(answers(&g), good_answers(), "`{code}` disturbed the snapshot in force");
    code
}

fn signed(header: serde_json::Value, payload: serde_json::Value) -> String {
    sign_bytes(SEED_K1, header.to_string().as_bytes(), payload.to_string().as_bytes())
}

fn payload_with(key: &str, value: serde_json::Value) -> serde_json::Value {
    let mut p = default_payload();
    p[key] = value;
    p
}

fn options_with(f: impl FnOnce(&mut GateOptions)) -> GateOptions {
    let mut o = options_at(NOW);
    f(&mut o);
    o
}

#[test]
fn every_error_code_is_reached_on_purpose() {
    let h = default_header("k1");
    let mut reached: BTreeMap<&str, &str> = BTreeMap::new();
    let mut hit = |what: &'static str, code: &'static str| {
        reached.insert(code, what);
    };

    let mut small = Gate::new(options_with(|o| o.max_token_bytes = 100)).unwrap();
    hit("token over max_token_bytes", small.load(&good_token()).unwrap_err().code());
    hit("not a token", load_err("not-a-token"));
    hit(
        "alg none",
        load_err(&signed(json!({"alg":"none","typ":"rolegate+jwt","kid":"k1"}), default_payload())),
    );
    hit("typ JWT", load_err(&signed(json!({"alg":"EdDSA","typ":"JWT","kid":"k1"}), default_payload())));
    hit(
        "crit",
        load_err(&signed(
            json!({"alg":"EdDSA","typ":"rolegate+jwt","kid":"k1","crit":["x"]}),
            default_payload(),
        )),
    );
    hit("untrusted key", load_err(&k3().sign(&claims("alice", 6, &[])).unwrap()));
    hit(
        "wrong key for kid",
        load_err(&SigningKey::from_seed("k1", SEED_IMPOSTOR).sign(&claims("alice", 6, &[])).unwrap()),
    );
    hit("expired", load_err(&signed(h.clone(), payload_with("exp", json!(NOW - 61.0)))));
    hit("nbf ahead", load_err(&signed(h.clone(), payload_with("nbf", json!(NOW + 61.0)))));
    hit("other audience", load_err(&signed(h.clone(), payload_with("aud", json!("other")))));
    hit("other issuer", load_err(&signed(h.clone(), payload_with("iss", json!("https://evil.example")))));
    let mut no_sub = default_payload();
    no_sub.as_object_mut().unwrap().remove("sub");
    hit("no sub", load_err(&signed(h.clone(), no_sub)));
    hit("rev as string", load_err(&signed(h.clone(), payload_with("rev", json!("6")))));
    hit("lower rev", load_err(&token("alice", 4, &[])));
    let mut floored = loaded_gate();
    floored.revoke(rolegate::Revocation::Subject("alice"), 7).unwrap();
    hit("below the revocation floor", floored.load(&token("alice", 6, &[])).unwrap_err().code());
    hit("empty JWKS", Keyring::from_jwks(r#"{"keys":[]}"#).unwrap_err().code());
    hit("JWKS over 64 KiB", Keyring::from_jwks(&" ".repeat(70_000)).unwrap_err().code());
    hit("empty audience", Gate::new(options_with(|o| o.audience = String::new())).err().unwrap().code());
    hit(
        "revocation naming no one",
        loaded_gate().revoke(rolegate::Revocation::Subject(""), 1).unwrap_err().code(),
    );

    // Policy and user codes come from the compiler and lint (tests/lint.rs, tests/capabilities.rs).
    let policy: BTreeSet<&str> = rolegate::Issue::ALL.iter().map(|i| i.code()).collect();
    let expected: BTreeSet<&str> = Error::CODES.iter().copied().filter(|c| !policy.contains(c)).collect();
    let got: BTreeSet<&str> = reached.keys().copied().collect();
    assert_eq!(got, expected, "reached: {reached:?}");
}

#[test]
fn bad_config_is_refused() {
    type Change = fn(&mut GateOptions);
    let cases: [(&str, Change); 7] = [
        ("empty audience", |o| o.audience = String::new()),
        ("negative skew", |o| o.clock_skew_sec = -1.0),
        ("NaN skew", |o| o.clock_skew_sec = f64::NAN),
        ("infinite skew", |o| o.clock_skew_sec = f64::INFINITY),
        ("skew over a day", |o| o.clock_skew_sec = 86_401.0),
        ("zero token limit", |o| o.max_token_bytes = 0),
        ("token limit over 16 MiB", |o| o.max_token_bytes = 16 * 1024 * 1024 + 1),
    ];
    for (what, f) in cases {
        let e = Gate::new(options_with(f)).err().unwrap_or_else(|| panic!("{what} accepted"));
        assert_eq!(e.code(), "bad_config", "{what}");
    }
    assert!(Gate::new(options_with(|o| o.clock_skew_sec = 86_400.0)).is_ok());
    assert!(Gate::new(options_with(|o| o.clock_skew_sec = 0.0)).is_ok());
}

#[test]
fn token_size_limit_is_exact() {
    let t = good_token();
    let at =
        |limit: usize| Gate::new(options_with(|o| o.max_token_bytes = limit)).unwrap().load(&t).map(|_| ());
    assert!(at(t.len()).is_ok());
    assert_eq!(
        at(t.len() - 1).unwrap_err(),
        Error::TooLarge { what: "token", size: t.len(), limit: t.len() - 1 }
    );
}

#[test]
fn clock_skew_boundaries_default_60s() {
    let exp = NOW + 600.0;
    let t = token("alice", 1, &["a"]);
    // Expired once now - 60 >= exp.
    assert!(gate_at(exp + 59.999).load(&t).is_ok());
    assert_eq!(gate_at(exp + 60.0).load(&t).unwrap_err().code(), "expired");
    assert_eq!(gate_at(exp + 3600.0).load(&t).unwrap_err().code(), "expired");
    // Not yet valid once iat / nbf > now + 60.
    assert!(gate_at(NOW - 60.0).load(&t).is_ok());
    assert_eq!(gate_at(NOW - 60.001).load(&t).unwrap_err().code(), "not_yet_valid");
    let nbf = |n: f64| signed(default_header("k1"), payload_with("nbf", json!(n)));
    assert!(gate().load(&nbf(NOW + 60.0)).is_ok());
    assert_eq!(gate().load(&nbf(NOW + 60.5)).unwrap_err().code(), "not_yet_valid");
}

#[test]
fn clock_skew_is_configurable() {
    let exp = NOW + 600.0;
    let t = token("alice", 1, &["a"]);
    let at = |now: f64, skew: f64| {
        let mut o = options_at(now);
        o.clock_skew_sec = skew;
        Gate::new(o).unwrap().load(&t).map(|_| ()).map_err(|e| e.code())
    };
    assert_eq!(at(exp, 0.0), Err("expired"));
    assert!(at(exp - 0.001, 0.0).is_ok());
    assert!(at(exp + 299.0, 300.0).is_ok());
    assert_eq!(at(exp + 300.0, 300.0), Err("expired"));
    assert_eq!(at(NOW - 0.5, 0.0), Err("not_yet_valid"));
    assert!(at(NOW - 300.0, 300.0).is_ok());
    assert_eq!(at(NOW - 301.0, 300.0), Err("not_yet_valid"));
}

#[test]
fn a_broken_clock_fails_closed() {
    let t = token("alice", 1, &["a"]);
    for now in [f64::NAN, f64::INFINITY] {
        assert_eq!(gate_at(now).load(&t).unwrap_err().code(), "expired", "now = {now}");
    }
    assert_eq!(gate_at(f64::NEG_INFINITY).load(&t).unwrap_err().code(), "not_yet_valid");
}

#[test]
fn a_snapshot_stops_answering_once_expired() {
    let now = Arc::new(AtomicU64::new(NOW.to_bits()));
    let read = Arc::clone(&now);
    let mut o = options_at(NOW);
    o.clock = Clock::from_fn(move || f64::from_bits(read.load(Ordering::SeqCst)));
    let mut g = Gate::new(o).unwrap();
    g.load(&good_token()).unwrap();
    assert!(g.can("page.jobs.view"));
    now.store((NOW + 600.0 + 59.0).to_bits(), Ordering::SeqCst);
    assert!(g.can("page.jobs.view"), "inside the skew");
    now.store((NOW + 600.0 + 60.0).to_bits(), Ordering::SeqCst);
    assert!(!g.can("page.jobs.view"));
    assert!(g.status().expired);
}

#[test]
fn key_rotation() {
    let both = Keyring::from_jwks(&SigningKey::jwks(&[&k1(), &k2()])).unwrap();
    assert_eq!(both.kids().collect::<Vec<_>>(), ["k1", "k2"]);
    let t1 = k1().sign(&claims("alice", 1, &["a"])).unwrap();
    let t2 = k2().sign(&claims("alice", 2, &["a"])).unwrap();
    let mut g = gate();
    assert_eq!(g.load(&t1).unwrap().rev, Some(1));
    assert_eq!(g.load(&t2).unwrap().rev, Some(2));

    // k1 retired: its tokens now name an unknown key; k2's still verify.
    let mut o = options_at(NOW);
    o.keys = Keyring::from_jwks(&SigningKey::jwks(&[&k2()])).unwrap();
    let mut g = Gate::new(o).unwrap();
    let e = g.load(&t1).unwrap_err();
    assert_eq!(e, Error::UnknownKid { kid: Some("k1".into()) });
    assert!(!g.can("a"), "nothing loaded: deny");
    assert!(g.load(&t2).is_ok());
    assert!(g.can("a"));
}

#[test]
fn anti_rollback() {
    let mut g = gate();
    g.load(&token("alice", 5, &["v5"])).unwrap();
    let e = g.load(&token("alice", 4, &["v4"])).unwrap_err();
    assert_eq!(e, Error::RolledBack { rev: 4, current: 5 });
    assert!(g.can("v5") && !g.can("v4"));
    // Equal revision: accepted (the same snapshot reloaded, or re-signed with a later expiry).
    g.load(&token("alice", 5, &["v5b"])).unwrap();
    assert!(g.can("v5b"));
    g.load(&token("alice", 6, &["v6"])).unwrap();
    // Another subject (a different user logging in) has its own history...
    g.load(&token("bob", 1, &["b1"])).unwrap();
    assert!(g.can("b1") && !g.can("v6"));
    // ...and does not reset alice's: her rev 5 is still a rollback of her rev 6 (issue 22: load A rev
    // 5, any token of B, then A rev 4 was accepted).
    assert_eq!(g.load(&token("alice", 5, &["a5"])).unwrap_err(), Error::RolledBack { rev: 5, current: 6 });
    assert!(g.can("b1"), "bob's snapshot stays in force");
    // clear() (log-out) drops the snapshot in force but not the history: a cached older snapshot of
    // alice cannot be replayed after she logs out and back in.
    g.clear();
    assert_eq!(g.load(&token("alice", 0, &["a0"])).unwrap_err().code(), "rolled_back");
    g.load(&token("alice", 6, &["a6"])).unwrap();
    assert!(g.can("a6"));
}

#[test]
fn nothing_loaded_denies() {
    let mut g = gate();
    assert!(!g.can("page.jobs.view"));
    assert!(!g.can(""));
    assert!(!g.status().loaded);
    assert_eq!(g.check("page.jobs.view").reason.code(), "no_snapshot");
    // A failed load into an empty gate leaves it empty.
    assert_eq!(g.load("a.b.c").unwrap_err().code(), "malformed");
    assert_eq!(g.load(&token("alice", 1, &["x"])[1..]).unwrap_err().code(), "malformed");
    assert!(!g.can("x"));
    assert!(!g.status().loaded);
    assert_eq!(g.claims(), None);
}

#[test]
fn previous_snapshot_survives_every_failure() {
    let failures = [
        String::new(),
        "x".repeat(300_000),
        "a.b.c".into(),
        k3().sign(&claims("alice", 9, &["page.admin"])).unwrap(),
        SigningKey::from_seed("k1", SEED_IMPOSTOR).sign(&claims("alice", 9, &["page.admin"])).unwrap(),
        token("alice", 4, &["page.admin"]),
        signed(default_header("k1"), payload_with("aud", json!("other"))),
        signed(default_header("k1"), payload_with("rg", json!({"allow": 1}))),
    ];
    let mut g = loaded_gate();
    for t in &failures {
        let before = (answers(&g), g.status(), g.claims().cloned());
        assert!(g.load(t).is_err());
        assert_eq!((answers(&g), g.status(), g.claims().cloned()), before);
        assert_eq!(answers(&g), good_answers());
    }
    // And the gate still accepts a good token afterwards.
    g.load(&token("alice", 6, &["page.admin"])).unwrap();
    assert!(g.can("page.admin"));
}

#[test]
fn issuer_is_optional_when_not_configured() {
    let mut o = options_at(NOW);
    o.issuer = None;
    let mut no_iss = default_payload();
    no_iss.as_object_mut().unwrap().remove("iss");
    let mut g = Gate::new(o).unwrap();
    assert!(g.load(&signed(default_header("k1"), no_iss)).is_ok());
    assert!(g.load(&signed(default_header("k1"), payload_with("iss", json!("https://any.example")))).is_ok());
}

#[test]
fn round_trip_keeps_claims() {
    let mut c = claims("alice", 42, &["page.jobs.view"]);
    c.aud = vec!["other".into(), AUD.into()];
    c.nbf = Some(NOW - 1.0);
    c.jti = Some("j-9".into());
    let mut g = gate();
    let s = g.load(&k2().sign(&c).unwrap()).unwrap();
    assert_eq!(g.claims(), Some(&c));
    assert_eq!((s.subject.as_deref(), s.tenant.as_deref(), s.rev), (Some("alice"), Some("acme"), Some(42)));
    assert_eq!((s.issued_at, s.expires_at, s.expires_in), (Some(NOW), Some(NOW + 600.0), Some(600.0)));
}

/// RFC 8037 A.4 through the public API: the signature is valid, but the header has no `typ`, so it
/// is not a rolegate snapshot.
#[test]
fn rfc8037_vector_is_not_a_snapshot() {
    let jwks = r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"rfc","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#;
    let mut g = Gate::new(GateOptions::new(Keyring::from_jwks(jwks).unwrap(), AUD)).unwrap();
    let token = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
    assert_eq!(g.load(token).unwrap_err(), Error::BadTyp { typ: None });
}

/// Every single-byte change of a valid token, at every position, with several replacement bytes
/// each, is refused; so is every change of the padding and data bits of the signature's last
/// character. Prints which codes occurred.
#[test]
fn every_single_byte_change_is_rejected() {
    let t = good_token();
    let bytes = t.as_bytes();
    let mut variants: Vec<String> = Vec::new();
    for (i, &c) in bytes.iter().enumerate() {
        let mut reps: Vec<u8> = vec![c ^ 0x01, c ^ 0x20, b'A', b'.', b'='];
        reps.retain(|&r| r != c && r.is_ascii());
        reps.dedup();
        for r in reps {
            let mut v = bytes.to_vec();
            v[i] = r;
            variants.push(String::from_utf8(v).unwrap());
        }
    }
    for mask in 1..64u8 {
        variants.push(xor_last_char(&t, mask));
    }
    let n = variants.len();
    let (a, b) = variants.split_at(n / 2);
    let tally = |chunk: &[String]| {
        let mut g = loaded_gate();
        let mut codes: BTreeMap<&'static str, usize> = BTreeMap::new();
        for v in chunk {
            match g.load(v) {
                Ok(_) => panic!("a changed token was accepted: {v}"),
                Err(e) => *codes.entry(e.code()).or_default() += 1,
            }
        }
        assert_eq!(answers(&g), good_answers());
        codes
    };
    let (ca, cb) = std::thread::scope(|s| {
        let ha = s.spawn(|| tally(a));
        let hb = s.spawn(|| tally(b));
        (ha.join().unwrap(), hb.join().unwrap())
    });
    let mut codes = ca;
    for (k, v) in cb {
        *codes.entry(k).or_default() += v;
    }
    eprintln!("single-byte changes of a {}-byte token: {n} variants, all refused: {codes:?}", t.len());
    assert_eq!(codes.values().sum::<usize>(), n);
}

#[test]
fn revocation_floors_refuse_old_snapshots_and_drop_the_one_in_force() {
    use rolegate::Revocation;
    let mut g = loaded_gate(); // alice, rev 5, tenant acme
    assert_eq!(g.revoke(Revocation::Subject("bob"), 100), Ok(false), "another subject: nothing dropped");
    assert_eq!(g.revoke(Revocation::Subject("alice"), 5), Ok(false), "rev 5 is not below floor 5");
    assert!(g.can("page.jobs.view"));
    assert_eq!(g.revoke(Revocation::Tenant("acme"), 6), Ok(true), "rev 5 is below the tenant floor 6");
    assert!(!g.can("page.jobs.view"));
    assert_eq!(g.check("page.jobs.view").reason.code(), "no_snapshot");
    assert_eq!(
        g.load(&token("alice", 5, &["page.jobs.view"])).unwrap_err(),
        Error::Revoked { rev: 5, floor: 6 }
    );
    g.load(&token("alice", 6, &["page.jobs.view"])).unwrap();
    assert!(g.can("page.jobs.view"));
    assert_eq!(g.revoke(Revocation::Tenant("acme"), 2), Ok(false), "floors only rise");
    assert_eq!(g.load(&token("alice", 5, &["page.jobs.view"])).unwrap_err().code(), "rolled_back");
}

#[test]
fn a_clock_reading_nan_after_load_denies_everything() {
    let now = std::sync::Arc::new(std::sync::Mutex::new(NOW));
    let clock = now.clone();
    let mut options = options_at(NOW);
    options.clock = rolegate::Clock::from_fn(move || *clock.lock().unwrap());
    let mut g = Gate::new(options).unwrap();
    g.load(&good_token()).unwrap();
    assert!(g.can("page.jobs.view"));
    *now.lock().unwrap() = f64::NAN;
    assert!(!g.can("page.jobs.view"));
    assert_eq!(g.check("page.jobs.view").reason.code(), "expired");
    assert!(g.status().expired);
}

#[test]
fn offline_grace_keeps_answering_and_loading_after_expiry_then_denies() {
    let now = std::sync::Arc::new(std::sync::Mutex::new(NOW));
    let clock = now.clone();
    let mut options = options_at(NOW);
    options.clock = rolegate::Clock::from_fn(move || *clock.lock().unwrap());
    options.offline_grace_sec = 300.0;
    let mut g = Gate::new(options).unwrap();
    g.load(&good_token()).unwrap(); // expires at NOW + 600, default skew 60
    *now.lock().unwrap() = NOW + 600.0 + 60.0 + 10.0;
    let s = g.status();
    assert!(s.expired && s.in_grace, "{s:?}");
    assert!(g.can("page.jobs.view"), "still answers within the grace period");
    let mut fresh = Gate::new({
        let mut o = options_at(NOW + 600.0 + 60.0 + 10.0);
        o.offline_grace_sec = 300.0;
        o
    })
    .unwrap();
    fresh.load(&good_token()).unwrap(); // a cached, expired snapshot still loads offline
    *now.lock().unwrap() = NOW + 600.0 + 60.0 + 300.0;
    assert!(!g.can("page.jobs.view"));
    assert_eq!(g.check("page.jobs.view").reason.code(), "expired");
    assert!(!g.status().in_grace);
    let too_long = Gate::new({
        let mut o = options_at(NOW);
        o.offline_grace_sec = 1e9;
        o
    });
    assert_eq!(too_long.err().map(|e| e.code()), Some("bad_config"));
}

/// Issue 22, point 4: what lint refuses in a policy is refused in a signed body, and the snapshot in
/// force stays (`load_err` checks it is undisturbed).
#[test]
fn a_signed_body_with_an_off_site_redirect_or_home_is_refused() {
    let routes = |rt: serde_json::Value| {
        payload_with("rg", json!({ "v": 1, "k": ["page.jobs.view"], "g": [0], "rt": rt }))
    };
    let h = default_header("k1");
    for rt in [
        json!({ "h": "/", "d": "//evil.example/phish" }),
        json!({ "h": "/", "pd": "https://evil.example" }),
        json!({ "h": "/", "d": "/\\evil.example" }),
        json!({ "h": "/", "d": "/\t/evil.example" }),
        json!({ "h": "/", "r": [["/jobs", 0, "//evil.example"]] }),
        json!({ "h": "//evil.example" }),
        json!({ "h": "dashboard" }),
    ] {
        let what = rt.to_string();
        assert_eq!(load_err(&signed(h.clone(), routes(rt))), "bad_claim", "{what}");
    }
    // The same bodies with targets of this site load, and redirect there (a route they may open).
    let mut g = gate();
    g.load(&signed(h, routes(json!({ "h": "/", "d": "/login", "r": [["/jobs", 0, "home"], ["/login"]] }))))
        .unwrap();
    assert_eq!(g.route("/nowhere").redirect, Some(rolegate::surfaces::Redirect::To("/login".into())));
}

/// Issue 22, point 5: a compiled snapshot carries the policy's catalogue, so a key outside it is
/// `unknown_key` although a wildcard grant would match it; a body made by hand carries none.
#[test]
fn a_key_outside_the_catalogue_is_unknown_whatever_wildcard_matches() {
    let policy = include_str!("../examples/policies/neptunecrm.json");
    let compiler = rolegate::compile::Compiler::from_json(policy).unwrap();
    let users: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(include_str!("../examples/policies/neptunecrm.users.json")).unwrap();
    let coordinator: rolegate::policy::User = serde_json::from_value(users["coordinator"].clone()).unwrap();
    let mut claims = compiler.claims(&coordinator, AUD, NOW, NOW + 600.0, 1).unwrap();
    claims.iss = Some(ISS.to_owned());
    let mut g = gate();
    g.load(&k1().sign(&claims).unwrap()).unwrap();
    assert_eq!(g.check("page.admn.view").reason.code(), "unknown_key");
    assert_eq!(g.check("page.customers.view").reason.code(), "granted");
    assert_eq!(g.check("page.admin.users").reason.code(), "unknown_key", "not in the catalogue either");
    for key in serde_json::from_str::<serde_json::Value>(policy).unwrap()["keys"].as_array().unwrap() {
        assert_ne!(g.check(key.as_str().unwrap()).reason.code(), "unknown_key", "{key}");
    }
    // Hand-made bodies (Body::from_keys) have no catalogue: wildcards match as before.
    let mut g = gate();
    g.load(&token("alice", 1, &["page.*"])).unwrap();
    assert!(g.can("page.admn.view"));
}
