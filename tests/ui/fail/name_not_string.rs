use event_core::SemanticEvent;

#[derive(SemanticEvent)]
#[semantic_event(name = 5)]
struct OrderCompleted {
    order_id: String,
}

fn main() {}
