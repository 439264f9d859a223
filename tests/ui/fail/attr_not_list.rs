use event_core::SemanticEvent;

#[derive(SemanticEvent)]
#[semantic_event = "Order Completed"]
struct OrderCompleted {
    #[semantic_event]
    order_id: String,
}

fn main() {}
