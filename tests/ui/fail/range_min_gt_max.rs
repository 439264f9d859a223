use event_core::SemanticEvent;

#[derive(SemanticEvent)]
#[semantic_event(name = "Order Completed")]
struct OrderCompleted {
    #[semantic_event(range(min = 100, max = -1.5))]
    total: f64,
    #[semantic_event(length(min = 5, max = 2))]
    order_id: String,
}

fn main() {}
