use event_core::SemanticEvent;
use serde::Serialize;

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Order Completed")]
struct OrderCompleted {
    order_id: String,
    #[serde(rename = "order_id")]
    legacy_order_id: String,
}

fn main() {}
