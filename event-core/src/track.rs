//! The track call: an event plus who, when, where, and which destinations.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::context::{Context, Extra};
use crate::envelope::{EnvelopeReader, KEYS, Key, Tail, serialize_ids};
use crate::event::{DeserializeEvent, TrackEvent};
use crate::identity::Identity;
use crate::integrations::Integrations;
use crate::json::UniqueValue;
use crate::message_id::MessageId;
use crate::timestamp::Timestamp;
use crate::validate::{ErrorCode, FieldPath, Validate, ValidationError, ValidationErrors};

/// A `"type": "track"` call carrying the event `E`.
///
/// Serializes to the exact wire payload:
/// `{"userId", "anonymousId", "type": "track", "event", "properties", "timestamp",
/// "messageId", "context", "integrations"}`, where `"event"` is the event's name and
/// `"properties"` the event itself. Absent optional parts are left out.
///
/// ```
/// use event_core::{Identity, SemanticEvent, Track};
/// use serde::Serialize;
///
/// #[derive(Serialize, SemanticEvent)]
/// #[semantic_event(name = "Coupon Entered")]
/// struct CouponEntered {
///     coupon_id: Option<String>,
/// }
///
/// let track = Track::new(
///     Identity::user("user_12345")?,
///     CouponEntered { coupon_id: Some("NEWUSER20".into()) },
/// );
/// let json = serde_json::to_value(&track)?;
/// assert_eq!(json["type"], "track");
/// assert_eq!(json["event"], "Coupon Entered");
/// assert_eq!(json["properties"]["coupon_id"], "NEWUSER20");
/// assert_eq!(json["context"]["library"]["name"], "event-core");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Track<E> {
    /// Who the event is about.
    pub identity: Identity,
    /// The event: its name and, serialized, the `properties`.
    pub event: E,
    /// When it happened; the server uses the receive time when `None`.
    pub timestamp: Option<Timestamp>,
    /// The id that lets the server drop duplicates; kept on every retry.
    pub message_id: MessageId,
    /// Where and how the event was collected.
    pub context: Context,
    /// Which destinations receive it.
    pub integrations: Integrations,
    /// Top-level fields this type does not model (`channel`, `originalTimestamp`, ...),
    /// kept so that a payload read and sent again loses nothing.
    pub extra: Extra,
}

impl<E> Track<E> {
    /// A call for `event` about `identity`, happening now, with a fresh `messageId` and
    /// this crate named as `context.library`.
    pub fn new(identity: Identity, event: E) -> Self {
        Track {
            identity,
            event,
            timestamp: Some(Timestamp::now()),
            message_id: MessageId::new(),
            context: Context::with_this_library(),
            integrations: Integrations::default(),
            extra: Extra::new(),
        }
    }

    crate::envelope::envelope_setters!();
}

impl<E: TrackEvent> Track<E> {
    /// The payload's `"event"`: the event's name.
    pub fn event_name(&self) -> &str {
        self.event.event_name()
    }
}

impl<E: TrackEvent + Validate> Validate for Track<E> {
    /// Validates the event name (never empty), the event, whose errors are reported
    /// under `properties`, and the date-times: `timestamp`, and `originalTimestamp`,
    /// `sentAt` and `receivedAt` when [`Track::extra`] holds them (RFC 3339 strings of
    /// the years 0001 to 9999, no leap second). An entry of `extra` named like a field
    /// of `Track` (`"event"`, `"timestamp"`, ...) is an error: it would be dropped.
    fn validate_at(&self, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
        if self.event.event_name().trim().is_empty() {
            errors.push(ValidationError::new(
                &path.field("event"),
                ErrorCode::NonEmpty,
                "the event name must not be empty",
            ));
        }
        self.event.validate_at(&path.field("properties"), errors);
        self.tail().validate(path, "Track", modelled, errors);
    }
}

impl<E: TrackEvent + Serialize> Serialize for Track<E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_map(None)?;
        serialize_ids(
            &mut out,
            self.identity.user_id(),
            self.identity.anonymous_id(),
        )?;
        out.serialize_entry("type", "track")?;
        out.serialize_entry("event", self.event.event_name())?;
        out.serialize_entry("properties", &self.event)?;
        self.tail().serialize(&mut out, modelled)?;
        out.end()
    }
}

