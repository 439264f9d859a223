//! The Customer.io ecommerce semantic events: names, groups, properties and JSON types.
//!
//! The table is the `event-spec` crate, re-exported here: the derive checks event
//! definitions against it while compiling, so the checks and these constants are one
//! table. A test compares it with Customer.io's specification file.
//!
//! ```
//! let event = event_core::spec::event("Order Completed").unwrap();
//! assert_eq!(event.group, "Core Ordering");
//! assert_eq!(event_core::spec::EVENTS.len(), event_core::ecommerce::EcommerceEvent::NAMES.len());
//! ```
//!
//! The traits below say which Rust types produce which JSON type. The derive requires
//! them of the fields of a known ecommerce event and of a product, filter or sort
//! object: a `price` must be a [`JsonNumber`], a `products` a sequence of
//! [`ProductObject`]s. Implement [`JsonString`] and [`JsonNumber`] for your own types
//! when they serialize to that JSON type; [`ProductObject`], [`FilterObject`] and
//! [`SortObject`] are implemented only by the derive, which checks the object's fields
//! (`#[semantic_event(product)]`, `filter`, `sort`).

use std::borrow::Cow;
use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::Arc;

pub use event_spec::*;

/// A type that serializes to a JSON string.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not serialize to a JSON string, and the spec or tracking plan types this field as a string",
    label = "expected a string type here",
    note = "use `String`, `&str` or `Option<String>`; if `{Self}` does serialize to a string, implement `event_core::spec::JsonString` for it"
)]
pub trait JsonString {
    /// What the derive reads to require the trait of a property's type; nothing to
    /// implement.
    #[doc(hidden)]
    const FITS: () = ();
}

/// A type that serializes to a JSON number.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not serialize to a JSON number, and the spec or tracking plan types this field as a number",
    label = "expected a number type here",
    note = "use `f64` or an integer type, optionally in `Option<_>`; if `{Self}` does serialize to a number, implement `event_core::spec::JsonNumber` for it"
)]
pub trait JsonNumber {
    /// What the derive reads to require the trait of a property's type; nothing to
    /// implement.
    #[doc(hidden)]
    const FITS: () = ();
}

/// A type that serializes to a JSON integer.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not serialize to a JSON integer, and the spec or tracking plan types this field as an integer",
    label = "expected an integer type here",
    note = "use an integer type such as `i64` or `u32`, optionally in `Option<_>`; if `{Self}` does serialize to an integer, implement `event_core::spec::JsonInteger` for it"
)]
pub trait JsonInteger {
    /// What the derive reads to require the trait of a property's type; nothing to
    /// implement.
    #[doc(hidden)]
    const FITS: () = ();
}

/// A type that serializes to a JSON boolean.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not serialize to a JSON boolean, and the spec or tracking plan types this field as a boolean",
    label = "expected `bool` here",
    note = "use `bool` or `Option<bool>`; if `{Self}` does serialize to a boolean, implement `event_core::spec::JsonBoolean` for it"
)]
pub trait JsonBoolean {
    /// What the derive reads to require the trait of a property's type; nothing to
    /// implement.
    #[doc(hidden)]
    const FITS: () = ();
}

/// A type that serializes to a JSON object: maps, and structs with
/// `#[derive(Validate)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not serialize to a JSON object, and the spec or tracking plan types this field as an object",
    label = "expected an object type here",
    note = "use a struct with `#[derive(Serialize, Validate)]`, or `serde_json::Map<String, serde_json::Value>`; if `{Self}` does serialize to an object, implement `event_core::spec::JsonObject` for it"
)]
pub trait JsonObject {
    /// What the derive reads to require the trait of a property's type; nothing to
    /// implement.
    #[doc(hidden)]
    const FITS: () = ();
}

