//! A flattened map of extra properties is exempt from the spec check; a flattened
//! struct is validated at the parent's path.

use event_core::{SemanticEvent, Validate};
use serde::Serialize;

#[derive(Serialize, Validate)]
struct Money {
    #[semantic_event(range(min = 0))]
    revenue: Option<f64>,
    #[semantic_event(currency)]
    currency: Option<String>,
}

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Order Completed")]
struct OrderCompleted {
    order_id: String,
    #[serde(flatten)]
    money: Money,
    #[serde(flatten)]
    extra: serde_json::Map<String, serde_json::Value>,
}

fn main() {
    let mut extra = serde_json::Map::new();
    extra.insert("gift_wrap".into(), true.into());
    let order = OrderCompleted {
        order_id: "o-1".into(),
        money: Money {
            revenue: Some(-5.0),
            currency: Some("EURO".into()),
        },
        extra,
    };
    let errors = order.validate().unwrap_err();
    assert_eq!(
        errors.to_string(),
        "properties.revenue: must be at least 0, found -5\n\
         properties.currency: must be an ISO-4217 currency code such as \"USD\""
    );
    let json = serde_json::to_value(&order).unwrap();
    assert_eq!(json["gift_wrap"], true);
    assert_eq!(json["currency"], "EURO");
}
