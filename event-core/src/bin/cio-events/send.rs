//! `cio-events send`: validate, then deliver every valid event through the batching client.
//!
//! Each valid event is queued on a [`Client`](event_core::Client) with a bounded queue that blocks when full,
//! so reading never runs ahead of delivery by more than the queue: memory stays flat
//! whatever the size of the input. The original bytes of each queued event are kept
//! until its batch is delivered (seen by [`Tracked`], which wraps the transport) or has
//! failed for good (seen by the client's `on_failure` callback), which writes them,
//! unchanged, to the `--failed` file.

use std::collections::{HashMap, VecDeque};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use event_core::client::{ClientBuilder, ClientError, DeliveryError, FailedEvent, QueueFull};
use event_core::transport::{
    ApiKey, BaseUrl, HttpConfig, HttpTransport, JsonLinesTransport, Region, Request, RetryPolicy,
    Transport, TransportError,
};

use crate::Outcome;
use crate::check::{Problem, Rules, check};
use crate::console::Console;
use crate::input::{ByteCounter, MAX_LINE_BYTES, Record, Source, one_line, read_records};

/// How many events may wait in the client's queue: the bound on memory (each event is
/// at most 32 KB serialized, plus its original line).
const QUEUE_CAPACITY: usize = 1_000;
/// How many delivery failures are printed one by one; the rest are only counted.
const MAX_FAILURES_SHOWN: u64 = 20;

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
}

/// Where an event came from, kept until it is delivered or has failed.
#[derive(Debug)]
struct Origin {
    file: Arc<str>,
    line: u64,
    bytes: Vec<u8>,
}

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
    deferred: Mutex<Vec<Vec<u8>>>,
    /// Set when sending stops for good: why.
    stopped: Mutex<Option<String>>,
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

    /// Writes the lines the workers' failures left for this thread.
    fn write_deferred(&self) {
        let lines = std::mem::take(&mut *lock(&self.deferred));
        for line in lines {
            self.write_failed(&line);
        }
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
        let mut pending = lock(&self.pending);
        for item in body.batch {
            take(&mut pending, &item.message_id);
        }
    }

    /// An event failed for good: report it and keep its line.
    fn failed(&self, event: FailedEvent) {
        let origin = take(&mut lock(&self.pending), &event.message_id);
        let (place, bytes) = match &origin {
            Some(origin) => (
                format!("{}:{}", origin.file, origin.line),
                &origin.bytes[..],
            ),
            None => (format!("event {}", event.message_id), &event.payload[..]),
        };
        if self.failed_file.is_some() {
            lock(&self.deferred).push(bytes.to_vec());
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
}

/// Sends the events of `options.files`.
pub fn run(options: Options) -> Outcome {
    let sources: Vec<Source> = options.files.iter().map(|path| Source::new(path)).collect();
    let usage = |message: &str| {
        let _ = writeln!(io::stderr(), "cio-events: {message}");
        Outcome::Error
    };
    let transport: Box<dyn Transport> = if options.dry_run {
        Box::new(JsonLinesTransport::stdout())
    } else {
        match http_transport(&options) {
            Ok(transport) => Box::new(transport),
            Err(message) => return usage(&message),
        }
    };
    if let Some(path) = &options.failed {
        if let Some(input) = sources
            .iter()
            .find(|source| same_file(Path::new(&source.path), path))
        {
            return usage(&format!(
                "--failed {} is also an input: choose another file",
                input.name
            ));
        }
    }
    let failed_file = match &options.failed {
        None => None,
        Some(path) => match File::create(path) {
            Ok(file) => Some(Mutex::new(BufWriter::new(file))),
            Err(error) => {
                return usage(&format!("cannot create {}: {error}", path.display()));
            }
        },
    };

    let total = sources.iter().map(Source::len).sum::<Option<u64>>();
    let shared = Arc::new(Shared {
        pending: Mutex::new(HashMap::new()),
        failed_file,
        write_error: Mutex::new(None),
        stopped: Mutex::new(None),
        deferred: Mutex::new(Vec::new()),
        shown: AtomicU64::new(0),
        console: Console::new(total),
    });
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
    for source in &sources {
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
                shared.spill(bytes);
                Ok(())
            },
            &mut |record| {
                shared.write_deferred();
                summary.read += 1;
                match record {
                    Record::Payload { line, bytes } => match check(&bytes, options.rules) {
                        Err(problems) => {
                            summary.invalid += 1;
                            report(line, &problems);
                            shared.write_failed(&bytes);
                        }
                        Ok(_) if shared.stopped().is_some() => {
                            not_sent += 1;
                            shared.write_failed(&bytes);
                        }
                        Ok(track) => {
                            let id = track.message_id.as_str().to_owned();
                            lock(&shared.pending)
                                .entry(id.clone())
                                .or_default()
                                .push_back(Origin {
                                    file: Arc::clone(name),
                                    line,
                                    bytes,
                                });
                            if let Err(error) = client.enqueue(&track) {
                                let origin = take(&mut lock(&shared.pending), &id);
                                let bytes = origin.map(|origin| origin.bytes).unwrap_or_default();
                                shared.write_failed(&bytes);
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
                                        console.error(&format!("{name}:{line}: not sent: {other}"));
                                    }
                                }
                            }
                        }
                    },
                    Record::TooLong { line, bytes } => {
                        summary.invalid += 1;
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
            console.error(&format!("cio-events: cannot read {}: {error}", source.name));
            io_error = true;
        }
    }

    // Everything queued is delivered or has failed for good once flush returns.
    let _ = client.flush();
    let stats = client.close();
    shared.write_deferred();
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
    let shown = shared.shown.load(Ordering::Relaxed);
    if shown > MAX_FAILURES_SHOWN {
        console.error(&format!(
            "cio-events: {} events were not delivered in all",
            summary.failed
        ));
    }
    console.out(&serde_json::to_string(&summary).unwrap_or_default());
    if io_error {
        Outcome::Error
    } else if summary.invalid > 0 || summary.failed > 0 {
        Outcome::Problems
    } else {
        Outcome::Ok
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

/// Whether `input` and `output` name the same existing file.
fn same_file(input: &Path, output: &Path) -> bool {
    if input == Path::new("-") {
        return false;
    }
    match (std::fs::canonicalize(input), std::fs::canonicalize(output)) {
        (Ok(input), Ok(output)) => input == output,
        _ => false,
    }
}
