//! Lint rejects each listed mistake with a message that names the place (a JSON pointer).

#![cfg(feature = "issuer")]
#![allow(clippy::unwrap_used, reason = "fixture helpers: a bad fixture should fail the test")]

use rolegate::policy::{lint::lint, Policy};
use serde_json::{json, Value};

fn base() -> Value {
    json!({"product": "t", "keys": ["page.jobs.view", "page.admin.view"], "platforms": ["web"],
        "roles": {"engineer": {"allow": ["page.jobs.view"]}, "senior": {"inherits": ["engineer"]}}})
}

/// Lints `base()` changed by `edit`; returns the (code, pointer, message) of every problem.
fn problems(edit: impl FnOnce(&mut Value)) -> Vec<(&'static str, String, String)> {
    let mut v = base();
    edit(&mut v);
    let policy: Policy = serde_json::from_value(v).unwrap();
    lint(&policy).into_iter().map(|p| (p.issue.code(), p.pointer, p.message)).collect()
}

fn one(edit: impl FnOnce(&mut Value)) -> (&'static str, String, String) {
    let mut all = problems(edit);
    assert_eq!(all.len(), 1, "{all:?}");
    all.remove(0)
}

#[test]
fn the_base_policy_is_clean() {
    assert!(problems(|_| {}).is_empty());
}

#[test]
fn unknown_key_with_a_suggestion() {
    let p = one(|v| v["roles"]["engineer"]["allow"][0] = json!("page.job.view"));
    assert_eq!(p.0, "unknown_key");
    assert_eq!(p.1, "/roles/engineer/allow/0");
    assert_eq!(p.2, "unknown key `page.job.view`; did you mean `page.jobs.view`?");
    let p = one(|v| v["roles"]["engineer"]["deny"] = json!(["api.*"]));
    assert_eq!((p.0, p.1.as_str()), ("unknown_key", "/roles/engineer/deny/0"));
}

#[test]
fn unknown_role_with_a_suggestion() {
    let p = one(|v| v["roles"]["senior"]["inherits"][0] = json!("enginer"));
    assert_eq!(
        p,
        (
            "unknown_role",
            "/roles/senior/inherits/0".into(),
            "unknown role `enginer`; did you mean `engineer`?".into()
        )
    );
}

#[test]
fn inheritance_cycle() {
    let all = problems(|v| v["roles"]["engineer"]["inherits"] = json!(["senior"]));
    assert!(all.iter().any(|p| p.0 == "inheritance_cycle" && p.1 == "/roles/engineer/inherits"), "{all:?}");
    let p = all.iter().find(|p| p.0 == "inheritance_cycle").unwrap();
    assert_eq!(p.2, "roles inherit in a loop: `engineer` → `senior` → `engineer`");
}

#[test]
fn ladder_cycle_is_an_inheritance_cycle() {
    let all = problems(|v| v["ladders"] = json!({"jobs": ["senior", "engineer"]}));
    assert!(all.iter().any(|p| p.0 == "inheritance_cycle"), "{all:?}");
}

#[test]
fn role_in_the_wrong_family() {
    let p = one(|v| {
        v["families"] = json!(["staff", "client"]);
        v["roles"]["engineer"]["family"] = json!("staff");
        v["roles"]["senior"]["family"] = json!("client");
    });
    assert_eq!(p.0, "wrong_family");
    assert_eq!(p.1, "/roles/senior/inherits/0");
    assert_eq!(p.2, "role `senior` (family `client`) cannot build on `engineer` (family `staff`)");
}

#[test]
fn conflicting_exclusive_sets() {
    let p = one(|v| {
        v["exclusive"] = json!([{"roles": ["engineer"], "alone": true}, {"roles": ["engineer", "senior"]}])
    });
    assert_eq!((p.0, p.1.as_str()), ("conflicting_exclusive", "/exclusive/1/roles/0"));
    assert_eq!(p.2, "role `engineer` is `alone: false` here but `alone: true` in exclusive set 0");
    let p = one(|v| v["exclusive"] = json!([{"roles": ["engineer"]}]));
    assert_eq!((p.0, p.1.as_str()), ("conflicting_exclusive", "/exclusive/0/roles"));
}

