//! The route rules as the issuer side reads them: which rule a path matches and whether a holder of
//! some grants may open it, as a gate would answer (activity and platform aside). Lint asks it of
//! each role's home and redirect targets; the compiler, of each role home of a user, to write the
//! user's home into their body.

use super::{covers, Effective, Policy, RouteRule, Routes};
use crate::pattern::Patterns;

/// The route rules of a policy compiled into one matcher.
pub(crate) struct RouteMap<'p> {
    routes: &'p Routes,
    patterns: Patterns,
}

impl<'p> RouteMap<'p> {
    /// The matcher of `routes`; `None` when a pattern does not compile (lint reports that).
    pub(crate) fn new(routes: &'p Routes) -> Option<RouteMap<'p>> {
        let mut patterns = Patterns::default();
        for rule in &routes.rules {
            crate::pattern::check_params(&rule.path).ok()?;
            patterns.insert(&rule.path).ok()?;
        }
        Some(RouteMap { routes, patterns })
    }

    /// The rule `path` matches (its query string and fragment are ignored), as a gate matches it.
    pub(crate) fn rule(&self, path: &str) -> Option<&'p RouteRule> {
        self.patterns.at_url(path).and_then(|i| self.routes.rules.get(i))
    }

    /// Whether `holder` may open `path`: the rule it matches needs no key or one they hold; a path
    /// no rule matches only with `fallback_allow`.
    pub(crate) fn opens(&self, path: &str, holder: &Holder<'_>) -> bool {
        match self.rule(path) {
            Some(rule) => rule.requires.as_deref().is_none_or(|k| holder.can(k)),
            None => self.routes.fallback_allow,
        }
    }
}

/// Grants as a gate reads them without a record: patterns allowed (with any scope) and denied.
#[derive(Default)]
pub(crate) struct Holder<'a> {
    allow: Vec<&'a str>,
    deny: Vec<&'a str>,
}

impl<'a> Holder<'a> {
    /// A holder of `roles` (each with its effective grants) whose tenant has enabled `features`
    /// (`None`: every feature): the keys of a feature are denied while it is off for them, as the
    /// compiler turns them off (not enabled, or every one of their roles excluded from it).
    pub(crate) fn of(
        policy: &'a Policy,
        roles: &[(&'a str, &'a Effective)],
        features: Option<&[String]>,
    ) -> Self {
        let mut h = Holder::default();
        for (_, e) in roles {
            h.allow.extend(e.allow.keys().map(String::as_str));
            h.deny.extend(e.deny.iter().map(String::as_str));
        }
        for (name, f) in &policy.features {
            if !f.is_on(features.is_none_or(|list| list.contains(name)), roles.iter().map(|(r, _)| *r)) {
                h.deny.extend(f.keys.iter().map(String::as_str));
            }
        }
        h
    }

    /// Whether `key` is allowed: a catalogue key (not a pattern) that a grant covers and no deny does.
    pub(crate) fn can(&self, key: &str) -> bool {
        !key.ends_with('*')
            && self.allow.iter().any(|p| covers(p, key))
            && !self.deny.iter().any(|p| covers(p, key))
    }
}
