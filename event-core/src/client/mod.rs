//! The batching client: validate, serialize once, queue, and deliver in batches with
//! retries, handing back every event that could not be delivered.
//!
//! [`Client`] runs a background thread over a blocking [`Transport`](crate::Transport);
//! [`AsyncClient`] (feature `async`) runs a tokio task over an
//! [`AsyncTransport`](crate::AsyncTransport). Both share [`ClientBuilder`] and these rules:
//!
//! - [`Client::track`] validates the event first: invalid events come back as
//!   [`ClientError::Invalid`] at once, and nothing is queued. The call is serialized once;
//!   an item over [`ClientBuilder::max_item_bytes`] (default 32,000 bytes, under 32 KB
//!   however a kilobyte is counted) is refused with [`ClientError::TooLarge`].
//! - The worker sends a batch to `/v1/batch` when [`flush_at`](ClientBuilder::flush_at)
//!   events are queued (default 100), when the oldest queued event has waited
//!   [`flush_interval`](ClientBuilder::flush_interval) (default 5 s), or when one more
//!   event would take the whole request body (`{"batch":[...],"sentAt":"..."}`, counted
//!   exactly) over [`max_batch_bytes`](ClientBuilder::max_batch_bytes) (default 475,000
//!   bytes: the API's limit is 500 KB, and official clients keep the same margin). The
//!   body is the already-serialized items joined together, never serialized again.
//! - The queue is bounded (default 10,000 events). When it is full, `track` returns
//!   [`ClientError::QueueFull`] or waits for room, per [`QueueFull`]; it never drops an event.
//! - Retries follow the [`RetryPolicy`] (default: 10 attempts, backoff from 100 ms up to
//!   10 s with jitter, `Retry-After` honoured up to 60 s) and resend the very same bytes,
//!   so every retry carries the same messageIds. 408, 429, 5xx, network errors and
//!   timeouts are retried; 400 and 401 are not.
//! - A 400 for a batch of more than one event (in strict mode one bad item refuses the
//!   whole batch) splits it in halves, resent separately, down to the single offending
//!   events, which come back as [`DeliveryError::Rejected`]; the others are delivered.
//! - Events that fail for good reach the [`on_failure`](ClientBuilder::on_failure)
//!   callback as a [`FailedEvent`] holding the original payload and the error; without a
//!   callback they are logged through `tracing` at error level. [`Stats`] counts them all.
//! - `flush()` returns once every event queued before it is delivered or has failed;
//!   `close()` (and `Drop`, for the blocking client) flushes within the shutdown timeout
//!   (default 10 s) and hands back whatever it could not deliver as
//!   [`DeliveryError::ShutDown`].

use std::collections::VecDeque;
use std::fmt;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::event::TrackEvent;
use crate::identity::Identity;
use crate::timestamp::Timestamp;
use crate::track::Track;
use crate::transport::{RetryPolicy, TransportError};
use crate::validate::{Validate, ValidationErrors};

#[cfg(feature = "async")]
mod async_client;
mod blocking;

#[cfg(feature = "async")]
pub use async_client::AsyncClient;
pub use blocking::Client;

/// The bytes of a batch body other than the items and the commas between them:
/// `{"batch":[` (10) + `],"sentAt":"` (12) + the 24-byte `sentAt` + `"}` (2).
const BODY_OVERHEAD: usize = 10 + 12 + SENT_AT_LEN + 2;
/// `Timestamp::now()` writes `YYYY-MM-DDTHH:MM:SS.mmmZ`: 24 bytes.
const SENT_AT_LEN: usize = 24;

/// What `track` does when the queue is full.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueueFull {
    /// Return [`ClientError::QueueFull`] at once (the default): the caller decides.
    #[default]
    Error,
    /// Wait until the worker makes room (or the client closes).
    Block,
}

