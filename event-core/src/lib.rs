//! Typed, compile-time checked Customer.io Data Pipelines events.
//!
//! Derive [`SemanticEvent`] on your own struct and its fields become the event's
//! `properties`; the derive adds the event name, the `"type": "track"` of the wire
//! payload and the validation, and refuses at compile time what the ecommerce
//! specification says is wrong (a misspelled property, a string price, a near miss
//! of a known event name).
//!
//! ```
//! use event_core::{SemanticEvent, Validate};
//! use serde::Serialize;
//!
//! #[derive(Serialize, SemanticEvent)]
//! #[semantic_event(name = "Newsletter Subscribed")]
//! struct NewsletterSubscribed {
//!     #[semantic_event(non_empty)]
//!     list: String,
//!     #[semantic_event(email)]
//!     email: Option<String>,
//! }
//!
//! let event = NewsletterSubscribed { list: "weekly".into(), email: Some("ana@example.com".into()) };
//! assert!(event.validate().is_ok());
//! assert_eq!(NewsletterSubscribed::EVENT_NAME, "Newsletter Subscribed");
//! ```
//!
//! # Where to go next
//!
//! - [`ecommerce`]: all 28 ecommerce semantic events, with a table of their Rust types and
//!   groups, and the guides *send a catalogue event*, *define your own event* and *read
//!   events from JSON*.
//! - [`attributes`]: every `#[semantic_event(...)]` attribute and the compile-time checks.
//! - [`Track`]: the envelope (identity, timestamp, `messageId`, context, integrations) that
//!   serializes to the exact wire payload; [`from_json`] reads one with path-naming errors.
//! - [`Client`]: the batching client that validates, batches, retries and hands back every
//!   event it could not deliver; [`transport`]: where the requests go (HTTP to the US or EU
//!   region, a JSON-lines writer, a recording transport for your tests).
//! - [`validate`]: the rules, and errors that carry wire paths and stable codes.
//! - [`prelude`]: what an application needs, in one `use event_core::prelude::*;`.

#![cfg_attr(docsrs, feature(doc_cfg))]

// Lets the derive's `::event_core::...` paths resolve inside this crate too.
extern crate self as event_core;

pub mod attributes;
pub mod batch;
pub mod calls;
pub mod client;
mod context;
pub mod ecommerce;
mod envelope;
mod event;
mod identity;
mod integrations;
mod json;
mod message_id;
pub mod plan;
pub mod prelude;
pub mod spec;
mod timestamp;
mod track;
pub mod transport;
pub mod validate;

// The README's examples are compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use batch::Batch;
#[cfg(feature = "async")]
pub use client::AsyncClient;
pub use client::{
    Client, ClientBuilder, ClientError, DeliveryError, FailedEvent, QueueFull, Stats,
};
pub use context::{App, Campaign, Context, Device, Extra, Library, Os, Page};
pub use ecommerce::{EcommerceEvent, Product};
pub use event::{DeserializeEvent, SemanticEvent, TrackEvent};
pub use identity::{Id, Identity, IdentityError};
pub use integrations::Integrations;
pub use json::{EventNameError, ParseError, ReadOptions, WriteError, from_json, write_json};
pub use message_id::{MAX_MESSAGE_ID_CHARS, MessageId, MessageIdError};
pub use timestamp::{Timestamp, TimestampError};
pub use track::Track;
#[cfg(feature = "http")]
pub use transport::HttpTransport;
pub use transport::{
    ApiKey, JsonLinesTransport, RecordingTransport, Region, RetryPolicy, Transport,
};
#[cfg(feature = "async")]
pub use transport::{AsyncHttpTransport, AsyncTransport};
pub use validate::{Validate, ValidationError, ValidationErrors};

/// Derives [`SemanticEvent`](trait@SemanticEvent) and [`Validate`](trait@Validate) for a struct
/// with named fields; see the crate documentation for its attributes.
pub use event_derive::SemanticEvent;
/// Derives [`Validate`](trait@Validate) and [`PersonTraits`](calls::PersonTraits) (or
/// [`GroupTraits`](calls::GroupTraits) with `#[semantic_event(group)]`) for a struct with
/// named fields, the traits of an identify (or group) call, checked at compile time
/// against the reserved traits; see [`attributes`].
pub use event_derive::Traits;
/// Derives [`Validate`](trait@Validate) for a struct with named fields, from the same
/// field attributes as [`SemanticEvent`](derive@SemanticEvent).
pub use event_derive::Validate;
