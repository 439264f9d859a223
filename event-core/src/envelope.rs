//! The envelope every call shares: who, when, `messageId`, context, integrations, and
//! the top-level fields no type models. Written, read and checked here once for
//! [`Track`](crate::Track) and the calls of [`crate::calls`].

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer};

use crate::context::{Context, Extra};
use crate::identity::{Id, Identity, IdentityError};
use crate::integrations::Integrations;
use crate::json::{UniqueValue, duplicate_key};
use crate::message_id::MessageId;
use crate::timestamp::{Timestamp, kind_of, validate_json_timestamp};
use crate::validate::{ErrorCode, FieldPath, Param, ValidationError, ValidationErrors};

/// The envelope's top-level keys, common to every call.
pub(crate) const KEYS: [&str; 7] = [
    "userId",
    "anonymousId",
    "type",
    "timestamp",
    "messageId",
    "context",
    "integrations",
];

/// The envelope's date-times other than `timestamp`, kept in `extra`, which the API
/// checks as it checks `timestamp`.
const TIME_FIELDS: [&str; 3] = ["originalTimestamp", "sentAt", "receivedAt"];

/// The envelope's parts after the ids, the type and the call's own fields.
pub(crate) struct Tail<'a> {
    pub(crate) timestamp: &'a Option<Timestamp>,
    pub(crate) message_id: &'a MessageId,
    pub(crate) context: &'a Context,
    pub(crate) integrations: &'a Integrations,
    pub(crate) extra: &'a Extra,
}

impl Tail<'_> {
    /// Writes `timestamp`, `messageId`, `context`, `integrations` (the last two when not
    /// empty), then each entry of `extra` that `modelled` does not claim: a modelled
    /// field is written once, from its typed value.
    pub(crate) fn serialize<M: SerializeMap>(
        &self,
        out: &mut M,
        modelled: impl Fn(&str) -> bool,
    ) -> Result<(), M::Error> {
        if let Some(timestamp) = self.timestamp {
            out.serialize_entry("timestamp", timestamp)?;
        }
        out.serialize_entry("messageId", self.message_id)?;
        if !self.context.is_empty() {
            out.serialize_entry("context", self.context)?;
        }
        if !self.integrations.is_empty() {
            out.serialize_entry("integrations", self.integrations)?;
        }
        for (key, value) in self.extra {
            if !modelled(key) {
                out.serialize_entry(key, value)?;
            }
        }
        Ok(())
    }

    /// Checks `timestamp`, and `originalTimestamp`, `sentAt` and `receivedAt` when
    /// `extra` holds them (RFC 3339 strings of the years 0001 to 9999, no leap second).
    /// An entry of `extra` that `modelled` claims is an error: it would be dropped.
    pub(crate) fn validate(
        &self,
        path: &FieldPath<'_>,
        call: &str,
        modelled: impl Fn(&str) -> bool,
        errors: &mut ValidationErrors,
    ) {
        crate::validate::Validate::validate_at(self.timestamp, &path.field("timestamp"), errors);
        for (key, value) in self.extra {
            if TIME_FIELDS.contains(&key.as_str()) {
                validate_json_timestamp(value, &path.key(key), errors);
            } else if modelled(key) {
                errors.push(
                    ValidationError::new(
                        &path.key(key),
                        ErrorCode::DuplicateKey,
                        format!(
                            "is a field of {call} itself, so this entry of `extra` would be \
                             dropped: set the field instead and remove the entry"
                        ),
                    )
                    .with_param("key", Param::Text(key.clone())),
                );
            }
        }
    }
}

/// Writes `userId` and `anonymousId`, those present.
pub(crate) fn serialize_ids<M: SerializeMap>(
    out: &mut M,
    user_id: Option<&str>,
    anonymous_id: Option<&str>,
) -> Result<(), M::Error> {
    if let Some(user_id) = user_id {
        out.serialize_entry("userId", user_id)?;
    }
    if let Some(anonymous_id) = anonymous_id {
        out.serialize_entry("anonymousId", anonymous_id)?;
    }
    Ok(())
}

/// The setters of the envelope's parts, alike on every call (`Track` and the calls of
/// `calls`), and `tail()`, which writes and checks them. Expanded in each call's `impl`,
/// where `Timestamp`, `MessageId`, `Context`, `Integrations` and `Tail` are in scope.
macro_rules! envelope_setters {
    () => {
        /// Sets when the call happened; the server uses the receive time when `None`.
        #[must_use]
        pub fn timestamp(mut self, timestamp: impl Into<Option<Timestamp>>) -> Self {
            self.timestamp = timestamp.into();
            self
        }

        /// Sets the `messageId`, for a call that already has one.
        #[must_use]
        pub fn message_id(mut self, message_id: MessageId) -> Self {
            self.message_id = message_id;
            self
        }

        /// Replaces the whole context (including `library`).
        #[must_use]
        pub fn context(mut self, context: Context) -> Self {
            self.context = context;
            self
        }

        /// Sets which destinations receive the call.
        #[must_use]
        pub fn integrations(mut self, integrations: Integrations) -> Self {
            self.integrations = integrations;
            self
        }

        /// The envelope's parts written and checked as every call's are.
        fn tail(&self) -> Tail<'_> {
            Tail {
                timestamp: &self.timestamp,
                message_id: &self.message_id,
                context: &self.context,
                integrations: &self.integrations,
                extra: &self.extra,
            }
        }
    };
}
pub(crate) use envelope_setters;

