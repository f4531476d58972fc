//! Issue 18, through the public API (compile → sign → `Gate::load` → ask): the policy's platform
//! default, whether a session may start on a platform (`Gate::platform`), the keys a snapshot grants
//! (`Gate::keys`), per-role homes, and redirects that never lead into a denied route.

#![cfg(feature = "issuer")]
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "fixture helpers: a bad fixture should fail the test"
)]

#[path = "common/conformance.rs"]
mod common;

use rolegate::compile::Compiler;
use rolegate::policy::User;
use rolegate::surfaces::{Question, Redirect};
use rolegate::{Claims, Clock, Gate, GateOptions, Keyring};
use serde_json::{json, Value};

fn compiler(policy: Value) -> Compiler {
    Compiler::from_json(&policy.to_string()).unwrap()
}

fn user(u: Value) -> User {
    serde_json::from_value(u).unwrap()
}

fn sample(product: &str, name: &str) -> User {
    let users = match product {
        "neptunecrm" => include_str!("../examples/policies/neptunecrm.users.json"),
        _ => include_str!("../examples/policies/commusoft.users.json"),
    };
    let users: serde_json::Map<String, Value> = serde_json::from_str(users).unwrap();
    serde_json::from_value(users.get(name).cloned().unwrap()).unwrap()
}

fn neptune() -> Compiler {
    Compiler::from_json(include_str!("../examples/policies/neptunecrm.json")).unwrap()
}

fn commusoft() -> Compiler {
    Compiler::from_json(include_str!("../examples/policies/commusoft.json")).unwrap()
}

/// `(allow, code, rule, redirect)` of a route-shaped answer.
fn parts(d: &rolegate::surfaces::RouteDecision) -> (bool, &'static str, Option<&str>, Option<Redirect>) {
    (d.allow, d.decision.reason.code(), d.decision.rule.as_deref(), d.redirect.clone())
}

fn platformed(default: Option<Value>) -> Compiler {
    let mut p = json!({"product": "t", "keys": ["page.jobs"], "platforms": ["web", "mobile"],
        "roles": {"office": {"allow": ["page.jobs"]}, "field": {"allow": ["page.jobs"], "platforms": ["mobile"]}}});
    if let Some(d) = default {
        p["platform_default"] = d;
    }
    compiler(p)
}

#[test]
fn a_user_without_platforms_gets_the_policy_default_and_none_without_one() {
    let bare = user(json!({"id": "u", "roles": ["office"]}));
    let strict = platformed(None);
    assert_eq!(strict.platforms(&bare).unwrap(), Vec::<String>::new());
    for pf in [None, Some("web"), Some("mobile")] {
        let g = common::load(&strict, &bare, pf).unwrap();
        assert_eq!(g.check("page.jobs").reason.code(), "platform_denied", "{pf:?}");
    }
    let both = platformed(Some(json!(["web", "mobile"])));
    assert_eq!(both.platforms(&bare).unwrap(), ["web", "mobile"]);
    assert!(common::load(&both, &bare, Some("web")).unwrap().can("page.jobs"));
    // The default stays within the roles' platforms, and a record's own list wins over it.
    let field = user(json!({"id": "f", "roles": ["field"]}));
    assert_eq!(both.platforms(&field).unwrap(), ["mobile"]);
    let own = user(json!({"id": "w", "roles": ["office"], "platforms": ["web"]}));
    assert_eq!(platformed(Some(json!(["mobile"]))).platforms(&own).unwrap(), ["web"]);
    // An unknown platform in the default is a lint error, located.
    let e = Compiler::from_json(
        &json!({"product": "t", "keys": [], "platforms": ["web"], "platform_default": ["mobil"], "roles": {}})
            .to_string(),
    )
    .unwrap_err();
    assert_eq!(e.code(), "unknown_name");
    assert_eq!(e.to_string(), "unknown platform `mobil` (at `/platform_default/0`)");
}

