//! Query plans through the public API (docs/records.md): for the four seed products' users and
//! generated users, a plan evaluated on a record agrees with the gate's own decision on it, for
//! generated records; deny cases are always-false; the issuer's plan is the gate's. The serialisers are in tests/query_sql.rs.

#![cfg(all(feature = "issuer", not(target_arch = "wasm32")))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed unwrap is a failed test"
)]

mod common;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rolegate::compile::Compiler;
use rolegate::policy::User;
use rolegate::surfaces::query::Plan;
use rolegate::surfaces::Question;
use rolegate::Gate;
use serde_json::{json, Map, Value};

/// One product: its compiler, its policy as JSON, and its users (the seed users, and each of them
/// again with ids that are numbers' texts, so that number-valued record fields can match).
struct Product {
    name: &'static str,
    compiler: Compiler,
    policy: Value,
    users: Vec<(String, User)>,
}

fn products() -> Vec<Product> {
    common::PRODUCTS
        .iter()
        .map(|(name, policy, users)| {
            let compiler = Compiler::from_json(policy).unwrap();
            let seeds: Map<String, Value> = serde_json::from_str(users).unwrap();
            let mut out = Vec::new();
            for (label, record) in seeds {
                let user = User::from_json(&record.to_string()).unwrap();
                out.push((label.clone(), user));
                let mut numeric = record.clone();
                numeric["id"] = json!("42");
                numeric["tenant"] = json!("9");
                for (list, id) in [("teams", "-3"), ("areas", "42"), ("clients", "7")] {
                    if let Some(items) = numeric.get_mut(list).and_then(Value::as_array_mut) {
                        items.push(json!(id));
                    }
                }
                out.push((format!("{label} (numeric ids)"), User::from_json(&numeric.to_string()).unwrap()));
            }
            let policy: Value = serde_json::from_str(policy).unwrap();
            let generated = generated_users(&compiler, &policy, &out, 16);
            out.extend(generated);
            Product { name, compiler, policy, users: out }
        })
        .collect()
}

/// `count` users made up from `policy`'s roles (one to three of one family), features and platforms
/// and from the ids, tenants, teams, areas and clients of `seeds`, some inactive; only those the
/// compiler issues a snapshot for. The same users on every run.
fn generated_users(
    c: &Compiler,
    policy: &Value,
    seeds: &[(String, User)],
    count: usize,
) -> Vec<(String, User)> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |n: usize| -> usize {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        usize::try_from(state % n.max(1) as u64).unwrap()
    };
    let names = |v: &Value| -> Vec<String> {
        match v {
            Value::Object(o) => o.keys().cloned().collect(),
            Value::Array(a) => a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect(),
            _ => Vec::new(),
        }
    };
    let roles = policy["roles"].as_object().unwrap();
    let role_names: Vec<&String> = roles.keys().collect();
    let (features, platforms) = (names(&policy["features"]), names(&policy["platforms"]));
    let mut ids: Vec<String> = vec!["42".into(), "-3".into(), "7".into()];
    let mut tenants = Vec::new();
    for (_, u) in seeds {
        ids.extend(
            [u.id.clone()].into_iter().chain(u.teams.clone()).chain(u.areas.clone()).chain(u.clients.clone()),
        );
        tenants.extend(u.tenant.clone());
    }
    let some = |pool: &[String], most: usize, next: &mut dyn FnMut(usize) -> usize| -> Vec<String> {
        (0..next(most + 1)).map(|_| pool[next(pool.len())].clone()).collect()
    };
    let mut out = Vec::new();
    for attempt in 0..count * 8 {
        if out.len() == count {
            break;
        }
        let first = role_names[next(role_names.len())];
        let family = roles[first].get("family").cloned();
        let same: Vec<String> = role_names
            .iter()
            .filter(|r| roles[r.as_str()].get("family") == family.as_ref())
            .map(|r| (*r).clone())
            .collect();
        let mut held = vec![first.clone()];
        held.extend(some(&same, 2, &mut next));
        held.dedup();
        let mut record = json!({
            "id": ids[next(ids.len())],
            "roles": held,
            "tenant": tenants[next(tenants.len())],
            "teams": some(&ids, 2, &mut next),
            "areas": some(&ids, 2, &mut next),
            "clients": some(&ids, 2, &mut next),
            "features": some(&features, features.len(), &mut next),
            "platforms": some(&platforms, platforms.len(), &mut next),
            "active": next(8) != 0,
        });
        if let Some(f) = family {
            record["type"] = f;
        }
        let Ok(user) = User::from_json(&record.to_string()) else { continue };
        if c.claims(&user, common::AUD, common::NOW, common::NOW + 600.0, 1).is_ok() {
            out.push((format!("generated {attempt}: {record}"), user));
        }
    }
    assert!(out.len() >= count / 2, "only {} generated users were valid", out.len());
    out
}

