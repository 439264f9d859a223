//! Validation reports every failure, each at its wire path after serde's renames.

use std::collections::BTreeMap;

use event_core::validate::{CustomError, ErrorCode, Param};
use event_core::{Identity, SemanticEvent, Track, Validate};
use serde::Serialize;

#[derive(Serialize, Validate)]
#[serde(rename_all = "camelCase")]
struct Item {
    #[semantic_event(non_empty)]
    item_id: String,
    unit_price: f64,
    #[semantic_event(range(min = 1, max = 99))]
    quantity: u32,
    #[serde(rename = "link")]
    #[semantic_event(url)]
    page_url: Option<String>,
}

fn no_vowels(value: &Option<String>) -> Result<(), CustomError> {
    match value {
        Some(text) if text.contains(['a', 'e', 'i', 'o', 'u']) => {
            Err(CustomError::new("no_vowels", "must not contain vowels"))
        }
        _ => Ok(()),
    }
}

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Basket Audited")]
#[serde(rename_all = "camelCase")]
struct BasketAudited {
    #[semantic_event(required)]
    basket_id: Option<String>,
    #[semantic_event(currency)]
    currency_code: Option<String>,
    #[semantic_event(email)]
    auditor_email: String,
    #[semantic_event(length(min = 2, max = 4))]
    tags: Vec<String>,
    items: Vec<Item>,
    extra_items: Option<Vec<Item>>,
    boxed: Box<Item>,
    by_shelf: BTreeMap<String, Item>,
    #[semantic_event(custom = no_vowels)]
    code: Option<String>,
    #[semantic_event(skip)]
    ignored: f64,
    #[serde(skip)]
    #[allow(dead_code)] // Kept to show that serde-skipped fields are not validated.
    local_only: f64,
}

fn good_item(id: &str) -> Item {
    Item {
        item_id: id.to_owned(),
        unit_price: 10.5,
        quantity: 2,
        page_url: Some("https://shop.example/items/1".to_owned()),
    }
}

fn good_basket() -> BasketAudited {
    BasketAudited {
        basket_id: Some("b-1".to_owned()),
        currency_code: Some("EUR".to_owned()),
        auditor_email: "audit@example.com".to_owned(),
        tags: vec!["a".to_owned(), "b".to_owned()],
        items: vec![good_item("i-1"), good_item("i-2"), good_item("i-3")],
        extra_items: Some(vec![good_item("x-1")]),
        boxed: Box::new(good_item("boxed")),
        by_shelf: BTreeMap::from([("top shelf".to_owned(), good_item("s-1"))]),
        code: Some("xyz".to_owned()),
        ignored: f64::NAN,
        local_only: f64::INFINITY,
    }
}

#[test]
fn a_valid_event_passes() {
    assert_eq!(good_basket().validate(), Ok(()));
}

#[test]
fn every_failure_is_reported_with_its_wire_path() {
    let mut basket = good_basket();
    basket.basket_id = None;
    basket.currency_code = Some("euro".to_owned());
    basket.auditor_email = "not an email".to_owned();
    basket.tags = vec!["only one".to_owned()];
    basket.items[2].unit_price = f64::NAN;
    basket.items[0].item_id = String::new();
    basket.extra_items = Some(vec![
        good_item("x-1"),
        Item {
            quantity: 0,
            ..good_item("x-2")
        },
    ]);
    basket.boxed.page_url = Some("/relative/path".to_owned());
    if let Some(item) = basket.by_shelf.get_mut("top shelf") {
        item.unit_price = f64::INFINITY;
    }
    basket.code = Some("aeiou".to_owned());

    let errors = basket.validate().expect_err("ten failures");
    let found: Vec<(&str, ErrorCode)> = errors.iter().map(|e| (e.path(), e.code())).collect();
    assert_eq!(
        found,
        vec![
            ("properties.basketId", ErrorCode::Required),
            ("properties.currencyCode", ErrorCode::Currency),
            ("properties.auditorEmail", ErrorCode::Email),
            ("properties.tags", ErrorCode::Length),
            ("properties.items[0].itemId", ErrorCode::NonEmpty),
            ("properties.items[2].unitPrice", ErrorCode::NotFinite),
            ("properties.extraItems[1].quantity", ErrorCode::Range),
            ("properties.boxed.link", ErrorCode::Url),
            (
                "properties.byShelf[\"top shelf\"].unitPrice",
                ErrorCode::NotFinite
            ),
            ("properties.code", ErrorCode::Custom("no_vowels")),
        ]
    );
}