#[test]
fn level_out_of_range() {
    let p = one(|v| {
        v["levels"] = json!({"min": 10, "max": 50});
        v["roles"]["engineer"]["level"] = json!(40);
        v["roles"]["senior"]["level"] = json!(5);
    });
    assert_eq!(
        p,
        (
            "level_out_of_range",
            "/roles/senior/level".into(),
            "level 5 of role `senior` is outside 10..=50".into()
        )
    );
}

#[test]
fn bad_route_pattern_and_target() {
    let all = problems(
        |v| v["routes"] = json!({"rules": [{"path": "/jobs/{id"}, {"path": "/x", "requires": "page.jobs.view", "on_deny": "somewhere"}]}),
    );
    assert_eq!(all[0].0, "bad_route");
    assert_eq!(all[0].1, "/routes/rules/0/path");
    assert!(all[0].2.starts_with("route pattern `/jobs/{id` does not compile"), "{}", all[0].2);
    assert_eq!(all[1].1, "/routes/rules/1/on_deny");
    let p = one(|v| v["routes"] = json!({"rules": [{"path": "/a/{x}"}, {"path": "/a/{y}"}]}));
    assert_eq!((p.0, p.1.as_str()), ("bad_route", "/routes/rules/1/path"));
    // A home or target that leaves the site (the gate refuses such a signed body too).
    for (routes, at) in [
        (json!({"home": "dashboard", "rules": []}), "/routes/home"),
        (json!({"home": "//evil.example", "rules": []}), "/routes/home"),
        (json!({"on_deny": "/\tx", "rules": [{"path": "/"}]}), "/routes/on_deny"),
    ] {
        let p = one(|v| v["routes"] = routes.clone());
        assert_eq!((p.0, p.1.as_str()), ("bad_route", at));
    }
}

#[test]
fn unreachable_menu_items() {
    let p = one(
        |v| v["menu"] = json!([{"id": "jobs", "requires": "page.jobs.view"}, {"id": "admin", "requires": "page.admin.view"}]),
    );
    assert_eq!(p.0, "unreachable_menu_item");
    assert_eq!(p.1, "/menu/1");
    assert_eq!(p.2, "menu item `admin` can never be visible: no role meets its requirements");
    let all = problems(|v| {
        v["menu"] = json!([{"id": "s", "children": [{"id": "s.a", "requires": "page.admin.view"}]}])
    });
    let pointers: Vec<_> = all.iter().map(|p| p.1.as_str()).collect();
    assert_eq!(pointers, ["/menu/0/children/0", "/menu/0"]);
}

#[test]
fn unknown_names_are_located() {
    let p = one(|v| v["roles"]["engineer"]["platforms"] = json!(["webb"]));
    assert_eq!(
        p,
        (
            "unknown_name",
            "/roles/engineer/platforms/0".into(),
            "unknown platform `webb`; did you mean `web`?".into()
        )
    );
    let p = one(|v| v["roles"]["engineer"]["settings"] = json!({"canViewCost": {"force": false}}));
    assert_eq!((p.0, p.1.as_str()), ("unknown_name", "/roles/engineer/settings/canViewCost"));
}

#[test]
fn only_star_and_a_final_dot_star_are_wildcards() {
    let p = one(|v| v["roles"]["engineer"]["allow"][0] = json!("page.jobs*"));
    assert_eq!((p.0, p.1.as_str()), ("unknown_key", "/roles/engineer/allow/0"));
}

#[test]
fn role_setting_values_have_the_setting_type() {
    let p = one(|v| {
        v["settings"] = json!({"canViewCosts": {"default": true}});
        v["roles"]["engineer"]["settings"] = json!({"canViewCosts": {"force": "no"}});
    });
    assert_eq!(p.0, "bad_policy");
    assert_eq!(p.1, "/roles/engineer/settings/canViewCosts");
    assert_eq!(p.2, "setting `canViewCosts` must have the type of its default `true`");
}

