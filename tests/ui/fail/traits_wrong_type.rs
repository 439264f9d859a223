//! A reserved trait with a Rust type that cannot produce its JSON type is refused at
//! the type: `email` is a string, Customer.io's `created_at` an integer of Unix seconds.

use event_core::Traits;
use serde::Serialize;

#[derive(Serialize, Traits)]
struct Person {
    email: u32,
    created_at: String,
    unsubscribed: Option<&'static str>,
}

fn main() {}
