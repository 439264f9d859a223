//! The field rules of `#[semantic_event(...)]`, as functions the derive calls.
//!
//! Each rule reads its field through a small trait ([`Presence`], [`Length`],
//! [`Number`], [`Text`]) that also sees through `Option`: a rule other than
//! `required` passes when the field is `None`. Implement these traits for your own
//! types to use them with the rules.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::rc::Rc;
use std::sync::Arc;

use super::{CustomError, ErrorCode, FieldPath, Param, ValidationError, ValidationErrors};

/// A field that can be absent: what `required` checks.
#[diagnostic::on_unimplemented(
    message = "`required` applies to `Option` fields, and `{Self}` is not one",
    label = "this field is always present",
    note = "remove `required`, or make the field an `Option<_>`"
)]
pub trait Presence {
    /// Whether a value is there.
    fn is_present(&self) -> bool;
}

impl<T> Presence for Option<T> {
    fn is_present(&self) -> bool {
        self.is_some()
    }
}

/// A string or collection with a length: what `non_empty` and `length` measure.
///
/// Strings count characters (Unicode scalar values), collections count elements.
/// `None` has no length, so the rules pass it.
#[diagnostic::on_unimplemented(
    message = "`non_empty` and `length` apply to strings and collections, and `{Self}` is neither",
    label = "this field has no length",
    note = "implement `event_core::validate::rules::Length` for it, or remove the rule"
)]
pub trait Length {
    /// The length, or `None` when there is no value.
    fn length(&self) -> Option<usize>;
}

/// A number: what `range` compares.
#[diagnostic::on_unimplemented(
    message = "`range` applies to numbers, and `{Self}` is not one",
    label = "this field is not a number",
    note = "use `length(min = .., max = ..)` for strings and collections, or implement `event_core::validate::rules::Number`"
)]
pub trait Number {
    /// The value as `f64`, or `None` when there is no value.
    fn as_f64(&self) -> Option<f64>;
}

/// A text: what `url`, `email` and `currency` read.
#[diagnostic::on_unimplemented(
    message = "`url`, `email` and `currency` apply to strings, and `{Self}` is not one",
    label = "this field is not a string",
    note = "implement `event_core::validate::rules::Text` for it, or remove the rule"
)]
pub trait Text {
    /// The text, or `None` when there is no value.
    fn as_text(&self) -> Option<&str>;
}

macro_rules! forward_through {
    ($trait:ident, $method:ident, $output:ty) => {
        impl<T: $trait + ?Sized> $trait for &T {
            fn $method(&self) -> Option<$output> {
                (**self).$method()
            }
        }
        impl<T: $trait + ?Sized> $trait for Box<T> {
            fn $method(&self) -> Option<$output> {
                (**self).$method()
            }
        }
        impl<T: $trait + ?Sized> $trait for Rc<T> {
            fn $method(&self) -> Option<$output> {
                (**self).$method()
            }
        }
        impl<T: $trait + ?Sized> $trait for Arc<T> {
            fn $method(&self) -> Option<$output> {
                (**self).$method()
            }
        }
        impl<T: $trait> $trait for Option<T> {
            fn $method(&self) -> Option<$output> {
                self.as_ref().and_then($trait::$method)
            }
        }
    };
}

forward_through!(Length, length, usize);
forward_through!(Text, as_text, &str);

impl<T: Number + ?Sized> Number for &T {
    fn as_f64(&self) -> Option<f64> {
        (**self).as_f64()
    }
}
impl<T: Number + ?Sized> Number for Box<T> {
    fn as_f64(&self) -> Option<f64> {
        (**self).as_f64()
    }
}
impl<T: Number + ?Sized> Number for Rc<T> {
    fn as_f64(&self) -> Option<f64> {
        (**self).as_f64()
    }
}
impl<T: Number + ?Sized> Number for Arc<T> {
    fn as_f64(&self) -> Option<f64> {
        (**self).as_f64()
    }
}
impl<T: Number> Number for Option<T> {
    fn as_f64(&self) -> Option<f64> {
        self.as_ref().and_then(Number::as_f64)
    }
}