/// Settings of [`Client`] and [`AsyncClient`].
///
/// ```
/// use event_core::client::{ClientBuilder, QueueFull};
/// use event_core::transport::{RecordingTransport, RetryPolicy};
/// use std::time::Duration;
///
/// let client = ClientBuilder::new()
///     .flush_at(20)
///     .flush_interval(Duration::from_secs(1))
///     .queue_capacity(1_000)
///     .when_full(QueueFull::Block)
///     .retry(RetryPolicy::default().attempts(5))
///     .on_failure(|failed| eprintln!("not delivered: {failed}"))
///     .build(RecordingTransport::new())?;
/// client.close();
/// # Ok::<(), event_core::ClientError>(())
/// ```
#[derive(Clone)]
pub struct ClientBuilder {
    config: Config,
}

#[derive(Clone)]
pub(crate) struct Config {
    pub(crate) flush_at: usize,
    pub(crate) flush_interval: Duration,
    pub(crate) max_batch_bytes: usize,
    pub(crate) max_item_bytes: usize,
    pub(crate) queue_capacity: usize,
    pub(crate) when_full: QueueFull,
    pub(crate) retry: RetryPolicy,
    pub(crate) shutdown_timeout: Duration,
    pub(crate) on_failure: Option<Arc<dyn Fn(FailedEvent) + Send + Sync>>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.config;
        f.debug_struct("ClientBuilder")
            .field("flush_at", &c.flush_at)
            .field("flush_interval", &c.flush_interval)
            .field("max_batch_bytes", &c.max_batch_bytes)
            .field("max_item_bytes", &c.max_item_bytes)
            .field("queue_capacity", &c.queue_capacity)
            .field("when_full", &c.when_full)
            .field("retry", &c.retry)
            .field("shutdown_timeout", &c.shutdown_timeout)
            .field("on_failure", &c.on_failure.is_some())
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder::new()
    }
}

impl ClientBuilder {
    /// The default number of queued events that triggers a batch: 100.
    pub const DEFAULT_FLUSH_AT: usize = 100;
    /// The default longest wait of a queued event before its batch is sent: 5 s.
    pub const DEFAULT_FLUSH_INTERVAL: Duration = Duration::from_secs(5);
    /// The default largest batch body: 475,000 bytes, a margin under the API's 500 KB.
    pub const DEFAULT_MAX_BATCH_BYTES: usize = 475_000;
    /// The default largest serialized event: 32,000 bytes, under the API's 32 KB.
    pub const DEFAULT_MAX_ITEM_BYTES: usize = 32_000;
    /// The default queue capacity: 10,000 events.
    pub const DEFAULT_QUEUE_CAPACITY: usize = 10_000;
    /// The default time `close()` and `Drop` allow to deliver what is queued: 10 s.
    pub const DEFAULT_SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(10);

    /// The defaults.
    pub fn new() -> ClientBuilder {
        ClientBuilder {
            config: Config {
                flush_at: Self::DEFAULT_FLUSH_AT,
                flush_interval: Self::DEFAULT_FLUSH_INTERVAL,
                max_batch_bytes: Self::DEFAULT_MAX_BATCH_BYTES,
                max_item_bytes: Self::DEFAULT_MAX_ITEM_BYTES,
                queue_capacity: Self::DEFAULT_QUEUE_CAPACITY,
                when_full: QueueFull::Error,
                retry: RetryPolicy::default(),
                shutdown_timeout: Self::DEFAULT_SHUTDOWN_TIMEOUT,
                on_failure: None,
            },
        }
    }

    /// How many queued events trigger a batch (at least 1).
    pub fn flush_at(mut self, events: usize) -> ClientBuilder {
        self.config.flush_at = events.max(1);
        self
    }

    /// The longest a queued event waits before its batch is sent.
    pub fn flush_interval(mut self, interval: Duration) -> ClientBuilder {
        self.config.flush_interval = interval;
        self
    }

    /// The largest batch body in bytes, `{"batch":[...],"sentAt":"..."}` counted whole.
    /// A single event larger than this is still sent alone.
    pub fn max_batch_bytes(mut self, bytes: usize) -> ClientBuilder {
        self.config.max_batch_bytes = bytes;
        self
    }

