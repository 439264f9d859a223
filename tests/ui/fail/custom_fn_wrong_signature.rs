use event_core::SemanticEvent;
use serde::Serialize;

fn positive(value: &u32) -> bool {
    *value > 0
}

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Order Completed")]
struct OrderCompleted {
    #[semantic_event(custom = positive)]
    total: f64,
}

fn main() {}
