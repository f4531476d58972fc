//! One test per capability of the policy language (issue 4 §1), each through the public API:
//! compile a user → sign → `Gate::load` → ask. Each fails if its capability is removed.

#![cfg(feature = "issuer")]
#![allow(clippy::unwrap_used, reason = "fixture helpers: a bad fixture should fail the test")]

#[path = "common/conformance.rs"]
mod common;

use std::collections::BTreeMap;

use rolegate::compile::{Compiler, RoleAction};
use rolegate::policy::{Policy, Role, User};
use rolegate::surfaces::{Question, Redirect};
use rolegate::Gate;
use serde_json::{json, Value};

fn compiler(policy: Value) -> Compiler {
    Compiler::new(serde_json::from_value::<Policy>(policy).unwrap(), BTreeMap::new()).unwrap()
}

fn user(u: Value) -> User {
    serde_json::from_value(u).unwrap()
}

fn gate(c: &Compiler, u: Value, platform: Option<&str>) -> Gate {
    common::load(c, &user(u), platform).unwrap()
}

fn code(g: &Gate, key: &str) -> &'static str {
    g.check(key).reason.code()
}

#[test]
fn namespaced_keys_and_wildcard_grants() {
    let c = compiler(
        json!({"product": "t", "keys": ["api.email.send.manage", "api.email.verify.view", "api.sms.send"],
        "roles": {"mailer": {"allow": ["api.email.*"]}}}),
    );
    let g = gate(&c, json!({"id": "u", "roles": ["mailer"]}), None);
    assert!(g.can("api.email.send.manage") && g.can("api.email.verify.view"));
    assert!(!g.can("api.sms.send"));
    assert_eq!(g.check("api.email.verify.view").rule.as_deref(), Some("api.email.*"));
}

#[test]
fn explicit_deny_beats_allow_whatever_the_order() {
    let keys = json!(["page.jobs.view", "page.admin.view"]);
    for (allow, deny) in [
        (json!(["page.*"]), json!(["page.admin.view"])),
        (json!(["page.admin.view", "*"]), json!(["page.*"])),
    ] {
        let c = compiler(json!({"product": "t", "keys": keys,
            "roles": {"a": {"allow": allow}, "b": {"deny": deny}}}));
        for roles in [json!(["a", "b"]), json!(["b", "a"])] {
            let g = gate(&c, json!({"id": "u", "roles": roles}), None);
            assert_eq!(code(&g, "page.admin.view"), "explicit_deny");
        }
    }
}

#[test]
fn role_families_must_match_the_user_type() {
    let c = compiler(json!({"product": "t", "keys": ["k"], "families": ["staff", "client"],
        "roles": {"admin": {"family": "staff", "allow": ["k"]}, "client": {"family": "client"}}}));
    let e = c.body(&user(json!({"id": "u", "type": "staff", "roles": ["client"]}))).unwrap_err();
    assert_eq!(e.code(), "wrong_family");
    assert_eq!(
        e.to_string(),
        "role `client` is for `client` users, but this user is `staff` (at `/roles/0`)"
    );
    assert!(c.body(&user(json!({"id": "u", "type": "staff", "roles": ["admin"]}))).is_ok());
}

#[test]
fn cumulative_ladders_and_two_ladders_at_once() {
    let c = compiler(json!({"product": "t", "keys": ["a", "b", "c", "s1", "s2"],
        "roles": {"low": {"allow": ["a"]}, "mid": {"allow": ["b"]}, "top": {"allow": ["c"]},
                  "sales": {"allow": ["s1"]}, "sales_lead": {"allow": ["s2"]}},
        "ladders": {"jobs": ["low", "mid", "top"], "sales": ["sales", "sales_lead"]}}));
    let g = gate(&c, json!({"id": "u", "roles": ["top", "sales_lead"]}), None);
    assert_eq!(g.can_many(&["a", "b", "c", "s1", "s2"]), [true; 5]);
    let g = gate(&c, json!({"id": "u", "roles": ["mid"]}), None);
    assert_eq!(g.can_many(&["a", "b", "c"]), [true, true, false]);
}

