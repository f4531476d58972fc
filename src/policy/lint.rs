//! Lint: the meaning checks of a policy, each problem located by a JSON pointer.
//!
//! ```
//! use rolegate::policy::{lint::lint, Policy};
//! let p = Policy::from_json(r#"{"product": "x", "keys": ["page.jobs.view"],
//!     "roles": {"engineer": {"allow": ["page.job.view"]}}}"#).unwrap();
//! let problems = lint(&p);
//! assert_eq!(problems[0].pointer, "/roles/engineer/allow/0");
//! assert_eq!(problems[0].message, "unknown key `page.job.view`; did you mean `page.jobs.view`?");
//! ```

use std::collections::{BTreeMap, BTreeSet};

use super::routes::{Holder, RouteMap};
use super::suggest::unknown;
use super::{covers, effective, parents, Authority, Grant, MenuItem, Policy, Routes, Scope};
use crate::error::{Error, Issue, Problem};

/// Every problem found in `policy`, in document order.
///
/// ```
/// let p = rolegate::policy::Policy::from_json(r#"{"product": "x", "keys": ["a"],
///     "roles": {"a1": {"inherits": ["a2"]}, "a2": {"inherits": ["a1"]}}}"#).unwrap();
/// let problems = rolegate::policy::lint::lint(&p);
/// assert_eq!(problems[0].issue.code(), "inheritance_cycle");
/// assert_eq!(problems[0].pointer, "/roles/a1/inherits");
/// ```
pub fn lint(policy: &Policy) -> Vec<Problem> {
    let mut l = Lint { p: policy, out: Vec::new(), cyclic: false };
    l.roles();
    l.ladders_and_exclusive();
    l.cycles();
    l.settings_and_features();
    l.admin();
    l.resources();
    l.routes();
    l.redirects();
    l.menu();
    l.out
}

/// `Ok` when lint finds nothing, else the first problem as an error.
///
/// ```
/// let p = rolegate::policy::Policy::from_json(r#"{"product": "x", "keys": [], "roles": {}}"#).unwrap();
/// assert!(rolegate::policy::lint::check(&p).is_ok());
/// ```
pub fn check(policy: &Policy) -> Result<(), Error> {
    match lint(policy).into_iter().next() {
        Some(p) => Err(Error::Policy(p)),
        None => Ok(()),
    }
}

/// Escapes a name for a JSON pointer (RFC 6901).
fn esc(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

struct Lint<'p> {
    p: &'p Policy,
    out: Vec<Problem>,
    /// Whether roles inherit in a loop (see [`Lint::cycles`]).
    cyclic: bool,
}

impl<'p> Lint<'p> {
    fn push(&mut self, issue: Issue, pointer: String, message: String) {
        self.out.push(Problem::new(issue, &pointer, message));
    }

    /// A key or pattern must cover at least one key of the catalogue.
    fn key(&mut self, pattern: &str, at: String) {
        let known = self.p.keys.iter().any(|k| covers(pattern, k));
        if !known {
            let msg = unknown("key", pattern, self.p.keys.iter().map(String::as_str));
            self.push(Issue::UnknownKey, at, msg);
        }
    }

    fn role(&mut self, id: &str, at: String) -> bool {
        if self.p.roles.contains_key(id) {
            return true;
        }
        let msg = unknown("role", id, self.p.roles.keys().map(String::as_str));
        self.push(Issue::UnknownRole, at, msg);
        false
    }

    fn name(&mut self, what: &str, name: &str, known: &[&str], at: String) {
        if !known.contains(&name) {
            self.push(Issue::UnknownName, at, unknown(what, name, known.iter().copied()));
        }
    }

    fn platforms(&mut self, list: &[String], at: &str) {
        let known: Vec<&str> = self.p.platforms.iter().map(String::as_str).collect();
        for (i, pf) in list.iter().enumerate() {
            self.name("platform", pf, &known, format!("{at}/{i}"));
        }
    }

