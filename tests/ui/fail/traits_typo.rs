//! A misspelled reserved trait of a person is refused at the field, with the fix.

use event_core::Traits;
use serde::Serialize;

#[derive(Serialize, Traits)]
struct Person {
    emial: String,
    plan: String,
}

fn main() {}
