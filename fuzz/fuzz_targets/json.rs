//! Arbitrary bytes through `rolegate::json::parse`, against serde_json, both ways: whatever rolegate
//! reads, serde_json reads as the same value (floats within the last bits); whatever serde_json reads,
//! rolegate reads as the same value once it is written canonically; and a body rolegate reads
//! round-trips through `Body::to_value`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

#[path = "../../tests/common/json_eq.rs"]
mod json_eq;
use json_eq::same;

fuzz_target!(|data: &[u8]| {
    let Ok(ours) = rolegate::json::parse(data) else {
        // The other direction: what serde_json reads, rolegate reads too once it is written out
        // canonically (rolegate refuses repeated members and nesting past 128 on purpose, and a
        // canonical text has neither; serde_json stops at 128 levels itself).
        if let Ok(theirs) = serde_json::from_slice::<Value>(data) {
            let text = serde_json::to_vec(&theirs).expect("a Value always serialises");
            let again = rolegate::json::parse(&text).expect("rolegate refused JSON serde_json wrote");
            assert!(same(&again, &theirs), "rolegate read serde_json's own output differently");
        }
        return;
    };
    let theirs: Value = serde_json::from_slice(data).expect("rolegate read JSON that serde_json refuses");
    assert!(same(&ours, &theirs), "rolegate and serde_json read different values");
    if let Some(body) = rolegate::eval::Body::from_value(&ours) {
        assert_eq!(rolegate::eval::Body::from_value(&body.to_value()), Some(body));
    }
});
