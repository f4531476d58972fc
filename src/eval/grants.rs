//! A snapshot body, indexed once at load so that each check is a few hash lookups.

use std::collections::HashMap;

use serde::Deserialize;

use super::decision::{Decision, Reason};
use crate::error::Error;

/// The grants of one user, indexed for checks.
///
/// ```
/// let body = serde_json::json!({"allow": ["page.*"], "deny": ["page.admin"]});
/// let grants = rolegate::Grants::from_body(&body).unwrap();
/// assert!(grants.decide("page.jobs").allow);
/// assert!(!grants.decide("page.admin").allow);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Grants {
    /// Exact keys and wildcard prefixes (stored as `prefix.*`) mapped to allow (`true`) or deny.
    rules: HashMap<String, bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Body {
    #[serde(default)]
    allow: Vec<String>,
    #[serde(default)]
    deny: Vec<String>,
}

impl Grants {
    /// Indexes a snapshot body (`{"allow": [...], "deny": [...]}`).
    pub fn from_body(body: &serde_json::Value) -> Result<Grants, Error> {
        let body = Body::deserialize(body).map_err(|_| Error::BadClaim {
            claim: "rg",
            reason: "the permission body does not have the expected shape",
        })?;
        let mut rules = HashMap::with_capacity(body.allow.len() + body.deny.len());
        for k in body.allow {
            rules.entry(k).or_insert(true);
        }
        for k in body.deny {
            rules.insert(k, false);
        }
        Ok(Grants { rules })
    }

    /// Decides a key: an exact rule first, then wildcards from the most specific prefix up; a deny
    /// anywhere on that path beats an allow.
    pub fn decide(&self, key: &str) -> Decision {
        let mut allow: Option<&str> = None;
        let mut check = |pattern: &str| -> Option<Decision> {
            match self.rules.get_key_value(pattern) {
                Some((rule, false)) => {
                    Some(Decision { allow: false, reason: Reason::ExplicitDeny, rule: Some(rule.clone()) })
                }
                Some((rule, true)) => {
                    allow.get_or_insert(rule.as_str());
                    None
                }
                None => None,
            }
        };
        if let Some(d) = check(key) {
            return d;
        }
        let mut scratch = String::with_capacity(key.len() + 2);
        for (i, _) in key.rmatch_indices('.') {
            scratch.clear();
            scratch.push_str(key.get(..=i).unwrap_or_default());
            scratch.push('*');
            if let Some(d) = check(&scratch) {
                return d;
            }
        }
        if let Some(d) = check("*") {
            return d;
        }
        match allow {
            Some(rule) => Decision { allow: true, reason: Reason::Granted, rule: Some(rule.to_owned()) },
            None => Decision::deny(Reason::NoGrant),
        }
    }
}