#[test]
fn inheritance_with_the_inherits_permissions_switch() {
    let base = json!({"product": "t", "keys": ["a", "b"], "roles": {"base": {"allow": ["a"]},
        "variant": {"inherits": ["base"], "inherits_permissions": true, "allow": ["b"]},
        "shell": {"inherits": ["base"], "inherits_permissions": false, "allow": ["b"]}}});
    let c = compiler(base);
    assert!(gate(&c, json!({"id": "u", "roles": ["variant"]}), None).can("a"));
    assert_eq!(code(&gate(&c, json!({"id": "u", "roles": ["shell"]}), None), "a"), "no_grant");
}

fn levelled() -> Value {
    json!({"product": "t", "keys": ["k"], "levels": {"min": 10, "max": 50}, "custom_roles": true,
        "locked_deleters": ["sysops"], "admin": {"assign": {"roles": ["sysops", "director"]}, "roles": {"roles": ["sysops", "director"]}},
        "roles": {"sysops": {"level": 10, "allow": ["*"]}, "director": {"level": 20, "locked": true},
                  "minimal": {"level": 50}}})
}

#[test]
fn numeric_levels_and_the_assignment_ceiling() {
    let c = compiler(levelled());
    let director = user(json!({"id": "d", "roles": ["director"]}));
    assert_eq!(c.may(&director, RoleAction::Assign, "minimal").reason.code(), "assignable");
    assert_eq!(c.may(&director, RoleAction::Edit, "director").reason.code(), "assignable");
    assert_eq!(c.may(&director, RoleAction::Assign, "sysops").reason.code(), "above_level");
    let sysops = user(json!({"id": "s", "roles": ["sysops"]}));
    assert_eq!(c.body_assigned_by(&sysops, &director).unwrap_err().code(), "above_level");
    let mut higher = levelled();
    higher["levels"]["power"] = json!("higher");
    let c = compiler(higher);
    assert_eq!(c.may(&director, RoleAction::Assign, "minimal").reason.code(), "above_level");
}

#[test]
fn locked_roles_are_deleted_only_by_designated_roles() {
    let c = compiler(levelled());
    let director = user(json!({"id": "d", "roles": ["director"]}));
    let sysops = user(json!({"id": "s", "roles": ["sysops"]}));
    assert_eq!(c.may(&director, RoleAction::Delete, "director").reason.code(), "locked_role");
    assert_eq!(c.may(&director, RoleAction::Delete, "minimal").reason.code(), "assignable");
    assert_eq!(c.may(&sysops, RoleAction::Delete, "director").reason.code(), "assignable");
    let minimal = user(json!({"id": "m", "roles": ["minimal"]}));
    let d = c.may(&minimal, RoleAction::Delete, "minimal");
    assert_eq!((d.reason.code(), d.rule.as_deref()), ("not_authorised", Some("sysops|director")));
}

#[test]
fn without_an_admin_section_nobody_administers() {
    let mut policy = levelled();
    policy.as_object_mut().unwrap().remove("admin");
    let c = compiler(policy);
    let sysops = user(json!({"id": "s", "roles": ["sysops"]}));
    for action in [RoleAction::Assign, RoleAction::Edit, RoleAction::Delete] {
        let d = c.may(&sysops, action, "minimal");
        assert_eq!((d.allow, d.reason.code(), d.reason.step()), (false, "no_authority", "administration"));
    }
}

#[test]
fn a_user_holds_a_role_unless_the_policy_allows_none() {
    let c = compiler(levelled());
    let nobody = user(json!({"id": "n", "roles": []}));
    let e = c.body(&nobody).unwrap_err();
    assert_eq!((e.code(), e.to_string().contains("/roles")), ("no_role", true));
    let mut allowing = levelled();
    allowing["allow_no_role"] = json!(true);
    assert!(compiler(allowing).body(&nobody).is_ok());
}

#[test]
fn tenant_custom_roles_are_compiled_with_the_policy() {
    let policy: Policy = serde_json::from_value(levelled()).unwrap();
    let custom: Role =
        serde_json::from_value(json!({"level": 40, "inherits": ["sysops"], "deny": ["k"]})).unwrap();
    let c = Compiler::new(policy.clone(), BTreeMap::from([("auditor".to_owned(), custom.clone())])).unwrap();
    let g = gate(&c, json!({"id": "u", "roles": ["auditor"]}), None);
    assert_eq!(code(&g, "k"), "explicit_deny");
    let clash = Compiler::new(policy, BTreeMap::from([("director".to_owned(), custom)])).unwrap_err();
    assert_eq!(clash.code(), "bad_policy");
}