#[test]
fn the_sample_users_keep_their_platforms() {
    // Commusoft's default is none: its Owner/Manager sample names both platforms; a record nobody
    // set up is "Neither".
    let cs = commusoft();
    assert_eq!(cs.platforms(&sample("commusoft", "owner_manager")).unwrap(), ["web", "mobile"]);
    let unset = user(json!({"id": "n", "roles": ["owner_manager"], "tenant": "co-1"}));
    let g = common::load(&cs, &unset, Some("web")).unwrap();
    assert_eq!(parts(&g.platform()), (false, "platform_denied", None, Some(Redirect::Logout)));
    // NeptuneCRM's default is both, within the roles': a Contractor stays mobile only.
    let crm = neptune();
    assert_eq!(crm.platforms(&sample("neptunecrm", "admin")).unwrap(), ["web", "mobile"]);
    assert_eq!(crm.platforms(&sample("neptunecrm", "contractor")).unwrap(), ["mobile"]);
}

#[test]
fn platform_says_whether_a_session_may_start() {
    let crm = neptune();
    let contractor = sample("neptunecrm", "contractor");
    let web = common::load(&crm, &contractor, Some("web")).unwrap();
    assert_eq!(parts(&web.platform()), (false, "platform_denied", None, Some(Redirect::Logout)));
    assert_eq!(web.platform().decision.reason.step(), "platform");
    let mobile = common::load(&crm, &contractor, Some("mobile")).unwrap();
    assert_eq!(parts(&mobile.platform()), (true, "granted", Some("mobile"), None));
    // A gate that does not know its platform admits a user who has some platform.
    let unknown = common::load(&crm, &contractor, None).unwrap();
    assert_eq!(parts(&unknown.platform()), (true, "granted", None, None));
    let inactive = common::load(&crm, &sample("neptunecrm", "inactive_admin"), Some("web")).unwrap();
    assert_eq!(parts(&inactive.platform()), (false, "inactive", None, Some(Redirect::Logout)));
    // Nothing loaded, or expired: denied with the envelope's reason, logged out.
    let empty = common::gate(Some("web")).unwrap();
    assert_eq!(parts(&empty.platform()), (false, "no_snapshot", None, Some(Redirect::Logout)));
    let claims = crm.claims(&contractor, common::AUDIENCE, common::NOW, common::NOW + 600.0, 1).unwrap();
    let token = common::key().sign(&claims).unwrap();
    let mut later = gate_at(Some("mobile"), common::NOW + 3600.0);
    later.load(&token).unwrap_err();
    assert_eq!(later.platform().decision.reason.code(), "no_snapshot");
    let mut expiring = gate_at(Some("mobile"), common::NOW + 1.0);
    expiring.load(&token).unwrap();
    assert!(expiring.platform().allow);
}

fn gate_at(platform: Option<&str>, now: f64) -> Gate {
    let keys = Keyring::from_jwks(&rolegate::issue::SigningKey::jwks(&[&common::key()])).unwrap();
    let mut options = GateOptions::new(keys, common::AUDIENCE);
    options.clock = Clock::fixed(now);
    options.platform = platform.map(str::to_owned);
    Gate::new(options).unwrap()
}

#[test]
fn an_expired_snapshot_starts_no_session_and_grants_no_key() {
    let crm = neptune();
    let claims = crm
        .claims(&sample("neptunecrm", "admin"), common::AUDIENCE, common::NOW, common::NOW + 600.0, 1)
        .unwrap();
    let token = common::key().sign(&claims).unwrap();
    let clock = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(common::NOW.to_bits()));
    let keys = Keyring::from_jwks(&rolegate::issue::SigningKey::jwks(&[&common::key()])).unwrap();
    let mut options = GateOptions::new(keys, common::AUDIENCE);
    let read = clock.clone();
    options.clock = Clock::from_fn(move || f64::from_bits(read.load(std::sync::atomic::Ordering::SeqCst)));
    options.platform = Some("web".into());
    let mut gate = Gate::new(options).unwrap();
    gate.load(&token).unwrap();
    assert!(gate.platform().allow && !gate.keys().is_empty());
    clock.store((common::NOW + 3600.0).to_bits(), std::sync::atomic::Ordering::SeqCst);
    assert_eq!(parts(&gate.platform()), (false, "expired", None, Some(Redirect::Logout)));
    assert!(gate.keys().is_empty());
}

