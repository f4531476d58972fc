//! A plan as a Prisma `where` object and as a MongoDB filter (JSON values).
//!
//! Both are objects whose keys are field paths: a field name from the policy or the column map could
//! otherwise be read as an operator (`OR`, `$where`), so names are checked before they become keys.

use serde_json::{json, Map, Value};

use super::{id_number, ColumnKind, Columns, Plan};
use crate::error::Error;

fn refuse(path: &str, what: &str) -> Error {
    let shown = path.replace('\0', "\\0");
    Error::BadArgument { reason: crate::text::cat(&["`", &shown, "` cannot be a ", what, " field path"]) }
}

/// `filter` under the field path `path`, one object per segment; `relation` wraps every segment
/// but the last (Prisma's to-one relation filter `is`).
fn nest(path: &str, filter: Value, relation: Option<&str>) -> Value {
    let mut segments = path.rsplit('.');
    let last = segments.next().unwrap_or(path);
    let mut out = json!({ last: filter });
    for seg in segments {
        out = match relation {
            Some(r) => json!({ seg: { r: out } }),
            None => json!({ seg: out }),
        };
    }
    out
}

/// A Prisma field path: dot-separated identifiers (`[A-Za-z_][A-Za-z0-9_]*`), none of them one of
/// the operators `AND`, `OR`, `NOT`.
fn prisma_path(path: &str) -> Result<&str, Error> {
    let ok = |s: &str| {
        let mut chars = s.chars();
        chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !matches!(s, "AND" | "OR" | "NOT")
    };
    if path.split('.').all(ok) {
        Ok(path)
    } else {
        Err(refuse(path, "Prisma"))
    }
}

/// A MongoDB field path: no empty segment, no segment starting with `$` (an operator), no NUL.
fn mongo_path(path: &str) -> Result<&str, Error> {
    if path.contains('\0') || path.split('.').any(|s| s.is_empty() || s.starts_with('$')) {
        Err(refuse(path, "MongoDB"))
    } else {
        Ok(path)
    }
}

fn prisma(plan: &Plan, columns: &Columns) -> Result<Value, Error> {
    let all =
        |parts: &[Plan]| -> Result<Vec<Value>, Error> { parts.iter().map(|p| prisma(p, columns)).collect() };
    let value = |kind: ColumnKind, id: &String| match id_number(id).filter(|_| kind.is_integer()) {
        Some(n) => Value::from(n),
        None => Value::String(id.clone()),
    };
    let field = |name: &str, op: &str, arg: Value| -> Result<Value, Error> {
        let c = columns.resolve(name, true)?;
        Ok(nest(prisma_path(&c.name)?, json!({ op: arg }), Some("is")))
    };
    let kind = |name: &str| columns.resolve(name, true).map(|c| c.kind);
    Ok(match plan {
        Plan::True => json!({}),
        Plan::False => json!({ "OR": [] }),
        Plan::And(parts) => json!({ "AND": all(parts)? }),
        Plan::Or(parts) => json!({ "OR": all(parts)? }),
        Plan::Eq { field: f, value: v } => field(f, "equals", value(kind(f)?, v))?,
        Plan::In { field: f, values } => {
            let k = kind(f)?;
            field(f, "in", values.iter().map(|v| value(k, v)).collect())?
        }
        Plan::Contains { field: f, value: v } => field(f, "has", value(kind(f)?, v))?,
    })
}

/// The values a MongoDB field may hold for `ids`: each id as a string and, when it is a whole
/// number's canonical text, as that number (`"7"` and `7`).
fn mongo_values(ids: &[String]) -> Value {
    let mut out = Vec::new();
    for id in ids {
        out.push(Value::String(id.clone()));
        if let Some(n) = id_number(id) {
            out.push(Value::from(n));
        }
    }
    Value::Array(out)
}

