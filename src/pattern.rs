//! Route patterns and the matcher that picks the most specific one for a path, and the paths a
//! redirect may name: the grammar a policy's routes are written in, which lint checks and the gate
//! matches with (so both sides read a pattern the same way).
//!
//! Syntax (the one matchit uses, which rolegate used before this module): a pattern starts with `/`;
//! each segment is literal text, or one parameter with optional literal text around it
//! (`{id}`, `img-{id}.png`), or, as the whole last segment, a catch-all (`{*rest}`); `{{` and `}}` are
//! literal braces. A parameter matches a non-empty run of characters other than `/`; a catch-all
//! matches the non-empty rest of the path.
//!
//! When several patterns match, segment by segment from the left, literal text beats a parameter
//! with a prefix or suffix, which beats a bare parameter, which beats a catch-all; so `/jobs/new`
//! beats `/jobs/{id}` and `/a/b/{x}` beats `/a/{y}/c`. Two patterns that differ only in parameter
//! names (`/jobs/{id}` and `/jobs/{job}`) conflict and are refused. Of patterns that tie otherwise,
//! the earlier rule wins.
//!
//! Written here rather than taken from matchit: its tree and error reporting were 6 KB (brotli) of
//! the browser module, and a snapshot holds at most a few hundred patterns, grouped below by their
//! first segment so that a lookup only tries a handful.

use crate::limits::MAX_ROUTE_PARAMS;

/// One segment of a pattern. Parameter names are not kept: they never change what matches.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// Literal text (braces unescaped).
    Text(String),
    /// `prefix{name}suffix`.
    Param { prefix: String, suffix: String },
    /// `{*name}`, last only.
    Rest,
}

impl Segment {
    /// Lower is more specific.
    fn rank(&self) -> u8 {
        match self {
            Segment::Text(_) => 0,
            Segment::Param { prefix, suffix } if !prefix.is_empty() || !suffix.is_empty() => 1,
            Segment::Param { .. } => 2,
            Segment::Rest => 3,
        }
    }

    /// Whether one segment of a path (no `/`) matches.
    fn matches(&self, part: &str) -> bool {
        match self {
            Segment::Text(t) => part == t,
            Segment::Param { prefix, suffix } => {
                part.len() > prefix.len() + suffix.len()
                    && part.starts_with(prefix.as_str())
                    && part.ends_with(suffix.as_str())
            }
            Segment::Rest => !part.is_empty(),
        }
    }
}

/// Parses a pattern into its segments, or says what is wrong with it.
fn parse(pattern: &str) -> Result<Vec<Segment>, &'static str> {
    let body = pattern.strip_prefix('/').ok_or("a pattern starts with `/`")?;
    let parts: Vec<&str> = body.split('/').collect();
    let last = parts.len().saturating_sub(1);
    parts.iter().enumerate().map(|(i, part)| segment(part, i == last)).collect()
}

fn segment(text: &str, last: bool) -> Result<Segment, &'static str> {
    let mut literal = String::new();
    let mut param: Option<(String, bool)> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' | '}' if chars.peek() == Some(&c) => {
                chars.next();
                literal.push(c);
            }
            '{' => {
                if param.is_some() {
                    return Err("a segment has at most one parameter");
                }
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some('{') | None => return Err("a `{` is not closed by `}`"),
                        Some(c) => name.push(c),
                    }
                }
                let (rest, name) = match name.strip_prefix('*') {
                    Some(n) => (true, n),
                    None => (false, name.as_str()),
                };
                if name.is_empty() || name.contains('*') {
                    return Err("a parameter needs a name");
                }
                if rest && (!literal.is_empty() || !last || chars.peek().is_some()) {
                    return Err("a catch-all `{*name}` must be the whole last segment");
                }
                param = Some((std::mem::take(&mut literal), rest));
            }
            '}' => return Err("a `}` is not escaped as `}}`"),
            c => literal.push(c),
        }
    }
    Ok(match param {
        None => Segment::Text(literal),
        Some((_, true)) => Segment::Rest,
        Some((prefix, false)) => Segment::Param { prefix, suffix: literal },
    })
}

