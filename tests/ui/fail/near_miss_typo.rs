use event_core::SemanticEvent;

#[derive(SemanticEvent)]
#[semantic_event(name = "Product List Veiwed")]
struct ProductListViewed {
    list_id: String,
}

fn main() {}
