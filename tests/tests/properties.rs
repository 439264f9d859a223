//! Property tests of the catalogue and the envelope (proptest).
//!
//! Any event the catalogue can build, in any envelope:
//! - serializes, parses back, and serializes again to the very same JSON bytes;
//! - is valid after the round trip exactly when it was valid before;
//! - when validation accepts it, the loopback server in strict mode accepts it too.
//!
//! Any payload written as JSON, valid or not (wrong JSON types, near-miss and reserved
//! event names, bad currencies, bad date-times, numbers JSON cannot hold as `f64`), gets
//! one verdict from the reader and the typed event's validation, from rules written
//! here from the specification table, and from the strict server.
//!
//! Any payload of the other five calls (identify, group, page, screen, alias), valid or
//! not (ids absent, blank or not strings; traits and properties objects or any other
//! value; names blank or not strings; extra top-level fields), gets one verdict from
//! `AnyCall`'s reader plus validation and from the strict server, posted to the call's
//! own path; what is read writes back and reads again the same.
//!
//! Events are generated from the specification table (`event_core::spec::EVENTS`): for
//! each of the 28 events, every property is absent or present with a value of its JSON
//! type (unicode strings, finite numbers of every class, products, filters, sorts), plus
//! additional properties (any JSON, numbers finite) under names the spec does not use.
//! The typed event is then built from those properties, so every field of every catalogue
//! struct is exercised without 28 hand-written generators; custom events get any name
//! that is not a catalogue one. Case counts stay moderate (64 per property) for CI;
//! `PROPTEST_CASES=10000 cargo test -p event-tests --test properties` runs more.

use std::sync::OnceLock;

use event_core::ecommerce::EcommerceEvent;
use event_core::spec::{self, JsonType, PropertySpec};
use event_core::transport::{Endpoint, HttpTransport, Request, Transport};
use event_core::{
    Context, DeserializeEvent, Identity, Integrations, MessageId, Page, ReadOptions, Timestamp,
    Track, Validate,
};
use event_tests::{TEST_API_KEY, TestServer, http_config};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{Map, Value};

fn config() -> Config {
    Config {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|cases| cases.parse().ok())
            .unwrap_or(64),
        // A failing case is shrunk, but not for ever.
        max_shrink_iters: 2_000,
        ..Config::default()
    }
}

// ---------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------

/// Strings: short ASCII, any unicode (controls, astral planes, lone combining marks).
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 _.-]{0,12}",
        any::<String>(),
        Just(String::new()),
        Just("\u{0}\u{1f}\"\\/\u{2028}\u{fffd}\u{1f600}".to_owned()),
    ]
}

/// A text that an `Id` accepts: not empty, not only whitespace.
fn id_text() -> impl Strategy<Value = String> {
    text().prop_filter("an id is not blank", |id| !id.trim().is_empty())
}

/// Finite `f64`s of every class: zeros, subnormals, normals, integral values (exact
/// and beyond 2^53), and the extremes.
fn finite() -> impl Strategy<Value = f64> {
    use proptest::num::f64 as float;
    prop_oneof![
        float::POSITIVE | float::NEGATIVE | float::NORMAL | float::SUBNORMAL | float::ZERO,
        (-1_000_000_i64..1_000_000).prop_map(|n| n as f64),
        (-100_000_i64..100_000).prop_map(|cents| cents as f64 / 100.0),
        Just(f64::MAX),
        Just(f64::MIN_POSITIVE),
        Just(9_007_199_254_740_993.0),
        Just(-0.0),
    ]
}

/// Any JSON value, numbers finite, nested a little.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        finite().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(text(), inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Additional properties under names not in `taken`.
fn extra(taken: &'static [&'static str]) -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::btree_map(prop_oneof!["[a-zA-Z_]{1,12}", text()], json_value(), 0..4)
        .prop_map(move |map| {
            map.into_iter()
                .filter(|(key, _)| !taken.contains(&key.as_str()))
                .collect()
        })
}

/// Currency codes: valid ones mostly, some that validation refuses.
fn currency() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => prop::sample::select(vec!["USD", "EUR", "JPY", "GBP", "CHF", "BRL"]).prop_map(Value::from),
        1 => prop::sample::select(vec!["usd", "$", "", "EURO", "XXXX"]).prop_map(Value::from),
        1 => text().prop_map(Value::from),
    ]
}

