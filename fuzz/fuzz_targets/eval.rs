//! The evaluator and the surfaces over fixed, loaded snapshots of the seed products (every sample
//! user on every platform, plus two synthetic users with numeric-looking ids and tenants), asked
//! arbitrary questions: keys, records, routes, menus, fields, masks, filters, explanations.
//!
//! Keys, field names and values are drawn mostly from what the policies name (so the scoped and
//! tenant paths are reached), with arbitrary edits and raw strings mixed in.
//!
//! Invariants: `can == check.allow == can_id == can_many`, `explain` agrees with `check`; an
//! allowed record implies the key without a record is allowed; a record whose tenant field is not
//! exactly the user's tenant string is never allowed, seen, kept by `filter` or unmasked; an
//! inactive user is denied everything; `route().allow == decision.allow`, a redirect iff denied;
//! `menu_filter` keeps a subset and is idempotent on `menu()`; a menu item is visible iff it is in
//! `menu()`; fields of an invisible record are never visible; `mask` only removes or replaces.
#![no_main]

#[path = "shared/mod.rs"]
mod shared;

use std::cell::RefCell;

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use rolegate::compile::Compiler;
use rolegate::policy::{Owner, User};
use rolegate::surfaces::{MenuNode, Question};
use rolegate::Gate;
use serde_json::{json, Map, Value};

const PRODUCTS: [(&str, &str); 4] = [
    (include_str!("../../examples/policies/commusoft.json"), include_str!("../../examples/policies/commusoft.users.json")),
    (include_str!("../../examples/policies/neptunecrm.json"), include_str!("../../examples/policies/neptunecrm.users.json")),
    (include_str!("../../examples/policies/property.json"), include_str!("../../examples/policies/property.users.json")),
    (include_str!("../../examples/policies/reconpro.json"), include_str!("../../examples/policies/reconpro.users.json")),
];

struct Subject {
    user: User,
    gates: Vec<Gate>,
}

struct Product {
    subjects: Vec<Subject>,
    lists: Lists,
}

/// What the policy names, to draw strings from.
struct Lists {
    tenant_field: String,
    keys: Vec<String>,
    fields: Vec<String>,
    facts: Vec<String>,
    paths: Vec<String>,
    resources: Vec<String>,
    menu: Vec<String>,
}

fn product(policy: &str, users: &str) -> Product {
    let c = Compiler::from_json(policy).expect("seed policy");
    let p = c.policy();
    let users: Map<String, Value> = serde_json::from_str(users).expect("seed users");
    let mut list: Vec<User> = users.values().filter_map(|u| User::from_json(&u.to_string()).ok()).collect();
    // Synthetic users whose id and tenant look like numbers: ids must compare as text.
    if let Some(first) = list.first().cloned() {
        let mut v = serde_json::to_value(&first).expect("user");
        v["id"] = json!("01");
        v["tenant"] = json!("9007199254740993");
        list.push(User::from_json(&v.to_string()).expect("synthetic user"));
        v["id"] = json!("1e0");
        v["tenant"] = json!("1");
        list.push(User::from_json(&v.to_string()).expect("synthetic user"));
    }
    let mut platforms: Vec<Option<&str>> = vec![None];
    platforms.extend(p.platforms.iter().map(|s| Some(s.as_str())));
    let subjects: Vec<Subject> = list
        .into_iter()
        .filter_map(|user| {
            let gates: Vec<Gate> =
                platforms.iter().filter_map(|pf| shared::load(&c, &user, *pf).ok()).collect();
            (!gates.is_empty()).then_some(Subject { user, gates })
        })
        .collect();
    let mut keys: Vec<String> = p.keys.clone();
    keys.extend(p.roles.values().flat_map(|r| r.allow.iter().map(|g| g.key().to_owned())));
    keys.extend(p.roles.values().flat_map(|r| r.deny.iter().cloned()));
    keys.push("*".into());
    let tenant_field = p.tenant_field.clone().expect("the seed policies name a tenant field");
    let mut fields = vec![tenant_field.clone(), "id".into()];
    let mut facts = vec!["evil-tenant".into(), "".into(), "NaN".into(), "1".into(), "01".into(), "1.0".into()];
    for r in p.resources.values() {
        fields.extend(r.owner.iter().map(|o| o.field().to_owned()));
        fields.extend(r.owner.iter().filter_map(|o| match o {
            Owner::By { field, .. } => field.split('.').next().map(str::to_owned),
            Owner::Id(f) => f.split('.').next().map(str::to_owned),
        }));
        fields.extend([&r.team, &r.area, &r.client, &r.tenant_field].into_iter().flatten().cloned());
        if let Some(s) = &r.shared {
            fields.push(s.field.clone());
            facts.extend(s.values.iter().cloned());
        }
        fields.extend(r.fields.keys().cloned());
    }
    for s in &subjects {
        let u = &s.user;
        facts.push(u.id.clone());
        facts.extend(u.name.iter().cloned());
        facts.extend(u.tenant.iter().cloned());
        facts.extend(u.teams.iter().chain(&u.areas).chain(&u.clients).cloned());
    }
    let mut paths: Vec<String> = vec!["/".into(), "".into(), "//".into(), "/../admin".into()];
    if let Some(r) = &p.routes {
        for rule in &r.rules {
            paths.push(rule.path.clone());
            paths.push(rule.path.replace("{*rest}", "a/b").replace("{id}", "42").replace('{', "").replace('}', ""));
        }
    }
    let mut menu = Vec::new();
    fn walk(items: &[rolegate::policy::MenuItem], out: &mut Vec<String>) {
        for i in items {
            out.push(i.id.clone());
            walk(&i.children, out);
        }
    }
    walk(&p.menu, &mut menu);
    let lists = Lists {
        tenant_field,
        keys,
        fields,
        facts,
        paths,
        resources: p.resources.keys().cloned().chain(["nope".to_owned()]).collect(),
        menu,
    };
    Product { subjects, lists }
}

