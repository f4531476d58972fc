//! The strict JSON reader (`rolegate::json`) against `serde_json`: the same values for what both read,
//! and nothing read that `serde_json` refuses. Also bodies: whatever the compiler writes, the
//! hand-written body reader reads back unchanged.

#![cfg(all(feature = "issuer", feature = "internals", not(target_arch = "wasm32")))]
#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "test generators and assertions")]

use proptest::prelude::*;
use rolegate::eval::{Body, BodyField, BodyMenu, BodyResource, BodyRoute, BodyRoutes, Scope, ScopedGrant};
use serde_json::Value;

#[path = "common/json_eq.rs"]
mod json_eq;
use json_eq::same;

/// Any JSON value, floats included, nested a few levels.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        (-1e6f64..1e6).prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        "[a-z\"\\\\/\u{0}-\u{1f}é😀]{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{0,3}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn reads_what_serde_json_writes(v in value(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&v) } else { serde_json::to_string(&v) }.unwrap();
        let read = rolegate::json::parse(text.as_bytes());
        prop_assert!(read.as_ref().is_ok_and(|r| same(r, &v)), "{text} → {read:?}");
    }

    /// Text changed a byte at a time: whatever rolegate reads, serde_json reads the same way.
    #[test]
    fn accepts_nothing_serde_json_refuses(v in value(), at in any::<prop::sample::Index>(), byte in any::<u8>(), cut in any::<bool>()) {
        let mut text = serde_json::to_vec(&v).unwrap();
        let i = at.index(text.len());
        if cut { text.truncate(i) } else { text[i] = byte }
        if let Ok(ours) = rolegate::json::parse(&text) {
            let theirs: Result<Value, _> = serde_json::from_slice(&text);
            prop_assert!(theirs.as_ref().is_ok_and(|t| same(t, &ours)), "{:?}: ours {ours:?}, serde_json {theirs:?}", String::from_utf8_lossy(&text));
        }
    }

    /// Arbitrary bytes never panic, and are read only when serde_json reads them.
    #[test]
    fn arbitrary_bytes(text in prop::collection::vec(prop_oneof![any::<u8>(), prop::sample::select(b"{}[]\",:0123456789.eE-+ tfnrulase\\u".to_vec())], 0..40)) {
        if let Ok(ours) = rolegate::json::parse(&text) {
            let theirs: Result<Value, _> = serde_json::from_slice(&text);
            prop_assert!(theirs.as_ref().is_ok_and(|t| same(t, &ours)));
        }
    }
}

fn strings() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec("[a-z.*/{}]{1,6}", 0..3)
}

fn opt_string() -> impl Strategy<Value = Option<String>> {
    prop::option::of("[a-z]{1,5}")
}

fn menu() -> impl Strategy<Value = BodyMenu> {
    let leaf = ("[a-z]{1,4}", prop::option::of(0u32..9), opt_string(), prop::option::of(strings()))
        .prop_map(|(id, key, feature, platforms)| BodyMenu::new(&id, key, feature, platforms));
    leaf.prop_recursive(2, 8, 3, |inner| {
        (inner.clone(), prop::collection::vec(inner, 0..3)).prop_map(|(mut m, children)| {
            m.children = children;
            m
        })
    })
}

fn resource() -> impl Strategy<Value = BodyResource> {
    let field = (prop::option::of(0u32..9), opt_string()).prop_map(|(key, setting)| {
        let mut f = BodyField::default();
        f.key = key;
        f.setting = setting;
        f
    });
    (
        (opt_string(), opt_string(), strings(), strings(), opt_string(), opt_string(), opt_string()),
        (prop::option::of(("[a-z]{1,4}", strings())), prop::option::of(0u32..9)),
        (prop::collection::btree_map("[a-z]{1,4}", field, 0..3), prop::option::of(value())),
    )
        .prop_map(
            |(
                (prefix, tenant_field, owner, owner_name, team, area, client),
                (shared, view),
                (fields, ph),
            )| {
                let mut r = BodyResource::default();
                (r.prefix, r.tenant_field, r.owner, r.owner_name, r.team, r.area, r.client) =
                    (prefix, tenant_field, owner, owner_name, team, area, client);
                (r.shared, r.view, r.fields) = (shared, view, fields.into_iter().collect());
                // `null` is no placeholder (hidden fields are removed), so it does not round-trip as Some.
                r.placeholder = ph.filter(|p| !p.is_null());
                r
            },
        )
}

