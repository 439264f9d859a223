//! The catalogue and the specification cannot drift apart.
//!
//! `event-derive/spec/ecommerce-events.json` is Customer.io's list of ecommerce semantic
//! events, kept in the repository (see `event-derive/spec/README.md` for where it comes from). Three things must agree with it:
//!
//! 1. the table (`event_core::spec::EVENTS`, `PRODUCT_PROPERTIES`,
//!    `RESERVED_EVENT_NAMES`, written once in the `event-spec` crate and used by the
//!    derive's compile-time checks): `the_table_is_the_spec` compares them field by field;
//! 2. the catalogue structs: `each_event_serializes_to_exactly_the_spec_properties`
//!    fills every struct from its fixture and checks that it writes exactly the spec's
//!    property names, each with the spec's JSON type, and that no fixture property fell
//!    into the `extra` map (a missing or misnamed field);
//! 3. `EcommerceEvent`: `ecommerce_event_knows_exactly_the_spec_names`.
//!
//! Likewise `event-derive/spec/reserved-traits.json`, the reserved traits of a person and
//! of a group, and the tables `#[derive(Traits)]` checks against
//! (`spec::PERSON_TRAITS`, `spec::GROUP_TRAITS`): `the_reserved_traits_are_the_spec`.
//!
//! How a drift is caught:
//! - the spec file gains, loses, renames or retypes an event or a property: (1) fails,
//!   naming the event and the property; and (2) fails for that event, since its struct no
//!   longer writes the spec's property set;
//! - a struct loses or renames a property: (2) fails (the fixture's property lands in
//!   `extra`, or is missing from the output); a struct gains a property the spec does not
//!   have, or gets a Rust type that cannot produce the spec's JSON type: the derive refuses
//!   it at compile time (check 4), against the table that (1) proves equal to the spec;
//! - an event is added to or dropped from the code: (3) fails, as does the fixture list
//!   (one fixture per spec name).

use std::collections::{BTreeMap, BTreeSet};

use event_core::ecommerce::*;
use event_core::spec::{self, JsonType, PropertySpec};
use event_core::{DeserializeEvent, Track};
use serde_json::{Map, Value};

/// The spec file, kept beside the `event-spec` crate that transcribes it.
const SPEC_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../event-derive/spec/ecommerce-events.json"
);

fn spec_file() -> Value {
    let text = std::fs::read_to_string(SPEC_PATH)
        .unwrap_or_else(|error| panic!("reading {SPEC_PATH}: {error}"));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{SPEC_PATH} is not JSON: {error}"))
}

fn object<'v>(value: &'v Value, what: &str) -> &'v Map<String, Value> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("{what} must be a JSON object"))
}

fn text<'v>(value: &'v Value, what: &str) -> &'v str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("{what} must be a string"))
}

/// A property list as `name -> type name` (order-insensitive).
fn properties_of_file(value: &Value, what: &str) -> BTreeMap<String, String> {
    object(value, what)
        .iter()
        .map(|(name, kind)| {
            (
                name.clone(),
                text(kind, &format!("{what}.{name}")).to_owned(),
            )
        })
        .collect()
}