    /// The largest serialized event in bytes; larger ones are refused by `track`.
    pub fn max_item_bytes(mut self, bytes: usize) -> ClientBuilder {
        self.config.max_item_bytes = bytes;
        self
    }

    /// How many events the queue holds at most (at least 1).
    pub fn queue_capacity(mut self, events: usize) -> ClientBuilder {
        self.config.queue_capacity = events.max(1);
        self
    }

    /// What `track` does when the queue is full.
    pub fn when_full(mut self, when_full: QueueFull) -> ClientBuilder {
        self.config.when_full = when_full;
        self
    }

    /// When and how often to retry.
    pub fn retry(mut self, retry: RetryPolicy) -> ClientBuilder {
        self.config.retry = retry;
        self
    }

    /// How long `close()` and `Drop` keep trying to deliver what is queued.
    pub fn shutdown_timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.config.shutdown_timeout = timeout;
        self
    }

    /// Called, on the worker, with every event that failed for good. Keep it quick:
    /// send the event to a channel or a log. A panic in it is caught and logged.
    pub fn on_failure(
        mut self,
        callback: impl Fn(FailedEvent) + Send + Sync + 'static,
    ) -> ClientBuilder {
        self.config.on_failure = Some(Arc::new(callback));
        self
    }

    /// Sends every failed event to `sender` (a convenience over
    /// [`on_failure`](Self::on_failure)); events are logged instead once the receiver is gone.
    pub fn failures_to(self, sender: std::sync::mpsc::Sender<FailedEvent>) -> ClientBuilder {
        let sender = Mutex::new(sender);
        self.on_failure(move |failed| {
            let sender = sender
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            if let Err(std::sync::mpsc::SendError(failed)) = sender.send(failed) {
                log_failure(&failed);
            }
        })
    }

    /// Starts a blocking [`Client`] sending through `transport`, on a thread of its own.
    ///
    /// # Errors
    ///
    /// [`ClientError::Worker`] when the thread cannot be started.
    pub fn build<T: crate::transport::Transport + 'static>(
        self,
        transport: T,
    ) -> Result<Client, ClientError> {
        Client::start(self.config, Box::new(transport))
    }

    /// Starts an [`AsyncClient`] sending through `transport`, on a task of the current
    /// tokio runtime.
    ///
    /// # Errors
    ///
    /// [`ClientError::Worker`] when called outside a tokio runtime.
    #[cfg(feature = "async")]
    pub fn build_async<T: crate::transport::AsyncTransport>(
        self,
        transport: T,
    ) -> Result<AsyncClient<T>, ClientError> {
        AsyncClient::start(self.config, transport)
    }
}

/// Why `track` (or `flush`) did not accept an event.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ClientError {
    /// The event broke validation rules; nothing was queued.
    Invalid(ValidationErrors),
    /// The event could not be serialized to JSON (a map with non-string keys, or a
    /// `Serialize` implementation that failed).
    Serialize(String),
    /// The serialized event is larger than the API accepts.
    TooLarge {
        /// Its size in bytes.
        bytes: usize,
        /// The limit.
        max: usize,
    },
    /// The queue is full: the worker is behind (a slow or unreachable server).
    QueueFull {
        /// The queue's capacity.
        capacity: usize,
    },
    /// The client is closed (or its worker stopped); nothing more is accepted.
    Closed,
    /// `flush` gave up waiting before everything was delivered.
    FlushTimeout {
        /// Events still queued or in flight.
        pending: u64,
    },
    /// The worker could not be started.
    Worker(String),
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Invalid(errors) => {
                write!(f, "the event is invalid and was not queued:\n{errors}")
            }
            ClientError::Serialize(error) => {
                write!(f, "the event could not be serialized to JSON: {error}")
            }
            ClientError::TooLarge { bytes, max } => write!(
                f,
                "the event is {bytes} bytes once serialized, over the {max}-byte limit per event: \
                 send fewer or shorter properties"
            ),
            ClientError::QueueFull { capacity } => write!(
                f,
                "the queue is full ({capacity} events) because delivery is behind; \
                 retry later, raise the capacity, or choose QueueFull::Block"
            ),
            ClientError::Closed => f.write_str("the client is closed and accepts no more events"),
            ClientError::FlushTimeout { pending } => {
                write!(
                    f,
                    "flush timed out with {pending} events not yet delivered; they stay queued"
                )
            }
            ClientError::Worker(error) => write!(f, "could not start the delivery worker: {error}"),
        }
    }
}