/// Whether `key` is a top-level field of `Track` itself.
fn modelled(key: &str) -> bool {
    KEYS.contains(&key) || key == "event" || key == "properties"
}

/// Reads a wire payload. `type`, when present, must be `"track"`; `event` must name an
/// event `E` accepts; `userId` or `anonymousId` must be present and not empty. A
/// payload without `messageId` gets a fresh one. Other top-level fields are kept in
/// [`Track::extra`].
///
/// For errors that name the path of a wrong field, parse with [`crate::from_json`].
impl<'de, E: DeserializeEvent<'de>> Deserialize<'de> for Track<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(TrackVisitor(PhantomData))
    }
}

struct TrackVisitor<E>(PhantomData<E>);

enum Properties<E> {
    Missing,
    Parsed(E),
    /// `properties` came before `event`: kept until the name is known.
    Buffered(serde_json::Value),
}

impl<'de, E: DeserializeEvent<'de>> Visitor<'de> for TrackVisitor<E> {
    type Value = Track<E>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "a track payload: a JSON object with \"event\" and \"userId\" or \"anonymousId\"",
        )
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Track<E>, A::Error> {
        let mut event_name: Option<String> = None;
        let mut properties = Properties::Missing;
        let mut envelope = EnvelopeReader::read("track", map, |key, map| {
            match key {
                Key::Event => {
                    // Checked inside the value, so that an error's path is `event`.
                    let name = map.next_value_seed(EventName::<E>(PhantomData))?;
                    event_name = Some(name);
                }
                Key::Properties => {
                    properties = match &event_name {
                        Some(name) => Properties::Parsed(map.next_value_seed(EventSeed::<E> {
                            name,
                            marker: PhantomData,
                        })?),
                        None => Properties::Buffered(map.next_value::<UniqueValue>()?.0),
                    };
                }
                _ => return Ok(false),
            }
            Ok(true)
        })?;

        let name = event_name.ok_or_else(|| de::Error::missing_field("event"))?;
        let event = match properties {
            Properties::Parsed(event) => event,
            Properties::Missing => {
                let empty = serde_json::Value::Object(serde_json::Map::new());
                E::deserialize_event(&name, empty).map_err(de::Error::custom)?
            }
            Properties::Buffered(value) => {
                // Read after the whole object: track the inner path ourselves.
                let mut inner = serde_path_to_error::Track::new();
                let deserializer = serde_path_to_error::Deserializer::new(value, &mut inner);
                E::deserialize_event(&name, deserializer).map_err(|error| {
                    match inner.path().to_string() {
                        root if root == "." => {
                            de::Error::custom(format_args!("properties: {error}"))
                        }
                        path => de::Error::custom(format_args!("properties.{path}: {error}")),
                    }
                })?
            }
        };
        let identity = envelope.identity()?;
        let tail = envelope.tail();
        Ok(Track {
            identity,
            event,
            timestamp: tail.timestamp,
            message_id: tail.message_id,
            context: tail.context,
            integrations: tail.integrations,
            extra: tail.extra,
        })
    }
}

/// The `"event"` name, checked: not blank, accepted by `E`, and not refused by it.
struct EventName<E>(PhantomData<E>);

impl<'de, E: DeserializeEvent<'de>> DeserializeSeed<'de> for EventName<E> {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        let name = String::deserialize(deserializer)?;
        if name.trim().is_empty() {
            return Err(de::Error::custom(
                "\"event\" must name the event; it is empty",
            ));
        }
        if !E::accepts_event_name(&name) {
            return Err(de::Error::custom(format_args!(
                "expected event {}, found {name:?}",
                E::expected_event_names()
            )));
        }
        if let Some(refusal) = E::refused_event_name(&name) {
            return Err(de::Error::custom(refusal));
        }
        Ok(name)
    }
}

struct EventSeed<'n, E> {
    name: &'n str,
    marker: PhantomData<E>,
}

impl<'de, E: DeserializeEvent<'de>> DeserializeSeed<'de> for EventSeed<'_, E> {
    type Value = E;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<E, D::Error> {
        E::deserialize_event(self.name, deserializer)
    }
}
