use event_core::SemanticEvent;

#[derive(SemanticEvent)]
#[semantic_event(name = "Order Completed")]
struct OrderCompleted {
    #[semantic_event(length())]
    order_id: String,
    #[semantic_event(range)]
    total: f64,
}

fn main() {}
