//! Items the derive's generated code names by absolute path. Not a public API.

pub use crate::validate::rules;
pub use crate::validate::{FieldPath, ValidationErrors};

use crate::spec::{FilterObject, JsonArray, JsonNumber, JsonString, ProductObject, SortObject};
use crate::validate::Validate;

/// Compile-time assertion: the field serializes to a JSON string.
pub const fn assert_json_string<T: JsonString + ?Sized>() {}
/// Compile-time assertion: the field serializes to a JSON number.
pub const fn assert_json_number<T: JsonNumber + ?Sized>() {}
/// Compile-time assertion: the field is a sequence of products.
pub const fn assert_product_array<T: JsonArray + ?Sized>()
where
    T::Item: ProductObject,
{
}
/// Compile-time assertion: the field is a sequence of filters.
pub const fn assert_filter_array<T: JsonArray + ?Sized>()
where
    T::Item: FilterObject,
{
}
/// Compile-time assertion: the field is a sequence of sorts.
pub const fn assert_sort_array<T: JsonArray + ?Sized>()
where
    T::Item: SortObject,
{
}

// One call per field with no rule, the field's wire name passed as a string: in the
// derive's output a plain function call with concrete types is what rustc type-checks
// and borrow-checks fastest (no trait to select, no method to look up, no temporary
// path to borrow), and a crate defining many events pays for every one.

/// Validates `value`, the field `field` inside `path`.
pub fn validate_field<T: Validate + ?Sized>(
    value: &T,
    path: &FieldPath<'_>,
    field: &'static str,
    errors: &mut ValidationErrors,
) {
    value.validate_at(&path.field(field), errors);
}

/// Checks that the `f64` field `field` inside `path` is finite.
pub fn finite_f64(
    value: f64,
    path: &FieldPath<'_>,
    field: &'static str,
    errors: &mut ValidationErrors,
) {
    value.validate_at(&path.field(field), errors);
}

/// Checks that the `f32` field `field` inside `path` is finite.
pub fn finite_f32(
    value: f32,
    path: &FieldPath<'_>,
    field: &'static str,
    errors: &mut ValidationErrors,
) {
    value.validate_at(&path.field(field), errors);
}

/// Checks that the `Option<f64>` field `field` inside `path` is `None` or finite.
pub fn finite_option_f64(
    value: Option<f64>,
    path: &FieldPath<'_>,
    field: &'static str,
    errors: &mut ValidationErrors,
) {
    value.validate_at(&path.field(field), errors);
}

/// Checks that the `Option<f32>` field `field` inside `path` is `None` or finite.
pub fn finite_option_f32(
    value: Option<f32>,
    path: &FieldPath<'_>,
    field: &'static str,
    errors: &mut ValidationErrors,
) {
    value.validate_at(&path.field(field), errors);
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