fn names(properties: &'static [PropertySpec]) -> &'static [&'static str] {
    static PRODUCT: OnceLock<Vec<&'static str>> = OnceLock::new();
    static EVENTS: OnceLock<Vec<Vec<&'static str>>> = OnceLock::new();
    if std::ptr::eq(properties, spec::PRODUCT_PROPERTIES) {
        return PRODUCT.get_or_init(|| spec::PRODUCT_PROPERTIES.iter().map(|p| p.name).collect());
    }
    let events = EVENTS.get_or_init(|| {
        spec::EVENTS
            .iter()
            .map(|event| event.properties.iter().map(|p| p.name).collect())
            .collect()
    });
    spec::EVENTS
        .iter()
        .position(|event| std::ptr::eq(event.properties, properties))
        .map_or(&[], |index| events[index].as_slice())
}

fn filter_object() -> impl Strategy<Value = Value> {
    (text(), text()).prop_map(|(kind, value)| serde_json::json!({"type": kind, "value": value}))
}

/// The value of one property, by its JSON type.
fn property_value(property: &'static PropertySpec) -> BoxedStrategy<Value> {
    match property.json_type {
        JsonType::String if property.name == "currency" => currency().boxed(),
        JsonType::String => text().prop_map(Value::String).boxed(),
        JsonType::Number => finite().prop_map(Value::from).boxed(),
        JsonType::ProductArray => prop::collection::vec(object(spec::PRODUCT_PROPERTIES), 0..3)
            .prop_map(Value::Array)
            .boxed(),
        JsonType::FilterArray | JsonType::SortArray => prop::collection::vec(filter_object(), 0..3)
            .prop_map(Value::Array)
            .boxed(),
    }
}

/// An object with each of `properties` absent or present, plus additional properties.
fn object(properties: &'static [PropertySpec]) -> BoxedStrategy<Value> {
    let fields: Vec<_> = properties
        .iter()
        .map(|property| {
            proptest::option::weighted(0.6, property_value(property))
                .prop_map(move |value| (property.name, value))
        })
        .collect();
    (fields, extra(names(properties)))
        .prop_map(|(fields, extra)| {
            let mut object = extra;
            for (name, value) in fields {
                if let Some(value) = value {
                    object.insert(name.to_owned(), value);
                }
            }
            Value::Object(object)
        })
        .boxed()
}

/// Any of the 28 catalogue events, built through its typed struct.
fn catalogue_event() -> impl Strategy<Value = EcommerceEvent> {
    prop::sample::select(spec::EVENTS.to_vec()).prop_flat_map(|event| {
        object(event.properties).prop_map(move |properties| {
            EcommerceEvent::deserialize_event(event.name, &properties).unwrap_or_else(|error| {
                panic!(
                    "the catalogue cannot hold the spec's properties of {}: {error}\n{properties}",
                    event.name
                )
            })
        })
    })
}

/// A custom event: any name that is not empty and not a catalogue name, any properties.
fn custom_event() -> impl Strategy<Value = EcommerceEvent> {
    (
        id_text().prop_filter("a deliberate custom name", |name| {
            !EcommerceEvent::is_known(name) && ReadOptions::new().check_event_name(name).is_ok()
        }),
        extra(&[]),
    )
        .prop_map(|(name, properties)| EcommerceEvent::custom(name, properties))
}

fn event() -> impl Strategy<Value = EcommerceEvent> {
    prop_oneof![4 => catalogue_event(), 1 => custom_event()]
}

fn identity() -> impl Strategy<Value = Identity> {
    prop_oneof![
        id_text().prop_map(|id| Identity::user(id).expect("not blank")),
        id_text().prop_map(|id| Identity::anonymous(id).expect("not blank")),
        (id_text(), id_text())
            .prop_map(|(user, anonymous)| { Identity::both(user, anonymous).expect("not blank") }),
    ]
}

/// Timestamps the wire can carry: RFC 3339, years 0001 to 9999, any precision, offsets
/// in whole minutes (written as they were read), or made from a `time::OffsetDateTime`.
fn timestamp() -> impl Strategy<Value = Option<Timestamp>> {
    let parsed = (
        1..=9999_i32,
        1..=12_u8,
        1..=28_u8,
        (0..24_u8, 0..60_u8, 0..60_u8),
        prop::sample::select(vec!["", ".1", ".120", ".000001", ".123456789"]),
        prop::sample::select(vec![
            "Z", "z", "+00:00", "-00:00", "+05:30", "-12:00", "+14:00",
        ]),
    )
        .prop_map(|(year, month, day, (h, m, s), fraction, offset)| {
            format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}{fraction}{offset}")
                .parse::<Timestamp>()
                .expect("an RFC 3339 timestamp")
        });
    // From `OffsetDateTime`: years 1 to 9999 (the range RFC 3339 can write), to the nanosecond.
    let made = (
        -62_135_596_800_i64..253_402_300_799,
        0..1_000_000_000_i64,
        -23..=23_i8,
    )
        .prop_map(|(seconds, nanos, hours)| {
            let at = time::OffsetDateTime::from_unix_timestamp_nanos(
                i128::from(seconds) * 1_000_000_000 + i128::from(nanos),
            )
            .expect("in range");
            let offset = time::UtcOffset::from_hms(hours, 0, 0).expect("whole hours");
            match at.checked_to_offset(offset) {
                Some(shifted) if (1..=9999).contains(&shifted.year()) => Timestamp::from(shifted),
                _ => Timestamp::from(at),
            }
        });
    proptest::option::of(prop_oneof![parsed, made])
}

