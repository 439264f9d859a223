//! A product type of the application's own: `#[semantic_event(product)]` checks its
//! fields and makes it acceptable as `products`; `#[derive(Validate)]` validates it
//! inside the event.

use event_core::{SemanticEvent, Validate};
use serde::Serialize;

#[derive(Serialize, Validate)]
#[semantic_event(product)]
struct MyProduct {
    #[semantic_event(non_empty)]
    product_id: String,
    #[semantic_event(range(min = 0))]
    price: Option<f64>,
    quantity: Option<u32>,
    #[semantic_event(url)]
    url: Option<String>,
}

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Product List Viewed")]
struct ProductListViewed {
    list_id: Option<String>,
    category: Option<String>,
    #[semantic_event(non_empty)]
    products: Vec<MyProduct>,
}

fn product(id: &str, price: f64) -> MyProduct {
    MyProduct {
        product_id: id.into(),
        price: Some(price),
        quantity: Some(1),
        url: None,
    }
}

fn main() {
    let good = ProductListViewed {
        list_id: Some("all_shoes".into()),
        category: Some("shoes".into()),
        products: vec![product("a", 1.0), product("b", 2.0)],
    };
    assert!(good.validate().is_ok());

    let mut bad = ProductListViewed {
        list_id: None,
        category: None,
        products: vec![product("a", 1.0)],
    };
    bad.products.push(product("", -1.0));
    bad.products.push(MyProduct {
        url: Some("not a url".into()),
        ..product("c", f64::NAN)
    });
    let errors = bad.validate().unwrap_err();
    assert_eq!(
        errors.to_string(),
        "properties.products[1].product_id: must not be empty\n\
         properties.products[1].price: must be at least 0, found -1\n\
         properties.products[2].price: must be at least 0, found NaN\n\
         properties.products[2].price: must be a finite number\n\
         properties.products[2].url: must be an absolute URL such as \"https://example.com/item\""
    );
    let empty = ProductListViewed {
        list_id: None,
        category: None,
        products: Vec::new(),
    };
    assert_eq!(
        empty.validate().unwrap_err().to_string(),
        "properties.products: must not be empty"
    );
}
