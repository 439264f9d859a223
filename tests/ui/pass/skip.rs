//! `skip` turns validation of a field off; serde-skipped fields are not validated
//! and not checked against the spec.

use event_core::{SemanticEvent, Validate};
use serde::Serialize;

struct NotSerializable;

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Product Added")]
struct ProductAdded {
    product_id: String,
    #[semantic_event(skip)]
    price: f64,
    #[serde(skip)]
    #[allow(dead_code)]
    internal: NotSerializable,
    #[serde(skip_serializing)]
    #[allow(dead_code)]
    debug_only: f64,
}

fn main() {
    let event = ProductAdded {
        product_id: "p".into(),
        price: f64::NAN,
        internal: NotSerializable,
        debug_only: f64::NAN,
    };
    assert!(event.validate().is_ok());
}
