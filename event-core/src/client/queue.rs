//! The queue: serialized events, already laid out as the batch bodies they will be sent
//! as, so sending a batch copies nothing and queueing an event allocates nothing once the
//! buffers of earlier batches come back for reuse.

use std::collections::VecDeque;
use std::io::Write as _;
use std::ops::Range;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::congestion::Congestion;
use super::durable::{Store, StoreError, SyncTicket};
use super::{ClientError, Config, Stats};
use crate::timestamp::Timestamp;

/// What a batch body starts with.
const BODY_PREFIX: &[u8] = b"{\"batch\":[";
/// What follows the items: `],"sentAt":"` + the 24-byte `sentAt` + `"}`.
const BODY_SUFFIX_LEN: usize = 12 + SENT_AT_LEN + 2;
/// `Timestamp::now()` writes `YYYY-MM-DDTHH:MM:SS.mmmZ`: 24 bytes.
const SENT_AT_LEN: usize = 24;
/// How many emptied batches are kept for reuse: enough for the workers to hand some back
/// while the callers fill the next.
const SPARE_BATCHES: usize = 4;

/// Serialized events that go out together, laid out as the body of their batch:
/// `{"batch":[item,item,...` with the rest of the body written when a worker takes it.
#[derive(Debug)]
pub(crate) struct OutgoingBatch {
    /// Shared with the queue's record of the batches in flight, so that shutdown can
    /// hand the events back while a worker still waits on their request.
    items: Arc<Items>,
    /// When the first item was queued: the flush interval counts from it.
    opened_at: Instant,
    /// The first item's place among every event the client accepted.
    first_seq: u64,
}

#[derive(Debug, Clone)]
struct Items {
    /// The body so far: [`BODY_PREFIX`], then the items separated by commas, then the
    /// suffix once ended.
    body: Vec<u8>,
    /// Where each item ends in `body`.
    ends: Vec<usize>,
    /// The items' messageIds, one after another, ending at `id_ends`.
    ids: String,
    id_ends: Vec<usize>,
    /// Whether the suffix is written: from when a worker takes the batch, which is then
    /// shared and not changed again.
    ended: bool,
}

impl OutgoingBatch {
    fn new(opened_at: Instant, first_seq: u64) -> OutgoingBatch {
        OutgoingBatch {
            items: Arc::new(Items {
                body: BODY_PREFIX.to_vec(),
                ends: Vec::new(),
                ids: String::new(),
                id_ends: Vec::new(),
                ended: false,
            }),
            opened_at,
            first_seq,
        }
    }

    /// The items, to change: copied only if shared, which a queued batch never is.
    fn items_mut(&mut self) -> &mut Items {
        Arc::make_mut(&mut self.items)
    }

    /// Empties the batch for reuse, keeping its buffers.
    fn reopen(&mut self, opened_at: Instant, first_seq: u64) {
        let items = self.items_mut();
        items.body.truncate(BODY_PREFIX.len());
        items.ends.clear();
        items.ids.clear();
        items.id_ends.clear();
        items.ended = false;
        self.opened_at = opened_at;
        self.first_seq = first_seq;
    }

    /// How many events it holds.
    pub(crate) fn len(&self) -> usize {
        self.items.ends.len()
    }

    /// The size of the whole body once `payload` is added.
    fn body_len_with(&self, payload: &[u8]) -> usize {
        let comma = usize::from(!self.items.ends.is_empty());
        self.items_end() + comma + payload.len() + BODY_SUFFIX_LEN
    }

    /// Where the items end: the suffix, once written, starts there.
    fn items_end(&self) -> usize {
        self.items.ends.last().copied().unwrap_or(BODY_PREFIX.len())
    }

    fn push(&mut self, payload: &[u8], message_id: &str) {
        let items = self.items_mut();
        if !items.ends.is_empty() {
            items.body.push(b',');
        }
        items.body.extend_from_slice(payload);
        items.ends.push(items.body.len());
        items.ids.push_str(message_id);
        items.id_ends.push(items.ids.len());
    }

    /// The bytes of item `index`.
    pub(crate) fn payload(&self, index: usize) -> &[u8] {
        &self.items.body[self.item_range(index)]
    }

