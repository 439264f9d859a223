//! `identify` and `group` take traits checked against their reserved traits (or a map,
//! or `Unchecked`): a plain struct is refused, and so are a person's traits as a
//! group's.

use event_core::calls::{Group, Identify};
use event_core::transport::RecordingTransport;
use event_core::{Client, Id, Identity, Traits, Validate};
use serde::Serialize;

#[derive(Serialize, Validate)]
struct Plain {
    emial: String,
}

#[derive(Serialize, Traits)]
struct Person {
    email: String,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder().build(RecordingTransport::new())?;
    client.identify(Identity::user("u1")?, Plain { emial: "a@b.co".into() })?;
    let person = Person { email: "a@b.co".into() };
    client.group(Identity::user("u1")?, Id::new("acme")?, person)?;
    client.enqueue(&Identify::new(Identity::user("u1")?, Plain { emial: String::new() }))?;
    client.enqueue(&Group::new(Identity::user("u1")?, Id::new("acme")?, Person { email: String::new() }))?;
    Ok(())
}
