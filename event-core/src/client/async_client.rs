//! The async client: tokio tasks deliver the batches.

use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use super::delivery::{After, Delivery, give_up, worker_stopped};
use super::durable::SyncTicket;
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
use crate::transport::{AsyncTransport, Endpoint, Request};
use crate::validate::Validate;

/// What [`AsyncClient::try_push`] did.
enum Pushed {
    /// Queued; with `Fsync::EveryEvent`, to be synced before `track` returns.
    Queued(Option<SyncTicket>),
    /// No room, and `track` waits for some.
    Full,
}

/// Counts a worker out when it stops, even by a panic or with its runtime, so no
/// caller waits for it (see [`worker_stopped`]). Made before the task is spawned and
/// moved into it, it does so too when the task is dropped without ever running: a
/// `current_thread` runtime runs tasks only while the application awaits, and one shut
/// down before that drops them unpolled.
struct WorkerStops(Arc<Shared>);

impl Drop for WorkerStops {
    fn drop(&mut self) {
        worker_stopped(&self.0.state, &self.0.config);
        self.0.progress.notify_waiters();
    }
}

struct Shared {
    state: Mutex<State>,
    /// Wakes a worker: a batch is ready, or flush or close was asked for. Workers listen
    /// before they look at the queue, so no wake-up is lost.
    work: Notify,
    /// Wakes callers waiting for room or for a flush.
    progress: Notify,
    config: Config,
}

/// The async batching client: `track` queues, tokio tasks deliver.
///
/// See the [module documentation](crate::client) for the batching, retry and failure
/// rules and their defaults. Every event tracked is delivered or handed back, in every
/// runtime flavour, whether or not the tasks ever ran:
///
/// - [`close`](Self::close) delivers what is queued until the shutdown timeout and
///   returns by then, handing back the rest as [`DeliveryError::ShutDown`] (and stopping
///   the tasks still waiting on the server). Call it before the runtime stops.
/// - A client dropped without `close` cannot wait. On a multi-thread runtime its tasks go
///   on delivering what is queued until the shutdown timeout. On a `current_thread`
///   runtime (`#[tokio::test]`'s default), whose tasks run only while the application
///   awaits, what is queued comes back at once as `ShutDown`.
/// - Should the runtime stop first, every event not yet delivered comes back as
///   [`DeliveryError::WorkerStopped`].
///
/// ```
/// use event_core::{AsyncClient, Identity, SemanticEvent};
/// use event_core::transport::RecordingTransport;
/// use serde::Serialize;
///
/// #[derive(Serialize, SemanticEvent)]
/// #[semantic_event(name = "Coupon Entered")]
/// struct CouponEntered {
///     coupon_id: Option<String>,
/// }
///
/// # let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build()?;
/// # runtime.block_on(async {
/// let transport = RecordingTransport::new();
/// let client = AsyncClient::builder().build_async(transport.clone())?;
/// client.track(Identity::user("user_12345")?, CouponEntered { coupon_id: None }).await?;
/// client.flush().await?;
/// assert_eq!(transport.events().len(), 1);
/// client.close().await;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct AsyncClient<T: AsyncTransport> {
    shared: Arc<Shared>,
    workers: Mutex<Vec<JoinHandle<()>>>,
    /// Whether the tasks run on threads of their own, whatever the application does.
    multi_thread: bool,
    _transport: std::marker::PhantomData<fn() -> T>,
}

impl<T: AsyncTransport> std::fmt::Debug for AsyncClient<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncClient")
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

impl AsyncClient<crate::transport::AsyncHttpTransport> {
    /// The settings, to finish with [`ClientBuilder::build_async`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client with the default settings sending over HTTPS with `config`, on the
    /// current tokio runtime.
    ///
    /// # Errors
    ///
    /// [`ClientError::Worker`] when the transport cannot be set up or there is no runtime.
    pub fn http(config: crate::transport::HttpConfig) -> Result<Self, ClientError> {
        let transport = crate::transport::AsyncHttpTransport::new(config)
            .map_err(|error| ClientError::Worker(error.to_string()))?;
        ClientBuilder::new().build_async(transport)
    }
}

