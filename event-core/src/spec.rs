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
//! them of the fields of a known ecommerce event: a `price` must be a [`JsonNumber`],
//! a `products` a sequence of [`ProductObject`]s. Implement them for your own types
//! when they serialize to that JSON type.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::Arc;

pub use event_spec::*;

/// A type that serializes to a JSON string.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not serialize to a JSON string, and the ecommerce spec types this property as a string",
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
    message = "`{Self}` does not serialize to a JSON number, and the ecommerce spec types this property as a number",
    label = "expected a number type here",
    note = "use `f64` or an integer type, optionally in `Option<_>`; if `{Self}` does serialize to a number, implement `event_core::spec::JsonNumber` for it"
)]
pub trait JsonNumber {
    /// What the derive reads to require the trait of a property's type; nothing to
    /// implement.
    #[doc(hidden)]
    const FITS: () = ();
}

/// A type that serializes to a product object.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a product object, and the ecommerce spec types this property as an array of products",
    label = "expected a sequence of products here",
    note = "use `Vec<event_core::ecommerce::Product>`; for a product type of your own, implement `event_core::spec::ProductObject` for it"
)]
pub trait ProductObject {
    /// What the derive reads to require the trait of a property's type; nothing to
    /// implement.
    #[doc(hidden)]
    const FITS: () = ();
}

/// A type that serializes to a filter object `{"type": ..., "value": ...}`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a filter object, and the ecommerce spec types this property as an array of filters",
    label = "expected a sequence of filters here",
    note = "use `Vec<event_core::ecommerce::Filter>`, or implement `event_core::spec::FilterObject` for your own type"
)]
pub trait FilterObject {
    /// What the derive reads to require the trait of a property's type; nothing to
    /// implement.
    #[doc(hidden)]
    const FITS: () = ();
}

/// A type that serializes to a sort object `{"type": ..., "value": ...}`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a sort object, and the ecommerce spec types this property as an array of sorts",
    label = "expected a sequence of sorts here",
    note = "use `Vec<event_core::ecommerce::Sort>`, or implement `event_core::spec::SortObject` for your own type"
)]
pub trait SortObject {
    /// What the derive reads to require the trait of a property's type; nothing to
    /// implement.
    #[doc(hidden)]
    const FITS: () = ();
}

/// A sequence type whose items are `Item`: what an array property accepts.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a sequence, and the ecommerce spec types this property as an array",
    label = "expected a `Vec<_>` or slice here"
)]
pub trait JsonArray {
    /// The type of the items.
    type Item: ?Sized;
}

macro_rules! marker {
    ($trait:ident for $($ty:ty),*) => {$( impl $trait for $ty {} )*};
}
marker!(JsonString for str, String, Cow<'_, str>, char);
marker!(JsonNumber for f32, f64, i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

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
    ProductObject,
    FilterObject,
    SortObject
);

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