    /// The messageId of item `index`.
    pub(crate) fn message_id(&self, index: usize) -> &str {
        let start = match index {
            0 => 0,
            _ => self.items.id_ends[index - 1],
        };
        &self.items.ids[start..self.items.id_ends[index]]
    }

    fn item_range(&self, index: usize) -> Range<usize> {
        let start = match index {
            0 => BODY_PREFIX.len(),
            // Past the comma.
            _ => self.items.ends[index - 1] + 1,
        };
        start..self.items.ends[index]
    }

    /// Ends the body of the whole batch, `sentAt` written now: the buffer itself,
    /// nothing copied. [`body`](Self::body) then returns it, for every retry. The queue
    /// ends a batch as a worker takes it; ending it again changes nothing.
    pub(crate) fn end_whole_body(&mut self) {
        if self.items.ended {
            return;
        }
        let end = self.items_end();
        let items = self.items_mut();
        items.body.truncate(end);
        write_suffix(&mut items.body);
        items.ended = true;
    }

    /// The body as [`end_whole_body`](Self::end_whole_body) left it.
    pub(crate) fn body(&self) -> &[u8] {
        &self.items.body
    }

    /// A body of the items in `parts` only, in order (a batch split, or resent without
    /// the items the server refused).
    pub(crate) fn part_body(&self, parts: &[Range<usize>]) -> Vec<u8> {
        let spans: Vec<Range<usize>> = parts
            .iter()
            .filter_map(|items| {
                let last = items.end.checked_sub(1)?;
                (items.start <= last)
                    .then(|| self.item_range(items.start).start..self.item_range(last).end)
            })
            .collect();
        let bytes: usize = spans.iter().map(|span| span.len() + 1).sum();
        let mut body = Vec::with_capacity(BODY_PREFIX.len() + bytes + BODY_SUFFIX_LEN);
        body.extend_from_slice(BODY_PREFIX);
        for (index, span) in spans.into_iter().enumerate() {
            if index > 0 {
                body.push(b',');
            }
            body.extend_from_slice(&self.items.body[span]);
        }
        write_suffix(&mut body);
        body
    }
}

fn write_suffix(body: &mut Vec<u8>) {
    // Writing to a Vec cannot fail.
    let _ = write!(body, "],\"sentAt\":\"{}\"}}", Timestamp::now());
}

/// The queue and the counters, behind one lock.
#[derive(Debug, Default)]
pub(crate) struct State {
    /// Oldest first; only the last one takes new events.
    batches: VecDeque<OutgoingBatch>,
    /// Events in `batches`.
    queued: usize,
    /// The batches being delivered or handed back.
    in_flight: Vec<InFlight>,
    /// Emptied batches, kept for their buffers.
    spare: Vec<OutgoingBatch>,
    /// Events accepted so far: the next event's place.
    pub(crate) enqueued: u64,
    /// `flush` asked for every event before this place.
    pub(crate) flush_target: u64,
    /// Set by `close`: the time by which delivery stops.
    pub(crate) closing: Option<Instant>,
    /// Workers not yet stopped.
    pub(crate) workers: usize,
    /// Workers waiting for a request's answer (the blocking client counts them).
    pub(crate) sending: usize,
    pub(crate) stats: Stats,
    /// The durable queue's files, when there is one: every queued event is on disk too.
    pub(crate) store: Option<Store>,
    /// How many batches may be in flight now, and the shared pause.
    pub(crate) congestion: Congestion,
}

/// A batch a worker is delivering (or handing back).
#[derive(Debug)]
struct InFlight {
    first_seq: u64,
    items: Arc<Items>,
    /// The items already delivered or handed back, as ranges.
    settled: Vec<Range<usize>>,
}

impl InFlight {
    fn of(batch: &OutgoingBatch) -> InFlight {
        InFlight {
            first_seq: batch.first_seq,
            items: Arc::clone(&batch.items),
            settled: Vec::new(),
        }
    }
}

/// Events no worker will report, taken by [`State::take_unsettled`]: the items of
/// `batch` in `items`.
pub(crate) struct Unsettled {
    pub(crate) batch: OutgoingBatch,
    pub(crate) items: Vec<Range<usize>>,
    /// Whether a worker had them, so a request may have carried them to the server.
    pub(crate) in_flight: bool,
}