/// A gate with `user`'s snapshot loaded, asked from `platform`.
fn gate_for(c: &Compiler, user: &User, platform: Option<&str>) -> Gate {
    let mut options = common::options_at(common::NOW);
    options.platform = platform.map(str::to_owned);
    let mut gate = Gate::new(options).unwrap();
    let mut claims = c.claims(user, common::AUD, common::NOW, common::NOW + 600.0, 1).unwrap();
    claims.iss = Some(common::ISS.to_owned());
    gate.load(&common::k1().sign(&claims).unwrap()).unwrap();
    gate
}

/// Every record field the policy names (tenant fields and each resource's scope fields).
fn record_fields(policy: &Value) -> Vec<String> {
    let mut out: Vec<String> = policy["tenant_field"].as_str().map(str::to_owned).into_iter().collect();
    for r in policy["resources"].as_object().unwrap().values() {
        let owners = r["owner"].as_array().into_iter().flatten();
        let owners = owners.map(|o| o.as_str().or_else(|| o["field"].as_str()).unwrap().to_owned());
        let single = ["tenant_field", "team", "area", "client"].into_iter().filter_map(|k| r[k].as_str());
        let shared = r["shared"]["field"].as_str();
        for f in owners.chain(single.chain(shared).map(str::to_owned)) {
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    out
}

/// Every text a record field could be compared with: the users' ids, names, tenants, teams, areas,
/// clients, the sharing values, and a few others.
fn texts(p: &Product) -> Vec<String> {
    let mut out: Vec<String> = ["other", "", "42", "07", "-3", "7", "9", "u1"].map(str::to_owned).to_vec();
    for (_, u) in &p.users {
        out.push(u.id.clone());
        out.extend(u.name.clone());
        out.extend(u.tenant.clone());
        out.extend(u.teams.iter().chain(&u.areas).chain(&u.clients).cloned());
    }
    for r in p.policy["resources"].as_object().unwrap().values() {
        out.extend(
            r["shared"]["values"].as_array().into_iter().flatten().map(|v| v.as_str().unwrap().to_owned()),
        );
    }
    out.sort();
    out.dedup();
    out
}

fn value(texts: Vec<String>) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        4 => proptest::sample::select(texts).prop_map(Value::from),
        1 => proptest::sample::select(vec![json!(42), json!(42.0), json!(7), json!(-3), json!(9),
            json!(7.5), json!(9_007_199_254_740_993_u64), json!(1e300), json!(0)]),
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::from),
        1 => Just(json!({"id": "42"})),
    ];
    leaf.prop_recursive(2, 8, 4, |inner| prop::collection::vec(inner, 0..4).prop_map(Value::Array))
}

/// A record: each field absent or holding a value; a dotted path as nested objects, as one member
/// named by the whole path, or both (with different values: the whole-path member wins).
fn record(fields: Vec<String>, texts: Vec<String>) -> impl Strategy<Value = Value> {
    let n = fields.len();
    prop::collection::vec((0..4u8, value(texts.clone()), value(texts)), n).prop_map(move |choices| {
        let mut rec = Map::new();
        for (field, (how, v, w)) in fields.iter().zip(choices) {
            let nested = |rec: &mut Map<String, Value>, v: Value| {
                let mut parts: Vec<&str> = field.split('.').collect();
                let last = parts.pop().unwrap();
                let mut at = rec;
                for p in parts {
                    let slot = at.entry(p.to_owned()).or_insert_with(|| json!({}));
                    if !slot.is_object() {
                        *slot = json!({});
                    }
                    at = slot.as_object_mut().unwrap();
                }
                at.insert(last.to_owned(), v);
            };
            match how {
                0 => {}
                1 => nested(&mut rec, v),
                2 => {
                    rec.insert(field.clone(), v);
                }
                _ => {
                    nested(&mut rec, w);
                    rec.insert(field.clone(), v);
                }
            }
        }
        Value::Object(rec)
    })
}

