//! The ecommerce catalogue reads real payloads: one fixture per event, each with
//! every spec property filled, parses into its typed `Track<Event>` and into
//! `Track<EcommerceEvent>`, validates, and serializes back to the same JSON. Customer.io's
//! Product List Viewed example does too; wrong payloads give errors naming the path.

use event_core::batch::Batch;
use event_core::ecommerce::*;
use event_core::{DeserializeEvent, Timestamp, Track, TrackEvent, Validate};
use serde_json::{Value, json};

/// Parses a fixture's text, as the test that reads it expects.
fn value_of(json: &str) -> Value {
    serde_json::from_str(json).expect("fixtures are valid JSON")
}

/// Parses `json` into `T` through `event_core::from_json`, failing the test with the error.
fn parse<T: serde::de::DeserializeOwned>(json: &[u8]) -> T {
    event_core::from_json(json).unwrap_or_else(|error| panic!("{error}"))
}

/// Parses `json` into `T`, expecting a failure, and returns the error.
fn parse_error<T: serde::de::DeserializeOwned + std::fmt::Debug>(
    json: &Value,
) -> event_core::ParseError {
    let bytes = serde_json::to_vec(json).expect("serializable");
    event_core::from_json::<T>(&bytes).expect_err("the payload must be refused")
}

macro_rules! fixtures {
    ($($file:ident => $event:ident),* $(,)?) => {
        $(
            #[test]
            fn $file() {
                let text = include_str!(concat!("../fixtures/ecommerce/", stringify!($file), ".json"));
                let wire = value_of(text);
                assert_eq!(wire["event"], $event::EVENT_NAME, "the fixture is named after its event");

                // Typed.
                let typed: Track<$event> = parse(text.as_bytes());
                assert!(typed.event.extra.is_empty(), "every fixture property is a typed field: {:?}", typed.event.extra);
                typed.validate().unwrap_or_else(|errors| panic!("{errors}"));
                assert_eq!(serde_json::to_value(&typed).expect("serializable"), wire);

                // Any ecommerce event: the right variant, holding the same event.
                let any: Track<EcommerceEvent> = parse(text.as_bytes());
                let EcommerceEvent::$event(inner) = &any.event else {
                    panic!("{} read as {:?}", stringify!($event), any.event.name());
                };
                assert_eq!(inner, &typed.event);
                assert_eq!(any.event.event_name(), $event::EVENT_NAME);
                assert_eq!(any.identity, typed.identity);
                assert_eq!(any.message_id, typed.message_id);
                any.validate().unwrap_or_else(|errors| panic!("{errors}"));
                assert_eq!(serde_json::to_value(&any).expect("serializable"), wire);
            }
        )*

        /// Every fixture, as `(file stem, event name, JSON text)`.
        const FIXTURES: &[(&str, &str, &str)] = &[
            $((
                stringify!($file),
                $event::EVENT_NAME,
                include_str!(concat!("../fixtures/ecommerce/", stringify!($file), ".json")),
            )),*
        ];
    };
}

event_tests::with_catalogue!(fixtures);

#[test]
fn there_is_one_fixture_per_event_and_no_other() {
    assert_eq!(FIXTURES.len(), event_core::spec::EVENTS.len());
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/ecommerce");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .expect("the fixtures directory")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .collect();
    on_disk.sort();
    let mut expected: Vec<String> = FIXTURES
        .iter()
        .map(|(file, _, _)| format!("{file}.json"))
        .collect();
    expected.sort();
    assert_eq!(on_disk, expected);
    for (file, name, _) in FIXTURES {
        assert_eq!(*file, name.to_lowercase().replace(' ', "_"));
    }
}

#[test]
fn fixtures_keep_fractional_quantities_and_relative_urls() {
    let text = include_str!("../fixtures/ecommerce/product_added.json");
    let added: Track<ProductAdded> = parse(text.as_bytes());
    assert_eq!(added.event.quantity, Some(1.5));
    assert_eq!(
        added.event.url.as_deref(),
        Some("/product/coffee-house-blend")
    );
    assert_eq!(added.event.price, Some(24.9));

    let text = include_str!("../fixtures/ecommerce/order_completed.json");
    let order: Track<OrderCompleted> = parse(text.as_bytes());
    let products = order.event.products.as_deref().unwrap_or_default();
    assert_eq!(products.len(), 2);
    assert_eq!(products[0].quantity, Some(1.0));
    assert_eq!(products[1].quantity, Some(1.5));
}

