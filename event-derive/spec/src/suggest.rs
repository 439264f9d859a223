//! Did-you-mean hints: the edit distance and the closest of a few candidates.

/// The Levenshtein distance between `a` and `b`, in characters, if it is at most
/// `limit`.
///
/// Each row of the table is at least the distance so far, so the work stops at the first
/// row past `limit`: far names, most of them, cost a few rows.
///
/// ```
/// use event_spec::suggest::levenshtein;
/// assert_eq!(levenshtein("kitten", "sitting", 3), Some(3));
/// assert_eq!(levenshtein("kitten", "sitting", 2), None);
/// ```
pub fn levenshtein(a: &str, b: &str, limit: usize) -> Option<usize> {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            current[j + 1] = (previous[j] + usize::from(ca != *cb))
                .min(previous[j + 1] + 1)
                .min(current[j] + 1);
        }
        if current.iter().min().is_some_and(|&least| least > limit) {
            return None;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    Some(previous[b.len()]).filter(|&distance| distance <= limit)
}

/// The candidate closest to `input`, if one is close enough to be a plausible typo:
/// equal ignoring case, `_`, `-` and spaces, one a prefix of the other (3 characters
/// or more), or within an edit distance that grows with the length (1 for short
/// words, at most 3).
///
/// ```
/// use event_spec::suggest::closest;
/// assert_eq!(closest("prodcut_id", ["product_id", "sku"]), Some("product_id"));
/// assert_eq!(closest("colour", ["product_id", "sku"]), None);
/// ```
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let folded = fold(input);
    let limit = match input.chars().count() {
        0..=3 => 1,
        4..=7 => 2,
        _ => 3,
    };
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let folded_candidate = fold(candidate);
        let distance = if folded_candidate == folded {
            0
        } else if folded.len().min(folded_candidate.len()) >= 3
            && (folded.starts_with(&folded_candidate) || folded_candidate.starts_with(&folded))
        {
            1
        } else {
            match levenshtein(&input.to_lowercase(), &candidate.to_lowercase(), limit) {
                Some(distance) => distance,
                None => continue,
            }
        };
        if distance <= limit && best.is_none_or(|(closest, _)| distance < closest) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// `words` backticked and joined for a message: `` `a`, `b` or `c` ``.
///
/// ```
/// assert_eq!(event_spec::suggest::list(["a", "b", "c"]), "`a`, `b` or `c`");
/// ```
pub fn list(words: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    let words: Vec<String> = words
        .into_iter()
        .map(|word| format!("`{}`", word.as_ref()))
        .collect();
    match words.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(levenshtein("", "abc", 3), Some(3));
        assert_eq!(levenshtein("abc", "", 3), Some(3));
        assert_eq!(levenshtein("abc", "", 2), None);
        assert_eq!(levenshtein("kitten", "sitting", 9), Some(3));
        assert_eq!(
            levenshtein("Product List Veiwed", "Product List Viewed", 2),
            Some(2)
        );
        assert_eq!(levenshtein("ab", "ba", 2), Some(2));
        assert_eq!(levenshtein("same", "same", 0), Some(0));
        // Stopped early, yet the same answer as the whole table.
        assert_eq!(levenshtein("Custom Event 7", "Cart Viewed", 2), None);
        assert_eq!(levenshtein("Custom Event 7", "Cart Viewed", 20), Some(10));
    }

    #[test]
    fn closest_candidates() {
        let keys = ["required", "non_empty", "length", "range", "url", "email"];
        assert_eq!(closest("requird", keys), Some("required"));
        assert_eq!(closest("nonempty", keys), Some("non_empty"));
        assert_eq!(closest("Range", keys), Some("range"));
        assert_eq!(closest("zzzzzzzz", keys), None);
    }

    #[test]
    fn lists() {
        assert_eq!(list(["a"]), "`a`");
        assert_eq!(list(["a", "b", "c"]), "`a`, `b` or `c`");
    }
}
