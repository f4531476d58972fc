//! Arbitrary bytes through `rolegate::json::parse`, against serde_json: whatever rolegate reads,
//! serde_json reads as the same value (floats within the last bits); and a body rolegate reads
//! round-trips through `Body::to_value`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            let (x, y) = (x.as_f64().unwrap_or(f64::NAN), y.as_f64().unwrap_or(f64::NAN));
            x == y || (x - y).abs() <= x.abs().max(y.abs()) * 1e-14
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|((kx, vx), (ky, vy))| kx == ky && same(vx, vy))
        }
        _ => a == b,
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(ours) = rolegate::json::parse(data) else { return };
    let theirs: Value = serde_json::from_slice(data).expect("rolegate read JSON that serde_json refuses");
    assert!(same(&ours, &theirs), "rolegate and serde_json read different values");
    if let Some(body) = rolegate::eval::Body::from_value(&ours) {
        assert_eq!(rolegate::eval::Body::from_value(&body.to_value()), Some(body));
    }
});
