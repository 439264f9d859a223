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
