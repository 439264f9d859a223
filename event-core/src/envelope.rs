//! The envelope every call shares: who, when, `messageId`, context, integrations, and
//! the top-level fields no type models. Written and checked here once for
//! [`Track`](crate::Track) and the calls of [`crate::calls`].

use serde::ser::SerializeMap;

use crate::context::{Context, Extra};
use crate::integrations::Integrations;
use crate::message_id::MessageId;
use crate::timestamp::{Timestamp, validate_json_timestamp};
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