    fn roles(&mut self) {
        if let Some(l) = self.p.levels.filter(|l| l.min > l.max) {
            self.push(
                Issue::LevelOutOfRange,
                "/levels".into(),
                format!("`min` {} is above `max` {}", l.min, l.max),
            );
        }
        let families: Vec<&str> = self.p.families.iter().map(String::as_str).collect();
        let settings: Vec<&str> = self.p.settings.keys().map(String::as_str).collect();
        let features: Vec<&str> = self.p.features.keys().map(String::as_str).collect();
        for (id, role) in &self.p.roles {
            let at = format!("/roles/{}", esc(id));
            match (&role.family, families.is_empty()) {
                (Some(f), false) => self.name("family", f, &families, format!("{at}/family")),
                (None, false) => self.push(
                    Issue::WrongFamily,
                    format!("{at}/family"),
                    format!("role `{id}` needs a family"),
                ),
                (Some(f), true) => self.push(
                    Issue::UnknownName,
                    format!("{at}/family"),
                    format!("unknown family `{f}`; the policy has no families"),
                ),
                (None, true) => {}
            }
            for (i, g) in role.allow.iter().enumerate() {
                let ptr = match g {
                    Grant::Key(_) => format!("{at}/allow/{i}"),
                    Grant::Scoped { .. } => format!("{at}/allow/{i}/key"),
                };
                self.key(g.key(), ptr);
                if let Grant::Scoped { key, scope } = g {
                    self.scopes(key, scope, format!("{at}/allow/{i}/scope"));
                }
            }
            for (i, d) in role.deny.iter().enumerate() {
                self.key(d, format!("{at}/deny/{i}"));
            }
            for (i, parent) in role.inherits.iter().enumerate() {
                let ptr = format!("{at}/inherits/{i}");
                if self.role(parent, ptr.clone()) {
                    self.same_family(id, parent, ptr);
                }
            }
            if !role.inherits_permissions && parents(self.p, id).is_empty() {
                let msg = format!(
                    "role `{id}` sets `inherits_permissions` to false but inherits from no role (no `inherits`, no ladder rung below it)"
                );
                self.push(Issue::BadPolicy, format!("{at}/inherits_permissions"), msg);
            }
            for (name, rule) in &role.settings {
                let sat = format!("{at}/settings/{}", esc(name));
                self.name("setting", name, &settings, sat.clone());
                let value = match rule {
                    super::RoleSetting::Default(v) | super::RoleSetting::Force(v) => Some(v),
                    super::RoleSetting::NotApplicable => None,
                };
                let default = self.p.settings.get(name).map(|d| &d.default);
                if let (Some(v), Some(d)) = (value, default) {
                    if std::mem::discriminant(v) != std::mem::discriminant(d) {
                        self.push(
                            Issue::BadPolicy,
                            sat,
                            format!("setting `{name}` must have the type of its default `{d}`"),
                        );
                    }
                }
            }
            if let Some(pf) = &role.platforms {
                self.platforms(pf, &format!("{at}/platforms"));
            }
            if let Some(f) = &role.feature {
                self.name("feature", f, &features, format!("{at}/feature"));
            }
            self.level(id, role.level, format!("{at}/level"));
        }
        for (i, r) in self.p.locked_deleters.iter().enumerate() {
            self.role(r, format!("/locked_deleters/{i}"));
        }
        self.platforms(&self.p.platform_default, "/platform_default");
    }

    fn same_family(&mut self, id: &str, other: &str, at: String) {
        let fam = |r: &str| self.p.roles.get(r).and_then(|r| r.family.clone());
        let (a, b) = (fam(id), fam(other));
        if a != b {
            let show = |f: Option<String>| f.unwrap_or_else(|| "none".to_owned());
            let msg = format!(
                "role `{id}` (family `{}`) cannot build on `{other}` (family `{}`)",
                show(a),
                show(b)
            );
            self.push(Issue::WrongFamily, at, msg);
        }
    }

