//! `ProductObject` is the derive's to implement: a hand-written impl does not compile
//! and says what to write instead; so for filters and sorts.

use event_core::Validate;
use serde::Serialize;

#[derive(Serialize, Validate)]
struct Shoe {
    prodcut_id: String,
    price: String,
}

impl event_core::spec::ProductObject for Shoe {}

#[derive(Serialize, Validate)]
struct Facet {
    kind: String,
}

impl event_core::spec::FilterObject for Facet {}
impl event_core::spec::SortObject for Facet {}

fn main() {}
