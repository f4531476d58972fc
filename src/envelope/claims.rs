//! The claims of a snapshot: who it is for, who it is from, when it is valid, and its body.

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Malformed};
use crate::limits::{MAX_ID_BYTES, MAX_REV};

/// The verified claims of a snapshot.
///
/// | claim | meaning |
/// |---|---|
/// | `sub` | the user the snapshot is for (required) |
/// | `aud` | the application(s) it is for: a string or an array of strings (required) |
/// | `iss` | who issued it (checked when the gate is configured with an issuer) |
/// | `iat`, `nbf` | issued at / not before, seconds since the epoch (optional) |
/// | `exp` | expiry, seconds since the epoch (required: a snapshot that never expires is refused) |
/// | `jti` | a unique id for the snapshot (optional) |
/// | `rev` | the revision of the user's permissions, an integer from 0 to 2^53 − 1 (required) |
/// | `tid` | the tenant (organisation) the user belongs to (optional) |
/// | `rg` | the permission body the evaluator reads (required, a JSON object) |
///
/// ```
/// use rolegate::Claims;
/// let claims = Claims::new("alice", "app", 1_700_000_000.0, 1_700_000_600.0, 3, serde_json::json!({}));
/// assert_eq!(claims.rev, 3);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Claims {
    /// The user the snapshot is for.
    pub sub: String,
    /// The audiences the snapshot is for.
    #[serde(serialize_with = "audience_out")]
    pub aud: Vec<String>,
    /// Who issued it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// When it was issued, in seconds since the epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iat: Option<f64>,
    /// When it becomes valid, in seconds since the epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nbf: Option<f64>,
    /// When it expires, in seconds since the epoch.
    pub exp: f64,
    /// A unique id for this snapshot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
    /// The revision of the user's permissions; a gate refuses a lower one for the same subject.
    pub rev: u64,
    /// The tenant the user belongs to.
    #[serde(rename = "tid", skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// The permission body read by the evaluator.
    #[serde(rename = "rg")]
    pub body: Value,
}

fn audience_out<S: serde::Serializer>(aud: &[String], s: S) -> Result<S::Ok, S::Error> {
    match aud {
        [one] => s.serialize_str(one),
        many => many.serialize(s),
    }
}

impl Claims {
    /// Claims with the required fields set and the optional ones empty.
    pub fn new(sub: &str, aud: &str, iat: f64, exp: f64, rev: u64, body: Value) -> Claims {
        Claims {
            sub: sub.to_owned(),
            aud: vec![aud.to_owned()],
            iss: None,
            iat: Some(iat),
            nbf: None,
            exp,
            jti: None,
            rev,
            tenant: None,
            body,
        }
    }

    /// Parses the (already verified) payload bytes.
    pub(crate) fn parse(payload: &[u8]) -> Result<Claims, Error> {
        // Each claim is taken as a raw value so that a wrong type gets `bad_claim`, not `malformed`; a
        // `null` claim is present (and so a wrong type), not absent.
        let [sub, aud, iss, iat, nbf, exp, jti, rev, tid, rg] = super::json_members(
            payload,
            ["sub", "aud", "iss", "iat", "nbf", "exp", "jti", "rev", "tid", "rg"],
        )
        .ok_or(Error::Malformed(Malformed::Payload))?;
        Ok(Claims {
            sub: id(sub, "sub")?.ok_or(Error::MissingClaim { claim: "sub" })?,
            aud: audience(aud)?,
            iss: id(iss, "iss")?,
            iat: time(iat, "iat")?,
            nbf: time(nbf, "nbf")?,
            exp: time(exp, "exp")?.ok_or(Error::MissingClaim { claim: "exp" })?,
            jti: id(jti, "jti")?,
            rev: revision(rev)?,
            tenant: id(tid, "tid")?,
            body: match rg {
                Some(v @ Value::Object(_)) => v,
                Some(_) => return Err(Error::BadClaim { claim: "rg", reason: "must be an object" }),
                None => return Err(Error::MissingClaim { claim: "rg" }),
            },
        })
    }
}

