//! Checked product, filter and sort types of the application's own: serde's renames
//! honoured, `custom` properties accepted, skipped and flattened fields exempt; and the
//! `Unchecked` escape hatch for a type the derive does not check.

use event_core::spec::Unchecked;
use event_core::{SemanticEvent, Validate};
use serde::Serialize;
use serde_json::json;

#[derive(Serialize, Validate)]
#[serde(rename_all = "camelCase")]
#[semantic_event(product)]
struct Shoe<'a> {
    #[serde(rename = "product_id")]
    id: &'a str,
    #[semantic_event(range(min = 0))]
    price: Option<f64>,
    #[serde(rename = "image_url")]
    picture: Option<String>,
    #[semantic_event(custom)]
    shoe_size: u8,
    #[serde(skip)]
    #[allow(dead_code)]
    internal: Vec<u8>,
    #[serde(flatten)]
    extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize, Validate)]
#[semantic_event(filter)]
struct Facet {
    #[serde(rename = "type")]
    kind: &'static str,
    value: String,
}

#[derive(Serialize, Validate)]
#[semantic_event(sort)]
struct Order {
    r#type: String,
    value: Box<str>,
}

/// Not checked: it serializes whatever it holds.
#[derive(Serialize, Validate)]
struct Legacy {
    sku_code: String,
}

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Product List Filtered")]
struct ShoesFiltered<'a> {
    products: Vec<Shoe<'a>>,
    filters: Vec<Facet>,
    sorts: Option<Vec<Order>>,
}

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Cart Viewed")]
struct LegacyCart {
    products: Vec<Unchecked<Legacy>>,
}

fn main() {
    let event = ShoesFiltered {
        products: vec![Shoe {
            id: "coolshoes-123",
            price: Some(-1.0),
            picture: None,
            shoe_size: 42,
            internal: Vec::new(),
            extra: serde_json::Map::new(),
        }],
        filters: vec![Facet { kind: "size", value: "42".into() }],
        sorts: Some(vec![Order { r#type: "price".into(), value: "desc".into() }]),
    };
    assert_eq!(
        serde_json::to_value(&event).unwrap(),
        json!({
            "products": [{"product_id": "coolshoes-123", "price": -1.0, "image_url": null, "shoeSize": 42}],
            "filters": [{"type": "size", "value": "42"}],
            "sorts": [{"type": "price", "value": "desc"}]
        })
    );
    assert_eq!(
        event.validate().unwrap_err().to_string(),
        "properties.products[0].price: must be at least 0, found -1"
    );

    let cart = LegacyCart { products: vec![Unchecked(Legacy { sku_code: "x".into() })] };
    assert!(cart.validate().is_ok());
    assert_eq!(
        serde_json::to_value(&cart).unwrap(),
        json!({"products": [{"sku_code": "x"}]})
    );
}
