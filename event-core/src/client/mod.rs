//! The batching client: validate, serialize once, queue, and deliver in batches with
//! retries, handing back every event that could not be delivered.
//!
//! [`Client`] runs background threads over a blocking [`Transport`](crate::Transport);
//! `AsyncClient` (feature `async`) runs tokio tasks over an `AsyncTransport`. Both share
//! [`ClientBuilder`] and these rules:
//!
//! - [`Client::track`] validates the event first: invalid events come back as
//!   [`ClientError::Invalid`] at once, and nothing is queued. The call is serialized once;
//!   an item over [`ClientBuilder::max_item_bytes`] (default 32,000 bytes, under 32 KB
//!   however a kilobyte is counted) is refused with [`ClientError::TooLarge`].
//! - A worker sends a batch to `/v1/batch` when [`flush_at`](ClientBuilder::flush_at)
//!   events are queued (default 100), when the oldest queued event has waited
//!   [`flush_interval`](ClientBuilder::flush_interval) (default 5 s), or when one more
//!   event would take the whole request body (`{"batch":[...],"sentAt":"..."}`, counted
//!   exactly) over [`max_batch_bytes`](ClientBuilder::max_batch_bytes) (default 475,000
//!   bytes: the API's limit is 500 KB, and official clients keep the same margin). Each
//!   event is written once, into the body of the batch it will go out in; that buffer is
//!   sent as it is and reused for a later batch.
//! - `flush_at` is when a batch *may* go, not its size. A batch of `flush_at` events
//!   goes when no other batch is on its way, once [`linger`](ClientBuilder::linger)
//!   (default 5 ms) has passed since its first event was queued, so that a burst goes
//!   in one batch rather than a first one of `flush_at` and then the rest; while one is, it fills on until
//!   one is answered, it is full, or `flush_interval` passes (as Nagle's algorithm holds
//!   back small TCP segments). A batch is full at `max_batch_bytes` or
//!   [`max_batch_events`](ClientBuilder::max_batch_events) (default 2,000), and a full
//!   batch goes as soon as the limit on batches in flight allows. So events that
//!   trickle in go in batches of `flush_at` (or after `flush_interval`), and a backlog
//!   goes out in few, full requests, as many at once as the round trip needs.
//! - Several batches are in flight at once, each sent by a worker of its own, so that
//!   delivery is not capped at one batch per round trip. How many adapts to the server,
//!   within 1 and [`concurrent_batches`](ClientBuilder::concurrent_batches) (default 16,
//!   the number of workers): it starts at 4 (or `concurrent_batches`, if lower), grows
//!   by one for each batch delivered while events wait, and halves on a 429 or a 5xx
//!   (once for all the requests overloaded by the same burst). A 429 or 5xx also pauses
//!   every worker, not only the one that got it, for the backoff of the retry or the
//!   server's `Retry-After`. Batches may arrive out of order; `flush` still waits for
//!   all of them.
//! - The queue is bounded (default 10,000 events; the batches in flight, at most
//!   `concurrent_batches` of at most `max_batch_bytes` each, come on top). When it is
//!   full, `track` returns [`ClientError::QueueFull`] or waits for room, per
//!   [`QueueFull`]; it never drops an event.
//! - Retries follow the [`RetryPolicy`] (default: 10 attempts, backoff from 100 ms up to
//!   10 s with jitter, `Retry-After` honoured up to 60 s) and resend the very same bytes,
//!   so every retry carries the same messageIds. 408, 429, 5xx, network errors and
//!   timeouts are retried; 400 and 401 are not.
//! - A 400 for a batch of more than one event (in strict mode one bad item refuses the
//!   whole batch) is read for the items it names. Customer.io documents the strict-mode
//!   error body as `{"meta": {"errors": ["..."]}}` and no more of the messages; they
//!   carry the path of what failed, such as `batch[3].properties.price`. Every
//!   `batch[N]` (or `/batch/N`) in the messages is taken as naming item N of the body
//!   sent (see [`TransportError::refused_items`]); when they name items of the batch,
//!   those come back as [`DeliveryError::Rejected`] (with the messages naming each) and
//!   the rest is resent at once, in one request. When the messages name nothing (or an item the body does
//!   not have), the batch is split in halves, resent separately, down to the single
//!   offending events; the others are delivered.
//! - Events that fail for good reach the [`on_failure`](ClientBuilder::on_failure)
//!   callback as a [`FailedEvent`] holding the original payload and the error; without a
//!   callback they are logged through `tracing` at error level. [`Stats`] counts them all.
//! - `flush()` returns once every event queued before it is delivered or has failed;
//!   `close()` (and `Drop`, for the blocking client) flushes within the shutdown timeout
//!   (default 10 s), returns by then, and hands back whatever it could not deliver as
//!   [`DeliveryError::ShutDown`], requests still unanswered included.
//! - With [`ClientBuilder::durable`] the queue is also on disk: each event accepted is
//!   written to a checksummed segment file before `track` returns and synced within
//!   5 ms (or before it returns, per [`Fsync`]); the next client on the directory sends
//!   what is left, with the same messageIds, and what `close` could not deliver stays
//!   there for it rather than coming back.

