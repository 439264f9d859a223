//! What an application needs to define, validate and send events, in one import.
//!
//! ```
//! use event_core::prelude::*;
//! use serde::Serialize;
//!
//! #[derive(Serialize, SemanticEvent)]
//! #[semantic_event(name = "Newsletter Subscribed")]
//! struct NewsletterSubscribed {
//!     #[semantic_event(non_empty)]
//!     list: String,
//! }
//!
//! let transport = RecordingTransport::new();
//! let client = Client::builder().build(transport.clone())?;
//! let event = NewsletterSubscribed { list: "weekly".into() };
//! event.validate()?;
//! client.track(Identity::user("user_12345")?, event)?;
//! client.flush()?;
//! assert_eq!(transport.events()[0]["event"], "Newsletter Subscribed");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#[cfg(feature = "async")]
pub use crate::AsyncClient;
#[cfg(feature = "http")]
pub use crate::HttpTransport;
pub use crate::ecommerce::{EcommerceEvent, Product};
pub use crate::transport::{ApiKey, HttpConfig, RecordingTransport, Region, Transport};
pub use crate::{
    Client, ClientError, Context, DeliveryError, FailedEvent, Identity, MessageId, SemanticEvent,
    Timestamp, Track, Traits, Validate, ValidationErrors, from_json,
};
