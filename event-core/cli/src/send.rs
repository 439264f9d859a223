//! `cio-events send`: validate, then deliver every valid event through the batching client.
//!
//! Each valid event is queued on a [`Client`](event_core::Client) with a bounded queue that blocks when full,
//! so reading never runs ahead of delivery by more than the queue: memory stays flat
//! whatever the size of the input. The original bytes of each queued event are kept
//! until its batch is delivered (seen by [`Tracked`], which wraps the transport) or has
//! failed for good (seen by the client's `on_failure` callback), which writes them to
//! the `--failed` file: unchanged, but for the `messageId` added to a line without one.
//!
//! A line without a `messageId` gets one derived from the line itself (see [`derived_id`]),
//! so that sending the same file again, or its `--failed` lines, never gives one event
//! two ids: the server drops the copies it already has.

use std::cell::Cell;
use std::collections::{HashMap, VecDeque};
use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use event_core::MessageId;
use event_core::calls::AnyCall;
use event_core::client::{ClientBuilder, ClientError, DeliveryError, FailedEvent, QueueFull};
use event_core::transport::{
    ApiKey, BaseUrl, HttpConfig, HttpTransport, JsonLinesTransport, Region, Request, RetryPolicy,
    Transport, TransportError,
};
use serde::de::{self, IgnoredAny, MapAccess, Visitor};

use crate::Outcome;
use crate::check::{Problem, Rules, check};
use crate::console::Console;
use crate::input::{
    ByteCounter, MAX_ITEM_BYTES, MAX_LINE_BYTES, Record, Source, one_line, read_records,
};
use crate::journal::{self, Identity, Journal, Places, Settled};

/// How many events may wait in the client's queue: the bound on memory (each event is
/// at most 32 KB serialized, plus its original line).
const QUEUE_CAPACITY: usize = 1_000;
/// How many delivery failures are printed one by one; the rest are only counted.
const MAX_FAILURES_SHOWN: u64 = 20;
/// How long the batches in flight get to finish after SIGINT or SIGTERM.
const GRACE: Duration = Duration::from_secs(5);

/// What `send` was asked to do.
#[derive(Debug)]
pub struct Options {
    /// The input files (`-` for standard input).
    pub files: Vec<String>,
    /// How strict the checks are.
    pub rules: Rules,
    /// The API key, from `--api-key` or `CUSTOMERIO_API_KEY`.
    pub api_key: Option<String>,
    /// `us` or `eu`.
    pub region: Option<String>,
    /// A base URL overriding the region.
    pub endpoint: Option<String>,
    /// Whether to ask for strict mode.
    pub strict: bool,
    /// Print the batch bodies instead of sending.
    pub dry_run: bool,
    /// Where invalid lines and undelivered events go.
    pub failed: Option<PathBuf>,
    /// Attempts per batch.
    pub max_attempts: u32,
    /// The progress journal, when not the default beside `failed`.
    pub journal: Option<PathBuf>,
    /// Send only what the journal does not hold as settled.
    pub resume: bool,
}

/// Where an event came from, kept until it is delivered or has failed.
#[derive(Debug)]
struct Origin {
    file: Arc<str>,
    line: u64,
    bytes: Vec<u8>,
    /// The input's position on the command line, and the event's place in it.
    place: (usize, u64),
}

/// An event's input (its position on the command line) and its place in it (from 1).
type Place = (usize, u64);

/// What the reading thread, the transport and the failure callback share.
#[derive(Debug)]
struct Shared {
    /// Events queued and not yet done with, by messageId (a list: ids may repeat).
    pending: Mutex<HashMap<String, VecDeque<Origin>>>,
    /// The `--failed` file.
    failed_file: Option<Mutex<BufWriter<File>>>,
    /// The first error writing it.
    write_error: Mutex<Option<io::Error>>,
    /// Lines of events that failed in the workers, waiting for the reading thread to write
    /// them: only that thread writes the file, so a long line streamed in pieces is never
    /// cut by another.
    deferred: Mutex<Vec<(Vec<u8>, Option<Place>)>>,
    /// The journal, and the places whose lines were written to `--failed` but are not
    /// recorded yet: they are, once the file is flushed and synced.
    journal: Option<Mutex<(Journal, Vec<Place>)>>,
    /// The first error writing the journal.
    journal_error: Mutex<Option<io::Error>>,
    /// The signal (SIGINT or SIGTERM) that asked the run to stop, or 0.
    interrupted: Arc<AtomicI32>,
    /// Set when sending stops for good: why.
    stopped: Mutex<Option<String>>,
    /// Set when standard output is closed (its reader, such as `head`, quit).
    stdout_closed: Arc<AtomicBool>,
    /// Delivery failures printed so far.
    shown: AtomicU64,
    console: Console,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    /// Writes `bytes` as one line of the `--failed` file.
    fn write_failed(&self, bytes: &[u8]) {
        self.spill(&one_line(bytes));
        self.spill(b"\n");
    }