#[test]
fn errors_carry_codes_params_and_one_line_each() {
    let mut basket = good_basket();
    basket.tags = vec![];
    basket.items[1].quantity = 120;
    let errors = basket.validate().expect_err("two failures");
    assert_eq!(errors.len(), 2);

    let length = &errors.as_slice()[0];
    assert_eq!(length.code().as_str(), "length");
    assert_eq!(length.param("min"), Some(&Param::Integer(2)));
    assert_eq!(length.param("max"), Some(&Param::Integer(4)));
    assert_eq!(length.param("actual"), Some(&Param::Integer(0)));

    let range = &errors.as_slice()[1];
    assert_eq!(range.code().as_str(), "range");
    assert_eq!(range.param("actual"), Some(&Param::Number(120.0)));

    assert_eq!(
        errors.to_string(),
        "properties.tags: length must be between 2 and 4, found 0\n\
         properties.items[1].quantity: must be between 1 and 99, found 120"
    );
    let json = serde_json::to_value(&errors).expect("serializable");
    assert_eq!(json[1]["code"], "range");
    assert_eq!(json[1]["params"]["max"], 99.0);
    assert_eq!(json[1]["path"], "properties.items[1].quantity");
}

#[test]
fn a_track_reports_its_event_errors_under_properties() {
    let mut basket = good_basket();
    basket.items[0].unit_price = f64::NEG_INFINITY;
    let track = Track::new(Identity::user("u-1").expect("non-empty"), basket);
    let errors = track.validate().expect_err("one failure");
    assert_eq!(
        errors.to_string(),
        "properties.items[0].unitPrice: must be a finite number"
    );
}

#[test]
fn nested_types_validate_on_their_own_from_the_root() {
    let item = Item {
        item_id: String::new(),
        ..good_item("x")
    };
    let errors = item.validate().expect_err("one failure");
    assert_eq!(errors.to_string(), "itemId: must not be empty");
}

/// Every spelling of a float field the derive checks with a direct call, and some it
/// checks through `Validate`.
#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Floats Measured")]
struct FloatsMeasured<'a> {
    plain: f64,
    single: f32,
    #[serde(rename = "maybe")]
    optional: Option<f64>,
    optional_single: Option<f32>,
    spelled_out: std::primitive::f64,
    optional_spelled_out: core::option::Option<core::primitive::f32>,
    nested_option: Option<Option<f64>>,
    boxed: Box<f64>,
    list: Vec<f32>,
    borrowed: &'a f64,
    array: [f64; 2],
}

#[test]
fn every_float_field_is_checked_at_its_wire_path() {
    let fine = 1.5;
    let event = FloatsMeasured {
        plain: 0.0,
        single: -2.0,
        optional: None,
        optional_single: Some(3.0),
        spelled_out: 4.0,
        optional_spelled_out: None,
        nested_option: Some(None),
        boxed: Box::new(5.0),
        list: vec![6.0],
        borrowed: &fine,
        array: [7.0, 8.0],
    };
    assert_eq!(event.validate(), Ok(()));

    let infinite = f64::INFINITY;
    let event = FloatsMeasured {
        plain: f64::NAN,
        single: f32::INFINITY,
        optional: Some(f64::NEG_INFINITY),
        optional_single: Some(f32::NAN),
        spelled_out: f64::NAN,
        optional_spelled_out: Some(f32::NAN),
        nested_option: Some(Some(f64::NAN)),
        boxed: Box::new(f64::NAN),
        list: vec![1.0, f32::NAN],
        borrowed: &infinite,
        array: [f64::NAN, 0.0],
    };
    let errors = event.validate().expect_err("eleven failures");
    let paths: Vec<&str> = errors.iter().map(|error| error.path()).collect();
    assert_eq!(
        paths,
        [
            "properties.plain",
            "properties.single",
            "properties.maybe",
            "properties.optional_single",
            "properties.spelled_out",
            "properties.optional_spelled_out",
            "properties.nested_option",
            "properties.boxed",
            "properties.list[1]",
            "properties.borrowed",
            "properties.array[0]",
        ]
    );
    assert!(
        errors
            .iter()
            .all(|error| error.code() == ErrorCode::NotFinite)
    );
}