/// A product type checked against the spec's product properties: a struct with
/// `#[derive(Validate)]` and `#[semantic_event(product)]`, or [`Unchecked`].
///
/// The derive implements it after checking every serialized field: its name must be one
/// of [`PRODUCT_PROPERTIES`] (or the field marked `#[semantic_event(custom)]`) and its type
/// must produce that property's JSON type. It cannot be implemented by hand, so that a
/// `products` array holds only what the reader accepts.
///
/// ```
/// use event_core::{SemanticEvent, Validate};
///
/// #[derive(serde::Serialize, Validate)]
/// #[semantic_event(product)]
/// struct Shoe {
///     product_id: String,
///     price: f64,
///     #[semantic_event(custom)]
///     shoe_size: u8,
/// }
///
/// #[derive(serde::Serialize, SemanticEvent)]
/// #[semantic_event(name = "Cart Viewed")]
/// struct CartViewed {
///     products: Vec<Shoe>,
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a checked product object: add `#[semantic_event(product)]` to its `#[derive(Validate)]`",
    label = "expected a sequence of checked product objects here",
    note = "a product object is `event_core::ecommerce::Product`, or a struct of your own with `#[derive(Serialize, Validate)]` and `#[semantic_event(product)]`, whose fields the derive checks against the spec; `event_core::spec::Unchecked<{Self}>` accepts a type unchecked"
)]
pub trait ProductObject: CheckedProduct {
    /// What the derive reads to require the trait of a property's type; nothing to
    /// implement.
    #[doc(hidden)]
    const FITS: () = ();
}

/// A filter type checked against the spec's filter object `{"type": .., "value": ..}`: a
/// struct with `#[derive(Validate)]` and `#[semantic_event(filter)]`, or [`Unchecked`].
///
/// The derive implements it after checking the fields, as for [`ProductObject`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a checked filter object: add `#[semantic_event(filter)]` to its `#[derive(Validate)]`",
    label = "expected a sequence of checked filter objects here",
    note = "a filter object is `event_core::ecommerce::Filter`, or a struct of your own with `#[derive(Serialize, Validate)]` and `#[semantic_event(filter)]` whose fields serialize as the strings `type` and `value`; `event_core::spec::Unchecked<{Self}>` accepts a type unchecked"
)]
pub trait FilterObject: CheckedFilter {
    /// What the derive reads to require the trait of a property's type; nothing to
    /// implement.
    #[doc(hidden)]
    const FITS: () = ();
}

/// A sort type checked against the spec's sort object `{"type": .., "value": ..}`: a
/// struct with `#[derive(Validate)]` and `#[semantic_event(sort)]`, or [`Unchecked`].
///
/// The derive implements it after checking the fields, as for [`ProductObject`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a checked sort object: add `#[semantic_event(sort)]` to its `#[derive(Validate)]`",
    label = "expected a sequence of checked sort objects here",
    note = "a sort object is `event_core::ecommerce::Sort`, or a struct of your own with `#[derive(Serialize, Validate)]` and `#[semantic_event(sort)]` whose fields serialize as the strings `type` and `value`; `event_core::spec::Unchecked<{Self}>` accepts a type unchecked"
)]
pub trait SortObject: CheckedSort {
    /// What the derive reads to require the trait of a property's type; nothing to
    /// implement.
    #[doc(hidden)]
    const FITS: () = ();
}

/// A value accepted as a product, filter or sort object without any check of its
/// properties: the escape hatch for a type the derive cannot check, such as one that
/// serializes by hand.
///
/// Nothing then ensures that the JSON follows the spec: the event reader and
/// `cio-events validate` refuse a misspelled property or a wrongly typed value. It
/// serializes and deserializes as the value it holds, and validates it.
///
/// ```
/// use event_core::spec::Unchecked;
/// use event_core::{SemanticEvent, Validate};
///
/// #[derive(serde::Serialize, Validate)]
/// struct Legacy {
///     product_id: String,
/// }
///
/// #[derive(serde::Serialize, SemanticEvent)]
/// #[semantic_event(name = "Cart Viewed")]
/// struct CartViewed {
///     products: Vec<Unchecked<Legacy>>,
/// }
///
/// let cart = CartViewed { products: vec![Unchecked(Legacy { product_id: "p-1".into() })] };
/// assert_eq!(
///     serde_json::to_value(&cart)?,
///     serde_json::json!({"products": [{"product_id": "p-1"}]})
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct Unchecked<T>(pub T);

impl<T: crate::Validate> crate::Validate for Unchecked<T> {
    fn validate_at(
        &self,
        path: &crate::validate::FieldPath<'_>,
        errors: &mut crate::ValidationErrors,
    ) {
        self.0.validate_at(path, errors);
    }
}

impl<T> CheckedProduct for Unchecked<T> {}
impl<T> ProductObject for Unchecked<T> {}
impl<T> CheckedFilter for Unchecked<T> {}
impl<T> FilterObject for Unchecked<T> {}
impl<T> CheckedSort for Unchecked<T> {}
impl<T> SortObject for Unchecked<T> {}