/// Compiled patterns, looked up by path.
///
/// ```
/// # #[cfg(feature = "internals")] {
/// use rolegate::surfaces::Patterns;
/// let mut p = Patterns::default();
/// assert_eq!(p.insert("/jobs/{id}"), Ok(0));
/// assert_eq!(p.insert("/jobs/new"), Ok(1));
/// assert_eq!(p.insert("/admin/{*rest}"), Ok(2));
/// assert_eq!(p.at("/jobs/new"), Some(1));
/// assert_eq!(p.at("/jobs/42"), Some(0));
/// assert_eq!(p.at("/admin/users/7"), Some(2));
/// assert_eq!(p.at("/admin/"), None);
/// assert!(p.insert("/jobs/{job}").is_err()); // the same shape as `/jobs/{id}`
/// # }
/// ```
#[derive(Debug, Clone, Default)]
pub struct Patterns {
    /// Each pattern's segments and their ranks.
    patterns: Vec<(Vec<Segment>, Vec<u8>)>,
    /// Patterns whose first segment is literal, grouped by it (sorted by the text).
    by_first: Vec<(String, Vec<usize>)>,
    /// Patterns whose first segment is a parameter or catch-all.
    wild: Vec<usize>,
}

impl Patterns {
    /// Adds a pattern; its index (the number of patterns before it), or why it is refused: it does
    /// not parse, or it has the same shape as an earlier one.
    pub fn insert(&mut self, pattern: &str) -> Result<usize, &'static str> {
        let segments = parse(pattern)?;
        let i = self.patterns.len();
        let group = match segments.first() {
            Some(Segment::Text(first)) => {
                match self.by_first.binary_search_by(|(t, _)| t.as_str().cmp(first)) {
                    Ok(g) => self.by_first.get_mut(g).map(|(_, list)| list),
                    Err(g) => {
                        self.by_first.insert(g, (first.clone(), Vec::new()));
                        self.by_first.get_mut(g).map(|(_, list)| list)
                    }
                }
            }
            _ => Some(&mut self.wild),
        };
        let Some(group) = group else { return Err("internal: pattern group") };
        if group.iter().any(|&j| self.patterns.get(j).is_some_and(|(s, _)| *s == segments)) {
            return Err("it conflicts with an earlier pattern of the same shape");
        }
        group.push(i);
        let ranks = segments.iter().map(Segment::rank).collect();
        self.patterns.push((segments, ranks));
        Ok(i)
    }

    /// The index of the most specific pattern matching the path of a URL `path`: its query string
    /// and fragment are ignored (a gate's routes and a policy's lint both match paths this way).
    pub fn at_url(&self, path: &str) -> Option<usize> {
        let end = path.bytes().position(|b| b == b'?' || b == b'#').unwrap_or(path.len());
        self.at(path.get(..end).unwrap_or(path))
    }

    /// The index of the most specific pattern matching `path`, if any.
    pub fn at(&self, path: &str) -> Option<usize> {
        // Byte searches throughout: `/` is ASCII, and the char-pattern searchers of the
        // size-optimised standard library cost most of a route check in the browser module.
        let rest = path.strip_prefix("/")?;
        let first = split_slash(rest).map_or(rest, |(part, _)| part);
        let literal = self
            .by_first
            .binary_search_by(|(t, _)| t.as_str().cmp(first))
            .ok()
            .and_then(|g| self.by_first.get(g))
            .map_or(&[][..], |(_, list)| list.as_slice());
        let mut best: Option<(&[u8], usize)> = None;
        for &i in literal.iter().chain(&self.wild) {
            let Some((segments, ranks)) = self.patterns.get(i) else { continue };
            let better = best.is_none_or(|(r, j)| (ranks.as_slice(), i) < (r, j));
            if better && matches(segments, rest) {
                best = Some((ranks, i));
            }
        }
        best.map(|(_, i)| i)
    }
}

/// `s` split at its first `/`, which is left out.
fn split_slash(s: &str) -> Option<(&str, &str)> {
    let i = s.bytes().position(|b| b == b'/')?;
    Some((s.get(..i)?, s.get(i + 1..)?))
}

/// Whether `segments` match the path `rest` (without its leading `/`).
fn matches(segments: &[Segment], mut rest: &str) -> bool {
    let mut it = segments.iter().peekable();
    while let Some(segment) = it.next() {
        if *segment == Segment::Rest {
            return segment.matches(rest);
        }
        let (part, after) = match split_slash(rest) {
            Some((part, after)) => (part, Some(after)),
            None => (rest, None),
        };
        if !segment.matches(part) {
            return false;
        }
        match (after, it.peek().is_some()) {
            (Some(after), true) => rest = after,
            (None, false) => return true,
            _ => return false,
        }
    }
    false
}

