use event_core::SemanticEvent;
use serde::Serialize;

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Product Added")]
struct ProductAdded {
    product_id: Option<u64>,
}

fn main() {}
