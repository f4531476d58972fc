//! JSON-like values between JavaScript and [`serde_json::Value`] (records to mask, settings), written
//! out with plain `js-sys` calls instead of serde-wasm-bindgen to keep the browser module small.

use js_sys::{Array, Object};
use serde_json::{Map, Number, Value};
use wasm_bindgen::prelude::*;

use super::convert::set;

/// Nesting deeper than this (or a cycle) is refused.
const MAX_DEPTH: usize = 128;

/// Arrays longer than this are refused (a sparse `[]` with `length = 2 ** 32 - 1` would otherwise be
/// read item by item).
const MAX_ITEMS: f64 = 1_048_576.0;

#[wasm_bindgen]
extern "C" {
    /// `Object.keys`, catching what a hostile object (a `Proxy`) throws, so that it cannot unwind
    /// through the gate mid-call.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn own_keys(o: &JsValue) -> Result<Array, JsValue>;
}

/// A JS value as JSON: `null`/`undefined` → `null`, booleans, numbers (whole numbers up to 2^53 as
/// integers, NaN and infinities as `null`, as `JSON.stringify` does), strings, arrays, and plain
/// objects by their own enumerable string keys. `None` for anything else (functions, symbols,
/// BigInts), a getter that throws, an array of more than 2^20 items, or nesting deeper than 128
/// levels (which also stops cycles).
pub(crate) fn from_js(v: &JsValue) -> Option<Value> {
    read(v, 0)
}

fn read(v: &JsValue, depth: usize) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    if v.is_null() || v.is_undefined() {
        return Some(Value::Null);
    }
    if let Some(b) = v.as_bool() {
        return Some(Value::Bool(b));
    }
    if let Some(n) = v.as_f64() {
        return Some(number(n));
    }
    if let Some(s) = v.as_string() {
        return Some(Value::String(s));
    }
    if Array::is_array(v) {
        let len = js_sys::Reflect::get(v, &"length".into()).ok()?.as_f64().filter(|n| *n <= MAX_ITEMS)?;
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "an array length is a u32"
        )]
        let len = len as u32;
        return (0..len)
            .map(|i| read(&js_sys::Reflect::get_u32(v, i).ok()?, depth + 1))
            .collect::<Option<Vec<_>>>()
            .map(Value::Array);
    }
    if !v.is_object() || v.is_function() {
        return None;
    }
    let mut members = Map::new();
    for name in own_keys(v).ok()?.iter() {
        let key = name.as_string()?;
        let value = js_sys::Reflect::get(v, &name).ok()?;
        members.insert(key, read(&value, depth + 1)?);
    }
    Some(Value::Object(members))
}

/// A JS number as a JSON number: a whole number within ±2^53 as an integer.
fn number(n: f64) -> Value {
    const SAFE: f64 = 9_007_199_254_740_991.0;
    if n.fract() == 0.0 && n.abs() <= SAFE && !(n == 0.0 && n.is_sign_negative()) {
        // Exact: a whole number within ±2^53 converts without loss.
        return Value::Number(Number::from(n as i64));
    }
    Number::from_f64(n).map_or(Value::Null, Value::Number)
}

/// JSON as a plain JS value (objects, not `Map`s).
pub(crate) fn to_js(v: &Value) -> JsValue {
    match v {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Number(n) => JsValue::from_f64(n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => JsValue::from_str(s),
        Value::Array(items) => items.iter().map(to_js).collect::<Array>().into(),
        Value::Object(members) => {
            let o: JsValue = Object::new().into();
            for (k, v) in members {
                set(&o, k, &to_js(v));
            }
            o
        }
    }
}
