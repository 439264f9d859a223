//! Customer.io's Product List Viewed example, written as a user would write it, must
//! produce exactly the example's JSON and read back equal.

use event_core::{
    Context, Identity, Integrations, MessageId, SemanticEvent, Timestamp, Track, Validate,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// The user's own product type, shaped like the document's product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[semantic_event(product)]
struct Shoe {
    product_id: String,
    sku: String,
    category: String,
    name: String,
    brand: String,
    variant: String,
    price: f64,
    quantity: u32,
    coupon: String,
    position: u32,
    #[semantic_event(url)]
    url: String,
    #[semantic_event(url)]
    image_url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, SemanticEvent)]
#[semantic_event(name = "Product List Viewed")]
struct ShoeListViewed {
    #[semantic_event(non_empty)]
    list_id: String,
    category: String,
    products: Vec<Shoe>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

fn seed_track() -> Track<ShoeListViewed> {
    let mut extra = Map::new();
    extra.insert("additionalProperty".to_owned(), Value::Null);
    let event = ShoeListViewed {
        list_id: "all_shoes".to_owned(),
        category: "shoes".to_owned(),
        products: vec![Shoe {
            product_id: "coolshoes-123".to_owned(),
            sku: "abc-123-xyz".to_owned(),
            category: "shoes".to_owned(),
            name: "Cool Shoes".to_owned(),
            brand: "A Shoe Brand".to_owned(),
            variant: "red".to_owned(),
            price: 139.99,
            quantity: 1,
            coupon: "NEWUSER20".to_owned(),
            position: 3,
            url: "https://www.example.com/product/123".to_owned(),
            image_url: "https://www.example.com/product/123.jpg".to_owned(),
        }],
        extra,
    };
    let mut context = Context::default();
    context
        .extra
        .insert("additionalProperty".to_owned(), Value::from("anything"));
    let identity = Identity::user("user_12345").expect("a non-empty id");
    let timestamp: Timestamp = "2024-01-15T10:30:00.000Z".parse().expect("RFC 3339");
    Track::new(identity, event)
        .timestamp(timestamp)
        .context(context)
        .integrations(Integrations::none().enable("Mixpanel").enable("Segment"))
}

#[test]
fn the_users_struct_serializes_to_the_documents_json() {
    let track = seed_track();
    assert!(track.validate().is_ok());
    assert_eq!(ShoeListViewed::EVENT_NAME, "Product List Viewed");

    let mut wire = serde_json::to_value(&track).expect("serializable");
    // The messageId is generated: check its form, then compare the rest verbatim.
    let message_id = wire
        .as_object_mut()
        .and_then(|object| object.remove("messageId"))
        .expect("a messageId is always sent");
    let message_id = message_id.as_str().expect("a string");
    assert_eq!(message_id, track.message_id.as_str());
    assert!(uuid_like(message_id), "{message_id}");
    assert_eq!(wire, event_tests::seed_body());
}

#[test]
fn the_documents_json_reads_back_equal() {
    let body = serde_json::to_vec(&event_tests::seed_body()).expect("serializable");
    let parsed: Track<ShoeListViewed> = event_core::from_json(&body).expect("the seed parses");
    let expected = seed_track().message_id(parsed.message_id.clone());
    assert_eq!(parsed, expected);
    assert_eq!(parsed.identity.user_id(), Some("user_12345"));

    // And back out again, byte for byte the same document.
    let mut again = serde_json::to_value(&parsed).expect("serializable");
    again
        .as_object_mut()
        .map(|object| object.remove("messageId"));
    assert_eq!(again, event_tests::seed_body());
}

#[test]
fn a_kept_message_id_survives_the_round_trip() {
    let mut body = event_tests::seed_body();
    body["messageId"] = json!("seed-message-1");
    let bytes = serde_json::to_vec(&body).expect("serializable");
    let parsed: Track<ShoeListViewed> = event_core::from_json(&bytes).expect("parses");
    assert_eq!(
        parsed.message_id,
        MessageId::parse("seed-message-1").expect("valid id")
    );
    assert_eq!(serde_json::to_value(&parsed).expect("serializable"), body);
}

fn uuid_like(id: &str) -> bool {
    id.len() == 36
        && id.char_indices().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

#[test]
fn top_level_fields_the_envelope_does_not_model_are_kept() {
    let mut body = event_tests::seed_body();
    body["messageId"] = json!("seed-message-2");
    body["channel"] = json!("server");
    body["originalTimestamp"] = json!("2024-01-15T10:29:59.000Z");
    let bytes = serde_json::to_vec(&body).expect("serializable");
    let parsed: Track<ShoeListViewed> = event_core::from_json(&bytes).expect("parses");
    assert_eq!(parsed.extra.get("channel"), Some(&json!("server")));
    assert_eq!(serde_json::to_value(&parsed).expect("serializable"), body);
}

/// A product type checked by the derive, with a property of the application's own.
#[derive(Debug, Clone, PartialEq, Serialize, Validate)]
#[serde(rename_all = "snake_case")]
#[semantic_event(product)]
struct CheckedShoe {
    #[serde(rename = "product_id")]
    id: String,
    price: f64,
    quantity: Option<u32>,
    #[semantic_event(custom)]
    shoe_size: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, SemanticEvent)]
#[semantic_event(name = "Product List Viewed")]
struct CheckedShoesViewed {
    list_id: String,
    products: Vec<CheckedShoe>,
}

#[test]
fn a_checked_product_type_reads_back_as_the_ecommerce_event() {
    use event_core::ecommerce::EcommerceEvent;

    let event = CheckedShoesViewed {
        list_id: "all_shoes".to_owned(),
        products: vec![CheckedShoe {
            id: "coolshoes-123".to_owned(),
            price: 139.99,
            quantity: Some(1),
            shoe_size: 42,
        }],
    };
    let track = Track::new(Identity::user("user_12345").expect("a non-empty id"), event);
    assert!(track.validate().is_ok());
    let bytes = serde_json::to_vec(&track).expect("serializable");

    let parsed: Track<EcommerceEvent> =
        event_core::from_json(&bytes).expect("the reader accepts what the checked type writes");
    assert!(parsed.validate().is_ok());
    let EcommerceEvent::ProductListViewed(viewed) = &parsed.event else {
        panic!("read as {:?}", parsed.event);
    };
    assert_eq!(viewed.list_id.as_deref(), Some("all_shoes"));
    let products = viewed.products.as_deref().expect("products");
    assert_eq!(products.len(), 1);
    assert_eq!(products[0].product_id.as_deref(), Some("coolshoes-123"));
    assert_eq!(products[0].price, Some(139.99));
    assert_eq!(products[0].quantity, Some(1.0));
    assert_eq!(products[0].extra.get("shoe_size"), Some(&json!(42)));
}
