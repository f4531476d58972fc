//! The strict JSON reader every token header, claims set, key set and snapshot body goes through.
//!
//! It reads RFC 8259 JSON into a [`serde_json::Value`] and refuses, besides malformed text:
//! an object that repeats a member name (parsers disagree on which copy wins, so a signed document
//! with `{"sub":"a","sub":"b"}` could mean one user to rolegate and another to a second reader),
//! nesting deeper than [`MAX_DEPTH`], and lone UTF-16 surrogates in `\u` escapes.
//!
//! It exists instead of `serde_json::from_slice` for size: serde's derived deserializers and the
//! float formatting their error messages pull in were a third of the browser module. Numbers become
//! what `serde_json` makes of them: integers that fit `u64`/`i64` stay integers, the rest are `f64`.

use serde_json::{Map, Number, Value};

/// How deeply arrays and objects may nest (the same limit as `serde_json`).
///
/// ```
/// # #[cfg(feature = "internals")] {
/// let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
/// assert!(rolegate::json::parse(nested(128).as_bytes()).is_ok());
/// assert!(rolegate::json::parse(nested(129).as_bytes()).is_err());
/// # }
/// ```
pub const MAX_DEPTH: usize = 128;

/// Why text is not accepted as JSON: the byte offset where reading stopped.
///
/// ```
/// # #[cfg(feature = "internals")] {
/// let e = rolegate::json::parse(br#"{"a":1,"a":2}"#).unwrap_err();
/// assert_eq!(e.offset, 7);
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonError {
    /// The byte offset of the first byte that could not be accepted.
    pub offset: usize,
}

/// Parses one JSON value (surrounded by optional whitespace) from `text`.
///
/// ```
/// # #[cfg(feature = "internals")] {
/// let v = rolegate::json::parse(br#" {"sub": "alice", "rev": 3, "aud": ["app"]} "#).unwrap();
/// assert_eq!(v, serde_json::json!({"sub": "alice", "rev": 3, "aud": ["app"]}));
/// assert!(rolegate::json::parse(br#"{"sub": "a", "sub": "b"}"#).is_err());
/// assert!(rolegate::json::parse(b"[1,]").is_err());
/// # }
/// ```
pub fn parse(text: &[u8]) -> Result<Value, JsonError> {
    // Checked once here, so that every string slice below is UTF-8 too.
    if let Err(e) = core::str::from_utf8(text) {
        return Err(JsonError { offset: e.valid_up_to() });
    }
    let mut r = Reader { text, pos: 0 };
    let v = r.value(0)?;
    r.space();
    if r.pos == text.len() {
        Ok(v)
    } else {
        Err(r.fail())
    }
}

