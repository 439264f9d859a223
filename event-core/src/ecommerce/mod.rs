//! The 28 Customer.io ecommerce semantic events, typed.
//!
//! Customer.io (mirroring the Segment Ecommerce v2 spec) gives 28 event names a meaning:
//! send `Order Completed` with its properties and every destination that understands
//! ecommerce treats it as a purchase. Each event is a struct here, deriving
//! [`SemanticEvent`](derive@crate::SemanticEvent) with the spec's name, so the derive
//! checks it against the spec while compiling; [`EcommerceEvent`] is any of them (or a
//! custom event), for reading payloads off the wire.
//!
//! | Event | Rust type | Group |
//! | --- | --- | --- |
//! | `Products Searched` | [`ProductsSearched`] | Browsing |
//! | `Product List Viewed` | [`ProductListViewed`] | Browsing |
//! | `Product List Filtered` | [`ProductListFiltered`] | Browsing |
//! | `Promotion Viewed` | [`PromotionViewed`] | Promotions |
//! | `Promotion Clicked` | [`PromotionClicked`] | Promotions |
//! | `Product Clicked` | [`ProductClicked`] | Core Ordering |
//! | `Product Viewed` | [`ProductViewed`] | Core Ordering |
//! | `Product Added` | [`ProductAdded`] | Core Ordering |
//! | `Product Removed` | [`ProductRemoved`] | Core Ordering |
//! | `Cart Viewed` | [`CartViewed`] | Core Ordering |
//! | `Checkout Started` | [`CheckoutStarted`] | Core Ordering |
//! | `Checkout Step Viewed` | [`CheckoutStepViewed`] | Core Ordering |
//! | `Checkout Step Completed` | [`CheckoutStepCompleted`] | Core Ordering |
//! | `Payment Info Entered` | [`PaymentInfoEntered`] | Core Ordering |
//! | `Order Updated` | [`OrderUpdated`] | Core Ordering |
//! | `Order Completed` | [`OrderCompleted`] | Core Ordering |
//! | `Order Refunded` | [`OrderRefunded`] | Core Ordering |
//! | `Order Cancelled` | [`OrderCancelled`] | Core Ordering |
//! | `Coupon Entered` | [`CouponEntered`] | Coupons |
//! | `Coupon Applied` | [`CouponApplied`] | Coupons |
//! | `Coupon Denied` | [`CouponDenied`] | Coupons |
//! | `Coupon Removed` | [`CouponRemoved`] | Coupons |
//! | `Product Added to Wishlist` | [`ProductAddedToWishlist`] | Wishlisting |
//! | `Product Removed from Wishlist` | [`ProductRemovedFromWishlist`] | Wishlisting |
//! | `Wishlist Product Added to Cart` | [`WishlistProductAddedToCart`] | Wishlisting |
//! | `Product Shared` | [`ProductShared`] | Sharing |
//! | `Cart Shared` | [`CartShared`] | Sharing |
//! | `Product Reviewed` | [`ProductReviewed`] | Reviewing |
//!
//! Inside events: [`Product`] (the spec's 12 product fields), [`Filter`] and [`Sort`].
//!
//! # Conventions
//!
//! - **Every property is an `Option`**: the spec requires none. `None` is left out of
//!   the JSON, never written as `null`. (A `null` read from a payload becomes `None`, so
//!   it is not written back.)
//! - **`products`, `filters` and `sorts` are `Option<Vec<_>>`**, like every other
//!   property: `None` is left out and `Some(vec![])` is sent as `[]`, so a payload read
//!   off the wire is written back exactly, absent and empty lists included. The
//!   constructors take a plain `Vec` and wrap it.
//! - **Numbers are `f64`**: prices, money fields, `quantity`, `position`, `step`. The spec
//!   types them as JSON numbers, "integer or fractional", and real payloads carry
//!   fractional quantities (`1.5` kg) and prices; an integer type would refuse them on
//!   parse. Integral values are written as integers (`1`, not `1.0`), as JavaScript does,
//!   so a payload read and written back is the same JSON. Every `f64` must be finite
//!   (checked by validation: JSON has no NaN and `serde_json` would write `null`).
//! - **The spec's quirks are kept**: `position` is a string on the promotion events and a
//!   number on products; `rating` on [`ProductReviewed`] is a string.
//! - **`currency` is validated** as an ISO-4217 code (`"USD"`, not `"usd"` or `"$"`).
//! - **`url` and `image_url` are not validated** as absolute URLs: the spec types them as
//!   plain strings and real payloads carry relative URLs (`/product/123`) and app deep
//!   links. Define your own event with `#[semantic_event(url)]` to insist on absolute ones.
//! - **Additional properties survive** in the flattened `extra` map of every event and of
//!   [`Product`].
//! - **Building is short**: each event has a `new(...)` for its common fields (the
//!   product events also convert `From<Product>`), and `Default` plus struct update for
//!   the rest.
//!
//! # Send a catalogue event
//!
//! ```
//! use event_core::ecommerce::{OrderCompleted, Product};
//! use event_core::{Identity, Track, Validate};
//!
//! let products = vec![
//!     Product { quantity: Some(2.0), ..Product::new("507f1f77bcf86cd799439011", "Monopoly: 3rd Edition", 19) },
//!     Product::new("505bd76785ebb509fc183733", "Uno Card Game", 3),
//! ];
//! let order = OrderCompleted {
//!     total: Some(44.5),
//!     revenue: Some(41.0),
//!     tax: Some(3.5),
//!     ..OrderCompleted::new("50314b8e9bcf000000000000", "USD", products)
//! };
//! let track = Track::new(Identity::user("user_12345")?, order);
//! track.validate()?;
//!
//! let json = serde_json::to_value(&track)?;
//! assert_eq!(json["type"], "track");
//! assert_eq!(json["event"], "Order Completed");
//! assert_eq!(json["properties"]["products"][0]["quantity"], 2);
//! assert_eq!(json["properties"]["currency"], "USD");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Define your own event
//!
//! Derive [`SemanticEvent`](derive@crate::SemanticEvent) on a struct of your own; when
//! it names a catalogue event, the derive checks its properties against the spec (a
//! misspelled `prodcut_id` or a `String` price does not compile), and [`Product`] can
//! serve as its products:
//!
//! ```
//! use event_core::ecommerce::Product;
//! use event_core::{SemanticEvent, Validate};
//! use serde::Serialize;
//!
//! #[derive(Serialize, SemanticEvent)]
//! #[semantic_event(name = "Cart Viewed")]
//! struct MyCartViewed {
//!     #[semantic_event(non_empty)]
//!     cart_id: String,
//!     products: Vec<Product>,
//! }
//!
//! let event = MyCartViewed { cart_id: String::new(), products: vec![] };
//! assert_eq!(event.validate().unwrap_err().to_string(), "properties.cart_id: must not be empty");
//! ```
//!
//! # Read events from JSON
//!
//! `Track<EcommerceEvent>` reads any track payload: a catalogue event into its variant,
//! anything else into [`EcommerceEvent::Custom`]. [`from_json`](crate::from_json) names
//! the event and the field path of what does not fit; `Track<ProductViewed>` reads only
//! that event. A batch body is a [`Batch`](crate::batch::Batch).
//!
//! ```
//! use event_core::Track;
//! use event_core::ecommerce::{EcommerceEvent, ProductViewed};
//!
//! let json = br#"{
//!     "userId": "user_12345",
//!     "type": "track",
//!     "event": "Product Viewed",
//!     "properties": {"product_id": "507f1f77bcf86cd799439011", "price": 18.99, "currency": "USD"},
//!     "timestamp": "2024-01-15T10:30:00.000Z",
//!     "messageId": "0b9d5a1e-5a6b-4c55-9d3a-2c1f1b4e8f10"
//! }"#;
//! let any: Track<EcommerceEvent> = event_core::from_json(json)?;
//! assert!(matches!(&any.event, EcommerceEvent::ProductViewed(viewed) if viewed.price == Some(18.99)));
//!
//! let typed: Track<ProductViewed> = event_core::from_json(json)?;
//! assert_eq!(typed.event.currency.as_deref(), Some("USD"));
//!
//! let wrong = br#"{"userId": "user_12345", "event": "Product Viewed", "properties": {"price": "18.99"}}"#;
//! let error = event_core::from_json::<Track<EcommerceEvent>>(wrong).unwrap_err();
//! assert_eq!(error.path(), "properties.price");
//! assert_eq!(error.event(), Some("Product Viewed"));
//! # Ok::<(), event_core::ParseError>(())
//! ```

mod browsing;
mod coupons;
mod events;
mod number;
mod ordering;
mod product;
mod product_event;
mod promotions;
mod reviewing;
mod sharing;
mod wishlisting;

pub use browsing::{ProductListFiltered, ProductListViewed, ProductsSearched};
pub use coupons::{CouponApplied, CouponDenied, CouponEntered, CouponRemoved};
pub use events::EcommerceEvent;
pub use ordering::{
    CartViewed, CheckoutStarted, CheckoutStepCompleted, CheckoutStepViewed, OrderCancelled,
    OrderCompleted, OrderRefunded, OrderUpdated, PaymentInfoEntered, ProductAdded, ProductClicked,
    ProductRemoved, ProductViewed,
};
pub use product::{Filter, Product, Sort};
pub use promotions::{PromotionClicked, PromotionViewed};
pub use reviewing::ProductReviewed;
pub use sharing::{CartShared, ProductShared};
pub use wishlisting::{
    ProductAddedToWishlist, ProductRemovedFromWishlist, WishlistProductAddedToCart,
};