impl<T: AsyncTransport> AsyncClient<T> {
    pub(crate) fn start(config: Config, transport: T) -> Result<Self, ClientError> {
        let runtime = tokio::runtime::Handle::try_current().map_err(|error| {
            ClientError::Worker(format!(
                "the async client must be built inside a tokio runtime: {error}"
            ))
        })?;
        let workers = config.concurrent_batches;
        let shared = Arc::new(Shared {
            state: Mutex::new(State::open(workers, &config)?),
            work: Notify::new(),
            progress: Notify::new(),
            config,
        });
        let transport = Arc::new(transport);
        let workers = (0..workers)
            .map(|_| {
                let stops = WorkerStops(Arc::clone(&shared));
                let transport = Arc::clone(&transport);
                runtime.spawn(async move {
                    let stops = stops;
                    run(&stops.0, &*transport).await;
                })
            })
            .collect();
        Ok(AsyncClient {
            shared,
            workers: Mutex::new(workers),
            multi_thread: runtime.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread,
            _transport: std::marker::PhantomData,
        })
    }

    /// Queues `event` for `identity`, with a fresh messageId, which it returns.
    ///
    /// # Errors
    ///
    /// [`ClientError::Invalid`] with every validation failure (nothing is queued),
    /// [`ClientError::TooLarge`], [`ClientError::QueueFull`], [`ClientError::Closed`].
    pub async fn track<E: TrackEvent + Serialize + Validate>(
        &self,
        identity: Identity,
        event: E,
    ) -> Result<MessageId, ClientError> {
        let track = Track::new(identity, event);
        self.enqueue(&track).await?;
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
    pub async fn identify<R: PersonTraits + Serialize + Validate>(
        &self,
        identity: Identity,
        traits: R,
    ) -> Result<MessageId, ClientError> {
        let call = Identify::new(identity, traits);
        self.enqueue(&call).await?;
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
    pub async fn group<R: GroupTraits + Serialize + Validate>(
        &self,
        identity: Identity,
        group_id: Id,
        traits: R,
    ) -> Result<MessageId, ClientError> {
        let call = Group::new(identity, group_id, traits);
        self.enqueue(&call).await?;
        Ok(call.message_id)
    }

    /// Queues a page call: `identity` viewed the page `name`, which has `properties`;
    /// with a fresh messageId, which it returns.
    ///
    /// # Errors
    ///
    /// As [`track`](Self::track).
    pub async fn page<P: Serialize + Validate>(
        &self,
        identity: Identity,
        name: impl Into<String>,
        properties: P,
    ) -> Result<MessageId, ClientError> {
        let call = Page::new(identity, name, properties);
        self.enqueue(&call).await?;
        Ok(call.message_id)
    }

    /// Queues a screen call: `identity` viewed the app screen `name`, which has
    /// `properties`; with a fresh messageId, which it returns.
    ///
    /// # Errors
    ///
    /// As [`track`](Self::track).
    pub async fn screen<P: Serialize + Validate>(
        &self,
        identity: Identity,
        name: impl Into<String>,
        properties: P,
    ) -> Result<MessageId, ClientError> {
        let call = Screen::new(identity, name, properties);
        self.enqueue(&call).await?;
        Ok(call.message_id)
    }

    /// Queues an alias call: `previous_id` (an earlier id or an anonymousId) names the
    /// person known by `user_id`; with a fresh messageId, which it returns.
    ///
    /// # Errors
    ///
    /// As [`track`](Self::track).
    pub async fn alias(&self, user_id: Id, previous_id: Id) -> Result<MessageId, ClientError> {
        let call = Alias::new(user_id, previous_id);
        self.enqueue(&call).await?;
        Ok(call.message_id)
    }

    /// Queues a call built beforehand (a [`Track`], [`Identify`], [`Group`], [`Page`],
    /// [`Screen`] or [`Alias`]), keeping its messageId, timestamp, context and
    /// integrations.
    ///
    /// # Errors
    ///
    /// As [`track`](Self::track).
    pub async fn enqueue<C: Call>(&self, call: &C) -> Result<(), ClientError> {
        // The payload is copied out of the scratch buffer only if it must wait for room.
        let waiting = prepare(call, &self.shared.config, |payload, message_id| match self
            .try_push(payload, message_id)?
        {
            Pushed::Queued(sync) => Ok(Err(sync)),
            Pushed::Full => Ok(Ok((payload.to_vec(), message_id.to_owned()))),
        })??;
        let (payload, message_id) = match waiting {
            Ok(waiting) => waiting,
            Err(sync) => return synced(sync).await,
        };
        loop {
            // Listening before looking, so room made in between is not missed.
            let mut notified = pin!(self.shared.progress.notified());
            notified.as_mut().enable();
            if let Pushed::Queued(sync) = self.try_push(&payload, &message_id)? {
                return synced(sync).await;
            }
            notified.await;
        }
    }

    /// Queues a payload, or says the queue is full when `track` should wait for room.
    fn try_push(&self, payload: &[u8], message_id: &str) -> Result<Pushed, ClientError> {
        let config = &self.shared.config;
        let mut state = lock(&self.shared.state);
        if state.closing.is_some() || state.stopped() {
            return Err(ClientError::Closed);
        }
        match state.push(payload, message_id, config) {
            Ok(pushed) => {
                drop(state);
                if pushed.wake {
                    self.shared.work.notify_one();
                }
                Ok(Pushed::Queued(pushed.sync))
            }
            Err(Refused::Full(error)) => {
                // What is queued is due now: a worker sends it and makes room.
                drop(state);
                self.shared.work.notify_one();
                match config.when_full {
                    QueueFull::Block => Ok(Pushed::Full),
                    _ => Err(error),
                }
            }
            Err(Refused::Storage(error)) => Err(error),
        }
    }

    /// Waits until every event queued before this call is delivered or has failed.
    ///
    /// # Errors
    ///
    /// [`ClientError::Closed`] when the workers stopped first.
    pub async fn flush(&self) -> Result<(), ClientError> {
        let target = {
            let mut state = lock(&self.shared.state);
            state.flush_target = state.flush_target.max(state.enqueued);
            state.enqueued
        };
        self.shared.work.notify_waiters();
        loop {
            let mut notified = pin!(self.shared.progress.notified());
            notified.as_mut().enable();
            {
                let state = lock(&self.shared.state);
                if state.done_before(target) {
                    return Ok(());
                }
                if state.stopped() {
                    return Err(ClientError::Closed);
                }
            }
            notified.await;
        }
    }

    /// As [`flush`](Self::flush), giving up after `timeout`.
    ///
    /// # Errors
    ///
    /// [`ClientError::FlushTimeout`] with the events still pending (they stay queued),
    /// or [`ClientError::Closed`].
    pub async fn flush_timeout(&self, timeout: Duration) -> Result<(), ClientError> {
        match tokio::time::timeout(timeout, self.flush()).await {
            Ok(result) => result,
            Err(_) => Err(ClientError::FlushTimeout {
                pending: self.stats().pending(),
            }),
        }
    }

    /// The counters so far.
    pub fn stats(&self) -> Stats {
        lock(&self.shared.state).stats()
    }

    /// Stops accepting events, delivers what is queued within the shutdown timeout,
    /// hands back what it could not deliver, stops the tasks and returns the counters.
    pub async fn close(&self) -> Stats {
        self.close_within(self.shared.config.shutdown_timeout).await
    }

    /// As [`close`](Self::close), with `timeout` instead of the configured shutdown
    /// timeout. It returns by then: the events of a request still unanswered come back
    /// as [`DeliveryError::ShutDown`] with a [`Timeout`](crate::transport::TransportError::Timeout),
    /// and its task is stopped.
    pub async fn close_within(&self, timeout: Duration) -> Stats {
        let deadline = tokio::time::Instant::from_std(self.begin_close(timeout));
        let mut workers = std::mem::take(&mut *lock(&self.workers));
        let all_stopped = tokio::time::timeout_at(deadline, async {
            while let Some(worker) = workers.last_mut() {
                let stopped = worker.await;
                workers.pop();
                if let Err(error) = stopped {
                    tracing::error!(%error, "the event-core delivery task failed");
                }
            }
        })
        .await;
        if all_stopped.is_err() {
            let unsettled = lock(&self.shared.state).take_unsettled();
            hand_back_unsettled(&self.shared.config, unsettled);
            self.shared.progress.notify_waiters();
            for worker in &workers {
                worker.abort();
            }
            for worker in workers {
                match worker.await {
                    Err(error) if !error.is_cancelled() => {
                        tracing::error!(%error, "the event-core delivery task failed");
                    }
                    _ => {}
                }
            }
        }
        // The directory is free for another client from now on.
        let store = lock(&self.shared.state).store.take();
        drop(store);
        self.stats()
    }

    /// Stops accepting events; returns the time by which delivery stops.
    fn begin_close(&self, timeout: Duration) -> Instant {
        let deadline = *lock(&self.shared.state)
            .closing
            .get_or_insert(Instant::now() + timeout);
        self.shared.work.notify_waiters();
        self.shared.progress.notify_waiters();
        deadline
    }
}

impl<T: AsyncTransport> Drop for AsyncClient<T> {
    fn drop(&mut self) {
        self.begin_close(self.shared.config.shutdown_timeout);
        if self.multi_thread {
            // The tasks go on delivering within the shutdown timeout, on threads of their
            // own, while the runtime runs.
            return;
        }
        // A current_thread runtime may never run the tasks again: what no task has
        // taken comes back now.
        let queued = lock(&self.shared.state).take_queued();
        let error = DeliveryError::ShutDown { last_error: None };
        give_up(&self.shared.state, &self.shared.config, queued, &error);
        self.shared.progress.notify_waiters();
    }
}

/// Waits, off the runtime's threads, until an event written with `Fsync::EveryEvent` is
/// synced to disk.
async fn synced(sync: Option<SyncTicket>) -> Result<(), ClientError> {
    let Some(ticket) = sync else {
        return Ok(());
    };
    let waited = tokio::task::spawn_blocking(move || ticket.wait()).await;
    let error = match waited {
        Ok(Ok(())) => return Ok(()),
        Ok(Err(error)) => error,
        Err(error) => error.to_string(),
    };
    Err(ClientError::Storage(format!(
        "the event is queued and will be sent, but could not be synced to disk: {error}"
    )))
}

async fn run<T: AsyncTransport>(shared: &Shared, transport: &T) {
    loop {
        // Listening before looking, so a wake-up for every worker is not missed.
        let mut woken = pin!(shared.work.notified());
        woken.as_mut().enable();
        let next = {
            let mut state = lock(&shared.state);
            let next = state.next(&shared.config, Instant::now());
            if matches!(next, Next::Send(_)) && state.has_queued() {
                // Another worker may take the next batch meanwhile.
                shared.work.notify_one();
            }
            next
        };
        match next {
            Next::Stop => return,
            Next::GiveUp(rest) => {
                let error = DeliveryError::ShutDown { last_error: None };
                give_up(&shared.state, &shared.config, rest, &error);
                shared.progress.notify_waiters();
                return;
            }
            Next::Send(batch) => {
                shared.progress.notify_waiters();
                deliver(shared, transport, batch).await;
                shared.progress.notify_waiters();
            }
            Next::Wait(None) => woken.await,
            Next::Wait(Some(wait)) => {
                // Either way the loop looks at the queue again.
                let _ = tokio::time::timeout(wait, woken).await;
            }
        }
    }
}

/// Delivers a batch, retrying, and splitting on a 400, until each event is done with.
async fn deliver<T: AsyncTransport>(shared: &Shared, transport: &T, batch: OutgoingBatch) {
    let mut delivery = Delivery::new(batch, &shared.state, &shared.config);
    while let Some(body) = delivery.next_body() {
        let result = transport
            .send(Request {
                endpoint: Endpoint::Batch,
                body,
            })
            .await;
        if let After::Retry(wait) = delivery.record(result) {
            if !pause(shared, wait).await {
                delivery.abandon();
            }
        }
        // The limit on batches in flight may have grown: another worker may send.
        if lock(&shared.state).has_queued() {
            shared.work.notify_one();
        }
        shared.progress.notify_waiters();
    }
    drop(delivery);
    // A batch in flight fewer: a worker held back by the limit may send.
    shared.work.notify_one();
}

/// Waits `wait` before a retry, or longer while every worker is paused (a 429 or 5xx
/// another worker got); false when shutdown's deadline comes first.
async fn pause(shared: &Shared, wait: Duration) -> bool {
    let mut until = Instant::now() + wait;
    loop {
        let now = Instant::now();
        {
            let state = lock(&shared.state);
            if let Some(paused) = state.congestion.paused_until(now) {
                until = until.max(paused);
            }
            if state.closing.is_some_and(|deadline| deadline <= until) {
                return false;
            }
        }
        if now >= until {
            return true;
        }
        let _ = tokio::time::timeout(until - now, shared.work.notified()).await;
    }
}
