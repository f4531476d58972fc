//! Rust values to JavaScript values: errors, decisions, statuses.

use js_sys::{Object, Reflect};
use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::surfaces::{FieldDecision, Redirect, RouteDecision};
use crate::{Decision, Error, Status};

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

/// Sets a property on an object the bindings just created (which cannot fail).
pub(crate) fn set(target: &JsValue, name: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(name), value);
}

/// Any serialisable Rust value as a plain JS value (objects, not Maps).
pub(crate) fn to_js<T: Serialize>(value: &T) -> JsValue {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::UNDEFINED)
}

/// `{ allow, code, step, rule, message }`, written into `target`.
fn fill_decision(target: &JsValue, d: &Decision) {
    set(target, "allow", &d.allow.into());
    set(target, "code", &d.reason.code().into());
    set(target, "step", &d.reason.step().into());
    set(target, "rule", &d.rule.as_deref().map_or(JsValue::NULL, JsValue::from_str));
    set(target, "message", &d.reason.message().into());
}

/// A decision as `{ allow, code, step, rule, message }`.
pub(crate) fn decision(d: &Decision) -> JsValue {
    let o: JsValue = Object::new().into();
    fill_decision(&o, d);
    o
}

/// A field decision as `{ field, allow, code, step, rule, message }`.
pub(crate) fn field(f: &FieldDecision) -> JsValue {
    let o: JsValue = Object::new().into();
    set(&o, "field", &f.field.as_str().into());
    fill_decision(&o, &f.decision);
    o
}

/// A route decision as `{ allow, redirect, code, step, rule, message }`; `redirect` is `null`,
/// `'home'`, `'logout'` or a path.
pub(crate) fn route(r: &RouteDecision) -> JsValue {
    let o: JsValue = Object::new().into();
    fill_decision(&o, &r.decision);
    set(&o, "allow", &r.allow.into());
    let redirect = match &r.redirect {
        None => JsValue::NULL,
        Some(Redirect::Home) => "home".into(),
        Some(Redirect::Logout) => "logout".into(),
        Some(Redirect::To(path)) => path.as_str().into(),
    };
    set(&o, "redirect", &redirect);
    o
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsStatus<'a> {
    loaded: bool,
    subject: Option<&'a str>,
    tenant: Option<&'a str>,
    rev: Option<f64>,
    issued_at: Option<f64>,
    expires_at: Option<f64>,
    expires_in: Option<f64>,
    expired: bool,
    in_grace: bool,
}

/// A status as `{ loaded, subject, tenant, rev, issuedAt, expiresAt, expiresIn, expired, inGrace }`.
pub(crate) fn status(s: &Status) -> JsValue {
    to_js(&JsStatus {
        loaded: s.loaded,
        subject: s.subject.as_deref(),
        tenant: s.tenant.as_deref(),
        // Revisions are at most 2^53 - 1, so they are exact as JS numbers.
        rev: s.rev.map(|r| r as f64),
        issued_at: s.issued_at,
        expires_at: s.expires_at,
        expires_in: s.expires_in,
        expired: s.expired,
        in_grace: s.in_grace,
    })
}
