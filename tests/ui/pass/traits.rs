//! Person and group traits: reserved traits with fitting types, traits of the
//! application's own, serde renames, a deliberate near miss, and the `email` rule
//! applied to the reserved `email` trait.

use event_core::calls::{Group, GroupTraits, Identify, PersonTraits};
use event_core::{Id, Identity, Timestamp, Traits, Validate};
use serde::Serialize;

#[derive(Serialize, Validate)]
struct Address {
    city: String,
    country: String,
}

#[derive(Serialize, Traits)]
#[serde(rename_all = "camelCase")]
struct Person {
    email: Option<String>,
    first_name: String,
    last_name: String,
    created_at: Timestamp,
    #[serde(rename = "created_at")]
    created_unix: i64,
    age: u8,
    address: Address,
    #[serde(rename = "unsubscribed")]
    opted_out: bool,
    /// Customer.io's own snake_case way of writing the attribute: a trait of its own.
    #[serde(rename = "first_name")]
    first_name_snake: String,
    plan_name: String,
    #[serde(skip)]
    password_hash: String,
}

#[derive(Serialize, Traits)]
#[semantic_event(group)]
struct Company {
    name: String,
    employees: u32,
    industry: String,
    plan: String,
    #[semantic_event(non_empty)]
    region: String,
}

fn person_traits<T: PersonTraits>(_: &T) {}
fn group_traits<T: GroupTraits>(_: &T) {}

fn main() {
    let person = Person {
        email: Some("ada@example.com".into()),
        first_name: "Ada".into(),
        last_name: "Lovelace".into(),
        created_at: Timestamp::now(),
        created_unix: 1_700_000_000,
        age: 36,
        address: Address { city: "London".into(), country: "UK".into() },
        opted_out: false,
        first_name_snake: "Ada".into(),
        plan_name: "pro".into(),
        password_hash: String::new(),
    };
    person_traits(&person);
    let wire = serde_json::to_value(&person).unwrap();
    assert_eq!(wire["firstName"], "Ada");
    assert_eq!(wire["first_name"], "Ada");
    assert_eq!(wire["created_at"], 1_700_000_000);
    assert!(wire.get("passwordHash").is_none());
    let identify = Identify::new(Identity::user("user_1").unwrap(), person);
    assert!(identify.validate().is_ok());

    let bad = Person { email: Some("ada.example.com".into()), ..identify.traits };
    let errors = Identify::new(Identity::user("user_1").unwrap(), bad).validate().unwrap_err();
    let paths: Vec<&str> = errors.iter().map(|error| error.path()).collect();
    assert_eq!(paths, ["traits.email"]);

    let company = Company {
        name: "Initech".into(),
        employees: 120,
        industry: "Software".into(),
        plan: "enterprise".into(),
        region: String::new(),
    };
    group_traits(&company);
    let group = Group::new(Identity::user("user_1").unwrap(), Id::new("initech").unwrap(), company);
    let errors = group.validate().unwrap_err();
    let paths: Vec<&str> = errors.iter().map(|error| error.path()).collect();
    assert_eq!(paths, ["traits.region"]);
}
