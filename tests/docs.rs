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

/// The example body of docs/snapshot.md is a valid body and means what the page says.
#[test]
fn the_snapshot_format_example_reads_as_described() {
    use rolegate::eval::Context;
    let doc = include_str!("../docs/snapshot.md");
    let start = doc.find("```json\n").expect("docs/snapshot.md has a json example") + "```json\n".len();
    let json = &doc[start..start + doc[start..].find("```").expect("the example ends")];
    let body: serde_json::Value = serde_json::from_str(json).expect("the example is JSON");
    let g = rolegate::Grants::from_body(&body).expect("the example is a body").for_user("u1", None);
    assert!(g.decide("page.jobs.view").allow);
    assert_eq!(g.decide("page.admin.users").reason.code(), "explicit_deny");
    let ctx = Context::default();
    let mine = serde_json::json!({"assignedTo": "u1"});
    let theirs = serde_json::json!({"assignedTo": "u2"});
    assert_eq!(g.decide_record(&ctx, "data.job.view", &mine).reason.code(), "in_scope");
    assert_eq!(g.decide_record(&ctx, "data.job.view", &theirs).reason.code(), "out_of_scope");
    // Written back, the same body (the writer and the reader share one table of names).
    let read = rolegate::eval::Body::from_value(&body).expect("readable");
    assert_eq!(read.to_value(), body);
}
