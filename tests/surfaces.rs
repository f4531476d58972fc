//! The front-end surfaces through the public API: id fast path, menus from an app tree, masks,
//! filters, explanations, and behaviour with no or an expired snapshot.

#![cfg(feature = "issuer")]
#![allow(clippy::unwrap_used, reason = "fixture helpers: a bad fixture should fail the test")]

#[path = "common/conformance.rs"]
mod common;

use rolegate::compile::Compiler;
use rolegate::policy::User;
use rolegate::surfaces::{MenuNode, Question};
use rolegate::{Clock, Gate, GateOptions, Keyring};
use serde_json::json;

fn neptune() -> Compiler {
    Compiler::from_json(include_str!("../examples/policies/neptunecrm.json")).unwrap()
}

fn user(id: &str) -> User {
    let users: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(include_str!("../examples/policies/neptunecrm.users.json")).unwrap();
    serde_json::from_value(users.get(id).cloned().unwrap()).unwrap()
}

#[test]
fn id_fast_path_answers_from_a_table_recomputed_on_each_load() {
    let c = neptune();
    let mut gate = common::gate(Some("web")).unwrap();
    let admin_page = gate.id("page.admin.view");
    let jobs = gate.id("page.jobs.view");
    assert_eq!(gate.id("page.admin.view"), admin_page);
    assert!(!gate.can_id(admin_page), "nothing loaded yet");
    let token = |u: &User| common::token(u, c.body(u).unwrap()).unwrap();
    gate.load(&token(&user("admin"))).unwrap();
    assert!(gate.can_id(admin_page) && gate.can_id(jobs));
    let late = gate.id("page.marketing.view");
    assert!(gate.can_id(late), "an id interned after the load is answered too");
    gate.load(&token(&user("consultant"))).unwrap();
    assert!(!gate.can_id(admin_page) && gate.can_id(jobs) && !gate.can_id(late));
    assert!(!gate.can_id(9_999));
    assert_eq!(gate.can_id(jobs), gate.can("page.jobs.view"));
}

#[test]
fn an_app_menu_tree_is_filtered_unknown_ids_and_empty_sections_dropped() {
    let gate = common::load(&neptune(), &user("coordinator"), Some("web")).unwrap();
    let tree = vec![
        MenuNode::item("customers"),
        MenuNode::item("not-in-policy"),
        MenuNode::section(
            "inventory",
            vec![MenuNode::item("inventory.products"), MenuNode::item("inventory.pools")],
        ),
        MenuNode::section("admin", vec![MenuNode::item("admin.users")]),
        MenuNode::item("enquiries"),
    ];
    let kept = gate.menu_filter(&tree);
    assert_eq!(kept, vec![MenuNode::item("customers"), MenuNode::item("enquiries")]);
    assert_eq!(gate.decide(Question::Menu("not-in-policy")).reason.code(), "unknown_item");
}

#[test]
fn explain_gives_code_step_rule_and_message() {
    let gate = common::load(&neptune(), &user("consultant"), Some("web")).unwrap();
    let e = gate.decide(Question::Route("/admin/users"));
    assert_eq!(
        (e.allow, e.reason.code(), e.reason.step(), e.rule.as_deref()),
        (false, "explicit_deny", "deny", Some("page.admin.*"))
    );
    assert_eq!(e.reason.message(), "a deny rule covers this, and deny beats any allow");
    let other_org = json!({"organisationId": "org-9", "consultantId": "u-cons"});
    let e = gate.decide(Question::Record("data.proposal.view", &other_org));
    assert_eq!((e.reason.code(), e.reason.step()), ("tenant_mismatch", "tenant"));
    let mine = json!({"organisationId": "org-1", "consultantId": "u-cons"});
    let e = gate.decide(Question::See("proposal", &mine));
    assert_eq!((e.allow, e.reason.code(), e.reason.step()), (true, "in_scope", "scope"));
    assert_eq!(gate.decide(Question::Key("page.jobs.view")).rule.as_deref(), Some("page.*"));
}

