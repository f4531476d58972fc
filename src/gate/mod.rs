//! The gate: holds the trusted keys and the snapshot in force, and answers checks from it.
//!
//! A gate fails closed. With no snapshot, an expired one, or after any failed load with nothing
//! loaded before, every check is denied. A failed load never replaces a good snapshot.

#[cfg_attr(
    not(target_arch = "wasm32"),
    allow(
        dead_code,
        reason = "the numeric answers are for the JavaScript bindings; native tests drive them"
    )
)]
mod numbers;

#[cfg(target_arch = "wasm32")]
pub(crate) use numbers::Asked;

use rustc_hash::FxHashMap as HashMap;

use serde_json::Value;

use crate::clock::Clock;
use crate::envelope::{self, Claims, Expectations, Keyring};
use crate::error::Error;
use crate::eval::{Context, Decision, Grants, KeyPlan, Reason, Record};
use crate::limits::{DEFAULT_CLOCK_SKEW_SEC, MAX_INTERNED_KEYS, MAX_TOKEN_BYTES};
use crate::revocation::{Floors, Revocation};
use crate::surfaces::ahead::{self, Answers};
use crate::surfaces::fields;
use crate::surfaces::{
    FieldDecision, Masked, MenuIndex, MenuNode, Question, Redirect, RouteDecision, RouteTable,
};

/// How a gate checks snapshots.
///
/// ```
/// # let jwks = r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#;
/// use rolegate::{Clock, GateOptions, Keyring};
/// let mut options = GateOptions::new(Keyring::from_jwks(jwks).unwrap(), "my-app");
/// options.issuer = Some("https://auth.example".into());
/// options.clock = Clock::fixed(1_700_000_000.0);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct GateOptions {
    /// The trusted public keys.
    pub keys: Keyring,
    /// The audience this application is; a snapshot's `aud` must contain it.
    pub audience: String,
    /// When set, a snapshot's `iss` must equal it.
    pub issuer: Option<String>,
    /// How far clocks may disagree, in seconds (default 60).
    pub clock_skew_sec: f64,
    /// The largest token accepted, in bytes (default 256 KiB).
    pub max_token_bytes: usize,
    /// Where the time comes from.
    pub clock: Clock,
    /// The platform the UI runs on (`web`, `mobile` …), checked against the user's platforms.
    pub platform: Option<String>,
    /// How long after expiry a snapshot still answers (and still loads), in seconds: for mobile
    /// webviews that lose the network. Default 0: an expired snapshot denies everything.
    pub offline_grace_sec: f64,
}

impl GateOptions {
    /// Options with the defaults: no issuer check, 60 s of clock skew, 256 KiB tokens, the system clock.
    pub fn new(keys: Keyring, audience: &str) -> GateOptions {
        GateOptions {
            keys,
            audience: audience.to_owned(),
            issuer: None,
            clock_skew_sec: DEFAULT_CLOCK_SKEW_SEC,
            max_token_bytes: MAX_TOKEN_BYTES,
            clock: Clock::system(),
            platform: None,
            offline_grace_sec: 0.0,
        }
    }

    fn validate(&self) -> Result<(), Error> {
        let bad = |reason: &str| Err(Error::BadConfig { reason: reason.to_owned() });
        if self.audience.is_empty() {
            return bad("`audience` must not be empty");
        }
        if !(self.clock_skew_sec.is_finite() && (0.0..=86_400.0).contains(&self.clock_skew_sec)) {
            return bad("`clockSkewSec` must be between 0 and 86400 seconds");
        }
        if !(self.offline_grace_sec.is_finite() && (0.0..=604_800.0).contains(&self.offline_grace_sec)) {
            return bad("`offlineGraceSec` must be between 0 and 604800 seconds (7 days)");
        }
        if self.max_token_bytes == 0 || self.max_token_bytes > 16 * 1024 * 1024 {
            return bad("`maxTokenBytes` must be between 1 and 16 MiB");
        }
        Ok(())
    }
}

