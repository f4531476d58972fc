//! "Never grant more access than you have" (the property platform's seed, for every product): for
//! generated policies, actors and roles, whatever `Compiler::may` lets an actor assign grants the
//! assignee no key the actor lacks, and whatever grants no such key it allows. The evaluator is the
//! judge: both users' snapshots are compiled and every catalogue key is asked of each.

#![cfg(all(feature = "issuer", not(target_arch = "wasm32")))]
#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "test generators and assertions")]

use proptest::prelude::*;
use rolegate::compile::{Compiler, RoleAction};
use rolegate::policy::User;
use rolegate::Grants;
use serde_json::json;

const KEYS: [&str; 5] = ["a.x", "a.y", "b.x", "b.y", "b.z.w"];

fn pattern() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(KEYS.to_vec()).prop_map(str::to_owned),
        prop::sample::select(vec!["a.*", "b.*", "b.z.*", "*"]).prop_map(str::to_owned),
    ]
}

/// Four roles, each with a few allowed and denied patterns.
fn roles() -> impl Strategy<Value = Vec<(Vec<String>, Vec<String>)>> {
    prop::collection::vec((prop::collection::vec(pattern(), 0..4), prop::collection::vec(pattern(), 0..2)), 4)
}

/// The generated roles in a policy whose `admin` section lets holders of `authority` assign and
/// edit roles (every role, when `None`).
fn compiler_with(roles: &[(Vec<String>, Vec<String>)], authority: Option<&str>) -> Compiler {
    let ids: Vec<String> = (0..roles.len()).map(|i| format!("r{i}")).collect();
    let roles: serde_json::Map<String, serde_json::Value> = roles
        .iter()
        .enumerate()
        .map(|(i, (allow, deny))| (format!("r{i}"), json!({"allow": allow, "deny": deny})))
        .collect();
    let who = authority.map_or(json!({"roles": ids}), |k| json!(k));
    let admin = json!({"assign": who, "roles": who});
    let policy = json!({"product": "p", "keys": KEYS, "admin": admin, "custom_roles": true, "roles": roles});
    Compiler::from_json(&policy.to_string()).unwrap()
}

fn compiler(roles: &[(Vec<String>, Vec<String>)]) -> Compiler {
    compiler_with(roles, None)
}

fn user(roles: &[usize]) -> User {
    let roles: Vec<String> = roles.iter().map(|i| format!("r{i}")).collect();
    User::from_json(&json!({"id": "u", "roles": roles}).to_string()).unwrap()
}