fn message_id() -> impl Strategy<Value = MessageId> {
    prop_oneof![
        Just(()).prop_map(|()| MessageId::new()),
        "[a-zA-Z0-9-]{1,100}".prop_map(|id| MessageId::parse(id).expect("1 to 100 characters")),
        text()
            .prop_filter("1 to 100 characters", |id| (1..=100)
                .contains(&id.chars().count()))
            .prop_map(|id| MessageId::parse(id).expect("1 to 100 characters")),
    ]
}

/// The typed fields of `context`, which its additional properties must not shadow.
const CONTEXT_FIELDS: &[&str] = &[
    "ip",
    "locale",
    "userAgent",
    "channel",
    "timezone",
    "page",
    "campaign",
    "app",
    "device",
    "os",
    "library",
];

fn context() -> impl Strategy<Value = Context> {
    (
        any::<bool>(),
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::option::of((proptest::option::of(text()), proptest::option::of(text()))),
        extra(CONTEXT_FIELDS),
    )
        .prop_map(|(library, ip, locale, page, extra)| {
            let mut context = if library {
                Context::with_this_library()
            } else {
                Context::default()
            };
            context.ip = ip;
            context.locale = locale;
            context.page = page.map(|(path, title)| Page {
                path,
                title,
                ..Page::default()
            });
            context.extra = extra;
            context
        })
}

fn integrations() -> impl Strategy<Value = Integrations> {
    (
        proptest::option::of(any::<bool>()),
        prop::collection::btree_map(text(), any::<bool>(), 0..3),
    )
        .prop_map(|(all, destinations)| Integrations {
            all,
            destinations: destinations
                .into_iter()
                .filter(|(name, _)| name != "All")
                .collect(),
        })
}

/// The modelled top-level fields of a track call, which its additional ones must not shadow.
const TRACK_FIELDS: &[&str] = &[
    "userId",
    "anonymousId",
    "type",
    "event",
    "properties",
    "timestamp",
    "messageId",
    "context",
    "integrations",
];

fn track() -> impl Strategy<Value = Track<EcommerceEvent>> {
    (
        (identity(), event(), timestamp()),
        (message_id(), context(), integrations(), extra(TRACK_FIELDS)),
    )
        .prop_map(
            |((identity, event, timestamp), (message_id, context, integrations, extra))| {
                let mut track = Track::new(identity, event)
                    .timestamp(timestamp)
                    .message_id(message_id)
                    .context(context)
                    .integrations(integrations);
                track.extra = extra;
                track
            },
        )
}

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

fn to_json<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, TestCaseError> {
    serde_json::to_vec(value).map_err(|error| TestCaseError::fail(format!("serialize: {error}")))
}

fn shown(json: &[u8]) -> String {
    String::from_utf8_lossy(json).into_owned()
}

