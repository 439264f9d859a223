//! Reading the calls from JSON, by the rules [`Track`]'s reader follows (a key twice
//! anywhere refused, the `"type"` checked, date-times and `messageId` checked, unknown
//! top-level fields kept in `extra`), and [`AnyCall`], which reads any of the six by
//! its `"type"`.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Alias, Call, Group, Identify, Page, Screen, sealed};
use crate::ecommerce::EcommerceEvent;
use crate::envelope::{EnvelopeReader, Key, ObjectSeed, from_value, object_or_empty, required_id};
use crate::identity::Id;
use crate::json::{ParseError, ReadOptions, UniqueValue};
use crate::message_id::MessageId;
use crate::track::Track;
use crate::validate::{FieldPath, Validate, ValidationErrors};

/// A call read by [`CallVisitor`]: its type, and how its own fields are read and built
/// into it with the envelope.
trait ReadCall: Sized {
    /// The call's `"type"`.
    const KIND: &'static str;
    /// What the payload must be, for serde's "expected ..." messages.
    const EXPECTING: &'static str;
    /// The call's own fields, as read so far.
    type Own: Default;

    /// Reads the value of `key` when the call models it, saying whether it did.
    fn own<'de, A: MapAccess<'de>>(
        own: &mut Self::Own,
        key: &Key,
        map: &mut A,
    ) -> Result<bool, A::Error>;

    /// The call, from its own fields and the envelope.
    fn build<E: de::Error>(own: Self::Own, envelope: EnvelopeReader) -> Result<Self, E>;
}

struct CallVisitor<C>(PhantomData<C>);

impl<'de, C: ReadCall> Visitor<'de> for CallVisitor<C> {
    type Value = C;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(C::EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<C, A::Error> {
        let mut own = C::Own::default();
        let envelope = EnvelopeReader::read(C::KIND, map, |key, map| C::own(&mut own, key, map))?;
        C::build(own, envelope)
    }
}

/// Reads `traits` or `properties` into `slot`: a JSON object.
fn object<'de, T: DeserializeOwned, A: MapAccess<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
) -> Result<bool, A::Error> {
    *slot = Some(map.next_value_seed(ObjectSeed(PhantomData))?);
    Ok(true)
}

/// Reads a payload with `"type": "identify"` (or no `"type"`): `userId` or
/// `anonymousId` required, `traits` a JSON object (an empty one when left out). A
/// payload without `messageId` gets a fresh one; other top-level fields are kept in
/// [`Identify::extra`].
///
/// For errors that name the path of a wrong field, parse with [`crate::from_json`].
///
/// ```
/// use event_core::calls::Identify;
///
/// let json = br#"{"type": "identify", "userId": "u1", "traits": {"email": "ada@example.com"}}"#;
/// let identify: Identify = event_core::from_json(json)?;
/// assert_eq!(identify.traits["email"], "ada@example.com");
///
/// let error = event_core::from_json::<Identify>(br#"{"userId": "u1", "traits": ["vip"]}"#)
///     .unwrap_err();
/// assert_eq!(error.path(), "traits");
/// # Ok::<(), event_core::ParseError>(())
/// ```
impl<'de, T: DeserializeOwned> Deserialize<'de> for Identify<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(CallVisitor(PhantomData))
    }
}

impl<T: DeserializeOwned> ReadCall for Identify<T> {
    const KIND: &'static str = "identify";
    const EXPECTING: &'static str =
        "an identify payload: a JSON object with \"userId\" or \"anonymousId\", and \"traits\"";
    type Own = Option<T>;

    fn own<'de, A: MapAccess<'de>>(
        traits: &mut Option<T>,
        key: &Key,
        map: &mut A,
    ) -> Result<bool, A::Error> {
        match key {
            Key::Traits => object(traits, map),
            _ => Ok(false),
        }
    }

    fn build<E: de::Error>(traits: Option<T>, mut envelope: EnvelopeReader) -> Result<Self, E> {
        let traits = object_or_empty(traits, "traits")?;
        let identity = envelope.identity()?;
        let tail = envelope.tail();
        Ok(Identify {
            identity,
            traits,
            timestamp: tail.timestamp,
            message_id: tail.message_id,
            context: tail.context,
            integrations: tail.integrations,
            extra: tail.extra,
        })
    }
}

