//! JavaScript objects as records: the evaluator reads the few fields it needs, one property at a
//! time, with no JSON in between.

use std::borrow::Cow;

use js_sys::Array;
use wasm_bindgen::JsValue;

use super::convert::prop;
use crate::eval::{FieldValue, Record};

/// A borrowed JS object read as a [`Record`].
pub(crate) struct JsRecord<'a>(pub(crate) &'a JsValue);

impl Record for JsRecord<'_> {
    fn field(&self, name: &str) -> Option<FieldValue<'_>> {
        lookup(self.0, name).map(|v| value(&v, 0))
    }
}

/// `name` on `obj`, or a dotted path (`consultant.id`) through nested objects.
fn lookup(obj: &JsValue, name: &str) -> Option<JsValue> {
    if !obj.is_object() {
        return None;
    }
    let direct = Some(prop(obj, &JsValue::from_str(name))).filter(|v| !v.is_undefined());
    if direct.is_some() {
        return direct;
    }
    let (head, rest) = name.split_once('.')?;
    let inner = prop(obj, &JsValue::from_str(head));
    lookup(&inner, rest)
}

/// Nested arrays deeper than this read as `Other` (JS arrays can contain themselves).
const MAX_DEPTH: u8 = 32;

fn value(v: &JsValue, depth: u8) -> FieldValue<'static> {
    if v.is_null() || v.is_undefined() {
        FieldValue::Null
    } else if let Some(s) = v.as_string() {
        FieldValue::Str(Cow::Owned(s))
    } else if let Some(n) = v.as_f64() {
        FieldValue::Num(n)
    } else if let Some(b) = v.as_bool() {
        FieldValue::Bool(b)
    } else if Array::is_array(v) && depth < MAX_DEPTH {
        FieldValue::List(Array::from(v).iter().map(|i| value(&i, depth + 1)).collect())
    } else {
        FieldValue::Other
    }
}
