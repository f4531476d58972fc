//! JWS compact serialisation (RFC 7515) with the algorithm pinned to EdDSA over Ed25519 (RFC 8037).
//!
//! The checks run in a fixed order, cheapest and least trusting first: size, characters, segments,
//! header (algorithm, type, critical extensions, key id), signature over the exact signing input. The
//! payload is decoded only after its signature has verified.

use super::b64;
use super::keys::Keyring;
use crate::error::{Error, Malformed};
use ed25519_dalek::{Signature, VerifyingKey};

/// The only `typ` rolegate accepts (compared case-insensitively, with or without `application/`).
pub const SNAPSHOT_TYP: &str = "rolegate+jwt";

/// The protected header of a snapshot token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Header {
    pub(crate) kid: String,
}

/// The three segments of a compact JWS, split but not yet trusted.
pub(crate) struct Compact<'a> {
    pub(crate) header_b64: &'a str,
    pub(crate) payload_b64: &'a str,
    pub(crate) signature_b64: &'a str,
}

/// Splits a token into its segments after checking its size and characters.
pub(crate) fn split(token: &str, limit: usize) -> Result<Compact<'_>, Error> {
    if token.len() > limit {
        return Err(Error::TooLarge { what: "token", size: token.len(), limit });
    }
    if !token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.') {
        return Err(Error::Malformed(Malformed::Charset));
    }
    let mut parts = token.split('.');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(h), Some(p), Some(s), None) if !h.is_empty() && !p.is_empty() && !s.is_empty() => {
            Ok(Compact { header_b64: h, payload_b64: p, signature_b64: s })
        }
        _ => Err(Error::Malformed(Malformed::Segments)),
    }
}

/// Decodes and checks the protected header: `alg` must be `EdDSA`, `typ` must be `rolegate+jwt`, no
/// `crit`, and a `kid` must be present.
pub(crate) fn header(header_b64: &str) -> Result<Header, Error> {
    let bytes = b64::decode(header_b64).ok_or(Error::Malformed(Malformed::Base64))?;
    let [alg, typ, kid, crit] = super::json_members(&bytes, ["alg", "typ", "kid", "crit"])
        .ok_or(Error::Malformed(Malformed::Header))?;
    match alg {
        Some(serde_json::Value::String(a)) if a == "EdDSA" => {}
        Some(serde_json::Value::String(a)) => return Err(Error::AlgNotAllowed { alg: a }),
        _ => return Err(Error::Malformed(Malformed::Header)),
    }
    match typ {
        Some(serde_json::Value::String(t)) if typ_matches(&t) => {}
        Some(serde_json::Value::String(t)) => return Err(Error::BadTyp { typ: Some(t) }),
        Some(_) => return Err(Error::Malformed(Malformed::Header)),
        None => return Err(Error::BadTyp { typ: None }),
    }
    if crit.is_some() {
        return Err(Error::CritNotSupported);
    }
    match kid {
        Some(serde_json::Value::String(k)) if !k.is_empty() => Ok(Header { kid: k }),
        Some(serde_json::Value::String(_)) | None => Err(Error::UnknownKid { kid: None }),
        Some(_) => Err(Error::Malformed(Malformed::Header)),
    }
}

fn typ_matches(typ: &str) -> bool {
    let t = typ.to_ascii_lowercase();
    t == SNAPSHOT_TYP || t.strip_prefix("application/") == Some(SNAPSHOT_TYP)
}

/// Verifies the signature of `header_b64.payload_b64` with `key` (strict Ed25519 verification).
pub(crate) fn verify_signature(key: &VerifyingKey, compact: &Compact<'_>) -> Result<(), Error> {
    let sig = b64::decode(compact.signature_b64).ok_or(Error::Malformed(Malformed::Base64))?;
    let sig: [u8; 64] = sig.try_into().map_err(|_| Error::Malformed(Malformed::SignatureLength))?;
    let signature = Signature::from_bytes(&sig);
    let input_len = compact.header_b64.len() + 1 + compact.payload_b64.len();
    let mut input = Vec::with_capacity(input_len);
    input.extend_from_slice(compact.header_b64.as_bytes());
    input.push(b'.');
    input.extend_from_slice(compact.payload_b64.as_bytes());
    key.verify_strict(&input, &signature).map_err(|_| Error::BadSignature)
}

