//! The one error type of rolegate, its stable codes and its messages.
//!
//! Every failure to load a snapshot, a key set or a configuration is an [`Error`]. Each variant has a
//! stable snake_case [`Error::code`] that is documented once (here and in `docs/errors.md`) and never
//! renamed, and a one-line human message (its `Display`). In JavaScript the same error is thrown as a
//! `RolegateError` whose `.code` is this code.
//!
//! Checks (`can`, `check`) never return errors: anything that goes wrong inside a check is a deny
//! with a reason code (see [`crate::Reason`]).

use crate::text::{cat, num, signed};
use std::fmt;
use std::string::String;

/// Why a snapshot, key set or configuration was refused.
///
/// ```
/// use rolegate::{Error, Gate, GateOptions, Keyring};
/// let keys = Keyring::from_jwks(r#"{"keys":[]}"#);
/// assert_eq!(keys.unwrap_err().code(), "bad_jwks");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// The token is longer than the configured limit; nothing was decoded.
    TooLarge {
        /// What was too large (`token`, `jwks`, `policy`, `user`).
        what: &'static str,
        /// Its size in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// The token is not a well-formed JWS compact serialisation of a rolegate snapshot.
    Malformed(Malformed),
    /// The header names an algorithm other than `EdDSA` (for example `none`, `HS256`, `RS256`).
    AlgNotAllowed {
        /// The algorithm the header named.
        alg: String,
    },
    /// The header's `typ` is missing or is not `rolegate+jwt`.
    BadTyp {
        /// The `typ` the header carried, if any.
        typ: Option<String>,
    },
    /// The header lists `crit` extensions, none of which rolegate understands.
    CritNotSupported,
    /// No key in the key set has the header's `kid`, or the header has no `kid`.
    UnknownKid {
        /// The `kid` the header named, if any.
        kid: Option<String>,
    },
    /// The signature does not verify with the key the header names.
    BadSignature,
    /// The snapshot's `exp` is in the past (beyond the allowed clock skew).
    Expired {
        /// The snapshot's `exp`, in seconds since the Unix epoch.
        exp: f64,
        /// The time it was checked at, in seconds since the Unix epoch.
        now: f64,
    },
    /// The snapshot's `nbf` (or `iat`) is in the future (beyond the allowed clock skew).
    NotYetValid {
        /// The time the snapshot becomes valid, in seconds since the Unix epoch.
        nbf: f64,
        /// The time it was checked at, in seconds since the Unix epoch.
        now: f64,
    },
    /// The snapshot's `aud` does not contain the gate's audience.
    WrongAudience,
    /// The snapshot's `iss` differs from the gate's configured issuer.
    WrongIssuer,
    /// A required claim is absent.
    MissingClaim {
        /// The claim's name.
        claim: &'static str,
    },
    /// A claim has the wrong type or an out-of-range value.
    BadClaim {
        /// The claim's name.
        claim: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The snapshot is for the same subject as the one in force but has a lower `rev`.
    RolledBack {
        /// The revision of the refused snapshot.
        rev: u64,
        /// The revision in force.
        current: u64,
    },
    /// The snapshot's revision is below the floor the server pushed for its subject or tenant.
    Revoked {
        /// The revision of the refused snapshot.
        rev: u64,
        /// The lowest revision still accepted.
        floor: u64,
    },
    /// The key set (JWKS) is unusable.
    BadJwks {
        /// What is wrong with it.
        reason: String,
    },
    /// Options are unusable: a gate's, a snapshot's claims options, the environment a key is made in
    /// (no random source).
    BadConfig {
        /// What is wrong with them.
        reason: String,
    },
    /// A call was made the wrong way: an argument of the wrong type or shape (a question, a menu
    /// tree, a record that cannot be read), a revocation that names no one, or a gate used after
    /// `free()` or from inside a getter of a record it is reading, a key id or seed of the wrong size,
    /// an unknown `may` action. Distinct from [`Error::BadConfig`], which is about options.
    BadArgument {
        /// What is wrong with the call.
        reason: String,
    },
    /// A policy document (or a tenant's custom role) is invalid; the problem names the place.
    /// (Feature `issuer`: the browser build compiles no policy, and carries none of these codes.)
    #[cfg(feature = "issuer")]
    Policy(Problem),
    /// A user record cannot be compiled under the policy (or an assigner may not give it its roles).
    #[cfg(feature = "issuer")]
    User(Problem),
}

/// One located problem in a policy or a user record: what kind, where (a JSON pointer), and a message.
///
/// ```
/// use rolegate::{Error, Issue, Problem};
/// let e = Error::Policy(Problem::new(Issue::UnknownRole, "/roles/senior/inherits/0", "unknown role `enginer`"));
/// assert_eq!(e.code(), "unknown_role");
/// assert_eq!(e.to_string(), "unknown role `enginer` (at `/roles/senior/inherits/0`)");
/// ```
#[cfg(feature = "issuer")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The kind of problem; its [`Issue::code`] is the error's code.
    pub issue: Issue,
    /// Where, as a JSON pointer into the policy or the user record (`""` is the whole document).
    pub pointer: String,
    /// One lower-case line, with user input in backticks.
    pub message: String,
}

