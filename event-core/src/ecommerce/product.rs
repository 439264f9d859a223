//! The objects inside events: [`Product`], [`Filter`] and [`Sort`].

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::number;
use crate::Validate;

/// A product, as it appears in `products` arrays (and, flattened, in the product events
/// such as [`ProductViewed`](super::ProductViewed)).
///
/// All twelve fields of the spec are optional; `None` is left out of the JSON. Numbers
/// are `f64`, so a fractional `quantity` or `price` is kept; integral values are
/// written as integers (`1`, not `1.0`). `url` and `image_url` are not validated as
/// absolute URLs: real payloads carry relative ones. Properties beyond the spec are
/// kept in [`extra`](Self::extra). Its fields are checked against the spec by
/// `#[semantic_event(product)]`, as those of a product type of your own would be (see
/// [`attributes`](crate::attributes#product-filter-sort)).
///
/// ```
/// use event_core::Validate;
/// use event_core::ecommerce::Product;
///
/// let product = Product {
///     brand: Some("Hasbro".into()),
///     quantity: Some(2.0),
///     ..Product::new("507f1f77bcf86cd799439011", "Monopoly: 3rd Edition", 19)
/// };
/// assert!(product.validate().is_ok());
/// assert_eq!(
///     serde_json::to_value(&product)?,
///     serde_json::json!({
///         "product_id": "507f1f77bcf86cd799439011",
///         "name": "Monopoly: 3rd Edition",
///         "price": 19,
///         "brand": "Hasbro",
///         "quantity": 2
///     })
/// );
///
/// let broken = Product { price: Some(f64::INFINITY), ..product };
/// assert_eq!(broken.validate().unwrap_err().to_string(), "price: must be a finite number");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[semantic_event(product)]
pub struct Product {
    /// The database id of the product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
    /// The product's stock-keeping unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    /// The product category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The product's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The product's brand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    /// The product variant, such as a size or a colour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// The price of one unit.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number::option"
    )]
    pub price: Option<f64>,
    /// How many units. A number, so fractional quantities (`1.5` kg) are kept.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number::option"
    )]
    pub quantity: Option<f64>,
    /// A coupon code associated with the product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coupon: Option<String>,
    /// The position of the product in the list it was shown in (a number).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number::option"
    )]
    pub position: Option<f64>,
    /// The URL of the product page. Relative URLs are accepted (not validated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The URL of the product image. Relative URLs are accepted (not validated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// Additional properties beyond the spec, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Product {
    /// The product `product_id`, called `name`, at `price` per unit; set the other
    /// fields by struct update.
    pub fn new(
        product_id: impl Into<String>,
        name: impl Into<String>,
        price: impl Into<f64>,
    ) -> Self {
        Product {
            product_id: Some(product_id.into()),
            name: Some(name.into()),
            price: Some(price.into()),
            ..Product::default()
        }
    }
}

/// A filter applied to a product list: `{"type": "department", "value": "beauty"}`.
///
/// ```
/// use event_core::ecommerce::Filter;
///
/// let filter = Filter::new("price", "under-$25");
/// assert_eq!(
///     serde_json::to_value(&filter)?,
///     serde_json::json!({"type": "price", "value": "under-$25"})
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize, Validate)]
#[semantic_event(filter)]
pub struct Filter {
    /// What is filtered on, such as `"department"` (the wire's `type`).
    #[serde(rename = "type")]
    pub kind: String,
    /// The value kept, such as `"beauty"`.
    pub value: String,
}

impl Filter {
    /// A filter on `kind` (the wire's `type`) keeping `value`.
    pub fn new(kind: impl Into<String>, value: impl Into<String>) -> Self {
        Filter {
            kind: kind.into(),
            value: value.into(),
        }
    }
}

/// A sort applied to a product list: `{"type": "price", "value": "desc"}`.
///
/// ```
/// use event_core::ecommerce::Sort;
///
/// let sort = Sort::new("price", "desc");
/// assert_eq!(serde_json::to_value(&sort)?, serde_json::json!({"type": "price", "value": "desc"}));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize, Validate)]
#[semantic_event(sort)]
pub struct Sort {
    /// What is sorted on, such as `"price"` (the wire's `type`).
    #[serde(rename = "type")]
    pub kind: String,
    /// The direction, such as `"asc"` or `"desc"`.
    pub value: String,
}

impl Sort {
    /// A sort on `kind` (the wire's `type`) in the direction `value`.
    pub fn new(kind: impl Into<String>, value: impl Into<String>) -> Self {
        Sort {
            kind: kind.into(),
            value: value.into(),
        }
    }
}