// The seals of `ProductObject`, `FilterObject` and `SortObject`: only the derive
// implements them, after checking the object's fields, so a hand-written
// `impl ProductObject for Shoe {}` does not compile and says what to write instead.

#[doc(hidden)]
/// Implemented by `#[derive(Validate)]` with `#[semantic_event(product)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a checked product object: add `#[semantic_event(product)]` to its `#[derive(Validate)]` instead of implementing `ProductObject` by hand",
    label = "`ProductObject` is implemented by the derive, after it checks the fields",
    note = "the derive checks each serialized field against the spec's product properties; to opt out of the check, use `event_core::spec::Unchecked<{Self}>` in the event"
)]
pub trait CheckedProduct {}

#[doc(hidden)]
/// Implemented by `#[derive(Validate)]` with `#[semantic_event(filter)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a checked filter object: add `#[semantic_event(filter)]` to its `#[derive(Validate)]` instead of implementing `FilterObject` by hand",
    label = "`FilterObject` is implemented by the derive, after it checks the fields",
    note = "the derive checks that the fields serialize as the strings `type` and `value`; to opt out of the check, use `event_core::spec::Unchecked<{Self}>` in the event"
)]
pub trait CheckedFilter {}

#[doc(hidden)]
/// Implemented by `#[derive(Validate)]` with `#[semantic_event(sort)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a checked sort object: add `#[semantic_event(sort)]` to its `#[derive(Validate)]` instead of implementing `SortObject` by hand",
    label = "`SortObject` is implemented by the derive, after it checks the fields",
    note = "the derive checks that the fields serialize as the strings `type` and `value`; to opt out of the check, use `event_core::spec::Unchecked<{Self}>` in the event"
)]
pub trait CheckedSort {}

/// A sequence type whose items are `Item`: what an array property accepts.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a sequence, and the spec or tracking plan types this field as an array",
    label = "expected a `Vec<_>` or slice here"
)]
pub trait JsonArray {
    /// The type of the items.
    type Item: ?Sized;
    /// What the derive reads to require the trait of a property's type; nothing to
    /// implement.
    #[doc(hidden)]
    const FITS: () = ();
}

macro_rules! marker {
    ($trait:ident for $($ty:ty),*) => {$( impl $trait for $ty {} )*};
}
marker!(JsonString for str, String, Cow<'_, str>, char);
marker!(JsonNumber for f32, f64, i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);
marker!(JsonInteger for i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);
marker!(JsonBoolean for bool);
marker!(JsonObject for serde_json::Map<String, serde_json::Value>);
impl<K, V, S> JsonObject for std::collections::HashMap<K, V, S> {}
impl<K, V> JsonObject for std::collections::BTreeMap<K, V> {}

macro_rules! through_wrappers {
    ($($trait:ident),*) => {$(
        impl<T: $trait + ?Sized> $trait for &T {}
        impl<T: $trait + ?Sized> $trait for Box<T> {}
        impl<T: $trait + ?Sized> $trait for Rc<T> {}
        impl<T: $trait + ?Sized> $trait for Arc<T> {}
        impl<T: $trait> $trait for Option<T> {}
    )*};
}
through_wrappers!(
    JsonString,
    JsonNumber,
    JsonInteger,
    JsonBoolean,
    JsonObject,
    ProductObject,
    FilterObject,
    SortObject
);

// The checked traits see through the same wrappers as the traits they seal.
mod sealed {
    use super::*;
    through_wrappers!(CheckedProduct, CheckedFilter, CheckedSort);
}

impl<T> JsonArray for [T] {
    type Item = T;
}
impl<T, const N: usize> JsonArray for [T; N] {
    type Item = T;
}
impl<T> JsonArray for Vec<T> {
    type Item = T;
}
impl<T> JsonArray for VecDeque<T> {
    type Item = T;
}
impl<T: JsonArray + ?Sized> JsonArray for &T {
    type Item = T::Item;
}
impl<T: JsonArray + ?Sized> JsonArray for Box<T> {
    type Item = T::Item;
}
impl<T: JsonArray + ?Sized> JsonArray for Rc<T> {
    type Item = T::Item;
}
impl<T: JsonArray + ?Sized> JsonArray for Arc<T> {
    type Item = T::Item;
}
impl<T: JsonArray> JsonArray for Option<T> {
    type Item = T::Item;
}