#[test]
fn multi_role_union_and_exclusive_sets() {
    let c = compiler(json!({"product": "t", "keys": ["a", "b"],
        "roles": {"ra": {"allow": ["a"]}, "rb": {"allow": ["b"]}, "tech": {}, "x": {}, "y": {}},
        "exclusive": [{"roles": ["tech"], "alone": true}, {"roles": ["x", "y"]}]}));
    assert_eq!(gate(&c, json!({"id": "u", "roles": ["ra", "rb"]}), None).can_many(&["a", "b"]), [true, true]);
    let alone = c.body(&user(json!({"id": "u", "roles": ["tech", "ra"]}))).unwrap_err();
    assert_eq!(alone.to_string(), "role `tech` cannot be combined with any other role (at `/roles`)");
    let pair = c.body(&user(json!({"id": "u", "roles": ["x", "y"]}))).unwrap_err();
    assert_eq!(pair.code(), "exclusive_roles");
    assert!(c.body(&user(json!({"id": "u", "roles": ["x", "ra"]}))).is_ok());
}

fn scoped() -> Compiler {
    compiler(json!({"product": "t", "tenant_field": "org",
        "keys": ["doc.view", "doc.edit", "doc.all"],
        "resources": {"doc": {"keys": "doc", "view": "doc.view", "owner": ["ownerId", {"field": "createdBy", "by": "name"}],
            "team": "teamId", "area": "areaId", "client": "clientId", "shared": {"field": "sharedWith", "values": ["everyone"]}}},
        "roles": {
            "own": {"allow": [{"key": "doc.view", "scope": ["own", "shared"]}]},
            "team": {"allow": [{"key": "doc.view", "scope": ["team"]}]},
            "area": {"allow": [{"key": "doc.view", "scope": ["area"]}]},
            "client": {"allow": [{"key": "doc.view", "scope": ["client"]}]},
            "tenant": {"allow": [{"key": "doc.view", "scope": ["tenant"]}]},
            "all": {"allow": ["doc.*"]}}}))
}

#[test]
fn record_scopes_all_own_team_area_client_tenant_shared() {
    let c = scoped();
    let who = |roles: &str| json!({"id": "u1", "name": "Ann", "tenant": "o1", "teams": ["t1"], "areas": ["a1"], "clients": ["c1"], "roles": [roles]});
    let cases = [
        ("own", json!({"org": "o1", "ownerId": "u1"}), "in_scope"),
        ("own", json!({"org": "o1", "createdBy": "Ann"}), "in_scope"),
        ("own", json!({"org": "o1", "sharedWith": "everyone"}), "in_scope"),
        ("own", json!({"org": "o1", "ownerId": "u2", "sharedWith": "onlyMe"}), "out_of_scope"),
        ("team", json!({"org": "o1", "teamId": "t1"}), "in_scope"),
        ("team", json!({"org": "o1", "teamId": "t2"}), "out_of_scope"),
        ("area", json!({"org": "o1", "areaId": "a1"}), "in_scope"),
        ("area", json!({"org": "o1", "areaId": "a2"}), "out_of_scope"),
        ("client", json!({"org": "o1", "clientId": "c1"}), "in_scope"),
        ("client", json!({"org": "o1", "clientId": "c2"}), "out_of_scope"),
        ("tenant", json!({"org": "o1"}), "in_scope"),
        ("all", json!({"org": "o1", "ownerId": "u9"}), "granted"),
    ];
    for (role, record, expect) in cases {
        let g = gate(&c, who(role), None);
        assert_eq!(g.check_record("doc.view", &record).reason.code(), expect, "{role} {record}");
        assert_eq!(
            g.filter("doc", std::slice::from_ref(&record)).len(),
            usize::from(expect != "out_of_scope")
        );
    }
}

#[test]
fn tenant_match_denies_other_and_missing_organisations() {
    let g = gate(&scoped(), json!({"id": "u1", "tenant": "o1", "roles": ["all"]}), None);
    assert_eq!(g.check_record("doc.view", &json!({"org": "o2"})).reason.code(), "tenant_mismatch");
    assert_eq!(g.check_record("doc.view", &json!({"ownerId": "u1"})).reason.code(), "tenant_missing");
    assert_eq!(g.check_record("doc.view", &json!({"org": "o1"})).reason.code(), "granted");
}

