//! JSON values as plain JavaScript values (settings, placeholders), written out with plain `js-sys`
//! calls instead of serde-wasm-bindgen to keep the browser module small.

use js_sys::{Array, Object};
use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::convert::set;

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
