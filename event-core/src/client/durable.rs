//! The durable queue: every accepted event is also appended to a segment file, so a
//! process that dies loses nothing it accepted; the next client on the directory sends it.
//!
//! The layout, in one directory held by one live client at a time (an OS lock on `lock`,
//! released by the OS when the process dies, however it dies):
//!
//! - `NNNNNNNNNNNNNNNNNNNN.seg`: a segment, [`MAGIC`] then records, appended only. A record
//!   is `len: u32 LE`, `crc32(body): u32 LE`, then the body: `id_len: u32 LE`, the
//!   messageId, the serialized event (the very bytes of its batch item).
//! - `NNNNNNNNNNNNNNNNNNNN.ack`: the records of that segment settled (delivered, or
//!   handed back to the application), as `start: u32`, `end: u32`, `crc32: u32` entries.
//!   Written without `fsync`: an ack lost to a power cut only sends an event again, with
//!   its messageId, which the API deduplicates.
//!
//! A segment is deleted once all its records are settled. A client writes only to
//! segments of its own: it reads the ones it finds at start and never appends to them.

use std::collections::{BTreeMap, VecDeque};
use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

use super::lock;

/// What a segment file starts with.
const MAGIC: &[u8; 8] = b"cioq\0\0\0\x01";
/// `len` and `crc32`.
const RECORD_HEADER: u64 = 8;
/// The largest record body read back: larger lengths are damage, not events.
const MAX_RECORD: u32 = 64 * 1024 * 1024;

/// When the durable queue makes an accepted event safe from a power cut.
///
/// Either way each event is written to its segment file (a `write` system call) before
/// `track` returns, which is enough to survive the process dying, however it dies; what
/// `fsync` adds is surviving the machine's own crash or power loss.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fsync {
    /// `track` returns once the event is synced to disk. Calls at once share one `fsync`
    /// (group commit), but a lone caller waits for a whole `fsync` each time.
    EveryEvent,
    /// A background thread syncs what was written, at most this long after `track`
    /// returned (group commit every few milliseconds): a power cut loses at most this
    /// window.
    Every(Duration),
}

/// The settings of the durable queue.
#[derive(Debug, Clone)]
pub(crate) struct DurableConfig {
    pub(crate) dir: PathBuf,
    pub(crate) capacity_bytes: u64,
    pub(crate) fsync: Fsync,
}

/// Why the store refused a record.
pub(crate) enum StoreError {
    /// No room within the capacity.
    Full,
    /// The file system failed: the message says what and where.
    Io(String),
}

/// A record read back at start, not yet settled.
pub(crate) struct Recovered {
    pub(crate) segment: u64,
    pub(crate) index: u32,
    pub(crate) message_id: String,
    pub(crate) payload: Vec<u8>,
}

/// What opening the store found.
pub(crate) struct Opened {
    pub(crate) store: Store,
    pub(crate) recovered: Vec<Recovered>,
    /// Damaged stretches skipped (each one or more records).
    pub(crate) damaged: u64,
}

