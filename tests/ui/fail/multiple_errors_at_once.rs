use event_core::SemanticEvent;
use serde::Serialize;

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Order Completed", colour = "red")]
struct OrderCompleted {
    #[semantic_event(requird, range(max = 5))]
    order_id: String,
    #[semantic_event(length(min = 3, max = 1))]
    coupon: Option<String>,
    totl: f64,
    #[serde(rename = "totl")]
    total: f64,
}

fn main() {}
