//! Arbitrary bytes through `UnverifiedSnapshot::decode` (no signature check).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(token) = std::str::from_utf8(data) {
        if let Err(e) = rolegate::unverified::UnverifiedSnapshot::decode(token) {
            assert!(matches!(e.code(), "malformed" | "too_large"));
        }
    }
});
