//! The blocking client: background threads deliver the batches.

use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::delivery::{After, Delivery, give_up, worker_stopped};
use super::queue::{Next, OutgoingBatch, Refused, State};
use super::{
    ClientBuilder, ClientError, Config, DeliveryError, QueueFull, Stats, hand_back_unsettled, lock,
    prepare,
};
use crate::calls::{Alias, Call, Group, GroupTraits, Identify, Page, PersonTraits, Screen};
use crate::event::TrackEvent;
use crate::identity::{Id, Identity};
use crate::message_id::MessageId;
use crate::track::Track;
use crate::transport::{Endpoint, Request, Transport};
use crate::validate::Validate;

struct Shared {
    state: Mutex<State>,
    /// Wakes a worker: a batch is ready, or flush or close was asked for.
    work: Condvar,
    /// Wakes callers: events were taken off the queue or finished.
    progress: Condvar,
    config: Config,
}

/// The blocking batching client: `track` queues, background threads deliver.
///
/// See the [module documentation](crate::client) for the batching, retry and failure
/// rules and their defaults.
///
/// Dropping the client closes it: it delivers what is queued until the shutdown timeout
/// ([`ClientBuilder::shutdown_timeout`], default 10 s) and returns by then, wherever it
/// is dropped, an async runtime's thread included. Every event not delivered by then,
/// queued or still awaiting the server's answer, comes back as
/// [`DeliveryError::ShutDown`] before the drop returns; a worker thread still waiting
/// for an answer finishes that request in the background, and its outcome no longer
/// counts (the event may have reached the server: its messageId makes a resend safe).
///
/// ```
/// use event_core::{Client, Identity, SemanticEvent};
/// use event_core::transport::RecordingTransport;
/// use serde::Serialize;
///
/// #[derive(Serialize, SemanticEvent)]
/// #[semantic_event(name = "Coupon Entered")]
/// struct CouponEntered {
///     coupon_id: Option<String>,
/// }
///
/// let transport = RecordingTransport::new();
/// let client = Client::builder().build(transport.clone())?;
/// client.track(Identity::user("user_12345")?, CouponEntered { coupon_id: Some("NEWUSER20".into()) })?;
/// client.flush()?;
/// assert_eq!(transport.events()[0]["properties"]["coupon_id"], "NEWUSER20");
/// assert_eq!(client.stats().delivered, 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Client {
    shared: Arc<Shared>,
    workers: Mutex<Vec<JoinHandle<()>>>,
}

/// Counts a worker out when it stops, even by a panic, or when its thread never started,
/// so no caller waits for it (see [`worker_stopped`]).
struct WorkerStops(Arc<Shared>);