    /// Writes the lines the workers' failures left for this thread, and records them.
    fn write_deferred(&self) {
        let lines = std::mem::take(&mut *lock(&self.deferred));
        if lines.is_empty() {
            return;
        }
        for (line, place) in lines {
            self.write_failed(&line);
            if let Some(place) = place {
                self.kept(place);
            }
        }
        self.commit();
    }

    /// The event at `place` was written to `--failed`: settled once the file is synced.
    fn kept(&self, place: (usize, u64)) {
        if let (Some(journal), Some(_)) = (&self.journal, &self.failed_file) {
            lock(journal).1.push(place);
        }
    }

    /// Makes the `--failed` lines written so far durable, then records their places in
    /// the journal: a place is never recorded before its line is on disk.
    fn commit(&self) {
        let Some(journal) = &self.journal else {
            return;
        };
        if lock(journal).1.is_empty() {
            return;
        }
        let mut kept = None;
        if let Some(file) = &self.failed_file {
            let mut file = lock(file);
            let synced = file
                .flush()
                .and_then(|()| file.get_ref().sync_data())
                .and_then(|()| file.get_ref().metadata());
            match synced {
                Ok(metadata) => kept = Some(metadata.len()),
                Err(error) => {
                    lock(&self.write_error).get_or_insert(error);
                    return;
                }
            }
        }
        let mut journal = lock(journal);
        let (journal, waiting) = &mut *journal;
        if let Err(error) = journal.record(waiting, kept) {
            lock(&self.journal_error).get_or_insert(error);
        }
        waiting.clear();
    }

    /// Records `places` as settled now (delivered).
    fn record(&self, places: &[(usize, u64)]) {
        if let Some(journal) = &self.journal {
            if let Err(error) = lock(journal).0.record(places, None) {
                lock(&self.journal_error).get_or_insert(error);
            }
        }
    }

    fn interrupted(&self) -> bool {
        self.interrupted.load(Ordering::SeqCst) != 0
    }

    /// Writes `bytes` to the `--failed` file as they are.
    fn spill(&self, bytes: &[u8]) {
        let Some(file) = &self.failed_file else {
            return;
        };
        if let Err(error) = lock(file).write_all(bytes) {
            lock(&self.write_error).get_or_insert(error);
        }
    }

    fn stopped(&self) -> Option<String> {
        lock(&self.stopped).clone()
    }

    /// The events of a delivered batch `body` are done with.
    fn delivered(&self, body: &[u8]) {
        #[derive(serde::Deserialize)]
        struct Item {
            #[serde(rename = "messageId")]
            message_id: String,
        }
        #[derive(serde::Deserialize)]
        struct Body {
            batch: Vec<Item>,
        }
        let Ok(body) = serde_json::from_slice::<Body>(body) else {
            return;
        };
        let mut places = Vec::with_capacity(body.batch.len());
        {
            let mut pending = lock(&self.pending);
            for item in body.batch {
                if let Some(origin) = take(&mut pending, &item.message_id) {
                    places.push(origin.place);
                }
            }
        }
        self.record(&places);
    }

    fn stdout_closed(&self) -> bool {
        self.stdout_closed.load(Ordering::Relaxed)
    }

