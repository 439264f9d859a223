//! `#[derive(Validate)]` alone: paths start at the value itself.

use event_core::Validate;

#[derive(Validate)]
struct Address {
    #[semantic_event(non_empty)]
    city: String,
    #[semantic_event(length(min = 2, max = 2))]
    country: String,
}

#[derive(Validate)]
struct Customer {
    #[semantic_event(email)]
    email: String,
    address: Address,
    previous: Vec<Address>,
    #[semantic_event(skip)]
    ignored: Address,
}

#[derive(Validate)]
struct Empty {}

fn main() {
    let customer = Customer {
        email: "x@y.z".into(),
        address: Address {
            city: String::new(),
            country: "DE".into(),
        },
        previous: vec![Address {
            city: "Paris".into(),
            country: "FRA".into(),
        }],
        ignored: Address {
            city: String::new(),
            country: String::new(),
        },
    };
    let errors = customer.validate().unwrap_err();
    assert_eq!(
        errors.to_string(),
        "address.city: must not be empty\nprevious[0].country: length must be between 2 and 2, found 3"
    );
    assert!(Empty {}.validate().is_ok());
}