#[cfg(feature = "issuer")]
impl Problem {
    /// A problem of kind `issue` at `pointer`.
    ///
    /// ```
    /// let p = rolegate::Problem::new(rolegate::Issue::BadRoute, "/routes/rules/0/path", "bad pattern");
    /// assert_eq!(p.pointer, "/routes/rules/0/path");
    /// ```
    pub fn new(issue: Issue, pointer: &str, message: impl Into<String>) -> Problem {
        Problem { issue, pointer: pointer.to_owned(), message: message.into() }
    }
}

/// The kinds of policy and user problems, each with a stable code.
///
/// ```
/// assert_eq!(rolegate::Issue::InheritanceCycle.code(), "inheritance_cycle");
/// ```
#[cfg(feature = "issuer")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Issue {
    /// The document does not have the shape of a policy (or user record).
    BadPolicy,
    /// A permission key or pattern matches no key of the catalogue.
    UnknownKey,
    /// A role that the policy does not define.
    UnknownRole,
    /// A family, setting, feature, resource, platform or menu item that the policy does not define.
    UnknownName,
    /// Roles inherit from each other in a loop.
    InheritanceCycle,
    /// A role of another family than the user's type (or the ladder's).
    WrongFamily,
    /// Two exclusive sets contradict each other or a ladder.
    ConflictingExclusive,
    /// A level outside the policy's range, or a missing level.
    LevelOutOfRange,
    /// A route pattern that cannot be compiled, or a bad redirect target.
    BadRoute,
    /// A menu item that no user can ever see.
    UnreachableMenuItem,
    /// A user record that is not valid (missing or unknown fields, wrong setting type).
    BadUser,
    /// A user holds roles that an exclusive set forbids together.
    ExclusiveRoles,
    /// An assigner gives a role above their own level.
    AboveLevel,
    /// A role needs a feature the user's tenant has not enabled.
    MissingFeature,
    /// An assigner gives a role that grants a key they do not hold themselves.
    ExceedsOwnAccess,
    /// A user record holds no role, and the policy does not allow that.
    NoRole,
    /// An assigner lacks the key or role the policy's `admin` section requires.
    NotAuthorised,
    /// The policy's `admin` section names nobody who may do this.
    NoAuthority,
    /// An assigner acts on a user of another tenant.
    TenantMismatch,
    /// A role's home or a redirect target is a route its holders may not open (a redirect loop).
    RedirectLoop,
}

#[cfg(feature = "issuer")]
impl Issue {
    /// Every issue, in documentation order.
    pub const ALL: &'static [Issue] = &[
        Issue::BadPolicy,
        Issue::UnknownKey,
        Issue::UnknownRole,
        Issue::UnknownName,
        Issue::InheritanceCycle,
        Issue::WrongFamily,
        Issue::ConflictingExclusive,
        Issue::LevelOutOfRange,
        Issue::BadRoute,
        Issue::UnreachableMenuItem,
        Issue::BadUser,
        Issue::ExclusiveRoles,
        Issue::AboveLevel,
        Issue::MissingFeature,
        Issue::ExceedsOwnAccess,
        Issue::NoRole,
        Issue::NotAuthorised,
        Issue::NoAuthority,
        Issue::TenantMismatch,
        Issue::RedirectLoop,
    ];

    /// The stable snake_case code.
    ///
    /// ```
    /// assert_eq!(rolegate::Issue::AboveLevel.code(), "above_level");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            Issue::BadPolicy => "bad_policy",
            Issue::UnknownKey => "unknown_key",
            Issue::UnknownRole => "unknown_role",
            Issue::UnknownName => "unknown_name",
            Issue::InheritanceCycle => "inheritance_cycle",
            Issue::WrongFamily => "wrong_family",
            Issue::ConflictingExclusive => "conflicting_exclusive",
            Issue::LevelOutOfRange => "level_out_of_range",
            Issue::BadRoute => "bad_route",
            Issue::UnreachableMenuItem => "unreachable_menu_item",
            Issue::BadUser => "bad_user",
            Issue::ExclusiveRoles => "exclusive_roles",
            Issue::AboveLevel => "above_level",
            Issue::MissingFeature => "missing_feature",
            Issue::ExceedsOwnAccess => "exceeds_own_access",
            Issue::NoRole => "no_role",
            Issue::NotAuthorised => "not_authorised",
            Issue::NoAuthority => "no_authority",
            Issue::TenantMismatch => "tenant_mismatch",
            Issue::RedirectLoop => "redirect_loop",
        }
    }
}