thread_local! {
    static PRODUCTS_LOADED: RefCell<Vec<Product>> =
        RefCell::new(PRODUCTS.iter().map(|(p, u)| product(p, u)).collect());
}

/// A string: one the policy names (by index), one with an edit, or raw.
#[derive(Arbitrary, Debug)]
enum Text {
    Known(u16),
    Edited(u16, Edit),
    Raw(String),
}

#[derive(Arbitrary, Debug)]
enum Edit {
    Append(String),
    Prepend(String),
    Truncate(u8),
    Upper,
    Star,
    Dot,
}

fn text(t: &Text, list: &[String]) -> String {
    let pick = |i: &u16| list.get(usize::from(*i) % list.len().max(1)).cloned().unwrap_or_default();
    match t {
        Text::Known(i) => pick(i),
        Text::Edited(i, e) => {
            let mut s = pick(i);
            match e {
                Edit::Append(x) => s.push_str(x),
                Edit::Prepend(x) => s.insert_str(0, x),
                Edit::Truncate(n) => {
                    let keep = s.char_indices().nth(usize::from(*n)).map_or(s.len(), |(i, _)| i);
                    s.truncate(keep);
                }
                Edit::Upper => s = s.to_uppercase(),
                Edit::Star => s.push_str(".*"),
                Edit::Dot => s.push('.'),
            }
            s
        }
        Text::Raw(s) => s.clone(),
    }
}

#[derive(Arbitrary, Debug)]
enum Val {
    Null,
    Bool(bool),
    Num(f64),
    Int(i64),
    Fact(Text),
    List(Vec<Val>),
    Obj(Vec<(Text, Val)>),
}

fn val(v: &Val, pr: &Lists, depth: u8) -> Value {
    if depth > 6 {
        return Value::Null;
    }
    match v {
        Val::Null => Value::Null,
        Val::Bool(b) => json!(b),
        Val::Num(n) => serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number),
        Val::Int(i) => json!(i),
        Val::Fact(t) => Value::String(text(t, &pr.facts)),
        Val::List(items) => Value::Array(items.iter().take(8).map(|i| val(i, pr, depth + 1)).collect()),
        Val::Obj(members) => Value::Object(
            members.iter().take(8).map(|(k, v)| (text(k, &pr.fields), val(v, pr, depth + 1))).collect(),
        ),
    }
}

