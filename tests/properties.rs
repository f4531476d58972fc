//! Property tests of the envelope (native only: proptest's OS randomness does not build for wasm32).
//! Case counts are kept modest so the suite runs in seconds; raise them with `PROPTEST_CASES=N`.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed unwrap is a failed test"
)]

mod common;

use common::*;
use proptest::prelude::*;
use rolegate::issue::SigningKey;
use rolegate::unverified::UnverifiedSnapshot;
use rolegate::{Claims, Error, Gate, Keyring, Malformed};
use serde_json::json;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(cases);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

/// A reference for canonical unpadded base64url, written independently of the `base64` crate: no
/// length of 1 mod 4, and the unused low bits of the last character are zero.
fn canonical(s: &str) -> bool {
    let value = |c: u8| ALPHABET.iter().position(|&a| a == c);
    if !s.bytes().all(|c| value(c).is_some()) {
        return false;
    }
    let last = s.bytes().last().and_then(value).unwrap_or(0);
    match s.len() % 4 {
        0 => true,
        1 => false,
        2 => last & 0b1111 == 0,
        _ => last & 0b11 == 0,
    }
}

/// Identifiers: ASCII or any printable text, 1 to 256 bytes.
fn id() -> impl Strategy<Value = String> {
    prop_oneof!["[a-zA-Z0-9@._:/-]{1,64}", "\\PC{1,40}"].prop_filter("1..=256 bytes", |s| s.len() <= 256)
}

/// Whole seconds in `lo..=hi`. Fractional times do not round-trip exactly: serde_json (without its
/// `float_roundtrip` feature) may parse a float one ULP away from the one it printed.
fn seconds(lo: f64, hi: f64) -> impl Strategy<Value = f64> {
    (lo as u64..=hi as u64).prop_map(|s| s as f64)
}

prop_compose! {
    fn arb_claims()(
        sub in id(),
        others in prop::collection::vec(id(), 0..4),
        aud_pos in 0usize..4,
        iss in prop::option::of(id()),
        iat in prop::option::of(seconds(0.0, NOW + 60.0)),
        nbf in prop::option::of(seconds(0.0, NOW + 60.0)),
        exp in seconds(NOW - 59.0, 1e12),
        jti in prop::option::of(id()),
        rev in 0..=rolegate::limits::MAX_REV,
        tenant in prop::option::of(id()),
        allow in prop::collection::vec("[a-z.*]{1,20}", 0..5),
        deny in prop::collection::vec("[a-z.*]{1,20}", 0..3),
    ) -> Claims {
        let mut aud = others;
        aud.insert(aud_pos.min(aud.len()), AUD.to_owned());
        Claims { sub, aud, iss, iat, nbf, exp, jti, rev, tenant, body: rolegate::eval::Body::from_keys(
            &allow.iter().map(String::as_str).collect::<Vec<_>>(),
            &deny.iter().map(String::as_str).collect::<Vec<_>>(),
        )
        .to_value() }
    }
}

fn open_gate() -> Gate {
    let mut o = options_at(NOW);
    o.issuer = None;
    Gate::new(o).unwrap()
}

proptest! {
    #![proptest_config(config(16))]

    /// issue -> verify is the identity on claims.
    #[test]
    fn issue_then_verify_is_identity(c in arb_claims()) {
        let token = k1().sign(&c).unwrap();
        let mut g = open_gate();
        let status = g.load(&token).unwrap();
        prop_assert_eq!(g.claims(), Some(&c));
        prop_assert_eq!(status.rev, Some(c.rev));
        prop_assert_eq!(status.subject.as_deref(), Some(c.sub.as_str()));
    }
}

proptest! {
    #![proptest_config(config(32))]

    /// Any change of one byte (to any other character, even a multi-byte one) is refused.
    #[test]
    fn any_single_byte_change_is_rejected(pos in any::<prop::sample::Index>(), rep in any::<char>()) {
        let t = good_token();
        let i = pos.index(t.len());
        prop_assume!(char::from(t.as_bytes()[i]) != rep);
        let mut changed = t[..i].to_owned();
        changed.push(rep);
        changed.push_str(&t[i + 1..]);
        let mut g = loaded_gate();
        prop_assert!(g.load(&changed).is_err());
        prop_assert_eq!(answers(&g), good_answers());
    }
}

