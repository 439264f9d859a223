//! Delivering one batch, shared by the blocking and the async worker, which differ only
//! in how they send a body and how they wait.

use std::ops::Range;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::queue::{OutgoingBatch, State};
use super::{Config, DeliveryError, FailedEvent, lock};
use crate::transport::TransportError;

/// One batch on its way: retryable failures repeat the same body (the same messageIds)
/// after the policy's backoff; a refusal (400 or 413) of a part of more than one event
/// hands back the items the server's messages name and resends the rest at once, or,
/// when they name none, splits the part in halves, sent separately, down to the single
/// events the server refuses.
///
/// Both halves of a split are sent before either is split again. When the server refuses
/// both for the very reason it refused the whole, the split told nothing (the server
/// refuses everything, or every event alike): both halves are handed back with that
/// reason rather than split down to single events, about two requests per event. And
/// after [`MAX_REFUSALS_IN_A_ROW`] refusals naming nothing, with nothing delivered in
/// between, the rest of the batch is handed back with the last reason.
///
/// Dropped before every event is done with (a panicking transport unwinds through it, or
/// an async runtime drops its task), it hands the rest back as
/// [`DeliveryError::WorkerStopped`]; either way it gives the batch back to the queue.
pub(crate) struct Delivery<'a> {
    state: &'a Mutex<State>,
    config: &'a Config,
    /// `None` only while being dropped.
    batch: Option<OutgoingBatch>,
    /// Parts of `batch` still to send; halves are pushed in reverse to keep the order.
    pending: Vec<Todo>,
    /// The part being sent.
    current: Option<Part>,
    /// A left half the server refused, waiting for its right half's outcome before it is
    /// split (or handed back with it).
    held: Option<(Selection, TransportError)>,
    /// Refusals naming nothing since something of the batch was last delivered.
    refusals_in_a_row: u32,
    /// The congestion epoch the current request was sent in.
    epoch: u64,
}

/// The most refusals in a row, with nothing delivered in between, before the rest of a
/// batch is handed back rather than split further: enough to find a few bad events in a
/// batch of any size, few enough that a server refusing everything is asked a few times.
pub(crate) const MAX_REFUSALS_IN_A_ROW: u32 = 16;

/// Items of a batch, in order: ranges, sorted, apart and none empty.
#[derive(Debug, Clone, PartialEq)]
struct Selection(Vec<Range<usize>>);

impl Selection {
    fn of(items: Range<usize>) -> Selection {
        Selection(if items.is_empty() {
            Vec::new()
        } else {
            vec![items]
        })
    }

    fn len(&self) -> usize {
        self.0.iter().map(ExactSizeIterator::len).sum()
    }

    /// The first `count` items, and the rest.
    fn split_at(&self, count: usize) -> (Selection, Selection) {
        let (mut first, mut rest) = (Vec::new(), Vec::new());
        let mut left = count;
        for range in &self.0 {
            let take = left.min(range.len());
            left -= take;
            let middle = range.start + take;
            if take > 0 {
                first.push(range.start..middle);
            }
            if middle < range.end {
                rest.push(middle..range.end);
            }
        }
        (Selection(first), Selection(rest))
    }

    /// The batch index of each of the `positions` (in the body sent, from 0), and the
    /// items left without them. `None` when a position is past the end.
    fn without(&self, positions: &[usize]) -> Option<(Vec<usize>, Selection)> {
        let indexes: Vec<usize> = self.0.iter().flat_map(Clone::clone).collect();
        let named = positions
            .iter()
            .map(|&position| indexes.get(position).copied())
            .collect::<Option<Vec<usize>>>()?;
        let mut rest: Vec<Range<usize>> = Vec::new();
        for index in indexes.into_iter().filter(|index| !named.contains(index)) {
            match rest.last_mut() {
                Some(last) if last.end == index => last.end += 1,
                _ => rest.push(index..index + 1),
            }
        }
        Some((named, Selection(rest)))
    }

    /// Both, in order.
    fn join(mut self, other: Selection) -> Selection {
        for range in other.0 {
            match self.0.last_mut() {
                Some(last) if last.end == range.start => last.end = range.end,
                _ => self.0.push(range),
            }
        }
        self
    }
}

