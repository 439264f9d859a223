//! The calls beside [`Track`]: [`Identify`], [`Group`], [`Page`], [`Screen`] and
//! [`Alias`], on the same envelope, and the [`Call`] trait the client queues any of the
//! six through.
//!
//! Every call shares the envelope of `track`: `userId` and/or `anonymousId`, `"type"`,
//! `timestamp`, `messageId`, `context`, `integrations`, and the top-level fields no type
//! models, kept in `extra`. Each adds its own fields:
//!
//! | call | `"type"` | its own fields |
//! |---|---|---|
//! | [`Track`] | `"track"` | `event` (the name), `properties` (an object) |
//! | [`Identify`] | `"identify"` | `traits` (an object) |
//! | [`Group`] | `"group"` | `groupId` (a string), `traits` (an object) |
//! | [`Page`] | `"page"` | `name` (a string, optional), `properties` (an object) |
//! | [`Screen`] | `"screen"` | `name` (a string, optional), `properties` (an object) |
//! | [`Alias`] | `"alias"` | `previousId` (a string); `userId` is required |
//!
//! `identify`, `group`, `page` and `screen` need `userId` or `anonymousId`; `alias`
//! needs `userId` (the id the person is known by from now on) and `previousId` (the id
//! they were known by), and may carry an `anonymousId`. These are the shapes of the
//! Segment Spec (<https://segment.com/docs/connections/spec/identify/>, `.../group/`,
//! `.../page/`, `.../screen/`, `.../alias/`, with the common fields in `.../common/`),
//! which Customer.io's Data Pipelines API follows
//! (<https://docs.customer.io/api/cdp/>: `POST /v1/identify`, `/v1/group`, `/v1/page`,
//! `/v1/screen`, `/v1/alias`, and items of any type in `/v1/batch`).
//!
//! Traits and properties serialize to a JSON object. Traits are checked while compiling
//! when they are a `#[derive(Traits)]` struct ([`PersonTraits`], [`GroupTraits`]); a map
//! ([`serde_json::Map`], the default, or `json!({...})`) is checked when queued only.
//! Properties are any `Serialize + Validate` value. [`AnyCall`] reads any of the six
//! calls from JSON by its `"type"`.
//!
//! ```
//! use event_core::{Id, Identity};
//! use event_core::calls::{Alias, Identify, Page};
//! use serde_json::json;
//!
//! let identify = Identify::new(
//!     Identity::user("user_12345")?,
//!     json!({"email": "ada@example.com", "name": "Ada"}),
//! );
//! let wire = serde_json::to_value(&identify)?;
//! assert_eq!(wire["type"], "identify");
//! assert_eq!(wire["traits"]["email"], "ada@example.com");
//!
//! let page = Page::new(Identity::anonymous("anon_1")?, "Pricing", json!({"path": "/pricing"}));
//! assert_eq!(serde_json::to_value(&page)?["name"], "Pricing");
//!
//! let alias = Alias::new(Id::new("user_12345")?, Id::new("anon_1")?);
//! let wire = serde_json::to_value(&alias)?;
//! assert_eq!((&wire["userId"], &wire["previousId"]), (&json!("user_12345"), &json!("anon_1")));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod object;
mod read;
mod traits;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::context::{Context, Extra};
use crate::envelope::{KEYS, Tail, serialize_ids};
use crate::event::TrackEvent;
use crate::identity::{Id, Identity};
use crate::integrations::Integrations;
use crate::message_id::MessageId;
use crate::timestamp::Timestamp;
use crate::track::Track;
use crate::validate::{ErrorCode, FieldPath, Validate, ValidationError, ValidationErrors};

pub use read::AnyCall;
#[doc(hidden)]
pub use traits::{CheckedGroupTraits, CheckedPersonTraits};
#[doc(hidden)]
pub use traits::{EmailOfOther, EmailOfText, ReservedEmail};
pub use traits::{GroupTraits, PersonTraits};

/// The default traits and properties: any JSON object.
pub type Object = serde_json::Map<String, serde_json::Value>;

mod sealed {
    pub trait Sealed {}
}

