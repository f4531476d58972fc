//! Messages built without `core::fmt`: the browser module has no other use for it, and leaving out
//! its formatting machinery (`format!`, `write!`, `to_string` of numbers) keeps ~1 KB brotli out of
//! every page (docs/platforms.md). Code that only the issuer or the CLI runs formats as usual.

/// `parts` joined into one string.
///
/// ```ignore
/// assert_eq!(cat(&["key ", &num(3), " is broken"]), "key 3 is broken");
/// ```
pub(crate) fn cat(parts: &[&str]) -> String {
    parts.concat()
}

/// `n` in decimal.
pub(crate) fn num(n: u64) -> String {
    let mut digits = Vec::new();
    let mut rest = n;
    loop {
        // `rest % 10` is below 10, so the cast cannot truncate.
        digits.push(b'0' + (rest % 10) as u8);
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}

/// `n` in decimal, with a `-` when negative.
pub(crate) fn signed(n: i64) -> String {
    let digits = num(n.unsigned_abs());
    if n < 0 {
        cat(&["-", &digits])
    } else {
        digits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_match_std_formatting() {
        for n in [0, 1, 9, 10, 99, 100, 12_345, u64::from(u32::MAX), u64::MAX] {
            assert_eq!(num(n), n.to_string());
        }
        for n in [0, -1, 7, -10, i64::MIN, i64::MAX] {
            assert_eq!(signed(n), n.to_string());
        }
        assert_eq!(cat(&["key ", &num(3), " is broken"]), "key 3 is broken");
    }
}