    /// An event failed for good: report it and keep its line.
    fn failed(&self, event: FailedEvent) {
        let origin = take(&mut lock(&self.pending), &event.message_id);
        if self.stdout_closed() {
            // A dry run whose output was closed: the run stops, nothing failed.
            return;
        }
        let (place, bytes) = match &origin {
            Some(origin) => (
                format!("{}:{}", origin.file, origin.line),
                &origin.bytes[..],
            ),
            None => (format!("event {}", event.message_id), &event.payload[..]),
        };
        if self.failed_file.is_some() {
            lock(&self.deferred).push((bytes.to_vec(), origin.as_ref().map(|origin| origin.place)));
        }
        if self.interrupted() {
            // Handed back at the deadline after a signal: counted in the summary.
            return;
        }
        let own_fault = matches!(event.error, DeliveryError::Rejected(_));
        let mut stopped = lock(&self.stopped);
        if stopped.is_some() {
            // Already reported: the rest fail for the same reason.
            return;
        }
        if !own_fault {
            let reason = format!("{place}: not delivered: {}", event.error);
            self.console.error(&format!(
                "cio-events: {reason}\ncio-events: stopping: the remaining events are not sent{}",
                if self.failed_file.is_some() {
                    " and go to the --failed file"
                } else {
                    ""
                }
            ));
            *stopped = Some(reason);
            return;
        }
        drop(stopped);
        let shown = self.shown.fetch_add(1, Ordering::Relaxed);
        if shown < MAX_FAILURES_SHOWN {
            self.console
                .error(&format!("{place}: not delivered: {}", event.error));
        } else if shown == MAX_FAILURES_SHOWN {
            self.console.error(
                "cio-events: more events were not delivered; they are counted in the summary",
            );
        }
    }
}

/// Removes one pending event with `message_id`.
fn take(pending: &mut HashMap<String, VecDeque<Origin>>, message_id: &str) -> Option<Origin> {
    let queue = pending.get_mut(message_id)?;
    let origin = queue.pop_front();
    if queue.is_empty() {
        pending.remove(message_id);
    }
    origin
}

/// The transport, watched: delivered batches release their events' lines, and once
/// sending has stopped nothing more is attempted.
struct Tracked {
    inner: Box<dyn Transport>,
    shared: Arc<Shared>,
}

impl Transport for Tracked {
    fn send(&self, request: Request<'_>) -> Result<(), TransportError> {
        if self.shared.stdout_closed() {
            return Err(TransportError::Io("standard output is closed".to_owned()));
        }
        if let Some(reason) = self.shared.stopped() {
            return Err(TransportError::Io(format!(
                "not sent after an earlier failure ({reason})"
            )));
        }
        let result = self.inner.send(request);
        if result.is_ok() {
            self.shared.delivered(request.body);
        }
        result
    }
}

/// Counts of a run, printed as the final JSON line.
#[derive(Debug, Default, serde::Serialize)]
struct Summary {
    read: u64,
    invalid: u64,
    delivered: u64,
    failed: u64,
    /// With `--resume`: the events the journal held as settled, not read again.
    #[serde(skip_serializing_if = "is_zero")]
    skipped: u64,
}

fn is_zero(count: &u64) -> bool {
    *count == 0
}

