//! The product events' shared shape, written once: [`product_event!`] lays out an event
//! that carries one product's fields, with its `From<Product>` and `new`.

use serde_json::{Map, Value};

use super::number;

/// Writes a product event: the struct, `From<Product>` and `new`.
///
/// The struct's attributes are given as they are, `#[derive]` included: the derive must
/// come from the caller's tokens, so that what `SemanticEvent` generates from a field's
/// `#[semantic_event(...)]` sees the same `self` as the rest of its output.
///
/// The struct's fields are listed in wire (serialization) order; `extra` comes last.
/// A field is either one of the product's, by bare name (`sku,`), documented as in
/// [`Product`](super::Product) unless a single `///` line is given above it, or one of the
/// event's own, written out in full (`pub cart_id: Option<String>,`). After the fields,
/// `..extra(quantity, coupon)` names product fields the event has no property for:
/// `From<Product>` keeps them as additional properties.
///
/// `new` takes the listed string properties, then the product.
///
/// ```text
/// product_event! {
///     /// `Product Added`: ...
///     #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, SemanticEvent)]
///     #[semantic_event(name = "Product Added")]
///     pub struct ProductAdded {
///         /// The id of the cart.
///         #[serde(default, skip_serializing_if = "Option::is_none")]
///         pub cart_id: Option<String>,
///         product_id, sku, category, name, brand, variant, price, quantity, coupon,
///         position, url, image_url,
///     }
///     /// The event about `product`, in cart `cart_id`.
///     pub fn new(cart_id);
/// }
/// ```
macro_rules! product_event {
    (
        $(#[$($attr:tt)*])*
        pub struct $name:ident { $($body:tt)* }
        $(#[doc = $new_doc:tt])*
        pub fn new($($arg:ident),*);
    ) => {
        product_event!(@munch
            {[[$([$($attr)*])*] $name [$($new_doc)*] [$($arg)*]] [] [] []}
            $($body)*
        );
    };

    // The end of the fields: every product field is the event's.
    (@munch $state:tt) => {
        product_event!(@emit $state [" its additional properties become the event's."] []);
    };
    // The end of the fields, naming the product fields kept in `extra`.
    (@munch $state:tt ..extra($first:ident $(, $more:ident)*)) => {
        product_event!(@emit $state [concat!(
            " its additional properties, and its `", stringify!($first), "`",
            $(", `", stringify!($more), "`",)*
            " (not properties of\n this event in the spec), become the event's additional properties."
        )] [$first $($more)*]);
    };
    // One of the event's own fields, written out.
    (@munch {$head:tt [$($field:tt)*] $product:tt [$($own:ident)*]}
        $(#[$($attr:tt)*])* pub $f:ident: $ty:ty, $($rest:tt)*
    ) => {
        product_event!(@munch
            {$head [$($field)* $(#[$($attr)*])* pub $f: $ty,] $product [$($own)* $f]}
            $($rest)*
        );
    };
    // One of the product's fields, by name: its kind and doc come from the table below.
    (@munch $state:tt $(#[doc = $doc:tt])? $f:ident, $($rest:tt)*) => {
        product_event!(@$f $state [$($doc)?] $($rest)*);
    };

    // The product's fields: kind and doc (a `///` line given with the name replaces the doc).
    (@product_id $s:tt [$($d:tt)?] $($r:tt)*) => { product_event!(@text product_id $s [$($d,)? " The database id of the product."] $($r)*); };
    (@sku $s:tt [$($d:tt)?] $($r:tt)*) => { product_event!(@text sku $s [$($d,)? " The product's stock-keeping unit."] $($r)*); };
    (@category $s:tt [$($d:tt)?] $($r:tt)*) => { product_event!(@text category $s [$($d,)? " The product category."] $($r)*); };
    (@name $s:tt [$($d:tt)?] $($r:tt)*) => { product_event!(@text name $s [$($d,)? " The product's name."] $($r)*); };
    (@brand $s:tt [$($d:tt)?] $($r:tt)*) => { product_event!(@text brand $s [$($d,)? " The product's brand."] $($r)*); };
    (@variant $s:tt [$($d:tt)?] $($r:tt)*) => { product_event!(@text variant $s [$($d,)? " The product variant, such as a size or a colour."] $($r)*); };
    (@price $s:tt [$($d:tt)?] $($r:tt)*) => { product_event!(@number price $s [$($d,)? " The price of one unit."] $($r)*); };
    (@quantity $s:tt [$($d:tt)?] $($r:tt)*) => { product_event!(@number quantity $s [$($d,)? " How many units. A number, so fractional quantities (`1.5` kg) are kept."] $($r)*); };
    (@coupon $s:tt [$($d:tt)?] $($r:tt)*) => { product_event!(@text coupon $s [$($d,)? " A coupon code associated with the product."] $($r)*); };
    (@position $s:tt [$($d:tt)?] $($r:tt)*) => { product_event!(@number position $s [$($d,)? " The position of the product in the list it was shown in (a number)."] $($r)*); };
    (@url $s:tt [$($d:tt)?] $($r:tt)*) => { product_event!(@text url $s [$($d,)? " The URL of the product page. Relative URLs are accepted (not validated)."] $($r)*); };
    (@image_url $s:tt [$($d:tt)?] $($r:tt)*) => { product_event!(@text image_url $s [$($d,)? " The URL of the product image. Relative URLs are accepted (not validated)."] $($r)*); };

    // A product field holding a string.
    (@text $f:ident {$head:tt [$($field:tt)*] [$($product:ident)*] $own:tt}
        [$doc:tt $(, $default:tt)?] $($rest:tt)*
    ) => {
        product_event!(@munch
            {$head [$($field)*
                #[doc = $doc]
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $f: Option<String>,
            ] [$($product)* $f] $own}
            $($rest)*
        );
    };
    // A product field holding a number, written as an integer when it is integral.
    (@number $f:ident {$head:tt [$($field:tt)*] [$($product:ident)*] $own:tt}
        [$doc:tt $(, $default:tt)?] $($rest:tt)*
    ) => {
        product_event!(@munch
            {$head [$($field)*
                #[doc = $doc]
                #[serde(
                    default,
                    skip_serializing_if = "Option::is_none",
                    serialize_with = "number::option"
                )]
                pub $f: Option<f64>,
            ] [$($product)* $f] $own}
            $($rest)*
        );
    };

    // The struct, `new` and `From<Product>`.
    (@emit
        {[[$([$($attr:tt)*])*] $name:ident [$($new_doc:tt)*] [$($arg:ident)*]]
            [$($field:tt)*] [$($product:ident)*] [$($own:ident)*]}
        [$from_doc:expr] [$($kept:ident)*]
    ) => {
        $(#[$($attr)*])*
        pub struct $name {
            $($field)*
            /// Additional properties beyond the spec, kept as they are.
            #[serde(flatten)]
            pub extra: ::serde_json::Map<String, ::serde_json::Value>,
        }

        impl $name {
            $(#[doc = $new_doc])*
            pub fn new($($arg: impl Into<String>,)* product: $crate::ecommerce::Product) -> Self {
                $name {
                    $($arg: Some($arg.into()),)*
                    ..Self::from(product)
                }
            }
        }

        impl From<$crate::ecommerce::Product> for $name {
            /// The event about `product`: its fields become the event's product properties;
            #[doc = $from_doc]
            fn from(product: $crate::ecommerce::Product) -> Self {
                let extra = product.extra;
                $(let extra = $crate::ecommerce::product_event::keep(extra, stringify!($kept), product.$kept);)*
                $name {
                    $($product: product.$product,)*
                    $($own: Default::default(),)*
                    extra,
                }
            }
        }
    };
}

pub(super) use product_event;

/// `extra` with the product's `key` property added, when set, as the product would
/// have written it: for an event with no field of that name.
pub(super) fn keep(
    mut extra: Map<String, Value>,
    key: &str,
    value: Option<impl PropertyValue>,
) -> Map<String, Value> {
    if let Some(value) = value {
        extra.insert(key.to_owned(), value.into_value());
    }
    extra
}

/// A product field's value as the JSON the product writes for it.
pub(super) trait PropertyValue {
    /// The JSON value.
    fn into_value(self) -> Value;
}

impl PropertyValue for f64 {
    fn into_value(self) -> Value {
        number::to_value(self)
    }
}

impl PropertyValue for String {
    fn into_value(self) -> Value {
        Value::String(self)
    }
}
