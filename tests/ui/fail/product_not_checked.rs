//! A type of the application's own in `products`, `filters` or `sorts` must be a
//! checked object: the error says which attribute to add.

use event_core::{SemanticEvent, Validate};
use serde::Serialize;

#[derive(Serialize, Validate)]
struct Shoe {
    product_id: String,
    price: f64,
}

#[derive(Serialize, Validate)]
struct Facet {
    r#type: String,
    value: String,
}

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Product List Filtered")]
struct ShoesFiltered {
    products: Vec<Shoe>,
    filters: Option<Vec<Facet>>,
    sorts: Vec<Facet>,
}

fn main() {}
