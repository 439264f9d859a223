//! Coupons: entered, applied, denied and removed.
//!
//! Every property is optional, as in the spec; see the [module docs](super) for the
//! conventions shared by all events.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::number;
use crate::SemanticEvent;

/// `Coupon Entered`: a user entered a coupon code on a cart or an order.
///
/// ```
/// use event_core::Validate;
/// use event_core::ecommerce::CouponEntered;
///
/// let event = CouponEntered {
///     cart_id: Some("923923929jd29jd92dj9j93fj3".into()),
///     ..CouponEntered::new("may_deals_2016")
/// };
/// assert!(event.validate().is_ok());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, SemanticEvent)]
#[semantic_event(name = "Coupon Entered")]
pub struct CouponEntered {
    /// The id of the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// The id of the cart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cart_id: Option<String>,
    /// The id of the coupon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coupon_id: Option<String>,
    /// Additional properties beyond the spec, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CouponEntered {
    /// The coupon `coupon_id`.
    pub fn new(coupon_id: impl Into<String>) -> Self {
        CouponEntered {
            coupon_id: Some(coupon_id.into()),
            ..Self::default()
        }
    }
}

/// `Coupon Applied`: a coupon was applied to a cart or an order.
///
/// ```
/// use event_core::Validate;
/// use event_core::ecommerce::CouponApplied;
///
/// let event = CouponApplied {
///     coupon_name: Some("May Deals 2016".into()),
///     discount: Some(23.32),
///     ..CouponApplied::new("may_deals_2016")
/// };
/// assert!(event.validate().is_ok());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, SemanticEvent)]
#[semantic_event(name = "Coupon Applied")]
pub struct CouponApplied {
    /// The id of the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// The id of the cart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cart_id: Option<String>,
    /// The id of the coupon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coupon_id: Option<String>,
    /// The name of the coupon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coupon_name: Option<String>,
    /// The discount the coupon gave.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number::option"
    )]
    pub discount: Option<f64>,
    /// Additional properties beyond the spec, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CouponApplied {
    /// The coupon `coupon_id`.
    pub fn new(coupon_id: impl Into<String>) -> Self {
        CouponApplied {
            coupon_id: Some(coupon_id.into()),
            ..Self::default()
        }
    }
}

/// `Coupon Denied`: a coupon was refused, for example because it expired.
///
/// ```
/// use event_core::Validate;
/// use event_core::ecommerce::CouponDenied;
///
/// let event = CouponDenied {
///     order_id: Some("50314b8e9bcf000000000000".into()),
///     ..CouponDenied::new("may_deals_2016", "Coupon expired")
/// };
/// assert!(event.validate().is_ok());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, SemanticEvent)]
#[semantic_event(name = "Coupon Denied")]
pub struct CouponDenied {
    /// The id of the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// The id of the cart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cart_id: Option<String>,
    /// The id of the coupon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coupon_id: Option<String>,
    /// The name of the coupon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coupon_name: Option<String>,
    /// Why the coupon was denied, such as `"Coupon expired"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Additional properties beyond the spec, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CouponDenied {
    /// The coupon `coupon_id`, refused for `reason`.
    pub fn new(coupon_id: impl Into<String>, reason: impl Into<String>) -> Self {
        CouponDenied {
            coupon_id: Some(coupon_id.into()),
            reason: Some(reason.into()),
            ..Self::default()
        }
    }
}

/// `Coupon Removed`: a user removed a coupon from a cart or an order.
///
/// ```
/// use event_core::Validate;
/// use event_core::ecommerce::CouponRemoved;
///
/// let event = CouponRemoved {
///     discount: Some(23.32),
///     ..CouponRemoved::new("may_deals_2016")
/// };
/// assert!(event.validate().is_ok());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, SemanticEvent)]
#[semantic_event(name = "Coupon Removed")]
pub struct CouponRemoved {
    /// The id of the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// The id of the cart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cart_id: Option<String>,
    /// The id of the coupon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coupon_id: Option<String>,
    /// The name of the coupon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coupon_name: Option<String>,
    /// The discount the coupon gave.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number::option"
    )]
    pub discount: Option<f64>,
    /// Additional properties beyond the spec, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CouponRemoved {
    /// The coupon `coupon_id`.
    pub fn new(coupon_id: impl Into<String>) -> Self {
        CouponRemoved {
            coupon_id: Some(coupon_id.into()),
            ..Self::default()
        }
    }
}