/// A call of the Data Pipelines API the client queues: [`Track`], [`Identify`],
/// [`Group`], [`Page`], [`Screen`] or [`Alias`]. Sealed: the API has these six.
pub trait Call: Serialize + Validate + sealed::Sealed {
    /// The call's `"type"` on the wire (`"track"`, `"identify"`, ...): a method, as an
    /// [`AnyCall`] has the type of the call it holds.
    fn call_type(&self) -> &'static str;

    /// The `messageId` the server deduplicates by.
    fn message_id(&self) -> &MessageId;
}

impl<E> sealed::Sealed for Track<E> {}

impl<E: TrackEvent + Serialize + Validate> Call for Track<E> {
    fn call_type(&self) -> &'static str {
        "track"
    }

    fn message_id(&self) -> &MessageId {
        &self.message_id
    }
}

/// Whether `key` is a top-level field modelled by a call whose own fields are `own`.
fn modelled(own: &'static [&'static str]) -> impl Fn(&str) -> bool {
    move |key| KEYS.contains(&key) || own.contains(&key)
}

/// Checks that an optional `name` is not blank.
fn validate_name(name: Option<&str>, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
    if name.is_some_and(|name| name.trim().is_empty()) {
        errors.push(ValidationError::new(
            &path.field("name"),
            ErrorCode::NonEmpty,
            "the name must not be empty: give one, or leave it out (None)",
        ));
    }
}

/// A `"type": "identify"` call: who a person is, and their `traits` (`email`, `name`,
/// ...), which Customer.io keeps as the person's attributes.
///
/// Serializes to `{"userId", "anonymousId", "type": "identify", "traits", "timestamp",
/// "messageId", "context", "integrations"}`; absent optional parts are left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Identify<T = Object> {
    /// Who the traits are about.
    pub identity: Identity,
    /// The person's traits: serialized, a JSON object.
    pub traits: T,
    /// When it happened; the server uses the receive time when `None`.
    pub timestamp: Option<Timestamp>,
    /// The id that lets the server drop duplicates; kept on every retry.
    pub message_id: MessageId,
    /// Where and how the call was made.
    pub context: Context,
    /// Which destinations receive it.
    pub integrations: Integrations,
    /// Top-level fields this type does not model, written as they are.
    pub extra: Extra,
}

impl<T> Identify<T> {
    const OWN: &'static [&'static str] = &["traits"];

    /// An identify call for `identity` with `traits`, happening now, with a fresh
    /// `messageId` and this crate named as `context.library`.
    pub fn new(identity: Identity, traits: T) -> Self {
        Identify {
            identity,
            traits,
            timestamp: Some(Timestamp::now()),
            message_id: MessageId::new(),
            context: Context::with_this_library(),
            integrations: Integrations::default(),
            extra: Extra::new(),
        }
    }

    crate::envelope::envelope_setters!();
}

impl<T> sealed::Sealed for Identify<T> {}

impl<T: PersonTraits + Serialize + Validate> Call for Identify<T> {
    fn call_type(&self) -> &'static str {
        "identify"
    }

    fn message_id(&self) -> &MessageId {
        &self.message_id
    }
}

impl<T: Serialize + Validate> Validate for Identify<T> {
    /// Validates the traits, under `traits` (a JSON object; a `#[derive(Traits)]` struct
    /// checks its `email`), and the envelope: the date-times, and no entry of `extra`
    /// named like a field of `Identify` (it would be dropped).
    fn validate_at(&self, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
        object::validate_object(&self.traits, path, "traits", errors);
        self.tail()
            .validate(path, "Identify", modelled(Self::OWN), errors);
    }
}

impl<T: Serialize> Serialize for Identify<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_map(None)?;
        serialize_ids(
            &mut out,
            self.identity.user_id(),
            self.identity.anonymous_id(),
        )?;
        out.serialize_entry("type", "identify")?;
        out.serialize_entry("traits", &self.traits)?;
        self.tail().serialize(&mut out, modelled(Self::OWN))?;
        out.end()
    }
}