/// The catalogue keys `user`'s snapshot allows.
fn granted(c: &Compiler, user: &User) -> Vec<&'static str> {
    let g = Grants::from_body(&c.body(user).unwrap()).unwrap();
    KEYS.iter().copied().filter(|k| g.decide(k).allow).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn may_assign_exactly_what_the_actor_holds(
        roles in roles(),
        actor in prop::collection::btree_set(0..4usize, 1..3),
        target in 0..4usize,
    ) {
        let c = compiler(&roles);
        let actor: Vec<usize> = actor.into_iter().collect();
        let held = granted(&c, &user(&actor));
        let given = granted(&c, &user(&[target]));
        let beyond: Vec<&&str> = given.iter().filter(|k| !held.contains(k)).collect();
        let d = c.may(&user(&actor), RoleAction::Assign, &format!("r{target}"));
        prop_assert_eq!(d.allow, beyond.is_empty(), "held {:?}, given {:?}: {:?}", held, given, d);
        if let Some(first) = beyond.first() {
            prop_assert_eq!(d.reason.code(), "exceeds_own_access");
            prop_assert_eq!(d.rule.as_deref(), Some(**first), "the first key beyond, in catalogue order");
        }
        // With the user who would get the role in view, the ceiling answers the same.
        let with_target = c.may_assign(&user(&actor), &format!("r{target}"), &user(&[])).unwrap();
        prop_assert_eq!(&with_target, &d);
    }

    #[test]
    fn the_admin_key_is_decided_as_a_gate_decides_it(
        roles in roles(),
        actor in prop::collection::btree_set(0..4usize, 1..3),
        target in 0..4usize,
        authority in prop::sample::select(KEYS.to_vec()),
    ) {
        let c = compiler_with(&roles, Some(authority));
        let actor: Vec<usize> = actor.into_iter().collect();
        let holds = granted(&c, &user(&actor)).contains(&authority);
        for d in [
            c.may(&user(&actor), RoleAction::Assign, &format!("r{target}")),
            c.may(&user(&actor), RoleAction::Delete, &format!("r{target}")),
            c.may_assign(&user(&actor), &format!("r{target}"), &user(&[])).unwrap(),
        ] {
            if holds {
                prop_assert_ne!(d.reason.code(), "not_authorised");
            } else {
                prop_assert_eq!((d.reason.code(), d.rule.as_deref()), ("not_authorised", Some(authority)));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, cases: 256, ..ProptestConfig::default() })]

    /// A new role's definition, as a draft to create or to edit an existing role into: whatever
    /// `may_create` and `may_edit` allow grants a holder of the drafted role no key the actor lacks
    /// (the evaluator judges, on the policy with the draft in it), and what they refuse for
    /// `exceeds_own_access` names a key the draft would grant beyond the actor's.
    #[test]
    fn drafts_allowed_never_grant_beyond_the_actor(
        roles in roles(),
        actor in prop::collection::btree_set(0..4usize, 1..3),
        draft in roles().prop_map(|r| r[0].clone()),
        edited in 0..4usize,
    ) {
        let c = compiler(&roles);
        let actor_user = user(&actor.iter().copied().collect::<Vec<_>>());
        let held = granted(&c, &actor_user);
        let role: rolegate::policy::Role = serde_json::from_value(json!({"allow": draft.0, "deny": draft.1})).unwrap();
        // Creating: the draft as a tenant's custom role.
        let created = c.may_create(&actor_user, "drafted", &role).unwrap();
        let with_draft = Compiler::new(c.policy().clone(), [("drafted".to_owned(), role.clone())].into()).unwrap();
        let holder = User::from_json(r#"{"id": "h", "roles": ["drafted"]}"#).unwrap();
        let given = granted(&with_draft, &holder);
        let beyond: Vec<&&str> = given.iter().filter(|k| !held.contains(k)).collect();
        prop_assert_eq!(created.allow, beyond.is_empty(), "create: held {:?}, given {:?}: {:?}", held, given, created);
        if !created.allow {
            prop_assert_eq!(created.reason.code(), "exceeds_own_access");
            prop_assert!(beyond.iter().any(|k| Some(**k) == created.rule.as_deref()), "{:?} names a key beyond", created);
        }
        // Editing role `edited` into the draft: judged on the policy as the edit would leave it.
        let name = format!("r{edited}");
        let d = c.may_edit(&actor_user, &name, &role).unwrap();
        let mut policy = c.policy().clone();
        policy.roles.insert(name.clone(), role);
        let after = Compiler::new(policy, Default::default()).unwrap();
        let given = granted(&after, &user(&[edited]));
        let beyond: Vec<&&str> = given.iter().filter(|k| !held.contains(k)).collect();
        prop_assert_eq!(d.allow, beyond.is_empty(), "edit: held {:?}, given {:?}: {:?}", held, given, d);
    }
}

#[test]
fn a_scoped_grant_does_not_give_the_unscoped_key() {
    let policy = json!({"product": "p", "keys": ["doc.view"], "admin": {"assign": {"roles": ["own", "all"]}, "roles": {"roles": ["own", "all"]}}, "resources": {"doc": {"keys": "doc", "owner": ["ownerId"]}},
        "roles": {"own": {"allow": [{"key": "doc.view", "scope": ["own"]}]}, "all": {"allow": ["doc.view"]}}});
    let c = Compiler::from_json(&policy.to_string()).unwrap();
    let own = User::from_json(r#"{"id": "u", "roles": ["own"]}"#).unwrap();
    let all = User::from_json(r#"{"id": "u", "roles": ["all"]}"#).unwrap();
    let d = c.may(&own, RoleAction::Assign, "all");
    assert_eq!((d.reason.code(), d.rule.as_deref()), ("exceeds_own_access", Some("doc.view")));
    assert!(c.may(&all, RoleAction::Assign, "own").allow, "an unscoped grant covers a scoped one");
    assert!(c.may(&own, RoleAction::Edit, "own").allow);
    assert_eq!(c.may(&own, RoleAction::Edit, "all").reason.code(), "exceeds_own_access");
    assert!(c.may(&own, RoleAction::Delete, "all").allow, "deleting a role gives nobody access");
}
