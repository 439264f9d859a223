//! Sharing: a product or a cart shared with someone.
//!
//! Every property is optional, as in the spec; see the [module docs](super) for the
//! conventions shared by all events.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Product;
use super::number;
use super::product_event::product_event;
use crate::SemanticEvent;

product_event! {
    /// `Product Shared`: a user shared a product with someone.
    ///
    /// ```
    /// use event_core::Validate;
    /// use event_core::ecommerce::{Product, ProductShared};
    ///
    /// let event = ProductShared {
    ///     share_message: Some("Hey, check out this item".into()),
    ///     recipient: Some("friend@example.com".into()),
    ///     ..ProductShared::new("email", Product::new("507f1f77bcf86cd799439011", "Monopoly: 3rd Edition", 18.99))
    /// };
    /// assert!(event.validate().is_ok());
    /// ```
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, SemanticEvent)]
    #[semantic_event(name = "Product Shared")]
    pub struct ProductShared {
        /// How it was shared, such as `"email"`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub share_via: Option<String>,
        /// The message sent with the share.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub share_message: Option<String>,
        /// Who it was shared with, such as an email address.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub recipient: Option<String>,
        product_id, sku, category, name, brand, variant, price, url, image_url,
        // Not properties of this event in the spec: `From<Product>` keeps them in `extra`.
        ..extra(quantity, coupon, position)
    }
    /// `product`, shared via `share_via` (such as `"email"`).
    pub fn new(share_via);
}

/// `Cart Shared`: a user shared their cart with someone.
///
/// ```
/// use event_core::Validate;
/// use event_core::ecommerce::{CartShared, Product};
///
/// let event = CartShared {
///     recipient: Some("friend@example.com".into()),
///     ..CartShared::new("email", "d92jd29jd92jd29j92d92jd", vec![Product::new("507f1f77bcf86cd799439011", "Monopoly: 3rd Edition", 18.99)])
/// };
/// assert!(event.validate().is_ok());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, SemanticEvent)]
#[semantic_event(name = "Cart Shared")]
pub struct CartShared {
    /// How it was shared, such as `"email"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_via: Option<String>,
    /// The message sent with the share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_message: Option<String>,
    /// Who it was shared with, such as an email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// The id of the cart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cart_id: Option<String>,
    /// The products in the cart shared. `None` is left out of the JSON; `Some(vec![])` is sent as `[]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub products: Option<Vec<Product>>,
    /// Additional properties beyond the spec, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CartShared {
    /// The cart `cart_id` holding `products`, shared via `share_via` (such as `"email"`).
    pub fn new(
        share_via: impl Into<String>,
        cart_id: impl Into<String>,
        products: Vec<Product>,
    ) -> Self {
        CartShared {
            share_via: Some(share_via.into()),
            cart_id: Some(cart_id.into()),
            products: Some(products),
            ..Self::default()
        }
    }
}
