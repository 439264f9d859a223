//! Delivering one batch, shared by the blocking and the async worker, which differ only
//! in how they send a body and how they wait.

use std::ops::Range;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::queue::{OutgoingBatch, State};
use super::{Config, DeliveryError, FailedEvent, lock};
use crate::transport::TransportError;

/// One batch on its way: a 400 for a part of more than one event splits it in halves,
/// sent separately, down to the single events the server refuses; retryable failures
/// repeat the same body (the same messageIds) after the policy's backoff.
///
/// Dropped before every event is done with (a panicking transport unwinds through it, or
/// an async runtime drops its task), it hands the rest back as
/// [`DeliveryError::WorkerStopped`]; either way it gives the batch back to the queue.
pub(crate) struct Delivery<'a> {
    state: &'a Mutex<State>,
    config: &'a Config,
    /// `None` only while being dropped.
    batch: Option<OutgoingBatch>,
    /// Items of `batch` still to send, as ranges; halves are pushed in reverse to keep
    /// the order.
    pending: Vec<Range<usize>>,
    /// The part being sent.
    current: Option<Part>,
}

struct Part {
    items: Range<usize>,
    /// Its own body, or `None` when it is the whole batch, whose buffer is the body.
    body: Option<Vec<u8>>,
    attempt: u32,
    last_error: Option<TransportError>,
}

/// What a worker does after recording an attempt.
pub(crate) enum After {
    /// Send the next body, if any.
    Continue,
    /// Wait this long, then send the same body again (or [`Delivery::abandon`] it).
    Retry(Duration),
}

impl<'a> Delivery<'a> {
    pub(crate) fn new(batch: OutgoingBatch, state: &'a Mutex<State>, config: &'a Config) -> Self {
        let whole = 0..batch.len();
        Delivery {
            state,
            config,
            pending: Vec::from([whole]),
            batch: Some(batch),
            current: None,
        }
    }

    /// The body to send next, or `None` once every event is done with. Parts not yet
    /// tried when `close`'s deadline has passed are handed back instead.
    pub(crate) fn next_body(&mut self) -> Option<&[u8]> {
        let (state, config) = (self.state, self.config);
        let batch = self.batch.as_mut()?;
        if self.current.is_none() {
            loop {
                let items = self.pending.pop()?;
                if past_deadline(state) {
                    let error = DeliveryError::ShutDown { last_error: None };
                    fail(state, config, batch, items, error);
                    continue;
                }
                let body = if items == (0..batch.len()) {
                    batch.end_whole_body();
                    None
                } else {
                    Some(batch.part_body(items.clone()))
                };
                self.current = Some(Part {
                    items,
                    body,
                    attempt: 1,
                    last_error: None,
                });
                break;
            }
        } else if let Some(part) = &self.current {
            let events = part.items.len();
            lock(state).stats.retried += events as u64;
            if let Some(error) = &part.last_error {
                tracing::warn!(%error, events, attempt = part.attempt, "batch failed; retrying");
            }
        }
        let part = self.current.as_ref()?;
        Some(part.body.as_deref().unwrap_or(batch.body()))
    }

    /// Records the outcome of sending the current body.
    pub(crate) fn record(&mut self, result: Result<(), TransportError>) -> After {
        let (state, config) = (self.state, self.config);
        let (Some(batch), Some(mut part)) = (&self.batch, self.current.take()) else {
            return After::Continue;
        };
        let items = part.items.clone();
        match result {
            Ok(()) => finish(state, config, batch, items, None),
            Err(TransportError::Rejected { .. }) if items.len() > 1 => {
                tracing::warn!(
                    events = items.len(),
                    "batch rejected (400); splitting it to find the bad events"
                );
                let middle = items.start + items.len() / 2;
                self.pending.push(middle..items.end);
                self.pending.push(items.start..middle);
            }
            Err(error @ TransportError::Rejected { .. }) => {
                fail(state, config, batch, items, DeliveryError::Rejected(error));
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
                let error = DeliveryError::Failed { error, attempts };
                fail(state, config, batch, items, error);
            }
        }
        After::Continue
    }

