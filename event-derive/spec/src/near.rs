//! Names that almost are known ones: a known event in other case or spacing, a typo
//! of one, a reserved name written loosely, or a reserved trait misspelled.

use std::fmt;

use crate::suggest::levenshtein;
use crate::{EVENTS, EventSpec, RESERVED_EVENT_NAMES, TraitSpec};

/// How a name differs from the known event it almost is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Difference {
    /// Only in letter case: `order completed`.
    Case,
    /// Only in whitespace: `Order  Completed`.
    Whitespace,
    /// In letter case and whitespace, and nothing else.
    CaseAndWhitespace,
    /// By this many letters (1 or 2), case and spacing aside: `Order Complted`.
    Letters(usize),
}

/// Reads as the middle of "`name` ... the event `known`": `differs only in letter case
/// from`, `is 2 letters away from`.
impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Difference::Case => f.write_str("differs only in letter case from"),
            Difference::Whitespace => f.write_str("differs only in whitespace from"),
            Difference::CaseAndWhitespace => {
                f.write_str("differs only in letter case and whitespace from")
            }
            Difference::Letters(1) => f.write_str("is 1 letter away from"),
            Difference::Letters(letters) => write!(f, "is {letters} letters away from"),
        }
    }
}

/// A name that is almost a known ecommerce event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NearMiss {
    /// The known event.
    pub event: &'static EventSpec,
    /// How the name differs from it.
    pub difference: Difference,
}

/// The known ecommerce event `name` almost is, if it is not one exactly: the same but
/// for letter case and whitespace, or at most 2 letters away from one (case and spacing
/// aside). Deliberate names of other events (`Order Shipped`) are not near misses.
///
/// ```
/// use event_spec::{Difference, near_miss};
/// let miss = near_miss("Product List Veiwed").unwrap();
/// assert_eq!(miss.event.name, "Product List Viewed");
/// assert_eq!(miss.difference, Difference::Letters(2));
/// assert_eq!(near_miss("Order Shipped"), None);
/// assert_eq!(near_miss("Order Completed"), None);
/// ```
pub fn near_miss(name: &str) -> Option<NearMiss> {
    if crate::event(name).is_some() {
        return None;
    }
    let loose = loose(name);
    if let Some(event) = EVENTS
        .iter()
        .find(|event| loose.eq_ignore_ascii_case(event.name))
    {
        let difference = if event.name.eq_ignore_ascii_case(name) {
            Difference::Case
        } else if name.split_whitespace().eq(event.name.split(' ')) {
            Difference::Whitespace
        } else {
            Difference::CaseAndWhitespace
        };
        return Some(NearMiss { event, difference });
    }
    let mut best: Option<NearMiss> = None;
    let length = loose.chars().count();
    for event in EVENTS {
        // The distance is at least the difference in length: most names stop here.
        if length.abs_diff(event.name.len()) > 2 {
            continue;
        }
        let Some(letters) = levenshtein(&loose, &loose_known(event.name), 2) else {
            continue;
        };
        let closer = match best {
            Some(NearMiss {
                difference: Difference::Letters(closest),
                ..
            }) => letters < closest,
            _ => true,
        };
        if letters <= 2 && closer {
            best = Some(NearMiss {
                event,
                difference: Difference::Letters(letters),
            });
        }
    }
    best
}

/// The reserved event name `name` is, exactly or but for letter case and whitespace
/// (a reserved name written loosely is as dangerous).
///
/// ```
/// assert_eq!(event_spec::reserved("user  deleted"), Some("User Deleted"));
/// assert_eq!(event_spec::reserved("Order Completed"), None);
/// ```
pub fn reserved(name: &str) -> Option<&'static str> {
    let loose = loose(name);
    RESERVED_EVENT_NAMES
        .iter()
        .copied()
        .find(|reserved| loose.eq_ignore_ascii_case(reserved))
}

/// What Customer.io does with a track call of the reserved event name `name`, as the
/// end of "a track call named ... ": `deletes the person in Customer.io`.
///
/// ```
/// assert_eq!(
///     event_spec::reserved_effect("User Deleted"),
///     "deletes the person in Customer.io"
/// );
/// ```
pub fn reserved_effect(name: &str) -> &'static str {
    match name {
        "Device Created or Updated" => "registers or updates a device of the person in Customer.io",
        "Device Deleted" => "deletes a device of the person in Customer.io",
        "User Deleted" => "deletes the person in Customer.io",
        "User Suppressed" => "deletes and suppresses the person in Customer.io",
        "User Unsuppressed" => "unsuppresses the person in Customer.io",
        "Relationship Deleted" => {
            "deletes a relationship between the person and an object in Customer.io"
        }
        "Object Deleted" => "deletes an object in Customer.io",
        _ => "has a meaning of its own in Customer.io",
    }
}