/// Sends the events of `options.files`.
pub fn run(options: Options) -> Outcome {
    let sources: Vec<Source> = options.files.iter().map(|path| Source::new(path)).collect();
    let usage = |message: &str| {
        let _ = writeln!(io::stderr(), "cio-events: {message}");
        Outcome::Error
    };
    let stdout_closed = Arc::new(AtomicBool::new(false));
    let transport: Box<dyn Transport> = if options.dry_run {
        Box::new(JsonLinesTransport::new(WatchedStdout(Arc::clone(
            &stdout_closed,
        ))))
    } else {
        match http_transport(&options) {
            Ok(transport) => Box::new(transport),
            Err(message) => return usage(&message),
        }
    };
    // Before the --failed file is created (and emptied): it must not be an input.
    if let Some(path) = &options.failed {
        if let Some(input) = sources.iter().find(|source| same_file(source, path)) {
            return usage(&format!(
                "--failed {} is the same file as the input {}: writing it would destroy \
                 the input; choose another file",
                path.display(),
                input.name
            ));
        }
    }
    // The journal is written (or read back) before --failed is emptied, so that a
    // journal of an earlier run never outlives the --failed lines it counts on.
    let (journal, settled, kept) = match open_journal(&options, &sources) {
        Ok(opened) => opened,
        Err(message) => return usage(&message),
    };
    let failed_file = match &options.failed {
        None => None,
        Some(path) => match open_failed(path, options.resume, kept) {
            Ok(file) => Some(Mutex::new(BufWriter::new(file))),
            Err(error) => {
                return usage(&format!("cannot create {}: {error}", path.display()));
            }
        },
    };
    let interrupted = Arc::new(AtomicI32::new(0));

    let total = sources.iter().map(Source::len).sum::<Option<u64>>();
    let shared = Arc::new(Shared {
        pending: Mutex::new(HashMap::new()),
        failed_file,
        write_error: Mutex::new(None),
        stopped: Mutex::new(None),
        stdout_closed,
        deferred: Mutex::new(Vec::new()),
        journal: journal.map(|journal| Mutex::new((journal, Vec::new()))),
        journal_error: Mutex::new(None),
        interrupted: Arc::clone(&interrupted),
        shown: AtomicU64::new(0),
        console: Console::new(total),
    });
    watch_signals(&interrupted, &shared.console);
    let callback_shared = Arc::clone(&shared);
    let client = ClientBuilder::new()
        .queue_capacity(QUEUE_CAPACITY)
        .when_full(QueueFull::Block)
        .retry(RetryPolicy::default().attempts(options.max_attempts))
        .on_failure(move |event| callback_shared.failed(event))
        .build(Tracked {
            inner: transport,
            shared: Arc::clone(&shared),
        });
    let client = match client {
        Ok(client) => client,
        Err(error) => return usage(&error.to_string()),
    };

    let console = shared.console.clone();
    let counter = ByteCounter::default();
    let mut summary = Summary::default();
    let mut not_sent = 0u64;
    let mut io_error = false;
    for (input, source) in sources.iter().enumerate() {
        if shared.stdout_closed() || shared.interrupted() {
            break;
        }
        let settled = settled.get(input);
        let is_settled = |place: u64| settled.is_some_and(|places| places.contains(place));
        // The place of the last record seen: a spilled line is the next one's.
        let last = Cell::new(0u64);
        let reader = match source.open() {
            Ok(reader) => reader,
            Err(error) => {
                console.error(&format!("cio-events: cannot read {}: {error}", source.name));
                io_error = true;
                continue;
            }
        };
        let name = &source.name;
        let report = |line: u64, problems: &[Problem]| {
            for problem in problems {
                console.error(&format!("{name}:{line}: {problem}"));
            }
        };
        let result = read_records(
            reader,
            &counter,
            &mut |bytes| {
                if !is_settled(last.get() + 1) {
                    shared.spill(bytes);
                }
                Ok(())
            },
            &mut |record| {
                if shared.stdout_closed() {
                    // Stop reading: the dry run's output has nowhere to go.
                    return Err(io::Error::from(io::ErrorKind::BrokenPipe));
                }
                if shared.interrupted() {
                    return Err(io::Error::from(io::ErrorKind::Interrupted));
                }
                shared.write_deferred();
                let place = match &record {
                    Record::Payload { index, .. } | Record::ItemTooLarge { index, .. } => {
                        Some(*index)
                    }
                    Record::TooLong { .. } => Some(last.get() + 1),
                    Record::Broken { .. } => None,
                };
                if let Some(place) = place {
                    last.set(place);
                    if is_settled(place) {
                        summary.skipped += 1;
                        return Ok(());
                    }
                }
                let place = (input, place.unwrap_or(0));
                summary.read += 1;
                match record {
                    Record::Payload { line, index, bytes } => match check(&bytes, options.rules) {
                        Err(problems) => {
                            summary.invalid += 1;
                            report(line, &problems);
                            shared.write_failed(&bytes);
                            shared.kept(place);
                        }
                        Ok(mut call) => {
                            let bytes = ensure_message_id(&mut call, index, bytes);
                            if shared.stopped().is_some() {
                                not_sent += 1;
                                shared.write_failed(&bytes);
                                shared.kept(place);
                            } else {
                                let id = call.message_id().as_str().to_owned();
                                lock(&shared.pending)
                                    .entry(id.clone())
                                    .or_default()
                                    .push_back(Origin {
                                        file: Arc::clone(name),
                                        line,
                                        bytes,
                                        place,
                                    });
                                if let Err(error) = client.enqueue(&call) {
                                    let origin = take(&mut lock(&shared.pending), &id);
                                    let bytes =
                                        origin.map(|origin| origin.bytes).unwrap_or_default();
                                    shared.write_failed(&bytes);
                                    shared.kept(place);
                                    match error {
                                        ClientError::Invalid(errors) => {
                                            summary.invalid += 1;
                                            report(line, &Problem::invalid(&errors));
                                        }
                                        ClientError::TooLarge { bytes, max } => {
                                            summary.invalid += 1;
                                            report(line, &[Problem::too_large(bytes, max)]);
                                        }
                                        other => {
                                            not_sent += 1;
                                            console.error(&format!(
                                                "{name}:{line}: not sent: {other}"
                                            ));
                                        }
                                    }
                                }
                            }
                        }
                    },
                    Record::ItemTooLarge { line, index, bytes } => {
                        summary.invalid += 1;
                        shared.kept(place);
                        console.error(&format!(
                            "{name}:{line}: item {index} of the batch is {bytes} bytes, over the \
                             limit of {MAX_ITEM_BYTES} bytes per event"
                        ));
                    }
                    Record::TooLong { line, bytes } => {
                        summary.invalid += 1;
                        shared.kept(place);
                        console.error(&format!(
                            "{name}:{line}: the line is {bytes} bytes, over the limit of \
                             {MAX_LINE_BYTES} bytes per event"
                        ));
                    }
                    Record::Broken { line, message } => {
                        summary.invalid += 1;
                        console.error(&format!("{name}:{line}: {message}"));
                    }
                }
                if summary.read % 256 == 0 {
                    shared.commit();
                    console.progress(counter.get(), || {
                        format!(
                            "{} read, {} delivered",
                            summary.read,
                            client.stats().delivered
                        )
                    });
                }
                Ok(())
            },
        );
        if let Err(error) = result {
            if shared.stdout_closed() || shared.interrupted() {
                break;
            }
            console.error(&format!("cio-events: cannot read {}: {error}", source.name));
            io_error = true;
        }
    }

    let stats = if shared.interrupted() {
        // The batches in flight get a short deadline; the rest come back as failed.
        client.close_within(GRACE)
    } else {
        // Everything queued is delivered or has failed for good once flush returns.
        let _ = client.flush();
        client.close()
    };
    shared.write_deferred();
    shared.commit();
    console.finish();
    summary.delivered = stats.delivered;
    summary.failed = stats.failed + stats.rejected + not_sent;

    if let Some(file) = &shared.failed_file {
        if let Err(error) = lock(file).flush() {
            lock(&shared.write_error).get_or_insert(error);
        }
    }
    if let Some(error) = lock(&shared.write_error).take() {
        let path = options.failed.as_deref().unwrap_or(Path::new("--failed"));
        console.error(&format!(
            "cio-events: cannot write {}: {error}",
            path.display()
        ));
        io_error = true;
    }
    if let Some(error) = lock(&shared.journal_error).take() {
        let path = journal_path(&options).unwrap_or_default();
        console.error(&format!(
            "cio-events: cannot write the journal {}: {error}; --resume may send again \
             events already delivered (the server drops them by messageId)",
            path.display()
        ));
        io_error = true;
    }
    let shown = shared.shown.load(Ordering::Relaxed);
    if shown > MAX_FAILURES_SHOWN {
        console.error(&format!(
            "cio-events: {} events were not delivered in all",
            summary.failed
        ));
    }
    let line = serde_json::to_string(&summary).unwrap_or_default();
    if shared.stdout_closed() {
        console.error(&format!(
            "cio-events: standard output was closed: stopped after printing the batches of {} \
             event(s); {line}",
            summary.delivered
        ));
        return Outcome::Closed;
    }
    if let Err(error) = console.out(&line) {
        console.error(&format!(
            "cio-events: cannot write the summary to standard output ({error}): {line}"
        ));
        return if error.kind() == io::ErrorKind::BrokenPipe {
            Outcome::Closed
        } else {
            Outcome::Error
        };
    }
    let signal = shared.interrupted.load(Ordering::SeqCst);
    if signal != 0 {
        console.error(&format!(
            "cio-events: stopped by {}: {}",
            signal_name(signal),
            if shared.journal.is_some() {
                "run the same command with --resume to send the rest"
            } else {
                "the events not read were not sent"
            }
        ));
        return if signal == signal_hook::consts::SIGTERM {
            Outcome::Terminated
        } else {
            Outcome::Interrupted
        };
    }
    if io_error {
        Outcome::Error
    } else if summary.invalid > 0 || summary.failed > 0 {
        Outcome::Problems
    } else {
        Outcome::Ok
    }
}