/// The on-disk side of the queue; it lives in the queue's `State`, behind its lock.
pub(crate) struct Store {
    dir: PathBuf,
    /// Held for the store's life: its OS lock keeps a second client out.
    _lock: File,
    capacity: u64,
    /// A segment is sealed once this full.
    segment_bytes: u64,
    /// Bytes of all segment files.
    used: u64,
    segments: BTreeMap<u64, Segment>,
    /// The segment appended to, if any.
    active: Option<Active>,
    next_id: u64,
    /// Where each queued event is on disk, by its place in the queue.
    runs: VecDeque<Run>,
    /// One record, built before its single `write`.
    scratch: Vec<u8>,
    syncer: Arc<Syncer>,
    /// Dropped to stop the background sync thread.
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

struct Segment {
    bytes: u64,
    records: u32,
    unsettled: u32,
    ack: Option<File>,
}

struct Active {
    id: u64,
    file: File,
    len: u64,
}

/// Events `seq..seq + len` are records `index..index + len` of `segment`.
struct Run {
    seq: u64,
    segment: u64,
    index: u32,
    len: u32,
}

/// A record written: it is durable once the syncer has synced its segment past `end`.
pub(crate) struct SyncTicket {
    syncer: Arc<Syncer>,
    segment: u64,
    end: u64,
}

/// Group commit: one caller syncs, those arriving meanwhile wait for the next sync.
struct Syncer {
    state: Mutex<SyncState>,
    synced: Condvar,
}

#[derive(Default)]
struct SyncState {
    /// A handle on the active segment (the same open file as the store's).
    file: Option<Arc<File>>,
    segment: u64,
    written: u64,
    synced: u64,
    syncing: bool,
    /// The last failure, reported to whoever waits for it.
    error: Option<String>,
}

impl Syncer {
    /// Syncs the active segment up to what is written, unless done already; `ticket`
    /// (segment, end) says what the caller needs.
    fn sync(&self, ticket: Option<(u64, u64)>) -> Result<(), String> {
        let mut state = lock(&self.state);
        loop {
            let (segment, end) = ticket.unwrap_or((state.segment, state.written));
            // A sealed segment was synced when it was sealed.
            if segment < state.segment || state.file.is_none() || state.synced >= end {
                return Ok(());
            }
            if !state.syncing {
                break;
            }
            state = self
                .synced
                .wait(state)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        state.syncing = true;
        let (file, segment, target) = (state.file.clone(), state.segment, state.written);
        drop(state);
        let result = match file {
            Some(file) => file.sync_data().map_err(|error| error.to_string()),
            None => Ok(()),
        };
        let mut state = lock(&self.state);
        state.syncing = false;
        if state.segment == segment {
            match &result {
                Ok(()) => state.synced = state.synced.max(target),
                Err(error) => state.error = Some(error.clone()),
            }
        }
        drop(state);
        self.synced.notify_all();
        result
    }

    /// A new active segment (or none).
    fn switch(&self, file: Option<Arc<File>>, segment: u64, len: u64) {
        let mut state = lock(&self.state);
        state.file = file;
        state.segment = segment;
        state.written = len;
        state.synced = len;
    }
}

impl SyncTicket {
    /// Waits until the record is synced to disk.
    pub(crate) fn wait(&self) -> Result<(), String> {
        self.syncer.sync(Some((self.segment, self.end)))
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("dir", &self.dir)
            .field("used", &self.used)
            .finish_non_exhaustive()
    }
}

fn segment_path(dir: &Path, id: u64) -> PathBuf {
    dir.join(format!("{id:020}.seg"))
}

fn ack_path(dir: &Path, id: u64) -> PathBuf {
    dir.join(format!("{id:020}.ack"))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let field = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes(field.try_into().ok()?))
}

impl Store {
    /// Opens (creating it if need be) and locks `config.dir`, and reads back what an
    /// earlier client left.
    pub(crate) fn open(config: &DurableConfig) -> Result<Opened, String> {
        let dir = config.dir.clone();
        let shown = dir.display();
        std::fs::create_dir_all(&dir).map_err(|error| {
            format!(
                "cannot create the durable queue directory {shown}: {error}; \
                 choose a directory this process can write"
            )
        })?;
        let lock_path = dir.join("lock");
        let lock_file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(|error| {
                format!(
                    "cannot write in the durable queue directory {shown} ({}): {error}; \
                     choose a directory this process can write",
                    lock_path.display()
                )
            })?;
        match fs4::fs_std::FileExt::try_lock_exclusive(&lock_file) {
            Ok(true) => {}
            Ok(false) => {
                return Err(format!(
                    "the durable queue directory {shown} is in use by another live client \
                     (it holds {}); give each client a directory of its own, or close the \
                     other one first",
                    lock_path.display()
                ));
            }
            Err(error) => {
                return Err(format!(
                    "cannot lock the durable queue directory {shown} ({}): {error}",
                    lock_path.display()
                ));
            }
        }

        let mut ids = Vec::new();
        let mut acks = Vec::new();
        let entries = std::fs::read_dir(&dir)
            .map_err(|error| format!("cannot list the durable queue directory {shown}: {error}"))?;
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let parsed = |suffix| name.strip_suffix(suffix)?.parse::<u64>().ok();
            if let Some(id) = parsed(".seg") {
                ids.push(id);
            } else if let Some(id) = parsed(".ack") {
                acks.push(id);
            }
        }
        ids.sort_unstable();

