//! Rust values to JavaScript values: errors, decisions, statuses.

use js_sys::Object;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::surfaces::{FieldDecision, Redirect, RouteDecision};
use crate::{Decision, Error, Reason, Status};

/// A rolegate error as a JS `Error` named `RolegateError` with a `.code` (see `js/error.js`).
pub(crate) fn error(e: &Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("RolegateError");
    set(&err, "code", &e.code().into());
    err.into()
}

/// A `bad_config` error for an option or argument of the wrong shape.
pub(crate) fn config_error(reason: &str) -> JsValue {
    error(&Error::BadConfig { reason: reason.to_owned() })
}

#[wasm_bindgen]
extern "C" {
    /// An object the bindings made, for plain property writes: `js_sys::Reflect::set` is declared as
    /// throwing, and wasm-bindgen's wrapper for throwing imports costs more than the rest of a check.
    #[wasm_bindgen(js_name = Object)]
    type Props;
    #[wasm_bindgen(method, structural, indexing_setter)]
    fn set(this: &Props, name: &JsValue, value: &JsValue);
}

/// `target[name]` of an app's value; undefined when it is not an object or a getter throws (so that a
/// hostile object cannot leave the gate mid-call).
pub(crate) fn prop(target: &JsValue, name: &JsValue) -> JsValue {
    js_sys::Reflect::get(target, name).unwrap_or(JsValue::UNDEFINED)
}

/// `target[name] = value` on an object the bindings just created (which cannot throw).
fn put(target: &JsValue, name: &JsValue, value: &JsValue) {
    target.unchecked_ref::<Props>().set(name, value);
}

/// Sets a property on an object the bindings just created (which cannot fail).
pub(crate) fn set(target: &JsValue, name: &str, value: &JsValue) {
    put(target, &JsValue::from_str(name), value);
}

/// Property names and reason texts the hot paths write on every call, made into JS strings once:
/// each new JS string costs a UTF-8 decode, more than the rest of a check.
struct Strings {
    names: [JsValue; NAMES.len()],
    reasons: Vec<[JsValue; 3]>,
}

/// The cached property names, indexed by the `N_*` constants.
const NAMES: [&str; 11] =
    ["allow", "code", "step", "rule", "message", "redirect", "field", "id", "children", "home", "logout"];
const N_ALLOW: usize = 0;
const N_CODE: usize = 1;
const N_STEP: usize = 2;
const N_RULE: usize = 3;
const N_MESSAGE: usize = 4;
const N_REDIRECT: usize = 5;
const N_FIELD: usize = 6;
pub(crate) const N_ID: usize = 7;
pub(crate) const N_CHILDREN: usize = 8;
const N_HOME: usize = 9;
const N_LOGOUT: usize = 10;

impl Strings {
    fn new() -> Strings {
        let mut reasons = Vec::new();
        for r in Reason::ALL {
            let i = *r as usize;
            if reasons.len() <= i {
                reasons.resize_with(i + 1, || [JsValue::UNDEFINED, JsValue::UNDEFINED, JsValue::UNDEFINED]);
            }
            if let Some(slot) = reasons.get_mut(i) {
                *slot = [r.code().into(), r.step().into(), r.message().into()];
            }
        }
        Strings { names: NAMES.map(JsValue::from_str), reasons }
    }

    fn put(&self, target: &JsValue, name: usize, value: &JsValue) {
        if let Some(n) = self.names.get(name) {
            put(target, n, value);
        }
    }

    /// The cached name `i` (undefined for an unknown index, which the constants rule out).
    fn name(&self, i: usize) -> JsValue {
        self.names.get(i).cloned().unwrap_or(JsValue::UNDEFINED)
    }

    /// `allow`, `code`, `step`, `rule` and `message`, in that order (reason texts made on the spot for
    /// a reason not in `Reason::ALL`).
    fn decision(&self, target: &JsValue, d: &Decision) {
        self.put(target, N_ALLOW, &d.allow.into());
        let rule = d.rule.as_deref().map_or(JsValue::NULL, JsValue::from_str);
        match self.reasons.get(d.reason as usize) {
            Some([code, step, message]) if !code.is_undefined() => {
                self.put(target, N_CODE, code);
                self.put(target, N_STEP, step);
                self.put(target, N_RULE, &rule);
                self.put(target, N_MESSAGE, message);
            }
            _ => {
                self.put(target, N_CODE, &d.reason.code().into());
                self.put(target, N_STEP, &d.reason.step().into());
                self.put(target, N_RULE, &rule);
                self.put(target, N_MESSAGE, &d.reason.message().into());
            }
        }
    }
}

thread_local! {
    static STRINGS: Strings = Strings::new();
}

/// Runs `f` with the cached strings.
fn with_strings<T>(f: impl FnOnce(&Strings) -> T) -> T {
    STRINGS.with(f)
}

/// Property `name` (an `N_*` constant) of `v`; undefined when `v` is not an object.
pub(crate) fn get_cached(v: &JsValue, name: usize) -> JsValue {
    with_strings(|s| s.names.get(name).map_or(JsValue::UNDEFINED, |n| prop(v, n)))
}

/// Sets property `name` (an `N_*` constant) on an object the bindings just created.
pub(crate) fn set_cached(target: &JsValue, name: usize, value: &JsValue) {
    with_strings(|s| s.put(target, name, value));
}

/// A decision as `{ allow, code, step, rule, message }`.
pub(crate) fn decision(d: &Decision) -> JsValue {
    let o: JsValue = Object::new().into();
    with_strings(|s| s.decision(&o, d));
    o
}

/// A field decision as `{ field, allow, code, step, rule, message }`.
pub(crate) fn field(f: &FieldDecision) -> JsValue {
    let o: JsValue = Object::new().into();
    with_strings(|s| {
        s.put(&o, N_FIELD, &f.field.as_str().into());
        s.decision(&o, &f.decision);
    });
    o
}

/// A route decision as `{ allow, code, step, rule, message, redirect }`; `redirect` is `null`,
/// `'home'`, `'logout'` or a path.
pub(crate) fn route(r: &RouteDecision) -> JsValue {
    let o: JsValue = Object::new().into();
    with_strings(|s| {
        s.decision(&o, &r.decision);
        s.put(&o, N_ALLOW, &r.allow.into());
        let redirect = match &r.redirect {
            None => JsValue::NULL,
            Some(Redirect::Home) => s.name(N_HOME),
            Some(Redirect::Logout) => s.name(N_LOGOUT),
            Some(Redirect::To(path)) => path.as_str().into(),
        };
        s.put(&o, N_REDIRECT, &redirect);
    });
    o
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
