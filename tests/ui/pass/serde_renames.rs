//! serde's `rename` and `rename_all` decide the wire names: the spec check and the
//! error paths use them.

use event_core::{SemanticEvent, Validate};
use serde::Serialize;

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Order Completed")]
struct OrderCompleted {
    #[serde(rename = "order_id")]
    id: String,
    #[serde(rename(serialize = "total", deserialize = "grand_total"))]
    #[semantic_event(range(min = 0))]
    grand_total: f64,
    #[semantic_event(currency)]
    currency: Option<String>,
}

#[derive(Serialize, SemanticEvent)]
#[serde(rename_all = "camelCase")]
#[semantic_event(name = "Newsletter Subscribed")]
struct NewsletterSubscribed {
    #[semantic_event(email)]
    email_address: String,
    #[serde(rename = "list")]
    #[semantic_event(non_empty)]
    list_name: String,
}

#[derive(Serialize, Validate)]
#[serde(rename_all(serialize = "SCREAMING-KEBAB-CASE", deserialize = "snake_case"))]
struct Shouting {
    #[semantic_event(non_empty)]
    loud_name: String,
}

#[derive(Serialize, Validate)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct Kebab {
    #[serde(default, alias = "other", skip_serializing_if = "Option::is_none")]
    #[semantic_event(required)]
    some_value: Option<u8>,
}

fn main() {
    let order = OrderCompleted {
        id: "o-1".into(),
        grand_total: -1.0,
        currency: Some("usd".into()),
    };
    let errors = order.validate().unwrap_err();
    assert_eq!(
        errors.to_string(),
        "properties.total: must be at least 0, found -1\n\
         properties.currency: must be an ISO-4217 currency code in upper case: \"USD\""
    );
    let json = serde_json::to_value(&order).unwrap();
    assert_eq!(json["order_id"], "o-1");

    let subscribed = NewsletterSubscribed {
        email_address: "nope".into(),
        list_name: String::new(),
    };
    let errors = subscribed.validate().unwrap_err();
    let paths: Vec<&str> = errors.iter().map(|error| error.path()).collect();
    assert_eq!(paths, ["properties.emailAddress", "properties.list"]);

    let shouting = Shouting {
        loud_name: String::new(),
    };
    assert_eq!(
        shouting.validate().unwrap_err().to_string(),
        "LOUD-NAME: must not be empty"
    );
    assert_eq!(
        serde_json::to_value(&shouting).unwrap(),
        serde_json::json!({"LOUD-NAME": ""})
    );

    let kebab = Kebab { some_value: None };
    assert_eq!(
        kebab.validate().unwrap_err().to_string(),
        "some-value: is required"
    );
}
