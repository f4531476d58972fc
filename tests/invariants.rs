//! Invariants of the policy model over the seed products and over generated policies (issue 9):
//! monotonicity (a deny never grants, a role taken away never grants beyond its own denies, a
//! higher rung of a cumulative ladder has everything the lower one has), tenant isolation, inactive
//! users, and routes deciding like their required key. Everything goes compile → sign → load →
//! ask, as an application does.
//!
//! Native only (proptest). Case counts are small so the file runs in a few seconds; raise them with
//! `PROPTEST_CASES=N`. The envelope properties (issue → verify round trip, single-byte changes) are
//! in `tests/properties.rs`.
#![cfg(all(feature = "issuer", not(target_arch = "wasm32")))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed unwrap is a failed test"
)]

#[path = "common/conformance.rs"]
mod common;
/// The shared fixtures (here: the embedded seed products).
#[path = "common/mod.rs"]
mod fixtures;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use proptest::prelude::*;
use rolegate::compile::Compiler;
use rolegate::policy::{covers, effective, Policy, User};
use rolegate::surfaces::Question;
use rolegate::Gate;
use serde_json::{json, Value};

fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(cases);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

struct Seed {
    name: &'static str,
    policy: Policy,
    compiler: Compiler,
    users: Vec<(String, User)>,
}

fn seeds() -> &'static [Seed] {
    static SEEDS_LOADED: OnceLock<Vec<Seed>> = OnceLock::new();
    SEEDS_LOADED.get_or_init(|| {
        fixtures::PRODUCTS
            .iter()
            .map(|(name, policy, users)| {
                let users: BTreeMap<String, User> = serde_json::from_str(users).unwrap();
                Seed {
                    name,
                    policy: Policy::from_json(policy).unwrap(),
                    compiler: Compiler::from_json(policy).unwrap(),
                    users: users.into_iter().collect(),
                }
            })
            .collect()
    })
}

/// A path that `pattern` matches: `{name}` → one segment, `{*rest}` → two.
fn instantiate(pattern: &str) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').unwrap() + open;
        out.push_str(if rest[open + 1..].starts_with('*') { "p1/p2" } else { "p1" });
        rest = &rest[close + 1..];
    }
    out + rest
}

fn menu_ids(items: &[rolegate::policy::MenuItem], out: &mut Vec<String>) {
    for i in items {
        out.push(i.id.clone());
        menu_ids(&i.children, out);
    }
}

/// Every question an invariant compares, named: each catalogue key, each wildcard prefix of one,
/// each route (made from its pattern), each menu item.
fn questions(p: &Policy) -> Vec<String> {
    let mut q: BTreeSet<String> = BTreeSet::new();
    for k in &p.keys {
        q.insert(format!("key:{k}"));
        for (i, _) in k.match_indices('.') {
            q.insert(format!("key:{}.*", &k[..i]));
        }
    }
    for r in p.routes.iter().flat_map(|r| &r.rules) {
        q.insert(format!("route:{}", instantiate(&r.path)));
    }
    let mut ids = Vec::new();
    menu_ids(&p.menu, &mut ids);
    q.extend(ids.into_iter().map(|i| format!("menu:{i}")));
    q.into_iter().collect()
}

fn ask(gate: &Gate, q: &str) -> bool {
    match q.split_once(':').unwrap() {
        ("key", k) => {
            let d = gate.check(k);
            assert_eq!(gate.can(k), d.allow);
            d.allow
        }
        ("route", p) => gate.route(p).allow,
        ("menu", id) => gate.decide(Question::Menu(id)).allow,
        (kind, _) => panic!("unknown question kind `{kind}`"),
    }
}

/// The answers of `user` under `compiler` on `platform`, or `None` when the user is refused.
fn answers(compiler: &Compiler, user: &User, platform: Option<&str>) -> Option<BTreeMap<String, bool>> {
    let gate = common::load(compiler, user, platform).ok()?;
    Some(questions(compiler.policy()).into_iter().map(|q| (q.clone(), ask(&gate, &q))).collect())
}

fn platforms(p: &Policy) -> Vec<Option<&str>> {
    std::iter::once(None).chain(p.platforms.iter().map(|s| Some(s.as_str()))).collect()
}

