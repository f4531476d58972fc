//! A plan as a parameterised SQL `WHERE` condition, for PostgreSQL and SQLite.
//!
//! The text holds nothing from the plan or the record side but quoted identifiers (from the column
//! map, or the policy's field names when the map names none) and placeholders; every id is a
//! parameter.

use super::{id_number, Column, ColumnKind, Columns, Plan};
use crate::error::Error;

/// The SQL dialect: its placeholders and its list columns.
///
/// ```
/// use rolegate::surfaces::query::{Columns, Dialect, Plan};
/// let plan = Plan::eq("org", "o1");
/// assert_eq!(plan.to_sql(Dialect::Postgres, &Columns::new()).unwrap().text, r#""org" = $1"#);
/// assert_eq!(plan.to_sql(Dialect::Sqlite, &Columns::new()).unwrap().text, r#""org" = ?"#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// PostgreSQL: placeholders `$1`, `$2` …; list columns are arrays (`text[]`, `bigint[]`).
    Postgres,
    /// SQLite: placeholders `?`; list columns hold a JSON array as text, read with `json_each`.
    Sqlite,
}

/// A parameter of a [`Sql`] condition, bound in order.
///
/// ```
/// use rolegate::surfaces::query::SqlParam;
/// assert_ne!(SqlParam::Text("7".into()), SqlParam::Int(7));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqlParam {
    /// A text id.
    Text(String),
    /// An id as a whole number, for an integer column.
    Int(i64),
}

/// A SQL condition for a `WHERE` clause and the parameters its placeholders stand for.
///
/// ```
/// use rolegate::surfaces::query::{Columns, Dialect, Plan, SqlParam};
/// let sql = Plan::within("teamId", &["t1", "t2"]).to_sql(Dialect::Postgres, &Columns::new()).unwrap();
/// assert_eq!(sql.text, r#""teamId" IN ($1, $2)"#);
/// assert_eq!(sql.params, [SqlParam::Text("t1".into()), SqlParam::Text("t2".into())]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sql {
    /// The condition, e.g. `("organisationId" = $1 AND "consultantId" = $2)`.
    pub text: String,
    /// The parameters, in placeholder order.
    pub params: Vec<SqlParam>,
}

/// `name` as a quoted SQL identifier (embedded double quotes doubled); an empty name, or one with a
/// NUL (which a driver passing C strings would cut short), is refused.
fn quote(name: &str) -> Result<String, Error> {
    if name.is_empty() || name.contains('\0') {
        let shown = name.replace('\0', "\\0");
        return Err(Error::BadArgument { reason: format!("`{shown}` cannot be a SQL column name") });
    }
    Ok(crate::text::cat(&["\"", &name.replace('"', "\"\""), "\""]))
}

struct Writer<'a> {
    dialect: Dialect,
    columns: &'a Columns,
    text: String,
    params: Vec<SqlParam>,
}

