//! A reserved trait written in another case or with other word separators is refused:
//! the spec calls it `firstName`.

use event_core::Traits;
use serde::Serialize;

#[derive(Serialize, Traits)]
struct Person {
    first_name: String,
    #[serde(rename = "LastName")]
    last_name: String,
}

fn main() {}