/// What a successful load returns, and what [`Gate::status`] reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    /// Whether a snapshot is in force (it may still have expired since).
    pub loaded: bool,
    /// The user the snapshot is for.
    pub subject: Option<String>,
    /// The user's tenant.
    pub tenant: Option<String>,
    /// The snapshot's revision.
    pub rev: Option<u64>,
    /// When the snapshot was issued, in seconds since the epoch.
    pub issued_at: Option<f64>,
    /// When the snapshot expires, in seconds since the epoch.
    pub expires_at: Option<f64>,
    /// Seconds until it expires (negative once expired).
    pub expires_in: Option<f64>,
    /// Whether the snapshot has expired (beyond the clock skew).
    pub expired: bool,
    /// Whether it has expired but still answers, within the offline grace period.
    pub in_grace: bool,
}

struct Loaded {
    claims: Claims,
    grants: Grants,
    routes: RouteTable,
    menu: MenuIndex,
    /// For each interned key id, two numbers computed at load: the answer without a record (a
    /// [`ahead::word`]) and the slot list a check on a record reads ([`Answers::key_slots`]).
    answers: Vec<u32>,
    /// For each interned key id, the steps of its verdict that do not depend on a record.
    plans: Vec<KeyPlan>,
    /// Everything else computed at load that the JavaScript side reads.
    ahead: Answers,
}

/// Verifies signed role snapshots and answers permission checks from the one in force.
///
/// ```
/// use rolegate::{Gate, GateOptions, Keyring};
/// # let jwks = r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#;
/// let mut gate = Gate::new(GateOptions::new(Keyring::from_jwks(jwks).unwrap(), "my-app")).unwrap();
/// // Nothing loaded: everything is denied.
/// assert!(!gate.can("page.jobs.view"));
/// assert_eq!(gate.load("not-a-token").unwrap_err().code(), "malformed");
/// assert_eq!(gate.check("page.jobs.view").reason.code(), "no_snapshot");
/// ```
pub struct Gate {
    options: GateOptions,
    current: Option<Loaded>,
    ids: HashMap<Box<str>, u32>,
    keys: Vec<Box<str>>,
    floors: Floors,
    /// The time of the last [`Gate::tick`] (NaN before the first, which reads as expired): the
    /// bindings' checks use it instead of reading the clock on every call.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code, reason = "read by the bindings' answers"))]
    ticked_at: f64,
}

impl Gate {
    /// A gate with nothing loaded.
    pub fn new(options: GateOptions) -> Result<Gate, Error> {
        options.validate()?;
        Ok(Gate {
            options,
            current: None,
            ids: HashMap::default(),
            keys: Vec::new(),
            floors: Floors::default(),
            ticked_at: f64::NAN,
        })
    }

    /// Verifies `token` and, if every check passes, puts it in force.
    ///
    /// A snapshot must not have a lower `rev` than the highest this gate has loaded for its subject
    /// (`rolled_back`; the last 64 subjects are remembered, across other users' loads and `clear()`),
    /// nor a `rev` below a revocation floor of its subject or tenant (`revoked`). On any error the
    /// snapshot in force stays in force.
    pub fn load(&mut self, token: &str) -> Result<Status, Error> {
        let now = self.options.clock.now();
        let expect = Expectations {
            audience: &self.options.audience,
            issuer: self.options.issuer.as_deref(),
            clock_skew: self.options.clock_skew_sec,
            grace: self.options.offline_grace_sec,
            max_token_bytes: self.options.max_token_bytes,
        };
        let claims = envelope::verify(token, &self.options.keys, &expect, now)?;
        self.floors.check(&claims)?;
        let grants = Grants::from_body(&claims.body)?.for_user(&claims.sub, claims.tenant.as_deref());
        let routes = RouteTable::build(grants.body())?;
        let menu = MenuIndex::build(&grants.body().menu)?;
        let ctx = self.context();
        let ahead = Answers::build(&grants, &ctx, &routes, &menu);
        let plans: Vec<KeyPlan> = self.keys.iter().map(|k| grants.key_plan(k, None)).collect();
        let answers = plans.iter().flat_map(|p| key_answer(&grants, &ahead, &ctx, *p)).collect();
        self.floors.loaded(&claims);
        self.current = Some(Loaded { claims, grants, routes, menu, answers, plans, ahead });
        Ok(self.status())
    }

