//! The plan serialisers through the public API (docs/records.md): ids only ever reach parameters,
//! field names only quoted identifiers; the SQL text of any plan holds nothing but quoted
//! identifiers of the column map or the policy, placeholders and a fixed vocabulary; Prisma and
//! MongoDB refuse field names that would read as operators.

#![cfg(all(feature = "issuer", not(target_arch = "wasm32")))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed unwrap is a failed test"
)]

use proptest::prelude::*;
use rolegate::surfaces::query::{ColumnKind, Columns, Dialect, Plan, SqlParam};
use serde_json::json;

/// Texts that would change a query if they reached its text.
const HOSTILE: &[&str] = &[
    "'",
    "\"",
    "''",
    "\"\"",
    "'; DROP TABLE users; --",
    "\" OR 1=1 --",
    "a\0b",
    "\0",
    "é中🙂\u{202e}",
    "$1",
    "?",
    "?1",
    "\\",
    "line\nbreak",
    "/* c */",
    "json_each",
    ") OR (TRUE",
    "",
];

fn lists() -> Columns {
    Columns::new().with("tags", "tags", ColumnKind::TextList).with("nums", "nums", ColumnKind::IntegerList)
}

#[test]
fn a_value_changes_nothing_but_the_parameter() {
    for dialect in [Dialect::Postgres, Dialect::Sqlite] {
        let plans = |v: &str| {
            vec![
                Plan::eq("f", v),
                Plan::within("f", &["x", v]),
                Plan::contains("tags", v),
                Plan::and(vec![Plan::eq("f", v), Plan::holds("tags", &[v, "y"])]),
            ]
        };
        let base: Vec<_> = plans("v").iter().map(|p| p.to_sql(dialect, &lists()).unwrap()).collect();
        for v in HOSTILE {
            for (plan, base) in plans(v).iter().zip(&base) {
                let sql = plan.to_sql(dialect, &lists()).unwrap();
                assert_eq!(sql.text, base.text, "{v:?}");
                assert_eq!(sql.params.len(), base.params.len());
                assert!(sql.params.contains(&SqlParam::Text((*v).to_owned())), "{v:?}: {:?}", sql.params);
            }
        }
    }
}

/// `name` as a SQL quoted identifier, written out by hand.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[test]
fn a_field_name_is_only_ever_a_quoted_identifier() {
    for name in HOSTILE.iter().filter(|n| !n.is_empty() && !n.contains('\0')) {
        let plan = Plan::eq(name, "v");
        // Unmapped (a name without a dot stands for itself) and mapped to a hostile column.
        let pg = plan.to_sql(Dialect::Postgres, &Columns::new()).unwrap();
        assert_eq!(pg.text, format!("{} = $1", quoted(name)));
        let mapped =
            Plan::eq("f", "v").to_sql(Dialect::Sqlite, &Columns::new().with("f", name, ColumnKind::Text));
        assert_eq!(mapped.unwrap().text, format!("{} = ?", quoted(name)));
        let list = Plan::contains("t", "v")
            .to_sql(Dialect::Postgres, &Columns::new().with("t", name, ColumnKind::TextList));
        assert_eq!(list.unwrap().text, format!("$1 = ANY({})", quoted(name)));
    }
    // What cannot be quoted is refused: an empty name, a NUL (a C-string driver would cut it short).
    for name in ["", "a\0b", "\0"] {
        let e =
            Plan::eq("f", "v").to_sql(Dialect::Postgres, &Columns::new().with("f", name, ColumnKind::Text));
        assert_eq!(e.unwrap_err().code(), "bad_argument", "{name:?}");
    }
    // A dotted record path needs a column.
    let e = Plan::eq("consultant.id", "u1").to_sql(Dialect::Sqlite, &Columns::new()).unwrap_err();
    assert_eq!(e.code(), "bad_argument");
    assert!(e.to_string().contains("`consultant.id`"), "{e}");
    let ok = Columns::new().with("consultant.id", "consultant_id", ColumnKind::Text);
    assert_eq!(
        Plan::eq("consultant.id", "u1").to_sql(Dialect::Sqlite, &ok).unwrap().text,
        r#""consultant_id" = ?"#
    );
}