/// A record: fields mostly named by the policy; the tenant field the user's, another's, or absent.
#[derive(Arbitrary, Debug)]
struct Rec {
    tenant: Tenant,
    fields: Vec<(Text, Val)>,
}

#[derive(Arbitrary, Debug)]
enum Tenant {
    Own,
    Other(Val),
    Missing,
}

fn record(r: &Rec, pr: &Lists, user: &User) -> Value {
    let mut m = Map::new();
    for (k, v) in r.fields.iter().take(12) {
        m.insert(text(k, &pr.fields), val(v, pr, 0));
    }
    match &r.tenant {
        Tenant::Own => {
            m.insert(pr.tenant_field.clone(), json!(user.tenant.clone()));
        }
        Tenant::Other(v) => {
            m.insert(pr.tenant_field.clone(), val(v, pr, 0));
        }
        Tenant::Missing => {
            m.remove(&pr.tenant_field);
        }
    }
    Value::Object(m)
}

/// Whether the record's tenant field is exactly the user's tenant, as a string.
fn own_tenant(rec: &Value, pr: &Lists, user: &User) -> bool {
    match (rec.get(&pr.tenant_field), &user.tenant) {
        (Some(Value::String(s)), Some(t)) => s == t,
        _ => false,
    }
}

#[derive(Arbitrary, Debug)]
struct Tree {
    id: Text,
    children: Vec<Tree>,
}

fn tree(t: &Tree, pr: &Lists, depth: u8) -> MenuNode {
    let children =
        if depth > 4 { vec![] } else { t.children.iter().take(6).map(|c| tree(c, pr, depth + 1)).collect() };
    MenuNode { id: text(&t.id, &pr.menu), children }
}

#[derive(Arbitrary, Debug)]
enum Op {
    Key(Text),
    Record(Text, Rec),
    Route(Text),
    Menu(Text),
    MenuFilter(Vec<Tree>),
    Field(Text, Text, Option<Rec>),
    Fields(Text, Option<Rec>),
    Mask(Text, Rec),
    Filter(Text, Vec<Rec>),
    See(Text, Rec),
    Setting(Text),
}

#[derive(Arbitrary, Debug)]
struct Input {
    product: u8,
    subject: u8,
    gate: u8,
    ops: Vec<Op>,
}

