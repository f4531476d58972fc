//! Issuing snapshots: key generation and signing (cargo feature `issuer`; never in the browser build).

mod claims;
mod query;

use base64::Engine;
use ed25519_dalek::Signer;
use serde_json::json;

use crate::envelope::{b64_decode, b64_encode, Claims, SNAPSHOT_TYP};
use crate::error::Error;
use crate::limits::{MAX_ID_BYTES, MAX_REV};

/// An Ed25519 private key with its key id, used to sign snapshots.
///
/// ```
/// use rolegate::issue::SigningKey;
/// let key = SigningKey::from_seed("k1", [7; 32]);
/// let jwks = SigningKey::jwks(&[&key]);
/// assert!(jwks.contains(r#""kid":"k1""#));
/// ```
#[derive(Clone)]
pub struct SigningKey {
    kid: String,
    key: ed25519_dalek::SigningKey,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningKey {{ kid: {:?}, .. }}", self.kid)
    }
}

impl SigningKey {
    /// A new random key from the operating system's random source (cargo feature `keygen`).
    #[cfg(feature = "keygen")]
    pub fn generate(kid: &str) -> Result<SigningKey, Error> {
        SigningKey::with_seed(kid, os_seed().map_err(|reason| Error::BadConfig { reason })?)
    }

    /// The key whose 32-byte secret seed is `seed`, drawn by the caller from a secure random source;
    /// the key id must be 1 to 256 bytes.
    ///
    /// ```
    /// use rolegate::issue::SigningKey;
    /// assert_eq!(SigningKey::with_seed("2026-11", [9; 32]).unwrap().kid(), "2026-11");
    /// assert!(SigningKey::with_seed("", [9; 32]).is_err());
    /// ```
    pub fn with_seed(kid: &str, seed: [u8; 32]) -> Result<SigningKey, Error> {
        Self::checked_kid(kid)?;
        Ok(SigningKey::from_seed(kid, seed))
    }

    /// The key whose 32-byte secret seed is `seed` (tests and fixtures).
    pub fn from_seed(kid: &str, seed: [u8; 32]) -> SigningKey {
        SigningKey { kid: kid.to_owned(), key: ed25519_dalek::SigningKey::from_bytes(&seed) }
    }

    /// Reads a private JWK (`{"kty":"OKP","crv":"Ed25519","d":…,"x":…,"kid":…}`).
    pub fn from_jwk(jwk: &str) -> Result<SigningKey, Error> {
        let bad = |reason: &str| Error::BadJwks { reason: reason.to_owned() };
        let v: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(jwk).map_err(|_| bad("the private key is not a JSON object"))?;
        let text = |name: &str| v.get(name).and_then(serde_json::Value::as_str);
        if text("kty") != Some("OKP") || text("crv") != Some("Ed25519") {
            return Err(bad("the private key is not an Ed25519 JWK (kty `OKP`, crv `Ed25519`)"));
        }
        let kid = text("kid").ok_or_else(|| bad("the private key has no `kid`"))?;
        Self::checked_kid(kid)?;
        let d =
            text("d").and_then(b64_decode).ok_or_else(|| bad("the private key's `d` is not base64url"))?;
        let seed: [u8; 32] = d.try_into().map_err(|_| bad("the private key's `d` is not 32 bytes"))?;
        let key = SigningKey::from_seed(kid, seed);
        if let Some(x) = text("x") {
            if x != b64_encode(key.key.verifying_key().as_bytes()) {
                return Err(bad("the private key's `x` does not match its `d`"));
            }
        }
        Ok(key)
    }

    fn checked_kid(kid: &str) -> Result<(), Error> {
        if kid.is_empty() || kid.len() > MAX_ID_BYTES {
            return Err(Error::BadArgument { reason: "a key id must be 1 to 256 bytes".to_owned() });
        }
        Ok(())
    }

    /// The key id.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The private JWK, to store as a secret.
    pub fn private_jwk(&self) -> String {
        let mut jwk = self.public_jwk();
        if let Some(obj) = jwk.as_object_mut() {
            obj.insert("d".to_owned(), json!(b64_encode(self.key.as_bytes())));
        }
        jwk.to_string()
    }