/// Whether `path` is a path of this site that a redirect may go to: it starts with one `/`, has no
/// `\\` (browsers read it as `/`, so `/\\host` leaves the site) and no control character (browsers
/// drop tabs and line breaks from URLs, so `/\t/host` would be `//host`).
///
/// ```
/// use rolegate::surfaces::site_path;
/// assert!(site_path("/customers") && !site_path("//evil.example") && !site_path("/\\evil.example"));
/// assert!(!site_path("/\t/evil.example") && !site_path("https://evil.example") && !site_path(""));
/// ```
pub fn site_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.bytes().any(|b| b == b'\\' || b < 0x20 || b == 0x7f)
}

/// Whether `target` is a redirect target a policy or a signed body may name: `home`, `logout` or a
/// [`site_path`] (`//evil.example/phish` is not).
///
/// ```
/// use rolegate::surfaces::site_target;
/// assert!(site_target("home") && site_target("/login") && !site_target("//evil.example/phish"));
/// ```
pub fn site_target(target: &str) -> bool {
    target == "home" || target == "logout" || site_path(target)
}

/// Refuses a pattern with more than [`MAX_ROUTE_PARAMS`] parameters (the route matcher rolegate used
/// before [`Patterns`] panicked past 25; the limit stays, as part of the format). Each `{` that does
/// not start an escaped `{{` counts.
///
/// ```
/// use rolegate::surfaces::check_params;
/// assert!(check_params("/customers/{id}/jobs/{job}").is_ok());
/// assert!(check_params(&"/{p}".repeat(30)).is_err());
/// assert!(check_params(&"/{{".repeat(30)).is_ok()); // escaped braces are not parameters
/// ```
pub fn check_params(pattern: &str) -> Result<(), String> {
    let (mut count, mut rest) = (0, pattern.as_bytes());
    while let Some(i) = rest.iter().position(|&b| b == b'{') {
        let escaped = rest.get(i + 1) == Some(&b'{');
        count += usize::from(!escaped);
        rest = rest.get(i + 1 + usize::from(escaped)..).unwrap_or_default();
    }
    if count > MAX_ROUTE_PARAMS {
        return Err(crate::text::cat(&[
            &crate::text::num(count as u64),
            " parameters; a pattern may have at most ",
            &crate::text::num(MAX_ROUTE_PARAMS as u64),
        ]));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(patterns: &[&str]) -> Patterns {
        let mut p = Patterns::default();
        for pattern in patterns {
            assert!(p.insert(pattern).is_ok(), "{pattern}");
        }
        p
    }

    #[test]
    fn most_specific_wins() {
        let p = table(&[
            "/a/{x}/c",
            "/a/b/{y}",
            "/a/{*rest}",
            "/{page}",
            "/img-{id}.png",
            "/",
            "/x/",
            "/{{lit}}",
        ]);
        assert_eq!(p.at("/a/b/c"), Some(1));
        assert_eq!(p.at("/a/z/c"), Some(0));
        assert_eq!(p.at("/a/z/d"), Some(2));
        assert_eq!(p.at("/a"), Some(3));
        assert_eq!(p.at("/img-7.png"), Some(4));
        assert_eq!(p.at("/img-.png"), Some(3), "a parameter is never empty");
        assert_eq!(p.at("/"), Some(5));
        assert_eq!(p.at("/x/"), Some(6));
        assert_eq!(p.at("/x"), Some(3));
        assert_eq!(p.at("/{lit}"), Some(7));
        assert_eq!(p.at("/a/b/c/d"), Some(2));
        assert_eq!(p.at("/a/"), None, "a catch-all is never empty");
        assert_eq!(p.at("a"), None);
        assert_eq!(p.at(""), None);
        assert_eq!(p.at("/q/r"), None);
    }

    #[test]
    fn refuses_bad_and_conflicting_patterns() {
        for bad in [
            "jobs",
            "/jobs/{id",
            "/jobs/{}",
            "/jobs/{*}",
            "/a/{x}{y}",
            "/a/}",
            "/{*rest}/more",
            "/a-{*rest}",
            "/{**x}",
            "/{a{b}",
        ] {
            assert!(Patterns::default().insert(bad).is_err(), "{bad}");
        }
        let mut p = table(&["/jobs/{id}", "/files/{*path}"]);
        assert!(p.insert("/jobs/{job}").is_err());
        assert!(p.insert("/files/{*rest}").is_err());
        assert!(p.insert("/jobs/{id}").is_err());
        assert_eq!(p.insert("/jobs/{id}.pdf"), Ok(2), "a suffix makes another shape");
    }
}
