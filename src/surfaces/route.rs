//! Routes: every path pattern of the snapshot compiled into one matcher at load.

use crate::error::Error;
use crate::eval::{Body, BodyRoutes, Context, Decision, Grants, Reason};

use crate::pattern::{check_params, site_path, site_target, Patterns};

/// Where a denied route sends the user.
///
/// ```
/// use rolegate::surfaces::Redirect;
/// assert_eq!(Redirect::parse("logout"), Redirect::Logout);
/// assert_eq!(Redirect::parse("/upgrade"), Redirect::To("/upgrade".into()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redirect {
    /// To the application's home page.
    Home,
    /// Log the user out.
    Logout,
    /// To a path the policy names.
    To(String),
}

/// Whether every redirect of `routes` stays on the site and its home is a path of it.
fn on_site(routes: &BodyRoutes) -> bool {
    site_path(&routes.home)
        && site_target(&routes.on_deny)
        && site_target(&routes.on_platform_deny)
        && routes.rules.iter().all(|r| r.target.as_deref().is_none_or(site_target))
}

impl Redirect {
    /// Reads a target as written in a policy: `home`, `logout`, or a path.
    ///
    /// ```
    /// assert_eq!(rolegate::surfaces::Redirect::parse("home"), rolegate::surfaces::Redirect::Home);
    /// ```
    pub fn parse(target: &str) -> Redirect {
        match target {
            "home" => Redirect::Home,
            "logout" => Redirect::Logout,
            path => Redirect::To(path.to_owned()),
        }
    }
}

/// The answer to "may the user open this path, and if not, where to?".
///
/// ```
/// use rolegate::surfaces::{Redirect, RouteDecision};
/// use rolegate::{Decision, Reason};
/// let d = RouteDecision { allow: false, redirect: Some(Redirect::Home), decision: Decision::deny(Reason::NoRoute) };
/// assert_eq!(d.decision.reason.code(), "no_route");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteDecision {
    /// Whether the path may be opened.
    pub allow: bool,
    /// Where to go instead, when denied.
    pub redirect: Option<Redirect>,
    /// The decision, with its reason and the route pattern or key that decided.
    pub decision: Decision,
}

/// The route rules of a snapshot, compiled once.
#[derive(Debug, Clone, Default)]
pub(crate) struct RouteTable {
    patterns: Patterns,
    rules: Vec<(String, Option<String>, Option<Redirect>)>,
    home: String,
    fallback_allow: bool,
    on_deny: Option<Redirect>,
    on_platform_deny: Option<Redirect>,
}

impl RouteTable {
    /// Compiles the routes of a body (none: every path is answered `no_route`).
    pub(crate) fn build(keys: &Body) -> Result<RouteTable, Error> {
        let Some(routes) = &keys.routes else { return Ok(RouteTable::default()) };
        // What lint refuses in a policy is refused in a signed body too: a redirect that leaves the
        // site, or a home that is not a path of it (issue 22: the gate trusted the body).
        if !on_site(routes) {
            return Err(Error::BadClaim {
                claim: "rg",
                reason: "a redirect or the home of the permission body is not a path of this site",
            });
        }
        let mut table = RouteTable {
            patterns: Patterns::default(),
            rules: Vec::with_capacity(routes.rules.len()),
            home: routes.home.clone(),
            fallback_allow: routes.fallback_allow,
            on_deny: Some(Redirect::parse(&routes.on_deny)),
            on_platform_deny: Some(Redirect::parse(&routes.on_platform_deny)),
        };
        for rule in &routes.rules {
            let bad = || Error::BadClaim {
                claim: "rg",
                reason: "a route pattern of the permission body does not compile",
            };
            check_params(&rule.pattern).map_err(|_| bad())?;
            table.patterns.insert(&rule.pattern).map_err(|_| bad())?;
            let key = rule.key.and_then(|k| keys.key(k)).map(str::to_owned);
            table.rules.push((rule.pattern.clone(), key, rule.target.as_deref().map(Redirect::parse)));
        }
        Ok(table)
    }