proptest! {
    #![proptest_config(config())]

    /// Serialize, parse, serialize: the same bytes; and the same validity.
    #[test]
    fn any_track_round_trips_to_the_same_json(track in track()) {
        let json = to_json(&track)?;
        let read = event_core::from_json::<Track<EcommerceEvent>>(&json)
            .map_err(|error| TestCaseError::fail(format!("{error}\n{}", shown(&json))))?;
        let again = to_json(&read)?;
        prop_assert_eq!(shown(&json), shown(&again));
        prop_assert_eq!(track.validate().is_ok(), read.validate().is_ok(), "{}", shown(&json));
        // The typed values agree too (timestamps compare as instants).
        prop_assert_eq!(&read, &track);
    }

    /// A valid event stays valid through the round trip, as a single call and inside a batch.
    #[test]
    fn any_valid_event_stays_valid_in_a_batch(tracks in prop::collection::vec(track(), 1..4)) {
        let valid: Vec<_> = tracks.into_iter().filter(|track| track.validate().is_ok()).collect();
        let sent_at: Timestamp = "2024-01-15T10:30:05.000Z".parse().expect("a timestamp");
        let batch = event_core::Batch::with_sent_at(valid, sent_at);
        let json = to_json(&batch)?;
        let read = event_core::from_json::<event_core::Batch<Track<EcommerceEvent>>>(&json)
            .map_err(|error| TestCaseError::fail(format!("{error}\n{}", shown(&json))))?;
        prop_assert_eq!(read.len(), batch.len());
        for item in &read {
            prop_assert!(item.validate().is_ok(), "{}", shown(&json));
        }
        prop_assert_eq!(shown(&json), shown(&to_json(&read)?));
    }

    /// Any event on its own, without the envelope: its properties read back the same.
    #[test]
    fn any_event_properties_round_trip(event in event()) {
        let properties = serde_json::to_value(&event)
            .map_err(|error| TestCaseError::fail(error.to_string()))?;
        let read = EcommerceEvent::deserialize_event(event.name(), &properties)
            .map_err(|error| TestCaseError::fail(format!("{error}\n{properties}")))?;
        prop_assert_eq!(&read, &event);
        prop_assert_eq!(serde_json::to_value(&read).ok(), Some(properties));
    }
}

/// A loopback server started once for all the cases of one property. Each property has
/// its own: properties run at once, and some read what their server accepted last.
fn server_in(
    slot: &'static OnceLock<(TestServer, HttpTransport)>,
) -> &'static (TestServer, HttpTransport) {
    slot.get_or_init(|| {
        let server = TestServer::start();
        let transport =
            HttpTransport::new(http_config(&server, TEST_API_KEY)).expect("a transport");
        (server, transport)
    })
}

static TRACK_SERVER: OnceLock<(TestServer, HttpTransport)> = OnceLock::new();
static VERDICT_SERVER: OnceLock<(TestServer, HttpTransport)> = OnceLock::new();
static CALLS_SERVER: OnceLock<(TestServer, HttpTransport)> = OnceLock::new();

proptest! {
    #![proptest_config(config())]

    /// What validation accepts, the strict server accepts: sent over HTTP, once as a
    /// track call and once as a batch.
    #[test]
    fn what_validation_accepts_the_strict_server_accepts(track in track()) {
        prop_assume!(track.validate().is_ok());
        let (server, transport) = server_in(&TRACK_SERVER);
        let json = to_json(&track)?;
        let before = server.accepted().len();
        transport
            .send(Request { endpoint: Endpoint::Track, body: &json })
            .map_err(|error| TestCaseError::fail(format!("{error}\n{}", shown(&json))))?;
        let sent_at: Timestamp = "2024-01-15T10:30:05.000Z".parse().expect("a timestamp");
        let body = to_json(&event_core::Batch::with_sent_at(vec![&track], sent_at))?;
        transport
            .send(Request { endpoint: Endpoint::Batch, body: &body })
            .map_err(|error| TestCaseError::fail(format!("{error}\n{}", shown(&body))))?;
        let accepted = server.accepted();
        let expected: Value = serde_json::from_slice(&json)
            .map_err(|error| TestCaseError::fail(error.to_string()))?;
        prop_assert_eq!(accepted.len(), before + 2);
        prop_assert_eq!(&accepted[before], &expected);
        prop_assert_eq!(&accepted[before + 1], &expected);
    }
}

