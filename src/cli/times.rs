//! Times in the CLI's output: the claims' seconds with ISO 8601 dates beside them.

use serde_json::{Map, Value};

/// `{ "iat": "…Z", "nbf": "…Z", "exp": "…Z" }` for those of the claims' times that are present.
pub(crate) fn of_claims(claims: &Value) -> Value {
    let mut out = Map::new();
    for name in ["iat", "nbf", "exp"] {
        if let Some(t) = claims.get(name).and_then(Value::as_f64) {
            out.insert(name.to_owned(), Value::String(iso(t)));
        }
    }
    Value::Object(out)
}

/// Seconds since the epoch as an ISO 8601 date and time in UTC, to the second (fractions dropped).
fn iso(seconds: f64) -> String {
    #[allow(clippy::cast_possible_truncation, reason = "claim times are whole seconds within ±2^53")]
    let s = seconds.floor() as i64;
    let (days, rem) = (s.div_euclid(86_400), s.rem_euclid(86_400));
    let (y, m, d) = civil(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// The proleptic Gregorian date of a day number (days since 1970-01-01), after Howard Hinnant's
/// `civil_from_days`.
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_utc() {
        assert_eq!(iso(0.0), "1970-01-01T00:00:00Z");
        assert_eq!(iso(951_782_400.0), "2000-02-29T00:00:00Z");
        assert_eq!(iso(1_796_298_210.0), "2026-12-03T11:43:30Z");
        assert_eq!(iso(-1.0), "1969-12-31T23:59:59Z");
        let claims = serde_json::json!({"sub": "a", "exp": 1_796_298_210.0, "iat": 0});
        assert_eq!(
            of_claims(&claims),
            serde_json::json!({"iat": "1970-01-01T00:00:00Z", "exp": "2026-12-03T11:43:30Z"})
        );
    }
}