impl std::error::Error for ClientError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ClientError::Invalid(errors) => Some(errors),
            _ => None,
        }
    }
}

/// Why an event was not delivered.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum DeliveryError {
    /// The server refused this event (400): the error carries the server's messages.
    /// Not retried: the payload must change.
    Rejected(TransportError),
    /// Delivery failed for good: a non-retryable answer (such as 401), or the retries ran out.
    Failed {
        /// The last attempt's error.
        error: TransportError,
        /// How many attempts were made.
        attempts: u32,
    },
    /// The client shut down before the event could be delivered.
    ShutDown {
        /// The last attempt's error, if any attempt was made.
        last_error: Option<TransportError>,
    },
}

impl fmt::Display for DeliveryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeliveryError::Rejected(error) => write!(f, "rejected: {error}"),
            DeliveryError::Failed { error, attempts } => {
                write!(f, "failed after {attempts} attempt(s): {error}")
            }
            DeliveryError::ShutDown {
                last_error: Some(error),
            } => {
                write!(f, "not delivered before shutdown; last error: {error}")
            }
            DeliveryError::ShutDown { last_error: None } => {
                f.write_str("not delivered before shutdown")
            }
        }
    }
}

impl std::error::Error for DeliveryError {}

/// An event that was not delivered: its payload, exactly as it would have been sent,
/// and why.
#[derive(Debug, Clone, PartialEq)]
pub struct FailedEvent {
    /// The event's `messageId`.
    pub message_id: String,
    /// The serialized payload (one batch item).
    pub payload: Arc<[u8]>,
    /// What went wrong.
    pub error: DeliveryError,
}

impl FailedEvent {
    /// The payload as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.payload).unwrap_or(serde_json::Value::Null)
    }

    /// Whether the server refused the event itself (as opposed to a delivery failure).
    pub fn is_rejected(&self) -> bool {
        matches!(self.error, DeliveryError::Rejected(_))
    }
}

impl fmt::Display for FailedEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "event {} {}", self.message_id, self.error)
    }
}

/// What a client has done so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// Events accepted by `track`.
    pub tracked: u64,
    /// Events the server accepted.
    pub delivered: u64,
    /// Event sends repeated after a failed attempt (one per event per retry).
    pub retried: u64,
    /// Events that failed for good (retries exhausted, 401, shutdown).
    pub failed: u64,
    /// Events the server refused (400).
    pub rejected: u64,
    /// Events waiting in the queue now (not counting a batch in flight).
    pub queued: u64,
}

impl Stats {
    /// Events accepted but neither delivered, failed nor rejected yet.
    pub fn pending(&self) -> u64 {
        self.tracked
            .saturating_sub(self.delivered + self.failed + self.rejected)
    }
}

/// One serialized event waiting in the queue.
#[derive(Debug)]
pub(crate) struct Item {
    /// Kept as serialized; shared with the application only if the event fails.
    pub(crate) payload: Vec<u8>,
    pub(crate) message_id: String,
    pub(crate) queued_at: Instant,
}

