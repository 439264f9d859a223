use event_core::SemanticEvent;

#[derive(SemanticEvent)]
#[semantic_event(name = "Product Viewed")]
struct ProductViewed {
    #[semantic_event(url)]
    price: f64,
    #[semantic_event(email, currency)]
    quantity: Option<Box<u32>>,
}

fn main() {}