/// Float fields are checked in runs, at most 8 to a call; another check ends a run.
#[derive(Serialize, Validate)]
struct ManyFloats {
    a: f64,
    b: Option<f32>,
    text: String,
    c: f64,
    d: f64,
    e: f64,
    f: f64,
    g: f64,
    h: f64,
    i: f64,
    j: f64,
    between: Vec<f64>,
    k: Option<f64>,
    #[semantic_event(range(min = 0))]
    ruled: f64,
    l: f32,
}

#[test]
fn runs_of_float_fields_keep_the_fields_order() {
    let nan = f64::NAN;
    let event = ManyFloats {
        a: nan,
        b: Some(f32::NAN),
        text: String::new(),
        c: nan,
        d: nan,
        e: nan,
        f: nan,
        g: nan,
        h: nan,
        i: nan,
        j: nan,
        between: vec![nan],
        k: Some(nan),
        ruled: -1.0,
        l: f32::INFINITY,
    };
    let errors = event.validate().expect_err("every field fails");
    let paths: Vec<&str> = errors.iter().map(|error| error.path()).collect();
    assert_eq!(
        paths,
        [
            "a",
            "b",
            "c",
            "d",
            "e",
            "f",
            "g",
            "h",
            "i",
            "j",
            "between[0]",
            "k",
            "ruled",
            "l"
        ]
    );
    let fine = ManyFloats {
        a: 0.0,
        b: None,
        text: String::new(),
        c: 1.0,
        d: 2.0,
        e: 3.0,
        f: 4.0,
        g: 5.0,
        h: 6.0,
        i: 7.0,
        j: 8.0,
        between: vec![],
        k: None,
        ruled: 0.0,
        l: 9.0,
    };
    assert_eq!(fine.validate(), Ok(()));
}

// Nothing invalid reaches the wire: what validation cannot see (a `Serialize` type
// without `Validate`, a flattened map) is checked as the client serializes the event.

#[derive(Serialize)]
struct Dimensions {
    weight: f64,
    size: (f64, f64),
}

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Parcel Weighed")]
struct ParcelWeighed {
    dims: Dimensions,
    reading: (String, f32),
    scales: BTreeMap<String, Dimensions>,
}

fn parcel() -> ParcelWeighed {
    ParcelWeighed {
        dims: Dimensions {
            weight: 1.5,
            size: (10.0, 20.0),
        },
        reading: ("kg".to_owned(), 1.5),
        scales: BTreeMap::from([(
            "front desk".to_owned(),
            Dimensions {
                weight: 1.5,
                size: (10.0, 20.0),
            },
        )]),
    }
}

/// The error `track` gave, as (path, code, message).
fn refusal(result: Result<(), event_core::ClientError>) -> (String, ErrorCode, String) {
    match result {
        Err(event_core::ClientError::Invalid(errors)) => {
            assert_eq!(errors.len(), 1, "{errors}");
            let error = &errors.as_slice()[0];
            (
                error.path().to_owned(),
                error.code(),
                error.message().to_owned(),
            )
        }
        other => panic!("expected the event to be refused as invalid, got {other:?}"),
    }
}

