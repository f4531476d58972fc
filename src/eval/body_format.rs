//! The snapshot body's wire format, version [`BODY_VERSION`](super::BODY_VERSION): the one table of
//! member names that the writer (`body_writer.rs`) and the reader (`body_reader.rs`) both use.
//! docs/snapshot.md documents the format for other issuers. Names are short because every byte is
//! signed, base64-encoded and sent to the browser; each is unique within its object, and the same
//! letters name the same kind of thing wherever they appear (`k` a key or key prefix, `t` a tenant,
//! `tm`/`ar`/`cl` teams, areas and clients).
//!
//! Lists of several parts are written as short arrays instead of objects (their order is the
//! format): scoped grants `[key index, scope, …]` ([`super::ScopedGrant`]), route rules
//! `[pattern, key index or null, target]` ([`super::BodyRoute`]) and menu items
//! `[id, key index, children, feature, platforms]` ([`super::BodyMenu`]).

/// Members of the body (the `rg` claim).
pub(crate) mod body {
    /// Format version (`1`).
    pub(crate) const VERSION: &str = "v";
    /// The user's id; absent: the claims' `sub`.
    pub(crate) const USER: &str = "u";
    /// The user's name, only when a scoped grant reaches a resource that matches owners by name.
    pub(crate) const NAME: &str = "n";
    /// The user's tenant; absent: the claims' `tid`.
    pub(crate) const TENANT: &str = "t";
    /// `true` when the user is inactive (then nothing else is needed).
    pub(crate) const INACTIVE: &str = "off";
    /// The user's role ids, for display and explanations.
    pub(crate) const ROLES: &str = "r";
    /// The platforms the user may use (absent: any; empty: none).
    pub(crate) const PLATFORMS: &str = "p";
    /// Allowed keys and patterns for every record (key indices).
    pub(crate) const ALLOW: &str = "g";
    /// Scoped grants: `[[key index, scope, …]]`.
    pub(crate) const SCOPED: &str = "gs";
    /// Denied keys and patterns (key indices); deny beats allow.
    pub(crate) const DENY: &str = "d";
    /// Features off for the user → the key patterns they gate (key indices).
    pub(crate) const FEATURES_OFF: &str = "fo";
    /// The user's team ids.
    pub(crate) const TEAMS: &str = "tm";
    /// The user's area ids.
    pub(crate) const AREAS: &str = "ar";
    /// The user's client ids.
    pub(crate) const CLIENTS: &str = "cl";
    /// `true`: client isolation; a record of a resource with a client field must name one of `cl`.
    pub(crate) const CLIENT_ISOLATION: &str = "ci";
    /// Settings values.
    pub(crate) const SETTINGS: &str = "s";
    /// Settings a role forces.
    pub(crate) const FORCED: &str = "sf";
    /// Settings that do not apply to the user's roles.
    pub(crate) const NOT_APPLICABLE: &str = "sn";
    /// The key table: every key and pattern the body names, once; the rest refers to it by index.
    pub(crate) const KEYS: &str = "k";
    /// The policy's catalogue keys the key table does not name, ascending; absent: no catalogue check.
    pub(crate) const CATALOGUE: &str = "kc";
    /// The default tenant field of records.
    pub(crate) const TENANT_FIELD: &str = "tf";
    /// Resource types by name (members: [`super::resource`]).
    pub(crate) const RESOURCES: &str = "rs";
    /// Route rules (members: [`super::routes`]).
    pub(crate) const ROUTES: &str = "rt";
    /// The menu: `[[id, key index, children, feature, platforms]]`.
    pub(crate) const MENU: &str = "m";
}

/// Members of one resource type.
pub(crate) mod resource {
    /// The key prefix of its permission keys (`data.proposal`).
    pub(crate) const PREFIX: &str = "k";
    /// Its tenant field, overriding the body's default.
    pub(crate) const TENANT_FIELD: &str = "t";
    /// Owner fields holding the user's id.
    pub(crate) const OWNER: &str = "o";
    /// Owner fields holding the user's name.
    pub(crate) const OWNER_NAME: &str = "on";
    /// The team field.
    pub(crate) const TEAM: &str = "tm";
    /// The area field.
    pub(crate) const AREA: &str = "ar";
    /// The client field.
    pub(crate) const CLIENT: &str = "cl";
    /// `[field, [values]]`: the shared-with field and the values that share a record with everyone.
    pub(crate) const SHARED: &str = "sh";
    /// The key needed to see a record (a key index).
    pub(crate) const VIEW: &str = "v";
    /// Field rules by field name (members: [`super::field`]).
    pub(crate) const FIELDS: &str = "f";
    /// The value that replaces a hidden field; absent: hidden fields are left out.
    pub(crate) const PLACEHOLDER: &str = "ph";
}

/// Members of one field rule.
pub(crate) mod field {
    /// The key the field needs (a key index).
    pub(crate) const KEY: &str = "k";
    /// The boolean setting the field needs.
    pub(crate) const SETTING: &str = "s";
}

/// Members of the route rules.
pub(crate) mod routes {
    /// The home path (absent: `/`).
    pub(crate) const HOME: &str = "h";
    /// `true`: a path no pattern matches is allowed.
    pub(crate) const FALLBACK_ALLOW: &str = "fb";
    /// Where a denied route goes (absent: `home`).
    pub(crate) const ON_DENY: &str = "d";
    /// Where a user denied by platform or activity goes (absent: `logout`).
    pub(crate) const ON_PLATFORM_DENY: &str = "pd";
    /// The rules, in order: `[[pattern, key index or null, target]]`.
    pub(crate) const RULES: &str = "r";
}

/// A key index: a whole number that fits in `u32` (the one reading of every key index in a body).
/// Inlined: as a shared call it cost 77 bytes (brotli) of the browser module.
#[inline(always)]
pub(crate) fn key_index(v: &serde_json::Value) -> Option<u32> {
    v.as_u64().and_then(|n| u32::try_from(n).ok())
}
