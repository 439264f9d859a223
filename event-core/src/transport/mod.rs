//! Transports: how a request reaches the Data Pipelines API (or a file, or a test).
//!
//! A [`Transport`] makes one attempt at one request and says how it went. Retries,
//! backoff and batching live in the client, so every transport gets them for free.

use std::fmt;
use std::time::Duration;

#[cfg_attr(not(any(feature = "http", feature = "async")), allow(dead_code))]
mod config;
mod json_lines;
mod recording;
pub(crate) mod retry;

#[cfg(feature = "async")]
mod async_http;
#[cfg(feature = "http")]
mod http;

#[cfg(feature = "async")]
pub use async_http::AsyncHttpTransport;
pub use config::{
    ApiKey, BaseUrl, ConfigError, HttpConfig, MAX_ERROR_BODY, Proxy, ProxyUrl, Region, USER_AGENT,
};
#[cfg(feature = "http")]
pub use http::HttpTransport;
pub use json_lines::JsonLinesTransport;
pub use recording::{RecordedRequest, RecordingTransport};
pub use retry::{RetryPolicy, parse_retry_after};

/// Which API call a request is: one call posted to its own path, or a batch of any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Endpoint {
    /// `POST /v1/track`: the body is one track payload.
    Track,
    /// `POST /v1/identify`: the body is one identify payload.
    Identify,
    /// `POST /v1/group`: the body is one group payload.
    Group,
    /// `POST /v1/page`: the body is one page payload.
    Page,
    /// `POST /v1/screen`: the body is one screen payload.
    Screen,
    /// `POST /v1/alias`: the body is one alias payload.
    Alias,
    /// `POST /v1/batch`: the body is `{"batch": [...], "sentAt": "..."}`, with items of
    /// any of the six types.
    Batch,
}

impl Endpoint {
    /// The path below the base URL, such as `/v1/batch`.
    pub fn path(self) -> &'static str {
        match self {
            Endpoint::Track => "/v1/track",
            Endpoint::Identify => "/v1/identify",
            Endpoint::Group => "/v1/group",
            Endpoint::Page => "/v1/page",
            Endpoint::Screen => "/v1/screen",
            Endpoint::Alias => "/v1/alias",
            Endpoint::Batch => "/v1/batch",
        }
    }

    /// The endpoint that takes one call of `call_type` (its `"type"` on the wire:
    /// `"track"`, `"identify"`, ...), or `None` for a type the API does not have.
    ///
    /// ```
    /// use event_core::transport::Endpoint;
    ///
    /// assert_eq!(Endpoint::for_call_type("identify"), Some(Endpoint::Identify));
    /// assert_eq!(Endpoint::for_call_type("alias").map(Endpoint::path), Some("/v1/alias"));
    /// assert_eq!(Endpoint::for_call_type("batch"), None);
    /// ```
    pub fn for_call_type(call_type: &str) -> Option<Endpoint> {
        Some(match call_type {
            "track" => Endpoint::Track,
            "identify" => Endpoint::Identify,
            "group" => Endpoint::Group,
            "page" => Endpoint::Page,
            "screen" => Endpoint::Screen,
            "alias" => Endpoint::Alias,
            _ => return None,
        })
    }
}

/// One request: the call and its JSON body, already serialized.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// Which call.
    pub endpoint: Endpoint,
    /// The JSON body.
    pub body: &'a [u8],
}

/// Why one attempt at a request failed.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum TransportError {
    /// 400 or 413: the server refused the payload. Not retried; `messages` are the server's.
    Rejected {
        /// The HTTP status: 400 (a bad payload) or 413 (a payload too large).
        status: u16,
        /// The server's error messages, from `{"meta":{"errors":[...]}}` or similar.
        messages: Vec<String>,
        /// The raw response body, truncated.
        body: String,
    },
    /// 401 (or 403): the API key was refused. Not retried.
    Unauthorized {
        /// The HTTP status.
        status: u16,
        /// The raw response body, truncated.
        body: String,
    },
    /// A status worth retrying: 408, 429 or 5xx.
    Status {
        /// The HTTP status.
        status: u16,
        /// How long the server asked us to wait, from `Retry-After`.
        retry_after: Option<Duration>,
        /// The raw response body, truncated.
        body: String,
    },
    /// Another status that retrying will not fix.
    UnexpectedStatus {
        /// The HTTP status.
        status: u16,
        /// The raw response body, truncated.
        body: String,
    },
    /// The connection failed or broke before a response arrived. Retried.
    Network(String),
    /// No response within the timeout. Retried (the server may have kept the first try).
    Timeout,
    /// Writing the payload locally failed (JSON-lines transport).
    Io(String),
    /// The server's TLS certificate did not verify (unknown issuer, expired, another
    /// host's name, ...). Not retried: it will not verify on the next try either.
    Certificate(String),
}