        let segment_bytes = (config.capacity_bytes / 8).clamp(64 * 1024, 8 * 1024 * 1024);
        let syncer = Arc::new(Syncer {
            state: Mutex::new(SyncState::default()),
            synced: Condvar::new(),
        });
        let mut store = Store {
            dir: dir.clone(),
            _lock: lock_file,
            capacity: config.capacity_bytes,
            segment_bytes,
            used: 0,
            segments: BTreeMap::new(),
            active: None,
            next_id: ids.last().map_or(0, |last| last + 1),
            runs: VecDeque::new(),
            scratch: Vec::new(),
            syncer,
            stop: None,
            thread: None,
        };
        let mut recovered = Vec::new();
        let mut damaged = 0;
        for &id in &ids {
            damaged += store.read_segment(id, &mut recovered)?;
        }
        // An ack whose segment is gone (deleted between the two) is of no use.
        for id in acks {
            if !store.segments.contains_key(&id) {
                let _ = std::fs::remove_file(ack_path(&dir, id));
            }
        }
        // Proves the directory writable now rather than at the first event.
        store.open_segment()?;
        if let Fsync::Every(interval) = config.fsync {
            let (stop, stopped) = mpsc::channel::<()>();
            let syncer = Arc::clone(&store.syncer);
            let thread = std::thread::Builder::new()
                .name("event-core-fsync".to_owned())
                .spawn(move || {
                    loop {
                        let last = !matches!(
                            stopped.recv_timeout(interval),
                            Err(mpsc::RecvTimeoutError::Timeout)
                        );
                        if let Err(error) = syncer.sync(None) {
                            tracing::error!(%error, "the durable queue could not be synced to disk");
                        }
                        if last {
                            return;
                        }
                    }
                })
                .map_err(|error| format!("cannot start the durable queue's sync thread: {error}"))?;
            store.stop = Some(stop);
            store.thread = Some(thread);
        }
        Ok(Opened {
            store,
            recovered,
            damaged,
        })
    }

    /// Reads segment `id`: its unsettled records go to `recovered`. Returns how many
    /// damaged stretches were skipped (0 or 1: nothing after damage can be trusted).
    fn read_segment(&mut self, id: u64, recovered: &mut Vec<Recovered>) -> Result<u64, String> {
        let path = segment_path(&self.dir, id);
        let bytes = std::fs::read(&path)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
        let mut settled = Vec::new();
        if let Ok(acks) = std::fs::read(ack_path(&self.dir, id)) {
            for entry in acks.chunks_exact(12) {
                let (Some(start), Some(end), Some(crc)) =
                    (u32_at(entry, 0), u32_at(entry, 4), u32_at(entry, 8))
                else {
                    continue;
                };
                if crc32fast::hash(&entry[..8]) == crc && start <= end {
                    settled.push(start..end);
                }
            }
        }
        let is_settled = |index: u32| settled.iter().any(|range| range.contains(&index));
        let mut damaged = 0;
        let mut at = MAGIC.len();
        let mut index = 0u32;
        let mut unsettled = 0u32;
        if !bytes.starts_with(MAGIC) {
            at = bytes.len();
            if !bytes.is_empty() {
                damaged = 1;
                tracing::error!(
                    path = %path.display(),
                    "skipped a durable queue segment that does not start as one"
                );
            }
        }
        while at < bytes.len() {
            match read_record(&bytes, at) {
                Some((message_id, payload, next)) => {
                    if !is_settled(index) {
                        unsettled += 1;
                        recovered.push(Recovered {
                            segment: id,
                            index,
                            message_id: message_id.to_owned(),
                            payload: payload.to_vec(),
                        });
                    }
                    index += 1;
                    at = next;
                }
                None => {
                    damaged = 1;
                    tracing::error!(
                        path = %path.display(),
                        offset = at,
                        bytes = bytes.len() - at,
                        records_before = index,
                        "skipped a damaged or torn record at the end of a durable queue \
                         segment (a write cut short when a process or machine stopped); \
                         the events in these bytes are lost"
                    );
                    break;
                }
            }
        }
        let segment = Segment {
            bytes: bytes.len() as u64,
            records: index,
            unsettled,
            ack: None,
        };
        self.used += segment.bytes;
        self.segments.insert(id, segment);
        if unsettled == 0 {
            self.delete(id);
        }
        Ok(damaged)
    }

