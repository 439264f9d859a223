//! Reading payloads from JSON with errors that say where the problem is.

use std::fmt;

use serde::de::DeserializeOwned;

/// Parses `json` into `T`, reporting the path of a wrong field.
///
/// Use it to read [`Track`](crate::Track) payloads and batch bodies: the error names
/// the field (`properties.products[0].price`) and, when the payload has one, the event.
///
/// ```
/// use event_core::{SemanticEvent, Track};
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Debug, Serialize, Deserialize, SemanticEvent)]
/// #[semantic_event(name = "Coupon Applied")]
/// struct CouponApplied {
///     discount: Option<f64>,
/// }
///
/// let json = r#"{"userId": "u1", "event": "Coupon Applied", "properties": {"discount": "10"}}"#;
/// let error = event_core::from_json::<Track<CouponApplied>>(json.as_bytes()).unwrap_err();
/// assert_eq!(error.path(), "properties.discount");
/// assert_eq!(error.event(), Some("Coupon Applied"));
/// assert!(error.to_string().starts_with("event \"Coupon Applied\": properties.discount: invalid type"));
/// ```
///
/// # Errors
///
/// [`ParseError`] when `json` is not valid JSON or does not fit `T`.
pub fn from_json<T: DeserializeOwned>(json: &[u8]) -> Result<T, ParseError> {
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        ParseError::new(json, path, error.into_inner())
    })?;
    // Trailing characters after the document.
    deserializer
        .end()
        .map_err(|error| ParseError::new(json, String::new(), error))?;
    Ok(value)
}

/// Why a JSON payload could not be read: where, in which event, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    path: String,
    event: Option<String>,
    message: String,
    line: usize,
    column: usize,
}

impl ParseError {
    fn new(json: &[u8], path: String, inner: serde_json::Error) -> Self {
        // serde_path_to_error writes the root as ".".
        let path = if path == "." { String::new() } else { path };
        let (line, column) = (inner.line(), inner.column());
        let mut message = inner.to_string();
        let position = format!(" at line {line} column {column}");
        if let Some(stripped) = message.strip_suffix(&position) {
            message.truncate(stripped.len());
        }
        ParseError {
            path,
            event: event_name_of(json),
            message,
            line,
            column,
        }
    }

    /// The path of the offending field, such as `properties.products[0].price`; empty
    /// when the problem is the document itself.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The payload's `"event"`, when it could be read.
    pub fn event(&self) -> Option<&str> {
        self.event.as_deref()
    }

    /// What is wrong, without the position.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The line of the input where the problem was found (1-based; 0 when unknown).
    pub fn line(&self) -> usize {
        self.line
    }

    /// The column of the input where the problem was found (1-based; 0 when unknown).
    pub fn column(&self) -> usize {
        self.column
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(event) = &self.event {
            write!(f, "event {event:?}: ")?;
        }
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)?;
        if self.line > 0 {
            write!(f, " (line {}, column {})", self.line, self.column)?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseError {}

/// The top-level `"event"` of a payload, read on the error path only.
fn event_name_of(json: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct EventOnly {
        event: Option<String>,
    }
    serde_json::from_slice::<EventOnly>(json).ok()?.event
}