/// Reads a payload with `"type": "group"` (or no `"type"`): `userId` or `anonymousId`
/// required, `groupId` required (a string, not empty), `traits` a JSON object (an empty
/// one when left out). A payload without `messageId` gets a fresh one; other top-level
/// fields are kept in [`Group::extra`].
///
/// For errors that name the path of a wrong field, parse with [`crate::from_json`].
///
/// ```
/// use event_core::calls::Group;
///
/// let json = br#"{"type": "group", "userId": "u1", "groupId": "acme", "traits": {"plan": "pro"}}"#;
/// let group: Group = event_core::from_json(json)?;
/// assert_eq!(group.group_id.as_str(), "acme");
///
/// let error = event_core::from_json::<Group>(br#"{"userId": "u1", "traits": {}}"#).unwrap_err();
/// assert_eq!(error.path(), "groupId");
/// # Ok::<(), event_core::ParseError>(())
/// ```
impl<'de, T: DeserializeOwned> Deserialize<'de> for Group<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(CallVisitor(PhantomData))
    }
}

impl<T: DeserializeOwned> ReadCall for Group<T> {
    const KIND: &'static str = "group";
    const EXPECTING: &'static str = "a group payload: a JSON object with \"userId\" or \
                                     \"anonymousId\", \"groupId\", and \"traits\"";
    type Own = (Option<Id>, Option<T>);

    fn own<'de, A: MapAccess<'de>>(
        (group_id, traits): &mut Self::Own,
        key: &Key,
        map: &mut A,
    ) -> Result<bool, A::Error> {
        match key {
            Key::GroupId => {
                *group_id = map.next_value()?;
                Ok(true)
            }
            Key::Traits => object(traits, map),
            _ => Ok(false),
        }
    }

    fn build<E: de::Error>(
        (group_id, traits): Self::Own,
        mut envelope: EnvelopeReader,
    ) -> Result<Self, E> {
        let group_id = required_id(group_id, "groupId")?;
        let traits = object_or_empty(traits, "traits")?;
        let identity = envelope.identity()?;
        let tail = envelope.tail();
        Ok(Group {
            identity,
            group_id,
            traits,
            timestamp: tail.timestamp,
            message_id: tail.message_id,
            context: tail.context,
            integrations: tail.integrations,
            extra: tail.extra,
        })
    }
}

/// The readers of `page` and `screen`, which share their shape.
macro_rules! read_viewed {
    ($call:ident, $kind:literal) => {
        #[doc = concat!("Reads a payload with `\"type\": \"", $kind, "\"` (or no `\"type\"`): ")]
        /// `userId` or `anonymousId` required, `name` a string when present (`null` reads
        /// as none), `properties` a JSON object (an empty one when left out). A payload
        /// without `messageId` gets a fresh one; other top-level fields (`category`, ...)
        /// are kept in `extra`.
        ///
        /// For errors that name the path of a wrong field, parse with
        /// [`crate::from_json`].
        impl<'de, P: DeserializeOwned> Deserialize<'de> for $call<P> {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_map(CallVisitor(PhantomData))
            }
        }

        impl<P: DeserializeOwned> ReadCall for $call<P> {
            const KIND: &'static str = $kind;
            const EXPECTING: &'static str = concat!(
                "a ",
                $kind,
                " payload: a JSON object with \"userId\" or \"anonymousId\", and \"properties\""
            );
            type Own = (Option<String>, Option<P>);

            fn own<'de, A: MapAccess<'de>>(
                (name, properties): &mut Self::Own,
                key: &Key,
                map: &mut A,
            ) -> Result<bool, A::Error> {
                match key {
                    Key::Name => {
                        *name = map.next_value()?;
                        Ok(true)
                    }
                    Key::Properties => object(properties, map),
                    _ => Ok(false),
                }
            }

            fn build<E: de::Error>(
                (name, properties): Self::Own,
                mut envelope: EnvelopeReader,
            ) -> Result<Self, E> {
                let properties = object_or_empty(properties, "properties")?;
                let identity = envelope.identity()?;
                let tail = envelope.tail();
                Ok($call {
                    identity,
                    name,
                    properties,
                    timestamp: tail.timestamp,
                    message_id: tail.message_id,
                    context: tail.context,
                    integrations: tail.integrations,
                    extra: tail.extra,
                })
            }
        }
    };
}

read_viewed!(Page, "page");
read_viewed!(Screen, "screen");

