use event_core::SemanticEvent;

#[derive(SemanticEvent)]
#[semantic_event(naem = "Order Completed", cutsom, frobnicate)]
struct OrderCompleted {
    order_id: String,
}

fn main() {}
