//! The transport that needs no account and no network: one JSON document per line.

use std::io::{self, Write};
use std::sync::Mutex;

use super::{Request, Transport, TransportError};

/// Writes each request body as one line of JSON to any [`io::Write`] (stdout by default).
///
/// Bodies are written as they are: the client's serialized JSON never holds a raw
/// newline, so each body is exactly one line. A batch is one line holding the batch
/// body; use [`JsonLinesTransport::one_line_per_event`] to write each event on a line of
/// its own instead.
///
/// ```
/// use event_core::transport::{Endpoint, JsonLinesTransport, Request, Transport};
///
/// let transport = JsonLinesTransport::new(Vec::new());
/// transport.send(Request { endpoint: Endpoint::Track, body: br#"{"event":"A"}"# })?;
/// assert_eq!(transport.into_inner(), b"{\"event\":\"A\"}\n");
/// # Ok::<(), event_core::transport::TransportError>(())
/// ```
#[derive(Debug)]
pub struct JsonLinesTransport<W: Write + Send = io::Stdout> {
    writer: Mutex<W>,
    per_event: bool,
}

impl JsonLinesTransport<io::Stdout> {
    /// Writes to standard output.
    pub fn stdout() -> JsonLinesTransport<io::Stdout> {
        JsonLinesTransport::new(io::stdout())
    }
}

impl Default for JsonLinesTransport<io::Stdout> {
    fn default() -> Self {
        JsonLinesTransport::stdout()
    }
}

impl<W: Write + Send> JsonLinesTransport<W> {
    /// Writes to `writer`.
    pub fn new(writer: W) -> JsonLinesTransport<W> {
        JsonLinesTransport {
            writer: Mutex::new(writer),
            per_event: false,
        }
    }

    /// Writes each event of a batch on a line of its own (without the batch's `sentAt`),
    /// rather than one line per request.
    pub fn one_line_per_event(mut self) -> JsonLinesTransport<W> {
        self.per_event = true;
        self
    }

    /// Gives the writer back.
    pub fn into_inner(self) -> W {
        self.writer
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write(&self, body: &[u8]) -> io::Result<()> {
        let mut writer = self
            .writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if self.per_event {
            #[derive(serde::Deserialize)]
            struct Batch<'a> {
                #[serde(borrow)]
                batch: Vec<&'a serde_json::value::RawValue>,
            }
            if let Ok(batch) = serde_json::from_slice::<Batch<'_>>(body) {
                // Each item exactly as the client serialized it.
                for item in batch.batch {
                    writer.write_all(item.get().as_bytes())?;
                    writer.write_all(b"\n")?;
                }
                return writer.flush();
            }
        }
        writer.write_all(body)?;
        writer.write_all(b"\n")?;
        writer.flush()
    }
}

impl<W: Write + Send> Transport for JsonLinesTransport<W> {
    fn send(&self, request: Request<'_>) -> Result<(), TransportError> {
        self.write(request.body)
            .map_err(|error| TransportError::Io(error.to_string()))
    }
}

#[cfg(feature = "async")]
impl<W: Write + Send + 'static> super::AsyncTransport for JsonLinesTransport<W> {
    fn send(
        &self,
        request: Request<'_>,
    ) -> impl Future<Output = Result<(), TransportError>> + Send {
        std::future::ready(Transport::send(self, request))
    }
}
