use event_core::SemanticEvent;
use serde::Serialize;

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Product Viewed")]
struct ProductViewed {
    product_id: String,
    price: String,
}

fn main() {}