/// A number proptest found: written as `7.626923234429475e47`, it read back one unit in
/// the last place off (`…476e47`), so the JSON changed on the second write. `serde_json`
/// parses floats exactly only with its `float_roundtrip` feature.
#[test]
fn a_float_found_by_proptest_reads_back_exactly() {
    for number in [7.626_923_234_429_475e47, 3.979_283_691_998_999_3e226] {
        let mut properties = Map::new();
        properties.insert("x".to_owned(), Value::from(number));
        let event = EcommerceEvent::custom("Number Seen", properties);
        let track = Track::new(Identity::user("u").expect("an id"), event);
        let json = serde_json::to_vec(&track).expect("serializes");
        let read = event_core::from_json::<Track<EcommerceEvent>>(&json).expect("reads back");
        let again = serde_json::to_vec(&read).expect("serializes");
        assert_eq!(shown(&json), shown(&again));
    }
}

// ---------------------------------------------------------------------------------------
// One verdict: the reader, validation, the spec's rules and the strict server
// ---------------------------------------------------------------------------------------

/// A value for a property, and whether it fits the spec's type and rules.
fn judged_value(property: &'static PropertySpec) -> BoxedStrategy<(Value, bool)> {
    let wrong = prop_oneof![
        Just(Value::Bool(true)),
        Just(serde_json::json!({"a": 1})),
        Just(Value::from("10")),
        Just(Value::from(10)),
    ];
    let fits = move |value: &Value| match property.json_type {
        JsonType::String => value.is_string(),
        JsonType::Number => value.is_number(),
        _ => value.is_array(),
    };
    let good = match property.json_type {
        JsonType::String if property.name == "currency" => prop_oneof![
            prop::sample::select(vec!["USD", "EUR", "JPY"]).prop_map(|c| (Value::from(c), true)),
            prop::sample::select(vec!["usd", "$", "", "EURO"])
                .prop_map(|c| (Value::from(c), false)),
        ]
        .boxed(),
        JsonType::ProductArray => prop::collection::vec(
            prop_oneof![
                3 => (finite(), "[a-z]{0,6}").prop_map(|(price, sku)| {
                    (serde_json::json!({"price": price, "sku": sku}), true)
                }),
                1 => Just((serde_json::json!({"price": "1"}), false)),
                1 => Just((serde_json::json!({"quantity": true}), false)),
                1 => Just((Value::from(3), false)),
            ],
            0..3,
        )
        .prop_map(|items| {
            let ok = items.iter().all(|(_, ok)| *ok);
            (
                Value::Array(items.into_iter().map(|(item, _)| item).collect()),
                ok,
            )
        })
        .boxed(),
        _ => property_value(property)
            .prop_map(|value| (value, true))
            .boxed(),
    };
    prop_oneof![
        4 => good,
        1 => wrong.prop_filter_map("a wrong type", move |value| {
            (!fits(&value)).then_some((value, false))
        }),
        1 => Just((Value::Null, true)),
    ]
    .boxed()
}

/// Event names: catalogue ones, near misses, reserved names (exact or loose), custom
/// ones; with whether the reader may take them by default.
fn judged_name() -> impl Strategy<Value = (String, bool)> {
    prop_oneof![
        3 => prop::sample::select(spec::EVENTS.to_vec()).prop_map(|event| (event.name.to_owned(), true)),
        1 => prop::sample::select(spec::EVENTS.to_vec())
            .prop_map(|event| (event.name.to_lowercase(), false)),
        1 => prop::sample::select(spec::EVENTS.to_vec()).prop_map(|event| {
            // One letter dropped from the middle: a typo.
            let mut name = event.name.to_owned();
            name.remove(name.len() / 2);
            (name, false)
        }),
        1 => prop::sample::select(spec::RESERVED_EVENT_NAMES.to_vec())
            .prop_map(|name| (name.to_owned(), false)),
        1 => prop::sample::select(spec::RESERVED_EVENT_NAMES.to_vec())
            .prop_map(|name| (name.to_uppercase(), false)),
        1 => prop::sample::select(vec!["Order Shipped", "Gift Card Redeemed", "Signed Up"])
            .prop_map(|name| (name.to_owned(), true)),
    ]
}

