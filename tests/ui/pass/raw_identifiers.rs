//! Raw identifiers: `r#type` is the property `type`.

use event_core::{SemanticEvent, Validate};
use serde::Serialize;

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Subscription Changed")]
struct SubscriptionChanged {
    #[semantic_event(non_empty)]
    r#type: String,
    #[semantic_event(length(max = 10))]
    r#match: Option<String>,
}

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Product List Filtered")]
struct ListFiltered {
    r#list_id: Option<String>,
}

fn main() {
    let event = SubscriptionChanged {
        r#type: String::new(),
        r#match: Some("a very long text".into()),
    };
    let errors = event.validate().unwrap_err();
    assert_eq!(
        errors.to_string(),
        "properties.type: must not be empty\nproperties.match: length must be at most 10, found 16"
    );
    let json = serde_json::to_value(&event).unwrap();
    assert_eq!(json["type"], "");
    assert!(ListFiltered { list_id: None }.validate().is_ok());
}
