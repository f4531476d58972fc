//! "Did you mean" suggestions for unknown names.

/// The known name closest to `unknown` (by edit distance, at most a third of its length), if any.
///
/// ```
/// use rolegate::policy::did_you_mean;
/// assert_eq!(did_you_mean("enginer", ["engineer", "office_staff"]), Some("engineer"));
/// assert_eq!(did_you_mean("zzz", ["engineer"]), None);
/// ```
pub fn did_you_mean<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (unknown.chars().count() / 3).max(1);
    known
        .into_iter()
        .map(|k| (distance(unknown, k), k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// The Levenshtein distance between two strings, by characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let above = row.get(j + 1).copied().unwrap_or(0);
            let left = row.get(j).copied().unwrap_or(0);
            let value = (prev + usize::from(ca != *cb)).min(above + 1).min(left + 1);
            prev = above;
            if let Some(slot) = row.get_mut(j + 1) {
                *slot = value;
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

/// `unknown thing `x``, with a suggestion when one is close.
pub(crate) fn unknown<'a>(what: &str, name: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    match did_you_mean(name, known) {
        Some(s) => format!("unknown {what} `{name}`; did you mean `{s}`?"),
        None => format!("unknown {what} `{name}`"),
    }
}