proptest! {
    #![proptest_config(config(64))]

    /// Arbitrary strings never panic anywhere in the envelope, and a refused one loads nothing.
    #[test]
    fn arbitrary_strings_never_panic(s in prop_oneof![any::<String>(), "[A-Za-z0-9_.=+/-]{0,300}", "\\{\"keys\":\\[\\{.{0,80}\\}\\]\\}"]) {
        let mut g = gate();
        if let Err(e) = g.load(&s) {
            prop_assert!(Error::CODES.contains(&e.code()));
            prop_assert!(!g.can("page.jobs.view") && !g.status().loaded);
        }
        let _ = Keyring::from_jwks(&s);
        let _ = UnverifiedSnapshot::decode(&s);
    }

    /// Arbitrary JSON-ish headers and payloads, validly signed, never panic, and a refused one
    /// loads nothing.
    #[test]
    fn signed_arbitrary_json_never_panics(h in "\\{(\"[a-z]{1,4}\":(\"[a-zA-Z+]{0,12}\"|[0-9.e-]{1,6}|null|\\[\\]|\\{\\}),?){0,5}\\}",
                                          p in "\\{(\"[a-z]{1,4}\":(\"[a-z]{0,8}\"|[0-9.e-]{1,6}|null|true|\\[\\]|\\{\\}),?){0,8}\\}") {
        let mut g = gate();
        if g.load(&sign_bytes(SEED_K1, h.as_bytes(), p.as_bytes())).is_err() {
            prop_assert!(!g.status().loaded);
        }
    }

    /// The signature segment is decoded strictly: arbitrary base64url text is accepted by the decoder
    /// exactly when it is canonical (checked against an independent reference).
    #[test]
    fn signature_decoding_matches_the_canonical_reference(sig in "[A-Za-z0-9_-]{1,100}") {
        let t = good_token();
        let hp = &t[..t.rfind('.').unwrap()];
        let e = gate().load(&format!("{hp}.{sig}")).unwrap_err();
        if canonical(&sig) {
            let decoded_len = sig.len() * 3 / 4;
            let want = if decoded_len == 64 { Error::BadSignature } else { Error::Malformed(Malformed::SignatureLength) };
            prop_assert_eq!(e, want);
        } else {
            prop_assert_eq!(e, Error::Malformed(Malformed::Base64));
        }
    }

    /// decode(encode(x)) == x for arbitrary signature bytes: 64 bytes reach the signature check, any
    /// other length is refused for its length (so it was decoded), never as bad base64.
    #[test]
    fn encoded_bytes_decode(bytes in prop::collection::vec(any::<u8>(), 1..100)) {
        let t = good_token();
        let hp = &t[..t.rfind('.').unwrap()];
        let e = gate().load(&format!("{hp}.{}", b64(&bytes))).unwrap_err();
        let want = if bytes.len() == 64 { Error::BadSignature } else { Error::Malformed(Malformed::SignatureLength) };
        prop_assert_eq!(e, want);
    }
}

proptest! {
    #![proptest_config(config(32))]

    /// decode(encode(x)) == x through the unverified decoder, for arbitrary text in the payload.
    #[test]
    fn unverified_decode_round_trips(text in any::<String>()) {
        let header = json!({"alg": "EdDSA"});
        let payload = json!({"note": text});
        let token = format!("{}.{}.AA", b64(header.to_string().as_bytes()), b64(payload.to_string().as_bytes()));
        let snap = UnverifiedSnapshot::decode(&token).unwrap();
        prop_assert_eq!(snap.payload, payload);
    }

    /// A key's `x` is accepted canonical, and refused padded, with a trailing bit set, or in the
    /// standard alphabet.
    #[test]
    fn jwks_x_is_strict_base64url(seed in any::<[u8; 32]>(), mask in 1u8..16) {
        let x = x_of(seed);
        let jwks = |x: &str| format!(r#"{{"keys":[{{"kty":"OKP","crv":"Ed25519","kid":"k","x":"{x}"}}]}}"#);
        prop_assert!(Keyring::from_jwks(&jwks(&x)).is_ok());
        // 32 bytes -> 43 characters: the last one carries 4 data bits and 2 unused bits.
        let noncanonical = xor_last_char(&x, mask & 0b11);
        if mask & 0b11 != 0 {
            prop_assert_eq!(Keyring::from_jwks(&jwks(&noncanonical)).unwrap_err().code(), "bad_jwks");
        }
        prop_assert_eq!(Keyring::from_jwks(&jwks(&format!("{x}="))).unwrap_err().code(), "bad_jwks");
        let standard = x.replace('-', "+").replace('_', "/");
        if standard != x {
            prop_assert_eq!(Keyring::from_jwks(&jwks(&standard)).unwrap_err().code(), "bad_jwks");
        }
    }
}

/// The property helpers themselves: the reference agrees with known cases.
#[test]
fn canonical_reference_sanity() {
    assert!(canonical("YQ") && !canonical("YR") && !canonical("YQ==") && !canonical("Y") && canonical(""));
    let _ = SigningKey::from_seed("k", [0; 32]);
}