impl TransportError {
    /// Whether trying the same request again may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            TransportError::Status { .. } | TransportError::Network(_) | TransportError::Timeout
        )
    }

    /// The items of the batch a refusal names: every `batch[N]` (or the JSON Pointer
    /// form `/batch/N`) in the server's messages, or in its body when it sent no
    /// messages, sorted, each once. Empty for other errors, and when nothing is named.
    ///
    /// Customer.io documents the strict-mode error body as `{"meta": {"errors": [...]}}`
    /// and its messages carry the path of what failed, such as
    /// `batch[3].properties.price`; the wording around the path is not documented, so
    /// only the path is read. `N` counts from 0 in the body that was refused. The
    /// messages are kept within [`MAX_ERROR_BODY`] bytes: past that, the items named
    /// by the messages left out are not listed (the client finds them when it resends
    /// the rest).
    ///
    /// ```
    /// use event_core::transport::TransportError;
    ///
    /// let error = TransportError::Rejected {
    ///     status: 400,
    ///     messages: vec![
    ///         "batch[12].properties.price: must be a number".to_owned(),
    ///         "batch[3]: messageId is required; batch[12].event: too long".to_owned(),
    ///     ],
    ///     body: String::new(),
    /// };
    /// assert_eq!(error.refused_items(), [3, 12]);
    /// ```
    pub fn refused_items(&self) -> Vec<usize> {
        let TransportError::Rejected { messages, body, .. } = self else {
            return Vec::new();
        };
        let mut items: Vec<usize> = if messages.is_empty() {
            items_named_in(body).collect()
        } else {
            messages
                .iter()
                .flat_map(|message| items_named_in(message))
                .collect()
        };
        items.sort_unstable();
        items.dedup();
        items
    }

    /// The server's `Retry-After`, when it sent one.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            TransportError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// The `N` of every `batch[N]` and `/batch/N` in `text`, where `batch` starts a word.
fn items_named_in(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.match_indices("batch").filter_map(|(at, _)| {
        let starts_word = text[..at]
            .chars()
            .next_back()
            .is_none_or(|before| !(before.is_alphanumeric() || before == '_'));
        let rest = &text[at + "batch".len()..];
        let (open, close) = match rest.chars().next()? {
            '[' => ('[', Some(']')),
            '/' => ('/', None),
            _ => return None,
        };
        let rest = rest.strip_prefix(open)?;
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let after = rest[digits..].chars().next();
        let closed = match close {
            Some(close) => after == Some(close),
            None => after.is_none_or(|after| after == '/' || !after.is_alphanumeric()),
        };
        if !starts_word || digits == 0 || !closed {
            return None;
        }
        rest[..digits].parse().ok()
    })
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportError::Rejected {
                status,
                messages,
                body,
            } if messages.is_empty() => {
                write!(f, "the server rejected the payload ({status}): {body}")
            }
            TransportError::Rejected {
                status, messages, ..
            } => {
                write!(
                    f,
                    "the server rejected the payload ({status}): {}",
                    messages.join("; ")
                )
            }
            TransportError::Unauthorized { status, .. } => write!(
                f,
                "the server refused the API key ({status}): check the key and the region"
            ),
            TransportError::Status { status, body, .. } => {
                write!(f, "the server answered {status}: {body}")
            }
            TransportError::UnexpectedStatus { status, body } => {
                write!(f, "the server answered an unexpected {status}: {body}")
            }
            TransportError::Network(error) => write!(f, "network error: {error}"),
            TransportError::Timeout => f.write_str("no response within the timeout"),
            TransportError::Io(error) => write!(f, "could not write the payload: {error}"),
            TransportError::Certificate(error) => write!(
                f,
                "the server's TLS certificate was refused ({error}); not retried, as it will \
                 not verify on another try: check the endpoint URL, and any proxy or firewall \
                 that intercepts TLS"
            ),
        }
    }
}

impl std::error::Error for TransportError {}

/// Sends one request and reports how it went. Object-safe: use `Box<dyn Transport>`.
///
/// Implementations make exactly one attempt; the client retries.
pub trait Transport: Send + Sync {
    /// Sends `request` once.
    ///
    /// # Errors
    ///
    /// A [`TransportError`] saying why the attempt failed and whether to retry.
    fn send(&self, request: Request<'_>) -> Result<(), TransportError>;
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn send(&self, request: Request<'_>) -> Result<(), TransportError> {
        (**self).send(request)
    }
}

impl<T: Transport + ?Sized> Transport for std::sync::Arc<T> {
    fn send(&self, request: Request<'_>) -> Result<(), TransportError> {
        (**self).send(request)
    }
}

/// The async counterpart of [`Transport`], for tokio users (feature `async`).
///
/// Implementations make exactly one attempt; the [`AsyncClient`](crate::client::AsyncClient)
/// retries. [`RecordingTransport`] and [`JsonLinesTransport`] implement both traits.
#[cfg(feature = "async")]
pub trait AsyncTransport: Send + Sync + 'static {
    /// Sends `request` once.
    ///
    /// # Errors
    ///
    /// A [`TransportError`] saying why the attempt failed and whether to retry.
    fn send(&self, request: Request<'_>)
    -> impl Future<Output = Result<(), TransportError>> + Send;
}

#[cfg(feature = "async")]
impl<T: AsyncTransport + ?Sized> AsyncTransport for std::sync::Arc<T> {
    fn send(
        &self,
        request: Request<'_>,
    ) -> impl Future<Output = Result<(), TransportError>> + Send {
        (**self).send(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rejected(messages: &[&str], body: &str) -> TransportError {
        TransportError::Rejected {
            status: 400,
            messages: messages.iter().map(|m| (*m).to_owned()).collect(),
            body: body.to_owned(),
        }
    }

    #[test]
    fn the_items_a_refusal_names_are_read_tolerantly() {
        let error = rejected(
            &[
                "batch[7].properties.products[2].price: expected number",
                "/batch/2/userId must be a string",
                "Batch[1] is not read: the path is lower case",
                "subbatch[4], batch[], batch[x], batch[5 and batch[99999999999999999999999] name nothing",
                "batch[7] again",
            ],
            "",
        );
        assert_eq!(error.refused_items(), [2, 7]);
        // No messages: the body is read instead.
        let error = rejected(&[], r#"{"detail":"batch[0].event is required"}"#);
        assert_eq!(error.refused_items(), [0]);
        assert!(
            rejected(&["invalid payload"], "batch[1]")
                .refused_items()
                .is_empty()
        );
        assert!(TransportError::Timeout.refused_items().is_empty());
    }
}
