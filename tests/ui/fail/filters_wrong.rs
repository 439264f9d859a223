use event_core::SemanticEvent;
use serde::Serialize;

#[derive(Serialize)]
struct Filter {
    r#type: String,
    value: String,
}

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Product List Filtered")]
struct ProductListFiltered {
    filters: Vec<Filter>,
    sorts: Option<Vec<String>>,
}

fn main() {}