/// Where the journal goes: `--journal`, or beside `--failed`; none for a dry run.
fn journal_path(options: &Options) -> Option<PathBuf> {
    if options.dry_run {
        return None;
    }
    options
        .journal
        .clone()
        .or_else(|| options.failed.as_deref().map(journal::default_path))
}

/// Opens the journal: a new one, or with `--resume` the one of the run to resume, checked
/// against the inputs. Also the places already settled, by input.
fn open_journal(
    options: &Options,
    sources: &[Source],
) -> Result<(Option<Journal>, Settled, Option<u64>), String> {
    let stdin = sources.iter().any(|source| source.path == "-");
    if options.resume && options.dry_run {
        return Err("--resume does not apply to --dry-run, which sends nothing".to_owned());
    }
    if options.resume && stdin {
        return Err(
            "--resume cannot be used with standard input (-): what was read from it cannot \
             be read again; save the input to a file and send that file"
                .to_owned(),
        );
    }
    if stdin && options.journal.is_some() && !options.dry_run {
        return Err(
            "--journal cannot describe standard input (-): save the input to a file and send \
             that file"
                .to_owned(),
        );
    }
    let path = match journal_path(options) {
        // Standard input cannot be read again: no journal for it.
        Some(path) if !stdin => path,
        _ if options.resume => {
            return Err(
                "--resume needs the journal of the run to resume: give the same --failed FILE \
                 (its journal is FILE.journal) or --journal FILE"
                    .to_owned(),
            );
        }
        _ => return Ok((None, Settled::new(), None)),
    };
    if let Some(input) = sources.iter().find(|source| same_file(source, &path)) {
        return Err(format!(
            "the journal {} is the same file as the input {}: choose another --journal",
            path.display(),
            input.name
        ));
    }
    if options.failed.as_deref() == Some(path.as_path()) {
        return Err(format!(
            "the journal {} is the --failed file: choose another --journal",
            path.display()
        ));
    }
    let mut inputs = Vec::with_capacity(sources.len());
    for source in sources {
        let identity = Identity::of(Path::new(&source.path))
            .map_err(|error| format!("cannot read {}: {error}", source.name))?;
        inputs.push((identity, &*source.name));
    }
    let fresh = || (vec![Places::default(); sources.len()], None);
    let (settled, kept) = if !options.resume {
        fresh()
    } else if path.exists() {
        Journal::load(&path, &inputs)?
    } else {
        // Killed before its journal was written: nothing was settled.
        let _ = writeln!(
            io::stderr(),
            "cio-events: --resume: no journal at {}: nothing was settled, sending everything",
            path.display()
        );
        fresh()
    };
    let kept_now = options.failed.as_ref().map(|_| kept.unwrap_or(0));
    let journal = Journal::create(&path, &inputs, &settled, kept_now)
        .map_err(|error| format!("cannot write the journal {}: {error}", path.display()))?;
    Ok((Some(journal), settled, kept))
}