#[test]
fn mask_uses_the_placeholder_and_filter_keeps_own_records() {
    let gate = common::load(&neptune(), &user("consultant_nocosts"), Some("web")).unwrap();
    let product = json!({"organisationId": "org-1", "name": "pump", "cost": 120});
    let m = gate.mask("product", &product);
    assert_eq!(m.value, json!({"organisationId": "org-1", "name": "pump", "cost": "—"}));
    assert_eq!(m.masked[0].decision.reason.code(), "setting_off");
    let proposals = [
        json!({"organisationId": "org-1", "consultantId": "u-cons2", "cost": 1}),
        json!({"organisationId": "org-1", "consultantId": "u-cons"}),
        json!({"organisationId": "org-2", "consultantId": "u-cons2"}),
    ];
    let kept = gate.filter("proposal", &proposals);
    assert_eq!(kept, vec![&proposals[0]]);
    let hidden = gate.mask("proposal", &proposals[1]);
    assert_eq!(hidden.value, json!({}));
    assert!(hidden.masked.iter().all(|f| f.decision.reason.code() == "out_of_scope"));
    assert_eq!(
        gate.mask("proposal", &proposals[0]).value,
        json!({"organisationId": "org-1", "consultantId": "u-cons2"})
    );
}

#[test]
fn everything_is_denied_once_the_snapshot_expires() {
    let c = neptune();
    let u = user("admin");
    let token = common::token(&u, c.body(&u).unwrap()).unwrap();
    let keys = Keyring::from_jwks(&rolegate::issue::SigningKey::jwks(&[&common::key()])).unwrap();
    let now = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(common::NOW as u64));
    let clock_now = now.clone();
    let mut options = GateOptions::new(keys, common::AUDIENCE);
    options.clock = Clock::from_fn(move || clock_now.load(std::sync::atomic::Ordering::SeqCst) as f64);
    let mut gate = Gate::new(options).unwrap();
    let id = gate.id("page.jobs.view");
    gate.load(&token).unwrap();
    assert!(
        gate.can("page.jobs.view") && gate.can_id(id) && gate.route("/jobs").allow && !gate.menu().is_empty()
    );
    now.store(common::NOW as u64 + 10_000, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(gate.check("page.jobs.view").reason.code(), "expired");
    assert!(!gate.can_id(id) && !gate.route("/jobs").allow && gate.menu().is_empty());
    assert_eq!(gate.decide(Question::Menu("jobs")).reason.step(), "envelope");
    assert!(gate.filter("job", &[json!({"organisationId": "org-1"})]).is_empty());
}

#[test]
fn an_inconsistent_body_is_refused_and_the_previous_snapshot_stays() {
    let c = neptune();
    let u = user("consultant");
    let mut gate = common::load(&c, &u, Some("web")).unwrap();
    let mut body = c.body(&u).unwrap();
    body["k"] = json!([]);
    let bad = common::token(&u, body).unwrap();
    assert_eq!(gate.load(&bad).unwrap_err().code(), "bad_claim");
    assert!(gate.can("page.jobs.view"));
}

#[test]
fn parity_can_check_and_explain_agree_on_odd_records_and_fail_closed() {
    // The same questions as tests/js/surfaces.test.mjs and the browser page ask through the package.
    let gate = common::load(&neptune(), &user("consultant"), Some("web")).unwrap();
    let key = "data.customer.view";
    for record in [json!(null), json!(42), json!("x"), json!([]), json!({}), json!(true)] {
        let via = (
            gate.can_record(key, &record),
            gate.check_record(key, &record).reason.code(),
            gate.decide(Question::Record(key, &record)).reason.code(),
        );
        assert_eq!(via, (false, "tenant_missing", "tenant_missing"), "{record}");
    }
    // Without a record it is a question about the key alone.
    assert_eq!((gate.can(key), gate.decide(Question::Key(key)).reason.code()), (true, "granted"));
}
