//! Repeated JSON members, refused in policies and user records.
//!
//! serde_json keeps the last of repeated members of a map (`roles`, `settings`, `resources` …), so
//! `{"roles": {"a": {…}, "a": {…}}}` would mean the second role here and the first to a parser that
//! keeps the first (a reviewer's tool, an editor, another language's JSON library). Such documents
//! are refused instead, as the envelope refuses repeated header and claim members.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// Any JSON value, checked for repeated members at every level (the values themselves are dropped).
struct Unique;

impl<'de> Deserialize<'de> for Unique {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Unique, D::Error> {
        d.deserialize_any(UniqueVisitor)
    }
}

struct UniqueVisitor;

impl<'de> Visitor<'de> for UniqueVisitor {
    type Value = Unique;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_str<E>(self, _: &str) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_unit<E>(self) -> Result<Unique, E> {
        Ok(Unique)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Unique, A::Error> {
        while seq.next_element::<Unique>()?.is_some() {}
        Ok(Unique)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Unique, A::Error> {
        let mut seen = std::collections::BTreeSet::new();
        while let Some(name) = map.next_key::<String>()? {
            if !seen.insert(name.clone()) {
                return Err(serde::de::Error::custom(format_args!("member `{name}` is repeated")));
            }
            map.next_value::<Unique>()?;
        }
        Ok(Unique)
    }
}

/// `Err` with serde_json's message when some object of `json` repeats a member (or `json` is not
/// JSON at all).
pub(crate) fn check(json: &str) -> Result<(), serde_json::Error> {
    serde_json::from_str::<Unique>(json).map(|_| ())
}

#[cfg(test)]
mod tests {
    #[test]
    fn repeated_members_at_any_depth() {
        assert!(super::check(r#"{"a": 1, "b": [{"c": 1, "d": {"e": 2}}]}"#).is_ok());
        for bad in [r#"{"a": 1, "a": 1}"#, r#"{"x": [{"c": 1, "c": 2}]}"#, r#"{"r": {"a": {}, "a": {}}}"#] {
            let e = super::check(bad).unwrap_err().to_string();
            assert!(e.contains("is repeated"), "{e}");
        }
    }
}
