//! Where the record fields of a plan live in a database: a column (or document path) and its kind.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::Error;

/// What a column holds, which decides how each condition reads it.
///
/// ```
/// use rolegate::surfaces::query::ColumnKind;
/// assert_eq!(ColumnKind::parse("text_list"), Some(ColumnKind::TextList));
/// assert_eq!(ColumnKind::default(), ColumnKind::Text);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColumnKind {
    /// One id as text (PostgreSQL `text`/`varchar`/`uuid` cast to text, SQLite `TEXT`, a Prisma
    /// `String`). The default.
    #[default]
    Text,
    /// One id as a whole number (`integer`/`bigint`, a Prisma `Int`/`BigInt`): only ids whose text is
    /// a canonical safe integer can match.
    Integer,
    /// A list of text ids: PostgreSQL `text[]`, SQLite a JSON array in a `TEXT` column, a Prisma
    /// `String[]`.
    TextList,
    /// A list of whole-number ids: PostgreSQL `bigint[]`, SQLite a JSON array, a Prisma `Int[]`.
    IntegerList,
}

impl ColumnKind {
    /// The kind named `name` in a column map (`text`, `integer`, `text_list`, `integer_list`).
    ///
    /// ```
    /// assert_eq!(rolegate::surfaces::query::ColumnKind::parse("list"), None);
    /// ```
    pub fn parse(name: &str) -> Option<ColumnKind> {
        Some(match name {
            "text" => ColumnKind::Text,
            "integer" => ColumnKind::Integer,
            "text_list" => ColumnKind::TextList,
            "integer_list" => ColumnKind::IntegerList,
            _ => return None,
        })
    }

    /// Whether the column holds a list.
    ///
    /// ```
    /// assert!(rolegate::surfaces::query::ColumnKind::IntegerList.is_list());
    /// ```
    pub fn is_list(self) -> bool {
        matches!(self, ColumnKind::TextList | ColumnKind::IntegerList)
    }

    /// Whether the column holds whole numbers.
    ///
    /// ```
    /// assert!(!rolegate::surfaces::query::ColumnKind::Text.is_integer());
    /// ```
    pub fn is_integer(self) -> bool {
        matches!(self, ColumnKind::Integer | ColumnKind::IntegerList)
    }
}

/// One record field's place in the database.
///
/// ```
/// use rolegate::surfaces::query::{Column, ColumnKind};
/// let c = Column { name: "sales_person_ids".into(), kind: ColumnKind::TextList };
/// assert!(c.kind.is_list());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The column name (SQL: one identifier, quoted on output; Prisma and MongoDB: a field path,
    /// dots separating relations or embedded documents).
    pub name: String,
    /// What it holds.
    pub kind: ColumnKind,
}

/// The map from a policy's record fields to database columns. A field the map does not name is a
/// text column of the same name, except a dotted path (`consultant.id`), which SQL cannot guess:
/// [`Plan::to_sql`](super::Plan::to_sql) refuses it (`bad_argument`), while Prisma and MongoDB read
/// it as a relation or embedded-document path.
///
/// ```
/// use rolegate::surfaces::query::{ColumnKind, Columns};
/// let columns = Columns::new()
///     .with("consultant.id", "consultant_id", ColumnKind::Text)
///     .with("contractorIds", "contractor_ids", ColumnKind::TextList);
/// assert_eq!(columns.get("contractorIds").unwrap().name, "contractor_ids");
/// assert_eq!(columns.get("organisationId"), None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns {
    map: BTreeMap<String, Column>,
}

impl Columns {
    /// An empty map: every field is a text column of its own name.
    ///
    /// ```
    /// assert_eq!(rolegate::surfaces::query::Columns::new().get("a"), None);
    /// ```
    pub fn new() -> Columns {
        Columns::default()
    }