/// Opens `--failed`: emptied, or with `--resume` appended to, once cut back to the
/// length the journal last recorded (`kept`): lines written after it belong to events
/// that are not settled, which are written again.
fn open_failed(path: &Path, resume: bool, kept: Option<u64>) -> io::Result<File> {
    if !resume {
        return File::create(path);
    }
    let file = OpenOptions::new().append(true).create(true).open(path)?;
    if let Some(kept) = kept {
        if file.metadata()?.len() > kept {
            file.set_len(kept)?;
        }
    }
    Ok(file)
}

/// Stops the run cleanly on the first SIGINT or SIGTERM (reading stops, the batches in
/// flight get [`GRACE`], the rest go to `--failed`), and at once on the second: the
/// journal is durable at every moment, so `--resume` works after either.
fn watch_signals(interrupted: &Arc<AtomicI32>, console: &Console) {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        // Without a handler the signals keep their default: the process ends, and the
        // journal still holds what settled.
        return;
    };
    let interrupted = Arc::clone(interrupted);
    let console = console.clone();
    let spawned = std::thread::Builder::new()
        .name("cio-events-signals".to_owned())
        .spawn(move || {
            for signal in signals.forever() {
                if interrupted
                    .compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst)
                    .is_ok()
                {
                    console.error(&format!(
                        "cio-events: {}: stopping; the batches in flight get {} s, the rest \
                         go to --failed (send the signal again to stop at once)",
                        signal_name(signal),
                        GRACE.as_secs()
                    ));
                } else {
                    console.error(&format!(
                        "cio-events: {}: stopped at once; run the same command with --resume \
                         to send the rest",
                        signal_name(signal)
                    ));
                    std::process::exit(128 + signal);
                }
            }
        });
    drop(spawned);
}