fn id(v: Option<Value>, claim: &'static str) -> Result<Option<String>, Error> {
    match v {
        None => Ok(None),
        Some(Value::String(s)) if !s.is_empty() && s.len() <= MAX_ID_BYTES => Ok(Some(s)),
        Some(Value::String(_)) => Err(Error::BadClaim { claim, reason: "must be 1 to 256 bytes" }),
        Some(_) => Err(Error::BadClaim { claim, reason: "must be a string" }),
    }
}

fn audience(v: Option<Value>) -> Result<Vec<String>, Error> {
    let bad = Error::BadClaim { claim: "aud", reason: "must be a string or an array of strings" };
    match v {
        None => Err(Error::MissingClaim { claim: "aud" }),
        Some(Value::String(s)) => Ok(vec![s]),
        Some(Value::Array(items)) if !items.is_empty() && items.len() <= 16 => items
            .into_iter()
            .map(|i| match i {
                Value::String(s) => Ok(s),
                _ => Err(bad.clone()),
            })
            .collect(),
        Some(_) => Err(bad),
    }
}

fn time(v: Option<Value>, claim: &'static str) -> Result<Option<f64>, Error> {
    match v {
        None => Ok(None),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(t) if (0.0..1e13).contains(&t) => Ok(Some(t)),
            _ => Err(Error::BadClaim { claim, reason: "must be seconds since the epoch" }),
        },
        Some(_) => Err(Error::BadClaim { claim, reason: "must be a number" }),
    }
}

fn revision(v: Option<Value>) -> Result<u64, Error> {
    match v {
        None => Err(Error::MissingClaim { claim: "rev" }),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(r) if r <= MAX_REV => Ok(r),
            _ => Err(Error::BadClaim { claim: "rev", reason: "must be an integer from 0 to 2^53 - 1" }),
        },
        Some(_) => Err(Error::BadClaim { claim: "rev", reason: "must be an integer" }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<Claims, Error> {
        Claims::parse(json.as_bytes())
    }

    const OK: &str = r#"{"sub":"u","aud":"a","exp":10,"rev":1,"rg":{}}"#;

    #[test]
    fn parses_minimal_and_round_trips() {
        let c = parse(OK).unwrap();
        assert_eq!(c.aud, ["a"]);
        let back = serde_json::to_string(&c).unwrap();
        assert_eq!(parse(&back).unwrap(), c);
    }

    #[test]
    fn claim_errors() {
        let cases = [
            (r#"{"aud":"a","exp":10,"rev":1,"rg":{}}"#, "missing_claim"),
            (r#"{"sub":"u","exp":10,"rev":1,"rg":{}}"#, "missing_claim"),
            (r#"{"sub":"u","aud":"a","rev":1,"rg":{}}"#, "missing_claim"),
            (r#"{"sub":"u","aud":"a","exp":10,"rg":{}}"#, "missing_claim"),
            (r#"{"sub":"u","aud":"a","exp":10,"rev":1}"#, "missing_claim"),
            (r#"{"sub":1,"aud":"a","exp":10,"rev":1,"rg":{}}"#, "bad_claim"),
            (r#"{"sub":"","aud":"a","exp":10,"rev":1,"rg":{}}"#, "bad_claim"),
            (r#"{"sub":"u","aud":[1],"exp":10,"rev":1,"rg":{}}"#, "bad_claim"),
            (r#"{"sub":"u","aud":"a","exp":"10","rev":1,"rg":{}}"#, "bad_claim"),
            (r#"{"sub":"u","aud":"a","exp":-1,"rev":1,"rg":{}}"#, "bad_claim"),
            (r#"{"sub":"u","aud":"a","exp":10,"rev":-1,"rg":{}}"#, "bad_claim"),
            (r#"{"sub":"u","aud":"a","exp":10,"rev":1.5,"rg":{}}"#, "bad_claim"),
            (r#"{"sub":"u","aud":"a","exp":10,"rev":9007199254740992,"rg":{}}"#, "bad_claim"),
            (r#"{"sub":"u","aud":"a","exp":10,"rev":1,"rg":[]}"#, "bad_claim"),
            (r#"{"sub":"u","sub":"v","aud":"a","exp":10,"rev":1,"rg":{}}"#, "malformed"),
            ("[]", "malformed"),
        ];
        for (json, code) in cases {
            assert_eq!(parse(json).unwrap_err().code(), code, "{json}");
        }
    }
}