#[test]
fn each_condition_suits_its_column_kind() {
    let columns = Columns::new()
        .with("n", "n", ColumnKind::Integer)
        .with("tags", "tags", ColumnKind::TextList)
        .with("nums", "nums", ColumnKind::IntegerList);
    let pg = |p: Plan| {
        let s = p.to_sql(Dialect::Postgres, &columns).unwrap();
        (s.text, s.params)
    };
    // An integer column takes only ids that are numbers' canonical texts, as numbers.
    assert_eq!(
        pg(Plan::within("n", &["7", "07", "x", "-3"])),
        (r#""n" IN ($1, $2)"#.into(), vec![SqlParam::Int(7), SqlParam::Int(-3)])
    );
    assert_eq!(pg(Plan::eq("n", "7.0")), ("FALSE".into(), vec![]));
    // One value is never a list, a list never one value.
    assert_eq!(pg(Plan::eq("tags", "a")), ("FALSE".into(), vec![]));
    assert_eq!(pg(Plan::contains("f", "a")), ("FALSE".into(), vec![]));
    assert_eq!(
        pg(Plan::holds("tags", &["a"])),
        ("$1 = ANY(\"tags\")".into(), vec![SqlParam::Text("a".into())])
    );
    assert_eq!(pg(Plan::holds("nums", &["a"])), ("FALSE".into(), vec![]));
    assert_eq!(pg(Plan::holds("nums", &["12"])), ("$1 = ANY(\"nums\")".into(), vec![SqlParam::Int(12)]));
    assert_eq!(pg(Plan::True), ("TRUE".into(), vec![]));
    let lite = Plan::holds("tags", &["7"]).to_sql(Dialect::Sqlite, &columns).unwrap();
    assert_eq!(
        lite.text,
        "(json_type(\"tags\") = 'array' AND EXISTS (SELECT 1 FROM json_each(\"tags\") WHERE \
         (json_each.type = 'text' AND json_each.value = ?) OR \
         (json_each.type IN ('integer', 'real') AND json_each.value = ?)))"
    );
    assert_eq!(lite.params, [SqlParam::Text("7".into()), SqlParam::Int(7)]);
}

#[test]
fn column_maps_read_from_json() {
    let c = Columns::from_json(r#"{"consultant.id": "consultant_id", "ids": {"column": "sales_ids", "type": "integer_list"}, "n": {"type": "integer"}}"#).unwrap();
    assert_eq!(c.get("ids").unwrap().kind, ColumnKind::IntegerList);
    assert_eq!(c.get("n").unwrap().name, "n");
    for bad in [
        "[]",
        "{",
        r#"{"a": 1}"#,
        r#"{"a": {"column": 1}}"#,
        r#"{"a": {"type": "list"}}"#,
        r#"{"a": {"type": 1}}"#,
        r#"{"a": {"column": "b", "kind": "text"}}"#,
        r#"{"a": "b", "a": "c"}"#,
    ] {
        assert_eq!(Columns::from_json(bad).unwrap_err().code(), "bad_argument", "{bad}");
    }
}

#[test]
fn prisma_and_mongo_refuse_names_that_read_as_operators() {
    for name in ["OR", "AND", "NOT", "a.OR", "$x", "a b", "a-b", "", "a..b", "1a", "a\0"] {
        let e = Plan::eq(name, "v").to_prisma(&Columns::new()).unwrap_err();
        assert_eq!(e.code(), "bad_argument", "{name:?}");
    }
    for name in ["$where", "a.$b", "a..b", ".a", "a.", "", "a\0b"] {
        let e = Plan::eq(name, "v").to_mongo(&Columns::new()).unwrap_err();
        assert_eq!(e.code(), "bad_argument", "{name:?}");
    }
    // Values are JSON strings, whatever they hold.
    for v in HOSTILE {
        assert_eq!(Plan::eq("f", v).to_prisma(&Columns::new()).unwrap(), json!({"f": {"equals": v}}));
        assert_eq!(
            Plan::contains("f", v).to_mongo(&Columns::new()).unwrap(),
            json!({"f": {"$elemMatch": {"$in": [v]}}})
        );
    }
    assert_eq!(Plan::False.to_prisma(&Columns::new()).unwrap(), json!({"OR": []}));
    assert_eq!(Plan::True.to_mongo(&Columns::new()).unwrap(), json!({}));
    assert_eq!(Plan::False.to_mongo(&Columns::new()).unwrap(), json!({"$nor": [{}]}));
    let columns =
        Columns::new().with("n", "count", ColumnKind::Integer).with("t", "tags", ColumnKind::TextList);
    assert_eq!(
        Plan::or(vec![Plan::within("n", &["7", "x"]), Plan::holds("t", &["a"])]).to_prisma(&columns).unwrap(),
        json!({"OR": [{"count": {"equals": 7}}, {"tags": {"has": "a"}}]})
    );
}

// ---- The SQL text of any plan: a fuzz-like property over generated plans and column maps. ----

fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(vec!["org", "owner", "teamId", "tags", "nums", "n"]).prop_map(str::to_owned),
        proptest::sample::select(HOSTILE.to_vec()).prop_map(str::to_owned),
        any::<String>(),
    ]
}

fn id() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(HOSTILE.to_vec()).prop_map(str::to_owned),
        any::<String>(),
        "-?[0-9]{1,4}"
    ]
}

