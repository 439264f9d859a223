use event_core::SemanticEvent;

#[derive(SemanticEvent)]
#[semantic_event(name = "Order Completed")]
enum OrderCompleted {
    Paid { order_id: String },
}

fn main() {}
