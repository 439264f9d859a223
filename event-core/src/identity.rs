//! Who an event is about: a user id, an anonymous id, or both, never empty.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An identifier that is never empty nor only whitespace.
///
/// ```
/// use event_core::Id;
///
/// let id = Id::new("user_12345").unwrap();
/// assert_eq!(id.as_str(), "user_12345");
/// assert!(Id::new("  ").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(String);

impl Id {
    /// Checks and wraps an identifier.
    ///
    /// # Errors
    ///
    /// [`IdentityError`] when `id` is empty or only whitespace.
    pub fn new(id: impl Into<String>) -> Result<Self, IdentityError> {
        let id = id.into();
        if id.trim().is_empty() {
            Err(IdentityError::Empty)
        } else {
            Ok(Id(id))
        }
    }

    /// The identifier.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Id::new(String::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

/// Why an identity could not be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum IdentityError {
    /// The id was empty or only whitespace.
    Empty,
    /// Neither `userId` nor `anonymousId` was given.
    Missing,
}

impl fmt::Display for IdentityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdentityError::Empty => f.write_str("an id must not be empty or only whitespace"),
            IdentityError::Missing => f.write_str(
                "a track call needs a userId or an anonymousId (or both); neither was given",
            ),
        }
    }
}

impl std::error::Error for IdentityError {}

/// Who the event is about: `userId`, `anonymousId`, or both.
///
/// There is no way to build an identity without an id, so a payload can never miss
/// one.
///
/// ```
/// use event_core::Identity;
///
/// let known = Identity::user("user_12345").unwrap();
/// assert_eq!(known.user_id(), Some("user_12345"));
/// assert_eq!(known.anonymous_id(), None);
///
/// assert!(Identity::user("").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Identity {
    /// A known user.
    User(Id),
    /// A visitor not yet known by a user id.
    Anonymous(Id),
    /// A user known by both ids, linking the anonymous history to the user.
    Both {
        /// The `userId`.
        user_id: Id,
        /// The `anonymousId`.
        anonymous_id: Id,
    },
}

impl Identity {
    /// A known user's id.
    ///
    /// # Errors
    ///
    /// [`IdentityError::Empty`] when the id is empty or only whitespace.
    pub fn user(id: impl Into<String>) -> Result<Self, IdentityError> {
        Id::new(id).map(Identity::User)
    }

    /// An anonymous visitor's id.
    ///
    /// # Errors
    ///
    /// [`IdentityError::Empty`] when the id is empty or only whitespace.
    pub fn anonymous(id: impl Into<String>) -> Result<Self, IdentityError> {
        Id::new(id).map(Identity::Anonymous)
    }

    /// Both ids.
    ///
    /// # Errors
    ///
    /// [`IdentityError::Empty`] when either id is empty or only whitespace.
    pub fn both(
        user_id: impl Into<String>,
        anonymous_id: impl Into<String>,
    ) -> Result<Self, IdentityError> {
        Ok(Identity::Both {
            user_id: Id::new(user_id)?,
            anonymous_id: Id::new(anonymous_id)?,
        })
    }

    /// Builds an identity from the optional ids of a payload.
    ///
    /// # Errors
    ///
    /// [`IdentityError::Missing`] when both are absent.
    pub fn from_parts(
        user_id: Option<Id>,
        anonymous_id: Option<Id>,
    ) -> Result<Self, IdentityError> {
        match (user_id, anonymous_id) {
            (Some(user_id), Some(anonymous_id)) => Ok(Identity::Both {
                user_id,
                anonymous_id,
            }),
            (Some(user_id), None) => Ok(Identity::User(user_id)),
            (None, Some(anonymous_id)) => Ok(Identity::Anonymous(anonymous_id)),
            (None, None) => Err(IdentityError::Missing),
        }
    }

    /// The `userId`, if there is one.
    pub fn user_id(&self) -> Option<&str> {
        match self {
            Identity::User(id) | Identity::Both { user_id: id, .. } => Some(id.as_str()),
            Identity::Anonymous(_) => None,
        }
    }

    /// The `anonymousId`, if there is one.
    pub fn anonymous_id(&self) -> Option<&str> {
        match self {
            Identity::Anonymous(id)
            | Identity::Both {
                anonymous_id: id, ..
            } => Some(id.as_str()),
            Identity::User(_) => None,
        }
    }
}
