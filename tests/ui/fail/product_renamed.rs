//! serde's renames decide the property names a product is checked by.

use event_core::Validate;
use serde::Serialize;

#[derive(Serialize, Validate)]
#[serde(rename_all = "camelCase")]
#[semantic_event(product)]
struct Shoe {
    product_id: String,
    #[serde(rename = "cost")]
    price: f64,
    #[serde(skip)]
    internal_note: String,
}

fn main() {}
