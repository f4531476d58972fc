//! Arbitrary bytes through `rolegate::json::parse`, against serde_json: whatever rolegate reads,
//! serde_json reads as the same value (floats within the last bits); and a body rolegate reads
//! round-trips through `Body::to_value`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

#[path = "../../tests/common/json_eq.rs"]
mod json_eq;
use json_eq::same;

fuzz_target!(|data: &[u8]| {
    let Ok(ours) = rolegate::json::parse(data) else { return };
    let theirs: Value = serde_json::from_slice(data).expect("rolegate read JSON that serde_json refuses");
    assert!(same(&ours, &theirs), "rolegate and serde_json read different values");
    if let Some(body) = rolegate::eval::Body::from_value(&ours) {
        assert_eq!(rolegate::eval::Body::from_value(&body.to_value()), Some(body));
    }
});
