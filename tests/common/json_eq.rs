//! JSON equality with floats allowed to differ in the last bits: `rolegate::json` is exact only within
//! 2^53 digits and ±10^22, and serde_json's default float reader is not always exact either. Shared by
//! tests/json_properties.rs and the `json` fuzz target.

use serde_json::Value;

/// Whether `a` and `b` are the same JSON, floats within a relative 1e-14.
pub fn same(a: &Value, b: &Value) -> bool {
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