/// The actions of a resource besides `view`: the last segments of the catalogue's keys under its prefix.
fn actions(policy: &Value, resource: &Value) -> Vec<String> {
    let Some(prefix) = resource["keys"].as_str() else { return Vec::new() };
    let mut out: Vec<String> = policy["keys"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|k| k.as_str()?.strip_prefix(prefix)?.strip_prefix('.').map(str::to_owned))
        .filter(|a| !a.contains('.') && !a.contains('*'))
        .collect();
    out.push("nothing_such".to_owned());
    out
}

#[test]
fn plans_agree_with_the_gate_on_generated_records() {
    for p in products() {
        let platforms: Vec<Option<String>> = std::iter::once(None)
            .chain(
                p.policy["platforms"].as_array().into_iter().flatten().map(|v| v.as_str().map(str::to_owned)),
            )
            .collect();
        let resources = p.policy["resources"].as_object().unwrap();
        // Every user, from every platform: the gate, and its plans for every resource and action.
        let mut cases = Vec::new();
        let mut gates = Vec::new();
        for (label, user) in &p.users {
            for platform in &platforms {
                let gate = gate_for(&p.compiler, user, platform.as_deref());
                let g = gates.len();
                for (name, res) in resources {
                    let view = gate.query(name, None);
                    assert_eq!(gate.query(name, Some("view")), view);
                    cases.push((g, label.clone(), platform.clone(), name.clone(), None, view, res.clone()));
                    for action in actions(&p.policy, res) {
                        let plan = gate.query(name, Some(&action));
                        cases.push((
                            g,
                            label.clone(),
                            platform.clone(),
                            name.clone(),
                            Some(action),
                            plan,
                            res.clone(),
                        ));
                    }
                }
                if platform.is_none() {
                    for name in resources.keys() {
                        assert_eq!(p.compiler.query(user, name, None).unwrap(), gate.query(name, None));
                    }
                }
                gates.push(gate);
            }
        }
        let mut runner =
            TestRunner::new(Config { cases: 48, failure_persistence: None, ..Config::default() });
        let records = prop::collection::vec(record(record_fields(&p.policy), texts(&p)), 1..12);
        runner
            .run(&records, |records| {
                for (g, label, pl, name, action, plan, res) in &cases {
                    let gate = &gates[*g];
                    for rec in &records {
                        let expected = match action {
                            None => {
                                let kept = !gate.filter(name, std::slice::from_ref(rec)).is_empty();
                                prop_assert_eq!(kept, gate.decide(Question::See(name, rec)).allow);
                                kept
                            }
                            Some(a) => {
                                let key = format!("{}.{a}", res["keys"].as_str().unwrap());
                                gate.can_record(&key, rec)
                            }
                        };
                        prop_assert_eq!(
                            plan.matches(rec),
                            expected,
                            "{}: {} ({:?}) {} {:?} on {}: plan {}",
                            p.name,
                            label,
                            pl,
                            name,
                            action,
                            rec,
                            plan.to_json()
                        );
                    }
                }
                Ok(())
            })
            .unwrap();
    }
}

fn product(name: &str) -> Product {
    products().into_iter().find(|p| p.name == name).unwrap()
}

fn user(p: &Product, label: &str) -> User {
    p.users.iter().find(|(l, _)| l == label).unwrap().1.clone()
}

#[test]
fn a_deny_is_always_false() {
    let n = product("neptunecrm");
    // Inactive user.
    let gate = gate_for(&n.compiler, &user(&n, "inactive_admin"), None);
    assert_eq!(gate.query("customer", None), Plan::False);
    assert_eq!(n.compiler.query(&user(&n, "inactive_admin"), "customer", None).unwrap(), Plan::False);
    // Nothing loaded.
    assert_eq!(common::gate().query("customer", None), Plan::False);
    // Unknown resource, unknown action, a key with no grant.
    let admin = gate_for(&n.compiler, &user(&n, "admin"), None);
    assert_eq!(admin.query("customr", None), Plan::False);
    assert_eq!(admin.query("customer", Some("edti")), Plan::False);
    let contractor = gate_for(&n.compiler, &user(&n, "contractor"), None);
    assert_eq!(contractor.query("proposal", None), Plan::False);
    // Wrong platform: Commusoft's engineer works on mobile only.
    let c = product("commusoft");
    assert_eq!(gate_for(&c.compiler, &user(&c, "engineer"), Some("web")).query("job", None), Plan::False);
    assert_ne!(gate_for(&c.compiler, &user(&c, "engineer"), Some("mobile")).query("job", None), Plan::False);
    // Feature off: a Senior engineer of a company without Sales+ sees no proposal.
    assert_eq!(gate_for(&c.compiler, &user(&c, "no_sales_plus"), None).query("proposal", None), Plan::False);
    // Expired.
    let mut late = common::options_at(common::NOW + 10_000.0);
    late.offline_grace_sec = 0.0;
    let mut g = Gate::new(late).unwrap();
    let mut claims =
        n.compiler.claims(&user(&n, "admin"), common::AUD, common::NOW, common::NOW + 600.0, 1).unwrap();
    claims.iss = Some(common::ISS.to_owned());
    assert!(g.load(&common::k1().sign(&claims).unwrap()).is_err());
    assert_eq!(g.query("customer", None), Plan::False);
}

