//! The gate: holds the trusted keys and the snapshot in force, and answers checks from it.
//!
//! A gate fails closed. With no snapshot, an expired one, or after any failed load with nothing
//! loaded before, every check is denied. A failed load never replaces a good snapshot.

use crate::clock::Clock;
use crate::envelope::{self, Claims, Expectations, Keyring};
use crate::error::Error;
use crate::eval::{Decision, Grants, Reason};
use crate::limits::{DEFAULT_CLOCK_SKEW_SEC, MAX_TOKEN_BYTES};

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
}

struct Loaded {
    claims: Claims,
    grants: Grants,
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
}

impl Gate {
    /// A gate with nothing loaded.
    pub fn new(options: GateOptions) -> Result<Gate, Error> {
        options.validate()?;
        Ok(Gate { options, current: None })
    }

    /// Verifies `token` and, if every check passes, puts it in force.
    ///
    /// A snapshot for the subject already in force must not have a lower `rev` (`rolled_back`). On
    /// any error the snapshot in force stays in force.
    pub fn load(&mut self, token: &str) -> Result<Status, Error> {
        let now = self.options.clock.now();
        let expect = Expectations {
            audience: &self.options.audience,
            issuer: self.options.issuer.as_deref(),
            clock_skew: self.options.clock_skew_sec,
            max_token_bytes: self.options.max_token_bytes,
        };
        let claims = envelope::verify(token, &self.options.keys, &expect, now)?;
        if let Some(cur) = &self.current {
            if cur.claims.sub == claims.sub && claims.rev < cur.claims.rev {
                return Err(Error::RolledBack { rev: claims.rev, current: cur.claims.rev });
            }
        }
        let grants = Grants::from_body(&claims.body)?;
        self.current = Some(Loaded { claims, grants });
        Ok(self.status())
    }

    /// Drops the snapshot in force (for example on log-out); every check is denied afterwards.
    pub fn clear(&mut self) {
        self.current = None;
    }

    /// Whether the user may do `key`. Denies when nothing valid is loaded.
    pub fn can(&self, key: &str) -> bool {
        self.check(key).allow
    }

    /// The decision for `key`, with its reason code and the rule that decided.
    pub fn check(&self, key: &str) -> Decision {
        match self.valid() {
            Ok(loaded) => loaded.grants.decide(key),
            Err(reason) => Decision::deny(reason),
        }
    }

    /// The snapshot in force, or why there is none to answer from.
    fn valid(&self) -> Result<&Loaded, Reason> {
        let loaded = self.current.as_ref().ok_or(Reason::NoSnapshot)?;
        if self.options.clock.now() - self.options.clock_skew_sec >= loaded.claims.exp {
            return Err(Reason::Expired);
        }
        Ok(loaded)
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
            },
            Some(Loaded { claims, .. }) => Status {
                loaded: true,
                subject: Some(claims.sub.clone()),
                tenant: claims.tenant.clone(),
                rev: Some(claims.rev),
                issued_at: claims.iat,
                expires_at: Some(claims.exp),
                expires_in: Some(claims.exp - now),
                expired: now - self.options.clock_skew_sec >= claims.exp,
            },
        }
    }

    /// The verified claims of the snapshot in force.
    pub fn claims(&self) -> Option<&Claims> {
        self.current.as_ref().map(|l| &l.claims)
    }
}