/// The ways a token can be malformed, each named in the error message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Malformed {
    /// The token is not exactly three dot-separated segments.
    Segments,
    /// A segment is not canonical unpadded base64url.
    Base64,
    /// The header is not a JSON object of the expected shape.
    Header,
    /// The payload is not a JSON object of the expected shape.
    Payload,
    /// The signature segment is not 64 bytes.
    SignatureLength,
    /// The token contains characters outside base64url and `.`.
    Charset,
}

impl Malformed {
    fn describe(self) -> &'static str {
        match self {
            Malformed::Segments => "the token must have exactly three dot-separated segments",
            Malformed::Base64 => "a segment is not canonical unpadded base64url",
            Malformed::Header => "the header is not a valid JSON object",
            Malformed::Payload => "the payload is not a valid JSON object",
            Malformed::SignatureLength => "the signature is not 64 bytes",
            Malformed::Charset => "the token contains characters outside base64url and `.`",
        }
    }
}

impl Error {
    /// The stable, machine-readable code of this error (snake_case, never renamed).
    ///
    /// ```
    /// assert_eq!(rolegate::Error::BadSignature.code(), "bad_signature");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Error::TooLarge { .. } => "too_large",
            Error::Malformed(_) => "malformed",
            Error::AlgNotAllowed { .. } => "alg_not_allowed",
            Error::BadTyp { .. } => "bad_typ",
            Error::CritNotSupported => "crit_not_supported",
            Error::UnknownKid { .. } => "unknown_kid",
            Error::BadSignature => "bad_signature",
            Error::Expired { .. } => "expired",
            Error::NotYetValid { .. } => "not_yet_valid",
            Error::WrongAudience => "wrong_audience",
            Error::WrongIssuer => "wrong_issuer",
            Error::MissingClaim { .. } => "missing_claim",
            Error::BadClaim { .. } => "bad_claim",
            Error::RolledBack { .. } => "rolled_back",
            Error::Revoked { .. } => "revoked",
            Error::BadJwks { .. } => "bad_jwks",
            Error::BadConfig { .. } => "bad_config",
            Error::BadArgument { .. } => "bad_argument",
            #[cfg(feature = "issuer")]
            Error::Policy(p) | Error::User(p) => p.issue.code(),
        }
    }

    /// Every code [`Error::code`] can return, in documentation order (from `bad_policy` on, with the
    /// feature `issuer` only).
    pub const CODES: &'static [&'static str] = &[
        "too_large",
        "malformed",
        "alg_not_allowed",
        "bad_typ",
        "crit_not_supported",
        "unknown_kid",
        "bad_signature",
        "expired",
        "not_yet_valid",
        "wrong_audience",
        "wrong_issuer",
        "missing_claim",
        "bad_claim",
        "rolled_back",
        "revoked",
        "bad_jwks",
        "bad_config",
        "bad_argument",
        "bad_policy",
        "unknown_key",
        "unknown_role",
        "unknown_name",
        "inheritance_cycle",
        "wrong_family",
        "conflicting_exclusive",
        "level_out_of_range",
        "bad_route",
        "unreachable_menu_item",
        "bad_user",
        "exclusive_roles",
        "above_level",
        "missing_feature",
        "exceeds_own_access",
        "no_role",
        "not_authorised",
        "no_authority",
        "tenant_mismatch",
        "redirect_loop",
    ];
}