    /// Starts a new segment to append to.
    fn open_segment(&mut self) -> Result<(), String> {
        let id = self.next_id;
        let path = segment_path(&self.dir, id);
        let created = OpenOptions::new()
            .append(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut file| file.write_all(MAGIC).map(|()| file));
        let file = match created {
            Ok(file) => file,
            Err(error) => {
                let _ = std::fs::remove_file(&path);
                return Err(format!(
                    "cannot write the durable queue segment {}: {error}",
                    path.display()
                ));
            }
        };
        let handle = file.try_clone().ok().map(Arc::new);
        self.next_id += 1;
        let len = MAGIC.len() as u64;
        self.used += len;
        self.segments.insert(
            id,
            Segment {
                bytes: len,
                records: 0,
                unsettled: 0,
                ack: None,
            },
        );
        self.syncer.switch(handle, id, len);
        self.active = Some(Active { id, file, len });
        Ok(())
    }

    /// Stops appending to the active segment, synced first: its tickets count as synced.
    fn seal(&mut self) {
        if let Some(active) = self.active.take() {
            if let Err(error) = active.file.sync_data() {
                tracing::error!(%error, "a durable queue segment could not be synced to disk");
            }
            self.syncer.switch(None, active.id, 0);
        }
    }

    /// Appends the event at place `seq` of the queue. Returns what to wait for to know
    /// it synced.
    pub(crate) fn append(
        &mut self,
        seq: u64,
        payload: &[u8],
        message_id: &str,
    ) -> Result<SyncTicket, StoreError> {
        let id_len = u32::try_from(message_id.len()).map_err(|_| StoreError::Full)?;
        let body_len = 4 + message_id.len() + payload.len();
        let body_len32 = u32::try_from(body_len)
            .ok()
            .filter(|len| *len <= MAX_RECORD)
            .ok_or(StoreError::Full)?;
        let record = RECORD_HEADER + body_len as u64;
        let rotate = self.active.as_ref().is_none_or(|active| {
            active.len > MAGIC.len() as u64 && active.len + record > self.segment_bytes
        });
        let needed = record + if rotate { MAGIC.len() as u64 } else { 0 };
        // An empty store takes any record, so that one larger than the capacity cannot
        // block forever.
        let holds_records = self.segments.values().any(|segment| segment.records > 0);
        if holds_records && self.used + needed > self.capacity {
            return Err(StoreError::Full);
        }
        if rotate {
            self.seal();
            self.open_segment().map_err(StoreError::Io)?;
        }
        let Some(active) = self.active.as_mut() else {
            return Err(StoreError::Io(
                "no durable queue segment is open".to_owned(),
            ));
        };
        self.scratch.clear();
        self.scratch.extend_from_slice(&body_len32.to_le_bytes());
        self.scratch.extend_from_slice(&[0; 4]);
        self.scratch.extend_from_slice(&id_len.to_le_bytes());
        self.scratch.extend_from_slice(message_id.as_bytes());
        self.scratch.extend_from_slice(payload);
        let crc = crc32fast::hash(&self.scratch[8..]);
        self.scratch[4..8].copy_from_slice(&crc.to_le_bytes());
        if let Err(error) = active.file.write_all(&self.scratch) {
            // A part written would hide every later record of the segment: cut it off,
            // and append to a new segment from now on.
            let _ = active.file.set_len(active.len);
            let path = segment_path(&self.dir, active.id);
            self.seal();
            return Err(StoreError::Io(format!(
                "cannot write the durable queue segment {}: {error}",
                path.display()
            )));
        }
        active.len += record;
        let (segment_id, end) = (active.id, active.len);
        self.used += record;
        if let Some(segment) = self.segments.get_mut(&segment_id) {
            segment.bytes += record;
            segment.records += 1;
            segment.unsettled += 1;
            let index = segment.records - 1;
            self.map(seq, segment_id, index);
        }
        lock(&self.syncer.state).written = end;
        Ok(SyncTicket {
            syncer: Arc::clone(&self.syncer),
            segment: segment_id,
            end,
        })
    }

