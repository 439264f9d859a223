use event_core::SemanticEvent;
use serde::Serialize;

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Order Completed")]
struct OrderCompleted {
    order_id: String,
    products: Vec<String>,
}

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Cart Viewed")]
struct CartViewed {
    products: String,
}

fn main() {}
