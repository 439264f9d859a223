use event_core::SemanticEvent;

#[derive(SemanticEvent)]
#[semantic_event(name = "Order  Completed")]
struct OrderCompleted {
    order_id: String,
}

fn main() {}