/// Reads a payload with `"type": "alias"` (or no `"type"`): `userId` and `previousId`
/// required (strings, not empty), `anonymousId` kept when present. A payload without
/// `messageId` gets a fresh one; other top-level fields are kept in [`Alias::extra`].
///
/// For errors that name the path of a wrong field, parse with [`crate::from_json`].
///
/// ```
/// use event_core::calls::Alias;
///
/// let json = br#"{"type": "alias", "userId": "u1", "previousId": "anon_1"}"#;
/// let alias: Alias = event_core::from_json(json)?;
/// assert_eq!(alias.previous_id.as_str(), "anon_1");
///
/// let error = event_core::from_json::<Alias>(br#"{"type": "alias", "userId": "u1"}"#).unwrap_err();
/// assert_eq!(error.path(), "previousId");
/// # Ok::<(), event_core::ParseError>(())
/// ```
impl<'de> Deserialize<'de> for Alias {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(CallVisitor(PhantomData))
    }
}

impl ReadCall for Alias {
    const KIND: &'static str = "alias";
    const EXPECTING: &'static str =
        "an alias payload: a JSON object with \"userId\" and \"previousId\"";
    type Own = Option<Id>;

    fn own<'de, A: MapAccess<'de>>(
        previous_id: &mut Option<Id>,
        key: &Key,
        map: &mut A,
    ) -> Result<bool, A::Error> {
        match key {
            Key::PreviousId => *previous_id = map.next_value()?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn build<E: de::Error>(
        previous_id: Option<Id>,
        mut envelope: EnvelopeReader,
    ) -> Result<Self, E> {
        let user_id = required_id(envelope.user_id.take(), "userId")?;
        let previous_id = required_id(previous_id, "previousId")?;
        let anonymous_id = envelope.anonymous_id.take();
        let tail = envelope.tail();
        Ok(Alias {
            user_id,
            previous_id,
            anonymous_id,
            timestamp: tail.timestamp,
            message_id: tail.message_id,
            context: tail.context,
            integrations: tail.integrations,
            extra: tail.extra,
        })
    }
}

/// The six `"type"`s.
const TYPES: [&str; 6] = ["track", "identify", "group", "page", "screen", "alias"];

/// The `"type"` called `kind`, one of [`TYPES`].
fn call_type<E: de::Error>(kind: &str) -> Result<&'static str, E> {
    TYPES
        .into_iter()
        .find(|known| *known == kind)
        .ok_or_else(|| {
            E::custom(format_args!(
                "unknown call type {kind:?}: expected one of \"track\", \"identify\", \"group\", \
                 \"page\", \"screen\", \"alias\""
            ))
        })
}

/// The error for a payload with neither `"type"` nor `"event"`.
fn no_type<E: de::Error>() -> E {
    E::custom(
        "the payload has no \"type\": give one of \"track\", \"identify\", \"group\", \"page\", \
         \"screen\", \"alias\" (a payload with \"event\" and no \"type\" is read as a track call)",
    )
}

/// Any of the six calls, read by its `"type"`: what a file or a batch of mixed calls
/// holds.
///
/// Reading takes the `"type"` of the payload, and then reads it by that call's own
/// rules; a payload without `"type"` but with `"event"` is a track call. Track calls
/// are read as [`Track`]`<`[`EcommerceEvent`]`>`, so the [`ReadOptions`] in force
/// (near-miss and reserved event names) apply to them. `AnyCall` serializes back to the
/// call's own payload, validates as the call does, and is queued by
/// [`Client::enqueue`](crate::Client::enqueue) like any call.
///
/// [`AnyCall::from_json`] reads one with errors that name the path of a wrong field;
/// through serde (a batch of them, say) the path inside the call is at the start of the
/// message.
///
/// ```
/// use event_core::calls::{AnyCall, Call};
/// use event_core::Validate;
///
/// let lines = [
///     r#"{"type": "identify", "userId": "u1", "traits": {"email": "ada@example.com"}}"#,
///     r#"{"userId": "u1", "event": "Product Viewed", "properties": {"product_id": "p1"}}"#,
///     r#"{"type": "alias", "userId": "u1", "previousId": "anon_1"}"#,
/// ];
/// let calls = lines
///     .iter()
///     .map(|line| AnyCall::from_json(line.as_bytes()))
///     .collect::<Result<Vec<_>, _>>()?;
/// let types: Vec<_> = calls.iter().map(AnyCall::call_type).collect();
/// assert_eq!(types, ["identify", "track", "alias"]);
/// assert!(calls.iter().all(|call| call.validate().is_ok()));
/// assert_eq!(serde_json::to_value(&calls[2]).unwrap()["previousId"], "anon_1");
///
/// let error = AnyCall::from_json(br#"{"type": "identity", "userId": "u1"}"#).unwrap_err();
/// assert_eq!(error.path(), "type");
/// assert!(error.message().starts_with("unknown call type \"identity\""));
/// # Ok::<(), event_core::ParseError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
// Track calls are the common case: boxing them would cost an allocation on each to
// make the rarer calls smaller.
#[allow(clippy::large_enum_variant)]
pub enum AnyCall {
    /// A `"type": "track"` call (or a payload with `"event"` and no `"type"`).
    Track(Track<EcommerceEvent>),
    /// A `"type": "identify"` call.
    Identify(Identify),
    /// A `"type": "group"` call.
    Group(Group),
    /// A `"type": "page"` call.
    Page(Page),
    /// A `"type": "screen"` call.
    Screen(Screen),
    /// A `"type": "alias"` call.
    Alias(Alias),
}

/// Applies `$body` to the call inside `$any`, bound to `$call`.
macro_rules! each {
    ($any:expr, $call:ident => $body:expr) => {
        match $any {
            AnyCall::Track($call) => $body,
            AnyCall::Identify($call) => $body,
            AnyCall::Group($call) => $body,
            AnyCall::Page($call) => $body,
            AnyCall::Screen($call) => $body,
            AnyCall::Alias($call) => $body,
        }
    };
}

impl AnyCall {
    /// Reads one call from `json` by its `"type"`, with errors that name the path of a
    /// wrong field (`traits`, `previousId`, `properties.products[0].price`), under the
    /// [`ReadOptions`] in force on this thread (the defaults, unless inside
    /// [`ReadOptions::from_json`]).
    ///
    /// # Errors
    ///
    /// [`ParseError`] when `json` is not valid JSON, its `"type"` is not one of the
    /// six, or it breaks that call's rules.
    pub fn from_json(json: &[u8]) -> Result<AnyCall, ParseError> {
        AnyCall::from_json_with(json, ReadOptions::current())
    }