fn run(product: &mut Product, input: &Input) {
    let pr = &product.lists;
    let n = product.subjects.len();
    let Some(s) = product.subjects.get_mut(usize::from(input.subject) % n.max(1)) else { return };
    let g = usize::from(input.gate) % s.gates.len();
    let user = s.user.clone();
    let active = user.active;
    for op in input.ops.iter().take(16) {
        let gate = &mut s.gates[g];
        match op {
            Op::Key(k) => {
                let k = text(k, &pr.keys);
                let d = gate.check(&k);
                assert_eq!(gate.can(&k), d.allow, "can/check disagree on `{k}`");
                assert_eq!(gate.can_many(&[&k]), [d.allow]);
                assert_eq!(gate.decide(Question::Key(&k)).reason.code(), d.reason.code());
                let id = gate.id(&k);
                if id != u32::MAX {
                    assert_eq!(gate.can_id(id), d.allow, "can_id/check disagree on `{k}`");
                }
                assert!(active || !d.allow);
            }
            Op::Record(k, r) => {
                let k = text(k, &pr.keys);
                let rec = record(r, pr, &user);
                let d = gate.check_record(&k, &rec);
                assert_eq!(gate.can_record(&k, &rec), d.allow);
                assert_eq!(gate.decide(Question::Record(&k, &rec)).reason.code(), d.reason.code());
                if d.allow {
                    assert!(gate.can(&k), "`{k}` allowed on a record but not without one");
                    assert!(own_tenant(&rec, pr, &user), "`{k}` allowed on another tenant's record {rec}");
                }
                assert!(active || !d.allow);
            }
            Op::Route(p) => {
                let p = text(p, &pr.paths);
                let r = gate.route(&p);
                assert_eq!(r.allow, r.decision.allow);
                assert_eq!(r.allow, r.redirect.is_none());
                assert_eq!(gate.decide(Question::Route(&p)).reason.code(), r.decision.reason.code());
                assert!(active || !r.allow);
            }
            Op::Menu(id) => {
                let id = text(id, &pr.menu);
                let d = gate.decide(Question::Menu(&id));
                assert_eq!(d.allow, shared::contains(&gate.menu(), &id), "menu item `{id}`: {d:?}");
                assert!(active || !d.allow);
            }
            Op::MenuFilter(trees) => {
                let input: Vec<MenuNode> = trees.iter().take(6).map(|t| tree(t, pr, 0)).collect();
                let out = gate.menu_filter(&input);
                let (mut a, mut b) = (Vec::new(), Vec::new());
                shared::ids(&out, &mut a);
                shared::ids(&input, &mut b);
                assert!(a.iter().all(|i| b.contains(i)), "menu_filter added an item");
                let menu = gate.menu();
                assert_eq!(gate.menu_filter(&menu), menu, "menu_filter is not idempotent on menu()");
                assert!(active || out.is_empty());
            }
            Op::Field(res, f, r) => {
                let res = text(res, &pr.resources);
                let f = text(f, &pr.fields);
                let rec = r.as_ref().map(|r| record(r, pr, &user));
                let recd = rec.as_ref().map(|r| r as &dyn rolegate::eval::Record);
                let d = gate.decide(Question::Field { resource: &res, field: &f, record: recd });
                if let (true, Some(rec)) = (d.allow, &rec) {
                    assert!(gate.decide(Question::See(&res, rec)).allow);
                    assert!(own_tenant(rec, pr, &user), "field `{f}` of another tenant's `{res}` visible");
                }
                assert!(active || !d.allow);
            }
            Op::Fields(res, r) => {
                let res = text(res, &pr.resources);
                let rec = r.as_ref().map(|r| record(r, pr, &user));
                let recd = rec.as_ref().map(|r| r as &dyn rolegate::eval::Record);
                for fd in gate.fields(&res, recd) {
                    if let (true, Some(rec)) = (fd.decision.allow, &rec) {
                        assert!(own_tenant(rec, pr, &user), "a field of another tenant's record is visible");
                    }
                    assert!(active || !fd.decision.allow);
                }
            }
            Op::Mask(res, r) => {
                let res = text(res, &pr.resources);
                let rec = record(r, pr, &user);
                let m = gate.mask(&res, &rec);
                let out = m.value.as_object().expect("mask returns an object");
                let orig = rec.as_object().expect("records are objects");
                assert!(out.keys().all(|k| orig.contains_key(k)), "mask added a field");
                assert!(m.masked.iter().all(|f| orig.contains_key(&f.field) && !f.decision.allow));
                if !gate.decide(Question::See(&res, &rec)).allow {
                    assert!(out.is_empty(), "an invisible record was not masked whole");
                }
                if !own_tenant(&rec, pr, &user) {
                    assert!(out.is_empty(), "another tenant's record was not masked whole");
                }
            }
            Op::Filter(res, rs) => {
                let res = text(res, &pr.resources);
                let recs: Vec<Value> = rs.iter().take(8).map(|r| record(r, pr, &user)).collect();
                let kept = gate.filter(&res, &recs);
                assert!(kept.len() <= recs.len());
                for k in kept {
                    assert!(gate.decide(Question::See(&res, k)).allow);
                    assert!(own_tenant(k, pr, &user), "filter kept another tenant's record");
                }
                assert!(active || gate.filter(&res, &recs).is_empty());
            }
            Op::See(res, r) => {
                let res = text(res, &pr.resources);
                let rec = record(r, pr, &user);
                let d = gate.decide(Question::See(&res, &rec));
                assert_eq!(gate.filter(&res, std::slice::from_ref(&rec)).len() == 1, d.allow);
                if d.allow {
                    assert!(own_tenant(&rec, pr, &user), "another tenant's `{res}` record is visible");
                }
            }
            Op::Setting(name) => {
                let name = text(name, &pr.fields);
                let _ = gate.setting(&name);
            }
        }
    }
}

fuzz_target!(|input: Input| {
    PRODUCTS_LOADED.with(|p| {
        let mut products = p.borrow_mut();
        let i = usize::from(input.product) % products.len();
        run(&mut products[i], &input);
    });
});
