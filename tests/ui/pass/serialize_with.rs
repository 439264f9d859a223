//! `with` / `serialize_with` make the JSON type the function's business: the spec's
//! type assertion is skipped for that field, and the rules still run.

use event_core::{SemanticEvent, Validate};
use serde::{Serialize, Serializer};

/// Cents, written as a JSON number of currency units.
struct Cents(u64);

#[allow(clippy::trivially_copy_pass_by_ref)]
fn as_units<S: Serializer>(cents: &Cents, serializer: S) -> Result<S::Ok, S::Error> {
    #[allow(clippy::cast_precision_loss)]
    serializer.serialize_f64(cents.0 as f64 / 100.0)
}

mod code_as_string {
    pub fn serialize<S: serde::Serializer>(code: &u32, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(code)
    }
}

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Product Added")]
struct ProductAdded {
    #[serde(with = "code_as_string")]
    #[semantic_event(range(min = 1))]
    product_id: u32,
    #[serde(serialize_with = "as_units")]
    price: Cents,
}

fn main() {
    let event = ProductAdded {
        product_id: 0,
        price: Cents(1999),
    };
    assert_eq!(
        serde_json::to_value(&event).unwrap(),
        serde_json::json!({"product_id": "0", "price": 19.99})
    );
    assert_eq!(
        event.validate().unwrap_err().to_string(),
        "properties.product_id: must be at least 1, found 0"
    );
}
