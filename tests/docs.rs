//! The documentation names every stable code the code can produce.

#[test]
fn every_error_code_is_documented() {
    let doc = include_str!("../docs/errors.md");
    for code in rolegate::Error::CODES {
        assert!(doc.contains(&format!("| `{code}` |")), "docs/errors.md does not document `{code}`");
    }
}