fn mongo(plan: &Plan, columns: &Columns) -> Result<Value, Error> {
    let all =
        |parts: &[Plan]| -> Result<Vec<Value>, Error> { parts.iter().map(|p| mongo(p, columns)).collect() };
    let path = |name: &str| -> Result<String, Error> {
        let c = columns.resolve(name, true)?;
        mongo_path(&c.name).map(str::to_owned)
    };
    let one = |field: &str, ids: &[String]| -> Result<Value, Error> {
        let mut cond = Map::new();
        cond.insert("$in".into(), mongo_values(ids));
        cond.insert("$not".into(), json!({ "$type": "array" }));
        Ok(json!({ path(field)?: cond }))
    };
    Ok(match plan {
        Plan::True => json!({}),
        Plan::False => json!({ "$nor": [{}] }),
        Plan::And(parts) => json!({ "$and": all(parts)? }),
        Plan::Or(parts) => json!({ "$or": all(parts)? }),
        Plan::Eq { field, value } => one(field, std::slice::from_ref(value))?,
        Plan::In { field, values } => one(field, values)?,
        Plan::Contains { field, value } => {
            let ids = mongo_values(std::slice::from_ref(value));
            json!({ path(field)?: { "$elemMatch": { "$in": ids } } })
        }
    })
}

impl Plan {
    /// The plan as a Prisma `where` object, fields mapped through `columns` (their kinds choose
    /// `equals`/`in` or the scalar-list filter `has`, and numbers or strings). A dotted path is a
    /// to-one relation (`consultant.id` → `{"consultant": {"is": {"id": …}}}`). Always-true is `{}`,
    /// always-false `{"OR": []}`. A path that is not dot-separated identifiers, or names an operator
    /// (`AND`, `OR`, `NOT`), is `bad_argument`.
    ///
    /// ```
    /// use rolegate::surfaces::query::{ColumnKind, Columns, Plan};
    /// let plan = Plan::and(vec![Plan::eq("organisationId", "org-1"), Plan::holds("consultant.id", &["u1"])]);
    /// assert_eq!(plan.to_prisma(&Columns::new()).unwrap(), serde_json::json!({"AND": [
    ///     {"organisationId": {"equals": "org-1"}},
    ///     {"consultant": {"is": {"id": {"equals": "u1"}}}}]}));
    /// let lists = Columns::new().with("contractorIds", "contractorIds", ColumnKind::TextList);
    /// assert_eq!(Plan::holds("contractorIds", &["u1"]).to_prisma(&lists).unwrap(),
    ///     serde_json::json!({"contractorIds": {"has": "u1"}}));
    /// assert_eq!(Plan::eq("OR", "x").to_prisma(&Columns::new()).unwrap_err().code(), "bad_argument");
    /// ```
    pub fn to_prisma(&self, columns: &Columns) -> Result<Value, Error> {
        prisma(&self.fit(columns, true)?, columns)
    }

    /// The plan as a MongoDB filter, fields mapped through `columns` (names only: the filter reads
    /// one value and lists the way the evaluator does, whatever the kind). One value among ids is
    /// `{f: {"$in": […], "$not": {"$type": "array"}}}`, a list holding one `{f: {"$elemMatch":
    /// {"$in": […]}}}`; each id is given as a string and, when it is a whole number's text, as the
    /// number. A dotted path reaches into embedded documents. Always-true is `{}`, always-false
    /// `{"$nor": [{}]}`. A path with an empty segment, a segment starting with `$`, or a NUL is
    /// `bad_argument`.
    ///
    /// ```
    /// use rolegate::surfaces::query::{Columns, Plan};
    /// assert_eq!(Plan::eq("ownerId", "7").to_mongo(&Columns::new()).unwrap(),
    ///     serde_json::json!({"ownerId": {"$in": ["7", 7], "$not": {"$type": "array"}}}));
    /// assert_eq!(Plan::eq("$where", "x").to_mongo(&Columns::new()).unwrap_err().code(), "bad_argument");
    /// ```
    pub fn to_mongo(&self, columns: &Columns) -> Result<Value, Error> {
        mongo(self, columns)
    }
}