macro_rules! number {
    ($($number:ty),*) => {$(
        impl Number for $number {
            #[allow(clippy::cast_lossless, clippy::cast_precision_loss)]
            fn as_f64(&self) -> Option<f64> {
                Some(*self as f64)
            }
        }
    )*};
}
number!(
    f32, f64, i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize
);

impl Length for str {
    fn length(&self) -> Option<usize> {
        Some(self.chars().count())
    }
}
impl Length for String {
    fn length(&self) -> Option<usize> {
        self.as_str().length()
    }
}
impl Length for Cow<'_, str> {
    fn length(&self) -> Option<usize> {
        (**self).length()
    }
}

macro_rules! collection_length {
    ($($collection:ty => [$($generics:tt)*]),* $(,)?) => {$(
        impl<$($generics)*> Length for $collection {
            fn length(&self) -> Option<usize> {
                Some(self.len())
            }
        }
    )*};
}
collection_length!(
    [T] => [T],
    Vec<T> => [T],
    VecDeque<T> => [T],
    BTreeSet<T> => [T],
    HashSet<T, S> => [T, S],
    BTreeMap<K, V> => [K, V],
    HashMap<K, V, S> => [K, V, S],
    serde_json::Map<String, serde_json::Value> => [],
);

impl<T, const N: usize> Length for [T; N] {
    fn length(&self) -> Option<usize> {
        Some(N)
    }
}

impl Text for str {
    fn as_text(&self) -> Option<&str> {
        Some(self)
    }
}
impl Text for String {
    fn as_text(&self) -> Option<&str> {
        Some(self)
    }
}
impl Text for Cow<'_, str> {
    fn as_text(&self) -> Option<&str> {
        Some(self)
    }
}

/// `required`: records an error when `value` is absent.
pub fn required<T: Presence + ?Sized>(
    value: &T,
    path: &FieldPath<'_>,
    errors: &mut ValidationErrors,
) {
    if !value.is_present() {
        errors.push(ValidationError::new(
            path,
            ErrorCode::Required,
            "is required",
        ));
    }
}

/// `non_empty`: records an error when `value` has length zero.
pub fn non_empty<T: Length + ?Sized>(
    value: &T,
    path: &FieldPath<'_>,
    errors: &mut ValidationErrors,
) {
    if value.length() == Some(0) {
        errors.push(ValidationError::new(
            path,
            ErrorCode::NonEmpty,
            "must not be empty",
        ));
    }
}

/// `length(min, max)`: records an error when the length is outside `min..=max`.
pub fn length<T: Length + ?Sized>(
    value: &T,
    min: Option<usize>,
    max: Option<usize>,
    path: &FieldPath<'_>,
    errors: &mut ValidationErrors,
) {
    let Some(actual) = value.length() else { return };
    let too_short = min.is_some_and(|min| actual < min);
    let too_long = max.is_some_and(|max| actual > max);
    if !(too_short || too_long) {
        return;
    }
    let message = match (min, max) {
        (Some(min), Some(max)) => format!("length must be between {min} and {max}, found {actual}"),
        (Some(min), None) => format!("length must be at least {min}, found {actual}"),
        (None, Some(max)) => format!("length must be at most {max}, found {actual}"),
        (None, None) => unreachable_bounds(),
    };
    let mut error = ValidationError::new(path, ErrorCode::Length, message);
    if let Some(min) = min {
        error = error.with_param("min", Param::Integer(saturating_i64(min)));
    }
    if let Some(max) = max {
        error = error.with_param("max", Param::Integer(saturating_i64(max)));
    }
    errors.push(error.with_param("actual", Param::Integer(saturating_i64(actual))));
}

