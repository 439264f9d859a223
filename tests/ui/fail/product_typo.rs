//! A product type of the application's own is checked as an event is: a misspelled
//! property is refused at the field, with the closest property suggested.

use event_core::Validate;
use serde::Serialize;

#[derive(Serialize, Validate)]
#[semantic_event(product)]
struct Shoe {
    prodcut_id: String,
    price: f64,
    shoe_colour: String,
}

fn main() {}
