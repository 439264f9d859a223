//! Items the derive's generated code names by absolute path. Not a public API.

pub use crate::calls::{EmailOfOther, EmailOfText, ReservedEmail};
pub use crate::validate::{FieldPath, ValidationErrors};

use crate::validate::Validate;

// The derive checks fields with no rule through plain function calls, wire names
// passed as strings: that is the code rustc type-checks and borrow-checks fastest (no
// method to look up, no temporary path to borrow), and a crate defining many events
// pays for every call. Most of a call's cost is the call itself, not its arguments, so
// a run of float fields is checked by one call of `finite_N`.

/// Validates `value`, the field `field` inside `path`.
pub fn validate_field<T: Validate + ?Sized>(
    value: &T,
    path: &FieldPath<'_>,
    field: &'static str,
    errors: &mut ValidationErrors,
) {
    value.validate_at(&path.field(field), errors);
}

/// A float field that [`finite_1`] and its siblings check: `f32`, `f64`, or an
/// `Option` of one.
pub trait Float: Copy {
    /// Checks that the field `field` inside `path` is finite, or `None`.
    fn check_finite(self, path: &FieldPath<'_>, field: &'static str, errors: &mut ValidationErrors);
}

macro_rules! float {
    ($($float:ty),*) => {$(
        impl Float for $float {
            fn check_finite(
                self,
                path: &FieldPath<'_>,
                field: &'static str,
                errors: &mut ValidationErrors,
            ) {
                self.validate_at(&path.field(field), errors);
            }
        }
    )*};
}
float!(f64, f32, Option<f64>, Option<f32>);

macro_rules! finite {
    ($($function:ident($($float:ident $value:ident $field:ident),+ $(,)?);)*) => {$(
        /// Checks that each float field, given with its wire name, is finite (or `None`),
        /// in order.
        #[allow(clippy::too_many_arguments)]
        pub fn $function<$($float: Float),+>(
            $($value: $float, $field: &'static str,)+
            path: &FieldPath<'_>,
            errors: &mut ValidationErrors,
        ) {
            $($value.check_finite(path, $field, errors);)+
        }
    )*};
}
// The derive splits longer runs into calls of at most `finite_8`.
finite! {
    finite_1(A a a_name);
    finite_2(A a a_name, B b b_name);
    finite_3(A a a_name, B b b_name, C c c_name);
    finite_4(A a a_name, B b b_name, C c c_name, D d d_name);
    finite_5(A a a_name, B b b_name, C c c_name, D d d_name, E e e_name);
    finite_6(A a a_name, B b b_name, C c c_name, D d d_name, E e e_name, F f f_name);
    finite_7(
        A a a_name, B b b_name, C c c_name, D d d_name, E e e_name, F f f_name, G g g_name
    );
    finite_8(
        A a a_name, B b b_name, C c c_name, D d d_name, E e e_name, F f f_name, G g g_name,
        H h h_name
    );
}

/// Nested validation without a trait bound: `(&Nested(&field)).validate_nested(..)`
/// validates the field when its type implements [`Validate`] and does nothing
/// otherwise (method resolution prefers [`ViaValidate`], which needs no autoref).
pub struct Nested<'a, T: ?Sized>(pub &'a T);

/// Chosen for fields whose type implements [`Validate`].
pub trait ViaValidate {
    /// Validates the wrapped field.
    fn validate_nested(&self, path: &FieldPath<'_>, errors: &mut ValidationErrors);
}

impl<T: Validate + ?Sized> ViaValidate for Nested<'_, T> {
    fn validate_nested(&self, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
        self.0.validate_at(path, errors);
    }
}

/// Chosen for every other field: nothing to check.
pub trait ViaNothing {
    /// Does nothing.
    fn validate_nested(&self, _path: &FieldPath<'_>, _errors: &mut ValidationErrors) {}
}

impl<T: ?Sized> ViaNothing for &Nested<'_, T> {}

/// Reports each key of the flattened field `value` (such as `extra`) that the struct
/// also declares as a field: the JSON would hold it twice, and readers keep only one.
///
/// Costs nothing for an empty map: it is read back only when it serializes to keys.
pub fn flattened_keys<T: serde::Serialize + ?Sized>(
    value: &T,
    declared: &[&'static str],
    path: &FieldPath<'_>,
    errors: &mut ValidationErrors,
) {
    use crate::validate::{ErrorCode, Param, ValidationError};
    // A flattened value that does not serialize to an object is refused by serde itself.
    let Ok(serde_json::Value::Object(keys)) = serde_json::to_value(value) else {
        return;
    };
    for &name in declared.iter().filter(|name| keys.contains_key(**name)) {
        errors.push(
            ValidationError::new(
                &path.field(name),
                ErrorCode::DuplicateKey,
                "is both a field and a key of the flattened map beside it (such as `extra`): \
                 the JSON would hold the key twice and readers keep only one; set the field \
                 and remove the entry",
            )
            .with_param("key", Param::Text(name.to_owned())),
        );
    }
}
