//! Checking one payload: parse it as a track call, validate it, and measure it.

use event_core::client::ClientBuilder;
use event_core::ecommerce::EcommerceEvent;
use event_core::spec::RESERVED_EVENT_NAMES;
use event_core::{Track, Validate, ValidationErrors};

/// One thing wrong with a payload: where (a wire path, possibly empty) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The path of the field, such as `properties.products[0].price`; empty for the
    /// payload as a whole.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl Problem {
    fn whole(message: impl Into<String>) -> Problem {
        Problem {
            path: String::new(),
            message: message.into(),
        }
    }

    /// One problem per validation error, at its wire path.
    pub fn invalid(errors: &ValidationErrors) -> Vec<Problem> {
        errors
            .iter()
            .map(|error| Problem {
                path: error.path().to_owned(),
                message: error.message().to_owned(),
            })
            .collect()
    }

    /// An event of `bytes` once serialized, over the limit of `max`.
    pub fn too_large(bytes: usize, max: usize) -> Problem {
        Problem::whole(format!(
            "the event is {bytes} bytes once serialized, over the API's limit of {max} bytes per event"
        ))
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// How strict the checks are.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rules {
    /// Accept the event names Customer.io acts on (`User Deleted`, ...).
    pub allow_reserved: bool,
}

/// Parses `bytes` as one track payload and checks it as the client would before sending.
///
/// Known ecommerce events are read into their typed structs and validated; any other
/// event gets the envelope checks of the parse (`type`, `event`, `userId` or
/// `anonymousId`, `messageId`, `timestamp`, `context`, `integrations`).
pub fn check(bytes: &[u8], rules: Rules) -> Result<Track<EcommerceEvent>, Vec<Problem>> {
    if let Err(error) = std::str::from_utf8(bytes) {
        return Err(vec![Problem::whole(format!(
            "not valid UTF-8 (bad byte at offset {})",
            error.valid_up_to()
        ))]);
    }
    let track: Track<EcommerceEvent> = event_core::from_json(bytes).map_err(|error| {
        // Tell broken JSON from JSON that is not a valid payload (only on this error path).
        let syntax = serde_json::from_slice::<serde::de::IgnoredAny>(bytes)
            .err()
            .filter(|error| error.is_syntax() || error.is_eof());
        let message = match syntax {
            Some(syntax) => {
                let text = syntax.to_string();
                let position = format!(" at line {} column {}", syntax.line(), syntax.column());
                let text = text.strip_suffix(&position).unwrap_or(&text);
                format!("not valid JSON: {text} (column {})", syntax.column())
            }
            None => error.message().to_owned(),
        };
        // serde_path_to_error writes `?` for a position it cannot name.
        let path = match error.path() {
            "?" => String::new(),
            path => path.to_owned(),
        };
        vec![Problem { path, message }]
    })?;
    let name = track.event_name();
    if !rules.allow_reserved && RESERVED_EVENT_NAMES.contains(&name) {
        return Err(vec![Problem {
            path: "event".to_owned(),
            message: format!(
                "{name:?} is reserved: Customer.io acts on it (deleting, suppressing or \
                 registering a device); pass --allow-reserved to send it deliberately"
            ),
        }]);
    }
    if let Err(errors) = track.validate() {
        return Err(Problem::invalid(&errors));
    }
    Ok(track)
}

/// Checks that `track`, serialized, fits the API's limit per event. (`send` leaves this
/// to the client, which serializes each event once and refuses one too large.)
pub fn check_size(track: &Track<EcommerceEvent>) -> Result<(), Vec<Problem>> {
    let size = serde_json::to_vec(&track)
        .map_err(|error| vec![Problem::whole(format!("cannot be serialized: {error}"))])?
        .len();
    let max = ClientBuilder::DEFAULT_MAX_ITEM_BYTES;
    if size > max {
        return Err(vec![Problem::too_large(size, max)]);
    }
    Ok(())
}