    /// This map with record field `field` stored in column `column` of kind `kind`.
    ///
    /// ```
    /// use rolegate::surfaces::query::{ColumnKind, Columns};
    /// let c = Columns::new().with("teamId", "team_id", ColumnKind::Integer);
    /// assert_eq!(c.get("teamId").unwrap().kind, ColumnKind::Integer);
    /// ```
    pub fn with(mut self, field: &str, column: &str, kind: ColumnKind) -> Columns {
        self.map.insert(field.to_owned(), Column { name: column.to_owned(), kind });
        self
    }

    /// Reads a column map from JSON: an object of record field to a column name, or to
    /// `{"column": name, "type": kind}` (`type` one of `text`, `integer`, `text_list`, `integer_list`;
    /// `column` defaults to the field). Anything else is `bad_argument`.
    ///
    /// ```
    /// use rolegate::surfaces::query::{ColumnKind, Columns};
    /// let c = Columns::from_json(r#"{"consultant.id": "consultant_id", "contractorIds": {"column": "contractor_ids", "type": "text_list"}}"#).unwrap();
    /// assert_eq!(c.get("contractorIds").unwrap().kind, ColumnKind::TextList);
    /// assert_eq!(Columns::from_json(r#"{"a": {"type": "list"}}"#).unwrap_err().code(), "bad_argument");
    /// ```
    pub fn from_json(json: &str) -> Result<Columns, Error> {
        let bad = |reason: String| Error::BadArgument { reason };
        if json.len() > crate::limits::MAX_POLICY_BYTES {
            let (size, limit) = (json.len(), crate::limits::MAX_POLICY_BYTES);
            return Err(Error::TooLarge { what: "column map", size, limit });
        }
        let value = crate::json::parse(json.as_bytes())
            .map_err(|e| bad(format!("the column map is not JSON (at byte {})", e.offset)))?;
        let Value::Object(map) = value else {
            return Err(bad("the column map must be an object of record field to column".into()));
        };
        let mut out = Columns::new();
        for (field, spec) in map {
            let column = match spec {
                Value::String(name) => Column { name, kind: ColumnKind::Text },
                Value::Object(mut o) => {
                    let name = match o.remove("column") {
                        None => field.clone(),
                        Some(Value::String(s)) => s,
                        Some(_) => return Err(bad(format!("the column of `{field}` is not a string"))),
                    };
                    let kind = match o.remove("type") {
                        None => ColumnKind::Text,
                        Some(Value::String(k)) => ColumnKind::parse(&k).ok_or_else(|| {
                            bad(format!(
                                "column type `{k}` of `{field}` is not `text`, `integer`, `text_list` or `integer_list`"
                            ))
                        })?,
                        Some(_) => return Err(bad(format!("the type of `{field}` is not a string"))),
                    };
                    if let Some(extra) = o.keys().next() {
                        return Err(bad(format!("unknown member `{extra}` in the column of `{field}`")));
                    }
                    Column { name, kind }
                }
                _ => return Err(bad(format!("the column of `{field}` is not a string or an object"))),
            };
            out.map.insert(field, column);
        }
        Ok(out)
    }

    /// The column the map names for record field `field`, if it names one.
    ///
    /// ```
    /// use rolegate::surfaces::query::{ColumnKind, Columns};
    /// assert!(Columns::new().with("a", "b", ColumnKind::Text).get("a").is_some());
    /// ```
    pub fn get(&self, field: &str) -> Option<&Column> {
        self.map.get(field)
    }

    /// The column of `field`: the mapped one, or a text column of the same name. `dotted_ok`: whether
    /// an unmapped dotted path may stand for itself (document stores) or is refused (SQL).
    pub(crate) fn resolve(&self, field: &str, dotted_ok: bool) -> Result<Column, Error> {
        if let Some(c) = self.map.get(field) {
            return Ok(c.clone());
        }
        if !dotted_ok && field.contains('.') {
            return Err(Error::BadArgument {
                reason: format!(
                    "record field `{field}` is a dotted path and the column map names no column for it"
                ),
            });
        }
        Ok(Column { name: field.to_owned(), kind: ColumnKind::Text })
    }
}