#[test]
fn the_request_documents_example_reads_into_product_list_viewed_and_back() {
    let body = event_tests::seed_body();
    let bytes = serde_json::to_vec(&body).expect("serializable");
    let track: Track<ProductListViewed> = parse(&bytes);
    track.validate().unwrap_or_else(|errors| panic!("{errors}"));

    let expected_product = Product {
        sku: Some("abc-123-xyz".into()),
        category: Some("shoes".into()),
        brand: Some("A Shoe Brand".into()),
        variant: Some("red".into()),
        quantity: Some(1.0),
        coupon: Some("NEWUSER20".into()),
        position: Some(3.0),
        url: Some("https://www.example.com/product/123".into()),
        image_url: Some("https://www.example.com/product/123.jpg".into()),
        ..Product::new("coolshoes-123", "Cool Shoes", 139.99)
    };
    let mut expected = ProductListViewed {
        category: Some("shoes".into()),
        ..ProductListViewed::new("all_shoes", vec![expected_product])
    };
    expected
        .extra
        .insert("additionalProperty".into(), Value::Null);
    assert_eq!(track.event, expected);
    assert_eq!(
        track.timestamp,
        Some(
            "2024-01-15T10:30:00.000Z"
                .parse::<Timestamp>()
                .expect("RFC 3339")
        )
    );

    // The document has no messageId: one is made on reading and written back.
    let mut again = serde_json::to_value(&track).expect("serializable");
    let message_id = again
        .as_object_mut()
        .and_then(|object| object.remove("messageId"));
    assert_eq!(message_id, Some(Value::from(track.message_id.as_str())));
    assert_eq!(again, body);

    // As any ecommerce event, too.
    let any: Track<EcommerceEvent> = parse(&bytes);
    assert!(matches!(&any.event, EcommerceEvent::ProductListViewed(event) if *event == expected));
    let mut again = serde_json::to_value(&any).expect("serializable");
    again
        .as_object_mut()
        .map(|object| object.remove("messageId"));
    assert_eq!(again, body);
}

#[test]
fn a_custom_event_reads_into_custom_and_back() {
    let body = json!({
        "anonymousId": "anon_7f3c2a9e",
        "type": "track",
        "event": "Gift Card Redeemed",
        "properties": {"amount": 50, "card": {"last4": "4242"}, "note": null, "rate": 0.5},
        "messageId": "gift-1"
    });
    let track: Track<EcommerceEvent> = parse(&serde_json::to_vec(&body).expect("serializable"));
    let EcommerceEvent::Custom { name, properties } = &track.event else {
        panic!("a custom event, not {:?}", track.event.name());
    };
    assert_eq!(name, "Gift Card Redeemed");
    assert_eq!(properties.get("note"), Some(&Value::Null));
    assert_eq!(track.event.group(), None);
    assert!(track.validate().is_ok());
    assert_eq!(serde_json::to_value(&track).expect("serializable"), body);
}

#[test]
fn extra_properties_survive_on_events_and_products() {
    let body = json!({
        "userId": "user_12345",
        "type": "track",
        "event": "Cart Viewed",
        "properties": {
            "cart_id": "c1",
            "products": [{"product_id": "p1", "price": 10, "gift_wrap": true, "tags": ["a", "b"]}],
            "store": {"id": 7},
            "empty": []
        },
        "messageId": "cart-1"
    });
    let track: Track<CartViewed> = parse(&serde_json::to_vec(&body).expect("serializable"));
    let products = track.event.products.as_deref().unwrap_or_default();
    assert_eq!(products[0].extra.get("gift_wrap"), Some(&Value::Bool(true)));
    assert_eq!(track.event.extra.get("store"), Some(&json!({"id": 7})));
    assert_eq!(serde_json::to_value(&track).expect("serializable"), body);
}