impl Drop for WorkerStops {
    fn drop(&mut self) {
        worker_stopped(&self.0.state, &self.0.config);
        self.0.progress.notify_all();
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// The settings, to finish with [`ClientBuilder::build`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client with the default settings sending over HTTPS with `config`.
    ///
    /// # Errors
    ///
    /// [`ClientError::Worker`] when the transport or the thread cannot be set up.
    #[cfg(feature = "http")]
    pub fn http(config: crate::transport::HttpConfig) -> Result<Client, ClientError> {
        let transport = crate::transport::HttpTransport::new(config)
            .map_err(|error| ClientError::Worker(error.to_string()))?;
        ClientBuilder::new().build(transport)
    }

    pub(crate) fn start(
        config: Config,
        transport: Box<dyn Transport>,
    ) -> Result<Client, ClientError> {
        let workers = config.concurrent_batches;
        let shared = Arc::new(Shared {
            state: Mutex::new(State::open(workers, &config)?),
            work: Condvar::new(),
            progress: Condvar::new(),
            config,
        });
        let transport: Arc<dyn Transport> = Arc::from(transport);
        let client = Client {
            shared,
            workers: Mutex::new(Vec::with_capacity(workers)),
        };
        for started in 0..workers {
            let stops = WorkerStops(Arc::clone(&client.shared));
            let transport = Arc::clone(&transport);
            let spawned = std::thread::Builder::new()
                .name("event-core-client".to_owned())
                .spawn(move || run(&stops.0, &*transport));
            match spawned {
                Ok(worker) => lock(&client.workers).push(worker),
                Err(error) => {
                    // This worker was counted out as its closure was dropped; so are
                    // the ones never tried.
                    lock(&client.shared.state).workers -= workers - started - 1;
                    client.close_within(Duration::ZERO);
                    return Err(ClientError::Worker(error.to_string()));
                }
            }
        }
        Ok(client)
    }

    /// Queues `event` for `identity`, with a fresh messageId, which it returns.
    ///
    /// # Errors
    ///
    /// [`ClientError::Invalid`] with every validation failure (nothing is queued),
    /// [`ClientError::TooLarge`], [`ClientError::QueueFull`], [`ClientError::Closed`].
    pub fn track<E: TrackEvent + Serialize + Validate>(
        &self,
        identity: Identity,
        event: E,
    ) -> Result<MessageId, ClientError> {
        let track = Track::new(identity, event);
        self.enqueue(&track)?;
        Ok(track.message_id)
    }

    /// Queues an identify call for `identity` with `traits`, with a fresh messageId,
    /// which it returns. The traits are a struct with `#[derive(Serialize, Traits)]`,
    /// checked against the reserved traits while compiling, or a map (`json!({...})`,
    /// `serde_json::Map`, `HashMap`, `BTreeMap`) or an `Unchecked` struct, checked only
    /// when queued (see [`PersonTraits`](crate::calls::PersonTraits)).
    ///
    /// # Errors
    ///
    /// As [`track`](Self::track).
    pub fn identify<T: PersonTraits + Serialize + Validate>(
        &self,
        identity: Identity,
        traits: T,
    ) -> Result<MessageId, ClientError> {
        let call = Identify::new(identity, traits);
        self.enqueue(&call)?;
        Ok(call.message_id)
    }

    /// Queues a group call putting `identity` in the group `group_id`, which has
    /// `traits` (a struct with `#[derive(Serialize, Traits)]` and
    /// `#[semantic_event(group)]`, or a map; see
    /// [`GroupTraits`](crate::calls::GroupTraits)), with a fresh messageId, which it
    /// returns.
    ///
    /// # Errors
    ///
    /// As [`track`](Self::track).
    pub fn group<T: GroupTraits + Serialize + Validate>(
        &self,
        identity: Identity,
        group_id: Id,
        traits: T,
    ) -> Result<MessageId, ClientError> {
        let call = Group::new(identity, group_id, traits);
        self.enqueue(&call)?;
        Ok(call.message_id)
    }

    /// Queues a page call: `identity` viewed the page `name`, which has `properties`;
    /// with a fresh messageId, which it returns.
    ///
    /// # Errors
    ///
    /// As [`track`](Self::track).
    pub fn page<P: Serialize + Validate>(
        &self,
        identity: Identity,
        name: impl Into<String>,
        properties: P,
    ) -> Result<MessageId, ClientError> {
        let call = Page::new(identity, name, properties);
        self.enqueue(&call)?;
        Ok(call.message_id)
    }

    /// Queues a screen call: `identity` viewed the app screen `name`, which has
    /// `properties`; with a fresh messageId, which it returns.
    ///
    /// # Errors
    ///
    /// As [`track`](Self::track).
    pub fn screen<P: Serialize + Validate>(
        &self,
        identity: Identity,
        name: impl Into<String>,
        properties: P,
    ) -> Result<MessageId, ClientError> {
        let call = Screen::new(identity, name, properties);
        self.enqueue(&call)?;
        Ok(call.message_id)
    }

    /// Queues an alias call: `previous_id` (an earlier id or an anonymousId) names the
    /// person known by `user_id`; with a fresh messageId, which it returns.
    ///
    /// # Errors
    ///
    /// As [`track`](Self::track).
    pub fn alias(&self, user_id: Id, previous_id: Id) -> Result<MessageId, ClientError> {
        let call = Alias::new(user_id, previous_id);
        self.enqueue(&call)?;
        Ok(call.message_id)
    }

    /// Queues a call built beforehand (a [`Track`], [`Identify`], [`Group`], [`Page`],
    /// [`Screen`] or [`Alias`]), keeping its messageId, timestamp, context and
    /// integrations.
    ///
    /// # Errors
    ///
    /// As [`track`](Self::track).
    pub fn enqueue<C: Call>(&self, call: &C) -> Result<(), ClientError> {
        prepare(call, &self.shared.config, |payload, message_id| {
            self.push(payload, message_id)
        })?
    }

    fn push(&self, payload: &[u8], message_id: &str) -> Result<(), ClientError> {
        let config = &self.shared.config;
        let mut state = lock(&self.shared.state);
        let pushed = loop {
            if state.closing.is_some() || state.stopped() {
                return Err(ClientError::Closed);
            }
            match state.push(payload, message_id, config) {
                Ok(pushed) => break pushed,
                Err(Refused::Full(_)) if config.when_full == QueueFull::Block => {
                    // What is queued is due now: a worker sends it and makes room.
                    self.shared.work.notify_one();
                    state = self
                        .shared
                        .progress
                        .wait(state)
                        .unwrap_or_else(|poisoned| poisoned.into_inner());
                }
                Err(Refused::Full(error)) => {
                    drop(state);
                    self.shared.work.notify_one();
                    return Err(error);
                }
                Err(Refused::Storage(error)) => return Err(error),
            }
        };
        drop(state);
        if pushed.wake {
            self.shared.work.notify_one();
        }
        if let Some(ticket) = pushed.sync {
            ticket.wait().map_err(|error| {
                ClientError::Storage(format!(
                    "the event is queued and will be sent, but could not be synced to disk: {error}"
                ))
            })?;
        }
        Ok(())
    }

    /// Waits until every event queued before this call is delivered or has failed
    /// (failures go to the `on_failure` callback).
    ///
    /// # Errors
    ///
    /// [`ClientError::Closed`] when the workers stopped first.
    pub fn flush(&self) -> Result<(), ClientError> {
        self.wait_flushed(None)
    }

    /// As [`flush`](Self::flush), giving up after `timeout`.
    ///
    /// # Errors
    ///
    /// [`ClientError::FlushTimeout`] with the events still pending (they stay queued),
    /// or [`ClientError::Closed`].
    pub fn flush_timeout(&self, timeout: Duration) -> Result<(), ClientError> {
        self.wait_flushed(Some(Instant::now() + timeout))
    }

    fn wait_flushed(&self, deadline: Option<Instant>) -> Result<(), ClientError> {
        let mut state = lock(&self.shared.state);
        let target = state.enqueued;
        state.flush_target = state.flush_target.max(target);
        self.shared.work.notify_all();
        while !state.done_before(target) {
            if state.stopped() {
                return Err(ClientError::Closed);
            }
            state = match deadline {
                None => self
                    .shared
                    .progress
                    .wait(state)
                    .unwrap_or_else(|poisoned| poisoned.into_inner()),
                Some(deadline) => {
                    let now = Instant::now();
                    if now >= deadline {
                        return Err(ClientError::FlushTimeout {
                            pending: state.stats().pending(),
                        });
                    }
                    self.shared
                        .progress
                        .wait_timeout(state, deadline - now)
                        .unwrap_or_else(|poisoned| poisoned.into_inner())
                        .0
                }
            };
        }
        Ok(())
    }

    /// The counters so far.
    pub fn stats(&self) -> Stats {
        lock(&self.shared.state).stats()
    }

    /// Stops accepting events, delivers what is queued within the shutdown timeout,
    /// hands back what it could not deliver, stops the workers and returns the counters.
    /// Calling it again does nothing more.
    pub fn close(&self) -> Stats {
        self.close_within(self.shared.config.shutdown_timeout)
    }

    /// As [`close`](Self::close), with `timeout` instead of the configured shutdown
    /// timeout. It returns by then: the events of a request still unanswered come back
    /// as [`DeliveryError::ShutDown`] with a [`Timeout`](crate::transport::TransportError::Timeout),
    /// and its worker thread finishes the request in the background.
    pub fn close_within(&self, timeout: Duration) -> Stats {
        let deadline = {
            let mut state = lock(&self.shared.state);
            *state.closing.get_or_insert(Instant::now() + timeout)
        };
        self.shared.work.notify_all();
        let mut state = lock(&self.shared.state);
        while !state.stopped() {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            state = self
                .shared
                .progress
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
        let unsettled = state.take_unsettled();
        drop(state);
        hand_back_unsettled(&self.shared.config, unsettled);
        // The workers not waiting on a server stop soon, once they have handed back what
        // fell to them: wait for those.
        let mut state = lock(&self.shared.state);
        while state.workers > state.sending {
            state = self
                .shared
                .progress
                .wait(state)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        let stopped = state.stopped();
        // The directory is free for another client from now on; a worker still waiting
        // on a request leaves its events on disk, to be sent again (same messageIds).
        let store = state.store.take();
        drop(state);
        drop(store);
        let workers = std::mem::take(&mut *lock(&self.workers));
        for worker in workers {
            // A worker counted out is ending; one still waiting on a request is left
            // to finish it, with nothing left to report.
            if (stopped || worker.is_finished()) && worker.join().is_err() {
                tracing::error!("an event-core delivery thread panicked");
            }
        }
        self.stats()
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        self.close();
    }
}

/// A worker: takes batches off the queue and delivers them until closed.
fn run(shared: &Shared, transport: &dyn Transport) {
    loop {
        let batch = {
            let mut state = lock(&shared.state);
            loop {
                match state.next(&shared.config, Instant::now()) {
                    Next::Stop => return,
                    Next::GiveUp(rest) => {
                        drop(state);
                        let error = DeliveryError::ShutDown { last_error: None };
                        give_up(&shared.state, &shared.config, rest, &error);
                        shared.progress.notify_all();
                        return;
                    }
                    Next::Send(batch) => {
                        // Another worker may take the next batch meanwhile.
                        if state.has_queued() {
                            shared.work.notify_one();
                        }
                        break batch;
                    }
                    Next::Wait(None) => {
                        state = shared
                            .work
                            .wait(state)
                            .unwrap_or_else(|poisoned| poisoned.into_inner());
                    }
                    Next::Wait(Some(wait)) => {
                        state = shared
                            .work
                            .wait_timeout(state, wait)
                            .unwrap_or_else(|poisoned| poisoned.into_inner())
                            .0;
                    }
                }
            }
        };
        // Room was made in the queue.
        shared.progress.notify_all();
        deliver(shared, transport, batch);
        shared.progress.notify_all();
    }
}

/// Delivers a batch, retrying, and splitting on a 400, until each event is done with.
fn deliver(shared: &Shared, transport: &dyn Transport, batch: OutgoingBatch) {
    let mut delivery = Delivery::new(batch, &shared.state, &shared.config);
    while let Some(body) = delivery.next_body() {
        let sending = Sending::start(shared);
        let result = transport.send(Request {
            endpoint: Endpoint::Batch,
            body,
        });
        drop(sending);
        if let After::Retry(wait) = delivery.record(result) {
            if !pause(shared, wait) {
                delivery.abandon();
            }
        }
        // The limit on batches in flight may have grown: another worker may send.
        if lock(&shared.state).has_queued() {
            shared.work.notify_one();
        }
        shared.progress.notify_all();
    }
    drop(delivery);
    // A batch in flight fewer: a worker held back by the limit may send.
    shared.work.notify_one();
}

/// Counts a worker as waiting on a server until dropped (a panicking transport
/// included): `close` does not wait for such a worker past its deadline.
struct Sending<'a>(&'a Shared);

impl<'a> Sending<'a> {
    fn start(shared: &'a Shared) -> Self {
        lock(&shared.state).sending += 1;
        Sending(shared)
    }
}

impl Drop for Sending<'_> {
    fn drop(&mut self) {
        lock(&self.0.state).sending -= 1;
    }
}

/// Waits `wait` before a retry, or longer while every worker is paused (a 429 or 5xx
/// another worker got); false when shutdown's deadline comes first.
fn pause(shared: &Shared, wait: Duration) -> bool {
    let mut until = Instant::now() + wait;
    let mut state = lock(&shared.state);
    loop {
        let now = Instant::now();
        if let Some(paused) = state.congestion.paused_until(now) {
            until = until.max(paused);
        }
        if state.closing.is_some_and(|deadline| deadline <= until) {
            // Retrying would end past the shutdown deadline.
            return false;
        }
        if now >= until {
            return true;
        }
        state = shared
            .work
            .wait_timeout(state, until - now)
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .0;
    }
}

const _: fn() = || {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Client>();
};