fn plan() -> impl Strategy<Value = Plan> {
    let leaf = prop_oneof![
        Just(Plan::True),
        Just(Plan::False),
        (field(), id()).prop_map(|(f, v)| Plan::eq(&f, &v)),
        (field(), prop::collection::vec(id(), 0..4)).prop_map(|(f, v)| Plan::In { field: f, values: v }),
        (field(), id()).prop_map(|(f, v)| Plan::contains(&f, &v)),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Plan::And),
            prop::collection::vec(inner, 0..4).prop_map(Plan::Or),
        ]
    })
}

fn kind() -> impl Strategy<Value = ColumnKind> {
    proptest::sample::select(vec![
        ColumnKind::Text,
        ColumnKind::Integer,
        ColumnKind::TextList,
        ColumnKind::IntegerList,
    ])
}

/// Checks that `text` is made of quoted identifiers in `allowed`, placeholders (numbered 1, 2 … in
/// order for PostgreSQL) and the serialiser's fixed vocabulary; returns the number of placeholders.
fn scan(text: &str, allowed: &[String], dialect: Dialect) -> Result<usize, String> {
    const WORDS: &[&str] = &[
        "TRUE",
        "FALSE",
        "AND",
        "OR",
        "IN",
        "ANY",
        "EXISTS",
        "SELECT",
        "1",
        "FROM",
        "WHERE",
        "json_each",
        "json_type",
        "json_each.type",
        "json_each.value",
    ];
    const LITERALS: &[&str] = &["text", "integer", "real", "array"];
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut placeholders = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '"' => {
                let mut name = String::new();
                i += 1;
                loop {
                    match (chars.get(i), chars.get(i + 1)) {
                        (Some('"'), Some('"')) => {
                            name.push('"');
                            i += 2;
                        }
                        (Some('"'), _) => break,
                        (Some(ch), _) => {
                            name.push(*ch);
                            i += 1;
                        }
                        (None, _) => return Err("an unterminated identifier".into()),
                    }
                }
                if !allowed.contains(&name) {
                    return Err(format!("identifier {name:?} is not a column of the map or the plan"));
                }
                i += 1;
            }
            '\'' => {
                let end = chars[i + 1..].iter().position(|&c| c == '\'').ok_or("an unterminated literal")?;
                let lit: String = chars[i + 1..i + 1 + end].iter().collect();
                if !LITERALS.contains(&lit.as_str()) {
                    return Err(format!("literal {lit:?}"));
                }
                i += end + 2;
            }
            '$' if dialect == Dialect::Postgres => {
                let digits: String = chars[i + 1..].iter().take_while(|c| c.is_ascii_digit()).collect();
                placeholders += 1;
                if digits != placeholders.to_string() {
                    return Err(format!("placeholder ${digits} where ${placeholders} was due"));
                }
                i += 1 + digits.len();
            }
            '?' if dialect == Dialect::Sqlite => {
                placeholders += 1;
                i += 1;
            }
            ' ' | '(' | ')' | ',' | '=' => i += 1,
            c if c.is_ascii_alphanumeric() || c == '_' => {
                let word: String = chars[i..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == '_' || **c == '.')
                    .collect();
                if !WORDS.contains(&word.as_str()) {
                    return Err(format!("word {word:?}"));
                }
                i += word.chars().count();
            }
            other => return Err(format!("character {other:?}")),
        }
    }
    Ok(placeholders)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn sql_text_is_identifiers_placeholders_and_vocabulary(
        plan in plan(),
        mapped in prop::collection::vec((field(), id(), kind()), 0..6),
    ) {
        let mut columns = Columns::new();
        for (f, c, k) in &mapped {
            columns = columns.with(f, c, *k);
        }
        // The identifiers a plan may name: its fields' columns, or the fields themselves.
        let allowed: Vec<String> = plan
            .fields()
            .iter()
            .map(|f| columns.get(f).map_or((*f).to_owned(), |c| c.name.clone()))
            .collect();
        for dialect in [Dialect::Postgres, Dialect::Sqlite] {
            match plan.to_sql(dialect, &columns) {
                Ok(sql) => {
                    let n = scan(&sql.text, &allowed, dialect).map_err(|e| TestCaseError::fail(format!("{e} in {}", sql.text)))?;
                    prop_assert_eq!(n, sql.params.len());
                }
                Err(e) => {
                    // Only a dotted unmapped path or a column that cannot be quoted is refused.
                    prop_assert_eq!(e.code(), "bad_argument");
                    let refusable = allowed.iter().any(|c| c.is_empty() || c.contains('\0'))
                        || plan.fields().iter().any(|f| f.contains('.') && columns.get(f).is_none());
                    prop_assert!(refusable, "{} refused: {}", plan.to_json(), e);
                }
            }
        }
    }
}