#[test]
fn a_non_finite_number_in_any_serialize_shape_is_refused_before_it_is_queued() {
    let server = event_tests::TestServer::start();
    let (client, _failures) = event_tests::blocking_client(&server, 1, 100);
    let user = || Identity::user("u-1").expect("non-empty");

    let mut in_struct = parcel();
    in_struct.dims.weight = f64::NAN;
    let mut in_tuple = parcel();
    in_tuple.reading.1 = f32::INFINITY;
    let mut in_map = parcel();
    if let Some(dims) = in_map.scales.get_mut("front desk") {
        dims.size.0 = f64::NEG_INFINITY;
    }
    for (event, path, value) in [
        (in_struct, "properties.dims.weight", "NaN"),
        (in_tuple, "properties.reading[1]", "inf"),
        (in_map, "properties.scales[\"front desk\"].size[0]", "-inf"),
    ] {
        assert!(
            event.validate().is_ok(),
            "validation cannot see inside these"
        );
        let (at, code, message) = refusal(client.track(user(), event).map(drop));
        assert_eq!((at.as_str(), code), (path, ErrorCode::NotFinite));
        assert!(
            message.starts_with(&format!("must be a finite number, found {value}")),
            "{message}"
        );
        assert!(
            message.contains("null"),
            "says what would happen: {message}"
        );
    }
    client
        .track(user(), parcel())
        .expect("a finite parcel is queued");
    client.flush().expect("flushed");
    let accepted = server.accepted();
    assert_eq!(accepted.len(), 1, "only the valid event was sent");
    assert_eq!(accepted[0]["properties"]["dims"]["weight"], 1.5);
    assert!(!server.requests().iter().any(|_| {
        accepted
            .iter()
            .any(|event| event.to_string().contains("null"))
    }));
}

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Gift Wrapped")]
struct GiftWrapped {
    #[semantic_event(range(min = 0))]
    price: f64,
    #[serde(flatten)]
    extra: serde_json::Map<String, serde_json::Value>,
}

#[test]
fn extra_cannot_repeat_a_declared_field() {
    // A catalogue object: its validation says so.
    let mut product = event_core::Product::new("p-1", "Monopoly", 19);
    product.extra.insert("price".to_owned(), "free".into());
    let errors = product.validate().expect_err("price twice");
    assert_eq!(errors.len(), 1, "{errors}");
    assert_eq!(errors.as_slice()[0].code(), ErrorCode::DuplicateKey);
    assert_eq!(errors.as_slice()[0].path(), "price");
    product.extra.remove("price");
    product
        .extra
        .insert("gift_note".to_owned(), "for you".into());
    assert!(product.validate().is_ok(), "an undeclared key is fine");

    // A derived event with a flattened map: its own validation says so, as does a
    // catalogue event's.
    let mut extra = serde_json::Map::new();
    extra.insert("price".to_owned(), "free".into());
    let errors = GiftWrapped { price: 19.0, extra }
        .validate()
        .expect_err("price twice");
    assert_eq!(errors.as_slice()[0].path(), "properties.price", "{errors}");
    assert_eq!(errors.as_slice()[0].code(), ErrorCode::DuplicateKey);
    let mut viewed = event_core::ecommerce::ProductViewed::new(product.clone());
    viewed.extra.insert("sku".to_owned(), "X".into());
    let errors = viewed.validate().expect_err("sku twice");
    assert_eq!(errors.as_slice()[0].path(), "properties.sku", "{errors}");

    // And the client refuses such an event before queueing.
    let server = event_tests::TestServer::start();
    let (client, _failures) = event_tests::blocking_client(&server, 1, 100);
    let user = || Identity::user("u-1").expect("non-empty");
    let mut extra = serde_json::Map::new();
    extra.insert("price".to_owned(), "free".into());
    let event = GiftWrapped { price: 19.0, extra };
    let (at, code, message) = refusal(client.track(user(), event).map(drop));
    assert_eq!(
        (at.as_str(), code),
        ("properties.price", ErrorCode::DuplicateKey)
    );
    assert!(message.contains("extra"), "{message}");

    // The same inside an array: a product of an order.
    let mut order = event_core::ecommerce::OrderCompleted::new("o-1", "USD", vec![product.clone()]);
    if let Some(products) = &mut order.products {
        products[0].extra.insert("sku".to_owned(), "X".into());
    }
    let (at, code, _) = refusal(client.track(user(), order).map(drop));
    assert_eq!(at, "properties.products[0].sku");
    assert_eq!(code, ErrorCode::DuplicateKey);

    client
        .track(
            user(),
            GiftWrapped {
                price: 19.0,
                extra: serde_json::Map::new(),
            },
        )
        .expect("queued");
    client.flush().expect("flushed");
    assert_eq!(server.accepted().len(), 1, "only the valid event was sent");
}

