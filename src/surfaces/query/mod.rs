//! Query plans: which records of a resource type the user of a snapshot may see (or act on), as a
//! condition a database can run, derived from the same grants the evaluator checks records with
//! (docs/records.md). Cargo feature `query` (the issuer has it, and so does the browser's opt-in
//! planner module; the default browser module does not).
//!
//! A [`Plan`] is always-true, always-false, or a tree of and / or / equals / in / contains over the
//! record fields the policy names (tenant, client, owner, team, area, sharing). For every record,
//! [`Plan::matches`] gives exactly the evaluator's answer ([`crate::Gate::filter`],
//! [`crate::Gate::can_record`]); the serialisers turn it into a parameterised SQL `WHERE`
//! ([`Plan::to_sql`]), a Prisma `where` object ([`Plan::to_prisma`]) or a MongoDB filter
//! ([`Plan::to_mongo`]), with field names mapped through [`Columns`].

mod build;
mod columns;
mod document;
mod json;
mod sql;

use crate::eval::{FieldValue, Record};

pub(crate) use build::plan;
pub use columns::{Column, ColumnKind, Columns};
pub use json::PLAN_VERSION;
pub use sql::{Dialect, Sql, SqlParam};

/// The condition a record must meet: always-true, always-false, or a tree over record fields.
///
/// Field names are the policy's record paths (`organisationId`, `consultant.id`), read as the
/// evaluator reads them ([`Record::field`]). Values are ids, compared as the evaluator compares them
/// ([`FieldValue::is`]): a string equal to the id, or a whole number whose decimal text is the id.
///
/// ```
/// use rolegate::surfaces::query::Plan;
/// let plan = Plan::and(vec![
///     Plan::eq("organisationId", "org-1"),
///     Plan::or(vec![Plan::eq("consultantId", "u1"), Plan::contains("contractorIds", "u1")]),
/// ]);
/// assert!(plan.matches(&serde_json::json!({"organisationId": "org-1", "contractorIds": ["u2", "u1"]})));
/// assert!(!plan.matches(&serde_json::json!({"organisationId": "org-2", "consultantId": "u1"})));
/// assert!(plan.matches(&serde_json::json!({"organisationId": "org-1", "consultantId": "u1"})));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Every record.
    True,
    /// No record.
    False,
    /// Records that meet every condition.
    And(Vec<Plan>),
    /// Records that meet at least one condition.
    Or(Vec<Plan>),
    /// Records whose field holds one value (not a list) that is `value`.
    Eq {
        /// The record field (a dotted path reaches into objects).
        field: String,
        /// The id.
        value: String,
    },
    /// Records whose field holds one value (not a list) that is one of `values`.
    In {
        /// The record field.
        field: String,
        /// The ids ([`Plan::within`] makes one id a [`Plan::Eq`] and none [`Plan::False`]).
        values: Vec<String>,
    },
    /// Records whose field holds a list with `value` among its items (lists inside it included).
    Contains {
        /// The record field.
        field: String,
        /// The id.
        value: String,
    },
}

impl Plan {
    /// The conjunction of `parts`, simplified: nested conjunctions are flattened, always-true parts
    /// dropped, and one always-false part makes the whole always-false.
    ///
    /// ```
    /// use rolegate::surfaces::query::Plan;
    /// assert_eq!(Plan::and(vec![Plan::True, Plan::eq("a", "1")]), Plan::eq("a", "1"));
    /// assert_eq!(Plan::and(vec![Plan::False, Plan::eq("a", "1")]), Plan::False);
    /// assert_eq!(Plan::and(vec![]), Plan::True);
    /// ```
    pub fn and(parts: Vec<Plan>) -> Plan {
        Plan::join(parts, true)
    }

    /// The disjunction of `parts`, simplified: nested disjunctions are flattened, always-false parts
    /// dropped, and one always-true part makes the whole always-true.
    ///
    /// ```
    /// use rolegate::surfaces::query::Plan;
    /// assert_eq!(Plan::or(vec![Plan::False, Plan::eq("a", "1")]), Plan::eq("a", "1"));
    /// assert_eq!(Plan::or(vec![Plan::True, Plan::eq("a", "1")]), Plan::True);
    /// assert_eq!(Plan::or(vec![]), Plan::False);
    /// ```
    pub fn or(parts: Vec<Plan>) -> Plan {
        Plan::join(parts, false)
    }

