use event_core::SemanticEvent;

#[derive(SemanticEvent)]
#[semantic_event(name = "Order Completed")]
struct OrderCompleted {
    #[semantic_event(range(min = 1, max = 10))]
    order_id: Option<String>,
}

fn main() {}
