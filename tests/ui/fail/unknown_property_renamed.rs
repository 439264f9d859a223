use event_core::SemanticEvent;
use serde::Serialize;

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Product Viewed")]
struct ProductViewed {
    #[serde(rename = "productId")]
    product_id: String,
}

fn main() {}
