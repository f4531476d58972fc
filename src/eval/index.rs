//! Key patterns indexed once at load: exact keys and wildcard prefixes in hash maps.

use std::collections::HashMap;

/// Patterns (`page.jobs.view`, `api.email.*`, `*`) mapped to a payload, looked up without allocating.
///
/// A wildcard `a.b.*` is stored under its prefix `a.b.`; a key is checked against itself, then each of
/// its dotted prefixes from the longest, then `*`. Only `*` and a final `.*` are wildcards; any other
/// `*` is part of an exact key.
#[derive(Debug, Clone)]
pub(crate) struct KeyIndex<T> {
    exact: HashMap<Box<str>, T>,
    prefix: HashMap<Box<str>, T>,
    star: Option<T>,
}

impl<T> Default for KeyIndex<T> {
    fn default() -> Self {
        KeyIndex { exact: HashMap::new(), prefix: HashMap::new(), star: None }
    }
}

impl<T: Copy> KeyIndex<T> {
    /// Adds `pattern`, merging with a payload already stored for it.
    pub(crate) fn insert(&mut self, pattern: &str, value: T, merge: impl Fn(T, T) -> T) {
        let slot = if pattern == "*" {
            &mut self.star
        } else if pattern.ends_with(".*") {
            let prefix = pattern.get(..pattern.len() - 1).unwrap_or(pattern);
            return upsert(&mut self.prefix, prefix, value, merge);
        } else {
            return upsert(&mut self.exact, pattern, value, merge);
        };
        *slot = Some(match *slot {
            Some(old) => merge(old, value),
            None => value,
        });
    }

    /// Calls `f` with every payload whose pattern covers `key`, most specific first; stops when `f`
    /// returns `true`.
    pub(crate) fn each(&self, key: &str, mut f: impl FnMut(T) -> bool) {
        if let Some(v) = self.exact.get(key) {
            if f(*v) {
                return;
            }
        }
        if !self.prefix.is_empty() {
            for (i, _) in key.rmatch_indices('.') {
                if let Some(v) = key.get(..=i).and_then(|p| self.prefix.get(p)) {
                    if f(*v) {
                        return;
                    }
                }
            }
        }
        if let Some(v) = self.star {
            f(v);
        }
    }

    /// The payload of the most specific pattern covering `key`.
    pub(crate) fn first(&self, key: &str) -> Option<T> {
        let mut found = None;
        self.each(key, |v| {
            found = Some(v);
            true
        });
        found
    }
}

fn upsert<T: Copy>(map: &mut HashMap<Box<str>, T>, k: &str, value: T, merge: impl Fn(T, T) -> T) {
    match map.get_mut(k) {
        Some(old) => *old = merge(*old, value),
        None => {
            map.insert(k.into(), value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_specific_first() {
        let mut ix = KeyIndex::default();
        for (i, p) in ["*", "a.*", "a.b.*", "a.b.c"].into_iter().enumerate() {
            ix.insert(p, i, |a, _| a);
        }
        let mut seen = vec![];
        ix.each("a.b.c", |v| {
            seen.push(v);
            false
        });
        assert_eq!(seen, [3, 2, 1, 0]);
        assert_eq!(ix.first("a.x"), Some(1));
        assert_eq!(ix.first("ab"), Some(0));
    }
}
