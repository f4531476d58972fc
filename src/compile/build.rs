//! Building the minimised body of one (valid) user.

use std::collections::{BTreeMap, BTreeSet};

use crate::eval::{
    Body, BodyField, BodyMenu, BodyResource, BodyRoute, BodyRoutes, Scope, ScopedGrant, BODY_VERSION,
};
use crate::policy::routes::{Holder, RouteMap};
use crate::policy::{
    covers, Effective, MenuItem, Owner, OwnerBy, Policy, Resource, RoleSetting, Routes, User,
};

/// The body of `user`, who has passed validation.
pub(super) fn body(policy: &Policy, effective: &BTreeMap<String, Effective>, user: &User) -> Body {
    let mut body =
        Body { version: BODY_VERSION, inactive: !user.active, roles: user.roles.clone(), ..Body::default() };
    if !user.active {
        return body;
    }
    let mut keys = Keys::default();
    body.platforms = platforms(policy, user);
    let scoped = grants(&mut body, &mut keys, effective, user);
    body.name = user.name.clone().filter(|_| by_name(policy, &scoped));
    for (name, f) in &policy.features {
        if !f.is_on(user.features.contains(name), user.roles.iter().map(String::as_str)) {
            body.features_off
                .push((name.clone(), f.keys.iter().filter_map(|k| keys.index(Some(k))).collect()));
        }
    }
    body.teams = user.teams.clone();
    body.areas = user.areas.clone();
    body.clients = user.clients.clone();
    body.client_isolation = user.family.as_ref().is_some_and(|f| policy.client_isolation.contains(f));
    settings(&mut body, policy, user);
    body.tenant_field = policy.tenant_field.clone();
    let isolated = body.client_isolation;
    body.resources = policy
        .resources
        .iter()
        .map(|(n, r)| (n.clone(), resource(r, &scoped, isolated, &mut keys)))
        .collect();
    body.routes = policy.routes.as_ref().map(|r| BodyRoutes {
        home: home(policy, effective, user, r),
        fallback_allow: r.fallback_allow,
        on_deny: r.on_deny.clone(),
        on_platform_deny: r.on_platform_deny.clone(),
        rules: r
            .rules
            .iter()
            .map(|x| BodyRoute::new(&x.path, keys.index(x.requires.as_deref()), x.on_deny.clone()))
            .collect(),
    });
    body.menu = policy.menu.iter().map(|m| menu(m, &mut keys)).collect();
    // The catalogue keys the key table does not name, so that a gate can tell a typo from a key
    // that is simply not granted (Grants::in_catalogue); an inactive user's body needs none.
    let catalogue: BTreeSet<&String> = policy.keys.iter().filter(|k| !keys.index.contains_key(*k)).collect();
    body.catalogue = Some(catalogue.into_iter().cloned().collect());
    body.keys = keys.table;
    body
}

/// The key table of a body: each key once, referred to by index.
#[derive(Default)]
struct Keys {
    table: Vec<String>,
    index: BTreeMap<String, u32>,
}

impl Keys {
    fn index(&mut self, key: Option<&str>) -> Option<u32> {
        let key = key?;
        if let Some(i) = self.index.get(key) {
            return Some(*i);
        }
        let i = u32::try_from(self.table.len()).ok()?;
        self.table.push(key.to_owned());
        self.index.insert(key.to_owned(), i);
        Some(i)
    }
}

/// The user's home: the first home of their roles (a role's own `home`, else the policy's), in the
/// user's role order, that they may open; else the policy's.
fn home(policy: &Policy, effective: &BTreeMap<String, Effective>, user: &User, routes: &Routes) -> String {
    let own = |r: &String| policy.roles.get(r).and_then(|r| r.home.as_deref());
    let map = user.roles.iter().any(|r| own(r).is_some()).then(|| RouteMap::new(routes)).flatten();
    let Some(map) = map else { return routes.home.clone() };
    let roles: Vec<(&str, &Effective)> =
        user.roles.iter().filter_map(|r| Some((r.as_str(), effective.get(r)?))).collect();
    let holder = Holder::of(policy, &roles, Some(&user.features));
    let mut homes = user.roles.iter().map(|r| own(r).unwrap_or(&routes.home));
    homes.find(|h| map.opens(h, &holder)).unwrap_or(&routes.home).to_owned()
}

/// Whether a scoped grant of the body reaches a resource that matches owners by name.
fn by_name(policy: &Policy, scoped: &[String]) -> bool {
    policy.resources.values().any(|r| {
        let prefix = format!("{}.", r.keys);
        let named = r.owner.iter().any(|o| matches!(o, Owner::By { by: OwnerBy::Name, .. }));
        named && scoped.iter().any(|p| p.starts_with(&prefix) || covers(p, &prefix))
    })
}

/// The user's platforms (their own, or the policy's `platform_default` when their record names none,
/// within those their roles allow), or `None` without platform rules.
pub(super) fn platforms(policy: &Policy, user: &User) -> Option<Vec<String>> {
    if policy.platforms.is_empty() {
        return None;
    }
    let own = user.platforms.as_ref().unwrap_or(&policy.platform_default);
    let by_role = |p: &String| {
        user.roles
            .iter()
            .any(|r| policy.roles.get(r).is_some_and(|r| r.platforms.as_ref().is_none_or(|l| l.contains(p))))
    };
    Some(own.iter().filter(|p| by_role(p)).cloned().collect())
}