#[test]
fn client_isolation_confines_client_users_to_their_clients_records_whatever_their_grants() {
    let c = compiler(json!({"product": "t", "tenant_field": "org", "families": ["staff", "client"],
        "client_isolation": ["client"], "keys": ["order.view", "order.edit", "note.view"],
        "resources": {"order": {"keys": "order", "view": "order.view", "owner": ["salesIds"], "client": "clientId"},
            "note": {"keys": "note", "view": "note.view"}},
        "roles": {"seller": {"family": "client", "allow": [{"key": "order.view", "scope": ["own"]}]},
            "boss": {"family": "client", "allow": ["order.*", "note.view"]},
            "admin": {"family": "staff", "allow": ["order.*"]}}}));
    let seller = gate(
        &c,
        json!({"id": "s1", "type": "client", "tenant": "o1", "clients": ["c1"], "roles": ["seller"]}),
        None,
    );
    let boss = gate(
        &c,
        json!({"id": "b1", "type": "client", "tenant": "o1", "clients": ["c1", "c2"], "roles": ["boss"]}),
        None,
    );
    let admin = gate(&c, json!({"id": "a1", "type": "staff", "tenant": "o1", "roles": ["admin"]}), None);
    let cases = [
        // An own-scoped grant no longer reaches another client's record the user is named on.
        (&seller, json!({"org": "o1", "clientId": "c1", "salesIds": ["s1"]}), "in_scope"),
        (&seller, json!({"org": "o1", "clientId": "c9", "salesIds": ["s1"]}), "client_mismatch"),
        (&seller, json!({"org": "o1", "salesIds": ["s1"]}), "client_missing"),
        (&seller, json!({"org": "o1", "clientId": null, "salesIds": ["s1"]}), "client_missing"),
        (&seller, json!({"org": "o1", "clientId": ["c1", "c9"], "salesIds": ["s1"]}), "client_mismatch"),
        (&seller, json!({"org": "o2", "clientId": "c1", "salesIds": ["s1"]}), "tenant_mismatch"),
        // An unscoped grant too: any of the user's clients, none other.
        (&boss, json!({"org": "o1", "clientId": "c2"}), "granted"),
        (&boss, json!({"org": "o1", "clientId": "c3"}), "client_mismatch"),
        // Staff are not isolated.
        (&admin, json!({"org": "o1", "clientId": "c3"}), "granted"),
        (&admin, json!({"org": "o1"}), "granted"),
    ];
    for (g, record, expect) in cases {
        assert_eq!(g.check_record("order.view", &record).reason.code(), expect, "{record}");
        let seen = g.decide(Question::See("order", &record));
        assert_eq!(
            (seen.reason.code(), g.filter("order", std::slice::from_ref(&record)).len()),
            (expect, usize::from(seen.allow)),
            "{record}"
        );
    }
    assert_eq!(
        boss.check_record("order.view", &json!({"org": "o1", "clientId": "c3"})).reason.step(),
        "client"
    );
    // Without a record the grant answers as before; a resource without a client field is not isolated.
    assert!(seller.can("order.view") && boss.can("order.edit"));
    assert_eq!(boss.check_record("note.view", &json!({"org": "o1"})).reason.code(), "granted");
    // The policy must name known families.
    let bad = Policy::from_json(
        &json!({"product": "t", "keys": [], "roles": {}, "families": ["staff"],
        "client_isolation": ["clients"]})
        .to_string(),
    )
    .unwrap();
    let e = Compiler::new(bad, BTreeMap::new()).unwrap_err();
    assert_eq!((e.code(), e.to_string().contains("/client_isolation/0")), ("unknown_name", true), "{e}");
}

fn with_settings() -> Compiler {
    compiler(json!({"product": "t", "keys": ["p.view", "cost.view"],
        "settings": {"canViewCosts": {"default": true}, "commission": {"default": 0}},
        "resources": {"p": {"keys": "p", "view": "p.view", "fields": {"cost": {"key": "cost.view", "setting": "canViewCosts"}, "commission": {"setting": "canViewCosts"}}}},
        "roles": {
            "consultant": {"allow": ["p.view", "cost.view"]},
            "cautious": {"allow": ["p.view", "cost.view"], "settings": {"canViewCosts": {"default": false}}},
            "coordinator": {"allow": ["p.view", "cost.view"], "settings": {"canViewCosts": {"force": false}}},
            "contractor": {"allow": ["p.view"], "settings": {"canViewCosts": "not_applicable", "commission": "not_applicable"}}}}))
}

