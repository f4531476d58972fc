//! The set of trusted public keys (a JWKS document), chosen from by the token's `kid`.

use ed25519_dalek::VerifyingKey;
use serde_json::{Map, Value};

use super::b64;
use crate::error::Error;
use crate::limits::{MAX_ID_BYTES, MAX_JWKS_BYTES, MAX_KEYS};

/// Trusted Ed25519 public keys, each with its key id (`kid`).
///
/// Several keys may be trusted at once, so that a server can rotate its signing key: it publishes the
/// new key beside the old one, starts signing with the new one, and drops the old one once every
/// snapshot signed with it has expired.
///
/// Keys of other types (RSA, EC, symmetric) and keys marked for another use or algorithm are skipped,
/// so a JWKS shared with other services works. A key that claims to be Ed25519 but is broken, holds
/// private material (`d`), or repeats a `kid` makes the whole document unusable.
///
/// ```
/// let jwks = r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1",
///     "x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#;
/// let keys = rolegate::Keyring::from_jwks(jwks).unwrap();
/// assert_eq!(keys.kids().collect::<Vec<_>>(), ["k1"]);
/// ```
#[derive(Clone, Debug)]
pub struct Keyring {
    keys: Vec<(String, VerifyingKey)>,
}

impl Keyring {
    /// Parses a JWKS document (`{"keys":[…]}`) and keeps its Ed25519 signing keys.
    pub fn from_jwks(jwks: &str) -> Result<Keyring, Error> {
        if jwks.len() > MAX_JWKS_BYTES {
            return Err(Error::TooLarge { what: "jwks", size: jwks.len(), limit: MAX_JWKS_BYTES });
        }
        // Read strictly (crate::json): a key that repeats a member, such as `{"x":A,"x":B}`, would mean
        // B to a parser that keeps the last copy and A to one that keeps the first; it is refused.
        let doc = match crate::json::parse(jwks.as_bytes()) {
            Ok(Value::Object(doc)) => doc,
            Ok(_) => return Err(bad("not a JWKS document (a JSON object with `keys`)".into())),
            Err(e) => return Err(bad(format!("not a JWKS document (not JSON at byte {})", e.offset))),
        };
        let Some(Value::Array(list)) = doc.get("keys") else {
            return Err(bad("not a JWKS document (a JSON object with `keys`)".into()));
        };
        if list.len() > MAX_KEYS {
            return Err(bad(format!("{} keys, more than the {MAX_KEYS} allowed", list.len())));
        }
        let mut keys: Vec<(String, VerifyingKey)> = Vec::new();
        for (i, jwk) in list.iter().enumerate() {
            let Value::Object(jwk) = jwk else {
                return Err(bad(format!("key {i} is not a JSON object")));
            };
            let Some((kid, key)) = parse_jwk(i, jwk)? else {
                continue;
            };
            if keys.iter().any(|(k, _)| *k == kid) {
                return Err(bad(format!("kid `{kid}` appears twice")));
            }
            keys.push((kid, key));
        }
        if keys.is_empty() {
            return Err(bad("no Ed25519 signing key (kty `OKP`, crv `Ed25519`)".into()));
        }
        Ok(Keyring { keys })
    }

    /// The key with this `kid`, if trusted.
    pub(crate) fn find(&self, kid: &str) -> Option<&VerifyingKey> {
        self.keys.iter().find(|(k, _)| k == kid).map(|(_, key)| key)
    }

    /// The ids of the trusted keys, in document order.
    pub fn kids(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|(k, _)| k.as_str())
    }
}

fn bad(reason: String) -> Error {
    Error::BadJwks { reason }
}

/// One JWK: `Ok(None)` for keys that are not ours to use, an error for broken Ed25519 keys.
fn parse_jwk(i: usize, jwk: &Map<String, Value>) -> Result<Option<(String, VerifyingKey)>, Error> {
    let text = |name: &str| jwk.get(name).and_then(|v| v.as_str());
    if text("kty") != Some("OKP") || text("crv") != Some("Ed25519") {
        return Ok(None);
    }
    if text("use").is_some_and(|u| u != "sig") || text("alg").is_some_and(|a| a != "EdDSA" && a != "Ed25519")
    {
        return Ok(None);
    }
    if jwk.contains_key("d") {
        return Err(bad(format!("key {i} holds private key material (`d`); publish only public keys")));
    }
    let kid = match text("kid") {
        Some(k) if !k.is_empty() && k.len() <= MAX_ID_BYTES => k.to_owned(),
        _ => return Err(bad(format!("key {i} has no usable `kid`"))),
    };
    let x =
        text("x").and_then(b64::decode).ok_or_else(|| bad(format!("key `{kid}`: `x` is not base64url")))?;
    let bytes: [u8; 32] = x.try_into().map_err(|_| bad(format!("key `{kid}`: `x` is not 32 bytes")))?;
    let key = VerifyingKey::from_bytes(&bytes)
        .map_err(|_| bad(format!("key `{kid}`: `x` is not a valid Ed25519 point")))?;
    if key.is_weak() {
        return Err(bad(format!("key `{kid}`: `x` is a weak (small-order) key")));
    }
    Ok(Some((kid, key)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const X: &str = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";

    fn jwks(keys: &str) -> String {
        format!(r#"{{"keys":[{keys}]}}"#)
    }

    #[test]
    fn skips_foreign_keys_and_keeps_ed25519() {
        let doc = jwks(&format!(
            r#"{{"kty":"RSA","n":"x","e":"AQAB","kid":"r"}},{{"kty":"OKP","crv":"X25519","x":"{X}","kid":"x"}},
               {{"kty":"OKP","crv":"Ed25519","x":"{X}","kid":"enc","use":"enc"}},
               {{"kty":"OKP","crv":"Ed25519","x":"{X}","kid":"k"}}"#
        ));
        let ring = Keyring::from_jwks(&doc).unwrap();
        assert_eq!(ring.kids().collect::<Vec<_>>(), ["k"]);
    }

    #[test]
    fn refuses_broken_ed25519_keys() {
        let cases = [
            format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{X}"}}"#),
            format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{X}","kid":"k","d":"{X}"}}"#),
            r#"{"kty":"OKP","crv":"Ed25519","x":"AAAA","kid":"k"}"#.to_owned(),
            format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{X}=","kid":"k"}}"#),
            format!(
                r#"{{"kty":"OKP","crv":"Ed25519","x":"{X}","kid":"k"}},{{"kty":"OKP","crv":"Ed25519","x":"{X}","kid":"k"}}"#
            ),
        ];
        for c in cases {
            let e = Keyring::from_jwks(&jwks(&c)).unwrap_err();
            assert_eq!(e.code(), "bad_jwks", "{c}");
        }
        assert_eq!(Keyring::from_jwks("[]").unwrap_err().code(), "bad_jwks");
        assert_eq!(Keyring::from_jwks(&jwks("")).unwrap_err().code(), "bad_jwks");
    }
}
