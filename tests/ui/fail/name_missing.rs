use event_core::SemanticEvent;

#[derive(SemanticEvent)]
struct OrderCompleted {
    order_id: String,
}

fn main() {}
