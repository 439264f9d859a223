//! Promotions: internal banners and offers shown and clicked.
//!
//! Every property is optional, as in the spec; see the [module docs](super) for the
//! conventions shared by all events.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::SemanticEvent;

/// `Promotion Viewed`: a visitor viewed an internal promotion, such as a banner.
///
/// ```
/// use event_core::Validate;
/// use event_core::ecommerce::PromotionViewed;
///
/// let event = PromotionViewed {
///     creative: Some("top_banner_2".into()),
///     position: Some("home_banner_top".into()), // a string on promotions
///     ..PromotionViewed::new("promo_1", "75% store-wide shoe sale")
/// };
/// assert!(event.validate().is_ok());
/// assert_eq!(serde_json::to_value(&event)?["position"], "home_banner_top");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, SemanticEvent)]
#[semantic_event(name = "Promotion Viewed")]
pub struct PromotionViewed {
    /// The id of the promotion, such as `"promo_1"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promotion_id: Option<String>,
    /// The creative of the promotion, such as `"top_banner_2"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creative: Option<String>,
    /// The name of the promotion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Where the promotion was shown, such as `"home_banner_top"`. A **string** on promotion events, unlike a product's position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    /// Additional properties beyond the spec, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl PromotionViewed {
    /// The promotion `promotion_id`, called `name`.
    pub fn new(promotion_id: impl Into<String>, name: impl Into<String>) -> Self {
        PromotionViewed {
            promotion_id: Some(promotion_id.into()),
            name: Some(name.into()),
            ..Self::default()
        }
    }
}

/// `Promotion Clicked`: a visitor clicked an internal promotion.
///
/// ```
/// use event_core::Validate;
/// use event_core::ecommerce::PromotionClicked;
///
/// let event = PromotionClicked {
///     creative: Some("top_banner_2".into()),
///     position: Some("home_banner_top".into()), // a string on promotions
///     ..PromotionClicked::new("promo_1", "75% store-wide shoe sale")
/// };
/// assert!(event.validate().is_ok());
/// assert_eq!(serde_json::to_value(&event)?["position"], "home_banner_top");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, SemanticEvent)]
#[semantic_event(name = "Promotion Clicked")]
pub struct PromotionClicked {
    /// The id of the promotion, such as `"promo_1"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promotion_id: Option<String>,
    /// The creative of the promotion, such as `"top_banner_2"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creative: Option<String>,
    /// The name of the promotion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Where the promotion was shown, such as `"home_banner_top"`. A **string** on promotion events, unlike a product's position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    /// Additional properties beyond the spec, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl PromotionClicked {
    /// The promotion `promotion_id`, called `name`.
    pub fn new(promotion_id: impl Into<String>, name: impl Into<String>) -> Self {
        PromotionClicked {
            promotion_id: Some(promotion_id.into()),
            name: Some(name.into()),
            ..Self::default()
        }
    }
}
