//! A product field whose type does not produce the property's JSON type is refused at
//! the field's type.

use event_core::Validate;
use serde::Serialize;

#[derive(Serialize, Validate)]
#[semantic_event(product)]
struct Shoe {
    product_id: String,
    price: String,
    position: Option<bool>,
    name: u32,
}

fn main() {}
