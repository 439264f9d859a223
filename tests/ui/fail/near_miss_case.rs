use event_core::SemanticEvent;

#[derive(SemanticEvent)]
#[semantic_event(name = "order completed")]
struct OrderCompleted {
    order_id: String,
}

fn main() {}