#[test]
fn scoped_grants_need_resource_fields() {
    let p = one(|v| {
        v["resources"] = json!({"job": {"keys": "page.jobs"}});
        v["roles"]["engineer"]["allow"][0] = json!({"key": "page.jobs.view", "scope": ["own"]});
    });
    assert_eq!(
        p,
        (
            "bad_policy",
            "/roles/engineer/allow/0/scope/0".into(),
            "scope `own` needs resource `job` to name its field".into()
        )
    );
}

#[test]
fn the_seed_policies_are_clean() {
    for (name, text) in [
        ("commusoft", include_str!("../examples/policies/commusoft.json")),
        ("property", include_str!("../examples/policies/property.json")),
        ("reconpro", include_str!("../examples/policies/reconpro.json")),
        ("neptunecrm", include_str!("../examples/policies/neptunecrm.json")),
    ] {
        let problems = lint(&Policy::from_json(text).unwrap());
        assert!(problems.is_empty(), "{name}: {problems:?}");
    }
}

#[test]
fn an_unknown_member_is_located_by_pointer_with_a_suggestion() {
    let policy = r#"{"product": "t", "keys": ["a"],
        "roles": {"r": {"allow": ["a"], "inherit": []}}}"#;
    let found: Vec<_> = rolegate::compile::problems(policy, None)
        .into_iter()
        .map(|p| (p.issue.code(), p.pointer, p.message))
        .collect();
    assert_eq!(
        found,
        [(
            "bad_policy",
            "/roles/r/inherit".to_owned(),
            "the document is not a valid policy: unknown member `inherit`; did you mean `inherits`?"
                .to_owned()
        )]
    );
    // A custom role's member points into the policy, as if the role were in it.
    let policy = r#"{"product": "t", "keys": ["a"], "custom_roles": true, "roles": {}}"#;
    let p = rolegate::compile::problems(policy, Some(r#"{"mine": {"alow": ["a"]}}"#)).remove(0);
    assert_eq!(
        (p.pointer.as_str(), p.message.ends_with("did you mean `allow`?")),
        ("/roles/mine/alow", true)
    );
    // A wrong type is located too; the line and column give way to the pointer.
    let p = rolegate::compile::problems(r#"{"product": "t", "keys": "a", "roles": {}}"#, None).remove(0);
    assert_eq!(p.pointer, "/keys");
    assert!(!p.message.contains(" at line "), "{}", p.message);
}

#[test]
fn an_inheritance_cycle_is_reported_once_without_follow_on_problems() {
    // The NeptuneCRM example with admin and consultant inheriting from each other: one loop, and no
    // "menu item can never be visible" for the items only those roles reach.
    let mut v: Value = serde_json::from_str(include_str!("../examples/policies/neptunecrm.json")).unwrap();
    v["roles"]["admin"]["inherits"] = json!(["consultant"]);
    v["roles"]["consultant"]["inherits"] = json!(["admin"]);
    let policy: Policy = serde_json::from_value(v).unwrap();
    let all: Vec<_> = lint(&policy).into_iter().map(|p| (p.issue.code(), p.pointer)).collect();
    assert_eq!(all, [("inheritance_cycle", "/roles/admin/inherits".to_owned())]);
}

#[test]
fn inherits_permissions_false_needs_a_parent() {
    let p = one(|v| v["roles"]["engineer"]["inherits_permissions"] = json!(false));
    assert_eq!((p.0, p.1.as_str()), ("bad_policy", "/roles/engineer/inherits_permissions"));
    assert!(p.2.contains("inherits from no role"), "{}", p.2);
    // With a parent (inherits, or a ladder rung below), it means what it says: no problem.
    assert!(problems(|v| v["roles"]["senior"]["inherits_permissions"] = json!(false)).is_empty());
    let laddered = problems(|v| {
        v["roles"]["senior"] = json!({"inherits_permissions": false});
        v["ladders"] = json!({"jobs": ["engineer", "senior"]});
    });
    assert!(laddered.is_empty(), "{laddered:?}");
}

/// Issue 18: a redirect into a route the same user may not open is a loop; lint names the role
/// and the path.
#[test]
fn redirect_loops() {
    let routes = |extra: Value| {
        let mut r = json!({"home": "/", "rules": [{"path": "/", "requires": "page.admin.view"},
            {"path": "/jobs", "requires": "page.jobs.view"}, {"path": "/admin", "requires": "page.admin.view"}]});
        r.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        r
    };
    // NeptuneCRM's Contractor before it had a home: `/` is closed to both roles.
    let all = problems(|v| v["routes"] = routes(json!({})));
    let found: Vec<_> = all.iter().map(|p| (p.0, p.1.as_str())).collect();
    assert_eq!(found, [("redirect_loop", "/roles/engineer"), ("redirect_loop", "/roles/senior")]);
    assert_eq!(
        all[0].2,
        "role `engineer` may not open the home `/`, where a denied route sends its holders: give the role a `home` it may open"
    );
    // A role home it may open fixes it (homes are not inherited); one it may not is located.
    let fixed = |v: &mut Value| {
        v["routes"] = routes(json!({}));
        v["roles"]["engineer"]["home"] = json!("/jobs");
        v["roles"]["senior"]["home"] = json!("/jobs");
    };
    assert!(problems(fixed).is_empty());
    let p = one(|v| {
        fixed(v);
        v["roles"]["senior"]["home"] = json!("/admin");
    });
    assert_eq!(
        p,
        (
            "redirect_loop",
            "/roles/senior/home".into(),
            "home `/admin` of role `senior` is a route a holder of that role alone may not open".into()
        )
    );
    // An `on_deny` path, the policy's or a rule's, that the holders it applies to may not open.
    let p = one(|v| {
        fixed(v);
        v["routes"]["on_deny"] = json!("/admin");
        v["roles"]["senior"]["allow"] = json!(["page.admin.view"]);
    });
    assert_eq!((p.0, p.1.as_str()), ("redirect_loop", "/routes/on_deny"));
    assert!(p.2.contains("`/admin`") && p.2.contains("role `engineer`"), "{}", p.2);
    let all = problems(|v| {
        fixed(v);
        v["routes"]["rules"][2]["on_deny"] = json!("/nowhere");
    });
    let found: Vec<_> = all.iter().map(|p| (p.0, p.1.as_str())).collect();
    assert_eq!(found, [("redirect_loop", "/routes/rules/2/on_deny"); 2], "one per role it denies");
    assert!(all[1].2.contains("role `senior`"), "{}", all[1].2);
    // A rule's target matters only to the roles it denies, and the policy's only when some route
    // uses it: with `fallback_allow` and every denied rule naming its own target, it is unused.
    assert!(problems(|v| {
        fixed(v);
        v["routes"]["fallback_allow"] = json!(true);
        v["routes"]["on_deny"] = json!("/admin");
        v["routes"]["rules"][0]["on_deny"] = json!("/jobs");
        v["routes"]["rules"][2]["on_deny"] = json!("logout");
    })
    .is_empty());
    // A user denied by platform or activity may open no route.
    let p = one(|v| {
        fixed(v);
        v["routes"]["on_platform_deny"] = json!("/jobs");
    });
    assert_eq!((p.0, p.1.as_str()), ("redirect_loop", "/routes/on_platform_deny"));
    // A feature excluding the role closes its keys; a role that may use no platform is sent nowhere.
    let p = one(|v| {
        fixed(v);
        v["features"] = json!({"jobs": {"exclude_roles": ["engineer"], "keys": ["page.jobs.view"]}});
    });
    assert_eq!((p.0, p.1.as_str()), ("redirect_loop", "/roles/engineer/home"));
    assert!(problems(|v| {
        v["routes"] = routes(json!({}));
        v["roles"] = json!({"nobody": {"platforms": []}});
    })
    .is_empty());
    // A role home must be a path, and needs routes.
    let p = one(|v| {
        fixed(v);
        v["roles"]["senior"]["home"] = json!("jobs");
    });
    assert_eq!((p.0, p.1.as_str()), ("bad_route", "/roles/senior/home"));
    let p = one(|v| v["roles"]["senior"]["home"] = json!("/jobs"));
    assert_eq!(
        p,
        (
            "bad_route",
            "/roles/senior/home".into(),
            "role `senior` has a `home` but the policy has no `routes`".into()
        )
    );
}