    /// Records that the event at place `seq` of the queue is record `index` of `segment`.
    pub(crate) fn map(&mut self, seq: u64, segment: u64, index: u32) {
        if let Some(last) = self.runs.back_mut() {
            if last.segment == segment
                && last.seq + u64::from(last.len) == seq
                && last.index + last.len == index
            {
                last.len += 1;
                return;
            }
        }
        self.runs.push_back(Run {
            seq,
            segment,
            index,
            len: 1,
        });
    }

    /// The events at places `seqs` are delivered or handed back: their records are
    /// acknowledged, and segments left with none unsettled are deleted.
    pub(crate) fn settle(&mut self, seqs: Range<u64>) {
        let mut seq = seqs.start;
        while seq < seqs.end {
            let at = self
                .runs
                .partition_point(|run| run.seq + u64::from(run.len) <= seq);
            let Some(run) = self.runs.get(at) else { return };
            if run.seq > seq {
                seq = run.seq;
                continue;
            }
            let end = seqs.end.min(run.seq + u64::from(run.len));
            // Within a run, so under u32::MAX apart.
            let start_index = run.index + (seq - run.seq) as u32;
            let end_index = start_index + (end - seq) as u32;
            let segment = run.segment;
            self.acknowledge(segment, start_index..end_index);
            seq = end;
        }
    }

    fn acknowledge(&mut self, id: u64, records: Range<u32>) {
        let dir = &self.dir;
        let Some(segment) = self.segments.get_mut(&id) else {
            return;
        };
        segment.unsettled = segment.unsettled.saturating_sub(records.len() as u32);
        if segment.unsettled == 0 {
            self.delete(id);
            return;
        }
        if segment.ack.is_none() {
            segment.ack = OpenOptions::new()
                .append(true)
                .create(true)
                .open(ack_path(dir, id))
                .map_err(|error| {
                    tracing::warn!(%error, "cannot write a durable queue acknowledgement; \
                        its events may be sent again by the next client (same messageIds)");
                })
                .ok();
        }
        if let Some(ack) = &mut segment.ack {
            let mut entry = [0u8; 12];
            entry[..4].copy_from_slice(&records.start.to_le_bytes());
            entry[4..8].copy_from_slice(&records.end.to_le_bytes());
            let crc = crc32fast::hash(&entry[..8]);
            entry[8..].copy_from_slice(&crc.to_le_bytes());
            if let Err(error) = ack.write_all(&entry) {
                tracing::warn!(%error, "cannot write a durable queue acknowledgement; \
                    its events may be sent again by the next client (same messageIds)");
            }
        }
    }

    /// Deletes segment `id`, all of whose records are settled.
    fn delete(&mut self, id: u64) {
        let Some(segment) = self.segments.remove(&id) else {
            return;
        };
        if self.active.as_ref().is_some_and(|active| active.id == id) {
            self.active = None;
            self.syncer.switch(None, id, 0);
        }
        self.used = self.used.saturating_sub(segment.bytes);
        drop(segment.ack);
        // The segment first: an ack left without its segment is removed at the next start.
        for path in [segment_path(&self.dir, id), ack_path(&self.dir, id)] {
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => tracing::warn!(
                    %error,
                    path = %path.display(),
                    "cannot delete a settled durable queue file"
                ),
            }
        }
        self.runs.retain(|run| run.segment != id);
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        // An active segment with no record is of no use to the next client.
        if let Some(active) = &self.active {
            let empty = self
                .segments
                .get(&active.id)
                .is_some_and(|segment| segment.records == 0);
            if empty {
                let id = active.id;
                self.delete(id);
            }
        }
        // The sync thread syncs once more as it stops.
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        } else if let Some(active) = &self.active {
            let _ = active.file.sync_data();
        }
    }
}

