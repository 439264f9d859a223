//! Borrowed fields: `&'a str` is a JSON string, and a borrowed slice of products is a
//! sequence of products.

use event_core::{SemanticEvent, Validate};
use serde::Serialize;

#[derive(Serialize, Validate)]
#[semantic_event(product)]
struct Item<'a> {
    #[semantic_event(non_empty)]
    product_id: &'a str,
    price: f64,
}

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Cart Viewed")]
struct CartViewed<'a, 'b: 'a> {
    #[semantic_event(required, length(min = 3))]
    cart_id: Option<&'a str>,
    products: &'a [Item<'b>],
}

fn main() {
    let items = [
        Item {
            product_id: "p-1",
            price: 1.0,
        },
        Item {
            product_id: "",
            price: f64::NAN,
        },
    ];
    let event = CartViewed {
        cart_id: Some("c"),
        products: &items,
    };
    let errors = event.validate().unwrap_err();
    assert_eq!(
        errors.to_string(),
        "properties.cart_id: length must be at least 3, found 1\n\
         properties.products[1].product_id: must not be empty\n\
         properties.products[1].price: must be a finite number"
    );
    let json = serde_json::to_value(&event).unwrap();
    assert_eq!(json["cart_id"], "c");
}
