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