/// How a trait name differs from the reserved trait it almost is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraitDifference {
    /// Only in letter case or word separators: `first_name`, `firstname` or `FirstName`
    /// for `firstName`.
    Spelling,
    /// By this many letters (1 or 2), case and separators aside: `emial` for `email`.
    Letters(usize),
}

/// Reads as the middle of "`name` ... the reserved trait `known`".
impl fmt::Display for TraitDifference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TraitDifference::Spelling => {
                f.write_str("differs only in letter case or word separators from")
            }
            TraitDifference::Letters(1) => f.write_str("is 1 letter away from"),
            TraitDifference::Letters(letters) => write!(f, "is {letters} letters away from"),
        }
    }
}

/// A trait name that is almost a reserved trait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TraitMiss {
    /// The reserved trait.
    pub known: &'static TraitSpec,
    /// How the name differs from it.
    pub difference: TraitDifference,
}

/// The reserved trait of `traits` that `name` almost is, if it is none exactly: the
/// same but for letter case and `_`, `-` or space separators (`firstname` or
/// `FirstName` for `firstName`), or a typo of one (a letter changed, added, dropped or
/// two swapped; one such slip in names of 5 to 7 letters, two in longer ones).
///
/// Any other name is a trait of the application's own: names of 4 letters or fewer
/// are too close to one another for a typo to be told from a word (`ip` and `id`), a
/// plural (`emails`) names a different thing, and the snake_case form of a camelCase
/// trait (`first_name`, `last_name`) is the way Customer.io's own attributes are
/// written, a deliberate attribute of its own (Customer.io keeps `first_name` and
/// `firstName` apart).
///
/// ```
/// use event_spec::{PERSON_TRAITS, TraitDifference, near_trait};
/// let miss = near_trait("FirstName", PERSON_TRAITS).unwrap();
/// assert_eq!((miss.known.name, miss.difference), ("firstName", TraitDifference::Spelling));
/// assert_eq!(near_trait("firstname", PERSON_TRAITS).unwrap().known.name, "firstName");
/// assert_eq!(near_trait("first_name", PERSON_TRAITS), None);
/// assert_eq!(near_trait("emial", PERSON_TRAITS).unwrap().known.name, "email");
/// assert_eq!(near_trait("email", PERSON_TRAITS), None);
/// assert_eq!(near_trait("plan_name", PERSON_TRAITS), None);
/// ```
pub fn near_trait(name: &str, traits: &'static [TraitSpec]) -> Option<TraitMiss> {
    if traits
        .iter()
        .any(|known| known.name == name || snake_case(known.name) == name)
    {
        return None;
    }
    let folded = fold(name);
    if let Some(known) = traits.iter().find(|known| fold(known.name) == folded) {
        return Some(TraitMiss {
            known,
            difference: TraitDifference::Spelling,
        });
    }
    let limit = match folded.chars().count() {
        0..=4 => return None,
        5..=7 => 1,
        _ => 2,
    };
    // Ties (`created_att`: `created_at` and `createdAt` fold alike) go to the name
    // written most alike, separators and case included.
    let mut best: Option<(usize, usize, &'static TraitSpec)> = None;
    for known in traits {
        let known_folded = fold(known.name);
        if folded == format!("{known_folded}s") {
            continue;
        }
        let letters = if swapped(&folded, &known_folded) {
            Some(1)
        } else {
            levenshtein(&folded, &known_folded, limit)
        };
        let Some(letters) = letters.filter(|&letters| letters <= limit) else {
            continue;
        };
        let written = levenshtein(name, known.name, usize::MAX).unwrap_or(usize::MAX);
        if best.is_none_or(|(closest, most_alike, _)| (letters, written) < (closest, most_alike)) {
            best = Some((letters, written, known));
        }
    }
    best.map(|(letters, _, known)| TraitMiss {
        known,
        difference: TraitDifference::Letters(letters),
    })
}

/// `name` in snake_case: `first_name` for `firstName`.
fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    for c in name.chars() {
        if c.is_uppercase() {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// `name` in lower case without `_`, `-` or spaces: the form in which `first_name`,
/// `firstName` and `FirstName` are equal.
fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `a` is `b` with two neighbouring letters swapped (`emial`, `email`): a
/// common slip that the edit distance counts as two.
fn swapped(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len() != b.len() {
        return false;
    }
    let differing: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    matches!(differing.as_slice(), [i, j] if *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i])
}

/// `name` with every run of whitespace made one space, trimmed, in lower case: the
/// form in which names that differ only in case or spacing are equal.
fn loose(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// [`loose`] of a name of the table, which is ASCII, single-spaced and trimmed (a test
/// checks it): so `loose(name).eq_ignore_ascii_case(known)` compares them loosely.
fn loose_known(name: &str) -> String {
    name.to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_names_are_loose_already() {
        let names = EVENTS
            .iter()
            .map(|event| event.name)
            .chain(RESERVED_EVENT_NAMES.iter().copied());
        for (index, name) in names.clone().enumerate() {
            assert!(name.is_ascii(), "{name}");
            assert_eq!(loose(name), loose_known(name), "{name}");
            assert!(
                names
                    .clone()
                    .skip(index + 1)
                    .all(|other| loose(name) != loose(other)),
                "{name}"
            );
        }
        assert_eq!(reserved(" user \t DELETED "), Some("User Deleted"));
        assert_eq!(reserved("User Deleted!"), None);
    }

    #[test]
    fn near_miss_messages() {
        let how = |name| near_miss(name).map(|miss| miss.difference.to_string());
        assert_eq!(
            how("order completed").as_deref(),
            Some("differs only in letter case from")
        );
        assert_eq!(
            how("Order  Completed").as_deref(),
            Some("differs only in whitespace from")
        );
        assert_eq!(
            how(" order COMPLETED").as_deref(),
            Some("differs only in letter case and whitespace from")
        );
        assert_eq!(
            how("Order Complted").as_deref(),
            Some("is 1 letter away from")
        );
        assert_eq!(
            how("Ordr Complted").as_deref(),
            Some("is 2 letters away from")
        );
        assert_eq!(how("Custom Event 7"), None);
    }

    #[test]
    fn trait_near_misses() {
        use crate::{GROUP_TRAITS, PERSON_TRAITS};
        let person = |name| near_trait(name, PERSON_TRAITS).map(|miss| miss.known.name);
        for (name, known) in [
            ("firstname", "firstName"),
            ("FirstName", "firstName"),
            ("last-name", "lastName"),
            ("Email", "email"),
            ("ID", "id"),
            ("emial", "email"),
            ("emaill", "email"),
            ("webiste", "website"),
            ("birthdy", "birthday"),
            ("anonymousId", "anonymous_id"),
            ("created_att", "created_at"),
        ] {
            assert_eq!(person(name), Some(known), "{name}");
        }
        for deliberate in [
            "email",
            "first_name",
            "last_name",
            "created_at",
            "createdAt",
            "ip",
            "plan",
            "emails",
            "company_name",
            "plan_name",
            "updatedAt",
            "nickname",
            "favourite_colour",
            "",
        ] {
            assert_eq!(person(deliberate), None, "{deliberate}");
        }
        let group = |name| near_trait(name, GROUP_TRAITS).map(|miss| miss.known.name);
        assert_eq!(group("industy"), Some("industry"));
        assert_eq!(group("Employees"), Some("employees"));
        assert_eq!(group("firstName"), None);
        assert_eq!(
            near_trait("emial", PERSON_TRAITS).map(|miss| miss.difference.to_string()),
            Some("is 1 letter away from".to_owned())
        );
    }

    #[test]
    fn near_misses() {
        let event = |name| near_miss(name).map(|miss| miss.event.name);
        assert_eq!(event("Product List Veiwed"), Some("Product List Viewed"));
        assert_eq!(event("order completed"), Some("Order Completed"));
        assert_eq!(event("ORDER  COMPLETED"), Some("Order Completed"));
        assert_eq!(event("Products Viewed"), Some("Product Viewed"));
        for deliberate in [
            "Order Completed",
            "Order Shipped",
            "Order Returned",
            "Order Created",
            "Cart Updated",
            "Account Created",
        ] {
            assert_eq!(event(deliberate), None, "{deliberate}");
        }
    }
}
