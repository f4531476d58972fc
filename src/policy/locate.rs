//! Where in a JSON document a serde error is: its JSON pointer, found from the error's line and
//! column, and for an unknown member the member it was probably meant to be.

use super::suggest;
use crate::error::{Issue, Problem};

/// A problem for serde error `e` on document `json`: located by JSON pointer where the error names a
/// place, its message prefixed with `what` (`the document is not a valid policy`). An unknown
/// member reads `unknown member `inherit`; did you mean `inherits`?`.
///
/// ```
/// use rolegate::policy::Policy;
/// let e = Policy::from_json(r#"{"product": "x", "roles": {"r": {"inherit": []}}}"#).unwrap_err();
/// let rolegate::Error::Policy(p) = e else { panic!() };
/// assert_eq!(p.pointer, "/roles/r/inherit");
/// assert!(p.message.ends_with("unknown member `inherit`; did you mean `inherits`?"), "{}", p.message);
/// ```
pub(crate) fn problem(issue: Issue, what: &str, json: &str, e: &serde_json::Error) -> Problem {
    let text = e.to_string();
    let pointer = if e.line() == 0 {
        None
    } else {
        offset(json, e.line(), e.column()).and_then(|at| pointer(json, at))
    };
    let Some(pointer) = pointer else {
        return Problem::new(issue, "", format!("{what}: {}", lower_first(&text)));
    };
    // The place is in the pointer now; drop serde's " at line L column C".
    let bare = text.rfind(" at line ").and_then(|i| text.get(..i)).unwrap_or(&text);
    let message = match unknown_member(bare) {
        Some((name, expected)) => suggest::unknown("member", name, expected.iter().copied()),
        None => lower_first(bare),
    };
    Problem::new(issue, &pointer, format!("{what}: {message}"))
}

/// `text` with its first letter lowercased, to follow a `what: ` prefix; the rest is kept as it is,
/// since serde quotes the document's own member names and strings there (`canViewCosts` stays
/// `canViewCosts`), and an initialism (`EOF while parsing`) keeps its capitals.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && !b.is_uppercase() => {
            a.to_lowercase().chain(text.chars().skip(1)).collect()
        }
        _ => text.to_string(),
    }
}

/// `unknown field `x`, expected one of `a`, `b`` (or `expected `a``, `expected `a` or `b``): the
/// name and the names expected.
fn unknown_member(text: &str) -> Option<(&str, Vec<&str>)> {
    let rest = text.strip_prefix("unknown field `")?;
    let (name, rest) = rest.split_once('`')?;
    let expected = rest.split('`').skip(1).step_by(2).collect();
    Some((name, expected))
}

/// The byte offset of 1-based `line` and `column` (serde_json counts columns in bytes).
fn offset(json: &str, line: usize, column: usize) -> Option<usize> {
    let mut start = 0;
    for _ in 1..line {
        start += json.get(start..)?.find('\n')? + 1;
    }
    Some((start + column).min(json.len()))
}

/// One level of the path to a place: a member (its name, once read) or an array item.
enum Step {
    Member(Option<String>),
    Item(usize),
}

/// The JSON pointer of the innermost value (or member name) that `at` is in or just after; `None` for
/// the document itself. The document is one serde_json failed on, so it is read leniently: only
/// strings, brackets, colons and commas matter.
fn pointer(json: &str, at: usize) -> Option<String> {
    let bytes = json.as_bytes();
    let mut path: Vec<Step> = Vec::new();
    let mut i = 0;
    while i < at.min(bytes.len()) {
        match bytes.get(i).copied()? {
            b'"' => {
                let end = string_end(bytes, i)?;
                if let Some(Step::Member(name @ None)) = path.last_mut() {
                    *name = serde_json::from_str::<String>(json.get(i..end)?).ok();
                }
                i = end;
                continue;
            }
            b'{' => path.push(Step::Member(None)),
            b'[' => path.push(Step::Item(0)),
            b'}' | b']' => {
                path.pop();
            }
            b',' => match path.last_mut() {
                Some(Step::Member(name)) => *name = None,
                Some(Step::Item(n)) => *n += 1,
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    let mut out = String::new();
    for step in &path {
        match step {
            Step::Member(Some(name)) => {
                out.push_str(&format!("/{}", name.replace('~', "~0").replace('/', "~1")))
            }
            // In an object before its next member's name: the place is the object.
            Step::Member(None) => break,
            Step::Item(n) => out.push_str(&format!("/{n}")),
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The offset just after the string that starts at `start` (a `"`).
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    loop {
        match bytes.get(i)? {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(json: &str, marker: &str) -> Option<String> {
        pointer(json, json.find(marker).map(|i| i + marker.len())?)
    }

    #[test]
    fn pointers_of_places() {
        let doc = r#"{"a": {"b/c": [1, {"d~": true}], "e": 2}}"#;
        assert_eq!(at(doc, r#""d~""#).as_deref(), Some("/a/b~1c/1/d~0"));
        assert_eq!(at(doc, r#""e""#).as_deref(), Some("/a/e"));
        assert_eq!(at(doc, "[1").as_deref(), Some("/a/b~1c/0"));
        assert_eq!(at(doc, r#"{"a": {"#).as_deref(), Some("/a"));
        assert_eq!(pointer(doc, 0), None);
        assert_eq!(at(r#"{"q\"x": 1}"#, r#""q\"x""#).as_deref(), Some("/q\"x"));
    }

    #[test]
    fn unknown_members_with_what_was_expected() {
        let m = "unknown field `inherit`, expected one of `name`, `inherits`";
        assert_eq!(unknown_member(m), Some(("inherit", vec!["name", "inherits"])));
        assert_eq!(unknown_member("unknown field `x`, expected `y` or `z`"), Some(("x", vec!["y", "z"])));
        assert_eq!(unknown_member("invalid type: string \"x\", expected a sequence"), None);
    }

    #[test]
    fn a_problem_with_a_pointer_and_a_suggestion() {
        let json = "{\n  \"product\": \"x\",\n  \"roles\": {\"r\": {\"inherit\": []}}\n}";
        let e = serde_json::from_str::<crate::policy::Policy>(json).unwrap_err();
        let p = problem(Issue::BadPolicy, "the document is not a valid policy", json, &e);
        assert_eq!(p.pointer, "/roles/r/inherit");
        assert_eq!(
            p.message,
            "the document is not a valid policy: unknown member `inherit`; did you mean `inherits`?"
        );
        // Not JSON at all: no place to point at beyond the document.
        let e = serde_json::from_str::<crate::policy::Policy>("{").unwrap_err();
        assert_eq!(problem(Issue::BadPolicy, "not valid", "{", &e).pointer, "");
    }

    #[test]
    fn the_documents_own_text_keeps_its_case() {
        let json = r#"{"product": "x", "notes": "Agents: canViewCosts"}"#;
        let e = serde_json::from_str::<crate::policy::Policy>(json).unwrap_err();
        let p = problem(Issue::BadPolicy, "not valid", json, &e);
        assert_eq!(p.pointer, "/notes");
        assert!(
            p.message.starts_with(r#"not valid: invalid type: string "Agents: canViewCosts""#),
            "{}",
            p.message
        );
        assert_eq!(lower_first("Expected value"), "expected value");
        assert_eq!(lower_first("EOF while parsing"), "EOF while parsing");
        assert_eq!(lower_first(""), "");
    }
}