fn body() -> impl Strategy<Value = Body> {
    let scope = prop::sample::select(vec![
        Scope::Own,
        Scope::Team,
        Scope::Area,
        Scope::Client,
        Scope::Tenant,
        Scope::Shared,
    ]);
    let routes = (
        "/[a-z]{0,3}",
        any::<bool>(),
        "[a-z/]{1,5}",
        "[a-z/]{1,5}",
        prop::collection::vec(("/[a-z{}]{0,5}", prop::option::of(0u32..9), opt_string()), 0..4),
    )
        .prop_map(|(home, fb, d, pd, rules)| {
            let r: Vec<BodyRoute> = rules.into_iter().map(|(p, k, t)| BodyRoute::new(&p, k, t)).collect();
            serde_json::json!({"h": home, "fb": fb, "d": d, "pd": pd, "r": r})
        });
    (
        (opt_string(), opt_string(), opt_string(), any::<bool>(), strings(), prop::option::of(strings())),
        (
            prop::collection::vec(0u32..9, 0..4),
            prop::collection::vec((0u32..9, prop::collection::vec(scope, 0..3)), 0..3),
            prop::collection::vec(0u32..9, 0..3),
        ),
        (
            prop::collection::btree_map("[a-z]{1,4}", prop::collection::vec(0u32..9, 0..3), 0..3),
            strings(),
            strings(),
            strings(),
        ),
        (
            prop::collection::btree_map("[a-z]{1,4}", value(), 0..3),
            strings(),
            strings(),
            strings(),
            opt_string(),
        ),
        (
            prop::collection::btree_map("[a-z]{1,4}", resource(), 0..3),
            prop::option::of(routes),
            prop::collection::vec(menu(), 0..3),
        ),
    )
        .prop_map(|(a, b, c, d, e)| {
            let mut body = Body::from_keys(&[], &[]);
            (body.user, body.name, body.tenant, body.inactive, body.roles, body.platforms) = a;
            body.allow = b.0;
            body.scoped = b.1.into_iter().map(|(k, s)| ScopedGrant::new(k, s)).collect();
            body.deny = b.2;
            (body.features_off, body.teams, body.areas, body.clients) =
                (c.0.into_iter().collect(), c.1, c.2, c.3);
            (body.settings, body.forced, body.not_applicable, body.keys, body.tenant_field) = d;
            (body.resources, body.menu) = (e.0.into_iter().collect(), e.2);
            body.routes = e.1.map(|r| {
                let text = serde_json::to_string(&serde_json::json!({"v": 1, "rt": r})).unwrap();
                Body::from_value(&serde_json::from_str(&text).unwrap()).unwrap().routes.unwrap()
            });
            body
        })
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn bodies_round_trip(body in body()) {
        let value = body.to_value();
        prop_assert_eq!(Body::from_value(&value), Some(body));
    }

    /// An unknown member anywhere in the body's objects makes it unreadable.
    #[test]
    fn unknown_members_refused(body in body(), name in "[A-Z]{1,3}") {
        let mut value = body.to_value();
        value.as_object_mut().unwrap().insert(name, Value::Null);
        prop_assert_eq!(Body::from_value(&value), None);
    }
}

#[test]
fn routes_defaults_and_wrong_types() {
    let read = |rt: Value| Body::from_value(&serde_json::json!({"v": 1, "rt": rt})).map(|b| b.routes);
    let defaults = read(serde_json::json!({})).flatten().unwrap();
    assert_eq!(
        (defaults.home.as_str(), defaults.on_deny.as_str(), defaults.on_platform_deny.as_str()),
        ("/", "home", "logout")
    );
    assert!(!defaults.fallback_allow && defaults.rules.is_empty());
    assert_eq!(read(Value::Null), Some(None::<BodyRoutes>));
    for bad in [
        serde_json::json!({"h": null}),
        serde_json::json!({"fb": 1}),
        serde_json::json!({"r": [[1]]}),
        serde_json::json!({"x": 1}),
        serde_json::json!([]),
    ] {
        assert_eq!(read(bad.clone()), None, "{bad}");
    }
}
