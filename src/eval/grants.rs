//! A snapshot body indexed once at load, and the fixed evaluation order over it.

use rustc_hash::FxHashMap as HashMap;

use serde_json::Value;

use super::body::{Body, BodyResource, BODY_VERSION};
use super::decision::{Decision, Reason};
use super::index::KeyIndex;
use super::record::{FieldValue, Record};
use super::scope::{present_value, reaches, ScopeFields, Subject};
use crate::error::Error;
use crate::scope::ScopeSet;

/// Where a question is asked from: the platform the UI runs on (`web`, `mobile` …), if known.
///
/// ```
/// let ctx = rolegate::eval::Context { platform: Some("web") };
/// assert_eq!(ctx.platform, Some("web"));
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// The platform the UI runs on; `None` skips the platform step (the user must still have some platform).
    pub platform: Option<&'a str>,
}

/// A decision before its rule is turned into text: the reason and an index into the rule table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Verdict {
    pub(crate) reason: Reason,
    pub(crate) rule: Option<u32>,
}

impl Verdict {
    pub(crate) fn of(reason: Reason) -> Verdict {
        Verdict { reason, rule: None }
    }

    pub(crate) fn allow(self) -> bool {
        self.reason.allows()
    }
}

/// The steps of the order that depend on the key alone (see [`Grants::key_plan`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KeyPlan {
    /// The resource type a record of this key is.
    pub(crate) resource: Option<u32>,
    step: KeyStep,
}

/// The feature, deny and grant steps for a key: denied there, or granted by a rule with scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyStep {
    Deny(Verdict),
    Grant { rule: u32, scopes: ScopeSet },
}

#[cfg(feature = "query")]
impl KeyPlan {
    /// The scopes the key is granted with, or `None` when a step before any record denies it
    /// (catalogue, feature, deny, no grant).
    pub(crate) fn granted(self) -> Option<ScopeSet> {
        match self.step {
            KeyStep::Grant { scopes, .. } => Some(scopes),
            KeyStep::Deny(_) => None,
        }
    }
}