#[test]
fn settings_defaults_role_defaults_forced_and_not_applicable() {
    let c = with_settings();
    let field =
        |g: &Gate| g.decide(Question::Field { resource: "p", field: "cost", record: None }).reason.code();
    let g = gate(&c, json!({"id": "u", "roles": ["consultant"]}), None);
    assert_eq!((field(&g), g.setting("commission")), ("granted", Some(&json!(0))));
    let g = gate(&c, json!({"id": "u", "roles": ["consultant"], "settings": {"canViewCosts": false}}), None);
    assert_eq!(field(&g), "setting_off");
    assert_eq!(field(&gate(&c, json!({"id": "u", "roles": ["cautious"]}), None)), "setting_off");
    let g = gate(&c, json!({"id": "u", "roles": ["coordinator"], "settings": {"canViewCosts": true}}), None);
    assert_eq!((field(&g), g.setting("canViewCosts")), ("setting_forced", Some(&json!(false))));
    let g = gate(&c, json!({"id": "u", "roles": ["contractor"]}), None);
    let commission = g.decide(Question::Field { resource: "p", field: "commission", record: None });
    assert_eq!((commission.reason.code(), g.setting("commission")), ("setting_not_applicable", None));
}

#[test]
fn field_rules_mask_cost_fields() {
    let c = with_settings();
    let g = gate(&c, json!({"id": "u", "roles": ["coordinator"]}), None);
    let m = g.mask("p", &json!({"name": "boiler", "cost": 900, "commission": 5}));
    assert_eq!(m.value, json!({"name": "boiler"}));
    let masked: Vec<_> = m.masked.iter().map(|f| (f.field.as_str(), f.decision.reason.code())).collect();
    assert_eq!(masked, [("commission", "setting_forced"), ("cost", "setting_forced")]);
    let visible: Vec<_> = g.fields("p", None).into_iter().filter(|f| f.decision.allow).collect();
    assert!(visible.is_empty());
}

fn routed() -> Compiler {
    compiler(
        json!({"product": "t", "keys": ["page.jobs", "page.admin", "page.billing"], "platforms": ["web", "mobile"],
        "platform_default": ["web", "mobile"],
        "routes": {"home": "/home", "rules": [
            {"path": "/jobs/{id}", "requires": "page.jobs"}, {"path": "/admin/{*rest}", "requires": "page.admin"},
            {"path": "/billing", "requires": "page.billing", "on_deny": "/upgrade"}, {"path": "/home"},
            {"path": "/upgrade"}]},
        "roles": {"worker": {"allow": ["page.jobs"]}, "field": {"allow": ["page.jobs"], "platforms": ["mobile"]}}}),
    )
}

#[test]
fn routes_with_params_wildcards_and_redirects() {
    let c = routed();
    let g = gate(&c, json!({"id": "u", "roles": ["worker"]}), Some("web"));
    assert!(g.route("/jobs/42?tab=notes").allow);
    let admin = g.route("/admin/users/7");
    assert_eq!(
        (admin.allow, admin.redirect, admin.decision.reason.code()),
        (false, Some(Redirect::Home), "no_grant")
    );
    assert_eq!(g.route("/billing").redirect, Some(Redirect::To("/upgrade".into())));
    assert_eq!(g.route("/nowhere").decision.reason.code(), "no_route");
    assert_eq!(g.route("/home").decision.reason.code(), "public");
    assert_eq!(g.home(), Some("/home"));
}

#[test]
fn platform_access_checked_against_the_ui_platform() {
    let c = routed();
    let web = gate(&c, json!({"id": "u", "roles": ["field"]}), Some("web"));
    let r = web.route("/jobs/1");
    assert_eq!((r.decision.reason.code(), r.redirect), ("platform_denied", Some(Redirect::Logout)));
    assert!(gate(&c, json!({"id": "u", "roles": ["field"]}), Some("mobile")).can("page.jobs"));
    let neither = gate(&c, json!({"id": "u", "roles": ["worker"], "platforms": []}), None);
    assert_eq!(code(&neither, "page.jobs"), "platform_denied");
    let web_only = gate(&c, json!({"id": "u", "roles": ["worker"], "platforms": ["web"]}), Some("mobile"));
    assert_eq!(code(&web_only, "page.jobs"), "platform_denied");
}