    /// As [`from_json`](Self::from_json), reading a track call with `options`.
    ///
    /// ```
    /// use event_core::calls::AnyCall;
    /// use event_core::ReadOptions;
    ///
    /// let json = br#"{"type": "track", "userId": "u1", "event": "User Deleted"}"#;
    /// assert_eq!(AnyCall::from_json(json).unwrap_err().path(), "event");
    /// let call = AnyCall::from_json_with(json, ReadOptions::new().allow_reserved(true))?;
    /// assert_eq!(call.call_type(), "track");
    /// # Ok::<(), event_core::ParseError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`from_json`](Self::from_json).
    pub fn from_json_with(json: &[u8], options: ReadOptions) -> Result<AnyCall, ParseError> {
        // Most payloads are track calls: read as one first. Only when that fails is the
        // type read alone, then the payload by that call's reader, so that the path of
        // an error is tracked all the way down.
        let track_error = match options.from_json(json) {
            Ok(track) => return Ok(AnyCall::Track(track)),
            Err(error) => error,
        };
        let CallType(kind) = crate::from_json(json)?;
        Ok(match kind {
            "track" => return Err(track_error),
            "identify" => AnyCall::Identify(crate::from_json(json)?),
            "group" => AnyCall::Group(crate::from_json(json)?),
            "page" => AnyCall::Page(crate::from_json(json)?),
            "screen" => AnyCall::Screen(crate::from_json(json)?),
            _ => AnyCall::Alias(crate::from_json(json)?),
        })
    }

    /// The call's `"type"`: `"track"`, `"identify"`, `"group"`, `"page"`, `"screen"` or
    /// `"alias"`.
    pub fn call_type(&self) -> &'static str {
        each!(self, call => Call::call_type(call))
    }

    /// The `messageId` the server deduplicates by.
    pub fn message_id(&self) -> &MessageId {
        each!(self, call => &call.message_id)
    }

    /// Replaces the `messageId` (for a call read without one that must keep the same id
    /// on every run).
    pub fn set_message_id(&mut self, message_id: MessageId) {
        each!(self, call => call.message_id = message_id);
    }
}

impl From<Track<EcommerceEvent>> for AnyCall {
    fn from(call: Track<EcommerceEvent>) -> Self {
        AnyCall::Track(call)
    }
}