impl Error {
    /// The human message, as `Display` writes it (built without `core::fmt`, see src/text.rs).
    ///
    /// ```
    /// assert_eq!(rolegate::Error::BadSignature.describe(), "the signature does not verify");
    /// ```
    pub fn describe(&self) -> String {
        let n = |v: &u64| num(*v);
        match self {
            Error::TooLarge { what, size, limit } => cat(&[
                "the ",
                what,
                " is ",
                &num(*size as u64),
                " bytes, over the limit of ",
                &num(*limit as u64),
                " bytes",
            ]),
            Error::Malformed(m) => cat(&["malformed snapshot: ", m.describe()]),
            Error::AlgNotAllowed { alg } => {
                cat(&["algorithm `", alg, "` is not allowed; only `EdDSA` is accepted"])
            }
            Error::BadTyp { typ: Some(t) } => cat(&["header type `", t, "` is not `rolegate+jwt`"]),
            Error::BadTyp { typ: None } => "the header has no `typ`; `rolegate+jwt` is required".into(),
            Error::CritNotSupported => "the header lists `crit` extensions, which are not supported".into(),
            Error::UnknownKid { kid: Some(k) } => cat(&["no trusted key has kid `", k, "`"]),
            Error::UnknownKid { kid: None } => "the header has no `kid`; a key id is required".into(),
            Error::BadSignature => "the signature does not verify".into(),
            Error::Expired { exp, now } => {
                cat(&["the snapshot expired at ", &whole(*exp), " (now ", &whole(*now), ")"])
            }
            Error::NotYetValid { nbf, now } => {
                cat(&["the snapshot is not valid before ", &whole(*nbf), " (now ", &whole(*now), ")"])
            }
            Error::WrongAudience => "the snapshot is not meant for this audience".into(),
            Error::WrongIssuer => "the snapshot was not issued by the configured issuer".into(),
            Error::MissingClaim { claim } => cat(&["the snapshot has no `", claim, "` claim"]),
            Error::BadClaim { claim, reason } => cat(&["claim `", claim, "` is invalid: ", reason]),
            Error::RolledBack { rev, current } => cat(&[
                "the snapshot has revision ",
                &n(rev),
                ", older than revision ",
                &n(current),
                " this gate loaded for the same subject",
            ]),
            Error::Revoked { rev, floor } => {
                cat(&["the snapshot has revision ", &n(rev), ", below the revoked floor ", &n(floor)])
            }
            Error::BadJwks { reason } => cat(&["unusable key set: ", reason]),
            Error::BadConfig { reason } => cat(&["unusable options: ", reason]),
            Error::BadArgument { reason } => cat(&["bad argument: ", reason]),
            #[cfg(feature = "issuer")]
            Error::Policy(p) | Error::User(p) => cat(&[&p.message, " (at `", &p.pointer, "`)"]),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

impl std::error::Error for Error {}

/// Whole seconds for messages: integer formatting keeps float formatting out of the wasm build.
fn whole(seconds: f64) -> String {
    // `as` saturates; times were checked to be finite and in range when parsed.
    signed(seconds.floor() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_list_matches_the_match() {
        let samples = [
            Error::TooLarge { what: "token", size: 2, limit: 1 },
            Error::Malformed(Malformed::Base64),
            Error::AlgNotAllowed { alg: "none".into() },
            Error::BadTyp { typ: None },
            Error::CritNotSupported,
            Error::UnknownKid { kid: None },
            Error::BadSignature,
            Error::Expired { exp: 1.0, now: 2.0 },
            Error::NotYetValid { nbf: 2.0, now: 1.0 },
            Error::WrongAudience,
            Error::WrongIssuer,
            Error::MissingClaim { claim: "sub" },
            Error::BadClaim { claim: "rev", reason: "x" },
            Error::RolledBack { rev: 1, current: 2 },
            Error::Revoked { rev: 1, floor: 2 },
            Error::BadJwks { reason: "x".into() },
            Error::BadConfig { reason: "x".into() },
            Error::BadArgument { reason: "x".into() },
        ];
        let samples: Vec<Error> = samples
            .into_iter()
            .chain(Issue::ALL.iter().map(|&i| Error::Policy(Problem::new(i, "", "x"))))
            .collect();
        let codes: Vec<_> = samples.iter().map(Error::code).collect();
        assert_eq!(codes, Error::CODES);
    }

    #[test]
    fn messages_are_one_lowercase_line_without_final_period() {
        let e = Error::UnknownKid { kid: Some("k1".into()) };
        let m = format!("{e}");
        assert_eq!(m, "no trusted key has kid `k1`");
        assert!(!m.ends_with('.'));
    }
}