/// Every question answered yes in `after` is answered yes in `before`, except those `excused`.
fn no_new_grants(
    before: &BTreeMap<String, bool>,
    after: &BTreeMap<String, bool>,
    excused: impl Fn(&str) -> bool,
) -> Result<(), String> {
    let gained: Vec<&String> =
        after.iter().filter(|(q, a)| **a && !before[*q] && !excused(q)).map(|(q, _)| q).collect();
    if gained.is_empty() {
        Ok(())
    } else {
        Err(format!("gained {gained:?}"))
    }
}

// ---------------------------------------------------------------------------------------------
// Seed policies, mutated.
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(16))]

    /// Adding a deny (of any catalogue key or wildcard) to any role of a seed policy never grants
    /// anything to any sample user, on any platform.
    #[test]
    fn adding_a_deny_never_grants(seed in 0..4usize, role in any::<prop::sample::Index>(),
                                  pattern in any::<prop::sample::Index>(), user in any::<prop::sample::Index>()) {
        let s = &seeds()[seed];
        let mut p = s.policy.clone();
        let patterns: Vec<String> = questions(&p).into_iter().filter_map(|q| q.strip_prefix("key:").map(str::to_owned)).collect();
        let deny = pattern.get(&patterns).clone();
        let role_id = role.get(&p.roles.keys().cloned().collect::<Vec<_>>()).clone();
        p.roles.get_mut(&role_id).unwrap().deny.push(deny.clone());
        // A deny can make a menu item unreachable, which lint refuses: nothing to compare then.
        let Ok(after) = Compiler::new(p, BTreeMap::new()) else { return Ok(()) };
        let (_, u) = user.get(&s.users);
        for pf in platforms(&s.policy) {
            let (Some(b), Some(a)) = (answers(&s.compiler, u, pf), answers(&after, u, pf)) else { continue };
            no_new_grants(&b, &a, |_| false).map_err(|e| TestCaseError::fail(format!("{}: deny `{deny}` on `{role_id}`: {e}", s.name)))?;
        }
    }

    /// Taking one role away from a sample user never grants anything, except what that role's own
    /// (effective) denies covered: deny rules belong to roles, so a holder loses them with the role.
    #[test]
    fn removing_a_role_grants_only_what_its_denies_covered(seed in 0..4usize, user in any::<prop::sample::Index>(),
                                                           which in any::<prop::sample::Index>()) {
        let s = &seeds()[seed];
        let (name, u) = user.get(&s.users);
        prop_assume!(!u.roles.is_empty());
        let mut fewer = u.clone();
        let removed = fewer.roles.remove(which.index(u.roles.len()));
        let eff = effective(&s.policy);
        let denies = &eff[&removed].deny;
        let excused = |q: &str| {
            let key = q.strip_prefix("key:");
            key.is_some_and(|k| denies.iter().any(|d| covers(d, k) || covers(k, d)))
                || (key.is_none() && !denies.is_empty())
        };
        for pf in platforms(&s.policy) {
            let (Some(b), Some(a)) = (answers(&s.compiler, u, pf), answers(&s.compiler, &fewer, pf)) else { continue };
            no_new_grants(&b, &a, excused).map_err(|e| TestCaseError::fail(format!("{}: `{name}` without `{removed}`: {e}", s.name)))?;
        }
    }
}

/// On Commusoft's cumulative ladders (Jobs and Sales+), each rung has every answer the rung below
/// it has: keys, routes and menu items, on every platform.
#[test]
fn a_higher_rung_never_has_less() {
    let s = seeds().iter().find(|s| s.name == "commusoft").unwrap();
    assert_eq!(s.policy.ladders.len(), 2, "the Jobs and Sales+ ladders");
    let mut compared = 0;
    for (ladder, rungs) in &s.policy.ladders {
        for pair in rungs.windows(2) {
            let user = |role: &str| {
                let sales_plus = json!(["sales_plus"]); // the Sales+ rungs need the add-on
                User::from_json(
                    &json!({"id": "u1", "roles": [role], "tenant": "co-1", "features": sales_plus})
                        .to_string(),
                )
                .unwrap()
            };
            for pf in platforms(&s.policy) {
                let lower = answers(&s.compiler, &user(&pair[0]), pf).unwrap();
                let upper = answers(&s.compiler, &user(&pair[1]), pf).unwrap();
                let lost: Vec<&String> =
                    lower.iter().filter(|(q, a)| **a && !upper[*q]).map(|(q, _)| q).collect();
                assert!(
                    lost.is_empty(),
                    "ladder `{ladder}`: `{}` lacks {lost:?} of `{}` on {pf:?}",
                    pair[1],
                    pair[0]
                );
                compared += lower.len();
            }
        }
    }
    assert!(compared > 1000, "{compared}");
}