/// A `"type": "group"` call: puts a person in a group (a company, an account, a team)
/// named by `groupId`, with the group's `traits`.
///
/// Serializes to `{"userId", "anonymousId", "type": "group", "groupId", "traits",
/// "timestamp", "messageId", "context", "integrations"}`; absent optional parts are left
/// out.
#[derive(Debug, Clone, PartialEq)]
pub struct Group<T = Object> {
    /// Who joins the group.
    pub identity: Identity,
    /// The group's id.
    pub group_id: Id,
    /// The group's traits: serialized, a JSON object.
    pub traits: T,
    /// When it happened; the server uses the receive time when `None`.
    pub timestamp: Option<Timestamp>,
    /// The id that lets the server drop duplicates; kept on every retry.
    pub message_id: MessageId,
    /// Where and how the call was made.
    pub context: Context,
    /// Which destinations receive it.
    pub integrations: Integrations,
    /// Top-level fields this type does not model, written as they are.
    pub extra: Extra,
}

impl<T> Group<T> {
    const OWN: &'static [&'static str] = &["groupId", "traits"];

    /// A group call putting `identity` in the group `group_id`, which has `traits`,
    /// happening now, with a fresh `messageId` and this crate named as
    /// `context.library`.
    pub fn new(identity: Identity, group_id: Id, traits: T) -> Self {
        Group {
            identity,
            group_id,
            traits,
            timestamp: Some(Timestamp::now()),
            message_id: MessageId::new(),
            context: Context::with_this_library(),
            integrations: Integrations::default(),
            extra: Extra::new(),
        }
    }

    crate::envelope::envelope_setters!();
}

impl<T> sealed::Sealed for Group<T> {}

impl<T: GroupTraits + Serialize + Validate> Call for Group<T> {
    fn call_type(&self) -> &'static str {
        "group"
    }

    fn message_id(&self) -> &MessageId {
        &self.message_id
    }
}

impl<T: Serialize + Validate> Validate for Group<T> {
    /// Validates the traits, under `traits` (a JSON object), and the envelope: the
    /// date-times, and no entry of `extra` named like a field of `Group` (it would be
    /// dropped). `groupId` is never empty, being an [`Id`].
    fn validate_at(&self, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
        object::validate_object(&self.traits, path, "traits", errors);
        self.tail()
            .validate(path, "Group", modelled(Self::OWN), errors);
    }
}

impl<T: Serialize> Serialize for Group<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_map(None)?;
        serialize_ids(
            &mut out,
            self.identity.user_id(),
            self.identity.anonymous_id(),
        )?;
        out.serialize_entry("type", "group")?;
        out.serialize_entry("groupId", &self.group_id)?;
        out.serialize_entry("traits", &self.traits)?;
        self.tail().serialize(&mut out, modelled(Self::OWN))?;
        out.end()
    }
}

/// Defines a call of a `name` and `properties`: `page` and `screen` share their shape.
macro_rules! viewed {
    ($(#[$doc:meta])* $call:ident, $kind:literal, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $call<P = Object> {
            /// Who viewed it.
            pub identity: Identity,
            #[doc = concat!("The ", $what, "'s name, if it has one.")]
            pub name: Option<String>,
            #[doc = concat!("The ", $what, "'s properties: serialized, a JSON object.")]
            pub properties: P,
            /// When it happened; the server uses the receive time when `None`.
            pub timestamp: Option<Timestamp>,
            /// The id that lets the server drop duplicates; kept on every retry.
            pub message_id: MessageId,
            /// Where and how the call was made.
            pub context: Context,
            /// Which destinations receive it.
            pub integrations: Integrations,
            /// Top-level fields this type does not model (`category`, ...), written as
            /// they are.
            pub extra: Extra,
        }

        impl<P> $call<P> {
            const OWN: &'static [&'static str] = &["name", "properties"];

            #[doc = concat!("A ", $kind, " call: `identity` viewed the ", $what, " `name`, ")]
            /// which has `properties`; happening now, with a fresh `messageId` and this
            /// crate named as `context.library`. Set [`name`](Self::name) to `None` for
            /// one without a name.
            pub fn new(identity: Identity, name: impl Into<String>, properties: P) -> Self {
                $call {
                    identity,
                    name: Some(name.into()),
                    properties,
                    timestamp: Some(Timestamp::now()),
                    message_id: MessageId::new(),
                    context: Context::with_this_library(),
                    integrations: Integrations::default(),
                    extra: Extra::new(),
                }
            }

            crate::envelope::envelope_setters!();
        }

        impl<P> sealed::Sealed for $call<P> {}

        impl<P: Serialize + Validate> Call for $call<P> {
            fn call_type(&self) -> &'static str {
                $kind
            }

            fn message_id(&self) -> &MessageId {
                &self.message_id
            }
        }

        impl<P: Serialize + Validate> Validate for $call<P> {
            /// Validates the name (not blank when present), the properties (under
            /// `properties`, a JSON object) and the envelope: the date-times, and no
            /// entry of `extra` named like one of the call's fields (it would be dropped).
            fn validate_at(&self, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
                validate_name(self.name.as_deref(), path, errors);
                object::validate_object(&self.properties, path, "properties", errors);
                self.tail()
                    .validate(path, stringify!($call), modelled(Self::OWN), errors);
            }
        }

        impl<P: Serialize> Serialize for $call<P> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut out = serializer.serialize_map(None)?;
                serialize_ids(
                    &mut out,
                    self.identity.user_id(),
                    self.identity.anonymous_id(),
                )?;
                out.serialize_entry("type", $kind)?;
                if let Some(name) = &self.name {
                    out.serialize_entry("name", name)?;
                }
                out.serialize_entry("properties", &self.properties)?;
                self.tail().serialize(&mut out, modelled(Self::OWN))?;
                out.end()
            }
        }
    };
}

