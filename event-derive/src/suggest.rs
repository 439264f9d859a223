//! Did-you-mean hints: edit distance and closest-candidate search.

/// The Levenshtein distance between `a` and `b`, in characters.
pub fn levenshtein(a: &str, b: &str) -> usize {
    levenshtein_within(a, b, usize::MAX).unwrap_or(usize::MAX)
}

/// The Levenshtein distance between `a` and `b` if it is at most `max`.
pub fn levenshtein_within(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    chars_within(&a, &b, max)
}

/// [`levenshtein_within`] on characters already split out.
///
/// The derive runs this for every struct against the known event names of about the
/// same length, in a proc macro that Cargo builds unoptimized in the dev profile. So it
/// computes only the cells within `max` of the diagonal (no path through the others
/// stays within `max`), stops at the first row whose cells all exceed `max`, and is
/// written with slices, `while` and `if` rather than `Vec` indexing, iterators and
/// `min`, each of which is a function call in unoptimized code.
pub fn chars_within(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max || bag_distance(a, b) > max {
        return None;
    }
    // Every value above `max` counts the same: capping them keeps the sums from overflowing.
    let far = max.saturating_add(1);
    let width = b.len() + 1;
    let mut rows = vec![far; 2 * width];
    let (mut previous, mut current) = rows.split_at_mut(width);
    let mut j = 0;
    while j < width && j <= max {
        previous[j] = j;
        j += 1;
    }
    let mut i = 1;
    while i <= a.len() {
        let low = i.saturating_sub(max).max(1);
        let high = i.saturating_add(max).min(b.len());
        current[0] = i.min(far);
        // The cell left of the band, read by its first cell.
        current[low - 1] = if low > 1 { far } else { current[0] };
        let mut row_min = current[low - 1];
        let ca = a[i - 1];
        let mut j = low;
        while j <= high {
            let mut value = previous[j - 1] + usize::from(ca != b[j - 1]);
            if previous[j] + 1 < value {
                value = previous[j] + 1;
            }
            if current[j - 1] + 1 < value {
                value = current[j - 1] + 1;
            }
            if value > far {
                value = far;
            }
            current[j] = value;
            if value < row_min {
                row_min = value;
            }
            j += 1;
        }
        if high < b.len() {
            // The next row reads this cell, just outside the band.
            current[high + 1] = far;
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut previous, &mut current);
        i += 1;
    }
    Some(previous[b.len()]).filter(|distance| *distance <= max)
}

/// A lower bound of the edit distance, in one pass over each side: every character of
/// one that the other lacks takes an edit. Characters are counted in 64 buckets, which
/// can only lower the bound. Most names are rejected here, before the table.
fn bag_distance(a: &[char], b: &[char]) -> usize {
    let mut counts = [0_usize; 64];
    let mut i = 0;
    while i < a.len() {
        counts[a[i] as usize % 64] += 1;
        i += 1;
    }
    // Characters of `b` with no match left in `a`.
    let mut only_b = 0;
    let mut j = 0;
    while j < b.len() {
        let count = &mut counts[b[j] as usize % 64];
        if *count > 0 {
            *count -= 1;
        } else {
            only_b += 1;
        }
        j += 1;
    }
    // Those of `a` left unmatched.
    let only_a = a.len() - (b.len() - only_b);
    only_a.max(only_b)
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
        assert_eq!(levenshtein_within("kitten", "sitting", 3), Some(3));
        assert_eq!(levenshtein_within("abcdef", "bcdefg", 2), Some(2));
        assert_eq!(levenshtein_within("ab", "ba", 1), None);
        assert_eq!(levenshtein_within("", "ab", 2), Some(2));
        assert_eq!(levenshtein_within("ab", "", 1), None);
    }

    #[test]
    fn bag_distance_is_a_lower_bound() {
        let chars = |text: &str| text.chars().collect::<Vec<_>>();
        assert_eq!(bag_distance(&chars("abc"), &chars("cab")), 0);
        assert_eq!(bag_distance(&chars("kitten"), &chars("sitting")), 3);
        assert_eq!(
            bag_distance(&chars("custom event 7"), &chars("coupon entered")),
            6
        );
        assert_eq!(bag_distance(&chars(""), &chars("ab")), 2);
    }

    #[test]
    fn banded_distance_agrees_with_the_full_table() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "kitten",
            "sitting",
            "order completed",
            "order complete",
            "ordre completed",
            "orders completed",
            "custom event 7",
            "coupon entered",
            "product viewed",
            "products viewed",
            "prodcut viewed",
        ];
        for a in words {
            for b in words {
                let full = full_levenshtein(a, b);
                for max in 0..5 {
                    let expected = Some(full).filter(|distance| *distance <= max);
                    assert_eq!(levenshtein_within(a, b, max), expected, "{a:?} {b:?} {max}");
                }
                assert_eq!(levenshtein(a, b), full, "{a:?} {b:?}");
                let (a_chars, b_chars): (Vec<char>, Vec<char>) =
                    (a.chars().collect(), b.chars().collect());
                assert!(bag_distance(&a_chars, &b_chars) <= full, "{a:?} {b:?}");
            }
        }
    }

    fn full_levenshtein(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut previous: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut current = vec![i + 1; b.len() + 1];
            for (j, cb) in b.iter().enumerate() {
                current[j + 1] = (previous[j] + usize::from(ca != *cb))
                    .min(previous[j + 1] + 1)
                    .min(current[j] + 1);
            }
            previous = current;
        }
        previous[b.len()]
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