    /// The public JWK of this key.
    pub fn public_jwk(&self) -> serde_json::Value {
        json!({
            "kty": "OKP", "crv": "Ed25519", "use": "sig", "alg": "EdDSA", "kid": self.kid,
            "x": b64_encode(self.key.verifying_key().as_bytes()),
        })
    }

    /// The private key as PKCS#8 PEM (RFC 8410), for JOSE stacks that read PEM files.
    ///
    /// ```
    /// let pem = rolegate::issue::SigningKey::from_seed("k", [1; 32]).private_pem();
    /// assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI"));
    /// ```
    pub fn private_pem(&self) -> String {
        // DER: SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING (32) } }
        const PKCS8_ED25519_PREFIX: [u8; 16] =
            [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];
        let mut der = PKCS8_ED25519_PREFIX.to_vec();
        der.extend_from_slice(self.key.as_bytes());
        let body = base64::engine::general_purpose::STANDARD.encode(der);
        format!("-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----\n")
    }

    /// A JWKS document with the public halves of `keys` (publish the old and new key during rotation).
    pub fn jwks(keys: &[&SigningKey]) -> String {
        json!({ "keys": keys.iter().map(|k| k.public_jwk()).collect::<Vec<_>>() }).to_string()
    }

    /// Signs `claims` into a compact JWS snapshot token.
    pub fn sign(&self, claims: &Claims) -> Result<String, Error> {
        check_claims(claims)?;
        let header = json!({ "alg": "EdDSA", "typ": SNAPSHOT_TYP, "kid": self.kid });
        let payload = serde_json::to_vec(claims)
            .map_err(|_| Error::BadClaim { claim: "rg", reason: "cannot be serialised" })?;
        let mut token = b64_encode(header.to_string().as_bytes());
        token.push('.');
        token.push_str(&b64_encode(&payload));
        let signature = self.key.sign(token.as_bytes());
        token.push('.');
        token.push_str(&b64_encode(&signature.to_bytes()));
        Ok(token)
    }
}

/// Refuses to sign what a gate would refuse to load.
fn check_claims(c: &Claims) -> Result<(), Error> {
    let time_ok = |t: f64| t.is_finite() && t >= 0.0;
    if c.sub.is_empty() || c.sub.len() > MAX_ID_BYTES {
        return Err(Error::BadClaim { claim: "sub", reason: "must be 1 to 256 bytes" });
    }
    if c.aud.is_empty() || c.aud.iter().any(String::is_empty) {
        return Err(Error::BadClaim { claim: "aud", reason: "must name at least one audience" });
    }
    if !time_ok(c.exp) || !c.iat.is_none_or(time_ok) || !c.nbf.is_none_or(time_ok) {
        return Err(Error::BadClaim { claim: "exp", reason: "times must be seconds since the epoch" });
    }
    if c.rev > MAX_REV {
        return Err(Error::BadClaim { claim: "rev", reason: "must be an integer from 0 to 2^53 - 1" });
    }
    if !c.body.is_object() {
        return Err(Error::BadClaim { claim: "rg", reason: "must be an object" });
    }
    Ok(())
}

/// 32 bytes from the operating system's random source, or why there are none (`no random source:
/// …`): the seed of every key made natively ([`SigningKey::generate`], `rolegate keygen`).
#[cfg(feature = "keygen")]
pub(crate) fn os_seed() -> Result<[u8; 32], String> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| format!("no random source: {e}"))?;
    Ok(seed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_jwk_round_trips() {
        let k = SigningKey::from_seed("k", [3; 32]);
        let back = SigningKey::from_jwk(&k.private_jwk()).unwrap();
        assert_eq!(back.private_jwk(), k.private_jwk());
        let mut wrong: serde_json::Value = serde_json::from_str(&k.private_jwk()).unwrap();
        wrong["x"] = json!(b64_encode(&[1; 32]));
        assert_eq!(SigningKey::from_jwk(&wrong.to_string()).unwrap_err().code(), "bad_jwks");
    }

    #[test]
    #[cfg(feature = "keygen")]
    fn generated_keys_differ() {
        let a = SigningKey::generate("a").unwrap();
        let b = SigningKey::generate("a").unwrap();
        assert_ne!(a.private_jwk(), b.private_jwk());
    }
}