    /// Shutdown's deadline came before the retry: hands back the current part.
    pub(crate) fn abandon(&mut self) {
        if let (Some(batch), Some(part)) = (&self.batch, self.current.take()) {
            let error = DeliveryError::ShutDown {
                last_error: part.last_error,
            };
            fail(self.state, self.config, batch, part.items, error);
        }
    }
}

impl Drop for Delivery<'_> {
    fn drop(&mut self) {
        let Some(batch) = self.batch.take() else {
            return;
        };
        let current = self.current.take().map(|part| part.items);
        for items in current.into_iter().chain(self.pending.drain(..)) {
            fail(
                self.state,
                self.config,
                &batch,
                items,
                DeliveryError::WorkerStopped,
            );
        }
        lock(self.state).release(batch);
    }
}

/// Whether `close`'s deadline has passed: parts of a split batch still unsent are then
/// handed back rather than sent.
fn past_deadline(state: &Mutex<State>) -> bool {
    lock(state)
        .closing
        .is_some_and(|deadline| std::time::Instant::now() >= deadline)
}

/// Logs and records a failure of `items`.
fn fail(
    state: &Mutex<State>,
    config: &Config,
    batch: &OutgoingBatch,
    items: Range<usize>,
    error: DeliveryError,
) {
    tracing::error!(%error, events = items.len(), "batch not delivered");
    finish(state, config, batch, items, Some(error));
}

/// Hands back every event of `batches`, none of them sent, with `error`.
pub(crate) fn give_up(
    state: &Mutex<State>,
    config: &Config,
    batches: Vec<OutgoingBatch>,
    error: &DeliveryError,
) {
    for batch in batches {
        finish(state, config, &batch, 0..batch.len(), Some(error.clone()));
        lock(state).release(batch);
    }
}

/// Records the outcome for `items` of `batch` and hands failures to the application.
fn finish(
    state: &Mutex<State>,
    config: &Config,
    batch: &OutgoingBatch,
    items: Range<usize>,
    outcome: Option<DeliveryError>,
) {
    {
        let mut state = lock(state);
        if !state.settle(batch, &items) {
            // Shutdown handed them back already.
            return;
        }
        let count = items.len() as u64;
        match &outcome {
            None => state.stats.delivered += count,
            Some(DeliveryError::Rejected(_)) => state.stats.rejected += count,
            Some(_) => state.stats.failed += count,
        }
    }
    let Some(error) = outcome else {
        tracing::debug!(events = items.len(), "batch delivered");
        return;
    };
    hand_back(config, batch, items, &error);
}

/// Gives each event of `items` to the application, with `error`.
pub(crate) fn hand_back(
    config: &Config,
    batch: &OutgoingBatch,
    items: Range<usize>,
    error: &DeliveryError,
) {
    for index in items {
        let failed = FailedEvent {
            message_id: batch.message_id(index).to_owned(),
            payload: Arc::from(batch.payload(index)),
            error: error.clone(),
        };
        match &config.on_failure {
            Some(callback) => {
                if std::panic::catch_unwind(AssertUnwindSafe(|| callback(failed))).is_err() {
                    tracing::error!(
                        message_id = batch.message_id(index),
                        "the on_failure callback panicked"
                    );
                }
            }
            None => log_failure(&failed),
        }
    }
}

pub(crate) fn log_failure(failed: &FailedEvent) {
    tracing::error!(message_id = %failed.message_id, error = %failed.error, "event not delivered");
}

/// Counts a worker out when it stops, even by a panic or with its async runtime; the
/// last one out hands back whatever is still queued, as nothing would send it.
pub(crate) fn worker_stopped(state: &Mutex<State>, config: &Config) {
    let orphans = {
        let mut state = lock(state);
        state.workers = state.workers.saturating_sub(1);
        if state.stopped() {
            state.take_queued()
        } else {
            Vec::new()
        }
    };
    give_up(state, config, orphans, &DeliveryError::WorkerStopped);
}