/// What a worker should do next.
pub(crate) enum Next {
    /// Send this batch.
    Send(OutgoingBatch),
    /// Nothing to do for this long (or until woken, when `None`).
    Wait(Option<Duration>),
    /// Closing and out of time: hand back these undelivered batches, then stop.
    GiveUp(Vec<OutgoingBatch>),
    /// Closed and empty: stop.
    Stop,
}

/// Why `push` did not queue an event.
pub(crate) enum Refused {
    /// No room in memory or on disk: `track` waits or says so, per `QueueFull`.
    Full(ClientError),
    /// The durable queue's files could not be written.
    Storage(ClientError),
}

/// An event queued.
pub(crate) struct Pushed {
    /// A worker must be woken: the queue was empty (its interval starts) or a batch is
    /// now full. Waking it for every event would cost a context switch per event.
    pub(crate) wake: bool,
    /// With [`Fsync::EveryEvent`](super::Fsync::EveryEvent): wait on it, outside the
    /// lock, before `track` returns.
    pub(crate) sync: Option<SyncTicket>,
}

impl State {
    /// An empty queue, to be served by `workers` workers.
    pub(crate) fn new(workers: usize) -> State {
        State {
            workers,
            congestion: Congestion::new(workers),
            ..State::default()
        }
    }

    pub(crate) fn stats(&self) -> Stats {
        Stats {
            queued: self.queued as u64,
            ..self.stats
        }
    }

    /// Whether events wait in the queue.
    pub(crate) fn has_queued(&self) -> bool {
        self.queued > 0
    }

    /// Whether no worker runs any more: nothing queued will be sent.
    pub(crate) fn stopped(&self) -> bool {
        self.workers == 0
    }

    /// Whether every event before place `target` is delivered or has failed.
    pub(crate) fn done_before(&self, target: u64) -> bool {
        let queued = self.batches.front().map(|batch| batch.first_seq);
        let oldest = queued
            .into_iter()
            .chain(self.in_flight.iter().map(|batch| batch.first_seq))
            .min();
        oldest.is_none_or(|oldest| oldest >= target)
    }

    /// An empty queue on the durable queue's directory, with what an earlier client left
    /// there queued to be sent at once.
    pub(crate) fn open(workers: usize, config: &Config) -> Result<State, ClientError> {
        let mut state = State::new(workers);
        let Some(durable) = &config.durable else {
            return Ok(state);
        };
        let opened = Store::open(durable).map_err(ClientError::Storage)?;
        let mut store = opened.store;
        for record in opened.recovered {
            store.map(state.enqueued, record.segment, record.index);
            state.push_in_memory(&record.payload, &record.message_id, config);
        }
        state.stats.recovered = state.enqueued;
        state.stats.damaged = opened.damaged;
        if state.enqueued > 0 {
            tracing::info!(
                events = state.enqueued,
                "sending the events an earlier client left in the durable queue"
            );
        }
        state.flush_target = state.enqueued;
        state.store = Some(store);
        Ok(state)
    }

    /// Queues a serialized event if there is room (and, with a durable queue, once it is
    /// written to disk).
    pub(crate) fn push(
        &mut self,
        payload: &[u8],
        message_id: &str,
        config: &Config,
    ) -> Result<Pushed, Refused> {
        if self.queued >= config.queue_capacity {
            self.send_what_is_queued();
            return Err(Refused::Full(ClientError::QueueFull {
                capacity: config.queue_capacity,
            }));
        }
        let mut sync = None;
        if let (Some(store), Some(durable)) = (&mut self.store, &config.durable) {
            match store.append(self.enqueued, payload, message_id) {
                Ok(ticket) => {
                    if durable.fsync == super::Fsync::EveryEvent {
                        sync = Some(ticket);
                    }
                }
                Err(StoreError::Full) => {
                    self.send_what_is_queued();
                    return Err(Refused::Full(ClientError::DiskQueueFull {
                        capacity_bytes: durable.capacity_bytes,
                    }));
                }
                Err(StoreError::Io(error)) => {
                    return Err(Refused::Storage(ClientError::Storage(error)));
                }
            }
        }
        self.stats.tracked += 1;
        let wake = self.push_in_memory(payload, message_id, config);
        Ok(Pushed { wake, sync })
    }

