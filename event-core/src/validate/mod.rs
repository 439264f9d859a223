//! Validation: the [`Validate`] trait, the rules the derive applies, and their errors.
//!
//! Validation walks an event and records every failure, not only the first, each at
//! its path in wire names (after serde's `rename` and `rename_all`). Building the
//! paths costs nothing until a failure is recorded, so validating a valid event
//! performs no heap allocation.
//!
//! Numbers are always checked: `f32` and `f64` values must be finite, because
//! `serde_json` writes NaN and infinity as `null` and a price would silently vanish.

mod currency;
mod error;
mod path;
pub mod rules;

pub use error::{CustomError, ErrorCode, Param, ValidationError, ValidationErrors};
pub use path::FieldPath;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt::Display;
use std::rc::Rc;
use std::sync::Arc;

/// A value that can check itself and report every failure with its path.
///
/// `#[derive(Validate)]` and `#[derive(SemanticEvent)]` implement it from field
/// attributes. Fields whose types implement `Validate` are validated too, also inside
/// `Option`, `Vec`, slices, arrays, `Box`, `Rc`, `Arc` and maps.
///
/// ```
/// use event_core::Validate;
///
/// #[derive(Validate)]
/// struct Shipment {
///     #[semantic_event(non_empty)]
///     carrier: String,
///     weight_kg: f64,
/// }
///
/// let shipment = Shipment { carrier: String::new(), weight_kg: f64::NAN };
/// let errors = shipment.validate().unwrap_err();
/// assert_eq!(errors.to_string(), "carrier: must not be empty\nweight_kg: must be a finite number");
/// ```
pub trait Validate {
    /// Checks `self`, which sits at `path`, and records every failure in `errors`.
    fn validate_at(&self, path: &FieldPath<'_>, errors: &mut ValidationErrors);

    /// The wire field that holds this value when it is validated on its own, or `""` for
    /// none: a semantic event sets `"properties"`, so its paths read as in the payload.
    /// Set by the derives.
    #[doc(hidden)]
    const ROOT_FIELD: &'static str = "";

    /// Checks `self` and returns every failure.
    ///
    /// A semantic event reports its paths under `properties`, as they appear in the
    /// wire payload.
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let root = FieldPath::ROOT;
        if Self::ROOT_FIELD.is_empty() {
            self.validate_at(&root, &mut errors);
        } else {
            self.validate_at(&root.field(Self::ROOT_FIELD), &mut errors);
        }
        errors.into_result()
    }
}

macro_rules! finite {
    ($($float:ty),*) => {$(
        impl Validate for $float {
            fn validate_at(&self, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
                if !self.is_finite() {
                    errors.push(
                        ValidationError::new(path, ErrorCode::NotFinite, "must be a finite number")
                            .with_param("value", Param::Text(self.to_string())),
                    );
                }
            }
        }
    )*};
}
finite!(f32, f64);

macro_rules! nothing_to_check {
    ($($type:ty),*) => {$(
        /// Any value of it is valid: maps and lists of it (traits as a
        /// `HashMap<String, String>`) validate as their items do.
        impl Validate for $type {
            fn validate_at(&self, _path: &FieldPath<'_>, _errors: &mut ValidationErrors) {}
        }
    )*};
}
nothing_to_check!(
    bool, char, str, String, i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize
);

impl<T: Validate + ?Sized> Validate for &T {
    fn validate_at(&self, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
        (**self).validate_at(path, errors);
    }
}

macro_rules! through_pointer {
    ($($pointer:ident),*) => {$(
        impl<T: Validate + ?Sized> Validate for $pointer<T> {
            fn validate_at(&self, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
                (**self).validate_at(path, errors);
            }
        }
    )*};
}
through_pointer!(Box, Rc, Arc);

impl<T: Validate> Validate for Option<T> {
    fn validate_at(&self, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
        if let Some(value) = self {
            value.validate_at(path, errors);
        }
    }
}

impl<T: Validate> Validate for [T] {
    fn validate_at(&self, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
        for (index, item) in self.iter().enumerate() {
            item.validate_at(&path.index(index), errors);
        }
    }
}

impl<T: Validate, const N: usize> Validate for [T; N] {
    fn validate_at(&self, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
        self.as_slice().validate_at(path, errors);
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_at(&self, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
        self.as_slice().validate_at(path, errors);
    }
}

impl<T: Validate> Validate for VecDeque<T> {
    fn validate_at(&self, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
        for (index, item) in self.iter().enumerate() {
            item.validate_at(&path.index(index), errors);
        }
    }
}

impl<K: Display, V: Validate, S> Validate for HashMap<K, V, S> {
    fn validate_at(&self, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
        for (key, value) in self {
            value.validate_at(&path.key(key), errors);
        }
    }
}

impl<K: Display, V: Validate> Validate for BTreeMap<K, V> {
    fn validate_at(&self, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
        for (key, value) in self {
            value.validate_at(&path.key(key), errors);
        }
    }
}

/// A JSON object holds nothing to check: its numbers are finite, as `serde_json` makes
/// them. Lets a `serde_json::Map` be the traits or properties of a call.
impl Validate for serde_json::Map<String, serde_json::Value> {
    fn validate_at(&self, _path: &FieldPath<'_>, _errors: &mut ValidationErrors) {}
}

/// A JSON value holds nothing to check, as a [`serde_json::Map`]: lets `json!({...})` be
/// the traits or properties of a call.
impl Validate for serde_json::Value {
    fn validate_at(&self, _path: &FieldPath<'_>, _errors: &mut ValidationErrors) {}
}
