//! `PersonTraits` is sealed: only the derive implements it, after checking the fields.

use serde::Serialize;

#[derive(Serialize)]
struct Person {
    emial: String,
}

impl event_core::calls::PersonTraits for Person {}

fn main() {}