fn signal_name(signal: i32) -> &'static str {
    if signal == signal_hook::consts::SIGTERM {
        "SIGTERM"
    } else {
        "SIGINT"
    }
}

/// The HTTPS transport from the key, region and endpoint; a message when they are missing
/// or wrong (never holding the key).
fn http_transport(options: &Options) -> Result<HttpTransport, String> {
    let key = options
        .api_key
        .as_deref()
        .filter(|key| !key.trim().is_empty())
        .ok_or("no API key: pass --api-key or set CUSTOMERIO_API_KEY (or use --dry-run)")?;
    let key = ApiKey::new(key).map_err(|error| format!("bad API key: {error}"))?;
    let region = match (&options.endpoint, &options.region) {
        (Some(endpoint), _) if !endpoint.trim().is_empty() => BaseUrl::parse(endpoint)
            .map(Region::Custom)
            .map_err(|error| format!("bad --endpoint: {error}"))?,
        (_, Some(region)) if !region.trim().is_empty() => {
            Region::parse(region).map_err(|error| format!("bad --region: {error}"))?
        }
        _ => {
            return Err(
                "no region: pass --region us|eu (or set CUSTOMERIO_REGION) for your workspace's \
                 data centre; events sent to the wrong one are dropped"
                    .to_owned(),
            );
        }
    };
    let config = HttpConfig::new(key, region).strict(options.strict);
    HttpTransport::new(config).map_err(|error| error.to_string())
}

/// Standard output for `--dry-run`, noting when its reader has gone.
struct WatchedStdout(Arc<AtomicBool>);

impl Write for WatchedStdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let result = io::stdout().write(buf);
        self.watch(result)
    }

    fn flush(&mut self) -> io::Result<()> {
        let result = io::stdout().flush();
        self.watch(result)
    }
}

impl WatchedStdout {
    fn watch<T>(&self, result: io::Result<T>) -> io::Result<T> {
        if let Err(error) = &result {
            if error.kind() == io::ErrorKind::BrokenPipe {
                self.0.store(true, Ordering::Relaxed);
            }
        }
        result
    }
}

/// The namespace of the `messageId`s derived from lines that have none.
const MESSAGE_ID_NAMESPACE: uuid::Uuid =
    uuid::Uuid::from_u128(0x6f1c_2b7e_93a4_4d5e_8c21_5a0f_d3b9_e742);

/// Gives `call` its deterministic id when its line `bytes` has no `messageId` of its
/// own, and returns the line to keep for it: `bytes`, with the id added when it was.
fn ensure_message_id(call: &mut AnyCall, index: u64, bytes: Vec<u8>) -> Vec<u8> {
    match message_id_field(&bytes) {
        MessageIdField::Present => bytes,
        field => {
            let id = derived_id(index, &bytes);
            let bytes = with_message_id(bytes, field, &id);
            call.set_message_id(id);
            bytes
        }
    }
}

