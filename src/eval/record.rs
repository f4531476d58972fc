//! Records (customers, jobs, templates …) as the evaluator reads them: one field at a time.
//!
//! The evaluator never needs a whole record, only the few fields a policy names (tenant, owner, team,
//! area, client, sharing). [`Record`] is that view; it is implemented for `serde_json` values here and
//! over JavaScript objects by the wasm binding, so that no JSON is made per check.

use std::borrow::Cow;

use serde_json::{Map, Value};

/// One field value of a record, as far as the evaluator cares.
///
/// ```
/// use rolegate::eval::FieldValue;
/// assert!(FieldValue::Num(42.0).is("42"));
/// assert!(FieldValue::List(vec![FieldValue::Str("a".into())]).is("a"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue<'a> {
    /// `null` or `undefined`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Num(f64),
    /// A string.
    Str(Cow<'a, str>),
    /// An array of values.
    List(Vec<FieldValue<'a>>),
    /// An object or anything else the evaluator does not compare.
    Other,
}

impl FieldValue<'_> {
    /// Whether the value is `id` (a string equal to it, a whole number whose canonical decimal text
    /// is exactly `id`, or a list holding it).
    ///
    /// Numbers compare as text, never by parsing `id`: `01`, `+1`, `1.0` and `1e0` are other ids than
    /// `1`, and only safe integers (|n| ≤ 2^53 − 1) compare at all, since beyond that two different ids
    /// can be the same `f64`.
    ///
    /// ```
    /// use rolegate::eval::FieldValue;
    /// assert!(!FieldValue::Str("7".into()).is("8"));
    /// assert!(FieldValue::Num(7.0).is("7") && !FieldValue::Num(7.0).is("07"));
    /// ```
    pub fn is(&self, id: &str) -> bool {
        match self {
            FieldValue::Str(s) => s == id,
            FieldValue::Num(n) => canonical_integer(*n).is_some_and(|i| crate::text::signed(i) == id),
            FieldValue::List(items) => items.iter().any(|i| i.is(id)),
            FieldValue::Null | FieldValue::Bool(_) | FieldValue::Other => false,
        }
    }

    /// Whether the value is one of `ids` (see [`FieldValue::is`]).
    ///
    /// ```
    /// use rolegate::eval::FieldValue;
    /// assert!(FieldValue::Str("t2".into()).is_any(&["t1".into(), "t2".into()]));
    /// ```
    pub fn is_any(&self, ids: &[Box<str>]) -> bool {
        ids.iter().any(|id| self.is(id))
    }
}

/// The largest integer every `f64` below it represents exactly: 2^53 − 1.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// `n` as an integer when it is a whole number within ±(2^53 − 1) (`-0` is `0`).
fn canonical_integer(n: f64) -> Option<i64> {
    (n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER).then_some(n as i64)
}

/// A record the evaluator can read fields of.
///
/// ```
/// use rolegate::eval::{FieldValue, Record};
/// let job = serde_json::json!({"manager": {"id": "u1"}, "organisationId": "o1"});
/// assert_eq!(job.field("organisationId"), Some(FieldValue::Str("o1".into())));
/// assert!(job.field("manager.id").is_some_and(|v| v.is("u1")));
/// assert_eq!(job.field("missing"), None);
/// ```
pub trait Record {
    /// The value of the field `name` (a dotted path such as `consultant.id` reaches into objects), or
    /// `None` when the record has no such field.
    fn field(&self, name: &str) -> Option<FieldValue<'_>>;
}

fn from_json(v: &Value) -> FieldValue<'_> {
    match v {
        Value::Null => FieldValue::Null,
        Value::Bool(b) => FieldValue::Bool(*b),
        Value::Number(n) => n.as_f64().map_or(FieldValue::Other, FieldValue::Num),
        Value::String(s) => FieldValue::Str(Cow::Borrowed(s)),
        Value::Array(items) => FieldValue::List(items.iter().map(from_json).collect()),
        Value::Object(_) => FieldValue::Other,
    }
}

fn lookup<'v>(map: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
    if let Some(v) = map.get(name) {
        return Some(v);
    }
    let (head, rest) = name.split_once('.')?;
    match map.get(head)? {
        Value::Object(inner) => lookup(inner, rest),
        _ => None,
    }
}

impl Record for Map<String, Value> {
    fn field(&self, name: &str) -> Option<FieldValue<'_>> {
        lookup(self, name).map(from_json)
    }
}

impl Record for Value {
    fn field(&self, name: &str) -> Option<FieldValue<'_>> {
        self.as_object().and_then(|m| m.field(name))
    }
}
