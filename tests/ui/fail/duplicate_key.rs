use event_core::SemanticEvent;

#[derive(SemanticEvent)]
#[semantic_event(name = "Order Completed")]
#[semantic_event(name = "Order Updated")]
struct OrderCompleted {
    #[semantic_event(non_empty, non_empty)]
    order_id: String,
    #[semantic_event(range(min = 0, min = 1))]
    total: f64,
}

fn main() {}