/// Splits, checks the header, finds the key and verifies the signature; returns the verified
/// payload bytes.
pub(crate) fn verify(token: &str, keys: &Keyring, limit: usize) -> Result<Vec<u8>, Error> {
    let compact = split(token, limit)?;
    let header = header(compact.header_b64)?;
    let key = keys.find(&header.kid).ok_or_else(|| Error::UnknownKid { kid: Some(header.kid.clone()) })?;
    verify_signature(key, &compact)?;
    b64::decode(compact.payload_b64).ok_or(Error::Malformed(Malformed::Base64))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 8037, appendix A.4: the Ed25519 JWS test vector.
    #[test]
    fn rfc8037_a4_signature_verifies() {
        let x = b64::decode("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo").unwrap();
        let key = VerifyingKey::from_bytes(&x.try_into().unwrap()).unwrap();
        let token = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
        let compact = split(token, 1000).unwrap();
        verify_signature(&key, &compact).unwrap();
        assert_eq!(b64::decode(compact.payload_b64).unwrap(), b"Example of Ed25519 signing");
        // The vector has no `typ`, so it is not a rolegate snapshot.
        assert_eq!(header(compact.header_b64).unwrap_err().code(), "bad_typ");
    }

    #[test]
    fn header_checks() {
        let h = |json: &str| header(&b64::encode(json.as_bytes()));
        assert_eq!(h(r#"{"alg":"EdDSA","typ":"rolegate+jwt","kid":"a"}"#).unwrap().kid, "a");
        assert!(h(r#"{"alg":"EdDSA","typ":"application/ROLEGATE+JWT","kid":"a"}"#).is_ok());
        assert_eq!(
            h(r#"{"alg":"none","typ":"rolegate+jwt","kid":"a"}"#).unwrap_err().code(),
            "alg_not_allowed"
        );
        assert_eq!(
            h(r#"{"alg":"HS256","typ":"rolegate+jwt","kid":"a"}"#).unwrap_err().code(),
            "alg_not_allowed"
        );
        assert_eq!(h(r#"{"typ":"rolegate+jwt","kid":"a"}"#).unwrap_err().code(), "malformed");
        assert_eq!(h(r#"{"alg":"EdDSA","typ":"JWT","kid":"a"}"#).unwrap_err().code(), "bad_typ");
        assert_eq!(h(r#"{"alg":"EdDSA","kid":"a"}"#).unwrap_err().code(), "bad_typ");
        assert_eq!(
            h(r#"{"alg":"EdDSA","typ":"rolegate+jwt","kid":"a","crit":["exp"]}"#).unwrap_err().code(),
            "crit_not_supported"
        );
        assert_eq!(h(r#"{"alg":"EdDSA","typ":"rolegate+jwt"}"#).unwrap_err().code(), "unknown_kid");
        assert_eq!(
            h(r#"{"alg":"EdDSA","alg":"EdDSA","typ":"rolegate+jwt","kid":"a"}"#).unwrap_err().code(),
            "malformed"
        );
        assert_eq!(h("[]").unwrap_err().code(), "malformed");
    }

    #[test]
    fn split_checks() {
        assert_eq!(split("a.b", 100).err().map(|e| e.code()), Some("malformed"));
        assert_eq!(split("a.b.c.d", 100).err().map(|e| e.code()), Some("malformed"));
        assert_eq!(split("a..c", 100).err().map(|e| e.code()), Some("malformed"));
        assert_eq!(split("a.b.c=", 100).err().map(|e| e.code()), Some("malformed"));
        assert_eq!(split("a.b.c", 4).err().map(|e| e.code()), Some("too_large"));
        assert!(split("a.b.c", 5).is_ok());
    }
}