/// Date-times, and whether the API takes them.
fn judged_date_time() -> impl Strategy<Value = (Value, bool)> {
    prop::sample::select(vec![
        ("2024-01-15T10:30:00.000Z", true),
        ("2024-02-29T23:59:59+05:30", true),
        ("0001-01-01T00:00:00Z", true),
        ("9999-12-31T23:59:59.999999999Z", true),
        ("2024-06-30T23:59:60Z", false),
        ("2023-02-29T10:00:00Z", false),
        ("2024-01-15 10:30:00Z", true),
        ("2024-01-15t10:30:00z", true),
        ("2024-01-15T10:30Z", false),
        ("2024-01-15T10:30:00", false),
        ("0000-01-01T00:00:00Z", false),
        ("yesterday", false),
    ])
    .prop_map(|(text, ok)| (Value::from(text), ok))
}

/// A payload as JSON bytes, and whether the API's documented rules take it.
fn judged_payload() -> impl Strategy<Value = (Vec<u8>, bool)> {
    judged_name().prop_flat_map(|(name, name_ok)| {
        let properties: &'static [PropertySpec] =
            spec::event(&name).map_or(&[], |event| event.properties);
        let fields: Vec<_> = properties
            .iter()
            .map(|property| {
                proptest::option::weighted(0.5, judged_value(property))
                    .prop_map(move |value| (property.name, value))
            })
            .collect();
        (
            fields,
            proptest::option::of(judged_date_time()),
            proptest::option::weighted(0.2, judged_date_time()),
            proptest::bool::weighted(0.1),
        )
            .prop_map(move |(fields, timestamp, sent_at, too_big)| {
                let mut ok = name_ok;
                let mut object = Map::new();
                for (field, value) in fields {
                    if let Some((value, fits)) = value {
                        ok &= fits;
                        object.insert(field.to_owned(), value);
                    }
                }
                if too_big {
                    // No f64 holds it: serde_json refuses it, and so must everyone.
                    object.insert("size".to_owned(), Value::from("__TOO_BIG__"));
                    ok = false;
                }
                let mut payload = serde_json::json!({
                    "userId": "u1",
                    "type": "track",
                    "event": name,
                    "properties": object,
                    "messageId": "m1",
                });
                for (field, value) in [("timestamp", timestamp), ("sentAt", sent_at)] {
                    if let Some((value, fits)) = value {
                        ok &= fits;
                        payload[field] = value;
                    }
                }
                let json = payload.to_string().replace("\"__TOO_BIG__\"", "1e400");
                (json.into_bytes(), ok)
            })
    })
}

/// Whether every product of a payload's properties reads into the typed event and
/// validates on its own: the derive-side verdict, where the payload can be typed.
fn typed_verdict(track: &Track<EcommerceEvent>) -> bool {
    track.event.validate().is_ok() && track.validate().is_ok()
}

proptest! {
    #![proptest_config(config())]

    /// The reader (with validation), the rules written from the spec and the strict
    /// server agree on every payload. The server judges the envelope only (properties
    /// are free-form to it), so what the reader takes it takes, and what it refuses the
    /// reader refuses.
    #[test]
    fn the_reader_validation_the_spec_and_the_server_agree((json, expected) in judged_payload()) {
        let read = event_core::from_json::<Track<EcommerceEvent>>(&json);
        let reader = match &read {
            Ok(track) => typed_verdict(track),
            Err(_) => false,
        };
        prop_assert_eq!(reader, expected, "{}: {:?}", shown(&json), read.as_ref().map(|t| t.validate()).map_err(ToString::to_string));

        // Allowed names read as custom events, which validate.
        let allowed = ReadOptions::new().allow_near_miss_names(true).allow_reserved(true);
        if let Ok(track) = allowed.from_json::<Track<EcommerceEvent>>(&json) {
            if spec::event(track.event_name()).is_none() {
                prop_assert!(track.event.validate().is_ok());
            }
        }

        let (server, transport) = server_in(&VERDICT_SERVER);
        let sent = transport.send(Request { endpoint: Endpoint::Track, body: &json });
        if reader {
            prop_assert!(sent.is_ok(), "{:?}: {}", sent, shown(&json));
        }
        if sent.is_err() {
            prop_assert!(!reader);
        }
        let _ = server;
    }
}

// ---------------------------------------------------------------------------------------
// The other five calls
// ---------------------------------------------------------------------------------------