/// The top-level keys of a payload: the envelope's, and those each call models. A call
/// keeps the keys it does not model (`properties` on an identify) in `extra`.
pub(crate) enum Key {
    UserId,
    AnonymousId,
    Type,
    Timestamp,
    MessageId,
    Context,
    Integrations,
    Event,
    Properties,
    Traits,
    GroupId,
    Name,
    PreviousId,
    Other(String),
}

impl Key {
    /// The bit of a named key, to find one given twice.
    fn bit(&self) -> Option<u16> {
        Some(
            1 << match self {
                Key::UserId => 0,
                Key::AnonymousId => 1,
                Key::Type => 2,
                Key::Timestamp => 3,
                Key::MessageId => 4,
                Key::Context => 5,
                Key::Integrations => 6,
                Key::Event => 7,
                Key::Properties => 8,
                Key::Traits => 9,
                Key::GroupId => 10,
                Key::Name => 11,
                Key::PreviousId => 12,
                Key::Other(_) => return None,
            },
        )
    }

    /// The key's wire name.
    pub(crate) fn name(&self) -> &str {
        match self {
            Key::UserId => "userId",
            Key::AnonymousId => "anonymousId",
            Key::Type => "type",
            Key::Timestamp => "timestamp",
            Key::MessageId => "messageId",
            Key::Context => "context",
            Key::Integrations => "integrations",
            Key::Event => "event",
            Key::Properties => "properties",
            Key::Traits => "traits",
            Key::GroupId => "groupId",
            Key::Name => "name",
            Key::PreviousId => "previousId",
            Key::Other(name) => name,
        }
    }

