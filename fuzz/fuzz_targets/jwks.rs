//! Arbitrary bytes through `Keyring::from_jwks`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        match rolegate::Keyring::from_jwks(text) {
            Ok(ring) => assert!(ring.kids().count() > 0),
            Err(e) => assert!(matches!(e.code(), "bad_jwks" | "too_large")),
        }
    }
});
