use event_core::SemanticEvent;

#[derive(SemanticEvent)]
#[semantic_event(name = "Order Completed")]
struct OrderCompleted {
    #[semantic_event(length(max = -1))]
    order_id: String,
    #[semantic_event(range(min = "0", maximum = 5))]
    total: f64,
}

fn main() {}
