use event_core::SemanticEvent;

#[derive(SemanticEvent)]
#[semantic_event(name = "Order Completed")]
struct OrderCompleted {
    #[semantic_event(length(max = 10))]
    total: f64,
    #[semantic_event(non_empty)]
    tax: Option<f64>,
}

fn main() {}
