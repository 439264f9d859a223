//! The `messageId` that lets the server drop duplicates: one per event, kept on retries.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The longest `messageId` the API accepts, in characters.
pub const MAX_MESSAGE_ID_CHARS: usize = 100;

/// A unique event id. [`MessageId::new`] makes a random UUID; a payload read from
/// elsewhere keeps its own.
///
/// The same id goes out on every retry of an event, so the server can drop the
/// duplicates a retry after a timeout may create.
///
/// Generated ids are kept inline (no allocation), and their random bits are read from
/// the operating system 32 ids at a time per thread. A process that `fork`s copies that
/// thread's unused bits: ids made in the child's forking thread right after a fork may
/// repeat the parent's, so make the child's events on a new thread (or, as `fork`
/// demands anyway, exec).
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
#[derive(Clone)]
pub struct MessageId(Repr);

#[derive(Clone)]
enum Repr {
    /// A generated UUID, hyphenated: ASCII only.
    Generated([u8; uuid::fmt::Hyphenated::LENGTH]),
    /// An id read from elsewhere.
    Given(String),
}

impl MessageId {
    /// A new random (version 4) UUID, such as `"4b6f3a50-…"`.
    #[allow(clippy::new_without_default)] // `Default` would hide that every call differs.
    pub fn new() -> Self {
        let uuid = uuid::Builder::from_random_bytes(random_bytes()).into_uuid();
        let mut text = [0; uuid::fmt::Hyphenated::LENGTH];
        uuid.hyphenated().encode_lower(&mut text);
        MessageId(Repr::Generated(text))
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
        Ok(MessageId(Repr::Given(id)))
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Always succeeds: `encode_lower` writes ASCII.
            Repr::Generated(text) => std::str::from_utf8(text).unwrap_or_default(),
            Repr::Given(id) => id,
        }
    }
}

/// How many ids' worth of random bits one read from the operating system fetches.
const IDS_PER_READ: usize = 32;

/// Random bits read ahead for this thread's next ids.
struct RandomPool {
    bytes: [u8; 16 * IDS_PER_READ],
    /// How many of `bytes` are used up.
    used: usize,
}

thread_local! {
    static RANDOM_POOL: RefCell<RandomPool> = const {
        RefCell::new(RandomPool { bytes: [0; 16 * IDS_PER_READ], used: 16 * IDS_PER_READ })
    };
}

/// 16 random bytes for one id, from a block read for 32 ids: one system call per id
/// would cost more than the rest of `track` together (BENCHMARKS.md, note 2).
fn random_bytes() -> [u8; 16] {
    RANDOM_POOL.with(|pool| {
        let mut pool = pool.borrow_mut();
        if pool.used == pool.bytes.len() {
            if let Err(error) = getrandom::fill(&mut pool.bytes) {
                // No OS random source: still unique enough per process, never a panic.
                tracing::warn!(%error, "no OS randomness for messageIds; using a seeded generator");
                fastrand::fill(&mut pool.bytes);
            }
            pool.used = 0;
        }
        let mut out = [0; 16];
        let start = pool.used;
        out.copy_from_slice(&pool.bytes[start..start + 16]);
        pool.used += 16;
        out
    })
}

impl PartialEq for MessageId {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for MessageId {}

impl Hash for MessageId {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialOrd for MessageId {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for MessageId {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl fmt::Debug for MessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for MessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for MessageId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_are_distinct_v4_uuids_across_pool_refills() {
        let ids: Vec<MessageId> = (0..IDS_PER_READ * 3 + 1)
            .map(|_| MessageId::new())
            .collect();
        let distinct: std::collections::HashSet<&str> = ids.iter().map(MessageId::as_str).collect();
        assert_eq!(distinct.len(), ids.len());
        for id in &ids {
            let uuid = uuid::Uuid::parse_str(id.as_str()).expect("a hyphenated UUID");
            assert_eq!(uuid.get_version_num(), 4, "{id}");
            assert_eq!(uuid.get_variant(), uuid::Variant::RFC4122, "{id}");
            assert_eq!(id.as_str(), uuid.hyphenated().to_string());
        }
    }

    #[test]
    fn a_generated_id_equals_the_same_id_parsed() {
        let generated = MessageId::new();
        let parsed = MessageId::parse(generated.as_str()).expect("valid");
        assert_eq!(generated, parsed);
        assert_eq!(generated.cmp(&parsed), Ordering::Equal);
        let hash = |id: &MessageId| {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            id.hash(&mut hasher);
            hasher.finish()
        };
        assert_eq!(hash(&generated), hash(&parsed));
        assert_eq!(
            format!("{generated:?}"),
            format!("{:?}", generated.as_str())
        );
    }
}