    /// `and` (`all`) or `or` of `parts`, simplified (one function for both: the browser's planner
    /// module is smaller for it).
    fn join(parts: Vec<Plan>, all: bool) -> Plan {
        let mut out = Vec::new();
        for p in parts {
            match (p, all) {
                (Plan::True, true) | (Plan::False, false) => {}
                (Plan::False, true) => return Plan::False,
                (Plan::True, false) => return Plan::True,
                (Plan::And(inner), true) | (Plan::Or(inner), false) => out.extend(inner),
                (other, _) => out.push(other),
            }
        }
        match (out.len(), all) {
            (0, true) => Plan::True,
            (0, false) => Plan::False,
            (1, _) => out.pop().unwrap_or(Plan::False),
            (_, true) => Plan::And(out),
            (_, false) => Plan::Or(out),
        }
    }

    /// Records whose `field` holds one value (not a list) that is `value`.
    ///
    /// ```
    /// use rolegate::surfaces::query::Plan;
    /// let p = Plan::eq("ownerId", "7");
    /// assert!(p.matches(&serde_json::json!({"ownerId": 7})) && !p.matches(&serde_json::json!({"ownerId": ["7"]})));
    /// ```
    pub fn eq(field: &str, value: &str) -> Plan {
        Plan::Eq { field: field.to_owned(), value: value.to_owned() }
    }

    /// Records whose `field` holds one value (not a list) among `values` (none: [`Plan::False`]; one:
    /// [`Plan::Eq`]; repeated values are kept once).
    ///
    /// ```
    /// use rolegate::surfaces::query::Plan;
    /// assert_eq!(Plan::within("teamId", &["t1"]), Plan::eq("teamId", "t1"));
    /// assert_eq!(Plan::within("teamId", &[] as &[&str]), Plan::False);
    /// assert!(Plan::within("teamId", &["t1", "t2"]).matches(&serde_json::json!({"teamId": "t2"})));
    /// ```
    pub fn within<S: AsRef<str>>(field: &str, values: &[S]) -> Plan {
        Plan::within_ids(field, &mut values.iter().map(AsRef::as_ref))
    }

    fn within_ids(field: &str, values: &mut dyn Iterator<Item = &str>) -> Plan {
        let mut out: Vec<String> = Vec::new();
        for v in values {
            if !out.iter().any(|o| o == v) {
                out.push(v.to_owned());
            }
        }
        match out.len() {
            0 => Plan::False,
            1 => Plan::Eq { field: field.to_owned(), value: out.pop().unwrap_or_default() },
            _ => Plan::In { field: field.to_owned(), values: out },
        }
    }

    /// Records whose `field` holds a list with `value` among its items.
    ///
    /// ```
    /// use rolegate::surfaces::query::Plan;
    /// assert!(Plan::contains("tags", "a").matches(&serde_json::json!({"tags": ["b", "a"]})));
    /// assert!(!Plan::contains("tags", "a").matches(&serde_json::json!({"tags": "a"})));
    /// ```
    pub fn contains(field: &str, value: &str) -> Plan {
        Plan::Contains { field: field.to_owned(), value: value.to_owned() }
    }

    /// Records whose `field` is one of `values` the way a scope reads it ([`FieldValue::is_any`]):
    /// one value among them, or a list holding one of them.
    ///
    /// ```
    /// use rolegate::surfaces::query::Plan;
    /// let p = Plan::holds("teamId", &["t1"]);
    /// assert!(p.matches(&serde_json::json!({"teamId": "t1"})) && p.matches(&serde_json::json!({"teamId": ["t1"]})));
    /// assert_eq!(Plan::holds("teamId", &[] as &[&str]), Plan::False);
    /// ```
    pub fn holds<S: AsRef<str>>(field: &str, values: &[S]) -> Plan {
        Plan::holds_ids(field, &mut values.iter().map(AsRef::as_ref))
    }

    fn holds_ids(field: &str, values: &mut dyn Iterator<Item = &str>) -> Plan {
        let one = Plan::within_ids(field, values);
        let ids = match &one {
            Plan::Eq { value, .. } => std::slice::from_ref(value),
            Plan::In { values, .. } => values.as_slice(),
            _ => &[],
        };
        let lists: Vec<Plan> = ids.iter().map(|v| Plan::contains(field, v)).collect();
        Plan::or(std::iter::once(one).chain(lists).collect())
    }