impl Writer<'_> {
    /// Adds a parameter and returns its placeholder.
    fn param(&mut self, p: SqlParam) -> String {
        self.params.push(p);
        match self.dialect {
            Dialect::Postgres => crate::text::cat(&["$", &crate::text::num(self.params.len() as u64)]),
            Dialect::Sqlite => "?".to_owned(),
        }
    }

    /// The parameters of `ids` for a column of kind `kind` (a fitted plan's ids suit its columns:
    /// an integer column's ids are whole numbers).
    fn params_of<'v>(kind: ColumnKind, ids: impl Iterator<Item = &'v String>) -> Vec<SqlParam> {
        if kind.is_integer() {
            ids.filter_map(|v| id_number(v)).map(SqlParam::Int).collect()
        } else {
            ids.map(|v| SqlParam::Text(v.clone())).collect()
        }
    }

    fn node(&mut self, plan: &Plan) -> Result<(), Error> {
        match plan {
            Plan::True => self.text.push_str("TRUE"),
            Plan::False => self.text.push_str("FALSE"),
            Plan::And(parts) => self.join(parts, " AND ")?,
            Plan::Or(parts) => self.join(parts, " OR ")?,
            Plan::Eq { field, value } => self.one_of(field, std::slice::from_ref(value))?,
            Plan::In { field, values } => self.one_of(field, values)?,
            Plan::Contains { field, value } => self.contains(field, value)?,
        }
        Ok(())
    }

    fn join(&mut self, parts: &[Plan], op: &str) -> Result<(), Error> {
        self.text.push('(');
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                self.text.push_str(op);
            }
            self.node(p)?;
        }
        self.text.push(')');
        Ok(())
    }

    fn column(&self, field: &str) -> Result<(Column, String), Error> {
        let c = self.columns.resolve(field, false)?;
        let quoted = quote(&c.name)?;
        Ok((c, quoted))
    }

    /// One value (not a list) among `ids` (a fitted plan asks this of one-value columns only).
    fn one_of(&mut self, field: &str, ids: &[String]) -> Result<(), Error> {
        let (c, col) = self.column(field)?;
        let params = Self::params_of(c.kind, ids.iter());
        match params.len() {
            0 => self.text.push_str("FALSE"),
            1 => {
                let p = params.into_iter().map(|p| self.param(p)).collect::<String>();
                self.text.push_str(&crate::text::cat(&[&col, " = ", &p]));
            }
            _ => {
                let ps: Vec<String> = params.into_iter().map(|p| self.param(p)).collect();
                self.text.push_str(&crate::text::cat(&[&col, " IN (", &ps.join(", "), ")"]));
            }
        }
        Ok(())
    }

    /// A list holding `id` (a fitted plan asks this of list columns only).
    fn contains(&mut self, field: &str, id: &String) -> Result<(), Error> {
        let (c, col) = self.column(field)?;
        match self.dialect {
            Dialect::Postgres => match Self::params_of(c.kind, std::iter::once(id)).pop() {
                None => self.text.push_str("FALSE"),
                Some(p) => {
                    let p = self.param(p);
                    self.text.push_str(&crate::text::cat(&[&p, " = ANY(", &col, ")"]));
                }
            },
            Dialect::Sqlite => {
                // A JSON array's items: a string equal to the id (text lists), or a number whose
                // value is the id's (either kind: the evaluator compares numbers by their text).
                let mut cond = String::new();
                if !c.kind.is_integer() {
                    let text = self.param(SqlParam::Text(id.clone()));
                    cond = crate::text::cat(&["(json_each.type = 'text' AND json_each.value = ", &text, ")"]);
                }
                if let Some(n) = id_number(id) {
                    let or = if cond.is_empty() { "" } else { " OR " };
                    let n = self.param(SqlParam::Int(n));
                    cond = crate::text::cat(&[
                        &cond,
                        or,
                        "(json_each.type IN ('integer', 'real') AND json_each.value = ",
                        &n,
                        ")",
                    ]);
                }
                self.text.push_str(&crate::text::cat(&[
                    "(json_type(",
                    &col,
                    ") = 'array' AND EXISTS (SELECT 1 FROM json_each(",
                    &col,
                    ") WHERE ",
                    &cond,
                    "))",
                ]));
            }
        }
        Ok(())
    }
}

impl Plan {
    /// The plan as a SQL condition in `dialect`, fields mapped through `columns` (see
    /// docs/records.md for what each condition becomes). A dotted record path the map does not name,
    /// or a column name that is empty or holds a NUL, is `bad_argument`.
    ///
    /// ```
    /// use rolegate::surfaces::query::{ColumnKind, Columns, Dialect, Plan, SqlParam};
    /// let plan = Plan::and(vec![Plan::eq("organisationId", "org-1"), Plan::holds("consultant.id", &["u1"])]);
    /// let columns = Columns::new().with("organisationId", "org_id", ColumnKind::Text)
    ///     .with("consultant.id", "consultant_id", ColumnKind::Text);
    /// let sql = plan.to_sql(Dialect::Postgres, &columns).unwrap();
    /// assert_eq!(sql.text, r#"("org_id" = $1 AND "consultant_id" = $2)"#);
    /// assert_eq!(sql.params.len(), 2);
    /// assert_eq!(plan.to_sql(Dialect::Postgres, &Columns::new()).unwrap_err().code(), "bad_argument");
    /// ```
    pub fn to_sql(&self, dialect: Dialect, columns: &Columns) -> Result<Sql, Error> {
        let mut w = Writer { dialect, columns, text: String::new(), params: Vec::new() };
        w.node(&self.fit(columns, false)?)?;
        Ok(Sql { text: w.text, params: w.params })
    }
}
