//! Reading the JavaScript options object of `new Gate({...})` into [`GateOptions`].

use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};

use super::convert::{config_error, error};
use crate::{Clock, GateOptions, Keyring};

fn field(options: &JsValue, name: &str) -> Result<Option<JsValue>, JsValue> {
    let v = Reflect::get(options, &JsValue::from_str(name))
        .map_err(|_| config_error("options must be an object"))?;
    Ok(if v.is_undefined() || v.is_null() { None } else { Some(v) })
}

fn string(options: &JsValue, name: &str) -> Result<Option<String>, JsValue> {
    field(options, name)?
        .map(|v| {
            v.as_string().ok_or_else(|| config_error(&crate::text::cat(&["`", name, "` must be a string"])))
        })
        .transpose()
}

fn number(options: &JsValue, name: &str) -> Result<Option<f64>, JsValue> {
    field(options, name)?
        .map(|v| {
            v.as_f64().ok_or_else(|| config_error(&crate::text::cat(&["`", name, "` must be a number"])))
        })
        .transpose()
}

/// `{ keys, audience, issuer?, clockSkewSec?, maxTokenBytes?, now?, platform?, offlineGraceSec? }`,
/// as js/gate.js passes them: the app's own members copied onto an object without a prototype (so a
/// polluted `Object.prototype` adds nothing).
pub(crate) fn parse(options: &JsValue) -> Result<GateOptions, JsValue> {
    if !options.is_object() {
        return Err(config_error("options must be an object"));
    }
    // js/gate.js passes a JWKS object as its JSON text.
    let jwks =
        string(options, "keys")?.ok_or_else(|| config_error("`keys` must be a JWKS object or string"))?;
    let keyring = Keyring::from_jwks(&jwks).map_err(|e| error(&e))?;
    let audience = string(options, "audience")?.ok_or_else(|| config_error("`audience` is required"))?;
    let mut opts = GateOptions::new(keyring, &audience);
    opts.issuer = string(options, "issuer")?;
    opts.platform = string(options, "platform")?;
    if let Some(skew) = number(options, "clockSkewSec")? {
        opts.clock_skew_sec = skew;
    }
    if let Some(grace) = number(options, "offlineGraceSec")? {
        opts.offline_grace_sec = grace;
    }
    if let Some(max) = number(options, "maxTokenBytes")? {
        if !(max.is_finite() && max >= 1.0 && max.fract() == 0.0) {
            return Err(config_error("`maxTokenBytes` must be a whole number of bytes"));
        }
        opts.max_token_bytes = max as usize;
    }
    if let Some(f) = field(options, "now")? {
        let f: js_sys::Function = f
            .dyn_into()
            .map_err(|_| config_error("`now` must be a function returning seconds since the epoch"))?;
        // A clock that throws or returns a non-number reads NaN, which the gate treats as expired.
        opts.clock =
            Clock::from_fn(move || f.call0(&JsValue::NULL).ok().and_then(|v| v.as_f64()).unwrap_or(f64::NAN));
    }
    Ok(opts)
}