#[test]
fn absent_empty_and_null_properties() {
    // An empty list is kept as `[]`; an absent one stays absent.
    let body = json!({"userId": "u1", "type": "track", "event": "Cart Viewed",
                      "properties": {"cart_id": "c1", "products": []}, "messageId": "m1"});
    let track: Track<CartViewed> = parse(&serde_json::to_vec(&body).expect("serializable"));
    assert_eq!(track.event.products, Some(vec![]));
    assert_eq!(serde_json::to_value(&track).expect("serializable"), body);

    // `null` on a known property reads as `None`, which is never written.
    let body = json!({"userId": "u1", "type": "track", "event": "Cart Viewed",
                      "properties": {"cart_id": null}, "messageId": "m1"});
    let track: Track<CartViewed> = parse(&serde_json::to_vec(&body).expect("serializable"));
    assert_eq!(track.event.cart_id, None);
    let json = serde_json::to_value(&track).expect("serializable");
    assert_eq!(json["properties"], json!({}));

    // A default event writes an empty properties object.
    assert_eq!(
        serde_json::to_value(OrderCompleted::default()).expect("serializable"),
        json!({})
    );
}

#[test]
fn integral_numbers_are_written_as_integers_and_fractions_kept() {
    let event = OrderCompleted {
        total: Some(27.0),
        tax: Some(0.1),
        discount: Some(-0.0),
        products: Some(vec![Product {
            quantity: Some(3.0),
            position: Some(1.0),
            ..Product::new("p", "n", 2.5)
        }]),
        ..OrderCompleted::default()
    };
    let json = serde_json::to_string(&event).expect("serializable");
    assert_eq!(
        json,
        r#"{"total":27,"tax":0.1,"discount":0,"products":[{"product_id":"p","name":"n","price":2.5,"quantity":3,"position":1}]}"#
    );
}

#[test]
fn a_string_price_is_refused_with_its_path() {
    let mut body = value_of(include_str!("../fixtures/ecommerce/product_viewed.json"));
    body["properties"]["price"] = json!("18.99");
    let error = parse_error::<Track<ProductViewed>>(&body);
    assert_eq!(error.path(), "properties.price");
    assert_eq!(error.event(), Some("Product Viewed"));
    assert!(
        error.message().contains("invalid type: string \"18.99\""),
        "{error}"
    );

    // Inside a product list, the path has the index.
    let mut body = value_of(include_str!("../fixtures/ecommerce/order_completed.json"));
    body["properties"]["products"][1]["price"] = json!("24.90");
    let error = parse_error::<Track<OrderCompleted>>(&body);
    assert_eq!(error.path(), "properties.products[1].price");
    assert_eq!(
        error.to_string().split(": invalid type").next(),
        Some("event \"Order Completed\": properties.products[1].price"),
        "{error}"
    );
}

#[test]
fn a_wrong_type_on_a_known_event_is_an_error_not_a_custom_event() {
    let mut body = value_of(include_str!("../fixtures/ecommerce/order_completed.json"));
    body["properties"]["total"] = json!("27.50");
    let error = parse_error::<Track<EcommerceEvent>>(&body);
    assert_eq!(error.path(), "properties.total");
    assert_eq!(error.event(), Some("Order Completed"));
    assert!(
        error
            .to_string()
            .starts_with("event \"Order Completed\": properties.total: invalid type"),
        "{error}"
    );

    let mut body = value_of(include_str!(
        "../fixtures/ecommerce/product_list_filtered.json"
    ));
    body["properties"]["filters"][0]["value"] = json!(25);
    let error = parse_error::<Track<EcommerceEvent>>(&body);
    assert_eq!(error.path(), "properties.filters[0].value");

    // Promotions' `position` is a string, a product's is a number: each refuses the other.
    let mut body = value_of(include_str!("../fixtures/ecommerce/promotion_viewed.json"));
    body["properties"]["position"] = json!(1);
    assert_eq!(
        parse_error::<Track<EcommerceEvent>>(&body).path(),
        "properties.position"
    );
    let mut body = value_of(include_str!("../fixtures/ecommerce/product_clicked.json"));
    body["properties"]["position"] = json!("1");
    assert_eq!(
        parse_error::<Track<EcommerceEvent>>(&body).path(),
        "properties.position"
    );

    // And `rating` is a string.
    let mut body = value_of(include_str!("../fixtures/ecommerce/product_reviewed.json"));
    body["properties"]["rating"] = json!(5);
    assert_eq!(
        parse_error::<Track<EcommerceEvent>>(&body).path(),
        "properties.rating"
    );
}

