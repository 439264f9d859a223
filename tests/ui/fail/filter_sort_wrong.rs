//! Filter and sort objects have the properties `type` and `value`, both strings.

use event_core::Validate;
use serde::Serialize;

#[derive(Serialize, Validate)]
#[semantic_event(filter)]
struct Facet {
    #[serde(rename = "type")]
    kind: String,
    valeu: String,
}

#[derive(Serialize, Validate)]
#[semantic_event(sort)]
struct Order {
    r#type: String,
    value: i32,
}

fn main() {}
