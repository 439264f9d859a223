//! Reviewing: a product reviewed.
//!
//! Every property is optional, as in the spec; see the [module docs](super) for the
//! conventions shared by all events.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::SemanticEvent;

/// `Product Reviewed`: a user reviewed a product.
///
/// ```
/// use event_core::Validate;
/// use event_core::ecommerce::ProductReviewed;
///
/// let event = ProductReviewed {
///     review_id: Some("kdfjrj39fj39jf3".into()),
///     review_body: Some("I love this product".into()),
///     ..ProductReviewed::new("507f1f77bcf86cd799439011", "5")
/// };
/// assert!(event.validate().is_ok());
/// assert_eq!(serde_json::to_value(&event)?["rating"], "5"); // a string, as the spec says
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, SemanticEvent)]
#[semantic_event(name = "Product Reviewed")]
pub struct ProductReviewed {
    /// The database id of the product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
    /// The id of the review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_id: Option<String>,
    /// The text of the review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_body: Option<String>,
    /// The rating given. A **string** in the spec (`"5"`), unlike most numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<String>,
    /// Additional properties beyond the spec, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ProductReviewed {
    /// A review of the product `product_id`, rated `rating` (a string in the spec).
    pub fn new(product_id: impl Into<String>, rating: impl Into<String>) -> Self {
        ProductReviewed {
            product_id: Some(product_id.into()),
            rating: Some(rating.into()),
            ..Self::default()
        }
    }
}