#[test]
fn the_seed_products_plans_read_as_their_rules() {
    let n = product("neptunecrm");
    // NeptuneCRM: a Consultant sees the customers whose consultant.id is theirs (or whose
    // contractorIds hold them), in their organisation.
    let cons = gate_for(&n.compiler, &user(&n, "consultant"), None);
    assert_eq!(
        cons.query("customer", None),
        Plan::and(vec![
            Plan::eq("organisationId", "org-1"),
            Plan::or(vec![
                Plan::holds("consultant.id", &["u-cons"]),
                Plan::holds("contractorIds", &["u-cons"])
            ]),
        ])
    );
    // Templates: their own or shared with everyone.
    assert_eq!(
        cons.query("template", None),
        Plan::and(vec![
            Plan::eq("organisationId", "org-1"),
            Plan::or(vec![Plan::holds("createdById", &["u-cons"]), Plan::holds("sharedWith", &["everyone"])]),
        ])
    );
    // An admin sees every customer of the organisation.
    let admin = gate_for(&n.compiler, &user(&n, "admin"), None);
    assert_eq!(admin.query("customer", None), Plan::eq("organisationId", "org-1"));
    // ReconPro: a team work manager, their teams' work orders; a client user, isolated by client.
    let r = product("reconpro");
    let team = gate_for(&r.compiler, &user(&r, "team_work_manager"), None);
    assert_eq!(
        team.query("work_order", None),
        Plan::and(vec![Plan::eq("accountId", "acc-1"), Plan::holds("teamId", &["t1"])])
    );
    let client = gate_for(&r.compiler, &user(&r, "client"), None);
    assert_eq!(
        client.query("client_data", None),
        Plan::and(vec![Plan::eq("accountId", "acc-1"), Plan::eq("clientId", "cl-1")])
    );
    let sales = gate_for(&r.compiler, &user(&r, "sales_person_monitor_manager"), None);
    let orders = sales.query("order", None);
    assert!(orders.fields().contains(&"clientId"), "{}", orders.to_json());
    assert!(!orders.matches(&json!({"accountId": "acc-1", "clientId": "cl-2", "salesPersonIds": ["c6"]})));
    assert!(orders.matches(&json!({"accountId": "acc-1", "clientId": "cl-1", "salesPersonIds": ["c6"]})));
}

#[test]
fn the_json_form_round_trips_and_refuses_other_shapes() {
    let n = product("neptunecrm");
    let plan = gate_for(&n.compiler, &user(&n, "consultant"), None).query("customer", None);
    let text = plan.to_json().to_string();
    assert_eq!(Plan::from_json(&text).unwrap(), plan);
    for bad in [
        "",
        "[]",
        r#"{"v": 1}"#,
        r#"{"v": 1, "plan": true, "x": 1}"#,
        r#"{"v": "1", "plan": true}"#,
        r#"{"v": 1, "plan": {"eq": {"field": "a"}}}"#,
        r#"{"v": 1, "plan": {"eq": {"field": "a", "value": 7}}}"#,
        r#"{"v": 1, "plan": {"not": true}}"#,
        r#"{"v": 1, "plan": {"and": true}}"#,
        r#"{"v": 1, "plan": {"and": [], "or": []}}"#,
        r#"{"v": 1, "plan": {"in": {"field": "a", "values": "b"}}}"#,
        r#"{"v": 1, "plan": true, "plan": false}"#,
    ] {
        assert_eq!(Plan::from_json(bad).unwrap_err().code(), "bad_argument", "{bad}");
    }
}
