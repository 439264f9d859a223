use event_core::SemanticEvent;

#[derive(SemanticEvent)]
#[semantic_event(name = "Order Completed", custom = true)]
struct OrderCompleted {
    #[semantic_event(required = true)]
    order_id: Option<String>,
    #[semantic_event(length = 5)]
    coupon: String,
}

fn main() {}
