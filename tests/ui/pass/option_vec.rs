//! `Option<Vec<_>>`, `Box` and maps: rules and nested validation see through them.

use std::collections::{BTreeMap, HashMap};

use event_core::{SemanticEvent, Validate};
use serde::Serialize;

#[derive(Serialize, Validate)]
#[semantic_event(product)]
struct Product {
    #[semantic_event(range(max = 100))]
    price: f64,
}

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Checkout Started")]
struct CheckoutStarted {
    #[semantic_event(length(min = 1, max = 2))]
    products: Option<Vec<Product>>,
    revenue: Option<Box<f64>>,
    #[semantic_event(custom)]
    tags: Option<Vec<String>>,
    #[semantic_event(custom)]
    scores: BTreeMap<String, f32>,
    #[semantic_event(custom)]
    by_store: HashMap<String, Vec<Product>>,
}

fn main() {
    let mut by_store = HashMap::new();
    by_store.insert("store 1".to_owned(), vec![Product { price: 101.0 }]);
    let mut scores = BTreeMap::new();
    scores.insert("fit".to_owned(), f32::NEG_INFINITY);
    let event = CheckoutStarted {
        products: Some(vec![
            Product { price: 1.0 },
            Product { price: 200.0 },
            Product { price: 3.0 },
        ]),
        revenue: Some(Box::new(f64::NAN)),
        tags: None,
        scores,
        by_store,
    };
    let errors = event.validate().unwrap_err();
    assert_eq!(
        errors.to_string(),
        "properties.products: length must be between 1 and 2, found 3\n\
         properties.products[1].price: must be at most 100, found 200\n\
         properties.revenue: must be a finite number\n\
         properties.scores.fit: must be a finite number\n\
         properties.by_store[\"store 1\"][0].price: must be at most 100, found 101"
    );
    let none = CheckoutStarted {
        products: None,
        revenue: None,
        tags: None,
        scores: BTreeMap::new(),
        by_store: HashMap::new(),
    };
    assert!(none.validate().is_ok());
}
