use event_core::SemanticEvent;

#[derive(SemanticEvent)]
#[semantic_event(name = "Product Viewed")]
struct ProductViewed {
    prodcut_id: String,
    price: f64,
}

fn main() {}
