//! Record scopes: which records a grant reaches. The vocabulary policies, snapshot bodies and the
//! evaluator share; whether a record is within them is the evaluator's (`eval::scope`).

use serde::{Deserialize, Serialize};

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