struct Reader<'a> {
    text: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn fail(&self) -> JsonError {
        JsonError { offset: self.pos }
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    fn next(&mut self) -> Result<u8, JsonError> {
        let b = self.peek().ok_or(self.fail())?;
        self.pos += 1;
        Ok(b)
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Consumes `b` after optional whitespace, or fails.
    fn expect(&mut self, b: u8) -> Result<(), JsonError> {
        self.space();
        if self.peek() == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.fail())
        }
    }

    /// Consumes `b` after optional whitespace if it is next.
    fn eat(&mut self, b: u8) -> bool {
        self.space();
        let hit = self.peek() == Some(b);
        if hit {
            self.pos += 1;
        }
        hit
    }

    fn literal(&mut self, word: &[u8], v: Value) -> Result<Value, JsonError> {
        if self.text.get(self.pos..self.pos + word.len()) == Some(word) {
            self.pos += word.len();
            Ok(v)
        } else {
            Err(self.fail())
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.space();
        match self.peek() {
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => self.string().map(Value::String),
            Some(b't') => self.literal(b"true", Value::Bool(true)),
            Some(b'f') => self.literal(b"false", Value::Bool(false)),
            Some(b'n') => self.literal(b"null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.fail()),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.fail());
        }
        self.pos += 1;
        let mut items = Vec::new();
        if self.eat(b']') {
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value(depth)?);
            if self.eat(b']') {
                return Ok(Value::Array(items));
            }
            self.expect(b',')?;
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.fail());
        }
        self.pos += 1;
        let mut members = Map::new();
        if self.eat(b'}') {
            return Ok(Value::Object(members));
        }
        loop {
            self.space();
            let at = self.pos;
            if self.peek() != Some(b'"') {
                return Err(self.fail());
            }
            let name = self.string()?;
            self.expect(b':')?;
            let v = self.value(depth)?;
            if members.insert(name, v).is_some() {
                return Err(JsonError { offset: at });
            }
            if self.eat(b'}') {
                return Ok(Value::Object(members));
            }
            self.expect(b',')?;
        }
    }

    /// A string starting at the opening quote.
    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            let start = self.pos;
            while matches!(self.peek(), Some(b) if b != b'"' && b != b'\\' && b >= 0x20) {
                self.pos += 1;
            }
            out.extend_from_slice(self.text.get(start..self.pos).unwrap_or_default());
            match self.next()? {
                b'"' => break,
                b'\\' => {
                    let c = match self.next()? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.escaped_char()?,
                        _ => return Err(JsonError { offset: self.pos - 1 }),
                    };
                    out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                }
                // A raw control character.
                _ => return Err(JsonError { offset: self.pos - 1 }),
            }
        }
        String::from_utf8(out).map_err(|_| self.fail())
    }

    /// The character of a `\u` escape (after the `u`), with a surrogate pair read as one.
    fn escaped_char(&mut self) -> Result<char, JsonError> {
        let hi = self.hex4()?;
        let code = match hi {
            0xD800..=0xDBFF => {
                if self.next()? != b'\\' || self.next()? != b'u' {
                    return Err(self.fail());
                }
                let lo = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&lo) {
                    return Err(self.fail());
                }
                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.fail()),
            c => c,
        };
        char::from_u32(code).ok_or(self.fail())
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut n = 0;
        for _ in 0..4 {
            let d = char::from(self.next()?).to_digit(16).ok_or(JsonError { offset: self.pos - 1 })?;
            n = n * 16 + d;
        }
        Ok(n)
    }

    /// A number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.fail()),
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            self.required_digits()?;
            integer = false;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            self.required_digits()?;
            integer = false;
        }
        let text =
            self.text.get(start..self.pos).and_then(|t| core::str::from_utf8(t).ok()).unwrap_or_default();
        let whole = || {
            if negative {
                text.parse::<i64>().ok().map(Number::from)
            } else {
                text.parse::<u64>().ok().map(Number::from)
            }
        };
        let n = match integer.then(whole).flatten() {
            // `-0` is the float -0.0, as in serde_json.
            Some(n) if !(negative && n.as_i64() == Some(0)) => n,
            _ => Number::from_f64(float(text)).ok_or(JsonError { offset: start })?,
        };
        Ok(Value::Number(n))
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    fn required_digits(&mut self) -> Result<(), JsonError> {
        if !matches!(self.peek(), Some(b'0'..=b'9')) {
            return Err(self.fail());
        }
        self.digits();
        Ok(())
    }
}

/// Exact powers of ten: every one up to 10^22 is a whole `f64`.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
    1e19, 1e20, 1e21, 1e22,
];

