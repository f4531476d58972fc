//! Arbitrary bytes through `Gate::load` with a fixed keyring and clock.
//!
//! Two modes, so that fuzzing gets past the signature: the input as a token verbatim, and (after a
//! NUL byte) the input split into header and payload bytes that are signed with the trusted key, so
//! that the claims parser and the checks after the signature are reached too.
#![no_main]

use std::sync::OnceLock;

use ed25519_dalek::Signer;
use libfuzzer_sys::fuzz_target;
use rolegate::issue::SigningKey;
use rolegate::{Clock, Gate, GateOptions, Keyring};

const NOW: f64 = 1_700_000_000.0;
const SEED: [u8; 32] = [1; 32];

fn options() -> &'static GateOptions {
    static OPTIONS: OnceLock<GateOptions> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let jwks = SigningKey::jwks(&[&SigningKey::from_seed("k1", SEED)]);
        let mut o = GateOptions::new(Keyring::from_jwks(&jwks).expect("fixed JWKS"), "app");
        o.clock = Clock::fixed(NOW);
        o
    })
}

/// The trusted key, derived once (deriving it per input cost a quarter of each run).
fn signer() -> &'static ed25519_dalek::SigningKey {
    static KEY: OnceLock<ed25519_dalek::SigningKey> = OnceLock::new();
    KEY.get_or_init(|| ed25519_dalek::SigningKey::from_bytes(&SEED))
}

fn b64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 3);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(A[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

fn check(gate: &mut Gate, token: &str) {
    match gate.load(token) {
        // Whatever loaded must answer without panicking.
        Ok(_) => {
            let _ = gate.can("page.jobs.view");
            let _ = gate.status();
        }
        Err(e) => {
            assert!(rolegate::Error::CODES.contains(&e.code()));
            let _ = e.to_string();
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut gate = Gate::new(options().clone()).expect("fixed options");
    match data.iter().position(|&b| b == 0) {
        None => {
            if let Ok(token) = std::str::from_utf8(data) {
                check(&mut gate, token);
            }
        }
        Some(i) => {
            let (header, payload) = (&data[..i], &data[i + 1..]);
            let input = format!("{}.{}", b64(header), b64(payload));
            let token = format!("{input}.{}", b64(&signer().sign(input.as_bytes()).to_bytes()));
            check(&mut gate, &token);
        }
    }
});