/// Validates and serializes a call, once.
pub(crate) fn prepare<E: TrackEvent + Serialize + Validate>(
    track: &Track<E>,
    config: &Config,
) -> Result<Item, ClientError> {
    track.validate().map_err(ClientError::Invalid)?;
    let payload =
        serde_json::to_vec(track).map_err(|error| ClientError::Serialize(error.to_string()))?;
    if payload.len() > config.max_item_bytes {
        return Err(ClientError::TooLarge {
            bytes: payload.len(),
            max: config.max_item_bytes,
        });
    }
    Ok(Item {
        payload,
        message_id: track.message_id.as_str().to_owned(),
        queued_at: Instant::now(),
    })
}

/// A new call for `identity` and `event`, with a fresh messageId.
pub(crate) fn new_track<E>(identity: Identity, event: E) -> Track<E> {
    Track::new(identity, event)
}

/// The size of the batch body holding items whose sizes add up to `items_bytes`.
pub(crate) fn body_len(count: usize, items_bytes: usize) -> usize {
    BODY_OVERHEAD + items_bytes + count.saturating_sub(1)
}

/// `{"batch":[item,item,...],"sentAt":"..."}` from the serialized items, as they are.
pub(crate) fn batch_body(items: &[Item]) -> Vec<u8> {
    let items_bytes: usize = items.iter().map(|item| item.payload.len()).sum();
    let mut body = Vec::with_capacity(body_len(items.len(), items_bytes));
    body.extend_from_slice(b"{\"batch\":[");
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            body.push(b',');
        }
        body.extend_from_slice(&item.payload);
    }
    body.extend_from_slice(b"],\"sentAt\":\"");
    body.extend_from_slice(Timestamp::now().to_string().as_bytes());
    body.extend_from_slice(b"\"}");
    body
}

/// The queue and the counters, behind one lock.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) items: VecDeque<Item>,
    /// Events accepted so far.
    pub(crate) enqueued: u64,
    /// Events done with (delivered, failed or rejected), in queue order.
    pub(crate) finished: u64,
    /// `flush` asked for everything up to this count.
    pub(crate) flush_target: u64,
    /// Set by `close`: the time by which delivery stops.
    pub(crate) closing: Option<Instant>,
    /// False once the worker has stopped.
    pub(crate) worker_done: bool,
    pub(crate) stats: Stats,
    /// The bytes of the queued items, kept so checking for a full batch is O(1).
    queued_bytes: usize,
}

/// What the worker should do next.
pub(crate) enum Next {
    /// Send this batch.
    Send(Vec<Item>),
    /// Nothing to do for this long (or until woken, when `None`).
    Wait(Option<Duration>),
    /// Closed and empty: stop.
    Stop,
}

impl State {
    pub(crate) fn stats(&self) -> Stats {
        Stats {
            queued: self.items.len() as u64,
            ..self.stats
        }
    }

    /// Queues `item` if there is room; gives it back otherwise. `Ok(true)` when the
    /// worker must be woken: the queue was empty (its interval starts) or now holds a
    /// full batch. Waking it for every event would cost a context switch per event.
    pub(crate) fn push(&mut self, item: Item, config: &Config) -> Result<bool, Item> {
        if self.items.len() >= config.queue_capacity {
            return Err(item);
        }
        self.queued_bytes += item.payload.len();
        self.items.push_back(item);
        self.enqueued += 1;
        self.stats.tracked += 1;
        Ok(self.items.len() == 1 || self.batch_ready(config))
    }

    /// Takes every queued item (shutdown ran out of time).
    pub(crate) fn take_all(&mut self) -> Vec<Item> {
        self.queued_bytes = 0;
        self.items.drain(..).collect()
    }

    /// Whether the queue holds a full batch, by count or by body size.
    fn batch_ready(&self, config: &Config) -> bool {
        self.items.len() >= config.flush_at
            || body_len(self.items.len(), self.queued_bytes) > config.max_batch_bytes
    }

