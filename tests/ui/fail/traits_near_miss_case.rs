//! A reserved trait written in another case or with other word separators is refused:
//! the spec calls it `firstName`. (`first_name`, Customer.io's own way of writing
//! attributes, is a trait of its own and accepted.)

use event_core::Traits;
use serde::Serialize;

#[derive(Serialize, Traits)]
struct Person {
    firstname: String,
    #[serde(rename = "LastName")]
    last_name: String,
}

fn main() {}
