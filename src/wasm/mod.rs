//! JavaScript bindings. They translate types and errors and decide nothing: every answer comes from
//! the same Rust code that runs natively.

mod issuer;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::{Clock, Decision, Error, Gate, GateOptions, Keyring, Status};

/// Turns a rolegate error into a JS `Error` named `RolegateError` with a `.code`.
fn to_js(e: &Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("RolegateError");
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&err, &"code".into(), &e.code().into());
    err.into()
}

fn config_error(reason: &str) -> JsValue {
    to_js(&Error::BadConfig { reason: reason.to_owned() })
}

fn field(options: &JsValue, name: &str) -> Result<JsValue, JsValue> {
    js_sys::Reflect::get(options, &name.into()).map_err(|_| config_error("options must be an object"))
}

fn optional_string(options: &JsValue, name: &str) -> Result<Option<String>, JsValue> {
    let v = field(options, name)?;
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_string().map(Some).ok_or_else(|| config_error(&format!("`{name}` must be a string")))
}

fn optional_number(options: &JsValue, name: &str) -> Result<Option<f64>, JsValue> {
    let v = field(options, name)?;
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_f64().map(Some).ok_or_else(|| config_error(&format!("`{name}` must be a number")))
}

fn to_value<T: Serialize>(value: &T) -> JsValue {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::UNDEFINED)
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
}

impl<'a> From<&'a Status> for JsStatus<'a> {
    fn from(s: &'a Status) -> Self {
        JsStatus {
            loaded: s.loaded,
            subject: s.subject.as_deref(),
            tenant: s.tenant.as_deref(),
            // Revisions are at most 2^53 - 1, so they are exact as JS numbers.
            rev: s.rev.map(|r| r as f64),
            issued_at: s.issued_at,
            expires_at: s.expires_at,
            expires_in: s.expires_in,
            expired: s.expired,
        }
    }
}

#[derive(Serialize)]
struct JsDecision<'a> {
    allow: bool,
    code: &'static str,
    rule: Option<&'a str>,
    message: &'static str,
}

impl<'a> From<&'a Decision> for JsDecision<'a> {
    fn from(d: &'a Decision) -> Self {
        JsDecision {
            allow: d.allow,
            code: d.reason.code(),
            rule: d.rule.as_deref(),
            message: d.reason.message(),
        }
    }
}

/// The wasm side of a gate; `js/gate.js` wraps it as the public `Gate`.
#[wasm_bindgen(js_name = WasmGate)]
pub struct JsGate {
    inner: Gate,
}

#[wasm_bindgen(js_class = WasmGate)]
impl JsGate {
    /// `new Gate({ keys, audience, issuer?, clockSkewSec?, maxTokenBytes?, now? })`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<JsGate, JsValue> {
        if !options.is_object() {
            return Err(config_error("options must be an object"));
        }
        let keys = field(&options, "keys")?;
        let jwks = match keys.as_string() {
            Some(s) => s,
            None if keys.is_object() => js_sys::JSON::stringify(&keys)
                .ok()
                .and_then(|s| s.as_string())
                .ok_or_else(|| config_error("`keys` must be a JWKS object or string"))?,
            None => return Err(config_error("`keys` must be a JWKS object or string")),
        };
        let keyring = Keyring::from_jwks(&jwks).map_err(|e| to_js(&e))?;
        let audience =
            optional_string(&options, "audience")?.ok_or_else(|| config_error("`audience` is required"))?;
        let mut opts = GateOptions::new(keyring, &audience);
        opts.issuer = optional_string(&options, "issuer")?;
        if let Some(skew) = optional_number(&options, "clockSkewSec")? {
            opts.clock_skew_sec = skew;
        }
        if let Some(max) = optional_number(&options, "maxTokenBytes")? {
            if !(max.is_finite() && max >= 0.0 && max.fract() == 0.0) {
                return Err(config_error("`maxTokenBytes` must be a whole number"));
            }
            opts.max_token_bytes = max as usize;
        }
        let now = field(&options, "now")?;
        if let Some(f) = now.dyn_ref::<js_sys::Function>() {
            let f = f.clone();
            opts.clock = Clock::from_fn(move || {
                f.call0(&JsValue::NULL).ok().and_then(|v| v.as_f64()).unwrap_or(f64::NAN)
            });
        } else if !now.is_undefined() && !now.is_null() {
            return Err(config_error("`now` must be a function returning seconds since the epoch"));
        }
        Gate::new(opts).map(|inner| JsGate { inner }).map_err(|e| to_js(&e))
    }

    /// Verifies a snapshot token and puts it in force; throws a `RolegateError` (with `.code`) and
    /// keeps the previous snapshot if it is refused. Returns the new status.
    pub fn load(&mut self, token: &str) -> Result<JsValue, JsValue> {
        self.inner.load(token).map(|s| to_value(&JsStatus::from(&s))).map_err(|e| to_js(&e))
    }

    /// Whether the user may do `key`.
    pub fn can(&self, key: &str) -> bool {
        self.inner.can(key)
    }

    /// `{ allow, code, rule, message }` for `key`.
    pub fn check(&self, key: &str) -> JsValue {
        to_value(&JsDecision::from(&self.inner.check(key)))
    }

    /// `{ loaded, subject, tenant, rev, issuedAt, expiresAt, expiresIn, expired }`.
    pub fn status(&self) -> JsValue {
        to_value(&JsStatus::from(&self.inner.status()))
    }

    /// Drops the snapshot in force; every check is denied afterwards.
    pub fn clear(&mut self) {
        self.inner.clear();
    }
}
