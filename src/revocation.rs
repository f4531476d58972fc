//! Revocation floors: the server can push "refuse anything below revision N" for a user or a whole
//! tenant, so that old snapshots are refused before they expire.
//!
//! A floor only ever rises, and it can only make a gate refuse more, never accept more; that is why a
//! floor may come over an unauthenticated channel (a push message, an API response) without a
//! signature: whoever can forge one could as well stop the app from loading snapshots at all.

use crate::envelope::Claims;
use crate::error::Error;
use crate::limits::{MAX_FLOORS, MAX_ID_BYTES, MAX_REV, MAX_SEEN};

/// Whose snapshots a revocation floor applies to.
///
/// ```
/// let who = rolegate::Revocation::Subject("alice");
/// assert!(matches!(who, rolegate::Revocation::Subject(_)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revocation<'a> {
    /// One user (the snapshot's `sub`).
    Subject(&'a str),
    /// Every user of a tenant (the snapshot's `tid`).
    Tenant(&'a str),
}

/// The floors pushed so far, per subject and per tenant. Plain lists: at most `MAX_FLOORS` each, read
/// once per snapshot load (not per check), and a map type here cost kilobytes of the browser module.
#[derive(Debug, Clone, Default)]
pub(crate) struct Floors {
    subjects: Vec<(String, u64)>,
    tenants: Vec<(String, u64)>,
    /// Anti-rollback: the highest revision loaded for each of the last [`MAX_SEEN`] subjects, the
    /// most recent last. Kept across loads and `clear()`, so interleaving another user's snapshot
    /// does not reset it.
    seen: Vec<(String, u64)>,
}

/// The floor of `id` in `list`.
fn floor_of<'a>(list: &'a [(String, u64)], id: &str) -> Option<&'a u64> {
    list.iter().find(|(k, _)| k == id).map(|(_, f)| f)
}

impl Floors {
    /// Raises the floor for `who` to `rev` (a lower floor than the one set is ignored).
    pub(crate) fn raise(&mut self, who: Revocation<'_>, rev: u64) -> Result<(), Error> {
        let bad = |reason: &str| Err(Error::BadArgument { reason: reason.to_owned() });
        if rev > MAX_REV {
            return bad("a revocation floor must be an integer from 0 to 2^53 - 1");
        }
        let (map, id) = match who {
            Revocation::Subject(id) => (&mut self.subjects, id),
            Revocation::Tenant(id) => (&mut self.tenants, id),
        };
        if id.is_empty() || id.len() > MAX_ID_BYTES {
            return bad("a revoked subject or tenant must be 1 to 256 bytes");
        }
        let full = map.len() >= MAX_FLOORS;
        match map.iter_mut().find(|(k, _)| k == id) {
            Some((_, floor)) => *floor = (*floor).max(rev),
            None if full => return bad("too many revocation floors"),
            None => map.push((id.to_owned(), rev)),
        }
        Ok(())
    }

    /// Remembers that `claims` were put in force (see [`Floors::check`]).
    pub(crate) fn loaded(&mut self, claims: &Claims) {
        let rev = match self.seen.iter().position(|(k, _)| *k == claims.sub) {
            Some(i) => self.seen.remove(i).1.max(claims.rev),
            None => claims.rev,
        };
        if self.seen.len() >= MAX_SEEN {
            self.seen.remove(0);
        }
        self.seen.push((claims.sub.clone(), rev));
    }

    /// Refuses claims whose revision is below the highest one loaded for their subject
    /// (`rolled_back`), or below the floor of their subject or their tenant (`revoked`).
    pub(crate) fn check(&self, claims: &Claims) -> Result<(), Error> {
        if let Some(&current) = floor_of(&self.seen, &claims.sub) {
            if claims.rev < current {
                return Err(Error::RolledBack { rev: claims.rev, current });
            }
        }
        let subject = floor_of(&self.subjects, &claims.sub);
        let tenant = claims.tenant.as_deref().and_then(|t| floor_of(&self.tenants, t));
        match subject.into_iter().chain(tenant).copied().max() {
            Some(floor) if claims.rev < floor => Err(Error::Revoked { rev: claims.rev, floor }),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(sub: &str, tenant: Option<&str>, rev: u64) -> Claims {
        let mut c = Claims::new(sub, "app", 0.0, 10.0, rev, serde_json::json!({}));
        c.tenant = tenant.map(str::to_owned);
        c
    }

    #[test]
    fn floors_rise_and_apply_by_subject_or_tenant() {
        let mut f = Floors::default();
        f.raise(Revocation::Subject("alice"), 5).unwrap();
        f.raise(Revocation::Subject("alice"), 3).unwrap();
        assert_eq!(f.check(&claims("alice", None, 4)).unwrap_err(), Error::Revoked { rev: 4, floor: 5 });
        assert!(f.check(&claims("alice", None, 5)).is_ok());
        assert!(f.check(&claims("bob", Some("acme"), 1)).is_ok());
        f.raise(Revocation::Tenant("acme"), 9).unwrap();
        assert_eq!(f.check(&claims("bob", Some("acme"), 8)).unwrap_err().code(), "revoked");
        assert!(f.check(&claims("bob", Some("other"), 1)).is_ok());
        assert_eq!(f.raise(Revocation::Tenant(""), 1).unwrap_err().code(), "bad_argument");
        assert_eq!(f.raise(Revocation::Tenant("t"), MAX_REV + 1).unwrap_err().code(), "bad_argument");
    }

    #[test]
    fn at_most_max_floors_ids_each_and_known_ids_still_rise() {
        let mut f = Floors::default();
        for i in 0..MAX_FLOORS {
            f.raise(Revocation::Subject(&format!("u{i}")), 1).unwrap();
        }
        assert_eq!(f.raise(Revocation::Subject("one-more"), 1).unwrap_err().code(), "bad_argument");
        f.raise(Revocation::Subject("u7"), 4).unwrap();
        assert_eq!(f.check(&claims("u7", None, 3)).unwrap_err().code(), "revoked");
        f.raise(Revocation::Tenant("acme"), 2).unwrap();
        assert_eq!(f.check(&claims("x", Some("acme"), 1)).unwrap_err().code(), "revoked");
    }

    #[test]
    fn the_highest_revision_is_kept_per_subject_across_other_subjects() {
        let mut f = Floors::default();
        f.loaded(&claims("alice", None, 5));
        f.loaded(&claims("bob", None, 1));
        assert_eq!(f.check(&claims("alice", None, 4)).unwrap_err(), Error::RolledBack { rev: 4, current: 5 });
        assert!(f.check(&claims("alice", None, 5)).is_ok());
        f.loaded(&claims("alice", None, 3)); // never lowers what was seen
        assert_eq!(f.check(&claims("alice", None, 4)).unwrap_err().code(), "rolled_back");
        for i in 0..MAX_SEEN - 1 {
            f.loaded(&claims(&format!("u{i}"), None, 1));
        }
        assert!(f.check(&claims("bob", None, 0)).is_ok(), "the oldest subject is forgotten first");
        assert_eq!(f.check(&claims("alice", None, 4)).unwrap_err().code(), "rolled_back");
    }
}