    /// Whether `record` meets the condition, exactly as the evaluator would decide it.
    ///
    /// ```
    /// use rolegate::surfaces::query::Plan;
    /// assert!(Plan::True.matches(&serde_json::json!({})) && !Plan::False.matches(&serde_json::json!({})));
    /// ```
    pub fn matches(&self, record: &dyn Record) -> bool {
        let one = |field: &str, id: &str| {
            record.field(field).is_some_and(|v| !matches!(v, FieldValue::List(_)) && v.is(id))
        };
        match self {
            Plan::True => true,
            Plan::False => false,
            Plan::And(parts) => parts.iter().all(|p| p.matches(record)),
            Plan::Or(parts) => parts.iter().any(|p| p.matches(record)),
            Plan::Eq { field, value } => one(field, value),
            Plan::In { field, values } => values.iter().any(|v| one(field, v)),
            Plan::Contains { field, value } => {
                record.field(field).is_some_and(|v| matches!(v, FieldValue::List(_)) && v.is(value))
            }
        }
    }

    /// Every record field the plan reads, each once, in the order they first appear.
    ///
    /// ```
    /// use rolegate::surfaces::query::Plan;
    /// let p = Plan::and(vec![Plan::eq("org", "o1"), Plan::holds("teamId", &["t1"])]);
    /// assert_eq!(p.fields(), ["org", "teamId"]);
    /// ```
    pub fn fields(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        self.each_field(&mut |f| {
            if !out.contains(&f) {
                out.push(f);
            }
        });
        out
    }

    fn each_field<'a>(&'a self, f: &mut dyn FnMut(&'a str)) {
        match self {
            Plan::True | Plan::False => {}
            Plan::And(parts) | Plan::Or(parts) => parts.iter().for_each(|p| p.each_field(f)),
            Plan::Eq { field, .. } | Plan::In { field, .. } | Plan::Contains { field, .. } => f(field),
        }
    }
}

impl Plan {
    /// This plan for a database laid out as `columns` says: a condition no column of that kind can
    /// meet is always-false (one value in a list column, a list in a one-value column, an id that is
    /// not a whole number in an integer column), and the tree is simplified again. `dotted_ok`: whether
    /// an unmapped dotted path stands for itself ([`Columns`]).
    pub(crate) fn fit(&self, columns: &Columns, dotted_ok: bool) -> Result<Plan, crate::error::Error> {
        let all = |parts: &[Plan]| -> Result<Vec<Plan>, crate::error::Error> {
            parts.iter().map(|p| p.fit(columns, dotted_ok)).collect()
        };
        let numeric = |kind: ColumnKind, v: &String| !kind.is_integer() || id_number(v).is_some();
        Ok(match self {
            Plan::True => Plan::True,
            Plan::False => Plan::False,
            Plan::And(parts) => Plan::and(all(parts)?),
            Plan::Or(parts) => Plan::or(all(parts)?),
            Plan::Eq { field, value } => {
                let kind = columns.resolve(field, dotted_ok)?.kind;
                Plan::within(
                    field,
                    &[value].into_iter().filter(|v| !kind.is_list() && numeric(kind, v)).collect::<Vec<_>>(),
                )
            }
            Plan::In { field, values } => {
                let kind = columns.resolve(field, dotted_ok)?.kind;
                Plan::within(
                    field,
                    &values.iter().filter(|v| !kind.is_list() && numeric(kind, v)).collect::<Vec<_>>(),
                )
            }
            Plan::Contains { field, value } => {
                let kind = columns.resolve(field, dotted_ok)?.kind;
                if kind.is_list() && numeric(kind, value) {
                    self.clone()
                } else {
                    Plan::False
                }
            }
        })
    }
}

/// `id` as the number a record field would hold for it: a whole number within ±(2^53 − 1) whose
/// canonical decimal text is exactly `id` (`7` for `"7"`; nothing for `"07"`, `"+7"`, `"7.0"`).
pub(crate) fn id_number(id: &str) -> Option<i64> {
    const MAX_SAFE: i64 = 9_007_199_254_740_991;
    let n: i64 = id.parse().ok()?;
    (n.abs() <= MAX_SAFE && crate::text::signed(n) == id).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_as_numbers_follow_the_evaluator() {
        assert_eq!(id_number("7"), Some(7));
        assert_eq!(id_number("-12"), Some(-12));
        for not in ["07", "+7", "7.0", "1e0", "", "-0", "9007199254740992", "x"] {
            assert_eq!(id_number(not), None, "{not}");
        }
    }
}
