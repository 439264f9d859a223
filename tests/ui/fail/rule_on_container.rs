use event_core::SemanticEvent;

#[derive(SemanticEvent)]
#[semantic_event(name = "Order Completed", required)]
struct OrderCompleted {
    order_id: Option<String>,
}

fn main() {}