/// The record at `at`: its messageId, its payload and where the next one starts; `None`
/// when it is damaged or cut short.
fn read_record(bytes: &[u8], at: usize) -> Option<(&str, &[u8], usize)> {
    let len = u32_at(bytes, at)?;
    let crc = u32_at(bytes, at + 4)?;
    if len > MAX_RECORD {
        return None;
    }
    let start = at + RECORD_HEADER as usize;
    let end = start.checked_add(len as usize)?;
    let body = bytes.get(start..end)?;
    if crc32fast::hash(body) != crc {
        return None;
    }
    let id_len = u32_at(body, 0)? as usize;
    let id = body.get(4..4usize.checked_add(id_len)?)?;
    let payload = body.get(4 + id_len..)?;
    Some((std::str::from_utf8(id).ok()?, payload, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(name: &str) -> DurableConfig {
        let dir =
            std::env::temp_dir().join(format!("event-core-store-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        DurableConfig {
            dir,
            capacity_bytes: 1024 * 1024,
            fsync: Fsync::EveryEvent,
        }
    }

    fn ids(recovered: &[Recovered]) -> Vec<&str> {
        recovered
            .iter()
            .map(|record| record.message_id.as_str())
            .collect()
    }

    #[test]
    fn settled_records_are_not_read_back_and_settled_segments_are_deleted() {
        let config = config("acks");
        let mut store = Store::open(&config).expect("opened").store;
        for (seq, id) in ["a", "b", "c", "d"].into_iter().enumerate() {
            let ticket = store.append(seq as u64, b"{}", id).ok().expect("appended");
            assert!(ticket.wait().is_ok());
        }
        // Delivered out of order, as batches sent at once may be.
        store.settle(2..3);
        store.settle(0..1);
        drop(store);

        let opened = Store::open(&config).expect("reopened");
        assert_eq!(ids(&opened.recovered), ["b", "d"]);
        assert_eq!(opened.damaged, 0);
        let mut store = opened.store;
        for (seq, record) in opened.recovered.iter().enumerate() {
            store.map(seq as u64, record.segment, record.index);
        }
        store.settle(0..2);
        drop(store);

        let opened = Store::open(&config).expect("reopened");
        assert!(opened.recovered.is_empty());
        drop(opened);
        let left: Vec<_> = std::fs::read_dir(&config.dir)
            .expect("dir")
            .flatten()
            .map(|entry| entry.file_name())
            .filter(|name| name != "lock")
            .collect();
        assert!(left.is_empty(), "{left:?}");
        let _ = std::fs::remove_dir_all(&config.dir);
    }

    #[test]
    fn damage_in_the_middle_of_a_segment_keeps_the_records_before_it() {
        let config = config("damage");
        let mut store = Store::open(&config).expect("opened").store;
        for (seq, id) in ["a", "b", "c"].into_iter().enumerate() {
            assert!(store.append(seq as u64, b"{\"n\":1}", id).is_ok());
        }
        drop(store);
        let path = segment_path(&config.dir, 0);
        let mut bytes = std::fs::read(&path).expect("segment");
        // A flipped bit in the second record's payload.
        let second = MAGIC.len() + (8 + 4 + 1 + 7) + 8 + 4 + 1 + 3;
        bytes[second] ^= 1;
        std::fs::write(&path, &bytes).expect("written");
        let opened = Store::open(&config).expect("reopened");
        assert_eq!(ids(&opened.recovered), ["a"]);
        assert_eq!(opened.damaged, 1);
        drop(opened);
        let _ = std::fs::remove_dir_all(&config.dir);
    }
}