    fn level(&mut self, id: &str, level: Option<i64>, at: String) {
        match (self.p.levels, level) {
            (Some(l), Some(v)) if v < l.min || v > l.max => {
                self.push(
                    Issue::LevelOutOfRange,
                    at,
                    format!("level {v} of role `{id}` is outside {}..={}", l.min, l.max),
                );
            }
            (Some(_), None) => self.push(Issue::LevelOutOfRange, at, format!("role `{id}` needs a level")),
            (None, Some(v)) => {
                self.push(
                    Issue::LevelOutOfRange,
                    at,
                    format!("role `{id}` has level {v} but the policy has no `levels`"),
                );
            }
            _ => {}
        }
    }

    /// A scoped grant needs the resources its pattern reaches, each with the fields its scopes read.
    fn scopes(&mut self, key: &str, scopes: &[Scope], at: String) {
        let reached: Vec<_> = self
            .p
            .resources
            .iter()
            .filter(|(_, r)| key.starts_with(&format!("{}.", r.keys)) || covers(key, &format!("{}.", r.keys)))
            .collect();
        if reached.is_empty() {
            self.push(
                Issue::UnknownName,
                at,
                format!("scoped key `{key}` belongs to no resource (see `resources/*/keys`)"),
            );
            return;
        }
        for (name, r) in reached {
            for (i, s) in scopes.iter().enumerate() {
                let has = match s {
                    Scope::All => true,
                    Scope::Own => !r.owner.is_empty(),
                    Scope::Team => r.team.is_some(),
                    Scope::Area => r.area.is_some(),
                    Scope::Client => r.client.is_some(),
                    Scope::Tenant => r.tenant_field.is_some() || self.p.tenant_field.is_some(),
                    Scope::Shared => r.shared.is_some(),
                };
                if !has {
                    let scope = format!("{s:?}").to_lowercase();
                    let msg = format!("scope `{scope}` needs resource `{name}` to name its field");
                    self.push(Issue::BadPolicy, format!("{at}/{i}"), msg);
                }
            }
        }
    }

    fn ladders_and_exclusive(&mut self) {
        for (name, rungs) in &self.p.ladders {
            for (i, r) in rungs.iter().enumerate() {
                let at = format!("/ladders/{}/{i}", esc(name));
                if self.role(r, at.clone()) {
                    if let Some(first) = rungs.first().filter(|f| *f != r) {
                        self.same_family(r, first, at);
                    }
                }
            }
        }
        let mut mode: BTreeMap<&str, (bool, usize)> = BTreeMap::new();
        for (s, set) in self.p.exclusive.iter().enumerate() {
            let mut seen = BTreeSet::new();
            for (i, r) in set.roles.iter().enumerate() {
                let at = format!("/exclusive/{s}/roles/{i}");
                self.role(r, at.clone());
                if !seen.insert(r) {
                    self.push(
                        Issue::ConflictingExclusive,
                        at.clone(),
                        format!("role `{r}` is listed twice in this set"),
                    );
                }
                if let Some((alone, other)) = mode.insert(r, (set.alone, s)).filter(|(a, _)| *a != set.alone)
                {
                    let msg = format!(
                        "role `{r}` is `alone: {}` here but `alone: {alone}` in exclusive set {other}",
                        set.alone
                    );
                    self.push(Issue::ConflictingExclusive, at, msg);
                }
            }
            if !set.alone && set.roles.len() < 2 {
                self.push(
                    Issue::ConflictingExclusive,
                    format!("/exclusive/{s}/roles"),
                    "a set without `alone` needs at least two roles".into(),
                );
            }
        }
    }