/// `range(min, max)`: records an error when the number is outside `min..=max`.
///
/// A NaN is out of every range.
pub fn range<T: Number + ?Sized>(
    value: &T,
    min: Option<f64>,
    max: Option<f64>,
    path: &FieldPath<'_>,
    errors: &mut ValidationErrors,
) {
    let Some(actual) = value.as_f64() else { return };
    // Written so that NaN falls outside every bound.
    let below = min.is_some_and(|min| actual.partial_cmp(&min).is_none_or(|o| o.is_lt()));
    let above = max.is_some_and(|max| actual.partial_cmp(&max).is_none_or(|o| o.is_gt()));
    if !(below || above) {
        return;
    }
    let message = match (min, max) {
        (Some(min), Some(max)) => format!("must be between {min} and {max}, found {actual}"),
        (Some(min), None) => format!("must be at least {min}, found {actual}"),
        (None, Some(max)) => format!("must be at most {max}, found {actual}"),
        (None, None) => unreachable_bounds(),
    };
    let mut error = ValidationError::new(path, ErrorCode::Range, message);
    if let Some(min) = min {
        error = error.with_param("min", Param::Number(min));
    }
    if let Some(max) = max {
        error = error.with_param("max", Param::Number(max));
    }
    errors.push(error.with_param("actual", Param::Number(actual)));
}

/// `url`: records an error unless the text is an absolute URL (`https://host/...`).
pub fn url<T: Text + ?Sized>(value: &T, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
    if let Some(text) = value.as_text() {
        if !is_absolute_url(text) {
            errors.push(
                ValidationError::new(
                    path,
                    ErrorCode::Url,
                    "must be an absolute URL such as \"https://example.com/item\"",
                )
                .with_param("value", Param::Text(truncated(text))),
            );
        }
    }
}

/// `email`: records an error unless the text looks like `name@example.com`.
pub fn email<T: Text + ?Sized>(value: &T, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
    if let Some(text) = value.as_text() {
        if !is_email(text) {
            errors.push(
                ValidationError::new(
                    path,
                    ErrorCode::Email,
                    "must be an email address such as \"name@example.com\"",
                )
                .with_param("value", Param::Text(truncated(text))),
            );
        }
    }
}

/// `currency`: records an error unless the text is an ISO-4217 code such as `USD`.
pub fn currency<T: Text + ?Sized>(value: &T, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
    if let Some(text) = value.as_text() {
        if !super::currency::is_iso_4217(text) {
            let upper = text.to_ascii_uppercase();
            let message = if super::currency::is_iso_4217(&upper) {
                format!("must be an ISO-4217 currency code in upper case: {upper:?}")
            } else {
                "must be an ISO-4217 currency code such as \"USD\"".to_owned()
            };
            errors.push(
                ValidationError::new(path, ErrorCode::Currency, message)
                    .with_param("value", Param::Text(truncated(text))),
            );
        }
    }
}

/// `custom = path::to::fn`: records the failure the application's function returned.
pub fn custom(
    outcome: Result<(), CustomError>,
    path: &FieldPath<'_>,
    errors: &mut ValidationErrors,
) {
    if let Err(error) = outcome {
        errors.push(error.at(path));
    }
}

/// Whether `text` is an absolute URL: an RFC 3986 scheme, then for `http` and
/// `https` a `//` and a host, with no whitespace or control characters anywhere.
///
/// Deliberately hand-written: it must not allocate, and a full URL parser would.
pub fn is_absolute_url(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let mut scheme_chars = scheme.chars();
    let scheme_ok = scheme_chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme_chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok || rest.is_empty() || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") {
        let Some(authority) = rest.strip_prefix("//") else {
            return false;
        };
        let authority = authority.split(['/', '?', '#']).next().unwrap_or_default();
        let host_and_port = authority.rsplit('@').next().unwrap_or_default();
        let host = match host_and_port.strip_prefix('[') {
            Some(ipv6) => ipv6.split(']').next().unwrap_or_default(),
            None => host_and_port.split(':').next().unwrap_or_default(),
        };
        return !host.is_empty();
    }
    true
}

