use event_core::SemanticEvent;

#[derive(SemanticEvent)]
#[semantic_event(name = "Order Completed")]
union OrderCompleted {
    total: f64,
    count: u64,
}

fn main() {}
