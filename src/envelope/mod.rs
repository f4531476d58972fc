//! The snapshot envelope: a JWS compact token signed with Ed25519, verified against trusted keys,
//! with its claims checked against the gate's audience, issuer and clock.
//!
//! This layer knows nothing about policies: it hands the evaluator the body (`rg`) of a snapshot
//! whose signature, algorithm, key, times and audience have all been checked.

mod b64;
mod claims;
mod jws;
mod keys;
pub mod unverified;

pub use claims::Claims;
pub use jws::SNAPSHOT_TYP;
pub use keys::Keyring;

#[cfg(feature = "issuer")]
pub(crate) use b64::{decode as b64_decode, encode as b64_encode};

use crate::error::Error;

/// What a token is checked against.
#[derive(Debug, Clone)]
pub(crate) struct Expectations<'a> {
    pub(crate) audience: &'a str,
    pub(crate) issuer: Option<&'a str>,
    pub(crate) clock_skew: f64,
    /// How long after `exp` a snapshot is still accepted (offline grace; 0 by default).
    pub(crate) grace: f64,
    pub(crate) max_token_bytes: usize,
}

/// Verifies a token and its claims at time `now` (seconds since the epoch).
pub(crate) fn verify(
    token: &str,
    keys: &Keyring,
    expect: &Expectations<'_>,
    now: f64,
) -> Result<Claims, Error> {
    let payload = jws::verify(token, keys, expect.max_token_bytes)?;
    let claims = Claims::parse(&payload)?;
    check_times(&claims, now, expect.clock_skew, expect.grace)?;
    if !claims.aud.iter().any(|a| a == expect.audience) {
        return Err(Error::WrongAudience);
    }
    if let Some(iss) = expect.issuer {
        if claims.iss.as_deref() != Some(iss) {
            return Err(Error::WrongIssuer);
        }
    }
    Ok(claims)
}

/// `exp + grace` must be ahead of `now - skew`; `nbf` and `iat` must not be beyond `now + skew`.
///
/// Each check states what must hold, so that a clock reading NaN (a broken injected clock) fails
/// closed: every comparison with NaN is false.
pub(crate) fn check_times(claims: &Claims, now: f64, skew: f64, grace: f64) -> Result<(), Error> {
    let live = now - skew - grace < claims.exp;
    if !live {
        return Err(Error::Expired { exp: claims.exp, now });
    }
    for t in [claims.nbf, claims.iat].into_iter().flatten() {
        let started = t <= now + skew;
        if !started {
            return Err(Error::NotYetValid { nbf: t, now });
        }
    }
    Ok(())
}

/// The members `names` of JSON text that is an object (read by [`crate::json::parse`]: strict, and a
/// repeated member name is refused), each `Some` when present (even as `null`); `None` when the text
/// is not a JSON object. Other members are ignored.
pub(crate) fn json_members<const N: usize>(
    text: &[u8],
    names: [&str; N],
) -> Option<[Option<serde_json::Value>; N]> {
    let serde_json::Value::Object(members) = crate::json::parse(text).ok()? else { return None };
    let mut found = [const { None }; N];
    // Taken by value in one pass: removing members one by one instantiated the map's rebalancing.
    for (name, value) in members {
        if let Some(slot) = names.iter().position(|n| *n == name).and_then(|i| found.get_mut(i)) {
            *slot = Some(value);
        }
    }
    Some(found)
}
