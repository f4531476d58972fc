//! Decoding a token **without** checking its signature, for inspection and debugging only.
//!
//! Nothing here can authorize anything: an [`UnverifiedSnapshot`] cannot be loaded into a gate.

use super::{b64, jws};
use crate::error::{Error, Malformed};

/// The decoded, untrusted contents of a token.
///
/// ```
/// let token = "eyJhbGciOiJFZERTQSJ9.e30.AA";
/// let snap = rolegate::unverified::UnverifiedSnapshot::decode(token).unwrap();
/// assert_eq!(snap.header["alg"], "EdDSA");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct UnverifiedSnapshot {
    /// The header, as JSON.
    pub header: serde_json::Value,
    /// The payload (claims), as JSON.
    pub payload: serde_json::Value,
}

impl UnverifiedSnapshot {
    /// Splits and decodes a token's header and payload without verifying anything.
    pub fn decode(token: &str) -> Result<UnverifiedSnapshot, Error> {
        let c = jws::split(token, crate::limits::MAX_TOKEN_BYTES)?;
        let json = |seg: &str, what: Malformed| {
            let bytes = b64::decode(seg).ok_or(Error::Malformed(Malformed::Base64))?;
            crate::json::parse(&bytes).map_err(|_| Error::Malformed(what))
        };
        Ok(UnverifiedSnapshot {
            header: json(c.header_b64, Malformed::Header)?,
            payload: json(c.payload_b64, Malformed::Payload)?,
        })
    }
}
