//! A transport for your own tests: it keeps every request and answers success.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use super::{Endpoint, Request, Transport, TransportError};

/// One request a [`RecordingTransport`] received.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedRequest {
    /// Which call it was.
    pub endpoint: Endpoint,
    /// The body, as sent.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The body as JSON (`Value::Null` if it is not JSON, which the client never sends).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

#[derive(Debug, Default)]
struct State {
    requests: Vec<RecordedRequest>,
    failures: VecDeque<TransportError>,
}

/// Keeps every request it is given, so a test can look at the wire JSON. Cheap to
/// clone: clones share the same record.
///
/// ```
/// use event_core::transport::{Endpoint, RecordingTransport, Request, Transport};
///
/// let transport = RecordingTransport::new();
/// let body = br#"{"batch":[{"type":"track","event":"A","userId":"u"}],"sentAt":"2024-01-15T10:30:00.000Z"}"#;
/// transport.send(Request { endpoint: Endpoint::Batch, body })?;
/// assert_eq!(transport.events().len(), 1);
/// assert_eq!(transport.events()[0]["event"], "A");
/// # Ok::<(), event_core::transport::TransportError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct RecordingTransport {
    state: Arc<Mutex<State>>,
}

impl RecordingTransport {
    /// An empty record.
    pub fn new() -> RecordingTransport {
        RecordingTransport::default()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere while holding the lock leaves the record itself intact.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Makes the next sends fail with `errors`, in order, before succeeding again (the
    /// failed attempts are recorded too). For testing retries and failure handling.
    pub fn fail_next(&self, errors: impl IntoIterator<Item = TransportError>) {
        self.state().failures.extend(errors);
    }

    /// Every request received, in order.
    pub fn recorded(&self) -> Vec<RecordedRequest> {
        self.state().requests.clone()
    }

    /// The body of every request received, as JSON, in order.
    pub fn requests(&self) -> Vec<serde_json::Value> {
        self.state()
            .requests
            .iter()
            .map(RecordedRequest::json)
            .collect()
    }

    /// Every event received: the items of each batch, and each single track call, in order.
    pub fn events(&self) -> Vec<serde_json::Value> {
        let mut events = Vec::new();
        for request in self.requests() {
            match request {
                serde_json::Value::Object(mut body)
                    if body.get("batch").is_some_and(|b| b.is_array()) =>
                {
                    if let Some(serde_json::Value::Array(items)) = body.remove("batch") {
                        events.extend(items);
                    }
                }
                other => events.push(other),
            }
        }
        events
    }

    /// Forgets everything received.
    pub fn clear(&self) {
        self.state().requests.clear();
    }
}

impl Transport for RecordingTransport {
    fn send(&self, request: Request<'_>) -> Result<(), TransportError> {
        let mut state = self.state();
        state.requests.push(RecordedRequest {
            endpoint: request.endpoint,
            body: request.body.to_vec(),
        });
        match state.failures.pop_front() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }
}

#[cfg(feature = "async")]
impl super::AsyncTransport for RecordingTransport {
    fn send(
        &self,
        request: Request<'_>,
    ) -> impl Future<Output = Result<(), TransportError>> + Send {
        std::future::ready(Transport::send(self, request))
    }
}