    /// Makes every queued event due now: a full queue sends what it holds rather than
    /// wait for `flush_at` or `flush_interval` (its room may be smaller than `flush_at`).
    /// The caller wakes a worker.
    fn send_what_is_queued(&mut self) {
        self.flush_target = self.flush_target.max(self.enqueued);
    }

    /// Queues an event in memory; true when a worker must be woken.
    fn push_in_memory(&mut self, payload: &[u8], message_id: &str, config: &Config) -> bool {
        let was_empty = self.queued == 0;
        // A batch takes events up to its limits, whatever `flush_at`: a worker takes it
        // as soon as it reaches `flush_at` if one is free, and while none is (a backlog),
        // it fills.
        let max_events = config.max_batch_events.max(config.flush_at);
        let fits = self.batches.back().is_some_and(|batch| {
            batch.len() < max_events && batch.body_len_with(payload) <= config.max_batch_bytes
        });
        if !fits {
            let now = Instant::now();
            let batch = match self.spare.pop() {
                Some(mut batch) => {
                    batch.reopen(now, self.enqueued);
                    batch
                }
                None => OutgoingBatch::new(now, self.enqueued),
            };
            self.batches.push_back(batch);
        }
        let Some(batch) = self.batches.back_mut() else {
            return false;
        };
        batch.push(payload, message_id);
        // Woken once, as the batch reaches `flush_at`, not for every event past it.
        let full = batch.len() == config.flush_at;
        self.queued += 1;
        self.enqueued += 1;
        // A new batch opened behind another: that one is full by size.
        was_empty || full || (!fits && self.batches.len() > 1)
    }

    /// Settles the records of `items` of `batch` in the durable queue, if any: they
    /// were delivered or handed back to the application.
    pub(crate) fn settle_on_disk(&mut self, batch: &OutgoingBatch, items: &Range<usize>) {
        if let Some(store) = &mut self.store {
            let first = batch.first_seq;
            store.settle(first + items.start as u64..first + items.end as u64);
        }
    }

    /// Takes back a batch [`next`](Self::next) handed out, every event of it done with,
    /// and keeps its buffers for reuse.
    pub(crate) fn release(&mut self, mut batch: OutgoingBatch) {
        if let Some(index) = self
            .in_flight
            .iter()
            .position(|record| record.first_seq == batch.first_seq)
        {
            self.in_flight.swap_remove(index);
        }
        // Still shared only while shutdown hands its events back: not reused then.
        if self.spare.len() < SPARE_BATCHES && Arc::get_mut(&mut batch.items).is_some() {
            self.spare.push(batch);
        }
    }

    /// Takes every queued batch, to hand its events back; [`release`](Self::release)
    /// each once done.
    pub(crate) fn take_queued(&mut self) -> Vec<OutgoingBatch> {
        self.queued = 0;
        let batches: Vec<OutgoingBatch> = self.batches.drain(..).collect();
        self.in_flight.extend(batches.iter().map(InFlight::of));
        batches
    }

    /// Records that `items` of `batch` are delivered or handed back, and says whether
    /// reporting them falls to the caller: not when [`take_unsettled`](Self::take_unsettled)
    /// took them first.
    pub(crate) fn settle(&mut self, batch: &OutgoingBatch, items: &Range<usize>) -> bool {
        let Some(record) = self
            .in_flight
            .iter_mut()
            .find(|record| record.first_seq == batch.first_seq)
        else {
            return true;
        };
        let taken = record
            .settled
            .iter()
            .any(|done| done.start < items.end && items.start < done.end);
        if !taken {
            record.settled.push(items.clone());
        }
        !taken
    }