    /// Whether a batch is due now, and the batch if so.
    pub(crate) fn next(&mut self, config: &Config, now: Instant) -> Next {
        let Some(oldest) = self.items.front() else {
            return if self.closing.is_some() {
                Next::Stop
            } else {
                Next::Wait(None)
            };
        };
        if let Some(deadline) = self.closing {
            if now >= deadline {
                // Out of time: hand back everything still queued.
                return Next::Send(Vec::new());
            }
        }
        let due = oldest.queued_at + config.flush_interval;
        let full = self.batch_ready(config);
        let flushing = self.flush_target > self.finished || self.closing.is_some();
        if !(full || flushing || now >= due) {
            return Next::Wait(Some(due.saturating_duration_since(now)));
        }
        let mut batch = Vec::new();
        let mut bytes = 0;
        while let Some(item) = self.items.front() {
            if batch.len() >= config.flush_at {
                break;
            }
            if !batch.is_empty()
                && body_len(batch.len() + 1, bytes + item.payload.len()) > config.max_batch_bytes
            {
                break;
            }
            bytes += item.payload.len();
            if let Some(item) = self.items.pop_front() {
                self.queued_bytes -= item.payload.len();
                batch.push(item);
            }
        }
        Next::Send(batch)
    }
}

/// Whether `close`'s deadline has passed: parts of a split batch still unsent are then
/// handed back rather than sent.
pub(crate) fn past_deadline(state: &Mutex<State>) -> bool {
    lock(state)
        .closing
        .is_some_and(|deadline| Instant::now() >= deadline)
}

/// Locks `mutex`, recovering from poisoning (the state stays consistent: every update
/// is a few assignments).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Delivering one batch, shared by the blocking and the async worker, which differ only
/// in how they send a body and how they wait.
///
/// A 400 for a part of more than one event splits it in halves, sent separately, down
/// to the single events the server refuses; retryable failures repeat the same body
/// (the same messageIds) after the policy's backoff.
pub(crate) struct Delivery<'a> {
    items: &'a [Item],
    /// Ranges of `items` still to send; halves are pushed in reverse to keep the order.
    pending: Vec<(usize, usize)>,
    /// The part being sent: its range, body, attempt number and last error.
    current: Option<Part>,
}

struct Part {
    start: usize,
    end: usize,
    body: Vec<u8>,
    attempt: u32,
    last_error: Option<TransportError>,
}

/// What the worker does after recording an attempt.
pub(crate) enum After {
    /// Send the next body, if any.
    Continue,
    /// Wait this long, then send the same body again (or [`Delivery::abandon`] it).
    Retry(Duration),
}

impl<'a> Delivery<'a> {
    pub(crate) fn new(items: &'a [Item]) -> Self {
        Delivery {
            items,
            pending: vec![(0, items.len())],
            current: None,
        }
    }

    /// The body to send next, or `None` once every event is done with. Parts not yet
    /// tried when `close`'s deadline has passed are handed back instead.
    pub(crate) fn next_body(&mut self, state: &Mutex<State>, config: &Config) -> Option<&[u8]> {
        if self.current.is_none() {
            loop {
                let (start, end) = self.pending.pop()?;
                let part = &self.items[start..end];
                if past_deadline(state) {
                    fail(
                        state,
                        config,
                        part,
                        DeliveryError::ShutDown { last_error: None },
                    );
                    continue;
                }
                self.current = Some(Part {
                    start,
                    end,
                    body: batch_body(part),
                    attempt: 1,
                    last_error: None,
                });
                break;
            }
        } else if let Some(part) = &self.current {
            let events = part.end - part.start;
            lock(state).stats.retried += events as u64;
            if let Some(error) = &part.last_error {
                tracing::warn!(%error, events, attempt = part.attempt, "batch failed; retrying");
            }
        }
        self.current.as_ref().map(|part| part.body.as_slice())
    }