    /// Every text a route decision can name: the patterns and the paths it redirects to.
    pub(crate) fn texts(&self) -> Vec<&str> {
        fn path(r: &Option<Redirect>) -> Option<&str> {
            match r {
                Some(Redirect::To(p)) => Some(p.as_str()),
                _ => None,
            }
        }
        let rules = self.rules.iter().flat_map(|(p, _, t)| [Some(p.as_str()), path(t)]);
        rules.chain([path(&self.on_deny), path(&self.on_platform_deny)]).flatten().collect()
    }

    /// The home path.
    pub(crate) fn home(&self) -> &str {
        &self.home
    }

    /// Decides `path` (its query string and fragment are ignored).
    pub(crate) fn decide(&self, grants: &Grants, ctx: &Context<'_>, path: &str) -> RouteDecision {
        self.decide_rule(grants, ctx, self.find(path))
    }

    /// The rule whose pattern matches `path` (its query string and fragment are ignored).
    pub(crate) fn find(&self, path: &str) -> Option<usize> {
        self.patterns.at_url(path).filter(|&hit| hit < self.rules.len())
    }

    /// The number of rules.
    pub(crate) fn len(&self) -> usize {
        self.rules.len()
    }

    /// Decides a path that matched rule `hit` (`None`: no rule matched). This depends on the user
    /// alone, so a gate computes it once per rule. A denied path whose redirect leads to a page
    /// (the home or a path) that is denied too is answered `redirect_denied`, naming that page, and
    /// logs the user out: the gate never sends a user round a loop.
    pub(crate) fn decide_rule(
        &self,
        grants: &Grants,
        ctx: &Context<'_>,
        hit: Option<usize>,
    ) -> RouteDecision {
        let d = self.decide_once(grants, ctx, hit);
        let to = match &d.redirect {
            // A snapshot without routes has no home of its own to look at (the app's is outside it).
            Some(Redirect::Home) if !self.home.is_empty() => self.home.as_str(),
            Some(Redirect::To(path)) => path.as_str(),
            _ => return d,
        };
        if self.decide_once(grants, ctx, self.find(to)).allow {
            return d;
        }
        deny(Decision::new(Reason::RedirectDenied, Some(to)), Redirect::Logout)
    }

    /// Whether the session may start on the UI's platform at all: the user is active and may use
    /// it. Denied, it redirects as a route denied by platform or activity does.
    pub(crate) fn platform(&self, grants: &Grants, ctx: &Context<'_>) -> RouteDecision {
        if grants.admits(ctx).is_some() {
            // Every path answers the same for this user: the one that matches no rule does.
            return self.decide_rule(grants, ctx, None);
        }
        RouteDecision { allow: true, redirect: None, decision: Decision::new(Reason::Granted, ctx.platform) }
    }

    /// [`RouteTable::decide_rule`] without the look at where a redirect leads.
    fn decide_once(&self, grants: &Grants, ctx: &Context<'_>, hit: Option<usize>) -> RouteDecision {
        let logout = || self.on_platform_deny.clone().unwrap_or(Redirect::Logout);
        let home = || self.on_deny.clone().unwrap_or(Redirect::Home);
        if let Some(v) = grants.admits(ctx) {
            return deny(grants.decision(v), logout());
        }
        let Some((pattern, key, target)) = hit.and_then(|i| self.rules.get(i)) else {
            if self.fallback_allow {
                return RouteDecision {
                    allow: true,
                    redirect: None,
                    decision: Decision::new(Reason::Public, None),
                };
            }
            return deny(Decision::deny(Reason::NoRoute), home());
        };
        let decision = match key {
            Some(key) => grants.decision(grants.verdict(ctx, key, None)),
            None => Decision::new(Reason::Public, Some(pattern)),
        };
        if decision.allow {
            return RouteDecision { allow: true, redirect: None, decision };
        }
        deny(decision, target.clone().unwrap_or_else(home))
    }
}

fn deny(decision: Decision, redirect: Redirect) -> RouteDecision {
    RouteDecision { allow: false, redirect: Some(redirect), decision }
}