viewed!(
    /// A `"type": "page"` call: a person viewed a page of a website.
    ///
    /// Serializes to `{"userId", "anonymousId", "type": "page", "name", "properties",
    /// "timestamp", "messageId", "context", "integrations"}`; absent optional parts are
    /// left out.
    Page,
    "page",
    "page"
);

viewed!(
    /// A `"type": "screen"` call: a person viewed a screen of a mobile app.
    ///
    /// Serializes to `{"userId", "anonymousId", "type": "screen", "name", "properties",
    /// "timestamp", "messageId", "context", "integrations"}`; absent optional parts are
    /// left out.
    Screen,
    "screen",
    "screen"
);

/// A `"type": "alias"` call: the person known by `previousId` is the person known by
/// `userId`, so that their histories merge.
///
/// Serializes to `{"userId", "anonymousId", "type": "alias", "previousId", "timestamp",
/// "messageId", "context", "integrations"}`; absent optional parts are left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Alias {
    /// The id the person is known by from now on.
    pub user_id: Id,
    /// The id the person was known by: an earlier `userId` or an `anonymousId`.
    pub previous_id: Id,
    /// The anonymous id of the device making the call, when there is one (the Segment
    /// Spec's examples send it); `None` by default.
    pub anonymous_id: Option<Id>,
    /// When it happened; the server uses the receive time when `None`.
    pub timestamp: Option<Timestamp>,
    /// The id that lets the server drop duplicates; kept on every retry.
    pub message_id: MessageId,
    /// Where and how the call was made.
    pub context: Context,
    /// Which destinations receive it.
    pub integrations: Integrations,
    /// Top-level fields this type does not model, written as they are.
    pub extra: Extra,
}

impl Alias {
    const OWN: &'static [&'static str] = &["previousId"];

    /// An alias call: `previous_id` now names the person known by `user_id`; happening
    /// now, with a fresh `messageId` and this crate named as `context.library`.
    pub fn new(user_id: Id, previous_id: Id) -> Self {
        Alias {
            user_id,
            previous_id,
            anonymous_id: None,
            timestamp: Some(Timestamp::now()),
            message_id: MessageId::new(),
            context: Context::with_this_library(),
            integrations: Integrations::default(),
            extra: Extra::new(),
        }
    }

    crate::envelope::envelope_setters!();
}

impl sealed::Sealed for Alias {}

impl Call for Alias {
    fn call_type(&self) -> &'static str {
        "alias"
    }

    fn message_id(&self) -> &MessageId {
        &self.message_id
    }
}

impl Validate for Alias {
    /// Validates the envelope: the date-times, and no entry of `extra` named like a
    /// field of `Alias` (it would be dropped).
    fn validate_at(&self, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
        self.tail()
            .validate(path, "Alias", modelled(Self::OWN), errors);
    }
}

impl Serialize for Alias {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_map(None)?;
        serialize_ids(
            &mut out,
            Some(self.user_id.as_str()),
            self.anonymous_id.as_ref().map(Id::as_str),
        )?;
        out.serialize_entry("type", "alias")?;
        out.serialize_entry("previousId", &self.previous_id)?;
        self.tail().serialize(&mut out, modelled(Self::OWN))?;
        out.end()
    }
}
