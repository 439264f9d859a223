//! A group's traits are checked against the reserved traits of a group.

use event_core::Traits;
use serde::Serialize;

#[derive(Serialize, Traits)]
#[semantic_event(group)]
struct Company {
    name: String,
    industy: String,
}

fn main() {}
