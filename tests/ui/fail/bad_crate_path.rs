use event_core::SemanticEvent;

#[derive(SemanticEvent)]
#[semantic_event(name = "Order Completed", crate = "event core!")]
struct OrderCompleted {
    order_id: String,
}

fn main() {}
