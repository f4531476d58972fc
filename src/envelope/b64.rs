//! Strict base64url: no padding, canonical trailing bits, nothing but the URL-safe alphabet.

use base64::alphabet::URL_SAFE;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;

const STRICT: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(false),
);

/// Decodes unpadded, canonical base64url; `None` for anything else.
pub(crate) fn decode(s: &str) -> Option<Vec<u8>> {
    STRICT.decode(s).ok()
}

/// Encodes bytes as unpadded base64url.
#[cfg(any(test, feature = "issuer"))]
pub(crate) fn encode(bytes: &[u8]) -> String {
    STRICT.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_padding_and_non_canonical_bits() {
        assert_eq!(decode("YQ").as_deref(), Some(&b"a"[..]));
        assert!(decode("YQ==").is_none(), "padding");
        assert!(decode("YR").is_none(), "non-zero trailing bits");
        assert!(decode("Y+").is_none(), "standard alphabet");
        assert_eq!(encode(b"a"), "YQ");
    }
}
