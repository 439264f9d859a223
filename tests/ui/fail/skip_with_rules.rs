use event_core::SemanticEvent;
use serde::Serialize;

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Order Completed")]
struct OrderCompleted {
    #[semantic_event(skip, non_empty)]
    order_id: String,
    #[serde(skip)]
    #[semantic_event(range(min = 0))]
    total: f64,
}

fn main() {}
