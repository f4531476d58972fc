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
    for reason in rolegate::compile::AssignReason::ALL {
        let row = format!("| `{}` | `{}` |", reason.code(), reason.step());
        assert!(doc.contains(&row), "docs/errors.md has no row starting {row}");
    }
}

/// The package's TypeScript types name exactly the reason codes a gate answers, and the issuer's
/// exactly those `may` answers.
#[test]
fn the_typescript_unions_are_the_codes() {
    let union = |text: &str, name: &str| -> Vec<String> {
        let start = text.find(&format!("export type {name} =")).unwrap_or_else(|| panic!("no {name}"));
        let body = &text[start..];
        let body = &body[..body.find(';').unwrap_or(body.len())];
        let mut codes: Vec<String> = body.split('\'').skip(1).step_by(2).map(str::to_owned).collect();
        codes.sort();
        codes
    };
    let mut gate: Vec<String> = rolegate::Reason::ALL.iter().map(|r| r.code().to_owned()).collect();
    gate.sort();
    assert_eq!(union(include_str!("../js/index.d.ts"), "ReasonCode"), gate);
    let mut steps: Vec<String> = rolegate::Reason::ALL.iter().map(|r| r.step().to_owned()).collect();
    steps.sort();
    steps.dedup();
    assert_eq!(union(include_str!("../js/index.d.ts"), "Step"), steps);
    let mut may: Vec<String> =
        rolegate::compile::AssignReason::ALL.iter().map(|r| r.code().to_owned()).collect();
    may.sort();
    assert_eq!(union(include_str!("../js/issuer.d.ts"), "AssignCode"), may);
}