    /// Shutdown's deadline has passed: takes every event neither delivered nor handed
    /// back yet, queued or in flight, and counts it failed. The caller hands them back;
    /// a worker still waiting on a request finds them settled when it ends.
    pub(crate) fn take_unsettled(&mut self) -> Vec<Unsettled> {
        let mut taken: Vec<Unsettled> = self
            .batches
            .drain(..)
            .map(|batch| Unsettled {
                items: std::iter::once(0..batch.len()).collect(),
                batch,
                in_flight: false,
            })
            .collect();
        self.queued = 0;
        for record in &mut self.in_flight {
            let mut done = record.settled.clone();
            done.sort_by_key(|range| range.start);
            let mut items = Vec::new();
            let mut from = 0;
            for range in &done {
                if from < range.start {
                    items.push(from..range.start);
                }
                from = from.max(range.end);
            }
            if from < record.items.ends.len() {
                items.push(from..record.items.ends.len());
            }
            if items.is_empty() {
                continue;
            }
            record.settled.extend(items.iter().cloned());
            taken.push(Unsettled {
                batch: OutgoingBatch {
                    items: Arc::clone(&record.items),
                    opened_at: Instant::now(),
                    first_seq: record.first_seq,
                },
                items,
                in_flight: true,
            });
        }
        let count: usize = taken
            .iter()
            .flat_map(|unsettled| &unsettled.items)
            .map(|items| items.len())
            .sum();
        // With a durable queue they stay on disk for the next client.
        match self.store {
            Some(_) => self.stats.kept += count as u64,
            None => self.stats.failed += count as u64,
        }
        taken
    }