#[test]
fn keys_lists_what_the_snapshot_grants_scoped_grants_included() {
    let crm = neptune();
    let consultant = common::load(&crm, &sample("neptunecrm", "consultant"), Some("web")).unwrap();
    let keys = consultant.keys();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(keys, sorted, "sorted");
    assert!(keys.iter().any(|k| k == "page.customers.view"));
    assert!(keys.iter().any(|k| k == "data.customer.edit"), "own-scoped: granted for some records");
    assert!(!keys.iter().any(|k| k == "page.admin.view"), "explicitly denied");
    assert!(!keys.iter().any(|k| k.ends_with('*')), "catalogue keys, never patterns");
    // Exactly the catalogue keys `can` answers yes to.
    let catalogue = &crm.policy().keys;
    let granted: Vec<&String> = catalogue.iter().filter(|k| consultant.can(k)).collect();
    assert_eq!(keys.len(), granted.len());
    assert!(granted.iter().all(|k| keys.contains(k)));
    // Features off, wrong platform, inactive, nothing loaded: nothing granted.
    assert!(
        keys.iter().any(|k| k == "feature.pdf_chat") && !keys.iter().any(|k| k == "feature.customer_jobs"),
        "a feature's keys while on"
    );
    let contractor = sample("neptunecrm", "contractor");
    assert!(common::load(&crm, &contractor, Some("web")).unwrap().keys().is_empty());
    let on_mobile = common::load(&crm, &contractor, Some("mobile")).unwrap();
    assert_eq!(
        on_mobile.keys(),
        ["data.customer.view", "data.job.update", "data.job.view", "page.jobs.view"]
    );
    let inactive = common::load(&crm, &sample("neptunecrm", "inactive_admin"), Some("web")).unwrap();
    assert!(inactive.keys().is_empty());
    assert!(common::gate(Some("web")).unwrap().keys().is_empty());
}

#[test]
fn keys_of_a_body_without_a_catalogue_are_those_its_key_table_names() {
    let body =
        rolegate::eval::Body::from_keys(&["page.*", "page.jobs", "doc.read"], &["page.admin"]).to_value();
    let mut gate = gate_at(None, common::NOW);
    let claims = Claims::new("u", common::AUDIENCE, common::NOW, common::NOW + 60.0, 1, body);
    gate.load(&common::key().sign(&claims).unwrap()).unwrap();
    assert_eq!(gate.keys(), ["doc.read", "page.jobs"]);
}

#[test]
fn a_role_home_is_the_users_home_and_a_blocked_route_goes_there() {
    let crm = neptune();
    let g = common::load(&crm, &sample("neptunecrm", "contractor"), Some("mobile")).unwrap();
    assert_eq!(g.home(), Some("/jobs"));
    // The redirect loop of issue 18: a blocked route sends the Contractor to their jobs.
    assert_eq!(parts(&g.route("/")), (false, "no_grant", None, Some(Redirect::Home)));
    assert_eq!(parts(&g.route("/admin/users")).3, Some(Redirect::Home));
    assert!(g.route("/jobs").allow);
    let admin = common::load(&crm, &sample("neptunecrm", "admin"), Some("web")).unwrap();
    assert_eq!(admin.home(), Some("/"));
    // Commusoft: a Sales+ user's home is /sales; on both ladders, the first home they may open in
    // their role order (the Senior engineer's is the diary).
    let cs = commusoft();
    let sales = common::load(&cs, &sample("commusoft", "sales_person"), Some("web")).unwrap();
    assert_eq!(sales.home(), Some("/sales"));
    let both = common::load(&cs, &sample("commusoft", "both_ladders"), Some("web")).unwrap();
    assert_eq!(both.home(), Some("/diary"));
    let mut reversed = sample("commusoft", "both_ladders");
    reversed.roles.reverse();
    assert_eq!(common::load(&cs, &reversed, Some("web")).unwrap().home(), Some("/sales"));
}

