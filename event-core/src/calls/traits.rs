//! Traits checked against the reserved traits of a person or a group:
//! [`PersonTraits`] and [`GroupTraits`], which only `#[derive(Traits)]` implements.

use crate::validate::rules::{self, Text};
use crate::validate::{FieldPath, ValidationErrors};

/// The traits of a person, checked against the reserved traits of an identify call: a
/// struct with `#[derive(Serialize, Traits)]`. The client's `identify` takes these only,
/// or a map (`serde_json::Map`, `json!({...})`, `HashMap`, `BTreeMap`), or a struct in
/// [`Unchecked`](crate::spec::Unchecked), none of which is checked while compiling.
///
/// The derive implements it after checking every serialized field: a field named as a
/// reserved trait (`email`, `firstName`, `created_at`, ... see
/// [`PERSON_TRAITS`](crate::spec::PERSON_TRAITS)) must have a type that produces the
/// trait's JSON type, and a name that is almost a reserved trait (`firstname`,
/// `emial`) is refused unless the field is marked `#[semantic_event(custom)]`. Any other
/// name is a trait of your own. The `email` trait is validated with the `email` rule.
/// The trait is sealed: a hand-written impl does not compile.
///
/// ```
/// use event_core::calls::{Identify, PersonTraits};
/// use event_core::{Identity, Traits, Validate};
/// use serde::Serialize;
///
/// #[derive(Serialize, Traits)]
/// struct Person {
///     email: String,
///     #[serde(rename = "firstName")]
///     first_name: String,
///     /// When the account was created, in Unix seconds.
///     created_at: i64,
///     plan: String,
/// }
///
/// fn identify<T: PersonTraits>(identity: Identity, traits: T) -> Identify<T> {
///     Identify::new(identity, traits)
/// }
///
/// let ada = Person {
///     email: "ada@example.com".into(),
///     first_name: "Ada".into(),
///     created_at: 1_700_000_000,
///     plan: "pro".into(),
/// };
/// let call = identify(Identity::user("user_12345")?, ada);
/// assert!(call.validate().is_ok());
/// assert_eq!(serde_json::to_value(&call)?["traits"]["firstName"], "Ada");
///
/// let typo = Person { email: "ada.example.com".into(), ..call.traits };
/// let errors = Identify::new(Identity::user("user_12345")?, typo).validate().unwrap_err();
/// assert_eq!(errors.iter().next().map(|e| e.path()), Some("traits.email"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not checked against a person's reserved traits: derive `Traits` for it",
    label = "expected a struct with `#[derive(Serialize, Traits)]` here",
    note = "the derive checks each field against the reserved traits (`email`, `firstName`, `created_at`, ...); maps (`serde_json::Map`, `json!(...)`, `HashMap`, `BTreeMap`) and `event_core::spec::Unchecked<{Self}>` are accepted unchecked"
)]
pub trait PersonTraits: CheckedPersonTraits {}

/// The traits of a group, checked against the reserved traits of a group call: a
/// struct with `#[derive(Serialize, Traits)]` and `#[semantic_event(group)]`.
///
/// As [`PersonTraits`], against [`GROUP_TRAITS`](crate::spec::GROUP_TRAITS) (`name`,
/// `employees`, `industry`, `plan`, ...).
///
/// ```
/// use event_core::calls::GroupTraits;
/// use event_core::Traits;
/// use serde::Serialize;
///
/// #[derive(Serialize, Traits)]
/// #[semantic_event(group)]
/// struct Company {
///     name: String,
///     employees: u32,
///     industry: String,
///     #[semantic_event(custom)]
///     industri_code: String,
/// }
///
/// fn is_group_traits<T: GroupTraits>(_: &T) {}
/// is_group_traits(&Company {
///     name: "Initech".into(),
///     employees: 120,
///     industry: "Software".into(),
///     industri_code: "5112".into(),
/// });
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not checked against a group's reserved traits: derive `Traits` with `#[semantic_event(group)]` for it",
    label = "expected a struct with `#[derive(Serialize, Traits)]` and `#[semantic_event(group)]` here",
    note = "the derive checks each field against the reserved traits of a group (`name`, `employees`, `industry`, ...); maps (`serde_json::Map`, `json!(...)`, `HashMap`, `BTreeMap`) and `event_core::spec::Unchecked<{Self}>` are accepted unchecked"
)]
pub trait GroupTraits: CheckedGroupTraits {}

// Maps and JSON values: their keys are only known at run time, so nothing is checked
// while compiling (the run-time checks still apply: a JSON object, finite numbers, no
// key twice). `Unchecked` is the escape hatch for a struct the derive cannot check.
macro_rules! unchecked_traits {
    ($([$($generics:tt)*] $type:ty;)*) => {$(
        impl<$($generics)*> CheckedPersonTraits for $type {}
        impl<$($generics)*> PersonTraits for $type {}
        impl<$($generics)*> CheckedGroupTraits for $type {}
        impl<$($generics)*> GroupTraits for $type {}
    )*};
}

unchecked_traits! {
    [] serde_json::Map<String, serde_json::Value>;
    [] serde_json::Value;
    [K, V, S] std::collections::HashMap<K, V, S>;
    [K, V] std::collections::BTreeMap<K, V>;
    [T] crate::spec::Unchecked<T>;
}

// The seals: only the derive implements them, after checking the fields, so a
// hand-written `impl PersonTraits for Person {}` does not compile and says what to
// write instead.

#[doc(hidden)]
/// Implemented by `#[derive(Traits)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not checked against a person's reserved traits: derive `Traits` instead of implementing `PersonTraits` by hand",
    label = "`PersonTraits` is implemented by the derive, after it checks the fields"
)]
pub trait CheckedPersonTraits {}

#[doc(hidden)]
/// Implemented by `#[derive(Traits)]` with `#[semantic_event(group)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not checked against a group's reserved traits: derive `Traits` with `#[semantic_event(group)]` instead of implementing `GroupTraits` by hand",
    label = "`GroupTraits` is implemented by the derive, after it checks the fields"
)]
pub trait CheckedGroupTraits {}

// A date trait (`createdAt`, `birthday`) may be a `Timestamp`, which serializes as an
// ISO-8601 string.
impl crate::spec::JsonString for crate::Timestamp {}

/// The reserved `email` trait's rule, applied by the derive without a bound on the
/// field's type: `(&ReservedEmail(&field)).check_email(..)` runs the `email` rule when
/// the type is text ([`EmailOfText`]) and does nothing otherwise ([`EmailOfOther`]), where
/// the derive's type check has already refused the type.
#[doc(hidden)]
pub struct ReservedEmail<'a, T: ?Sized>(pub &'a T);

/// Chosen for a text field: runs the `email` rule.
#[doc(hidden)]
pub trait EmailOfText {
    /// Checks the address.
    fn check_email(&self, path: &FieldPath<'_>, errors: &mut ValidationErrors);
}

impl<T: Text + ?Sized> EmailOfText for ReservedEmail<'_, T> {
    fn check_email(&self, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
        rules::email(self.0, path, errors);
    }
}

/// Chosen for any other field: nothing to check.
#[doc(hidden)]
pub trait EmailOfOther {
    /// Does nothing.
    fn check_email(&self, _path: &FieldPath<'_>, _errors: &mut ValidationErrors) {}
}

impl<T: ?Sized> EmailOfOther for &ReservedEmail<'_, T> {}