/// Whether `text` looks like an email address: one `@`, a non-empty local part and a
/// dotted domain of letters, digits and hyphens, no whitespace.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local.chars().all(|c| {
            !c.is_whitespace() && !c.is_control() && !matches!(c, '@' | '<' | '>' | ',' | ';' | '"')
        });
    let labels_ok = domain.len() <= 253
        && domain.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    local_ok && labels_ok && domain.contains('.')
}

fn unreachable_bounds() -> String {
    // Both bounds absent is refused at compile time; keep a message rather than panic.
    "has no bounds".to_owned()
}

fn saturating_i64(value: usize) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// Offending values go into errors and logs: keep them short.
fn truncated(text: &str) -> String {
    const LIMIT: usize = 100;
    match text.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        for good in [
            "https://www.example.com/product/123",
            "http://localhost:8080",
            "https://[::1]:443/x",
            "mailto:a@b.c",
            "HTTPS://EXAMPLE.COM",
        ] {
            assert!(is_absolute_url(good), "{good}");
        }
        for bad in [
            "",
            "example.com",
            "/relative",
            "https://",
            "https:///x",
            "https://a b",
            "1http://x",
            "http:x",
        ] {
            assert!(!is_absolute_url(bad), "{bad}");
        }
    }

    #[test]
    fn emails() {
        for good in ["a@b.co", "first.last+tag@example.co.uk", "ü@bücher.de"] {
            assert!(is_email(good), "{good}");
        }
        for bad in [
            "",
            "a",
            "a@",
            "@b.c",
            "a@b",
            "a b@c.d",
            "a@b..c",
            "a@-b.c",
            "a@b.c@d.e",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn rules_record_errors_with_params() {
        let mut errors = ValidationErrors::new();
        let root = FieldPath::ROOT;
        let name = root.field("name");
        length("abcd", Some(1), Some(3), &name, &mut errors);
        range(&5_u32, Some(0.0), Some(4.0), &root.field("n"), &mut errors);
        range(&f64::NAN, Some(0.0), None, &root.field("nan"), &mut errors);
        currency("usd", &root.field("currency"), &mut errors);
        non_empty(&Vec::<u8>::new(), &root.field("items"), &mut errors);
        required(&None::<u8>, &root.field("id"), &mut errors);
        let codes: Vec<_> = errors
            .iter()
            .map(|e| (e.path().to_owned(), e.code()))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("name".to_owned(), ErrorCode::Length),
                ("n".to_owned(), ErrorCode::Range),
                ("nan".to_owned(), ErrorCode::Range),
                ("currency".to_owned(), ErrorCode::Currency),
                ("items".to_owned(), ErrorCode::NonEmpty),
                ("id".to_owned(), ErrorCode::Required),
            ]
        );
        let first = &errors.as_slice()[0];
        assert_eq!(first.param("max"), Some(&Param::Integer(3)));
        assert_eq!(first.param("actual"), Some(&Param::Integer(4)));
        assert_eq!(
            errors.as_slice()[3].message(),
            "must be an ISO-4217 currency code in upper case: \"USD\""
        );
    }

    #[test]
    fn absent_values_pass_every_rule_but_required() {
        let mut errors = ValidationErrors::new();
        let path = FieldPath::ROOT;
        let none: Option<String> = None;
        non_empty(&none, &path, &mut errors);
        length(&none, Some(1), None, &path, &mut errors);
        url(&none, &path, &mut errors);
        email(&none, &path, &mut errors);
        currency(&none, &path, &mut errors);
        range(&None::<f64>, Some(1.0), None, &path, &mut errors);
        assert!(errors.is_empty());
    }
}