    /// Each inheritance loop once (at its first role in name order). A policy with a loop has no
    /// effective permissions to reason about, so the checks that need them are skipped after it
    /// (their problems would only repeat the loop).
    fn cycles(&mut self) {
        let mut reported: BTreeSet<&str> = BTreeSet::new();
        for id in self.p.roles.keys() {
            if reported.contains(id.as_str()) {
                continue;
            }
            let mut path = vec![id.as_str()];
            if self.reaches_back(id, &mut path, &mut BTreeSet::new()) {
                reported.extend(path.iter().copied());
                let msg = format!(
                    "roles inherit in a loop: {}",
                    path.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(" → ")
                );
                self.push(Issue::InheritanceCycle, format!("/roles/{}/inherits", esc(id)), msg);
                self.cyclic = true;
            }
        }
    }

    fn reaches_back(&self, start: &str, path: &mut Vec<&'p str>, seen: &mut BTreeSet<&'p str>) -> bool {
        let Some(last) = path.last().copied() else { return false };
        for parent in parents(self.p, last) {
            if parent == start {
                path.push(parent);
                return true;
            }
            if seen.insert(parent) {
                path.push(parent);
                if self.reaches_back(start, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }

    fn settings_and_features(&mut self) {
        let families: Vec<&str> = self.p.families.iter().map(String::as_str).collect();
        for (i, f) in self.p.client_isolation.iter().enumerate() {
            self.name("family", f, &families, format!("/client_isolation/{i}"));
        }
        for (name, f) in &self.p.features {
            let at = format!("/features/{}", esc(name));
            for (i, r) in f.exclude_roles.iter().enumerate() {
                self.role(r, format!("{at}/exclude_roles/{i}"));
            }
            for (i, k) in f.keys.iter().enumerate() {
                self.key(k, format!("{at}/keys/{i}"));
            }
        }
    }

    /// The `admin` section names catalogue keys (exactly: a gate checks them as keys), roles and
    /// settings of the policy.
    fn admin(&mut self) {
        let Some(admin) = &self.p.admin else { return };
        let settings: Vec<&str> = self.p.settings.keys().map(String::as_str).chain(["*"]).collect();
        let named = [("assign", admin.assign.as_ref()), ("roles", admin.roles.as_ref())];
        let each = named.into_iter().filter_map(|(n, a)| Some((format!("/admin/{n}"), a?)));
        let entries: Vec<(String, &Authority)> = each
            .chain(admin.settings.iter().map(|(name, a)| {
                let at = format!("/admin/settings/{}", esc(name));
                self.name("setting", name, &settings, at.clone());
                (at, a)
            }))
            .collect();
        for (at, authority) in entries {
            match authority {
                Authority::Key(k) if !self.p.keys.is_empty() && !self.p.keys.contains(k) => {
                    let msg = unknown("key", k, self.p.keys.iter().map(String::as_str));
                    self.push(Issue::UnknownKey, at, msg);
                }
                Authority::Key(_) => {}
                Authority::Roles { roles } => {
                    for (i, r) in roles.iter().enumerate() {
                        self.role(r, format!("{at}/roles/{i}"));
                    }
                }
            }
        }
    }

    fn resources(&mut self) {
        let settings: Vec<&str> = self.p.settings.keys().map(String::as_str).collect();
        for (name, r) in &self.p.resources {
            let at = format!("/resources/{}", esc(name));
            self.key(&format!("{}.*", r.keys), format!("{at}/keys"));
            if let Some(v) = &r.view {
                self.key(v, format!("{at}/view"));
            }
            for (field, rule) in &r.fields {
                let fat = format!("{at}/fields/{}", esc(field));
                if let Some(k) = &rule.key {
                    self.key(k, format!("{fat}/key"));
                }
                if let Some(s) = &rule.setting {
                    self.name("setting", s, &settings, format!("{fat}/setting"));
                    if self.p.settings.get(s).is_some_and(|d| !d.default.is_boolean()) {
                        self.push(
                            Issue::BadPolicy,
                            format!("{fat}/setting"),
                            format!("setting `{s}` is not a boolean"),
                        );
                    }
                }
            }
        }
    }

    /// A redirect target is `home`, `logout` or a path of this site (`pattern::site_path`, which a
    /// gate applies to a signed body too): `//host` and `/\host` leave the site.
    fn target(&mut self, target: &str, at: String) {
        if !crate::pattern::site_target(target) {
            self.push(
                Issue::BadRoute,
                at,
                format!("redirect target `{target}` must be `home`, `logout` or a path of this site"),
            );
        }
    }

    fn routes(&mut self) {
        let Some(routes) = &self.p.routes else { return };
        if !crate::pattern::site_path(&routes.home) {
            let msg = format!("home `{}` must be a path of this site (`/…`)", routes.home);
            self.push(Issue::BadRoute, "/routes/home".into(), msg);
        }
        self.target(&routes.on_deny, "/routes/on_deny".into());
        self.target(&routes.on_platform_deny, "/routes/on_platform_deny".into());
        let mut patterns = crate::pattern::Patterns::default();
        for (i, rule) in routes.rules.iter().enumerate() {
            let at = format!("/routes/rules/{i}");
            if rule.path.contains(['?', '#']) {
                let msg = format!(
                    "route pattern `{}` can never match: the query string and fragment of a path are ignored",
                    rule.path
                );
                self.push(Issue::BadRoute, format!("{at}/path"), msg);
            } else if let Err(e) = crate::pattern::check_params(&rule.path) {
                let msg = format!("route pattern `{}` has {e}", rule.path);
                self.push(Issue::BadRoute, format!("{at}/path"), msg);
            } else if let Err(e) = patterns.insert(&rule.path) {
                let msg = format!("route pattern `{}` does not compile: {e}", rule.path);
                self.push(Issue::BadRoute, format!("{at}/path"), msg);
            }
            if let Some(k) = &rule.requires {
                self.key(k, format!("{at}/requires"));
            }
            if let Some(t) = &rule.on_deny {
                self.target(t, format!("{at}/on_deny"));
            }
        }
    }

    /// No redirect leads a user to a route they may not open (a gate would log them out instead,
    /// `redirect_denied`): a user denied by platform or activity may open no route, so
    /// `on_platform_deny` must be `logout`; and for each role, a holder of that role alone (in a
    /// tenant with every feature, on a platform the role allows) may open the role's `home`, the
    /// home they get (the role's, else `routes.home`), and every `on_deny` path they can be sent
    /// to: a rule's own where the rule denies them, the policy's where a rule without one does or a
    /// path matches no rule.
    fn redirects(&mut self) {
        let Some(routes) = &self.p.routes else {
            for (id, role) in &self.p.roles {
                if role.home.is_some() {
                    let msg = format!("role `{id}` has a `home` but the policy has no `routes`");
                    self.push(Issue::BadRoute, format!("/roles/{}/home", esc(id)), msg);
                }
            }
            return;
        };
        if routes.on_platform_deny != "logout" {
            let msg = format!(
                "`on_platform_deny` `{}` would send a user denied by platform or activity to a route, and such a user may open none: use `logout`",
                routes.on_platform_deny
            );
            self.push(Issue::RedirectLoop, "/routes/on_platform_deny".into(), msg);
        }
        let Some(map) = RouteMap::new(routes).filter(|_| !self.cyclic) else { return };
        let eff = effective(self.p);
        for (id, role) in &self.p.roles {
            let at = format!("/roles/{}", esc(id));
            if let Some(home) = role.home.as_deref().filter(|h| !crate::pattern::site_path(h)) {
                let msg = format!("home `{home}` of role `{id}` must be a path of this site (`/…`)");
                self.push(Issue::BadRoute, format!("{at}/home"), msg);
                continue;
            }
            let (Some(e), false) = (eff.get(id), role.platforms.as_ref().is_some_and(Vec::is_empty)) else {
                continue; // a role that may use no platform is sent nowhere but `on_platform_deny`
            };
            let holder = Holder::of(self.p, &[(id.as_str(), e)], None);
            self.role_redirects(id, role.home.as_deref(), &at, routes, &map, &holder);
        }
    }

    fn role_redirects(
        &mut self,
        id: &str,
        home: Option<&str>,
        at: &str,
        routes: &Routes,
        map: &RouteMap<'_>,
        holder: &Holder<'_>,
    ) {
        match home {
            // A home that is not a path of this site is reported as `bad_route` already.
            _ if !crate::pattern::site_path(home.unwrap_or(&routes.home)) => {}
            Some(h) if !map.opens(h, holder) => {
                let msg =
                    format!("home `{h}` of role `{id}` is a route a holder of that role alone may not open");
                self.push(Issue::RedirectLoop, format!("{at}/home"), msg);
            }
            None if !map.opens(&routes.home, holder) => {
                let msg = format!(
                    "role `{id}` may not open the home `{}`, where a denied route sends its holders: give the role a `home` it may open",
                    routes.home
                );
                self.push(Issue::RedirectLoop, at.to_owned(), msg);
            }
            _ => {}
        }
        let mut default = !routes.fallback_allow;
        for (i, rule) in routes.rules.iter().enumerate() {
            if rule.requires.as_deref().is_none_or(|k| holder.can(k)) {
                continue;
            }
            match &rule.on_deny {
                Some(t) => self.target_opens(id, t, &format!("/routes/rules/{i}/on_deny"), map, holder),
                None => default = true,
            }
        }
        if default {
            self.target_opens(id, &routes.on_deny, "/routes/on_deny", map, holder);
        }
    }

    /// A redirect path (not `home` or `logout`, whose checks are elsewhere) must be a route the
    /// holder may open.
    fn target_opens(&mut self, id: &str, target: &str, at: &str, map: &RouteMap<'_>, holder: &Holder<'_>) {
        let path = matches!(target, "home" | "logout") || !crate::pattern::site_target(target);
        if !path && !map.opens(target, holder) {
            let msg = format!(
                "`on_deny` `{target}` is a route a holder of role `{id}` alone may not open, and a denied route sends them there"
            );
            self.push(Issue::RedirectLoop, at.to_owned(), msg);
        }
    }

    fn menu(&mut self) {
        let eff = effective(self.p);
        let mut ids = BTreeSet::new();
        let items = self.p.menu.clone();
        self.menu_items(&items, "/menu", &eff, &mut ids);
    }

    fn menu_items(
        &mut self,
        items: &[MenuItem],
        at: &str,
        eff: &BTreeMap<String, super::Effective>,
        ids: &mut BTreeSet<String>,
    ) -> bool {
        let features: Vec<&str> = self.p.features.keys().map(String::as_str).collect();
        let mut any = false;
        for (i, item) in items.iter().enumerate() {
            let at = format!("{at}/{i}");
            if !ids.insert(item.id.clone()) {
                self.push(
                    Issue::BadPolicy,
                    format!("{at}/id"),
                    format!("menu item id `{}` is used twice", item.id),
                );
            }
            let mut reachable = true;
            if let Some(k) = &item.requires {
                self.key(k, format!("{at}/requires"));
                let granted = eff
                    .values()
                    .any(|e| e.allow.keys().any(|p| covers(p, k)) && !e.deny.iter().any(|d| covers(d, k)));
                reachable &= granted;
            }
            if let Some(f) = &item.feature {
                self.name("feature", f, &features, format!("{at}/feature"));
                let excluded = self
                    .p
                    .features
                    .get(f)
                    .is_some_and(|d| self.p.roles.keys().all(|r| d.exclude_roles.contains(r)));
                reachable &= !excluded;
            }
            if let Some(pf) = &item.platforms {
                self.platforms(pf, &format!("{at}/platforms"));
                reachable &= !pf.is_empty();
            }
            if !item.children.is_empty() {
                reachable &= self.menu_items(&item.children, &format!("{at}/children"), eff, ids);
            }
            if !reachable && !self.cyclic {
                let msg =
                    format!("menu item `{}` can never be visible: no role meets its requirements", item.id);
                self.push(Issue::UnreachableMenuItem, at, msg);
            }
            any |= reachable;
        }
        any
    }
}
