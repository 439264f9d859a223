//! The `messageId` that lets the server drop duplicates: one per event, kept on retries.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The longest `messageId` the API accepts, in characters.
pub const MAX_MESSAGE_ID_CHARS: usize = 100;

/// A unique event id. [`MessageId::new`] makes a random UUID; a payload read from
/// elsewhere keeps its own.
///
/// The same id goes out on every retry of an event, so the server can drop the
/// duplicates a retry after a timeout may create.
///
/// ```
/// use event_core::MessageId;
///
/// let generated = MessageId::new();
/// assert_eq!(generated.as_str().len(), 36);
/// assert_ne!(generated, MessageId::new());
///
/// let kept = MessageId::parse("order-1001-completed").unwrap();
/// assert_eq!(kept.as_str(), "order-1001-completed");
/// assert!(MessageId::parse("").is_err());
/// assert!(MessageId::parse("x".repeat(101)).is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MessageId(String);

impl MessageId {
    /// A new random (version 4) UUID, such as `"4b6f3a50-…"`.
    #[allow(clippy::new_without_default)] // `Default` would hide that every call differs.
    pub fn new() -> Self {
        MessageId(uuid::Uuid::new_v4().hyphenated().to_string())
    }

    /// Checks and wraps an id read from elsewhere.
    ///
    /// # Errors
    ///
    /// [`MessageIdError`] when the id is empty or longer than 100 characters.
    pub fn parse(id: impl Into<String>) -> Result<Self, MessageIdError> {
        let id = id.into();
        if id.is_empty() {
            return Err(MessageIdError::Empty);
        }
        let chars = id.chars().count();
        if chars > MAX_MESSAGE_ID_CHARS {
            return Err(MessageIdError::TooLong { chars });
        }
        Ok(MessageId(id))
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for MessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for MessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for MessageId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for MessageId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        MessageId::parse(String::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

/// Why a `messageId` was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MessageIdError {
    /// The id was empty.
    Empty,
    /// The id had more than 100 characters.
    TooLong {
        /// How many it had.
        chars: usize,
    },
}

impl fmt::Display for MessageIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MessageIdError::Empty => f.write_str("a messageId must not be empty"),
            MessageIdError::TooLong { chars } => write!(
                f,
                "a messageId has at most {MAX_MESSAGE_ID_CHARS} characters, this one has {chars}"
            ),
        }
    }
}

impl std::error::Error for MessageIdError {}
