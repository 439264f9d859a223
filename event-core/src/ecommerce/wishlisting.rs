//! Wishlisting: products added to, removed from and bought from a wishlist.
//!
//! Every property is optional, as in the spec; see the [module docs](super) for the
//! conventions shared by all events.

use serde::{Deserialize, Serialize};

use super::number;
use super::product_event::product_event;
use crate::SemanticEvent;

product_event! {
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
        product_id, sku, category, name, brand, variant, price, quantity, coupon, position, url,
        image_url,
    }
    /// The event about `product`, in wishlist `wishlist_id`.
    pub fn new(wishlist_id);
}

product_event! {
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
        product_id, sku, category, name, brand, variant, price, quantity, coupon, position, url,
        image_url,
    }
    /// The event about `product`, in wishlist `wishlist_id`.
    pub fn new(wishlist_id);
}

product_event! {
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
        product_id, sku, category, name, brand, variant, price, quantity, coupon, position, url,
        image_url,
    }
    /// The event about `product`, moved from wishlist `wishlist_id` to cart `cart_id`.
    pub fn new(wishlist_id, cart_id);
}