use std::cell::Cell;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use crate::calls::Call;
use crate::transport::{RetryPolicy, TransportError};
use crate::validate::ValidationErrors;

#[cfg(feature = "async")]
mod async_client;
mod blocking;
mod congestion;
mod delivery;
mod durable;
mod queue;

#[cfg(feature = "async")]
pub use async_client::AsyncClient;
pub use blocking::Client;
use delivery::log_failure;
pub use durable::Fsync;

/// What `track` does when the queue is full.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueueFull {
    /// Return [`ClientError::QueueFull`] at once (the default): the caller decides.
    #[default]
    Error,
    /// Wait until a worker makes room (or the client closes).
    Block,
}

/// Settings of [`Client`] and `AsyncClient` (feature `async`).
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
///     .concurrent_batches(2)
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
    pub(crate) linger: Duration,
    pub(crate) max_batch_bytes: usize,
    pub(crate) max_batch_events: usize,
    pub(crate) max_item_bytes: usize,
    pub(crate) queue_capacity: usize,
    pub(crate) concurrent_batches: usize,
    pub(crate) when_full: QueueFull,
    pub(crate) retry: RetryPolicy,
    pub(crate) shutdown_timeout: Duration,
    pub(crate) on_failure: Option<Arc<dyn Fn(FailedEvent) + Send + Sync>>,
    pub(crate) durable: Option<durable::DurableConfig>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.config;
        f.debug_struct("ClientBuilder")
            .field("flush_at", &c.flush_at)
            .field("flush_interval", &c.flush_interval)
            .field("linger", &c.linger)
            .field("max_batch_bytes", &c.max_batch_bytes)
            .field("max_batch_events", &c.max_batch_events)
            .field("max_item_bytes", &c.max_item_bytes)
            .field("queue_capacity", &c.queue_capacity)
            .field("concurrent_batches", &c.concurrent_batches)
            .field("when_full", &c.when_full)
            .field("retry", &c.retry)
            .field("shutdown_timeout", &c.shutdown_timeout)
            .field("on_failure", &c.on_failure.is_some())
            .field("durable", &c.durable)
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
    /// The default time a batch of `flush_at` events waits from its first event for
    /// more of a burst to join it: 5 ms, as Kafka's producer does by default.
    pub const DEFAULT_LINGER: Duration = Duration::from_millis(5);
    /// The default largest batch body: 475,000 bytes, a margin under the API's 500 KB.
    pub const DEFAULT_MAX_BATCH_BYTES: usize = 475_000;
    /// The default most events in a batch: 2,000. The body limit decides first for
    /// events over about 240 bytes; this bounds a batch of tiny events.
    pub const DEFAULT_MAX_BATCH_EVENTS: usize = 2_000;
    /// The default largest serialized event: 32,000 bytes, under the API's 32 KB.
    pub const DEFAULT_MAX_ITEM_BYTES: usize = 32_000;
    /// The default queue capacity: 10,000 events.
    pub const DEFAULT_QUEUE_CAPACITY: usize = 10_000;
    /// The default most batches in flight at once: 16 (see
    /// [`concurrent_batches`](Self::concurrent_batches)).
    pub const DEFAULT_CONCURRENT_BATCHES: usize = 16;
    /// The default time `close()` and `Drop` allow to deliver what is queued: 10 s.
    pub const DEFAULT_SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(10);
    /// The default disk space of the durable queue: 64 MiB.
    pub const DEFAULT_DURABLE_CAPACITY_BYTES: u64 = 64 * 1024 * 1024;
    /// The default sync of the durable queue: every 5 ms.
    pub const DEFAULT_DURABLE_FSYNC: Fsync = Fsync::Every(Duration::from_millis(5));

    /// The defaults.
    pub fn new() -> ClientBuilder {
        ClientBuilder {
            config: Config {
                flush_at: Self::DEFAULT_FLUSH_AT,
                flush_interval: Self::DEFAULT_FLUSH_INTERVAL,
                linger: Self::DEFAULT_LINGER,
                max_batch_bytes: Self::DEFAULT_MAX_BATCH_BYTES,
                max_batch_events: Self::DEFAULT_MAX_BATCH_EVENTS,
                max_item_bytes: Self::DEFAULT_MAX_ITEM_BYTES,
                queue_capacity: Self::DEFAULT_QUEUE_CAPACITY,
                concurrent_batches: Self::DEFAULT_CONCURRENT_BATCHES,
                when_full: QueueFull::Error,
                retry: RetryPolicy::default(),
                shutdown_timeout: Self::DEFAULT_SHUTDOWN_TIMEOUT,
                on_failure: None,
                durable: None,
            },
        }
    }

    /// How many queued events trigger a batch (at least 1), when no other batch is on
    /// its way. While one is, the batch fills on until one is answered, up to
    /// [`max_batch_events`](Self::max_batch_events) and
    /// [`max_batch_bytes`](Self::max_batch_bytes) (see the [module
    /// documentation](crate::client)).
    pub fn flush_at(mut self, events: usize) -> ClientBuilder {
        self.config.flush_at = events.max(1);
        self
    }

    /// The longest a queued event waits before its batch is sent.
    pub fn flush_interval(mut self, interval: Duration) -> ClientBuilder {
        self.config.flush_interval = interval;
        self
    }

    /// How long a batch that reached [`flush_at`](Self::flush_at) waits, counted from
    /// its first event, for more events to join it (default 5 ms). Events that come in
    /// a burst then go in one batch, not a first one of `flush_at` and a second with the
    /// rest: fewer requests, and fewer resent when the server refuses some of them.
    /// Events that trickle in reach `flush_at` later than this, so they wait no longer.
    /// A full batch, [`flush`](crate::Client::flush) and `close` never wait for it;
    /// `Duration::ZERO` sends a batch the moment it reaches `flush_at`.
    pub fn linger(mut self, linger: Duration) -> ClientBuilder {
        self.config.linger = linger;
        self
    }

    /// The largest batch body in bytes, `{"batch":[...],"sentAt":"..."}` counted whole.
    /// A single event larger than this is still sent alone.
    pub fn max_batch_bytes(mut self, bytes: usize) -> ClientBuilder {
        self.config.max_batch_bytes = bytes;
        self
    }

    /// The most events in one batch (at least 1; never fewer than
    /// [`flush_at`](Self::flush_at)). A batch reaches it only when events wait for a
    /// free worker, and only if `max_batch_bytes` does not stop it first.
    pub fn max_batch_events(mut self, events: usize) -> ClientBuilder {
        self.config.max_batch_events = events.max(1);
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

    /// The most batches in flight at once (at least 1): the number of workers.
    ///
    /// One batch at a time caps delivery at one batch per round trip (100 events per
    /// 50 ms is 2,000 events/s); more overlap the round trips and the server's work.
    /// How many are in flight adapts between 1 and this: it starts at 4 (or this, if
    /// lower), grows by one for each batch delivered while others wait, and halves when
    /// the server answers 429 or 5xx. Batches sent at once may arrive out of order; each
    /// event keeps its `timestamp`.
    pub fn concurrent_batches(mut self, batches: usize) -> ClientBuilder {
        self.config.concurrent_batches = batches.max(1);
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

    /// Called with every event that failed for good, on a worker (several may call it
    /// at once) or, for events handed back at shutdown, on the thread closing or dropping
    /// the client. Keep it quick: send the event to a channel or a log. A panic in it is
    /// caught and logged.
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

    /// Keeps the queue on disk too, in `dir`, so that events survive the process dying.
    ///
    /// Each accepted event is written to a segment file in `dir` before `track` returns,
    /// and synced to disk per [`durable_fsync`](Self::durable_fsync) (default: within
    /// 5 ms). A client started later on the same directory sends what an earlier one
    /// left, with the same messageIds ([`Stats::recovered`]). Events not delivered by
    /// `close`'s deadline stay on disk for that next client ([`Stats::kept`]) instead of
    /// coming back as [`DeliveryError::ShutDown`]; events the server refuses, or that
    /// fail for good, come back to [`on_failure`](Self::on_failure) as ever, and leave
    /// the disk. An event may be sent twice (a process that dies after the server
    /// accepted a batch, before it recorded that): the API deduplicates by messageId.
    ///
    /// One live client per directory: building a second one fails with
    /// [`ClientError::Storage`], as does a directory that cannot be written. Damaged
    /// records (a write cut short) are skipped at start, logged and counted in
    /// [`Stats::damaged`].
    pub fn durable(mut self, dir: impl Into<std::path::PathBuf>) -> ClientBuilder {
        let previous = self.config.durable.take();
        self.config.durable = Some(durable::DurableConfig {
            dir: dir.into(),
            capacity_bytes: previous
                .as_ref()
                .map_or(Self::DEFAULT_DURABLE_CAPACITY_BYTES, |durable| {
                    durable.capacity_bytes
                }),
            fsync: previous.map_or(Self::DEFAULT_DURABLE_FSYNC, |durable| durable.fsync),
        });
        self
    }

    /// The most disk space the durable queue's files take; past it `track` returns
    /// [`ClientError::DiskQueueFull`] or waits, per [`QueueFull`]. Space comes back as
    /// whole segment files (an eighth of this, between 64 KiB and 8 MiB) are delivered.
    /// Only used with [`durable`](Self::durable).
    pub fn durable_capacity_bytes(mut self, bytes: u64) -> ClientBuilder {
        if let Some(durable) = &mut self.config.durable {
            durable.capacity_bytes = bytes;
        }
        self
    }

    /// When the durable queue syncs to disk (see [`Fsync`]). Only used with
    /// [`durable`](Self::durable).
    pub fn durable_fsync(mut self, fsync: Fsync) -> ClientBuilder {
        if let Some(durable) = &mut self.config.durable {
            durable.fsync = fsync;
        }
        self
    }

    /// Starts a blocking [`Client`] sending through `transport`, on a thread of its own.
    ///
    /// # Errors
    ///
    /// [`ClientError::Worker`] when the thread cannot be started;
    /// [`ClientError::Storage`] when the durable queue's directory cannot be used.
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
    /// [`ClientError::Worker`] when called outside a tokio runtime;
    /// [`ClientError::Storage`] when the durable queue's directory cannot be used.
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
    /// The queue is full: the workers are behind (a slow or unreachable server).
    QueueFull {
        /// The queue's capacity.
        capacity: usize,
    },
    /// The durable queue's files are at their capacity: the workers are behind.
    DiskQueueFull {
        /// The capacity in bytes ([`ClientBuilder::durable_capacity_bytes`]).
        capacity_bytes: u64,
    },
    /// The durable queue's directory cannot be used: not writable, held by another live
    /// client, or a write failed. The message says which, and where.
    Storage(String),
    /// The client is closed (or its worker stopped); nothing more is accepted.
    Closed,
    /// `flush` gave up waiting before everything was delivered.
    FlushTimeout {
        /// Events still queued or in flight.
        pending: u64,
    },
    /// A worker could not be started.
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
            ClientError::DiskQueueFull { capacity_bytes } => write!(
                f,
                "the durable queue is full ({capacity_bytes} bytes on disk) because delivery is \
                 behind; retry later, raise durable_capacity_bytes, or choose QueueFull::Block"
            ),
            ClientError::Storage(error) => write!(f, "the durable queue failed: {error}"),
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
    /// The worker sending it stopped before it was delivered: the transport panicked, or
    /// the tokio runtime running an `AsyncClient` shut down. Once the last worker has
    /// stopped, every queued event comes back this way too.
    WorkerStopped,
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
            DeliveryError::WorkerStopped => f.write_str(
                "not delivered: the delivery worker stopped (a panicking transport, or the \
                 async runtime shutting down); resend it with a working client",
            ),
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
    /// Events an earlier client left in the durable queue, read back at start.
    pub recovered: u64,
    /// Events not delivered by shutdown and left in the durable queue for the next
    /// client on its directory.
    pub kept: u64,
    /// Damaged stretches of the durable queue's files (each one or more records, usually
    /// a write cut short when a process died) skipped at start.
    pub damaged: u64,
}

impl Stats {
    /// Events accepted (or recovered) but neither delivered, failed, rejected nor kept
    /// on disk yet.
    pub fn pending(&self) -> u64 {
        (self.tracked + self.recovered)
            .saturating_sub(self.delivered + self.failed + self.rejected + self.kept)
    }
}

thread_local! {
    /// Each calling thread serializes into a buffer of its own, so `track` allocates
    /// nothing and holds the queue's lock only to copy the bytes in.
    static SCRATCH: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// A scratch buffer grown past this by one huge event is freed rather than kept.
const SCRATCH_KEEP_BYTES: usize = 64 * 1024;

/// Validates and serializes a call, once, then hands its payload and messageId to
/// `queue`.
pub(crate) fn prepare<C: Call, R>(
    call: &C,
    config: &Config,
    queue: impl FnOnce(&[u8], &str) -> R,
) -> Result<R, ClientError> {
    call.validate().map_err(ClientError::Invalid)?;
    let message_id = call.message_id().as_str();
    let serialize_and_queue = |buffer: &mut Vec<u8>| {
        buffer.clear();
        crate::json::write_json(&mut *buffer, call)
            .map_err(crate::json::WriteError::into_client_error)?;
        if buffer.len() > config.max_item_bytes {
            return Err(ClientError::TooLarge {
                bytes: buffer.len(),
                max: config.max_item_bytes,
            });
        }
        Ok(queue(buffer, message_id))
    };
    // Taken out while in use: serializing this event may queue another (a `Serialize`
    // impl calling `track`), which then finds an empty buffer of its own. A thread
    // shutting down has none to lend.
    let mut buffer = SCRATCH.try_with(Cell::take).unwrap_or_default();
    let result = serialize_and_queue(&mut buffer);
    if buffer.capacity() <= SCRATCH_KEEP_BYTES {
        let _ = SCRATCH.try_with(|scratch| scratch.set(buffer));
    }
    result
}

/// Hands back the events shutdown took at its deadline (see
/// [`State::take_unsettled`](queue::State::take_unsettled)).
pub(crate) fn hand_back_unsettled(config: &Config, unsettled: Vec<queue::Unsettled>) {
    if config.durable.is_some() {
        let events: usize = unsettled
            .iter()
            .flat_map(|u| &u.items)
            .map(|i| i.len())
            .sum();
        if events > 0 {
            tracing::warn!(
                events,
                "not delivered before shutdown; kept in the durable queue"
            );
        }
        return;
    }
    for queue::Unsettled {
        batch,
        items,
        in_flight,
    } in unsettled
    {
        // A batch in flight may have reached the server, which did not answer in time.
        let error = DeliveryError::ShutDown {
            last_error: in_flight.then_some(TransportError::Timeout),
        };
        for items in items {
            tracing::error!(%error, events = items.len(), "batch not delivered");
            delivery::hand_back(config, &batch, items, &error);
        }
    }
}

/// Locks `mutex`, recovering from poisoning (the state stays consistent: every update
/// is a few assignments).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