#[test]
fn inactive_users_are_denied_everything() {
    let c = routed();
    let g = gate(&c, json!({"id": "u", "roles": ["worker"], "active": false}), Some("web"));
    assert_eq!(code(&g, "page.jobs"), "inactive");
    assert_eq!(g.route("/home").redirect, Some(Redirect::Logout));
    assert!(g.menu().is_empty());
}

fn flagged() -> Compiler {
    compiler(json!({"product": "t", "keys": ["page.home", "feature.chat", "page.admin", "page.users"],
        "features": {"chat": {"exclude_roles": ["contractor"], "keys": ["feature.chat"]}},
        "menu": [{"id": "home", "requires": "page.home"}, {"id": "chat", "requires": "feature.chat", "feature": "chat"},
                 {"id": "admin", "children": [{"id": "admin.users", "requires": "page.users"}]}],
        "roles": {"staff": {"allow": ["page.home", "feature.*"]}, "contractor": {"allow": ["page.home", "feature.*"]},
                  "admin": {"allow": ["*"]}}}))
}

#[test]
fn feature_flags_per_tenant_with_role_exclusions() {
    let c = flagged();
    let on = gate(&c, json!({"id": "u", "roles": ["staff"], "features": ["chat"]}), None);
    assert!(on.can("feature.chat"));
    let off = gate(&c, json!({"id": "u", "roles": ["staff"]}), None);
    assert_eq!(code(&off, "feature.chat"), "feature_disabled");
    let excluded = gate(&c, json!({"id": "u", "roles": ["contractor"], "features": ["chat"]}), None);
    assert_eq!(code(&excluded, "feature.chat"), "feature_disabled");
}

#[test]
fn menus_hide_empty_sections_and_flagged_items() {
    let c = flagged();
    let staff = gate(&c, json!({"id": "u", "roles": ["staff"]}), None);
    let ids: Vec<_> = staff.menu().into_iter().map(|n| n.id).collect();
    assert_eq!(ids, ["home"]);
    assert_eq!(staff.decide(Question::Menu("admin")).reason.code(), "empty_section");
    let admin = gate(&c, json!({"id": "u", "roles": ["admin"], "features": ["chat"]}), None);
    let tree = admin.menu();
    assert_eq!(tree.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(), ["home", "chat", "admin"]);
    assert_eq!(tree[2].children[0].id, "admin.users");
}

#[test]
fn users_listed_by_a_setting_or_a_role() {
    use rolegate::compile::Listing;
    let c = Compiler::from_json(include_str!("../examples/policies/neptunecrm.json")).unwrap();
    let records: BTreeMap<String, Value> =
        serde_json::from_str(include_str!("../examples/policies/neptunecrm.users.json")).unwrap();
    let mut all: Vec<User> = records.into_values().map(user).collect();
    all.push(user(
        json!({"id": "u-off", "roles": ["coordinator"], "settings": {"canAssignCustomers": false}}),
    ));
    let ids = |by: &Listing| -> Vec<String> {
        c.list(&all, by).unwrap().into_iter().map(|i| all[i].id.clone()).collect()
    };
    let on = Listing::Setting { name: "canAssignCustomers".into(), value: json!(true) };
    let listed = ids(&on);
    assert!(!listed.contains(&"u-old".to_owned()), "an inactive user is in no list");
    assert!(!listed.contains(&"u-off".to_owned()));
    assert!(!listed.contains(&"u-contr".to_owned()), "off by default for Contractors (a role default)");
    assert_eq!(listed.len(), all.len() - 3);
    assert_eq!(
        ids(&Listing::Setting { name: "canViewCosts".into(), value: json!(true) }),
        ["u-admin", "u-cons"]
    );
    assert_eq!(ids(&Listing::Role("coordinator".into())), ["u-coord", "u-off"]);
    let bad = vec![user(json!({"id": "x", "roles": ["nobody"]}))];
    let e = c.list(&bad, &on).unwrap_err();
    assert_eq!((e.code(), e.to_string().contains("`/0/roles/0`")), ("unknown_role", true));
}