/// A policy whose loops lint cannot see for one role alone: `a` and `b` close each other's homes,
/// and `chat`'s home needs a feature the tenant may not have.
fn looping() -> Compiler {
    compiler(json!({"product": "t", "keys": ["page.a", "page.h", "page.chat"],
        "features": {"chat": {"keys": ["page.chat"]}},
        "routes": {"home": "/h", "rules": [
            {"path": "/h", "requires": "page.h"}, {"path": "/a", "requires": "page.a"},
            {"path": "/chat", "requires": "page.chat"}, {"path": "/open"},
            {"path": "/x", "requires": "page.a", "on_deny": "/open"}]},
        "roles": {"a": {"home": "/a", "allow": ["page.a"], "deny": ["page.h"]},
                  "b": {"allow": ["page.h"], "deny": ["page.a"]},
                  "chat": {"home": "/chat", "allow": ["page.chat", "page.h"], "deny": ["page.h"]}}}))
}

#[test]
fn a_redirect_into_a_denied_route_logs_out_with_its_own_code() {
    let c = looping();
    let g = common::load(&c, &user(json!({"id": "u", "roles": ["a", "b"]})), None).unwrap();
    assert_eq!(g.home(), Some("/h"), "neither home opens: the policy's");
    let d = g.route("/nowhere");
    assert_eq!(parts(&d), (false, "redirect_denied", Some("/h"), Some(Redirect::Logout)));
    assert_eq!(d.decision.reason.step(), "redirect");
    assert_eq!(parts(&g.route("/a")).1, "redirect_denied");
    assert_eq!(g.decide(Question::Route("/a")).reason.code(), "redirect_denied");
    // A redirect to a path the user may open is kept.
    assert_eq!(
        parts(&g.route("/x")),
        (false, "explicit_deny", Some("page.a"), Some(Redirect::To("/open".into())))
    );
    assert!(g.route("/open").allow);
    // One role alone: its home opens, no loop.
    let a = common::load(&c, &user(json!({"id": "u", "roles": ["a"]})), None).unwrap();
    assert_eq!((a.home(), parts(&a.route("/h")).3), (Some("/a"), Some(Redirect::Home)));
    // A home behind a feature the tenant has not enabled falls back to the policy's, closed too.
    let no_chat = common::load(&c, &user(json!({"id": "u", "roles": ["chat"]})), None).unwrap();
    assert_eq!(no_chat.home(), Some("/h"));
    assert_eq!(parts(&no_chat.route("/a")), (false, "redirect_denied", Some("/h"), Some(Redirect::Logout)));
    let chat =
        common::load(&c, &user(json!({"id": "u", "roles": ["chat"], "features": ["chat"]})), None).unwrap();
    assert_eq!((chat.home(), parts(&chat.route("/a")).1), (Some("/chat"), "no_grant"));
}

#[test]
fn a_signed_body_whose_redirects_loop_is_answered_logout() {
    // A body not made by the compiler: home and the platform-deny target are closed routes.
    let body = json!({"v": 1, "k": ["page.home", "page.jobs"], "g": [1], "p": ["web"],
        "rt": {"h": "/home", "pd": "/sorry", "r": [["/home", 0], ["/jobs", 1], ["/sorry", 0]]}});
    let mut gate = gate_at(Some("mobile"), common::NOW);
    let claims = Claims::new("u", common::AUDIENCE, common::NOW, common::NOW + 60.0, 1, body);
    gate.load(&common::key().sign(&claims).unwrap()).unwrap();
    // On mobile every route is denied by platform; `/sorry` is denied too, so: log out.
    assert_eq!(parts(&gate.platform()), (false, "redirect_denied", Some("/sorry"), Some(Redirect::Logout)));
    assert_eq!(parts(&gate.route("/jobs")).1, "redirect_denied");
    let mut web = gate_at(Some("web"), common::NOW);
    let claims = Claims::new(
        "u",
        common::AUDIENCE,
        common::NOW,
        common::NOW + 60.0,
        2,
        gate.claims().unwrap().body.clone(),
    );
    web.load(&common::key().sign(&claims).unwrap()).unwrap();
    assert!(web.route("/jobs").allow && web.platform().allow);
    assert_eq!(
        parts(&web.route("/elsewhere")),
        (false, "redirect_denied", Some("/home"), Some(Redirect::Logout))
    );
}