    /// Whether a batch is due now, and the batch if so.
    pub(crate) fn next(&mut self, config: &Config, now: Instant) -> Next {
        let Some(oldest) = self.batches.front() else {
            return if self.closing.is_some() {
                Next::Stop
            } else {
                Next::Wait(None)
            };
        };
        if self.closing.is_some_and(|deadline| now >= deadline) {
            return Next::GiveUp(self.take_queued());
        }
        if let Err(wait) = self.congestion.may_start(now) {
            // Closing, a worker looks again at the deadline, to hand back what is left.
            let until_deadline = self.closing.map(|deadline| deadline - now);
            let wait = match (wait, until_deadline) {
                (Some(wait), Some(left)) => Some(wait.min(left)),
                (wait, left) => wait.or(left),
            };
            return Next::Wait(wait);
        }
        let mut due = oldest.opened_at + config.flush_interval;
        // A full batch goes whenever it may. One of `flush_at` goes only when no other
        // is on its way; else it fills on until one is answered: events that come faster
        // than the round trip make fuller batches, not more of them (as Nagle's
        // algorithm holds back small segments while one is unacknowledged). It also
        // lingers a moment from its first event, so that a burst goes in one batch.
        let max_events = config.max_batch_events.max(config.flush_at);
        let full = self.batches.len() > 1 || oldest.len() >= max_events;
        let mut ready = full;
        if !full && oldest.len() >= config.flush_at && self.congestion.in_flight() == 0 {
            let lingered = oldest.opened_at + config.linger;
            ready = now >= lingered;
            due = due.min(lingered);
        }
        let flushing = oldest.first_seq < self.flush_target || self.closing.is_some();
        if !(ready || flushing || now >= due) {
            return Next::Wait(Some(due.saturating_duration_since(now)));
        }
        match self.batches.pop_front() {
            Some(mut batch) => {
                self.queued -= batch.len();
                self.congestion.started();
                // Ended now, the items are shared and not changed again.
                batch.end_whole_body();
                self.in_flight.push(InFlight::of(&batch));
                Next::Send(batch)
            }
            None => Next::Wait(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::ClientBuilder;

    fn item(size: usize) -> Vec<u8> {
        let mut payload = vec![b'1'; size];
        if let Some(first) = payload.first_mut() {
            *first = b'2';
        }
        payload
    }

    fn send(state: &mut State, config: &Config) -> OutgoingBatch {
        match state.next(config, Instant::now()) {
            Next::Send(batch) => batch,
            _ => panic!("a batch is due"),
        }
    }

    #[test]
    fn the_body_is_the_items_joined_and_its_size_is_known_before_sending() {
        let config = ClientBuilder::new().config;
        let mut state = State::default();
        for (size, id) in [(5, "a"), (7, "bb"), (1, "c")] {
            let predicted = state
                .batches
                .back()
                .map_or(BODY_PREFIX.len() + size + BODY_SUFFIX_LEN, |batch| {
                    batch.body_len_with(&item(size))
                });
            assert!(state.push(&item(size), id, &config).is_ok());
            state.flush_target = 3;
            let batch = state.batches.back().expect("a batch");
            let mut copy = OutgoingBatch::new(batch.opened_at, 0);
            for index in 0..batch.len() {
                copy.push(batch.payload(index), batch.message_id(index));
            }
            copy.end_whole_body();
            assert_eq!(copy.body().len(), predicted);
        }
        let mut batch = send(&mut state, &config);
        assert_eq!(batch.len(), 3);
        assert_eq!((batch.message_id(0), batch.message_id(2)), ("a", "c"));
        assert_eq!(batch.payload(1), item(7).as_slice());
        let part = batch.part_body(&[1..2, 2..3]);
        batch.end_whole_body();
        let whole = batch.body().to_vec();
        let json: serde_json::Value = serde_json::from_slice(&whole).expect("JSON");
        assert_eq!(json["batch"], serde_json::json!([21111, 2111111, 2]));
        let json: serde_json::Value = serde_json::from_slice(&part).expect("JSON");
        assert_eq!(json["batch"], serde_json::json!([2111111, 2]));
        // Ended twice, the body is still one body.
        batch.end_whole_body();
        assert_eq!(batch.body().len(), whole.len());
    }

    #[test]
    fn batches_stay_under_the_byte_limit_and_buffers_are_reused() {
        let config = ClientBuilder::new().max_batch_bytes(1_000).config;
        let mut state = State::default();
        let mut wakes = 0;
        for _ in 0..10 {
            if state
                .push(&item(300), "id", &config)
                .is_ok_and(|pushed| pushed.wake)
            {
                wakes += 1;
            }
        }
        // The first event, then each batch closed by size.
        assert_eq!(wakes, 4);
        let mut batch = send(&mut state, &config);
        assert_eq!(batch.len(), 3);
        batch.end_whole_body();
        assert!(batch.body().len() <= 1_000);
        let capacity = batch.items.body.capacity();
        state.release(batch);
        while state.batches.len() > 1 {
            let batch = send(&mut state, &config);
            state.release(batch);
        }
        assert!(state.push(&item(300), "id", &config).is_ok());
        assert!(
            state
                .spare
                .iter()
                .all(|batch| batch.items.body.capacity() >= 900)
        );
        assert!(capacity >= 900);
    }

    #[test]
    fn flush_waits_for_the_oldest_batch_even_when_a_newer_one_finishes_first() {
        let config = ClientBuilder::new().flush_at(2).max_batch_events(2).config;
        let mut state = State::default();
        for id in ["a", "b", "c", "d", "e"] {
            assert!(state.push(b"1", id, &config).is_ok());
        }
        let first = send(&mut state, &config);
        let second = send(&mut state, &config);
        assert!(!state.done_before(1));
        state.release(second);
        // Events 0 and 1 are still in flight; the fifth is still queued.
        assert!(!state.done_before(1));
        state.release(first);
        assert!(state.done_before(4));
        assert!(!state.done_before(5));
        state.flush_target = 5;
        let last = send(&mut state, &config);
        assert_eq!(last.message_id(0), "e");
        state.release(last);
        assert!(state.done_before(5));
    }

    #[test]
    fn shutdown_takes_each_unsettled_event_once_and_workers_report_none_of_them_again() {
        let config = ClientBuilder::new().flush_at(4).max_batch_events(4).config;
        let mut state = State::default();
        for id in ["a", "b", "c", "d", "e"] {
            assert!(state.push(b"1", id, &config).is_ok());
        }
        let batch = send(&mut state, &config);
        // The worker split the batch and delivered its first half.
        assert!(state.settle(&batch, &(0..2)));

        let taken = state.take_unsettled();
        let ids: Vec<(&str, bool)> = taken
            .iter()
            .flat_map(|unsettled| {
                let batch = &unsettled.batch;
                unsettled
                    .items
                    .iter()
                    .flat_map(|items| items.clone())
                    .map(move |index| (batch.message_id(index), unsettled.in_flight))
            })
            .collect();
        assert_eq!(ids, [("e", false), ("c", true), ("d", true)]);
        assert_eq!(state.stats().failed, 3);
        assert!(state.take_unsettled().is_empty());

        // The worker's request ends later: those events are not its to report.
        assert!(!state.settle(&batch, &(2..4)));
        assert!(!state.settle(&batch, &(3..4)));
        drop(taken);
        state.release(batch);
        assert!(state.done_before(5));
        // Its buffers are reused once nothing else holds them.
        assert_eq!(state.spare.len(), 1);
    }

    #[test]
    fn a_backlog_fills_batches_to_their_limits_and_a_trickle_goes_at_flush_at() {
        let config = ClientBuilder::new()
            .flush_at(10)
            .linger(Duration::ZERO)
            .max_batch_events(25)
            .max_batch_bytes(BODY_PREFIX.len() + BODY_SUFFIX_LEN + 40 * 10)
            .config;
        let mut state = State::new(1);
        // Ten events: due, and a worker woken as the batch reaches flush_at.
        let wakes: Vec<bool> = (0..10)
            .map(|_| state.push(&item(9), "id", &config).is_ok_and(|p| p.wake))
            .collect();
        assert_eq!(wakes.iter().filter(|wake| **wake).count(), 2);
        assert!(wakes[0] && wakes[9]);
        let first = send(&mut state, &config);
        assert_eq!(first.len(), 10);
        // The only worker is busy: the next batch fills to its count limit.
        for _ in 0..60 {
            assert!(state.push(&item(9), "id", &config).is_ok());
        }
        assert!(matches!(
            state.next(&config, Instant::now()),
            Next::Wait(None)
        ));
        state.congestion.ended();
        state.release(first);
        let mut full = send(&mut state, &config);
        assert_eq!(full.len(), 25);
        full.end_whole_body();
        // And to its byte limit: 40 items of 9 bytes and a comma, not 41.
        let config = ClientBuilder::new()
            .flush_at(10)
            .max_batch_events(100)
            .max_batch_bytes(BODY_PREFIX.len() + BODY_SUFFIX_LEN + 40 * 10 - 1);
        let config = config.config;
        let mut state = State::new(1);
        for _ in 0..100 {
            assert!(state.push(&item(9), "id", &config).is_ok());
        }
        let mut batch = send(&mut state, &config);
        assert_eq!(batch.len(), 40);
        batch.end_whole_body();
        assert!(batch.body().len() <= config.max_batch_bytes);
        // Parts of a batch, apart, make one body.
        let part: serde_json::Value =
            serde_json::from_slice(&batch.part_body(&[0..1, 3..5])).expect("JSON");
        assert_eq!(part["batch"].as_array().map(Vec::len), Some(3));
    }

    #[test]
    fn a_batch_at_flush_at_lingers_for_the_rest_of_a_burst_but_a_full_one_does_not() {
        let config = ClientBuilder::new()
            .flush_at(10)
            .linger(Duration::from_millis(5))
            .max_batch_events(30)
            .config;
        let mut state = State::new(1);
        for _ in 0..10 {
            assert!(state.push(&item(9), "id", &config).is_ok());
        }
        let opened = state.batches.front().map(|batch| batch.opened_at);
        let Some(opened) = opened else {
            panic!("a batch is open");
        };
        // At flush_at, within the linger: it waits out the rest of the linger only.
        match state.next(&config, opened) {
            Next::Wait(Some(wait)) => assert!(wait <= Duration::from_millis(5), "{wait:?}"),
            _ => panic!("the batch lingers"),
        }
        // The burst goes on meanwhile, and joins it.
        for _ in 0..5 {
            assert!(state.push(&item(9), "id", &config).is_ok());
        }
        let batch = match state.next(&config, opened + Duration::from_millis(5)) {
            Next::Send(batch) => batch,
            _ => panic!("due once the linger has passed"),
        };
        assert_eq!(batch.len(), 15);
        state.congestion.ended();
        state.release(batch);
        // A full batch goes at once, linger or not.
        for _ in 0..30 {
            assert!(state.push(&item(9), "id", &config).is_ok());
        }
        let opened = state.batches.front().map(|batch| batch.opened_at);
        let Some(opened) = opened else {
            panic!("a batch is open");
        };
        assert!(matches!(state.next(&config, opened), Next::Send(_)));
    }

    #[test]
    fn the_queue_refuses_events_past_its_capacity() {
        let config = ClientBuilder::new().queue_capacity(2).config;
        let mut state = State::default();
        assert!(state.push(b"1", "a", &config).is_ok());
        assert!(state.push(b"2", "b", &config).is_ok());
        assert!(state.push(b"3", "c", &config).is_err());
        assert_eq!(state.stats().queued, 2);
    }
}
