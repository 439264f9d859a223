//! `product`, `filter` and `sort` declare an object type: one per struct, on
//! `#[derive(Validate)]`, without a value.

use event_core::{SemanticEvent, Validate};
use serde::Serialize;

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Product Viewed", product)]
struct ProductViewed {
    product_id: String,
}

#[derive(Serialize, Validate)]
#[semantic_event(product, filter)]
struct Both {
    r#type: String,
}

#[derive(Serialize, Validate)]
#[semantic_event(product = true)]
struct Valued {
    product_id: String,
}

fn main() {}