    /// Refuses, from now on, snapshots of `who` with a revision below `rev` — including the one in
    /// force, which is dropped at once. Returns whether it was dropped. Floors only rise.
    ///
    /// ```
    /// # let mut gate = rolegate::Gate::new(rolegate::GateOptions::new(rolegate::Keyring::from_jwks(r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#).unwrap(), "app")).unwrap();
    /// use rolegate::Revocation;
    /// assert_eq!(gate.revoke(Revocation::Tenant("acme"), 12), Ok(false));
    /// ```
    pub fn revoke(&mut self, who: Revocation<'_>, rev: u64) -> Result<bool, Error> {
        self.floors.raise(who, rev)?;
        let revoked = self.current.as_ref().is_some_and(|l| self.floors.check(&l.claims).is_err());
        if revoked {
            self.current = None;
        }
        Ok(revoked)
    }

    /// Drops the snapshot in force (for example on log-out); every check is denied afterwards.
    pub fn clear(&mut self) {
        self.current = None;
    }

    /// Whether the user may do `key`. Denies when nothing valid is loaded.
    pub fn can(&self, key: &str) -> bool {
        self.valid().is_ok_and(|l| l.grants.verdict(&self.context(), key, None).allow())
    }

    /// The decision for `key`, with its reason code and the rule that decided.
    pub fn check(&self, key: &str) -> Decision {
        match self.valid() {
            Ok(l) => l.grants.decision(l.grants.verdict(&self.context(), key, None)),
            Err(reason) => Decision::deny(reason),
        }
    }

