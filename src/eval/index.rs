//! Key patterns indexed once at load: exact keys and wildcard prefixes in hash maps.

use rustc_hash::FxHashMap as HashMap;

/// Patterns (`page.jobs.view`, `api.email.*`, `*`) mapped to a payload, looked up without allocating.
///
/// A wildcard `a.b.*` is stored under its prefix `a.b.`; a key is checked against itself, then each of
/// its dotted prefixes from the longest, then `*`. Only `*` and a final `.*` are wildcards; any other
/// `*` is part of an exact key.
///
/// The maps hold indices into `values`, so that every map of the module has the same shape (one
/// copy of the hash map's code in the browser build, whatever the payload).
#[derive(Debug, Clone)]
pub(crate) struct KeyIndex<T> {
    exact: HashMap<Box<str>, u32>,
    prefix: HashMap<Box<str>, u32>,
    star: Option<u32>,
    values: Vec<T>,
}

impl<T> Default for KeyIndex<T> {
    fn default() -> Self {
        KeyIndex { exact: HashMap::default(), prefix: HashMap::default(), star: None, values: Vec::new() }
    }
}

impl<T: Copy> KeyIndex<T> {
    /// Adds `pattern`, merging with a payload already stored for it.
    pub(crate) fn insert(&mut self, pattern: &str, value: T, merge: impl Fn(T, T) -> T) {
        let next = u32::try_from(self.values.len()).unwrap_or(u32::MAX);
        let at = if pattern == "*" {
            *self.star.get_or_insert(next)
        } else if pattern.ends_with(".*") {
            let prefix = pattern.get(..pattern.len() - 1).unwrap_or(pattern);
            slot(&mut self.prefix, prefix, next)
        } else {
            slot(&mut self.exact, pattern, next)
        };
        match self.values.get_mut(at as usize) {
            Some(old) => *old = merge(*old, value),
            None => self.values.push(value),
        }
    }

    fn value(&self, at: Option<&u32>) -> Option<T> {
        at.and_then(|i| self.values.get(*i as usize)).copied()
    }

    /// Calls `f` with every payload whose pattern covers `key`, most specific first; stops when `f`
    /// returns `true`.
    pub(crate) fn each(&self, key: &str, mut f: impl FnMut(T) -> bool) {
        if let Some(v) = self.value(self.exact.get(key)) {
            if f(v) {
                return;
            }
        }
        if !self.prefix.is_empty() {
            for (i, _) in key.rmatch_indices('.') {
                if let Some(v) = self.value(key.get(..=i).and_then(|p| self.prefix.get(p))) {
                    if f(v) {
                        return;
                    }
                }
            }
        }
        if let Some(v) = self.value(self.star.as_ref()) {
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

/// The index stored for `k`, after storing `next` for it if it had none.
fn slot(map: &mut HashMap<Box<str>, u32>, k: &str, next: u32) -> u32 {
    match map.get(k) {
        Some(at) => *at,
        None => {
            map.insert(k.into(), next);
            next
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