/// The value of a number that is not a whole `u64`/`i64` (`text` has the JSON number grammar).
/// Infinite when out of range (then refused).
///
/// Exact (correctly rounded) when the digits fit 2^53 and the decimal exponent is within ±22, which
/// covers timestamps with fractions and everyday settings; beyond that it may be off in the last
/// bits (and within a few units of `f64::MAX` it may overflow and be refused, or among subnormals
/// flush to zero). `str::parse::<f64>` is always exact but its tables and code were 14 KB of the 90 KB
/// (brotli) browser module, for numbers no snapshot needs exactly.
fn float(text: &str) -> f64 {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exp_part) = match digits.find(['e', 'E']) {
        Some(i) => (digits.get(..i).unwrap_or_default(), digits.get(i + 1..).unwrap_or_default()),
        None => (digits, ""),
    };
    let mut m: u64 = 0;
    let mut exp: i64 = 0;
    let mut seen_point = false;
    for b in mantissa.bytes() {
        match b {
            b'.' => seen_point = true,
            b'0'..=b'9' if m < 1_000_000_000_000_000_000 => {
                m = m * 10 + u64::from(b - b'0');
                exp -= i64::from(seen_point);
            }
            // Digits past the 19th only scale (before the point) or are dropped (after it).
            _ => exp += i64::from(!seen_point),
        }
    }
    // An exponent too long for i64 is far out of range either way.
    let e = match exp_part {
        "" => 0,
        _ => exp_part.parse::<i64>().unwrap_or(if exp_part.starts_with('-') { -100_000 } else { 100_000 }),
    };
    let mut exp = exp.saturating_add(e).clamp(-100_000, 100_000);
    #[allow(clippy::cast_precision_loss, reason = "the mantissa has at most 19 digits; exact below 2^53")]
    let mut f = m as f64;
    while f != 0.0 && f.is_finite() && exp != 0 {
        let step = exp.clamp(-22, 22);
        let p = POW10.get(step.unsigned_abs() as usize).copied().unwrap_or(1.0);
        f = if step > 0 { f * p } else { f / p };
        exp -= step;
    }
    if negative {
        -f
    } else {
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ok(text: &str) -> Value {
        parse(text.as_bytes()).unwrap_or_else(|e| panic!("{text}: {e:?}"))
    }

    #[test]
    fn reads_every_kind_of_value() {
        assert_eq!(
            ok(
                r#" { "a" : [1, -2, 3.5, 1e3, -0, true, false, null, "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"], "b": {} } "#
            ),
            json!({"a": [1, -2, 3.5, 1000.0, -0.0, true, false, null, "x\"\\/\u{8}\u{c}\n\r\t\u{e9}\u{1f600}"], "b": {}})
        );
        assert_eq!(ok("18446744073709551615"), json!(u64::MAX));
        assert_eq!(ok("-9223372036854775808"), json!(i64::MIN));
        assert_eq!(ok("18446744073709551616"), json!(18446744073709551616.0));
        assert_eq!(ok("\"é\""), json!("é"));
        for (text, f) in [
            ("1700000000.5", 1700000000.5),
            ("0.1", 0.1),
            ("-2.5e-3", -0.0025),
            ("1e22", 1e22),
            ("1.5e300", 1.5e300),
            ("2.5e-300", 2.5e-300),
            ("1e-400", 0.0),
            ("123456789012345678901234567890", 1.2345678901234568e29),
            ("0.000000000000000000000000000001", 1e-30),
        ] {
            let got = ok(text).as_f64().unwrap_or(f64::NAN);
            assert!((got - f).abs() <= f.abs() * 1e-15, "{text}: {got} != {f}");
        }
    }

    #[test]
    fn refuses_what_strict_json_refuses() {
        let bad = [
            "",
            " ",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "01",
            "1.",
            ".5",
            "1e",
            "-",
            "+1",
            "NaN",
            "Infinity",
            "1e999",
            "tru",
            "nul",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"\\ud800\\u0041\"",
            "\"a\nb\"",
            "\"abc",
            "{a:1}",
            "{\"a\" 1}",
            "[1 2]",
            "1 2",
            "{\"a\":1,\"a\":1}",
            "{\"a\":{\"b\":1,\"b\":2}}",
            "'a'",
        ];
        for text in bad {
            assert!(parse(text.as_bytes()).is_err(), "{text:?} was accepted");
        }
        assert!(parse(b"\"\xff\"").is_err());
        assert!(parse(b"\xef\xbb\xbf{}").is_err(), "a byte-order mark is not JSON");
    }

    #[test]
    fn reports_where_it_stopped() {
        assert_eq!(parse(b"[1,]").unwrap_err().offset, 3);
        assert_eq!(parse(b"{\"a\":1,\"a\":2}").unwrap_err().offset, 7);
        assert_eq!(parse(b"[1] x").unwrap_err().offset, 4);
    }
}
