//! Did-you-mean hints: edit distance and closest-candidate search.

/// The Levenshtein distance between `a` and `b`, in characters.
pub fn levenshtein(a: &str, b: &str) -> usize {
    levenshtein_within(a, b, usize::MAX).unwrap_or(usize::MAX)
}

/// The Levenshtein distance between `a` and `b` if it is at most `max`.
///
/// Stops as soon as a whole row of the table exceeds `max`: the derive runs this for
/// every struct against every known event name, so most calls end after a few letters.
pub fn levenshtein_within(a: &str, b: &str, max: usize) -> Option<usize> {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        let mut row_min = current[0];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
            row_min = row_min.min(current[j + 1]);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    Some(previous[b.len()]).filter(|distance| *distance <= max)
}

/// The candidate closest to `input`, if one is close enough to be a plausible typo:
/// equal ignoring case, `_`/`-` and spaces, or within an edit distance that grows
/// with the length (1 for short words, at most 3).
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
        } else if folded_candidate.len() >= 3
            && (folded.starts_with(&folded_candidate) || folded_candidate.starts_with(&folded))
            && folded.len().min(folded_candidate.len()) >= 3
        {
            1
        } else {
            levenshtein(&input.to_lowercase(), &candidate.to_lowercase())
        };
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
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

/// `a`, `b` or `c` as backticked, comma-separated words.
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
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("Product List Veiwed", "Product List Viewed"), 2);
        assert_eq!(levenshtein("same", "same"), 0);
        assert_eq!(
            levenshtein_within("Product List Veiwed", "Product List Viewed", 2),
            Some(2)
        );
        assert_eq!(
            levenshtein_within("Custom Event 7", "Coupon Entered", 2),
            None
        );
        assert_eq!(levenshtein_within("kitten", "sitting", 2), None);
    }

    #[test]
    fn closest_candidates() {
        let keys = ["required", "non_empty", "length", "range", "url", "email"];
        assert_eq!(closest("requird", keys), Some("required"));
        assert_eq!(closest("nonempty", keys), Some("non_empty"));
        assert_eq!(closest("Range", keys), Some("range"));
        assert_eq!(closest("zzzzzzzz", keys), None);
        assert_eq!(
            closest("prodcut_id", ["product_id", "sku"]),
            Some("product_id")
        );
    }

    #[test]
    fn lists() {
        assert_eq!(list(["a"]), "`a`");
        assert_eq!(list(["a", "b", "c"]), "`a`, `b` or `c`");
    }
}