/// A part still to send.
struct Todo {
    items: Selection,
    half: Half,
}

/// Where a part comes from.
enum Half {
    /// The whole batch, or what is left of a part once the items named refused are out.
    Whole,
    /// The first half of a refused part.
    Left,
    /// The second half of a refused part; `parent` is why the part was refused.
    Right { parent: TransportError },
}

struct Part {
    items: Selection,
    half: Half,
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
        let whole = Todo {
            items: Selection::of(0..batch.len()),
            half: Half::Whole,
        };
        Delivery {
            state,
            config,
            pending: Vec::from([whole]),
            batch: Some(batch),
            current: None,
            held: None,
            refusals_in_a_row: 0,
            epoch: 0,
        }
    }

    /// The body to send next, or `None` once every event is done with. Parts not yet
    /// tried when `close`'s deadline has passed are handed back instead.
    pub(crate) fn next_body(&mut self) -> Option<&[u8]> {
        let (state, config) = (self.state, self.config);
        let batch = self.batch.as_mut()?;
        if self.current.is_none() {
            loop {
                let Some(Todo { items, half }) = self.pending.pop() else {
                    // Unreachable: a held part always has its right half pending.
                    if let Some((held, error)) = self.held.take() {
                        fail(state, config, batch, &held, DeliveryError::Rejected(error));
                    }
                    return None;
                };
                if past_deadline(state) {
                    let error = DeliveryError::ShutDown { last_error: None };
                    fail(state, config, batch, &items, error);
                    if let Some((held, error)) = self.held.take() {
                        let error = DeliveryError::ShutDown {
                            last_error: Some(error),
                        };
                        fail(state, config, batch, &held, error);
                    }
                    continue;
                }
                let body = if items == Selection::of(0..batch.len()) {
                    batch.end_whole_body();
                    None
                } else {
                    Some(batch.part_body(&items.0))
                };
                self.current = Some(Part {
                    items,
                    half,
                    body,
                    attempt: 1,
                    last_error: None,
                });
                break;
            }
            self.epoch = lock(state).congestion.epoch();
        } else if let Some(part) = &self.current {
            let events = part.items.len();
            let mut state = lock(state);
            state.stats.retried += events as u64;
            self.epoch = state.congestion.epoch();
            drop(state);
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
        let Some(mut part) = self.current.take() else {
            return After::Continue;
        };
        let Some(batch) = &self.batch else {
            return After::Continue;
        };
        if let Err(TransportError::Status { status, .. }) = &result {
            if *status == 429 || *status >= 500 {
                // The server is overloaded: fewer batches in flight, and every worker
                // waits as this one does before its retry.
                let wait = config.retry.backoff(
                    part.attempt,
                    result.as_ref().err().and_then(TransportError::retry_after),
                );
                lock(state)
                    .congestion
                    .overloaded(self.epoch, Instant::now(), wait);
                if part.attempt < config.retry.max_attempts() {
                    part.attempt += 1;
                    part.last_error = result.err();
                    self.current = Some(part);
                    return After::Retry(wait);
                }
            }
        }
        let items = part.items.clone();
        match result {
            Err(error @ TransportError::Rejected { .. }) => {
                self.refused(part, error);
                return After::Continue;
            }
            Err(error) if error.is_retryable() && part.attempt < config.retry.max_attempts() => {
                let wait = config.retry.backoff(part.attempt, error.retry_after());
                part.attempt += 1;
                part.last_error = Some(error);
                self.current = Some(part);
                return After::Retry(wait);
            }
            Ok(()) => {
                self.refusals_in_a_row = 0;
                {
                    let mut state = lock(state);
                    let backlog = state.has_queued();
                    state.congestion.delivered(backlog);
                }
                for range in items.0 {
                    finish(state, config, batch, range, None);
                }
            }
            Err(error) => {
                let attempts = part.attempt;
                let error = DeliveryError::Failed { error, attempts };
                fail(state, config, batch, &items, error);
            }
        }
        // A right half done with: its refused left half can be split now.
        if let Some((held, reason)) = self.held.take() {
            self.split(held, reason);
        }
        After::Continue
    }

    /// The server refused the current part for `error`.
    fn refused(&mut self, part: Part, error: TransportError) {
        let (state, config) = (self.state, self.config);
        let Some(batch) = &self.batch else {
            return;
        };
        let positions = error.refused_items();
        if let Some((named, rest)) = (!positions.is_empty())
            .then(|| part.items.without(&positions))
            .flatten()
        {
            // The server said which: those come back, the rest goes again at once. Each
            // such refusal takes at least one item out, so they end.
            tracing::warn!(
                %error,
                refused = named.len(),
                resent = rest.len(),
                "batch refused; resending it without the events the server named"
            );
            for (&position, index) in positions.iter().zip(named) {
                let reason = naming(&error, position);
                let item = Selection::of(index..index + 1);
                fail(state, config, batch, &item, DeliveryError::Rejected(reason));
            }
            if rest.len() > 0 {
                self.pending.push(Todo {
                    items: rest,
                    half: Half::Whole,
                });
            }
            if matches!(part.half, Half::Right { .. }) {
                if let Some((held, reason)) = self.held.take() {
                    self.split(held, reason);
                }
            }
            return;
        }
        self.refusals_in_a_row += 1;
        if self.refusals_in_a_row >= MAX_REFUSALS_IN_A_ROW {
            // The server refuses whatever it is sent: hand back the rest with its reason.
            tracing::warn!(
                %error,
                refusals = self.refusals_in_a_row,
                "the server refused every part sent; handing back the rest of the batch"
            );
            let rest = std::iter::once(part.items)
                .chain(self.held.take().map(|(held, _)| held))
                .chain(self.pending.drain(..).map(|todo| todo.items));
            for items in rest {
                let error = DeliveryError::Rejected(error.clone());
                fail(state, config, batch, &items, error);
            }
            return;
        }
        let items = part.items;
        match part.half {
            Half::Left if items.len() > 1 => {
                // Split it only once its right half has been tried.
                self.held = Some((items, error));
            }
            Half::Right { parent } => {
                let held = self.held.take();
                let split_told_nothing =
                    held.as_ref().is_some_and(|(_, left)| *left == error) && parent == error;
                match held {
                    Some((held, _)) if split_told_nothing => {
                        tracing::warn!(
                            %error,
                            events = held.len() + items.len(),
                            "both halves refused as the whole was; not splitting further"
                        );
                        let whole = held.join(items);
                        fail(state, config, batch, &whole, DeliveryError::Rejected(error));
                    }
                    Some((held, left_error)) => {
                        // Pushed first, sent last: the right half's own halves.
                        self.split(items, error);
                        self.split(held, left_error);
                    }
                    None => self.split(items, error),
                }
            }
            Half::Left | Half::Whole => self.split(items, error),
        }
    }

    /// Splits a part refused for `error` into halves to send, or hands a single event
    /// back with it.
    fn split(&mut self, items: Selection, error: TransportError) {
        let Some(batch) = &self.batch else {
            return;
        };
        if items.len() <= 1 {
            fail(
                self.state,
                self.config,
                batch,
                &items,
                DeliveryError::Rejected(error),
            );
            return;
        }
        tracing::warn!(
            %error,
            events = items.len(),
            "batch refused; splitting it to find the bad events"
        );
        let (left, right) = items.split_at(items.len() / 2);
        self.pending.push(Todo {
            items: right,
            half: Half::Right {
                parent: error.clone(),
            },
        });
        self.pending.push(Todo {
            items: left,
            half: Half::Left,
        });
    }

    /// Shutdown's deadline came before the retry: hands back the current part.
    pub(crate) fn abandon(&mut self) {
        if let (Some(batch), Some(part)) = (&self.batch, self.current.take()) {
            let error = DeliveryError::ShutDown {
                last_error: part.last_error,
            };
            fail(self.state, self.config, batch, &part.items, error);
            if let Some((held, error)) = self.held.take() {
                let error = DeliveryError::ShutDown {
                    last_error: Some(error),
                };
                fail(self.state, self.config, batch, &held, error);
            }
        }
    }
}

