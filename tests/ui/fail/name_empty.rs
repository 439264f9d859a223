use event_core::SemanticEvent;

#[derive(SemanticEvent)]
#[semantic_event(name = "")]
struct OrderCompleted {
    order_id: String,
}

fn main() {}
