//! The set of trusted public keys (a JWKS document), chosen from by the token's `kid`.

use curve25519_dalek::traits::IsIdentity;
use curve25519_dalek::{EdwardsPoint, Scalar};
use ed25519_dalek::VerifyingKey;
use serde_json::{Map, Value};

use super::b64;
use crate::error::Error;
use crate::limits::{MAX_ID_BYTES, MAX_JWKS_BYTES, MAX_KEYS};
use crate::text::{cat, num};

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
            Err(e) => {
                return Err(bad(cat(&["not a JWKS document (not JSON at byte ", &num(e.offset as u64), ")"])))
            }
        };
        let Some(Value::Array(list)) = doc.get("keys") else {
            return Err(bad("not a JWKS document (a JSON object with `keys`)".into()));
        };
        if list.len() > MAX_KEYS {
            return Err(bad(cat(&[
                &num(list.len() as u64),
                " keys, more than the ",
                &num(MAX_KEYS as u64),
                " allowed",
            ])));
        }
        let mut keys: Vec<(String, VerifyingKey)> = Vec::new();
        for (i, jwk) in list.iter().enumerate() {
            let Value::Object(jwk) = jwk else {
                return Err(bad(cat(&["key ", &num(i as u64), " is not a JSON object"])));
            };
            // Private material is refused on every key, the ones skipped below included: a key set
            // that carries any is a private document published by mistake.
            if let Some(m) = PRIVATE.iter().find(|m| jwk.contains_key(**m)) {
                return Err(bad(cat(&[
                    "key ",
                    &num(i as u64),
                    " holds private key material (`",
                    m,
                    "`); publish only public keys",
                ])));
            }
            let Some((kid, key)) = parse_jwk(i, jwk)? else {
                continue;
            };
            if keys.iter().any(|(k, _)| *k == kid) {
                return Err(bad(cat(&["kid `", &kid, "` appears twice"])));
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

/// The members of a JWK that hold private key material (RFC 7517/7518: `d` of OKP, EC and RSA keys,
/// RSA's primes and CRT values, a symmetric key's `k`).
const PRIVATE: &[&str] = &["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/// Whether `a` lies in the prime-order subgroup, i.e. [ℓ]A is the identity. `is_torsion_free` would
/// add a second scalar multiplication to the browser module (0.5 KB brotli); this reuses the one
/// verification calls: [ℓ−1]A + [0]B, plus A.
fn prime_order(a: &EdwardsPoint) -> bool {
    // ℓ − 1, little-endian: a canonical scalar, read as the integer ℓ − 1 by the multiplication.
    const L_MINUS_1: [u8; 32] = [
        0xec, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];
    let Some(l_minus_1) = Option::<Scalar>::from(Scalar::from_canonical_bytes(L_MINUS_1)) else {
        return false;
    };
    (EdwardsPoint::vartime_double_scalar_mul_basepoint(&l_minus_1, a, &Scalar::ZERO) + a).is_identity()
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
    let kid = match text("kid") {
        Some(k) if !k.is_empty() && k.len() <= MAX_ID_BYTES => k.to_owned(),
        _ => return Err(bad(cat(&["key ", &num(i as u64), " has no usable `kid`"]))),
    };
    let broken = |what: &str| bad(cat(&["key `", &kid, "`: `x` ", what]));
    let x = text("x").and_then(b64::decode).ok_or_else(|| broken("is not base64url"))?;
    let bytes: [u8; 32] = x.try_into().map_err(|_| broken("is not 32 bytes"))?;
    let key = VerifyingKey::from_bytes(&bytes).map_err(|_| broken("is not a valid Ed25519 point"))?;
    // RFC 8032 5.1.3: `x` must be the canonical encoding (y < p), and the key must lie in the
    // prime-order subgroup: a mixed-order key (a genuine key plus a small-order point) would let
    // signatures verify that the genuine key never made (docs/security.md, "Verification").
    let point = key.to_edwards();
    if point.compress().to_bytes() != bytes {
        return Err(broken("is not the canonical encoding of its point"));
    }
    if key.is_weak() || !prime_order(&point) {
        return Err(broken("is a weak (small- or mixed-order) key"));
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

    fn key_of(point: &EdwardsPoint) -> String {
        let doc = format!(
            r#"{{"kty":"OKP","crv":"Ed25519","kid":"k","x":"{}"}}"#,
            b64::encode(point.compress().as_bytes())
        );
        jwks(&doc)
    }

    #[test]
    fn refuses_mixed_order_and_non_canonical_keys() {
        let genuine =
            VerifyingKey::from_bytes(&b64::decode(X).unwrap().try_into().unwrap()).unwrap().to_edwards();
        assert!(Keyring::from_jwks(&key_of(&genuine)).is_ok());
        // A point of order 8 (RFC 8032's small-order list): the genuine key plus it is a mixed-order
        // key, which is not small-order (`is_weak` lets it through) but must be refused.
        let hex = "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a";
        let bytes: Vec<u8> =
            (0..32).map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap()).collect();
        let torsion =
            curve25519_dalek::edwards::CompressedEdwardsY(bytes.try_into().unwrap()).decompress().unwrap();
        assert!(torsion.is_small_order() && !torsion.is_identity());
        let e = Keyring::from_jwks(&key_of(&(genuine + torsion))).unwrap_err();
        assert_eq!(e.code(), "bad_jwks");
        assert!(e.to_string().contains("mixed-order"), "{e}");
        assert!(prime_order(&genuine) && !prime_order(&torsion));
        // The identity is in the prime-order subgroup but is small-order (`is_weak`): refused too.
        assert_eq!(Keyring::from_jwks(&key_of(&EdwardsPoint::default())).unwrap_err().code(), "bad_jwks");
        // A non-canonical encoding: y ≥ p (p + y for a small y whose point is on the curve), or the
        // sign bit set on x = 0.
        let mut refused = 0;
        for y in 0u8..19 {
            let mut b = [0xffu8; 32];
            b[0] = 0xed + y;
            b[31] = 0x7f;
            if VerifyingKey::from_bytes(&b).is_err() {
                continue;
            }
            let doc =
                jwks(&format!(r#"{{"kty":"OKP","crv":"Ed25519","kid":"k","x":"{}"}}"#, b64::encode(&b)));
            assert_eq!(Keyring::from_jwks(&doc).unwrap_err().code(), "bad_jwks", "y = p + {y}");
            refused += 1;
        }
        assert!(refused > 0, "some y >= p decodes to a point, and every such encoding is refused");
        let mut minus_zero = [0u8; 32];
        minus_zero[0] = 1;
        minus_zero[31] = 0x80; // y = 1, x = "-0"
        let doc =
            jwks(&format!(r#"{{"kty":"OKP","crv":"Ed25519","kid":"k","x":"{}"}}"#, b64::encode(&minus_zero)));
        assert_eq!(Keyring::from_jwks(&doc).unwrap_err().code(), "bad_jwks");
    }

    #[test]
    fn refuses_private_members_on_any_key_skipped_ones_included() {
        for (key, member) in [
            (format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{X}","kid":"enc","use":"enc","d":"{X}"}}"#), "d"),
            (r#"{"kty":"RSA","n":"x","e":"AQAB","kid":"r","d":"x","p":"x","q":"x"}"#.to_owned(), "d"),
            (r#"{"kty":"RSA","n":"x","e":"AQAB","kid":"r","qi":"x"}"#.to_owned(), "qi"),
            (r#"{"kty":"oct","kid":"s","k":"c2VjcmV0"}"#.to_owned(), "k"),
            (r#"{"kty":"EC","crv":"P-256","x":"x","y":"y","kid":"e","d":"x"}"#.to_owned(), "d"),
        ] {
            let doc = jwks(&format!(r#"{key},{{"kty":"OKP","crv":"Ed25519","x":"{X}","kid":"k"}}"#));
            let e = Keyring::from_jwks(&doc).unwrap_err();
            assert_eq!(e.code(), "bad_jwks", "{key}");
            assert!(e.to_string().contains(&format!("(`{member}`)")), "{e}");
        }
    }
}