/// What a setting's state is for this user.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Setting<'a> {
    /// The value (from the user, a role default or the policy default).
    Value(&'a Value),
    /// The value a role forces.
    Forced(&'a Value),
    /// The setting does not apply to the user's roles.
    NotApplicable,
    /// The policy has no such setting.
    Unknown,
}

/// One resource type, indexed.
#[derive(Debug, Clone)]
pub(crate) struct Resource {
    pub(crate) raw: BodyResource,
    owner: Vec<Box<str>>,
    owner_name: Vec<Box<str>>,
    shared_values: Vec<Box<str>>,
}

/// The grants of one user and the rules that concern them, indexed for checks.
///
/// ```
/// let body = serde_json::json!({"v": 1, "k": ["page.*", "page.admin"], "g": [0], "d": [1]});
/// let grants = rolegate::Grants::from_body(&body).unwrap();
/// assert!(grants.decide("page.jobs").allow);
/// assert_eq!(grants.decide("page.admin").reason.code(), "explicit_deny");
/// ```
#[derive(Debug, Clone)]
pub struct Grants {
    user: Option<Box<str>>,
    name: Option<Box<str>>,
    tenant: Option<Box<str>>,
    active: bool,
    platforms: Option<Vec<Box<str>>>,
    rules: Vec<Box<str>>,
    allow: KeyIndex<(u32, ScopeSet)>,
    deny: KeyIndex<u32>,
    off: KeyIndex<u32>,
    teams: Vec<Box<str>>,
    areas: Vec<Box<str>>,
    clients: Vec<Box<str>>,
    client_isolation: bool,
    tenant_field: Option<Box<str>>,
    resources: HashMap<Box<str>, u32>,
    resource_list: Vec<Resource>,
    by_prefix: KeyIndex<u32>,
    /// The body indexed, for its key table, settings, features, routes and menu; its resources were
    /// moved into `resource_list`.
    body: Body,
}

fn boxed(v: &[String]) -> Vec<Box<str>> {
    v.iter().map(|s| s.as_str().into()).collect()
}

/// Whether every key index of routes, menus, views and field rules is in the key table.
fn indices_in_range(body: &Body) -> bool {
    let ok = |i: &Option<u32>| i.is_none_or(|i| (i as usize) < body.keys.len());
    fn menu_ok(items: &[super::BodyMenu], ok: &dyn Fn(&Option<u32>) -> bool) -> bool {
        items.iter().all(|m| ok(&m.key) && menu_ok(&m.children, ok))
    }
    body.routes.as_ref().is_none_or(|r| r.rules.iter().all(|r| ok(&r.key)))
        && menu_ok(&body.menu, &ok)
        && body.resources.iter().all(|(_, r)| ok(&r.view) && r.fields.iter().all(|(_, f)| ok(&f.key)))
}

/// Whether `record`'s `field` is one value among `ids` (`None`), or why not: `missing` when the
/// field is absent or null, `mismatch` for another value or a list.
fn belongs(
    record: &dyn Record,
    field: &str,
    ids: &[Box<str>],
    missing: Reason,
    mismatch: Reason,
) -> Option<Verdict> {
    match present_value(record, field) {
        None => Some(Verdict::of(missing)),
        Some(FieldValue::List(_)) => Some(Verdict::of(mismatch)),
        Some(v) if v.is_any(ids) => None,
        Some(_) => Some(Verdict::of(mismatch)),
    }
}

fn bad(reason: &'static str) -> Error {
    Error::BadClaim { claim: "rg", reason }
}

impl Grants {
    /// Indexes a snapshot body (see [`crate::eval::Body`] for the format).
    ///
    /// ```
    /// assert_eq!(rolegate::Grants::from_body(&serde_json::json!({"v": 9, "u": "x"})).unwrap_err().code(), "bad_claim");
    /// ```
    pub fn from_body(value: &Value) -> Result<Grants, Error> {
        let mut body = Body::from_value(value)
            .ok_or_else(|| bad("the permission body does not have the expected shape"))?;
        if body.version != BODY_VERSION {
            return Err(bad("the permission body has an unsupported version"));
        }
        if !indices_in_range(&body) {
            return Err(bad("the permission body refers to a key it does not list"));
        }
        let mut g = Grants {
            user: body.user.as_deref().map(Into::into),
            name: body.name.as_deref().map(Into::into),
            tenant: body.tenant.as_deref().map(Into::into),
            active: !body.inactive,
            platforms: body.platforms.as_deref().map(boxed),
            rules: Vec::new(),
            allow: KeyIndex::default(),
            deny: KeyIndex::default(),
            off: KeyIndex::default(),
            teams: boxed(&body.teams),
            areas: boxed(&body.areas),
            clients: boxed(&body.clients),
            client_isolation: body.client_isolation,
            tenant_field: body.tenant_field.as_deref().map(Into::into),
            resources: HashMap::default(),
            resource_list: Vec::new(),
            by_prefix: KeyIndex::default(),
            body: Body::default(),
        };
        let keep_first = |a, _| a;
        let mut seen = HashMap::default();
        let text = |i: u32| body.key(i).ok_or(bad("the permission body refers to a key it does not list"));
        for &i in &body.allow {
            let p = text(i)?;
            let r = g.intern(&mut seen, p);
            g.allow.insert(p, (r, ScopeSet::ALL), |a, b| (a.0, a.1.union(b.1)));
        }
        for s in &body.scoped {
            let p = text(s.key)?;
            let r = g.intern(&mut seen, p);
            g.allow.insert(p, (r, ScopeSet::of(&s.scopes)), |a, b| (a.0, a.1.union(b.1)));
        }
        for &i in &body.deny {
            let p = text(i)?;
            let r = g.intern(&mut seen, p);
            g.deny.insert(p, r, keep_first);
        }
        for (feature, patterns) in &body.features_off {
            let r = g.intern(&mut seen, feature);
            for &i in patterns {
                g.off.insert(text(i)?, r, keep_first);
            }
        }
        for (i, (name, raw)) in std::mem::take(&mut body.resources).into_iter().enumerate() {
            let i = u32::try_from(i).map_err(|_| bad("too many resources"))?;
            if let Some(prefix) = &raw.prefix {
                g.by_prefix.insert(&crate::text::cat(&[prefix, ".*"]), i, keep_first);
            }
            g.resources.insert(name.as_str().into(), i);
            g.resource_list.push(Resource {
                owner: boxed(&raw.owner),
                owner_name: boxed(&raw.owner_name),
                shared_values: raw.shared.as_ref().map(|(_, v)| boxed(v)).unwrap_or_default(),
                raw,
            });
        }
        g.body = body;
        Ok(g)
    }

    /// Stores a rule text once and returns its index (texts repeat across roles' grants and features).
    fn intern(&mut self, seen: &mut HashMap<Box<str>, u32>, text: &str) -> u32 {
        if let Some(i) = seen.get(text) {
            return *i;
        }
        let i = u32::try_from(self.rules.len()).unwrap_or(u32::MAX);
        self.rules.push(text.into());
        seen.insert(text.into(), i);
        i
    }

    /// The decision for `key` with no record and no platform known.
    ///
    /// ```
    /// let g = rolegate::Grants::from_body(&serde_json::json!({"v": 1, "k": ["data.job.view"], "gs": [[0, "own"]]})).unwrap();
    /// assert!(g.decide("data.job.view").allow);
    /// ```
    pub fn decide(&self, key: &str) -> Decision {
        self.decision(self.verdict(&Context::default(), key, None))
    }

    /// These grants for user `id` of `tenant`, where the body does not name them itself: a gate
    /// passes the verified claims' `sub` and `tid` (the compiler does not repeat them in the body).
    ///
    /// ```
    /// use rolegate::Grants;
    /// use rolegate::eval::Context;
    /// let body = serde_json::json!({"v": 1, "tf": "org", "k": ["doc.view"], "gs": [[0, "own"]], "rs": {"doc": {"k": "doc", "o": ["ownerId"]}}});
    /// let g = Grants::from_body(&body).unwrap().for_user("u1", Some("o1"));
    /// let doc = serde_json::json!({"org": "o1", "ownerId": "u1"});
    /// assert_eq!(g.decide_record(&Context::default(), "doc.view", &doc).reason.code(), "in_scope");
    /// ```
    pub fn for_user(mut self, id: &str, tenant: Option<&str>) -> Grants {
        if self.user.is_none() {
            self.user = Some(id.into());
        }
        if self.tenant.is_none() {
            self.tenant = tenant.map(Into::into);
        }
        self
    }

    /// The decision for `key` on `record` (tenant and scope steps included).
    ///
    /// ```
    /// use rolegate::eval::Context;
    /// let g = rolegate::Grants::from_body(&serde_json::json!({"v": 1, "u": "u1", "t": "o1", "tf": "org",
    ///     "k": ["data.job.view"], "gs": [[0, "own"]], "rs": {"job": {"k": "data.job", "o": ["managerId"]}}})).unwrap();
    /// let mine = serde_json::json!({"org": "o1", "managerId": "u1"});
    /// let other = serde_json::json!({"org": "o2", "managerId": "u1"});
    /// assert!(g.decide_record(&Context::default(), "data.job.view", &mine).allow);
    /// assert_eq!(g.decide_record(&Context::default(), "data.job.view", &other).reason.code(), "tenant_mismatch");
    /// ```
    pub fn decide_record(&self, ctx: &Context<'_>, key: &str, record: &dyn Record) -> Decision {
        self.decision(self.verdict(ctx, key, Some(record)))
    }

    /// Turns a verdict into a decision with its rule as text.
    pub(crate) fn decision(&self, v: Verdict) -> Decision {
        let rule = v.rule.and_then(|i| self.rules.get(i as usize)).map(|r| String::from(&**r));
        Decision { allow: v.allow(), reason: v.reason, rule }
    }

    /// Steps 2 and 3: the user is active and may use the platform.
    pub(crate) fn admits(&self, ctx: &Context<'_>) -> Option<Verdict> {
        if !self.active {
            return Some(Verdict::of(Reason::Inactive));
        }
        if let Some(allowed) = &self.platforms {
            let ok = match ctx.platform {
                Some(p) => allowed.iter().any(|a| &**a == p),
                None => !allowed.is_empty(),
            };
            if !ok {
                return Some(Verdict::of(Reason::PlatformDenied));
            }
        }
        None
    }

    /// Whether the user may use `platform` at all (menu items restricted to platforms).
    pub(crate) fn on_platform(ctx: &Context<'_>, platforms: Option<&[String]>) -> bool {
        match (ctx.platform, platforms) {
            (Some(p), Some(list)) => list.iter().any(|a| a == p),
            _ => true,
        }
    }

    /// The full order for a key, optionally on a record: active → platform → tenant → client →
    /// catalogue → feature → deny → grant → scope → default deny.
    pub(crate) fn verdict(&self, ctx: &Context<'_>, key: &str, record: Option<&dyn Record>) -> Verdict {
        self.verdict_planned(ctx, self.key_plan(key, None), record)
    }

    /// Whether `key` is in the policy's catalogue: named by the key table (not as a pattern) or
    /// listed in `kc`. True for every key when the body carries no catalogue (a body made by hand).
    /// Called once per key a gate interns (and again per load), so plain scans do.
    fn in_catalogue(&self, key: &str) -> bool {
        let Some(catalogue) = &self.body.catalogue else { return true };
        !key.ends_with('*') && (self.body.keys.iter().any(|k| k == key) || catalogue.iter().any(|k| k == key))
    }

    /// What the order decides about `key` before any record is looked at: its resource type (the
    /// one given, or the one its prefix names) and its feature, deny and grant steps. A gate
    /// computes this once per interned key, so a check on a record does no key lookups.
    pub(crate) fn key_plan(&self, key: &str, resource: Option<Option<u32>>) -> KeyPlan {
        let resource = resource.unwrap_or_else(|| self.by_prefix.first(key));
        if !self.in_catalogue(key) {
            return KeyPlan { resource, step: KeyStep::Deny(Verdict::of(Reason::UnknownKey)) };
        }
        if let Some(r) = self.off.first(key) {
            return KeyPlan {
                resource,
                step: KeyStep::Deny(Verdict { reason: Reason::FeatureDisabled, rule: Some(r) }),
            };
        }
        if let Some(r) = self.deny.first(key) {
            return KeyPlan {
                resource,
                step: KeyStep::Deny(Verdict { reason: Reason::ExplicitDeny, rule: Some(r) }),
            };
        }
        let mut scopes = ScopeSet::default();
        let mut rule = None;
        self.allow.each(key, |(r, s)| {
            rule.get_or_insert(r);
            scopes = scopes.union(s);
            false
        });
        let step = match rule {
            Some(rule) => KeyStep::Grant { rule, scopes },
            None => KeyStep::Deny(Verdict::of(Reason::NoGrant)),
        };
        KeyPlan { resource, step }
    }

    /// The order for a planned key, optionally on a record.
    pub(crate) fn verdict_planned(
        &self,
        ctx: &Context<'_>,
        plan: KeyPlan,
        record: Option<&dyn Record>,
    ) -> Verdict {
        if let Some(v) = self.admits(ctx) {
            return v;
        }
        let resource = plan.resource.and_then(|i| self.resource_list.get(i as usize));
        if let Some(rec) = record {
            if let Some(v) = self.record_step(resource, rec) {
                return v;
            }
        }
        let (rule, scopes) = match plan.step {
            KeyStep::Deny(v) => return v,
            KeyStep::Grant { rule, scopes } => (rule, scopes),
        };
        match record {
            Some(rec) if !scopes.has(super::Scope::All) => {
                let inside =
                    resource.is_some_and(|res| reaches(scopes, &self.fields(res), &self.subject(), rec));
                let reason = if inside { Reason::InScope } else { Reason::OutOfScope };
                Verdict { reason, rule: Some(rule) }
            }
            _ => Verdict { reason: Reason::Granted, rule: Some(rule) },
        }
    }

    /// Steps 2 to 5 only, for a resource type with no view key: activity, platform, tenant, client.
    pub(crate) fn admits_record(
        &self,
        ctx: &Context<'_>,
        resource: Option<u32>,
        record: Option<&dyn Record>,
    ) -> Verdict {
        if let Some(v) = self.admits(ctx) {
            return v;
        }
        let resource = resource.and_then(|i| self.resource_list.get(i as usize));
        record.and_then(|rec| self.record_step(resource, rec)).unwrap_or(Verdict::of(Reason::Public))
    }

    pub(crate) fn tenant_field_of<'s>(&'s self, resource: Option<&'s Resource>) -> Option<&'s str> {
        resource.and_then(|r| r.raw.tenant_field.as_deref()).or(self.tenant_field.as_deref())
    }

    /// Steps 4 and 5: a record of another organisation, or of none, is denied; under client
    /// isolation, so is a record of a resource with a client field that names none of the user's
    /// clients. A tenant (a client) is one value: a list, even one holding the user's, is another's.
    fn record_step(&self, resource: Option<&Resource>, record: &dyn Record) -> Option<Verdict> {
        let tenant = self.tenant_field_of(resource).and_then(|field| {
            belongs(record, field, self.tenant.as_slice(), Reason::TenantMissing, Reason::TenantMismatch)
        });
        tenant.or_else(|| {
            let field = resource.filter(|_| self.client_isolation)?.raw.client.as_deref()?;
            belongs(record, field, &self.clients, Reason::ClientMissing, Reason::ClientMismatch)
        })
    }

    pub(crate) fn fields<'s>(&'s self, r: &'s Resource) -> ScopeFields<'s> {
        ScopeFields {
            tenant: self.tenant_field_of(Some(r)),
            owner: &r.owner,
            owner_name: &r.owner_name,
            team: r.raw.team.as_deref(),
            area: r.raw.area.as_deref(),
            client: r.raw.client.as_deref(),
            shared: r.raw.shared.as_ref().map(|(f, _)| (f.as_str(), r.shared_values.as_slice())),
        }
    }

    pub(crate) fn subject(&self) -> Subject<'_> {
        Subject {
            id: self.user.as_deref(),
            name: self.name.as_deref(),
            tenant: self.tenant.as_deref(),
            teams: &self.teams,
            areas: &self.areas,
            clients: &self.clients,
        }
    }

    /// The catalogue keys allowed without a record (a scoped grant allows without one), each once,
    /// unsorted: the keys the key table names, then those of `kc`; without `kc` (a body made by
    /// hand), the keys the key table names. One plain loop: it is in the browser module.
    pub(crate) fn granted(&self, ctx: &Context<'_>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for k in self.body.keys.iter().chain(self.body.catalogue.iter().flatten()) {
            if !k.ends_with('*') && !out.contains(k) && self.verdict(ctx, k, None).allow() {
                out.push(k.clone());
            }
        }
        out
    }

    /// Resource type `i` (query plans, src/surfaces/query).
    #[cfg(feature = "query")]
    pub(crate) fn resource_at(&self, i: Option<u32>) -> Option<&Resource> {
        i.and_then(|i| self.resource_list.get(i as usize))
    }

    /// The client field the client step reads on records of `resource` (client isolation on and
    /// the resource has a client field), as [`Grants::record_step`] reads it.
    #[cfg(feature = "query")]
    pub(crate) fn isolated_client_field<'s>(&'s self, resource: Option<&'s Resource>) -> Option<&'s str> {
        resource.filter(|_| self.client_isolation)?.raw.client.as_deref()
    }

    /// The rule texts, in the order [`Verdict::rule`] numbers them.
    pub(crate) fn rules(&self) -> &[Box<str>] {
        &self.rules
    }

    /// The number of resource types.
    pub(crate) fn resource_count(&self) -> usize {
        self.resource_list.len()
    }

    /// The name of resource type `i`.
    pub(crate) fn resource_name(&self, i: u32) -> Option<&str> {
        self.resources.iter().find(|(_, &j)| j == i).map(|(name, _)| &**name)
    }

    /// Every record field a check on a record of resource type `resource` (or of a key with no
    /// resource type) may read: the tenant field and the fields of the scopes.
    pub(crate) fn record_fields(&self, resource: Option<u32>) -> Vec<&str> {
        let res = resource.and_then(|i| self.resource_list.get(i as usize));
        let mut out: Vec<&str> = self.tenant_field_of(res).into_iter().collect();
        if let Some(r) = res {
            let f = self.fields(r);
            out.extend(f.owner.iter().chain(f.owner_name).map(|s| &**s));
            out.extend([f.team, f.area, f.client, f.shared.map(|(s, _)| s)].into_iter().flatten());
        }
        out
    }

    /// Every text a record field is compared with: the user's id, name, tenant, teams, areas and
    /// clients, and the resources' sharing values. A record value that is none of these matches nothing.
    pub(crate) fn facts(&self) -> Vec<&str> {
        let one = [self.user.as_deref(), self.name.as_deref(), self.tenant.as_deref()];
        let lists = self.teams.iter().chain(&self.areas).chain(&self.clients);
        one.into_iter()
            .flatten()
            .chain(lists.map(|s| &**s))
            .chain(self.resource_list.iter().flat_map(|r| r.shared_values.iter().map(|s| &**s)))
            .collect()
    }

    /// The index of resource type `name`.
    pub(crate) fn resource(&self, name: &str) -> Option<(u32, &Resource)> {
        let i = *self.resources.get(name)?;
        Some((i, self.resource_list.get(i as usize)?))
    }

    /// The state of setting `name` for this user.
    pub(crate) fn setting(&self, name: &str) -> Setting<'_> {
        let listed = |list: &[String]| list.iter().any(|s| s == name);
        match self.body.settings.get(name) {
            Some(v) if listed(&self.body.forced) => Setting::Forced(v),
            Some(v) => Setting::Value(v),
            None if listed(&self.body.not_applicable) => Setting::NotApplicable,
            None => Setting::Unknown,
        }
    }

    /// Whether feature `name` is off for this user.
    pub(crate) fn feature_off(&self, name: &str) -> bool {
        self.body.features_off.iter().any(|(f, _)| f == name)
    }

    /// The key at index `i` of the body's key table.
    pub(crate) fn key(&self, i: Option<u32>) -> Option<&str> {
        i.and_then(|i| self.body.key(i))
    }

    /// The body this was indexed from.
    pub(crate) fn body(&self) -> &Body {
        &self.body
    }

    /// The value of user setting `name` (a role-forced value wins), or `None` when it does not apply.
    ///
    /// ```
    /// let g = rolegate::Grants::from_body(&serde_json::json!({"v": 1, "u": "u", "s": {"commission": 5}})).unwrap();
    /// assert_eq!(g.setting_value("commission"), Some(&serde_json::json!(5)));
    /// ```
    pub fn setting_value(&self, name: &str) -> Option<&Value> {
        self.body.settings.get(name)
    }

    /// The user's role ids.
    ///
    /// ```
    /// let g = rolegate::Grants::from_body(&serde_json::json!({"v": 1, "u": "u", "r": ["admin"]})).unwrap();
    /// assert_eq!(g.roles(), ["admin"]);
    /// ```
    pub fn roles(&self) -> &[String] {
        &self.body.roles
    }
}