#[test]
fn a_missing_or_empty_identity_is_refused() {
    let mut body = value_of(include_str!("../fixtures/ecommerce/cart_viewed.json"));
    body.as_object_mut().map(|object| object.remove("userId"));
    let error = parse_error::<Track<CartViewed>>(&body);
    assert!(
        error.message().contains("userId") && error.message().contains("anonymousId"),
        "{error}"
    );
    let error = parse_error::<Track<EcommerceEvent>>(&body);
    assert!(error.message().contains("userId"), "{error}");

    body["userId"] = json!("  ");
    let error = parse_error::<Track<CartViewed>>(&body);
    assert_eq!(error.path(), "userId");
}

#[test]
fn a_type_other_than_track_is_refused() {
    let mut body = value_of(include_str!("../fixtures/ecommerce/cart_viewed.json"));
    body["type"] = json!("identify");
    for error in [
        parse_error::<Track<CartViewed>>(&body),
        parse_error::<Track<EcommerceEvent>>(&body),
    ] {
        assert!(error.to_string().contains("\"type\": \"track\""), "{error}");
        assert!(error.to_string().contains("\"identify\""), "{error}");
    }
}

#[test]
fn an_event_name_that_does_not_match_is_refused() {
    let body = value_of(include_str!("../fixtures/ecommerce/product_added.json"));
    let error = parse_error::<Track<ProductRemoved>>(&body);
    assert!(
        error.to_string().contains("expected event Product Removed"),
        "{error}"
    );
    assert!(error.to_string().contains("\"Product Added\""), "{error}");
    assert_eq!(error.event(), Some("Product Added"));

    // A near miss of a known name is refused by `EcommerceEvent`, as the derive refuses
    // it, and read as a custom event (never the known one) only when allowed.
    let mut body = body;
    body["event"] = json!("Product added");
    let json = serde_json::to_vec(&body).expect("serializable");
    let error = parse_error::<Track<EcommerceEvent>>(&body);
    assert!(
        error
            .to_string()
            .contains("did you mean \"Product Added\"?"),
        "{error}"
    );
    let any: Track<EcommerceEvent> = event_core::ReadOptions::new()
        .allow_near_miss_names(true)
        .from_json(&json)
        .unwrap_or_else(|error| panic!("{error}"));
    assert!(matches!(any.event, EcommerceEvent::Custom { .. }));
}

#[test]
fn parsed_events_are_validated_with_wire_paths() {
    let mut body = value_of(include_str!("../fixtures/ecommerce/order_completed.json"));
    body["properties"]["currency"] = json!("usd");
    let track: Track<EcommerceEvent> = parse(&serde_json::to_vec(&body).expect("serializable"));
    let errors = track.validate().expect_err("a lower-case currency");
    let error = errors.iter().next().expect("one error");
    assert_eq!(error.path(), "properties.currency");
    assert_eq!(error.code().as_str(), "currency");
    assert_eq!(errors.len(), 1);

    // A non-finite price, nested in the products.
    let order = OrderCompleted {
        products: Some(vec![
            Product::new("a", "A", 1),
            Product::new("b", "B", f64::NAN),
        ]),
        ..OrderCompleted::default()
    };
    let errors = EcommerceEvent::from(order).validate().expect_err("NaN");
    assert_eq!(
        errors.to_string(),
        "properties.products[1].price: must be a finite number"
    );
}

#[test]
fn constructors_and_struct_update() {
    let product = Product {
        quantity: Some(2.0),
        ..Product::new("p1", "Monopoly", 19)
    };
    let added = ProductAdded::new("cart-1", product.clone());
    assert_eq!(added.cart_id.as_deref(), Some("cart-1"));
    assert_eq!(added.product_id.as_deref(), Some("p1"));
    assert_eq!(added.quantity, Some(2.0));

    let mut shared_product = product;
    shared_product.extra.insert("color".into(), json!("red"));
    let shared = ProductShared::new("email", shared_product);
    // `quantity` is not a Product Shared property: it rides along as an additional one.
    assert_eq!(
        serde_json::to_value(&shared).expect("serializable"),
        json!({"share_via": "email", "product_id": "p1", "name": "Monopoly", "price": 19, "quantity": 2, "color": "red"})
    );

    let step = CheckoutStepCompleted {
        payment_method: Some("Visa".into()),
        ..CheckoutStepCompleted::new("c1", 2)
    };
    assert_eq!(
        serde_json::to_value(&step).expect("serializable"),
        json!({"checkout_id": "c1", "step": 2, "payment_method": "Visa"})
    );
}

