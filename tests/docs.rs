//! The documentation names every stable code the code can produce.

#[test]
fn every_error_code_is_documented() {
    let doc = include_str!("../docs/errors.md");
    for code in rolegate::Error::CODES {
        assert!(doc.contains(&format!("| `{code}` |")), "docs/errors.md does not document `{code}`");
    }
}

#[test]
fn every_reason_code_is_documented_with_its_step() {
    let doc = include_str!("../docs/errors.md");
    for reason in rolegate::Reason::ALL {
        let row = format!("| `{}` | `{}` |", reason.code(), reason.step());
        assert!(doc.contains(&row), "docs/errors.md has no row starting {row}");
    }
}