/// A value for an id field: absent (`None`), a good id, blank, or not a string.
fn id_field() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        3 => Just(None),
        6 => id_text().prop_map(|id| Some(Value::String(id))),
        1 => Just(Some(Value::String(String::new()))),
        1 => Just(Some(Value::String("  ".to_owned()))),
        1 => Just(Some(Value::Null)),
        1 => Just(Some(Value::from(7))),
    ]
}

/// Traits or properties: absent, an object, or any other JSON value.
fn object_field() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        2 => Just(None),
        6 => prop::collection::btree_map(text(), json_value(), 0..4)
            .prop_map(|map| Some(Value::Object(map.into_iter().collect()))),
        2 => json_value().prop_map(Some),
    ]
}

/// A page or screen name: absent, any text (blank included), null, or a number.
fn name_field() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        2 => Just(None),
        6 => text().prop_map(|name| Some(Value::String(name))),
        1 => Just(Some(Value::Null)),
        1 => Just(Some(Value::from(3))),
    ]
}

/// A payload of one of the five calls, written as JSON, valid or not: each field
/// absent, good, or wrong in the ways a hand-written payload goes wrong. It always has
/// a `messageId` and a good `timestamp`, which the track property covers.
fn call_payload() -> impl Strategy<Value = (&'static str, Value)> {
    (
        prop::sample::select(vec!["identify", "group", "page", "screen", "alias"]),
        id_field(),
        id_field(),
        object_field(),
        id_field(),
        name_field(),
        extra(&[
            "userId",
            "anonymousId",
            "type",
            "timestamp",
            "messageId",
            "context",
            "integrations",
            "event",
            "properties",
            "traits",
            "groupId",
            "name",
            "previousId",
            "sentAt",
            "receivedAt",
            "originalTimestamp",
        ]),
        0_u32..1_000_000,
    )
        .prop_map(
            |(kind, user_id, anonymous_id, object, other_id, name, extra, n)| {
                let mut payload = extra;
                payload.insert("type".into(), Value::from(kind));
                payload.insert("messageId".into(), Value::from(format!("m-{n}")));
                payload.insert("timestamp".into(), Value::from("2024-01-15T10:30:00.000Z"));
                let mut put = |key: &str, value: Option<Value>| {
                    if let Some(value) = value {
                        payload.insert(key.to_owned(), value);
                    }
                };
                put("userId", user_id);
                put("anonymousId", anonymous_id);
                match kind {
                    "identify" => put("traits", object),
                    "group" => {
                        put("traits", object);
                        put("groupId", other_id);
                    }
                    "alias" => put("previousId", other_id),
                    _ => {
                        put("properties", object);
                        put("name", name);
                    }
                }
                (kind, Value::Object(payload))
            },
        )
}

proptest! {
    #![proptest_config(config())]

    /// Any payload of the five other calls gets one verdict from the reader plus
    /// validation and from the strict server, posted alone to the call's own path; what
    /// is read writes back to the JSON it was read from, and reads again the same.
    #[test]
    fn the_reader_and_the_strict_server_agree_on_the_other_calls(
        (kind, payload) in call_payload()
    ) {
        let json = to_json(&payload)?;
        let read = event_core::calls::AnyCall::from_json(&json);
        let ours = match &read {
            Ok(call) => call.validate().map_err(|errors| errors.to_string()),
            Err(error) => Err(error.to_string()),
        };
        let (server, transport) = server_in(&CALLS_SERVER);
        let endpoint = Endpoint::for_call_type(kind).expect("one of the six");
        let theirs = transport.send(Request { endpoint, body: &json });
        prop_assert_eq!(
            ours.is_ok(),
            theirs.is_ok(),
            "reader: {:?}\nserver: {:?}\n{}",
            ours,
            theirs,
            shown(&json)
        );
        if let Ok(call) = read {
            let written = to_json(&call)?;
            let again = event_core::calls::AnyCall::from_json(&written)
                .map_err(|error| TestCaseError::fail(format!("{error}\n{}", shown(&written))))?;
            prop_assert_eq!(to_json(&again)?, written.clone());
            if ours.is_ok() {
                let accepted = server.accepted();
                prop_assert_eq!(accepted.last(), Some(&payload));
            }
        }
    }
}