#[test]
fn a_key_twice_anywhere_in_the_envelope_is_a_parse_error() {
    use event_core::ecommerce::EcommerceEvent;
    let base = r#""userId":"u","messageId":"m""#;
    for (json, key) in [
        (
            format!(r#"{{{base},"event":"Order Completed","properties":{{}},"event":"X"}}"#),
            "event",
        ),
        (
            format!(r#"{{{base},"event":"X","userId":"someone else"}}"#),
            "userId",
        ),
        (
            format!(r#"{{{base},"event":"X","channel":"server","channel":"browser"}}"#),
            "channel",
        ),
        (
            format!(r#"{{{base},"event":"X","context":{{"ip":"1.2.3.4","ip":"5.6.7.8"}}}}"#),
            "ip",
        ),
        (
            format!(r#"{{{base},"event":"X","context":{{"app":{{"x":1,"x":2}}}}}}"#),
            "x",
        ),
        (
            format!(r#"{{{base},"event":"X","integrations":{{"All":false,"All":true}}}}"#),
            "All",
        ),
        (
            format!(
                r#"{{{base},"event":"X","integrations":{{"Mixpanel":false,"Mixpanel":true}}}}"#
            ),
            "Mixpanel",
        ),
        (
            format!(r#"{{{base},"traits":{{"plan":"a","plan":"b"}},"event":"X"}}"#),
            "plan",
        ),
        (
            format!(r#"{{{base},"properties":{{"total":1,"total":2}},"event":"Order Completed"}}"#),
            "total",
        ),
    ] {
        let error =
            event_core::from_json::<Track<EcommerceEvent>>(json.as_bytes()).expect_err(&json);
        let shown = error.to_string();
        assert!(
            shown.contains(&format!("duplicate key {key:?}"))
                || shown.contains(&format!("duplicate field `{key}`")),
            "{json}\n{shown}"
        );
    }
}

#[test]
fn timestamps_are_checked_as_the_strict_api_checks_them() {
    use event_core::ecommerce::EcommerceEvent;
    use event_core::{Timestamp, from_json};

    // Year 0000 and a leap second are refused when read, never rewritten.
    let year_zero = "0000-01-01T00:00:00Z"
        .parse::<Timestamp>()
        .expect_err("year 0");
    assert!(
        year_zero.to_string().contains("0001 to 9999"),
        "{year_zero}"
    );
    let leap = "2016-12-31T23:59:60Z"
        .parse::<Timestamp>()
        .expect_err("leap second");
    assert!(leap.to_string().contains("leap second"), "{leap}");
    let read = from_json::<Track<EcommerceEvent>>(
        br#"{"userId":"u","event":"X","timestamp":"2016-12-31T23:59:60Z"}"#,
    )
    .expect_err("a leap second in a payload");
    assert_eq!(read.path(), "timestamp");
    assert!("0001-01-01T00:00:00Z".parse::<Timestamp>().is_ok());

    // A timestamp made from a date-time of year 0 fails validation.
    let year_zero = time::OffsetDateTime::UNIX_EPOCH
        .replace_year(0)
        .expect("year 0 exists in time");
    let event = EcommerceEvent::custom("Parcel Weighed", serde_json::Map::new());
    let track = Track::new(Identity::user("u").expect("non-empty"), event)
        .timestamp(Timestamp::from(year_zero));
    let errors = track.validate().expect_err("year 0");
    assert_eq!(errors.as_slice()[0].path(), "timestamp");
    assert_eq!(errors.as_slice()[0].code(), ErrorCode::Timestamp);

    // The other date-times of the envelope, kept in `extra`, are checked as well.
    for (field, value) in [
        ("originalTimestamp", r#""yesterday""#),
        ("sentAt", r#""0000-01-01T00:00:00Z""#),
        ("sentAt", "1700000000"),
        ("receivedAt", r#""2024-01-15T10:30:60Z""#),
    ] {
        let json = format!(r#"{{"userId":"u","event":"X","{field}":{value}}}"#);
        let track = from_json::<Track<EcommerceEvent>>(json.as_bytes()).expect("reads");
        let errors = track.validate().expect_err(&json);
        assert_eq!(errors.len(), 1, "{errors}");
        assert_eq!(errors.as_slice()[0].path(), field, "{json}");
        assert_eq!(errors.as_slice()[0].code(), ErrorCode::Timestamp);
    }
    let good = br#"{"userId":"u","event":"X","originalTimestamp":"2024-01-15T10:30:00.000Z","sentAt":"2024-01-15T10:30:01Z"}"#;
    let track = from_json::<Track<EcommerceEvent>>(good).expect("reads");
    assert!(track.validate().is_ok());

    // A modelled field put in `extra` would be dropped: refused rather than lost.
    let mut track = track;
    track
        .extra
        .insert("event".to_owned(), "Something Else".into());
    let errors = track.validate().expect_err("event in extra");
    assert_eq!(errors.as_slice()[0].code(), ErrorCode::DuplicateKey);
}

/// The reader refuses what the derive refuses: a near miss of an ecommerce event and a
/// reserved name, each with the name it almost is and how to allow it; `ReadOptions`
/// allows them, and an exact custom name needs nothing.
#[test]
fn the_reader_refuses_near_miss_and_reserved_names_unless_allowed() {
    use event_core::ecommerce::EcommerceEvent;
    use event_core::{ReadOptions, from_json};

    let payload =
        |name: &str| format!(r#"{{"userId": "u1", "event": "{name}", "properties": {{}}}}"#);
    let near = payload("Product List Veiwed");
    let error = from_json::<Track<EcommerceEvent>>(near.as_bytes()).expect_err("a near miss");
    assert_eq!(error.path(), "event");
    assert!(
        error.message().starts_with(
            "event name \"Product List Veiwed\" is 2 letters away from the ecommerce semantic \
             event \"Product List Viewed\": did you mean \"Product List Viewed\"? If the name \
             is deliberate, read it with `ReadOptions::new().allow_near_miss_names(true)`"
        ),
        "{error}"
    );
    // serde_json alone gives the same verdict.
    assert!(serde_json::from_str::<Track<EcommerceEvent>>(&near).is_err());

    let reserved = payload("user  deleted");
    let error = from_json::<Track<EcommerceEvent>>(reserved.as_bytes()).expect_err("reserved");
    assert_eq!(error.path(), "event");
    assert!(
        error
            .message()
            .contains("\"User Deleted\", an event name Customer.io reserves")
            && error.message().contains("allow_reserved(true)"),
        "{error}"
    );

    let near_ok = ReadOptions::new().allow_near_miss_names(true);
    let track: Track<EcommerceEvent> = near_ok.from_json(near.as_bytes()).expect("allowed");
    assert!(
        matches!(&track.event, EcommerceEvent::Custom { name, .. } if name == "Product List Veiwed")
    );
    assert!(
        near_ok
            .from_json::<Track<EcommerceEvent>>(reserved.as_bytes())
            .is_err()
    );
    let reserved_ok = ReadOptions::new().allow_reserved(true);
    assert!(
        reserved_ok
            .from_json::<Track<EcommerceEvent>>(reserved.as_bytes())
            .is_ok()
    );
    // The options hold for that read only.
    assert!(from_json::<Track<EcommerceEvent>>(reserved.as_bytes()).is_err());

    for fine in ["Gift Card Redeemed", "Order Shipped", "Product List Viewed"] {
        let json = payload(fine);
        assert!(
            from_json::<Track<EcommerceEvent>>(json.as_bytes()).is_ok(),
            "{fine}"
        );
    }
}