fn properties_of_table(properties: &[PropertySpec]) -> BTreeMap<String, String> {
    let map: BTreeMap<String, String> = properties
        .iter()
        .map(|property| {
            (
                property.name.to_owned(),
                property.json_type.spec_name().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        map.len(),
        properties.len(),
        "a property is listed twice in {properties:?}"
    );
    map
}

/// The spec's events, in order: `(name, group, properties)`.
fn spec_events(spec: &Value) -> Vec<(String, String, BTreeMap<String, String>)> {
    spec["events"]
        .as_array()
        .expect("`events` must be an array")
        .iter()
        .map(|event| {
            let name = text(&event["name"], "an event name").to_owned();
            let group = text(&event["group"], &format!("the group of {name}")).to_owned();
            let properties =
                properties_of_file(&event["properties"], &format!("the properties of {name}"));
            (name, group, properties)
        })
        .collect()
}

#[test]
fn the_table_is_the_spec() {
    let spec = spec_file();

    // Events: the same names in the same order, each with its group and properties.
    let expected = spec_events(&spec);
    let names: Vec<&str> = spec::EVENTS.iter().map(|event| event.name).collect();
    let expected_names: Vec<&str> = expected.iter().map(|(name, _, _)| name.as_str()).collect();
    assert_eq!(names, expected_names, "event names (in the spec's order)");
    for (event, (name, group, properties)) in spec::EVENTS.iter().zip(&expected) {
        assert_eq!(event.group, group, "the group of {name}");
        assert_eq!(
            &properties_of_table(event.properties),
            properties,
            "the properties of {name}"
        );
        assert_eq!(
            spec::event(name).map(|found| found.name),
            Some(name.as_str())
        );
    }

    // The product object.
    assert_eq!(
        properties_of_table(spec::PRODUCT_PROPERTIES),
        properties_of_file(&spec["product"], "product"),
        "the product properties"
    );

    // Reserved names: the same set, each once.
    let reserved: BTreeSet<&str> = spec::RESERVED_EVENT_NAMES.iter().copied().collect();
    assert_eq!(
        reserved.len(),
        spec::RESERVED_EVENT_NAMES.len(),
        "a reserved name is listed twice"
    );
    let expected_reserved: BTreeSet<&str> = spec["reserved_event_names"]
        .as_array()
        .expect("`reserved_event_names` must be an array")
        .iter()
        .map(|name| text(name, "a reserved name"))
        .collect();
    assert_eq!(reserved, expected_reserved, "the reserved event names");

    // Every type the table uses is one the file defines.
    let types = object(&spec["types"], "types");
    for event in spec::EVENTS {
        for property in event.properties {
            assert!(
                types.contains_key(property.json_type.spec_name()),
                "{}.{}",
                event.name,
                property.name
            );
        }
    }
}

/// Whether `value` has the JSON type the spec calls `kind`; `Err` says why not.
fn check_type(value: &Value, kind: &str, path: &str) -> Result<(), String> {
    let string_pair = |item: &Value, index: usize, what: &str| -> Result<(), String> {
        let pair = item
            .as_object()
            .ok_or_else(|| format!("{path}[{index}] must be a {what} object"))?;
        let keys: BTreeSet<&str> = pair.keys().map(String::as_str).collect();
        if keys != BTreeSet::from(["type", "value"]) || !pair.values().all(Value::is_string) {
            return Err(format!(
                "{path}[{index}] must be {{\"type\": string, \"value\": string}}, found {item}"
            ));
        }
        Ok(())
    };
    let array = || {
        value
            .as_array()
            .ok_or_else(|| format!("{path} must be an array, found {value}"))
    };
    match kind {
        "string" if value.is_string() => Ok(()),
        "number" if value.is_number() => Ok(()),
        "string" | "number" => Err(format!("{path} must be a {kind}, found {value}")),
        "product[]" => {
            let spec = spec_file();
            let product = properties_of_file(&spec["product"], "product");
            for (index, item) in array()?.iter().enumerate() {
                let fields = item
                    .as_object()
                    .ok_or_else(|| format!("{path}[{index}] must be a product object"))?;
                let names: BTreeSet<&String> = fields.keys().collect();
                if names != product.keys().collect() {
                    return Err(format!(
                        "{path}[{index}] has {names:?}, the spec's product has {:?}",
                        product.keys()
                    ));
                }
                for (name, field) in fields {
                    check_type(field, &product[name], &format!("{path}[{index}].{name}"))?;
                }
            }
            Ok(())
        }
        "filter[]" => array()?
            .iter()
            .enumerate()
            .try_for_each(|(index, item)| string_pair(item, index, "filter")),
        "sort[]" => array()?
            .iter()
            .enumerate()
            .try_for_each(|(index, item)| string_pair(item, index, "sort")),
        other => Err(format!("{path}: unknown spec type {other:?}")),
    }
}

/// Reads a fixture into its typed event and returns the event's serialized properties.
fn typed_properties<E>(file: &str, text: &str) -> Map<String, Value>
where
    E: serde::Serialize + serde::de::DeserializeOwned + event_core::SemanticEvent + ExtraMap,
{
    let track: Track<E> =
        event_core::from_json(text.as_bytes()).unwrap_or_else(|error| panic!("{file}: {error}"));
    assert!(
        track.event.extra().is_empty(),
        "{file}: properties outside the struct's fields: {:?}",
        track.event.extra()
    );
    match serde_json::to_value(&track.event) {
        Ok(Value::Object(properties)) => properties,
        other => panic!("{file}: properties must serialize to an object, got {other:?}"),
    }
}

/// The `extra` map every catalogue event has.
trait ExtraMap {
    fn extra(&self) -> &Map<String, Value>;
}

macro_rules! catalogue {
    ($($file:ident => $event:ident),* $(,)?) => {
        $(
            impl ExtraMap for $event {
                fn extra(&self) -> &Map<String, Value> {
                    &self.extra
                }
            }
        )*

        /// Every catalogue struct, filled from its fixture: `(struct, event name, properties)`.
        fn catalogue() -> Vec<(&'static str, &'static str, Map<String, Value>)> {
            vec![$((
                stringify!($event),
                $event::EVENT_NAME,
                typed_properties::<$event>(
                    stringify!($file),
                    include_str!(concat!("../fixtures/ecommerce/", stringify!($file), ".json")),
                ),
            )),*]
        }
    };
}

event_tests::with_catalogue!(catalogue);

#[test]
fn each_event_serializes_to_exactly_the_spec_properties() {
    let spec = spec_file();
    let expected: BTreeMap<String, BTreeMap<String, String>> = spec_events(&spec)
        .into_iter()
        .map(|(name, _, properties)| (name, properties))
        .collect();
    let catalogue = catalogue();

    // One struct per spec event, no more, no fewer.
    let struct_names: BTreeSet<&str> = catalogue.iter().map(|(_, name, _)| *name).collect();
    assert_eq!(
        struct_names.len(),
        catalogue.len(),
        "two structs share an event name"
    );
    assert_eq!(
        struct_names,
        expected.keys().map(String::as_str).collect(),
        "the catalogue's event names"
    );

    let mut failures = Vec::new();
    for (rust, name, properties) in &catalogue {
        let spec_properties = &expected[*name];
        let written: BTreeSet<&str> = properties.keys().map(String::as_str).collect();
        let wanted: BTreeSet<&str> = spec_properties.keys().map(String::as_str).collect();
        if written != wanted {
            failures.push(format!(
                "{rust} ({name}): writes {:?} it should not and misses {:?}",
                written.difference(&wanted).collect::<Vec<_>>(),
                wanted.difference(&written).collect::<Vec<_>>()
            ));
        }
        for (property, value) in properties {
            if let Some(kind) = spec_properties.get(property) {
                if let Err(why) = check_type(value, kind, &format!("{rust}.{property}")) {
                    failures.push(why);
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "the catalogue disagrees with the spec:\n{}",
        failures.join("\n")
    );
}

#[test]
fn product_writes_exactly_the_spec_product_properties() {
    let spec = spec_file();
    let product = properties_of_file(&spec["product"], "product");
    let text = include_str!("../fixtures/ecommerce/cart_viewed.json");
    let track: Track<CartViewed> =
        event_core::from_json(text.as_bytes()).unwrap_or_else(|error| panic!("{error}"));
    for item in track.event.products.iter().flatten() {
        assert!(
            item.extra.is_empty(),
            "a product property fell outside `Product`'s fields: {:?}",
            item.extra
        );
        let written = serde_json::to_value(item).expect("serializable");
        check_type(&Value::Array(vec![written]), "product[]", "products")
            .unwrap_or_else(|why| panic!("{why}"));
    }
    assert_eq!(product.len(), 12);
}

#[test]
fn ecommerce_event_knows_exactly_the_spec_names() {
    let spec = spec_file();
    let expected: Vec<String> = spec_events(&spec)
        .into_iter()
        .map(|(name, _, _)| name)
        .collect();
    assert_eq!(
        EcommerceEvent::NAMES,
        expected.as_slice(),
        "EcommerceEvent::NAMES, in the spec's order"
    );
    for (name, group, _) in spec_events(&spec) {
        let event = EcommerceEvent::deserialize_event(&name, &Value::Object(Map::new()))
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        assert!(
            !matches!(event, EcommerceEvent::Custom { .. }),
            "{name} reads as a custom event"
        );
        assert_eq!(event.name(), name);
        assert_eq!(event.group(), Some(group.as_str()), "the group of {name}");
        assert!(EcommerceEvent::is_known(&name));
    }
    // Reserved and unknown names are custom events.
    for name in spec::RESERVED_EVENT_NAMES
        .iter()
        .copied()
        .chain(["Order Complete", "order completed"])
    {
        let event = EcommerceEvent::deserialize_event(name, &Value::Object(Map::new()))
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        assert!(matches!(event, EcommerceEvent::Custom { .. }), "{name}");
        assert!(!EcommerceEvent::is_known(name));
    }
}

#[test]
fn the_spec_quirks_hold_in_the_table() {
    let property = |event: &str, name: &str| {
        spec::event(event)
            .and_then(|event| {
                event
                    .properties
                    .iter()
                    .find(|property| property.name == name)
            })
            .map(|property| property.json_type)
    };
    assert_eq!(
        property("Promotion Viewed", "position"),
        Some(JsonType::String)
    );
    assert_eq!(
        property("Promotion Clicked", "position"),
        Some(JsonType::String)
    );
    assert_eq!(
        property("Product Clicked", "position"),
        Some(JsonType::Number)
    );
    assert_eq!(
        property("Product Reviewed", "rating"),
        Some(JsonType::String)
    );
    assert_eq!(
        property("Products Searched", "query"),
        Some(JsonType::String)
    );
}

/// The reserved traits file, kept beside the `event-spec` crate that transcribes it.
const TRAITS_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../event-derive/spec/reserved-traits.json"
);

fn traits_of_table(traits: &[spec::TraitSpec]) -> BTreeMap<String, String> {
    let map: BTreeMap<String, String> = traits
        .iter()
        .map(|known| {
            (
                known.name.to_owned(),
                known.json_type.spec_name().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        map.len(),
        traits.len(),
        "a trait is listed twice in {traits:?}"
    );
    map
}

#[test]
fn the_reserved_traits_are_the_spec() {
    let text = std::fs::read_to_string(TRAITS_PATH)
        .unwrap_or_else(|error| panic!("reading {TRAITS_PATH}: {error}"));
    let file: Value = serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("{TRAITS_PATH} is not JSON: {error}"));
    for (key, table) in [
        ("person", spec::PERSON_TRAITS),
        ("group", spec::GROUP_TRAITS),
    ] {
        assert_eq!(
            traits_of_table(table),
            properties_of_file(&file[key], key),
            "the {key} traits"
        );
        let types = object(&file["types"], "types");
        for known in table {
            assert!(
                types.contains_key(known.json_type.spec_name()),
                "{key}.{}",
                known.name
            );
        }
    }
    assert_eq!(
        spec::person_trait("created_at").map(|known| known.json_type),
        Some(spec::TraitType::Integer),
        "Customer.io's created_at is a Unix timestamp in seconds"
    );
}