/// Every route of every seed policy, for every sample user on every platform, decides exactly as its
/// required key does (or is public when it requires none).
#[test]
fn a_route_decides_as_its_required_key() {
    let mut checked = 0;
    for s in seeds() {
        let rules = &s.policy.routes.as_ref().unwrap().rules;
        for (name, u) in &s.users {
            for pf in platforms(&s.policy) {
                let Ok(gate) = common::load(&s.compiler, u, pf) else { continue };
                for rule in rules {
                    let path = instantiate(&rule.path);
                    let r = gate.route(&path);
                    let expected = match &rule.requires {
                        Some(k) => gate.check(k),
                        None if r.decision.allow => {
                            rolegate::Decision::new(rolegate::Reason::Public, Some(&rule.path))
                        }
                        None => r.decision.clone(),
                    };
                    assert_eq!(
                        (r.allow, r.decision.reason),
                        (expected.allow, expected.reason),
                        "{}: `{name}` on {pf:?}, route `{path}` ({:?})",
                        s.name,
                        rule.requires
                    );
                    if rule.requires.is_none() && !r.allow {
                        assert!(matches!(r.decision.reason.code(), "inactive" | "platform_denied"));
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 500, "{checked}");
}

/// A tenant value that is not exactly the user's tenant: another string, a number, a list (even
/// one holding the user's tenant), an object, a boolean, null, or no field at all.
#[derive(Debug, Clone)]
enum OtherTenant {
    Text(String),
    Num(i64),
    ListOfOwn,
    ListWithOwn,
    ObjectOfOwn,
    OwnUpper,
    Bool,
    Null,
    Missing,
}

impl OtherTenant {
    fn value(&self, own: &str) -> Option<Value> {
        Some(match self {
            OtherTenant::Text(t) => json!(t),
            OtherTenant::Num(n) => json!(n),
            OtherTenant::ListOfOwn => json!([own]),
            OtherTenant::ListWithOwn => json!(["x", own]),
            OtherTenant::ObjectOfOwn => json!({"id": own}),
            OtherTenant::OwnUpper => json!(own.to_uppercase()),
            OtherTenant::Bool => json!(true),
            OtherTenant::Null => Value::Null,
            OtherTenant::Missing => return None,
        })
    }
}

fn other_tenant() -> impl Strategy<Value = OtherTenant> {
    prop_oneof![
        3 => "[a-z0-9-]{0,12}".prop_map(OtherTenant::Text),
        1 => any::<i64>().prop_map(OtherTenant::Num),
        1 => Just(OtherTenant::ListOfOwn),
        1 => Just(OtherTenant::ListWithOwn),
        1 => Just(OtherTenant::ObjectOfOwn),
        1 => Just(OtherTenant::OwnUpper),
        1 => Just(OtherTenant::Bool),
        1 => Just(OtherTenant::Null),
        1 => Just(OtherTenant::Missing),
    ]
}

fn record_strategy() -> impl Strategy<Value = serde_json::Map<String, Value>> {
    prop::collection::btree_map(
        "[a-zA-Z]{1,10}",
        prop_oneof![
            Just(json!("u1")),
            "[a-z0-9]{0,6}".prop_map(Value::from),
            any::<i32>().prop_map(Value::from),
            Just(json!(["t1", "a1"])),
            Just(Value::Null),
        ],
        0..6,
    )
    .prop_map(|m| m.into_iter().collect())
}

proptest! {
    #![proptest_config(config(40))]

    /// A record whose tenant field is anything but the user's tenant is never allowed, seen, kept by
    /// `filter` or shown by `fields`, whatever the key, resource or other fields; the reason is a
    /// tenant one (or an earlier step).
    #[test]
    fn a_tenant_mismatch_always_denies(seed in 0..4usize, user in any::<prop::sample::Index>(),
                                       key in any::<prop::sample::Index>(), mut rec in record_strategy(),
                                       tenant in other_tenant()) {
        let s = &seeds()[seed];
        let (_, u) = user.get(&s.users);
        let own = u.tenant.clone().unwrap();
        let tenant = tenant.value(&own);
        prop_assume!(tenant.as_ref() != Some(&json!(own)));
        let Ok(gate) = common::load(&s.compiler, u, None) else { return Ok(()) };
        let field = s.policy.tenant_field.clone().unwrap();
        // The record names every field the policy reads, as the user's, so only the tenant differs.
        for r in s.policy.resources.values() {
            for o in &r.owner { rec.insert(o.field().to_owned(), json!(u.id)); }
            for f in [&r.team, &r.area, &r.client].into_iter().flatten() { rec.insert(f.clone(), json!(u.teams.first().or(u.areas.first()).or(u.clients.first()))); }
            if let Some(sh) = &r.shared { rec.insert(sh.field.clone(), json!(sh.values)); }
        }
        match &tenant { Some(t) => { rec.insert(field, t.clone()); } None => { rec.remove(&field); } }
        let rec = Value::Object(rec);
        let k = key.get(&s.policy.keys);
        let d = gate.check_record(k, &rec);
        let missing = matches!(tenant, None | Some(Value::Null));
        let expected = if missing { "tenant_missing" } else { "tenant_mismatch" };
        prop_assert!(!d.allow, "{}: `{k}` allowed on {rec}", s.name);
        prop_assert!([expected, "inactive", "platform_denied"].contains(&d.reason.code()), "{}: {d:?}", s.name);
        for res in s.policy.resources.keys() {
            prop_assert!(!gate.decide(Question::See(res, &rec)).allow);
            prop_assert!(gate.filter(res, std::slice::from_ref(&rec)).is_empty());
            prop_assert!(gate.fields(res, Some(&rec)).iter().all(|f| !f.decision.allow));
            prop_assert_eq!(gate.mask(res, &rec).value, json!({}));
        }
    }

    /// An inactive user is denied everything: every key, route, menu item, record and field.
    #[test]
    fn an_inactive_user_is_denied_everything(seed in 0..4usize, user in any::<prop::sample::Index>(), rec in record_strategy()) {
        let s = &seeds()[seed];
        let (_, u) = user.get(&s.users);
        let mut off = u.clone();
        off.active = false;
        for pf in platforms(&s.policy) {
            let gate = common::load(&s.compiler, &off, pf).unwrap();
            for q in questions(&s.policy) {
                prop_assert!(!ask(&gate, &q), "{}: inactive user allowed {q}", s.name);
            }
            for k in &s.policy.keys {
                prop_assert_eq!(gate.check(k).reason.code(), "inactive");
            }
            let mut rec = rec.clone();
            rec.insert(s.policy.tenant_field.clone().unwrap(), json!(u.tenant));
            let rec = Value::Object(rec);
            for k in s.policy.keys.iter().take(10) {
                prop_assert_eq!(gate.check_record(k, &rec).reason.code(), "inactive");
            }
            for res in s.policy.resources.keys() {
                prop_assert!(gate.filter(res, std::slice::from_ref(&rec)).is_empty());
                prop_assert!(gate.fields(res, Some(&rec)).iter().all(|f| f.decision.reason.code() == "inactive"));
            }
            prop_assert!(gate.menu().is_empty());
            prop_assert_eq!(gate.route("/").decision.reason.code(), "inactive");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Generated policies.
// ---------------------------------------------------------------------------------------------

const KEYS: [&str; 8] = ["a.x", "a.y", "a.z.v", "b.x", "b.y", "c", "c.d.e", "c.d.f"];

fn gen_pattern() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(KEYS.to_vec()).prop_map(str::to_owned),
        2 => prop::sample::select(vec!["a.*", "b.*", "c.*", "c.d.*", "a.z.*"]).prop_map(str::to_owned),
        1 => Just("*".to_owned()),
    ]
}

#[derive(Debug, Clone)]
struct GenRole {
    allow: Vec<String>,
    deny: Vec<String>,
    inherits: Vec<usize>,
    inherits_permissions: bool,
}

fn gen_role() -> impl Strategy<Value = GenRole> {
    (
        prop::collection::vec(gen_pattern(), 0..4),
        prop::collection::vec(gen_pattern(), 0..2),
        prop::collection::vec(0..6usize, 0..2),
        prop::bool::weighted(0.8),
    )
        .prop_map(|(allow, deny, inherits, inherits_permissions)| GenRole {
            allow,
            deny,
            inherits,
            inherits_permissions,
        })
}

/// A policy of up to six roles; role `rN` may inherit only from roles before it (no cycles).
fn policy_json(roles: &[GenRole]) -> Value {
    let roles: serde_json::Map<String, Value> = roles
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let inherits: BTreeSet<String> = r.inherits.iter().filter(|&&p| p < i).map(|p| format!("r{p}")).collect();
            // Without a parent the flag means nothing, and lint refuses `false` there.
            let inherits_permissions = r.inherits_permissions || inherits.is_empty();
            (
                format!("r{i}"),
                json!({"allow": r.allow, "deny": r.deny, "inherits": inherits, "inherits_permissions": inherits_permissions}),
            )
        })
        .collect();
    // Users of no role are generated too: a policy may allow them.
    json!({"product": "gen", "keys": KEYS, "allow_no_role": true, "roles": roles})
}

fn key_answers(c: &Compiler, roles: &[String]) -> BTreeMap<String, bool> {
    let user = User::from_json(&json!({"id": "u", "roles": roles}).to_string()).unwrap();
    let gate = common::load(c, &user, None).unwrap();
    questions(c.policy()).into_iter().map(|q| (q.clone(), ask(&gate, &q))).collect()
}

proptest! {
    #![proptest_config(config(40))]

    /// Generated policies: adding a deny to any role never grants anything to any set of roles.
    #[test]
    fn generated_adding_a_deny_never_grants(roles in prop::collection::vec(gen_role(), 1..6),
                                            held in prop::collection::btree_set(0..6usize, 0..4),
                                            target in 0..6usize, deny in gen_pattern()) {
        let n = roles.len();
        let held: Vec<String> = held.into_iter().filter(|h| *h < n).map(|h| format!("r{h}")).collect();
        let before = Compiler::from_json(&policy_json(&roles).to_string()).unwrap();
        let mut more = roles.clone();
        more[target % n].deny.push(deny.clone());
        let after = Compiler::from_json(&policy_json(&more).to_string()).unwrap();
        no_new_grants(&key_answers(&before, &held), &key_answers(&after, &held), |_| false)
            .map_err(|e| TestCaseError::fail(format!("deny `{deny}` on r{}: {e}", target % n)))?;
    }

    /// Generated policies: taking a role away grants nothing beyond what its effective denies covered.
    #[test]
    fn generated_removing_a_role_grants_only_its_denies(roles in prop::collection::vec(gen_role(), 1..6),
                                                        held in prop::collection::btree_set(0..6usize, 1..4),
                                                        which in any::<prop::sample::Index>()) {
        let n = roles.len();
        let held: Vec<String> = held.into_iter().filter(|h| *h < n).map(|h| format!("r{h}")).collect();
        prop_assume!(!held.is_empty());
        let c = Compiler::from_json(&policy_json(&roles).to_string()).unwrap();
        let mut fewer = held.clone();
        let removed = fewer.remove(which.index(held.len()));
        let denies = &effective(c.policy())[&removed].deny;
        let excused = |q: &str| q.strip_prefix("key:").is_some_and(|k| denies.iter().any(|d| covers(d, k) || covers(k, d)));
        no_new_grants(&key_answers(&c, &held), &key_answers(&c, &fewer), excused)
            .map_err(|e| TestCaseError::fail(format!("{held:?} without `{removed}`: {e}")))?;
    }

    /// Generated policies: with no deny anywhere, a user's answers are exactly the union of what each
    /// role alone gives (roles combine by union).
    #[test]
    fn generated_roles_combine_by_union(mut roles in prop::collection::vec(gen_role(), 1..6),
                                         held in prop::collection::btree_set(0..6usize, 0..4)) {
        for r in &mut roles { r.deny.clear(); }
        let n = roles.len();
        let held: Vec<String> = held.into_iter().filter(|h| *h < n).map(|h| format!("r{h}")).collect();
        let c = Compiler::from_json(&policy_json(&roles).to_string()).unwrap();
        let all = key_answers(&c, &held);
        let each: Vec<BTreeMap<String, bool>> = held.iter().map(|r| key_answers(&c, std::slice::from_ref(r))).collect();
        for (q, a) in &all {
            prop_assert_eq!(*a, each.iter().any(|m| m[q]), "{}", q);
        }
    }
}