/// The `messageId` of the `index`th event of a file (from 1), whose bytes are `bytes`
/// and which has none: the name-based UUID (version 5) of `"<index>:<bytes>"` in
/// [`MESSAGE_ID_NAMESPACE`]. The same line at the same place gives the same id on every
/// run; two equal lines at different places give two.
fn derived_id(index: u64, bytes: &[u8]) -> MessageId {
    let mut name = format!("{index}:").into_bytes();
    name.extend_from_slice(bytes);
    let uuid = uuid::Uuid::new_v5(&MESSAGE_ID_NAMESPACE, &name);
    // A UUID is 36 characters: always a valid messageId.
    MessageId::parse(uuid.hyphenated().to_string()).unwrap_or_else(|_| MessageId::new())
}

/// What the JSON object of a line holds under its top-level `messageId` (the last one
/// counts, as when it is read as a call).
#[derive(Debug, PartialEq)]
enum MessageIdField {
    /// An id of its own.
    Present,
    /// `null`, at these bytes of the line.
    Null(std::ops::Range<usize>),
    /// No `messageId` (or a line that is not an object).
    Absent,
}

/// Reads the top-level `messageId` of the JSON object `bytes`, without the rest.
fn message_id_field(bytes: &[u8]) -> MessageIdField {
    struct Probe<'a>(&'a [u8]);
    impl<'de> Visitor<'de> for Probe<'_> {
        type Value = MessageIdField;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON object")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut field = MessageIdField::Absent;
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                if key != "messageId" {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
                let value = map.next_value::<&'de serde_json::value::RawValue>()?;
                // The raw value borrows from the line: its offset is where it starts.
                let start = (value.get().as_ptr() as usize).wrapping_sub(self.0.as_ptr() as usize);
                field = if value.get() != "null" {
                    MessageIdField::Present
                } else if start < self.0.len() {
                    MessageIdField::Null(start..start + 4)
                } else {
                    MessageIdField::Absent
                };
            }
            Ok(field)
        }
    }
    de::Deserializer::deserialize_map(
        &mut serde_json::Deserializer::from_slice(bytes),
        Probe(bytes),
    )
    .unwrap_or(MessageIdField::Absent)
}

/// The JSON object `bytes` with its `messageId` (`field`, read by [`message_id_field`])
/// set to `id`, the rest unchanged: a `"messageId": null` gets the id in place of the
/// `null` (a second `messageId` key would make the line one that readers refuse);
/// otherwise the id is added as the last member.
fn with_message_id(mut bytes: Vec<u8>, field: MessageIdField, id: &MessageId) -> Vec<u8> {
    let quoted = format!("\"{}\"", id.as_str());
    if let MessageIdField::Null(null) = field {
        bytes.splice(null, quoted.into_bytes());
        return bytes;
    }
    let Some(end) = bytes.iter().rposition(|b| !b.is_ascii_whitespace()) else {
        return bytes;
    };
    if bytes[end] != b'}' {
        return bytes;
    }
    let empty = bytes[..end]
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .is_some_and(|last| bytes[last] == b'{');
    let member = format!("{}\"messageId\":{quoted}", if empty { "" } else { "," });
    bytes.splice(end..end, member.into_bytes());
    bytes
}

/// Whether `output` is the file `input` reads (a hard or symbolic link, or standard input
/// redirected from it): by device and inode, so every name of a file is caught.
#[cfg(unix)]
fn same_file(input: &Source, output: &Path) -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;

    let Ok(output) = std::fs::metadata(output) else {
        // Not there yet: creating it cannot touch an input.
        return false;
    };
    let input = if input.path == "-" {
        io::stdin()
            .as_fd()
            .try_clone_to_owned()
            .map(File::from)
            .and_then(|stdin| stdin.metadata())
    } else {
        std::fs::metadata(&input.path)
    };
    // Only a regular file is destroyed by being written (not /dev/null, not a pipe).
    input.is_ok_and(|input| {
        input.is_file() && input.dev() == output.dev() && input.ino() == output.ino()
    })
}

/// Whether `output` is the file `input` reads, by canonical path.
#[cfg(not(unix))]
fn same_file(input: &Source, output: &Path) -> bool {
    if input.path == "-" {
        return false;
    }
    match (
        std::fs::canonicalize(&input.path),
        std::fs::canonicalize(output),
    ) {
        (Ok(input), Ok(output)) => input == output,
        _ => false,
    }
}