/// The union of the roles' grants and denies, without patterns a broader unscoped grant covers.
/// Returns the scoped patterns.
fn grants(
    body: &mut Body,
    keys: &mut Keys,
    effective: &BTreeMap<String, Effective>,
    user: &User,
) -> Vec<String> {
    let mut allow: BTreeMap<&str, BTreeSet<Scope>> = BTreeMap::new();
    let mut deny = BTreeSet::new();
    for e in user.roles.iter().filter_map(|r| effective.get(r)) {
        for (p, scopes) in &e.allow {
            allow.entry(p).or_default().extend(scopes);
        }
        deny.extend(e.deny.iter().map(String::as_str));
    }
    let unscoped: Vec<&str> =
        allow.iter().filter(|(_, s)| s.contains(&Scope::All)).map(|(p, _)| *p).collect();
    let mut scoped = Vec::new();
    for (p, scopes) in &allow {
        if unscoped.iter().any(|q| q != p && covers(q, p)) {
            continue;
        }
        let Some(i) = keys.index(Some(p)) else { continue };
        if scopes.contains(&Scope::All) {
            body.allow.push(i);
        } else {
            body.scoped.push(ScopedGrant::new(i, scopes.iter().copied().collect()));
            scoped.push((*p).to_owned());
        }
    }
    body.deny = deny.into_iter().filter_map(|d| keys.index(Some(d))).collect();
    scoped
}

/// Effective settings: forced by a role, not applicable to every role, else the user's value, a
/// role default or the policy default.
fn settings(body: &mut Body, policy: &Policy, user: &User) {
    for name in policy.settings.keys() {
        match setting(policy, user, name) {
            Some(Setting::Forced(v, _)) => {
                body.settings.insert(name.clone(), v.clone());
                body.forced.push(name.clone());
            }
            Some(Setting::Value(v)) => {
                body.settings.insert(name.clone(), v.clone());
            }
            Some(Setting::NotApplicable) => body.not_applicable.push(name.clone()),
            None => {}
        }
    }
}

/// What setting `name` is for `user`.
pub(super) enum Setting<'a> {
    /// A role of the user (the first of theirs that does, named second) forces this value.
    Forced(&'a serde_json::Value, &'a str),
    /// The user's value, a role default or the policy default.
    Value(&'a serde_json::Value),
    /// The setting does not apply to any of the user's roles.
    NotApplicable,
}

/// Setting `name` for `user` (`None` when the policy has no such setting): forced by a role, not
/// applicable to every role, else the user's value, a role default or the policy default.
pub(super) fn setting<'a>(policy: &'a Policy, user: &'a User, name: &str) -> Option<Setting<'a>> {
    let def = policy.settings.get(name)?;
    let rules: Vec<(&str, &RoleSetting)> = user
        .roles
        .iter()
        .filter_map(|r| policy.roles.get(r).and_then(|role| role.settings.get(name)).map(|s| (r.as_str(), s)))
        .collect();
    if let Some((by, v)) = rules.iter().find_map(|(r, s)| match s {
        RoleSetting::Force(v) => Some((*r, v)),
        _ => None,
    }) {
        return Some(Setting::Forced(v, by));
    }
    let na = !user.roles.is_empty()
        && user.roles.iter().all(|r| {
            policy.roles.get(r).and_then(|r| r.settings.get(name)) == Some(&RoleSetting::NotApplicable)
        });
    if na {
        return Some(Setting::NotApplicable);
    }
    let role_default = rules.iter().find_map(|(_, s)| match s {
        RoleSetting::Default(v) => Some(v),
        _ => None,
    });
    Some(Setting::Value(user.settings.get(name).or(role_default).unwrap_or(&def.default)))
}

/// A resource as this user needs it: the fields scopes read only when the user has scoped grants on
/// the resource's keys; the client field also for a user under client isolation.
fn resource(r: &Resource, scoped: &[String], isolated: bool, keys: &mut Keys) -> BodyResource {
    let prefix = format!("{}.", r.keys);
    let needs_scope = scoped.iter().any(|p| p.starts_with(&prefix) || covers(p, &prefix));
    let fields = r
        .fields
        .iter()
        .map(|(n, f)| {
            (n.clone(), BodyField { key: keys.index(f.key.as_deref()), setting: f.setting.clone() })
        })
        .collect();
    let view = keys.index(r.view.as_deref());
    if !needs_scope {
        let client = r.client.clone().filter(|_| isolated);
        return BodyResource {
            // Named even when no record step needs it: a query plan for an action
            // (`<keys>.<action>`, src/surfaces/query) reads it.
            prefix: Some(r.keys.clone()),
            tenant_field: r.tenant_field.clone(),
            client,
            view,
            fields,
            placeholder: r.placeholder.clone(),
            ..BodyResource::default()
        };
    }
    let (by_id, by_name): (Vec<&Owner>, Vec<&Owner>) =
        r.owner.iter().partition(|o| !matches!(o, Owner::By { by: OwnerBy::Name, .. }));
    BodyResource {
        prefix: Some(r.keys.clone()),
        tenant_field: r.tenant_field.clone(),
        owner: by_id.iter().map(|o| o.field().to_owned()).collect(),
        owner_name: by_name.iter().map(|o| o.field().to_owned()).collect(),
        team: r.team.clone(),
        area: r.area.clone(),
        client: r.client.clone(),
        shared: r.shared.as_ref().map(|s| (s.field.clone(), s.values.clone())),
        view,
        fields,
        placeholder: r.placeholder.clone(),
    }
}

fn menu(item: &MenuItem, keys: &mut Keys) -> BodyMenu {
    let mut m = BodyMenu::new(
        &item.id,
        keys.index(item.requires.as_deref()),
        item.feature.clone(),
        item.platforms.clone(),
    );
    m.children = item.children.iter().map(|c| menu(c, keys)).collect();
    m
}