    /// Records the outcome of sending the current body.
    pub(crate) fn record(
        &mut self,
        result: Result<(), TransportError>,
        state: &Mutex<State>,
        config: &Config,
    ) -> After {
        let Some(mut part) = self.current.take() else {
            return After::Continue;
        };
        let items = &self.items[part.start..part.end];
        match result {
            Ok(()) => finish(state, config, items, None),
            Err(TransportError::Rejected { .. }) if items.len() > 1 => {
                tracing::warn!(
                    events = items.len(),
                    "batch rejected (400); splitting it to find the bad events"
                );
                let middle = part.start + items.len() / 2;
                self.pending.push((middle, part.end));
                self.pending.push((part.start, middle));
            }
            Err(error @ TransportError::Rejected { .. }) => {
                fail(state, config, items, DeliveryError::Rejected(error));
            }
            Err(error) if error.is_retryable() && part.attempt < config.retry.max_attempts() => {
                let wait = config.retry.backoff(part.attempt, error.retry_after());
                part.attempt += 1;
                part.last_error = Some(error);
                self.current = Some(part);
                return After::Retry(wait);
            }
            Err(error) => {
                let attempts = part.attempt;
                fail(
                    state,
                    config,
                    items,
                    DeliveryError::Failed { error, attempts },
                );
            }
        }
        After::Continue
    }

    /// Shutdown's deadline came before the retry: hands back the current part.
    pub(crate) fn abandon(&mut self, state: &Mutex<State>, config: &Config) {
        if let Some(part) = self.current.take() {
            let items = &self.items[part.start..part.end];
            let error = DeliveryError::ShutDown {
                last_error: part.last_error,
            };
            fail(state, config, items, error);
        }
    }
}

/// Logs and records a failure of `items`.
fn fail(state: &Mutex<State>, config: &Config, items: &[Item], error: DeliveryError) {
    tracing::error!(%error, events = items.len(), "batch not delivered");
    finish(state, config, items, Some(error));
}

/// Records the outcome for `items` and hands failures to the application.
pub(crate) fn finish(
    state: &Mutex<State>,
    config: &Config,
    items: &[Item],
    outcome: Option<DeliveryError>,
) {
    {
        let mut state = lock(state);
        let count = items.len() as u64;
        match &outcome {
            None => state.stats.delivered += count,
            Some(DeliveryError::Rejected(_)) => state.stats.rejected += count,
            Some(_) => state.stats.failed += count,
        }
        state.finished += count;
    }
    let Some(error) = outcome else {
        tracing::debug!(events = items.len(), "batch delivered");
        return;
    };
    for item in items {
        let failed = FailedEvent {
            message_id: item.message_id.clone(),
            payload: Arc::from(item.payload.as_slice()),
            error: error.clone(),
        };
        match &config.on_failure {
            Some(callback) => {
                if std::panic::catch_unwind(AssertUnwindSafe(|| callback(failed))).is_err() {
                    tracing::error!(message_id = %item.message_id, "the on_failure callback panicked");
                }
            }
            None => log_failure(&failed),
        }
    }
}

fn log_failure(failed: &FailedEvent) {
    tracing::error!(message_id = %failed.message_id, error = %failed.error, "event not delivered");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(size: usize) -> Item {
        let mut payload = vec![b'1'; size];
        if let Some(first) = payload.first_mut() {
            *first = b'2';
        }
        Item {
            payload,
            message_id: String::new(),
            queued_at: Instant::now(),
        }
    }

    #[test]
    fn body_length_is_exact() {
        let items = [item(5), item(7), item(1)];
        let body = batch_body(&items);
        assert_eq!(body.len(), body_len(3, 13));
        assert!(serde_json::from_slice::<serde_json::Value>(&body).is_ok());
        assert_eq!(batch_body(&items[..1]).len(), body_len(1, 5));
    }

    #[test]
    fn batches_stay_under_the_byte_limit() {
        let config = ClientBuilder::new().max_batch_bytes(1_000).config;
        let mut state = State::default();
        for _ in 0..10 {
            assert!(state.push(item(300), &config).is_ok());
        }
        let Next::Send(batch) = state.next(&config, Instant::now()) else {
            panic!("a batch is due: the queued bytes exceed the limit");
        };
        assert_eq!(batch.len(), 3);
        assert!(batch_body(&batch).len() <= 1_000);
    }
}
