//! Wishlisting: products added to, removed from and bought from a wishlist.
//!
//! Every property is optional, as in the spec; see the [module docs](super) for the
//! conventions shared by all events.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Product;
use super::number;
use crate::SemanticEvent;

/// `Product Added to Wishlist`: a user added a product to a wishlist.
///
/// ```
/// use event_core::Validate;
/// use event_core::ecommerce::{Product, ProductAddedToWishlist};
///
/// let event = ProductAddedToWishlist {
///     wishlist_name: Some("Loved Games".into()),
///     ..ProductAddedToWishlist::new("skdjsidjsdkdj29j", Product::new("507f1f77bcf86cd799439011", "Monopoly: 3rd Edition", 18.99))
/// };
/// assert!(event.validate().is_ok());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, SemanticEvent)]
#[semantic_event(name = "Product Added to Wishlist")]
pub struct ProductAddedToWishlist {
    /// The id of the wishlist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wishlist_id: Option<String>,
    /// The name of the wishlist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wishlist_name: Option<String>,
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

impl ProductAddedToWishlist {
    /// The event about `product`, in wishlist `wishlist_id`.
    pub fn new(wishlist_id: impl Into<String>, product: Product) -> Self {
        ProductAddedToWishlist {
            wishlist_id: Some(wishlist_id.into()),
            ..Self::from(product)
        }
    }
}

impl From<Product> for ProductAddedToWishlist {
    /// The event about `product`: its fields become the event's product properties;
    /// its additional properties become the event's.
    fn from(product: Product) -> Self {
        ProductAddedToWishlist {
            product_id: product.product_id,
            sku: product.sku,
            category: product.category,
            name: product.name,
            brand: product.brand,
            variant: product.variant,
            price: product.price,
            quantity: product.quantity,
            coupon: product.coupon,
            position: product.position,
            url: product.url,
            image_url: product.image_url,
            extra: product.extra,
            ..ProductAddedToWishlist::default()
        }
    }
}

/// `Product Removed from Wishlist`: a user removed a product from a wishlist.
///
/// ```
/// use event_core::Validate;
/// use event_core::ecommerce::{Product, ProductRemovedFromWishlist};
///
/// let event = ProductRemovedFromWishlist::new("skdjsidjsdkdj29j", Product::new("507f1f77bcf86cd799439011", "Monopoly: 3rd Edition", 18.99));
/// assert!(event.validate().is_ok());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, SemanticEvent)]
#[semantic_event(name = "Product Removed from Wishlist")]
pub struct ProductRemovedFromWishlist {
    /// The id of the wishlist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wishlist_id: Option<String>,
    /// The name of the wishlist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wishlist_name: Option<String>,
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

impl ProductRemovedFromWishlist {
    /// The event about `product`, in wishlist `wishlist_id`.
    pub fn new(wishlist_id: impl Into<String>, product: Product) -> Self {
        ProductRemovedFromWishlist {
            wishlist_id: Some(wishlist_id.into()),
            ..Self::from(product)
        }
    }
}

impl From<Product> for ProductRemovedFromWishlist {
    /// The event about `product`: its fields become the event's product properties;
    /// its additional properties become the event's.
    fn from(product: Product) -> Self {
        ProductRemovedFromWishlist {
            product_id: product.product_id,
            sku: product.sku,
            category: product.category,
            name: product.name,
            brand: product.brand,
            variant: product.variant,
            price: product.price,
            quantity: product.quantity,
            coupon: product.coupon,
            position: product.position,
            url: product.url,
            image_url: product.image_url,
            extra: product.extra,
            ..ProductRemovedFromWishlist::default()
        }
    }
}

/// `Wishlist Product Added to Cart`: a user moved a product from a wishlist to their cart.
///
/// ```
/// use event_core::Validate;
/// use event_core::ecommerce::{Product, WishlistProductAddedToCart};
///
/// let event = WishlistProductAddedToCart::new(
///     "skdjsidjsdkdj29j",
///     "99j2d92j9dj29dj29d2d",
///     Product::new("507f1f77bcf86cd799439011", "Monopoly: 3rd Edition", 18.99),
/// );
/// assert!(event.validate().is_ok());
/// assert_eq!(event.cart_id.as_deref(), Some("99j2d92j9dj29dj29d2d"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, SemanticEvent)]
#[semantic_event(name = "Wishlist Product Added to Cart")]
pub struct WishlistProductAddedToCart {
    /// The id of the wishlist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wishlist_id: Option<String>,
    /// The name of the wishlist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wishlist_name: Option<String>,
    /// The id of the cart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cart_id: Option<String>,
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

impl WishlistProductAddedToCart {
    /// The event about `product`, moved from wishlist `wishlist_id` to cart `cart_id`.
    pub fn new(
        wishlist_id: impl Into<String>,
        cart_id: impl Into<String>,
        product: Product,
    ) -> Self {
        WishlistProductAddedToCart {
            wishlist_id: Some(wishlist_id.into()),
            cart_id: Some(cart_id.into()),
            ..Self::from(product)
        }
    }
}

impl From<Product> for WishlistProductAddedToCart {
    /// The event about `product`: its fields become the event's product properties;
    /// its additional properties become the event's.
    fn from(product: Product) -> Self {
        WishlistProductAddedToCart {
            product_id: product.product_id,
            sku: product.sku,
            category: product.category,
            name: product.name,
            brand: product.brand,
            variant: product.variant,
            price: product.price,
            quantity: product.quantity,
            coupon: product.coupon,
            position: product.position,
            url: product.url,
            image_url: product.image_url,
            extra: product.extra,
            ..WishlistProductAddedToCart::default()
        }
    }
}
