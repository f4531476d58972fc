//! The JSON form of a plan, version 1 (docs/records.md): `{"v": 1, "plan": node}`, where a node is
//! `true`, `false`, `{"and": [node, …]}`, `{"or": [node, …]}`, `{"eq": {"field": f, "value": id}}`,
//! `{"in": {"field": f, "values": [id, …]}}` or `{"contains": {"field": f, "value": id}}`.

use serde_json::{Map, Value};

use super::Plan;
use crate::error::Error;

/// The version of the plan's JSON form.
///
/// ```
/// assert_eq!(rolegate::surfaces::query::PLAN_VERSION, 1);
/// ```
pub const PLAN_VERSION: u8 = 1;

/// `{name: value}`.
fn member(name: &str, value: Value) -> Value {
    let mut o = Map::new();
    o.insert(name.to_owned(), value);
    Value::Object(o)
}

/// `{op: {"field": field, name: value}}`.
fn condition(op: &str, field: &str, name: &str, value: Value) -> Value {
    let mut o = Map::new();
    o.insert("field".to_owned(), Value::from(field));
    o.insert(name.to_owned(), value);
    member(op, Value::Object(o))
}

// Written out with `Map` rather than `json!`, whose serialiser machinery costs the browser's planner
// module 1 KB.
fn node(plan: &Plan) -> Value {
    let list = |parts: &[Plan]| Value::Array(parts.iter().map(node).collect());
    match plan {
        Plan::True => Value::Bool(true),
        Plan::False => Value::Bool(false),
        Plan::And(parts) => member("and", list(parts)),
        Plan::Or(parts) => member("or", list(parts)),
        Plan::Eq { field, value } => condition("eq", field, "value", Value::from(value.as_str())),
        Plan::In { field, values } => {
            condition("in", field, "values", values.iter().map(|v| Value::from(v.as_str())).collect())
        }
        Plan::Contains { field, value } => condition("contains", field, "value", Value::from(value.as_str())),
    }
}

fn bad(reason: &str) -> Error {
    Error::BadArgument { reason: crate::text::cat(&["not a plan: ", reason]) }
}

/// The members of `o`, which must be exactly `names`.
fn exactly<'v>(o: &'v Map<String, Value>, names: &[&str]) -> Result<Vec<&'v Value>, Error> {
    if o.len() != names.len() {
        return Err(bad("an object has members other than the form's"));
    }
    names.iter().map(|n| o.get(*n).ok_or_else(|| bad("an object lacks a member of the form"))).collect()
}

fn text(v: &Value) -> Result<String, Error> {
    v.as_str().map(str::to_owned).ok_or_else(|| bad("a field or id is not a string"))
}

fn read(v: &Value) -> Result<Plan, Error> {
    let o = match v {
        Value::Bool(true) => return Ok(Plan::True),
        Value::Bool(false) => return Ok(Plan::False),
        Value::Object(o) if o.len() == 1 => o,
        _ => return Err(bad("a node is not `true`, `false` or an object of one member")),
    };
    let (op, arg) = o.iter().next().ok_or_else(|| bad("an empty node"))?;
    let list = |arg: &Value| -> Result<Vec<Plan>, Error> {
        arg.as_array().ok_or_else(|| bad("`and` and `or` take a list"))?.iter().map(read).collect()
    };
    let args = |names: &[&str]| -> Result<Vec<&Value>, Error> {
        exactly(arg.as_object().ok_or_else(|| bad("a condition is not an object"))?, names)
    };
    match op.as_str() {
        "and" => Ok(Plan::And(list(arg)?)),
        "or" => Ok(Plan::Or(list(arg)?)),
        "eq" | "contains" => {
            let a = args(&["field", "value"])?;
            let (field, value) = match a.as_slice() {
                [f, v] => (text(f)?, text(v)?),
                _ => return Err(bad("a condition lacks a member")),
            };
            Ok(if op == "eq" { Plan::Eq { field, value } } else { Plan::Contains { field, value } })
        }
        "in" => {
            let a = args(&["field", "values"])?;
            let [field, values] = a.as_slice() else { return Err(bad("a condition lacks a member")) };
            let values = values.as_array().ok_or_else(|| bad("`values` is not a list"))?;
            Ok(Plan::In { field: text(field)?, values: values.iter().map(text).collect::<Result<_, _>>()? })
        }
        _ => Err(bad("unknown operator")),
    }
}

impl Plan {
    /// The plan's JSON form, version [`PLAN_VERSION`].
    ///
    /// ```
    /// use rolegate::surfaces::query::Plan;
    /// let plan = Plan::and(vec![Plan::eq("org", "o1"), Plan::contains("tags", "t")]);
    /// assert_eq!(plan.to_json(), serde_json::json!({"v": 1, "plan": {"and": [
    ///     {"eq": {"field": "org", "value": "o1"}}, {"contains": {"field": "tags", "value": "t"}}]}}));
    /// assert_eq!(Plan::False.to_json(), serde_json::json!({"v": 1, "plan": false}));
    /// ```
    pub fn to_json(&self) -> Value {
        let mut o = Map::new();
        o.insert("v".to_owned(), Value::from(PLAN_VERSION));
        o.insert("plan".to_owned(), node(self));
        Value::Object(o)
    }

    /// Reads a plan's JSON form (strict JSON; version [`PLAN_VERSION`]); anything else is
    /// `bad_argument`.
    ///
    /// ```
    /// use rolegate::surfaces::query::Plan;
    /// let plan = Plan::or(vec![Plan::eq("a", "1"), Plan::within("b", &["2", "3"])]);
    /// assert_eq!(Plan::from_json(&plan.to_json().to_string()).unwrap(), plan);
    /// assert_eq!(Plan::from_json(r#"{"v": 2, "plan": true}"#).unwrap_err().code(), "bad_argument");
    /// ```
    pub fn from_json(json: &str) -> Result<Plan, Error> {
        let value = crate::json::parse(json.as_bytes()).map_err(|_| bad("the text is not JSON"))?;
        let o = value.as_object().ok_or_else(|| bad("the form is an object `{\"v\": 1, \"plan\": …}`"))?;
        let members = exactly(o, &["v", "plan"])?;
        let [v, plan] = members.as_slice() else { return Err(bad("the form lacks a member")) };
        if v.as_u64() != Some(u64::from(PLAN_VERSION)) {
            return Err(bad("the version is not 1"));
        }
        read(plan)
    }
}