impl From<Identify> for AnyCall {
    fn from(call: Identify) -> Self {
        AnyCall::Identify(call)
    }
}

impl From<Group> for AnyCall {
    fn from(call: Group) -> Self {
        AnyCall::Group(call)
    }
}

impl From<Page> for AnyCall {
    fn from(call: Page) -> Self {
        AnyCall::Page(call)
    }
}

impl From<Screen> for AnyCall {
    fn from(call: Screen) -> Self {
        AnyCall::Screen(call)
    }
}

impl From<Alias> for AnyCall {
    fn from(call: Alias) -> Self {
        AnyCall::Alias(call)
    }
}

impl sealed::Sealed for AnyCall {}

impl Call for AnyCall {
    fn call_type(&self) -> &'static str {
        AnyCall::call_type(self)
    }

    fn message_id(&self) -> &MessageId {
        AnyCall::message_id(self)
    }
}

impl Validate for AnyCall {
    /// Validates the call by its own rules.
    fn validate_at(&self, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
        each!(self, call => call.validate_at(path, errors));
    }
}

impl Serialize for AnyCall {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        each!(self, call => call.serialize(serializer))
    }
}

/// Reads a payload by its `"type"`, as [`AnyCall::from_json`] does, from any serde
/// reader. The payload is held whole while its type is found, so the path of an error
/// inside the call starts its message (`traits: must be a JSON object ...`).
impl<'de> Deserialize<'de> for AnyCall {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let UniqueValue(value) = UniqueValue::deserialize(deserializer)?;
        let Some(object) = value.as_object() else {
            return Err(de::Error::invalid_type(
                unexpected(&value),
                &"a call: a JSON object with a \"type\"",
            ));
        };
        let kind = match object.get("type") {
            Some(serde_json::Value::String(kind)) => call_type(kind)?,
            Some(other) => {
                return Err(de::Error::custom(format_args!(
                    "type: invalid type: {}, expected a string",
                    unexpected(other)
                )));
            }
            None if object.contains_key("event") => "track",
            None => return Err(no_type()),
        };
        Ok(match kind {
            "track" => AnyCall::Track(from_value(value)?),
            "identify" => AnyCall::Identify(from_value(value)?),
            "group" => AnyCall::Group(from_value(value)?),
            "page" => AnyCall::Page(from_value(value)?),
            "screen" => AnyCall::Screen(from_value(value)?),
            _ => AnyCall::Alias(from_value(value)?),
        })
    }
}

/// A JSON value, described for serde's "invalid type" messages.
fn unexpected(value: &serde_json::Value) -> de::Unexpected<'_> {
    match value {
        serde_json::Value::Null => de::Unexpected::Unit,
        serde_json::Value::Bool(value) => de::Unexpected::Bool(*value),
        serde_json::Value::Number(_) => de::Unexpected::Other("a number"),
        serde_json::Value::String(value) => de::Unexpected::Str(value),
        serde_json::Value::Array(_) => de::Unexpected::Seq,
        serde_json::Value::Object(_) => de::Unexpected::Map,
    }
}

/// The `"type"` of a payload, alone: what [`AnyCall::from_json_with`] reads first. The
/// rest of the payload is skipped; the call's own reader checks it.
struct CallType(&'static str);

impl<'de> Deserialize<'de> for CallType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TypeVisitor;
        impl<'de> Visitor<'de> for TypeVisitor {
            type Value = CallType;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a call: a JSON object with a \"type\"")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<CallType, A::Error> {
                let mut kind = None;
                let mut has_event = false;
                while let Some(key) = map.next_key::<Key>()? {
                    match key {
                        Key::Type => kind = Some(map.next_value_seed(TypeSeed)?),
                        Key::Event => {
                            has_event = true;
                            map.next_value::<IgnoredAny>()?;
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                match (kind, has_event) {
                    (Some(kind), _) => Ok(CallType(kind)),
                    (None, true) => Ok(CallType("track")),
                    (None, false) => Err(no_type()),
                }
            }
        }
        deserializer.deserialize_map(TypeVisitor)
    }
}

/// The `"type"`'s value, checked inside it so that an error's path is `type`.
struct TypeSeed;

impl<'de> DeserializeSeed<'de> for TypeSeed {
    type Value = &'static str;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<&'static str, D::Error> {
        let kind = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        call_type(&kind)
    }
}