/// `error` with only the messages naming item `position` of the body refused (all of
/// them if none does alone).
fn naming(error: &TransportError, position: usize) -> TransportError {
    let TransportError::Rejected {
        status,
        messages,
        body,
    } = error
    else {
        return error.clone();
    };
    let own: Vec<String> = messages
        .iter()
        .filter(|message| {
            TransportError::Rejected {
                status: *status,
                messages: vec![(*message).clone()],
                body: String::new(),
            }
            .refused_items()
            .contains(&position)
        })
        .cloned()
        .collect();
    TransportError::Rejected {
        status: *status,
        messages: if own.is_empty() {
            messages.clone()
        } else {
            own
        },
        body: body.clone(),
    }
}

impl Drop for Delivery<'_> {
    fn drop(&mut self) {
        let Some(batch) = self.batch.take() else {
            return;
        };
        let current = self.current.take().map(|part| part.items);
        let held = self.held.take().map(|(held, _)| held);
        let pending = self.pending.drain(..).map(|todo| todo.items);
        for items in current.into_iter().chain(held).chain(pending) {
            fail(
                self.state,
                self.config,
                &batch,
                &items,
                DeliveryError::WorkerStopped,
            );
        }
        let mut state = lock(self.state);
        state.congestion.ended();
        state.release(batch);
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
    items: &Selection,
    error: DeliveryError,
) {
    tracing::error!(%error, events = items.len(), "batch not delivered");
    for range in &items.0 {
        finish(state, config, batch, range.clone(), Some(error.clone()));
    }
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
    // With a durable queue, events the client merely stopped sending stay on disk for
    // the next client rather than coming back.
    let kept = config.durable.is_some()
        && matches!(
            outcome,
            Some(DeliveryError::ShutDown { .. } | DeliveryError::WorkerStopped)
        );
    {
        let mut state = lock(state);
        if !state.settle(batch, &items) {
            // Shutdown handed them back (or kept them) already.
            return;
        }
        let count = items.len() as u64;
        match &outcome {
            _ if kept => state.stats.kept += count,
            None => state.stats.delivered += count,
            Some(DeliveryError::Rejected(_)) => state.stats.rejected += count,
            Some(_) => state.stats.failed += count,
        }
        if !kept {
            state.settle_on_disk(batch, &items);
        }
    }
    let Some(error) = outcome else {
        tracing::debug!(events = items.len(), "batch delivered");
        return;
    };
    if kept {
        tracing::warn!(%error, events = items.len(), "kept in the durable queue for the next client");
        return;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_selection_splits_by_count_and_drops_named_items_by_their_place_in_the_body() {
        let items = Selection(vec![0..3, 5..8]);
        assert_eq!(items.len(), 6);
        let (left, right) = items.split_at(4);
        assert_eq!(
            (left, right),
            (Selection(vec![0..3, 5..6]), Selection::of(6..8))
        );
        // Places 1 and 3 of the body are items 1 and 5.
        let (named, rest) = items.without(&[1, 3]).expect("in the body");
        assert_eq!(named, [1, 5]);
        assert_eq!(rest.0, [0..1, 2..3, 6..8]);
        assert!(items.without(&[6]).is_none());
        assert_eq!(
            Selection::of(0..2).join(Selection(vec![2..4, 6..7])).0,
            [0..4, 6..7]
        );
        assert_eq!(Selection::of(3..3).len(), 0);
    }

    #[test]
    fn each_named_item_comes_back_with_the_messages_about_it() {
        let error = TransportError::Rejected {
            status: 400,
            messages: vec!["batch[0]: bad".into(), "batch[2].event: worse".into()],
            body: String::new(),
        };
        let TransportError::Rejected { messages, .. } = naming(&error, 2) else {
            panic!("a rejection");
        };
        assert_eq!(messages, ["batch[2].event: worse"]);
        let TransportError::Rejected { messages, .. } = naming(&error, 1) else {
            panic!("a rejection");
        };
        assert_eq!(messages.len(), 2);
    }
}
