//! Record scopes: which records a grant reaches.

use serde::{Deserialize, Serialize};

use super::record::{FieldValue, Record};

/// Which records a grant reaches. A grant may list several scopes; any one suffices.
///
/// ```
/// use rolegate::eval::Scope;
/// let s: Vec<Scope> = serde_json::from_str(r#"["own", "shared"]"#).unwrap();
/// assert_eq!(s, [Scope::Own, Scope::Shared]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Every record (of the user's organisation, when the resource has a tenant field).
    All,
    /// Records whose owner field holds the user's id (or name).
    Own,
    /// Records of one of the user's teams.
    Team,
    /// Records of one of the user's areas.
    Area,
    /// Records of one of the user's clients.
    Client,
    /// Records whose tenant field is the user's tenant (needs a tenant field).
    Tenant,
    /// Records shared with everyone (the resource's shared-with field holds a sharing value).
    Shared,
}

impl Scope {
    /// A scope by its name in policies and bodies (`own`, `team` …).
    ///
    /// ```
    /// assert_eq!(rolegate::eval::Scope::parse("own"), Some(rolegate::eval::Scope::Own));
    /// assert_eq!(rolegate::eval::Scope::parse("Own"), None);
    /// ```
    pub fn parse(name: &str) -> Option<Scope> {
        Some(match name {
            "all" => Scope::All,
            "own" => Scope::Own,
            "team" => Scope::Team,
            "area" => Scope::Area,
            "client" => Scope::Client,
            "tenant" => Scope::Tenant,
            "shared" => Scope::Shared,
            _ => return None,
        })
    }

    /// The bit of this scope in a [`ScopeSet`].
    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A set of scopes, as a bitmask.
///
/// ```
/// use rolegate::eval::{Scope, ScopeSet};
/// let s = ScopeSet::of(&[Scope::Own, Scope::Shared]);
/// assert!(s.has(Scope::Own) && !s.has(Scope::All));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScopeSet(u8);

impl ScopeSet {
    /// The set with only [`Scope::All`].
    ///
    /// ```
    /// assert!(rolegate::eval::ScopeSet::ALL.has(rolegate::eval::Scope::All));
    /// ```
    pub const ALL: ScopeSet = ScopeSet(1);

    /// The set of `scopes`.
    ///
    /// ```
    /// assert!(rolegate::eval::ScopeSet::of(&[]).is_empty());
    /// ```
    pub fn of(scopes: &[Scope]) -> ScopeSet {
        ScopeSet(scopes.iter().fold(0, |m, s| m | s.bit()))
    }

    /// Whether `scope` is in the set.
    ///
    /// ```
    /// assert!(rolegate::eval::ScopeSet::ALL.has(rolegate::eval::Scope::All));
    /// ```
    pub fn has(self, scope: Scope) -> bool {
        self.0 & scope.bit() != 0
    }

    /// Whether the set is empty.
    ///
    /// ```
    /// assert!(!rolegate::eval::ScopeSet::ALL.is_empty());
    /// ```
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The union of two sets.
    ///
    /// ```
    /// use rolegate::eval::{Scope, ScopeSet};
    /// assert!(ScopeSet::of(&[Scope::Own]).union(ScopeSet::ALL).has(Scope::All));
    /// ```
    pub fn union(self, other: ScopeSet) -> ScopeSet {
        ScopeSet(self.0 | other.0)
    }
}

/// The fields of one resource type that scopes read, and the user facts they compare with.
pub(crate) struct ScopeFields<'a> {
    pub(crate) tenant: Option<&'a str>,
    pub(crate) owner: &'a [Box<str>],
    pub(crate) owner_name: &'a [Box<str>],
    pub(crate) team: Option<&'a str>,
    pub(crate) area: Option<&'a str>,
    pub(crate) client: Option<&'a str>,
    pub(crate) shared: Option<(&'a str, &'a [Box<str>])>,
}

/// Who is asking.
pub(crate) struct Subject<'a> {
    pub(crate) id: Option<&'a str>,
    pub(crate) name: Option<&'a str>,
    pub(crate) tenant: Option<&'a str>,
    pub(crate) teams: &'a [Box<str>],
    pub(crate) areas: &'a [Box<str>],
    pub(crate) clients: &'a [Box<str>],
}

fn holds(record: &dyn Record, field: Option<&str>, ids: &[Box<str>]) -> bool {
    field.and_then(|f| record.field(f)).is_some_and(|v| v.is_any(ids))
}

fn shared(record: &dyn Record, spec: Option<(&str, &[Box<str>])>) -> bool {
    spec.is_some_and(|(f, values)| record.field(f).is_some_and(|v| v.is_any(values)))
}

/// Whether `record` is within one of `scopes` for `who`.
pub(crate) fn reaches(
    scopes: ScopeSet,
    fields: &ScopeFields<'_>,
    who: &Subject<'_>,
    record: &dyn Record,
) -> bool {
    let is = |scope| scopes.has(scope);
    let own_id =
        || who.id.is_some_and(|id| fields.owner.iter().any(|f| record.field(f).is_some_and(|v| v.is(id))));
    let own_name = || {
        who.name.is_some_and(|n| fields.owner_name.iter().any(|f| record.field(f).is_some_and(|v| v.is(n))))
    };
    let tenant = || match (fields.tenant, who.tenant) {
        (Some(f), Some(t)) => record.field(f).is_some_and(|v| v.is(t)),
        _ => false,
    };
    is(Scope::All)
        || (is(Scope::Own) && (own_id() || own_name()))
        || (is(Scope::Team) && holds(record, fields.team, who.teams))
        || (is(Scope::Area) && holds(record, fields.area, who.areas))
        || (is(Scope::Client) && holds(record, fields.client, who.clients))
        || (is(Scope::Tenant) && tenant())
        || (is(Scope::Shared) && shared(record, fields.shared))
}

/// The value of a record's tenant field, `None` when the field is absent or null.
pub(crate) fn tenant_value<'r>(record: &'r dyn Record, field: &str) -> Option<FieldValue<'r>> {
    record.field(field).filter(|v| *v != FieldValue::Null)
}
