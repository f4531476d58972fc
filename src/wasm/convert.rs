//! Rust values to JavaScript values: errors and statuses. Decisions cross as numbers instead
//! (src/gate/numbers.rs).

use js_sys::Object;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::{Error, Status};

/// A rolegate error as a JS `Error` named `RolegateError` with its `.code` (see `js/error.js`) and,
/// where the error has them, the JSON `.pointer` of a policy or user problem and the `.claim` (with
/// `.reason`) of a refused claim. Every binding of every JS build (gate, issuer, CLI) throws through
/// this one conversion.
pub(crate) fn error(e: &Error) -> JsValue {
    let err = js_sys::Error::new(&e.describe());
    err.set_name("RolegateError");
    set(&err, "code", &e.code().into());
    match e {
        #[cfg(feature = "issuer")]
        Error::Policy(p) | Error::User(p) => set(&err, "pointer", &p.pointer.as_str().into()),
        Error::MissingClaim { claim } => set(&err, "claim", &(*claim).into()),
        Error::BadClaim { claim, reason } => {
            set(&err, "claim", &(*claim).into());
            set(&err, "reason", &(*reason).into());
        }
        _ => {}
    }
    err.into()
}

/// A `bad_config` error for an option of the wrong shape.
pub(crate) fn config_error(reason: &str) -> JsValue {
    error(&Error::BadConfig { reason: reason.to_owned() })
}

/// A `bad_argument` error for an argument of the wrong shape.
pub(crate) fn misuse(reason: &str) -> JsValue {
    error(&Error::BadArgument { reason: reason.to_owned() })
}

#[wasm_bindgen]
extern "C" {
    /// An object the bindings made, for plain property writes: `js_sys::Reflect::set` is declared as
    /// throwing, and wasm-bindgen's wrapper for throwing imports costs more than the write.
    #[wasm_bindgen(js_name = Object)]
    type Props;
    #[wasm_bindgen(method, structural, indexing_setter)]
    fn set(this: &Props, name: &JsValue, value: &JsValue);
}

/// Sets a property on an object the bindings just created (which cannot fail).
pub(crate) fn set(target: &JsValue, name: &str, value: &JsValue) {
    target.unchecked_ref::<Props>().set(&JsValue::from_str(name), value);
}

/// A status as `{ loaded, subject, tenant, rev, issuedAt, expiresAt, expiresIn, expired, inGrace }`;
/// what is unknown (no snapshot) is `null`.
pub(crate) fn status(s: &Status) -> JsValue {
    let o: JsValue = Object::new().into();
    let text = |t: &Option<String>| t.as_deref().map_or(JsValue::NULL, JsValue::from_str);
    let num = |n: Option<f64>| n.map_or(JsValue::NULL, JsValue::from_f64);
    set(&o, "loaded", &s.loaded.into());
    set(&o, "subject", &text(&s.subject));
    set(&o, "tenant", &text(&s.tenant));
    // Revisions are at most 2^53 - 1, so they are exact as JS numbers.
    set(&o, "rev", &num(s.rev.map(|r| r as f64)));
    set(&o, "issuedAt", &num(s.issued_at));
    set(&o, "expiresAt", &num(s.expires_at));
    set(&o, "expiresIn", &num(s.expires_in));
    set(&o, "expired", &s.expired.into());
    set(&o, "inGrace", &s.in_grace.into());
    o
}