#[test]
fn a_batch_of_every_fixture_reads_and_writes_back() {
    let items: Vec<Value> = FIXTURES.iter().map(|(_, _, text)| value_of(text)).collect();
    let body = json!({"batch": items, "sentAt": "2024-01-15T11:00:00.000Z"});
    let batch: Batch<Track<EcommerceEvent>> =
        parse(&serde_json::to_vec(&body).expect("serializable"));
    assert_eq!(batch.len(), event_core::spec::EVENTS.len());
    assert_eq!(
        batch.sent_at,
        "2024-01-15T11:00:00.000Z"
            .parse::<Timestamp>()
            .expect("RFC 3339")
    );
    for (track, (_, name, _)) in batch.iter().zip(FIXTURES) {
        assert_eq!(track.event.name(), *name);
        assert!(!matches!(track.event, EcommerceEvent::Custom { .. }));
        track
            .validate()
            .unwrap_or_else(|errors| panic!("{name}: {errors}"));
    }
    let written = serde_json::to_value(&batch).expect("serializable");
    assert_eq!(written, body);
    let items = written["batch"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    assert!(items.iter().all(|item| item["type"] == "track"));
}

#[test]
fn a_batch_item_with_a_wrong_type_names_its_index() {
    let mut item = value_of(include_str!("../fixtures/ecommerce/coupon_applied.json"));
    item["properties"]["discount"] = json!("23.32");
    let ok = value_of(include_str!("../fixtures/ecommerce/coupon_entered.json"));
    let body = json!({"batch": [ok, item], "sentAt": "2024-01-15T11:00:00.000Z"});
    let error = parse_error::<Batch<Track<EcommerceEvent>>>(&body);
    assert_eq!(error.path(), "batch[1].properties.discount");
}

#[test]
fn a_batch_made_here_carries_sent_at_and_types() {
    let user = event_core::Identity::user("user_12345").expect("a non-empty id");
    let batch = Batch::new(vec![
        Track::new(user.clone(), EcommerceEvent::from(CouponEntered::new("c1"))),
        Track::new(
            user,
            EcommerceEvent::custom("Gift Card Redeemed", serde_json::Map::new()),
        ),
    ]);
    let json = serde_json::to_value(&batch).expect("serializable");
    assert!(
        json["sentAt"]
            .as_str()
            .is_some_and(|sent_at| sent_at.ends_with('Z'))
    );
    assert_eq!(json["batch"][0]["type"], "track");
    assert_eq!(json["batch"][1]["type"], "track");
    assert_eq!(json["batch"][1]["event"], "Gift Card Redeemed");
    let empty: Batch<Track<EcommerceEvent>> = Batch::new(Vec::new());
    assert!(empty.is_empty());
}

#[test]
fn every_known_name_reads_as_its_own_variant() {
    for name in EcommerceEvent::NAMES {
        let event = EcommerceEvent::deserialize_event(name, &json!({}))
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        assert_eq!(event.name(), *name);
        assert!(!matches!(event, EcommerceEvent::Custom { .. }), "{name}");
    }
}

#[test]
fn properties_before_the_event_name_read_the_same() {
    // JSON objects are unordered: a payload may carry `properties` before `event`.
    let text = include_str!("../fixtures/ecommerce/checkout_started.json");
    let wire = value_of(text);
    let object = wire.as_object().expect("an object");
    let mut reordered = String::from("{");
    reordered.push_str(&format!("\"properties\": {}", object["properties"]));
    for (key, value) in object.iter().filter(|(key, _)| *key != "properties") {
        reordered.push_str(&format!(", {}: {value}", Value::from(key.as_str())));
    }
    reordered.push('}');
    assert!(reordered.starts_with("{\"properties\""));

    let typed: Track<CheckoutStarted> = parse(reordered.as_bytes());
    let any: Track<EcommerceEvent> = parse(reordered.as_bytes());
    assert!(matches!(&any.event, EcommerceEvent::CheckoutStarted(event) if *event == typed.event));
    assert_eq!(serde_json::to_value(&any).expect("serializable"), wire);
}