    /// The named key called `name`, if it is one.
    fn of(name: &str) -> Option<Key> {
        Some(match name {
            "userId" => Key::UserId,
            "anonymousId" => Key::AnonymousId,
            "type" => Key::Type,
            "timestamp" => Key::Timestamp,
            "messageId" => Key::MessageId,
            "context" => Key::Context,
            "integrations" => Key::Integrations,
            "event" => Key::Event,
            "properties" => Key::Properties,
            "traits" => Key::Traits,
            "groupId" => Key::GroupId,
            "name" => Key::Name,
            "previousId" => Key::PreviousId,
            _ => return None,
        })
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
                Ok(Key::of(key).unwrap_or_else(|| Key::Other(key.to_owned())))
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// The envelope of a payload as it is read: every call's reader hands it the keys it
/// does not model itself.
pub(crate) struct EnvelopeReader {
    /// The call's `"type"`.
    kind: &'static str,
    /// Which named keys were read: one found twice is an error, as serde_json would
    /// keep the last and other readers the first.
    seen: u16,
    pub(crate) user_id: Option<Id>,
    pub(crate) anonymous_id: Option<Id>,
    timestamp: Option<Timestamp>,
    message_id: Option<MessageId>,
    context: Option<Context>,
    integrations: Option<Integrations>,
    extra: Extra,
}

/// The envelope's parts once read: absent ones filled in (a fresh `messageId`, an
/// empty context and integrations).
pub(crate) struct ReadTail {
    pub(crate) timestamp: Option<Timestamp>,
    pub(crate) message_id: MessageId,
    pub(crate) context: Context,
    pub(crate) integrations: Integrations,
    pub(crate) extra: Extra,
}

impl EnvelopeReader {
    /// Reads the whole object of a call of type `kind`: each key goes to `own` first,
    /// which reads its value and says `true` when the call models it; the envelope
    /// reads the rest, keeping unknown keys in `extra`.
    pub(crate) fn read<'de, A: MapAccess<'de>>(
        kind: &'static str,
        mut map: A,
        mut own: impl FnMut(&Key, &mut A) -> Result<bool, A::Error>,
    ) -> Result<EnvelopeReader, A::Error> {
        let mut envelope = EnvelopeReader {
            kind,
            seen: 0,
            user_id: None,
            anonymous_id: None,
            timestamp: None,
            message_id: None,
            context: None,
            integrations: None,
            extra: Extra::new(),
        };
        while let Some(key) = map.next_key::<Key>()? {
            if let Some(bit) = key.bit() {
                if envelope.seen & bit != 0 {
                    return Err(duplicate_key(key.name()));
                }
                envelope.seen |= bit;
            }
            if !own(&key, &mut map)? {
                envelope.value(key, &mut map)?;
            }
        }
        Ok(envelope)
    }

    /// Reads the value of `key`, an envelope key or one the call does not model.
    fn value<'de, A: MapAccess<'de>>(&mut self, key: Key, map: &mut A) -> Result<(), A::Error> {
        match key {
            Key::UserId => self.user_id = map.next_value::<Option<Id>>()?,
            Key::AnonymousId => self.anonymous_id = map.next_value::<Option<Id>>()?,
            Key::Type => map.next_value_seed(TypeSeed(self.kind))?,
            Key::Timestamp => self.timestamp = map.next_value()?,
            Key::MessageId => self.message_id = map.next_value()?,
            Key::Context => self.context = map.next_value_seed(NoDuplicateKeys(PhantomData))?,
            Key::Integrations => {
                self.integrations = map.next_value_seed(NoDuplicateKeys(PhantomData))?;
            }
            other => {
                let key = match other {
                    Key::Other(key) => key,
                    named => named.name().to_owned(),
                };
                if self.extra.contains_key(&key) {
                    return Err(duplicate_key(&key));
                }
                let UniqueValue(value) = map.next_value()?;
                self.extra.insert(key, value);
            }
        }
        Ok(())
    }

    /// Who the call is about: `userId`, `anonymousId`, or both; one is required.
    pub(crate) fn identity<E: de::Error>(&mut self) -> Result<Identity, E> {
        Identity::from_parts(self.user_id.take(), self.anonymous_id.take()).map_err(|error| {
            match error {
                IdentityError::Missing => E::custom(format_args!(
                    "{} {} call needs a userId or an anonymousId (or both); neither was given",
                    article(self.kind),
                    self.kind
                )),
                other => E::custom(other),
            }
        })
    }

    /// The rest of the envelope.
    pub(crate) fn tail(self) -> ReadTail {
        ReadTail {
            timestamp: self.timestamp,
            message_id: self.message_id.unwrap_or_else(MessageId::new),
            context: self.context.unwrap_or_default(),
            integrations: self.integrations.unwrap_or_default(),
            extra: self.extra,
        }
    }
}

/// "a" or "an", for a call's type.
fn article(kind: &str) -> &'static str {
    if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// The `"type"`, which must be the call's: checked inside the value, so that an
/// error's path is `type`.
struct TypeSeed(&'static str);

impl<'de> DeserializeSeed<'de> for TypeSeed {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let expected = self.0;
        let kind = String::deserialize(deserializer)?;
        if kind != expected {
            return Err(de::Error::custom(format_args!(
                "expected \"type\": \"{expected}\", found {kind:?}: only {expected} calls are \
                 read here"
            )));
        }
        Ok(())
    }
}

/// Reads `T` from `value`, an error naming the path inside it.
pub(crate) fn from_value<T: DeserializeOwned, E: de::Error>(
    value: serde_json::Value,
) -> Result<T, E> {
    serde_path_to_error::deserialize(value).map_err(|error| match error.path().to_string() {
        root if root == "." => E::custom(error.into_inner()),
        path => E::custom(format_args!("{path}: {}", error.into_inner())),
    })
}

/// Reads a `T` from a JSON value in which no object holds a key twice (`T`'s own
/// derive would let a repeated key of a flattened map through, the last one winning);
/// `null` reads as `None`.
pub(crate) struct NoDuplicateKeys<T>(pub(crate) PhantomData<T>);

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for NoDuplicateKeys<T> {
    type Value = Option<T>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        let UniqueValue(value) = UniqueValue::deserialize(deserializer)?;
        if value.is_null() {
            return Ok(None);
        }
        from_value(value).map(Some)
    }
}

/// Reads a call's `traits` or `properties` as `T`: a JSON object in which no object
/// holds a key twice.
pub(crate) struct ObjectSeed<T>(pub(crate) PhantomData<T>);

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for ObjectSeed<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        let UniqueValue(value) = UniqueValue::deserialize(deserializer)?;
        if !value.is_object() {
            let found = kind_of(&value);
            return Err(de::Error::custom(format_args!(
                "must be a JSON object {{...}}, found {found}: write each entry as \"name\": value, \
                 or leave the field out for none"
            )));
        }
        from_value(value)
    }
}

/// A call's `traits` or `properties` (`field`) as read, or, when left out, `T` read from
/// an empty object; when `T` needs entries, the error that `field` is missing.
pub(crate) fn object_or_empty<T: DeserializeOwned, E: de::Error>(
    read: Option<T>,
    field: &'static str,
) -> Result<T, E> {
    match read {
        Some(object) => Ok(object),
        None => T::deserialize(serde_json::Value::Object(serde_json::Map::new()))
            .map_err(|_| E::missing_field(field)),
    }
}

/// Reads a required id: present, a string, not empty.
pub(crate) fn required_id<E: de::Error>(id: Option<Id>, field: &'static str) -> Result<Id, E> {
    id.ok_or_else(|| E::missing_field(field))
}
