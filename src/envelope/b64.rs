//! Strict base64url: no padding, canonical trailing bits, nothing but the URL-safe alphabet.
//!
//! Decoding is written out here (a table-free loop) rather than taken from the `base64` crate, whose
//! general-purpose engine was 4 KB of the browser module; a property test below holds it to the crate's
//! strict decoder on generated input. Encoding (the issuer's side) uses the crate.

/// The value of one base64url character.
fn sextet(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'-' => Some(62),
        b'_' => Some(63),
        _ => None,
    }
}

/// Decodes unpadded, canonical base64url; `None` for anything else (padding, other characters, a
/// length of 4n + 1, or unused trailing bits that are not zero).
pub(crate) fn decode(s: &str) -> Option<Vec<u8>> {
    if s.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(s.len() / 4 * 3 + 2);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        acc = (acc << 6) | u32::from(sextet(c)?);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // What is left are the unused bits of the last character: canonical text has them zero.
    (acc == 0).then_some(out)
}

/// Encodes bytes as unpadded base64url.
#[cfg(any(test, feature = "issuer"))]
pub(crate) fn encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_padding_and_non_canonical_bits() {
        assert_eq!(decode("YQ").as_deref(), Some(&b"a"[..]));
        assert_eq!(decode("YWI").as_deref(), Some(&b"ab"[..]));
        assert_eq!(decode("YWJj").as_deref(), Some(&b"abc"[..]));
        assert_eq!(decode("").as_deref(), Some(&b""[..]));
        assert!(decode("YQ==").is_none(), "padding");
        assert!(decode("YR").is_none(), "non-zero trailing bits");
        assert!(decode("YWJ").is_none(), "non-zero trailing bits");
        assert!(decode("Y").is_none(), "4n + 1 characters");
        assert!(decode("Y+").is_none(), "standard alphabet");
        assert!(decode("Y/").is_none(), "standard alphabet");
        assert!(decode("YQ\n").is_none(), "whitespace");
        assert_eq!(encode(b"a"), "YQ");
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config { failure_persistence: None, ..Default::default() })]

        /// The same answer as the `base64` crate's strict URL-safe decoder (no padding, canonical
        /// trailing bits), on text drawn mostly from the alphabet.
        #[test]
        fn agrees_with_the_base64_crate(text in "[A-Za-z0-9_=+/. -]{0,12}|[A-Za-z0-9_-]{0,40}") {
            use base64::engine::{general_purpose::GeneralPurposeConfig, DecodePaddingMode, GeneralPurpose};
            use base64::Engine;
            let strict = GeneralPurpose::new(
                &base64::alphabet::URL_SAFE,
                GeneralPurposeConfig::new()
                    .with_decode_padding_mode(DecodePaddingMode::RequireNone)
                    .with_decode_allow_trailing_bits(false),
            );
            proptest::prop_assert_eq!(decode(&text), strict.decode(&text).ok());
        }
    }
}