    fn context(&self) -> Context<'_> {
        Context { platform: self.options.platform.as_deref() }
    }

    /// Whether the user may do `key` on `record` (tenant and record scope included).
    ///
    /// ```
    /// # let gate = rolegate::Gate::new(rolegate::GateOptions::new(rolegate::Keyring::from_jwks(r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#).unwrap(), "app")).unwrap();
    /// assert!(!gate.can_record("data.job.view", &serde_json::json!({"id": 1})));
    /// ```
    pub fn can_record(&self, key: &str, record: &dyn Record) -> bool {
        self.valid().is_ok_and(|l| l.grants.verdict(&self.context(), key, Some(record)).allow())
    }

    /// The decision for `key` on `record`.
    ///
    /// ```
    /// # let gate = rolegate::Gate::new(rolegate::GateOptions::new(rolegate::Keyring::from_jwks(r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#).unwrap(), "app")).unwrap();
    /// assert_eq!(gate.check_record("data.job.view", &serde_json::json!({})).reason.code(), "no_snapshot");
    /// ```
    pub fn check_record(&self, key: &str, record: &dyn Record) -> Decision {
        match self.valid() {
            Ok(l) => l.grants.decision(l.grants.verdict(&self.context(), key, Some(record))),
            Err(reason) => Decision::deny(reason),
        }
    }

    /// The answers for several keys at once (a whole screen in one call).
    ///
    /// ```
    /// # let gate = rolegate::Gate::new(rolegate::GateOptions::new(rolegate::Keyring::from_jwks(r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#).unwrap(), "app")).unwrap();
    /// assert_eq!(gate.can_many(&["a", "b"]), [false, false]);
    /// ```
    pub fn can_many(&self, keys: &[&str]) -> Vec<bool> {
        keys.iter().map(|k| self.can(k)).collect()
    }

    /// A stable number for `key`, for [`Gate::can_id`]; the same key always gets the same id.
    /// Past the interning limit, the id is `u32::MAX`, which is always denied.
    ///
    /// ```
    /// # let mut gate = rolegate::Gate::new(rolegate::GateOptions::new(rolegate::Keyring::from_jwks(r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#).unwrap(), "app")).unwrap();
    /// let id = gate.id("page.jobs.view");
    /// assert_eq!(gate.id("page.jobs.view"), id);
    /// assert!(!gate.can_id(id));
    /// ```
    pub fn id(&mut self, key: &str) -> u32 {
        if let Some(id) = self.ids.get(key) {
            return *id;
        }
        if self.keys.len() >= MAX_INTERNED_KEYS {
            return u32::MAX;
        }
        let Ok(id) = u32::try_from(self.keys.len()) else { return u32::MAX };
        let ctx = Context { platform: self.options.platform.as_deref() };
        if let Some(l) = self.current.as_mut() {
            let plan = l.grants.key_plan(key, None);
            l.answers.extend(key_answer(&l.grants, &l.ahead, &ctx, plan));
            l.plans.push(plan);
        }
        self.ids.insert(key.into(), id);
        self.keys.push(key.into());
        id
    }

    /// The answer for an id from [`Gate::id`], from a table computed at load; unknown ids are denied.
    ///
    /// ```
    /// # let gate = rolegate::Gate::new(rolegate::GateOptions::new(rolegate::Keyring::from_jwks(r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#).unwrap(), "app")).unwrap();
    /// assert!(!gate.can_id(12345));
    /// ```
    pub fn can_id(&self, id: u32) -> bool {
        let word = |l: &Loaded| l.answers.get((id as usize).saturating_mul(2)).copied().unwrap_or(0);
        self.valid().is_ok_and(|l| word(l) & ahead::ALLOW_BIT != 0)
    }

    /// May the user open `path`, and if not, where to send them.
    ///
    /// ```
    /// # let gate = rolegate::Gate::new(rolegate::GateOptions::new(rolegate::Keyring::from_jwks(r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#).unwrap(), "app")).unwrap();
    /// let d = gate.route("/admin/users");
    /// assert_eq!(d.redirect, Some(rolegate::surfaces::Redirect::Logout));
    /// ```
    pub fn route(&self, path: &str) -> RouteDecision {
        self.route_in(self.valid(), path)
    }

    fn route_in(&self, live: Result<&Loaded, Reason>, path: &str) -> RouteDecision {
        match live {
            Ok(l) => l.routes.decide(&l.grants, &self.context(), path),
            Err(reason) => RouteDecision {
                allow: false,
                redirect: Some(Redirect::Logout),
                decision: Decision::deny(reason),
            },
        }
    }

    /// May a session start on the UI's platform at all ([`GateOptions::platform`]): a snapshot is in
    /// force, the user is active and may use this platform. Denied, `redirect` is where to send the
    /// user (the policy's `on_platform_deny`, `logout` by default; `logout` with nothing in force),
    /// with the reason of the first step that failed (`no_snapshot`, `expired`, `inactive`,
    /// `platform_denied`). Allowed, the reason is `granted` and the rule names the platform.
    ///
    /// ```
    /// # let gate = rolegate::Gate::new(rolegate::GateOptions::new(rolegate::Keyring::from_jwks(r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#).unwrap(), "app")).unwrap();
    /// let d = gate.platform();
    /// assert_eq!((d.allow, d.decision.reason.code()), (false, "no_snapshot"));
    /// assert_eq!(d.redirect, Some(rolegate::surfaces::Redirect::Logout));
    /// ```
    pub fn platform(&self) -> RouteDecision {
        match self.valid() {
            Ok(l) => l.routes.platform(&l.grants, &self.context()),
            Err(reason) => self.route_in(Err(reason), ""),
        }
    }

    /// The catalogue keys the snapshot in force grants, sorted: each key `can` answers yes to
    /// without a record, so a key granted for some records only (an `own`-scoped grant) is listed
    /// too. Empty when nothing valid is loaded, and when the user is inactive or may not use the
    /// UI's platform (every key is denied then). For support screens and developer tools; a body
    /// made without a policy (no catalogue) lists the keys its key table names.
    ///
    /// ```
    /// # let gate = rolegate::Gate::new(rolegate::GateOptions::new(rolegate::Keyring::from_jwks(r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#).unwrap(), "app")).unwrap();
    /// assert!(gate.keys().is_empty());
    /// ```
    pub fn keys(&self) -> Vec<String> {
        let mut keys = self.valid().map(|l| l.grants.granted(&self.context())).unwrap_or_default();
        keys.sort_unstable();
        keys
    }

    /// The home path of the user (their roles' home, else the policy's; `None` with no snapshot in
    /// force).
    ///
    /// ```
    /// # let gate = rolegate::Gate::new(rolegate::GateOptions::new(rolegate::Keyring::from_jwks(r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#).unwrap(), "app")).unwrap();
    /// assert_eq!(gate.home(), None);
    /// ```
    pub fn home(&self) -> Option<&str> {
        self.valid().ok().map(|l| l.routes.home())
    }

    /// The policy's menu with hidden items and empty sections removed.
    ///
    /// ```
    /// # let gate = rolegate::Gate::new(rolegate::GateOptions::new(rolegate::Keyring::from_jwks(r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#).unwrap(), "app")).unwrap();
    /// assert!(gate.menu().is_empty());
    /// ```
    pub fn menu(&self) -> Vec<MenuNode> {
        self.valid().map(|l| l.menu.tree(&l.grants, &self.context())).unwrap_or_default()
    }

    /// An application's menu tree (item ids from the policy) filtered: unknown ids, hidden items and
    /// sections left empty are dropped.
    ///
    /// ```
    /// # let gate = rolegate::Gate::new(rolegate::GateOptions::new(rolegate::Keyring::from_jwks(r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#).unwrap(), "app")).unwrap();
    /// assert!(gate.menu_filter(&[rolegate::surfaces::MenuNode::item("jobs")]).is_empty());
    /// ```
    pub fn menu_filter(&self, tree: &[MenuNode]) -> Vec<MenuNode> {
        self.valid().map(|l| l.menu.filter(&l.grants, &self.context(), tree)).unwrap_or_default()
    }

    /// The governed fields of `resource` (on `record`, if given), each with its decision. Nothing
    /// when no snapshot answers; a resource type the snapshot does not have (a typo) gives one entry,
    /// field `*` (every field), denied with `unknown_resource`.
    ///
    /// ```
    /// # let gate = rolegate::Gate::new(rolegate::GateOptions::new(rolegate::Keyring::from_jwks(r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#).unwrap(), "app")).unwrap();
    /// assert!(gate.fields("proposal", None).is_empty());
    /// ```
    pub fn fields(&self, resource: &str, record: Option<&dyn Record>) -> Vec<FieldDecision> {
        self.valid().map(|l| fields::fields(&l.grants, &self.context(), resource, record)).unwrap_or_default()
    }

    /// A copy of `record` without the fields the user may not see (or with the resource's placeholder
    /// in their place), and the list of masked fields with a reason each.
    ///
    /// ```
    /// # let gate = rolegate::Gate::new(rolegate::GateOptions::new(rolegate::Keyring::from_jwks(r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#).unwrap(), "app")).unwrap();
    /// let m = gate.mask("proposal", &serde_json::json!({"cost": 5}));
    /// assert_eq!(m.masked[0].decision.reason.code(), "no_snapshot");
    /// ```
    pub fn mask(&self, resource: &str, record: &Value) -> Masked {
        match self.valid() {
            Ok(l) => fields::mask(&l.grants, &self.context(), resource, record),
            Err(reason) => fields::mask_all(record, &Decision::deny(reason)),
        }
    }

    /// The records the user may see.
    ///
    /// ```
    /// # let gate = rolegate::Gate::new(rolegate::GateOptions::new(rolegate::Keyring::from_jwks(r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#).unwrap(), "app")).unwrap();
    /// assert!(gate.filter("job", &[serde_json::json!({})]).is_empty());
    /// ```
    pub fn filter<'r, R: Record>(&self, resource: &str, records: &'r [R]) -> Vec<&'r R> {
        self.valid()
            .map(|l| fields::filter(&l.grants, &self.context(), resource, records))
            .unwrap_or_default()
    }

    /// Which records of `resource` the user may see (`action` `None` or `"view"`, as [`Gate::filter`]
    /// decides) or act on (`"edit"`: the key `<resource keys>.edit`, as [`Gate::can_record`] decides
    /// it): a [`Plan`](crate::surfaces::query::Plan) a database can run, always-false when nothing
    /// answers or the user may not (no grant, deny, feature off, inactive, platform, unknown resource).
    /// Cargo feature `query` (docs/records.md).
    ///
    /// ```
    /// # let gate = rolegate::Gate::new(rolegate::GateOptions::new(rolegate::Keyring::from_jwks(r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#).unwrap(), "app")).unwrap();
    /// assert_eq!(gate.query("customer", None), rolegate::surfaces::query::Plan::False);
    /// ```
    #[cfg(feature = "query")]
    pub fn query(&self, resource: &str, action: Option<&str>) -> crate::surfaces::query::Plan {
        match self.valid() {
            Ok(l) => crate::surfaces::query::plan(&l.grants, &self.context(), resource, action),
            Err(_) => crate::surfaces::query::Plan::False,
        }
    }

    /// The decision for any question, with its reason (code, step, message) and rule: what
    /// `gate.explain(question)` answers in JavaScript, for an explain panel or a support tool.
    ///
    /// ```
    /// # let gate = rolegate::Gate::new(rolegate::GateOptions::new(rolegate::Keyring::from_jwks(r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#).unwrap(), "app")).unwrap();
    /// assert!(!gate.decide(rolegate::surfaces::Question::Route("/")).allow);
    /// ```
    pub fn decide(&self, question: Question<'_>) -> Decision {
        self.decide_in(self.valid(), question)
    }

    fn decide_in(&self, live: Result<&Loaded, Reason>, question: Question<'_>) -> Decision {
        let l = match live {
            Ok(l) => l,
            Err(reason) => return Decision::deny(reason),
        };
        let ctx = self.context();
        match question {
            Question::Key(key) => l.grants.decision(l.grants.verdict(&ctx, key, None)),
            Question::Record(key, record) => l.grants.decision(l.grants.verdict(&ctx, key, Some(record))),
            Question::Route(path) => l.routes.decide(&l.grants, &ctx, path).decision,
            Question::Menu(id) => l.menu.decide(&l.grants, &ctx, id),
            Question::Field { resource, field, record } => {
                fields::field(&l.grants, &ctx, resource, field, record)
            }
            Question::See(resource, record) => {
                fields::record_visible(&l.grants, &ctx, resource, Some(record))
            }
        }
    }

    /// The value of user setting `name` for the user in force (a role-forced value wins).
    ///
    /// ```
    /// # let gate = rolegate::Gate::new(rolegate::GateOptions::new(rolegate::Keyring::from_jwks(r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#).unwrap(), "app")).unwrap();
    /// assert_eq!(gate.setting("canViewCosts"), None);
    /// ```
    pub fn setting(&self, name: &str) -> Option<&Value> {
        self.valid().ok().and_then(|l| l.grants.setting_value(name))
    }

    /// The snapshot in force, or why there is none to answer from.
    fn valid(&self) -> Result<&Loaded, Reason> {
        self.valid_at(self.options.clock.now())
    }

    /// The snapshot in force at `now`, or why there is none to answer from.
    fn valid_at(&self, now: f64) -> Result<&Loaded, Reason> {
        let loaded = self.current.as_ref().ok_or(Reason::NoSnapshot)?;
        if self.expired(loaded.claims.exp + self.options.offline_grace_sec, now) {
            return Err(Reason::Expired);
        }
        Ok(loaded)
    }

    /// Whether `exp` has passed at `now`, beyond the clock skew. Written as what must hold for the
    /// snapshot to be valid, so that a clock reading NaN counts as expired (fail closed).
    fn expired(&self, exp: f64, now: f64) -> bool {
        (now - self.options.clock_skew_sec).partial_cmp(&exp) != Some(std::cmp::Ordering::Less)
    }

    /// What is loaded, for whom, and until when.
    pub fn status(&self) -> Status {
        let now = self.options.clock.now();
        match &self.current {
            None => Status {
                loaded: false,
                subject: None,
                tenant: None,
                rev: None,
                issued_at: None,
                expires_at: None,
                expires_in: None,
                expired: false,
                in_grace: false,
            },
            Some(Loaded { claims, .. }) => Status {
                loaded: true,
                subject: Some(claims.sub.clone()),
                tenant: claims.tenant.clone(),
                rev: Some(claims.rev),
                issued_at: claims.iat,
                expires_at: Some(claims.exp),
                expires_in: Some(claims.exp - now),
                expired: self.expired(claims.exp, now),
                in_grace: self.expired(claims.exp, now)
                    && !self.expired(claims.exp + self.options.offline_grace_sec, now),
            },
        }
    }

    /// The verified claims of the snapshot in force.
    pub fn claims(&self) -> Option<&Claims> {
        self.current.as_ref().map(|l| &l.claims)
    }
}

/// The two numbers of an interned key: its answer without a record, and the slot list a check on a
/// record reads.
fn key_answer(grants: &Grants, ahead: &Answers, ctx: &Context<'_>, plan: KeyPlan) -> [u32; 2] {
    [ahead::verdict_word(grants.verdict_planned(ctx, plan, None)), ahead.key_slots(plan.resource)]
}
