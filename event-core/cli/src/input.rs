//! Reading input files as a stream of records, with bounded memory.
//!
//! A file is either JSON lines (one payload per line, of any of the six call types) or
//! one JSON document: a `{"batch": [...]}` body, an array of payloads, or one payload,
//! any of them pretty-printed. Which one is decided from the start of the file: a first
//! non-blank character `[`, a first object whose first key is `"batch"`, or a first line
//! that is not a whole JSON value (a document going on over several lines) is a
//! document; anything else is JSON lines.
//!
//! JSON lines are read one line at a time; a line longer than [`MAX_LINE_BYTES`] is
//! never held in memory whole: its bytes go to the spill writer (the `--failed` file)
//! as they are read. A batch body is checked by `serde_json`'s streaming reader, which
//! skips each item without keeping it; a [`Capture`] beneath it keeps the item's bytes,
//! whitespace outside strings removed, up to [`MAX_ITEM_BYTES`], and spills a longer
//! item as it goes.

use std::cell::RefCell;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use event_core::client::ClientBuilder;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// The longest line read as an event: 32 KiB. The API takes at most 32 KB per event,
/// so a longer line cannot be sent as it is.
pub const MAX_LINE_BYTES: usize = 32 * 1024;

/// The largest item of a batch body kept as an event, not counting whitespace outside
/// strings: the client's limit per serialized event.
pub const MAX_ITEM_BYTES: usize = ClientBuilder::DEFAULT_MAX_ITEM_BYTES;

/// How much of a file's start is read to tell JSON lines from a batch body.
const MAX_PREFIX: usize = 64 * 1024;

/// Where records come from: a file, or standard input (`-`).
#[derive(Debug, Clone)]
pub struct Source {
    /// The path as given; `-` for standard input.
    pub path: String,
    /// The name used in messages: the path, or `<stdin>`.
    pub name: Arc<str>,
}

impl Source {
    /// The source named `path` on the command line.
    pub fn new(path: &str) -> Source {
        let name = if path == "-" { "<stdin>" } else { path };
        Source {
            path: path.to_owned(),
            name: Arc::from(name),
        }
    }

    /// The size in bytes, when known (a regular file).
    pub fn len(&self) -> Option<u64> {
        if self.path == "-" {
            return None;
        }
        std::fs::metadata(&self.path)
            .ok()
            .filter(|meta| meta.is_file())
            .map(|meta| meta.len())
    }

    /// Opens the source for reading.
    pub fn open(&self) -> io::Result<Box<dyn Read>> {
        if self.path == "-" {
            return Ok(Box::new(io::stdin().lock()));
        }
        let file = File::open(&self.path)?;
        if file.metadata()?.is_dir() {
            return Err(io::Error::other("is a directory"));
        }
        Ok(Box::new(file))
    }
}

/// One record of a file.
#[derive(Debug)]
pub enum Record {
    /// A payload to check: a line, or an item of a batch body.
    Payload {
        /// Its line (the first line of a batch item).
        line: u64,
        /// Which event of the file it is, from 1 (blank lines are not counted).
        index: u64,
        /// Its bytes: a line exactly as read (without the line end); a batch item
        /// without whitespace outside strings.
        bytes: Vec<u8>,
    },
    /// A line over [`MAX_LINE_BYTES`]; its bytes went to the spill writer.
    TooLong {
        /// Its line.
        line: u64,
        /// Its length in bytes.
        bytes: u64,
    },
    /// A batch item over [`MAX_ITEM_BYTES`]; its bytes went to the spill writer.
    ItemTooLarge {
        /// Its first line.
        line: u64,
        /// Which item of the batch it is, from 1.
        index: u64,
        /// Its size in bytes, not counting whitespace outside strings.
        bytes: u64,
    },
    /// The rest of the file cannot be read as JSON (a broken batch body).
    Broken {
        /// Where the problem is.
        line: u64,
        /// What it is.
        message: String,
    },
}

/// What stops reading a file early.
#[derive(Debug)]
pub enum Stop {
    /// Reading (or spilling) failed.
    Io(io::Error),
}

impl From<io::Error> for Stop {
    fn from(error: io::Error) -> Stop {
        Stop::Io(error)
    }
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stop::Io(error) => write!(f, "{error}"),
        }
    }
}

/// Counts the bytes read, for the progress bar.
#[derive(Debug, Clone, Default)]
pub struct ByteCounter(Arc<AtomicU64>);

impl ByteCounter {
    /// The bytes read so far.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

struct Counted<R> {
    inner: R,
    counter: ByteCounter,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.counter.0.fetch_add(read as u64, Ordering::Relaxed);
        Ok(read)
    }
}

/// Reads every record of `reader`, calling `handle` on each in order. Bytes of lines too
/// long to keep go to `spill` (followed by a newline), when there is one.
pub fn read_records(
    reader: Box<dyn Read>,
    counter: &ByteCounter,
    spill: &mut dyn FnMut(&[u8]) -> io::Result<()>,
    handle: &mut dyn FnMut(Record) -> io::Result<()>,
) -> Result<(), Stop> {
    let mut reader = Counted {
        inner: reader,
        counter: counter.clone(),
    };
    let prefix = read_prefix(&mut reader)?;
    let document = is_document(&prefix);
    let reader = BufReader::with_capacity(64 * 1024, io::Cursor::new(prefix).chain(reader));
    if document {
        read_document(reader, spill, handle)
    } else {
        read_lines(reader, spill, handle)
    }
}

/// The start of the file: up to the end of its first non-blank line, at most
/// [`MAX_PREFIX`] bytes. A UTF-8 byte order mark is dropped.
fn read_prefix(reader: &mut impl Read) -> io::Result<Vec<u8>> {
    let mut prefix = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let read = match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        prefix.extend_from_slice(&chunk[..read]);
        let content = prefix.iter().position(|b| !b.is_ascii_whitespace());
        let line_done = content.is_some_and(|start| prefix[start..].contains(&b'\n'));
        if line_done || prefix.len() >= MAX_PREFIX {
            break;
        }
    }
    if prefix.starts_with(b"\xEF\xBB\xBF") {
        prefix.drain(..3);
    }
    Ok(prefix)
}

/// Whether the file starting with `prefix` is one JSON document rather than JSON lines.
fn is_document(prefix: &[u8]) -> bool {
    let Some(start) = prefix.iter().position(|b| !b.is_ascii_whitespace()) else {
        return false;
    };
    let rest = &prefix[start..];
    if rest.starts_with(b"[") {
        return true;
    }
    let Some(after_brace) = rest.strip_prefix(b"{") else {
        return false;
    };
    if after_brace.trim_ascii_start().starts_with(b"\"batch\"") {
        return true;
    }
    // A first line that ends before its value does: a document over several lines.
    match rest.iter().position(|&b| b == b'\n') {
        Some(end) => serde_json::from_slice::<IgnoredAny>(&rest[..end])
            .err()
            .is_some_and(|error| error.is_eof()),
        None => false,
    }
}

/// JSON lines: one record per non-blank line.
fn read_lines(
    mut reader: impl BufRead,
    spill: &mut dyn FnMut(&[u8]) -> io::Result<()>,
    handle: &mut dyn FnMut(Record) -> io::Result<()>,
) -> Result<(), Stop> {
    let mut line_number = 0u64;
    let mut index = 0u64;
    let mut line = Vec::with_capacity(4096);
    loop {
        line.clear();
        line_number += 1;
        // Read one line, keeping at most MAX_LINE_BYTES + 1 of it.
        let mut length = 0u64;
        let mut spilling = false;
        let mut eof = false;
        loop {
            let buffer = match reader.fill_buf() {
                Ok(buffer) => buffer,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(Stop::Io(error)),
            };
            if buffer.is_empty() {
                eof = true;
                break;
            }
            let (chunk, found) = match buffer.iter().position(|&b| b == b'\n') {
                Some(end) => (&buffer[..end], true),
                None => (buffer, false),
            };
            length += chunk.len() as u64;
            if spilling {
                spill(chunk)?;
            } else if line.len() + chunk.len() > MAX_LINE_BYTES + 1 {
                // Too long to keep: what was kept and the rest go to the spill writer.
                spilling = true;
                spill(&line)?;
                spill(chunk)?;
                line.clear();
                line.shrink_to(4096);
            } else {
                line.extend_from_slice(chunk);
            }
            let used = chunk.len() + usize::from(found);
            reader.consume(used);
            if found {
                break;
            }
        }
        if spilling {
            spill(b"\n")?;
        }
        if eof && length == 0 {
            return Ok(());
        }
        if spilling {
            index += 1;
            handle(Record::TooLong {
                line: line_number,
                bytes: length,
            })?;
        } else {
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            if line.len() > MAX_LINE_BYTES {
                // Only possible with a final `\r` dropped: keep the rule exact.
                index += 1;
                spill(&line)?;
                spill(b"\n")?;
                handle(Record::TooLong {
                    line: line_number,
                    bytes: line.len() as u64,
                })?;
            } else if !line.trim_ascii().is_empty() {
                index += 1;
                handle(Record::Payload {
                    line: line_number,
                    index,
                    bytes: std::mem::take(&mut line),
                })?;
            }
        }
        if eof {
            return Ok(());
        }
    }
}

/// What the capture beneath the batch reader is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Between items: bytes pass through uncounted.
    Off,
    /// Before an item: skipping the whitespace and comma in front of it.
    Before,
    /// Inside an item.
    In,
}

/// The bytes of the item being read, seen from beneath `serde_json`'s reader.
///
/// `serde_json` reads one byte at a time and looks at most one byte ahead: when it has
/// skipped an item, every byte of the item (and, after a number, the byte that ended
/// it) has passed through here.
struct Capture<'a> {
    phase: Phase,
    /// Newlines read so far, for line numbers.
    newlines: u64,
    /// The line where the item starts.
    line: u64,
    /// The item's bytes without whitespace outside strings, while it fits the limit.
    kept: Vec<u8>,
    /// Its size so far, counted the same way.
    size: u64,
    in_string: bool,
    escaped: bool,
    /// Where an item over the limit goes.
    spill: &'a mut dyn FnMut(&[u8]) -> io::Result<()>,
}

impl Capture<'_> {
    fn start(&mut self) {
        self.phase = Phase::Before;
        self.kept.clear();
        self.size = 0;
        self.in_string = false;
        self.escaped = false;
    }

    fn too_large(&self) -> bool {
        self.size > MAX_ITEM_BYTES as u64
    }

    fn byte(&mut self, byte: u8) -> io::Result<()> {
        if byte == b'\n' {
            self.newlines += 1;
        }
        match self.phase {
            Phase::Off => return Ok(()),
            Phase::Before if byte.is_ascii_whitespace() || byte == b',' => return Ok(()),
            Phase::Before => {
                self.phase = Phase::In;
                self.line = self.newlines + 1;
            }
            Phase::In => {}
        }
        if self.in_string {
            if self.escaped {
                self.escaped = false;
            } else if byte == b'\\' {
                self.escaped = true;
            } else if byte == b'"' {
                self.in_string = false;
            }
        } else if byte == b'"' {
            self.in_string = true;
        } else if byte.is_ascii_whitespace() {
            return Ok(());
        }
        self.size += 1;
        if !self.too_large() {
            self.kept.push(byte);
        } else if self.kept.is_empty() {
            (self.spill)(&[byte])?;
        } else {
            // Over the limit: what was kept goes to the spill writer, and so does the rest.
            (self.spill)(&self.kept)?;
            (self.spill)(&[byte])?;
            self.kept = Vec::new();
        }
        Ok(())
    }

    /// The item just skipped, as a record; its bytes are taken.
    fn finish(&mut self, index: u64) -> io::Result<Record> {
        self.phase = Phase::Off;
        if self.too_large() {
            (self.spill)(b"\n")?;
            return Ok(Record::ItemTooLarge {
                line: self.line,
                index,
                bytes: self.size,
            });
        }
        let mut bytes = std::mem::take(&mut self.kept);
        if bytes
            .first()
            .is_some_and(|b| *b == b'-' || b.is_ascii_digit())
        {
            // A number ends at the byte after it, which was read too.
            while bytes.last().is_some_and(|b| matches!(b, b',' | b']')) {
                bytes.pop();
            }
        }
        Ok(Record::Payload {
            line: self.line,
            index,
            bytes,
        })
    }
}

/// The file beneath `serde_json`'s reader, feeding the capture.
struct Captured<'c, 'a, R> {
    inner: R,
    capture: &'c RefCell<Capture<'a>>,
}

impl<R: BufRead> Read for Captured<'_, '_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        let mut capture = self.capture.borrow_mut();
        for &byte in &buf[..read] {
            capture.byte(byte)?;
        }
        Ok(read)
    }
}

/// One JSON document: a `{"batch": [...]}` body or an array of payloads, item by item,
/// or one payload.
fn read_document(
    reader: impl BufRead,
    spill: &mut dyn FnMut(&[u8]) -> io::Result<()>,
    handle: &mut dyn FnMut(Record) -> io::Result<()>,
) -> Result<(), Stop> {
    let capture = RefCell::new(Capture {
        phase: Phase::Off,
        newlines: 0,
        line: 1,
        kept: Vec::new(),
        size: 0,
        in_string: false,
        escaped: false,
        spill,
    });
    let captured = Captured {
        inner: reader,
        capture: &capture,
    };
    let mut deserializer = serde_json::Deserializer::from_reader(captured);
    let mut failure: Option<io::Error> = None;
    // The whole document is captured, in case it is one payload.
    capture.borrow_mut().start();
    let seed = BodySeed {
        capture: &capture,
        handle,
        failure: &mut failure,
    };
    let result = seed
        .deserialize(&mut deserializer)
        .and_then(|single| deserializer.end().map(|()| single));
    if let Some(error) = failure {
        return Err(Stop::Io(error));
    }
    let (line, message) = match result {
        Ok(false) => return Ok(()),
        Ok(true) => {
            let record = capture.borrow_mut().finish(1)?;
            handle(record)?;
            return Ok(());
        }
        Err(error) if error.is_io() => return Err(Stop::Io(io::Error::other(error.to_string()))),
        Err(error) => {
            let line = error.line() as u64;
            let mut message = error.to_string();
            if let Some(stripped) = message.strip_suffix(&format!(
                " at line {} column {}",
                error.line(),
                error.column()
            )) {
                message.truncate(stripped.len());
            }
            (
                line.max(1),
                format!("the document cannot be read past this point: {message}"),
            )
        }
    };
    handle(Record::Broken { line, message })?;
    Ok(())
}

/// Reads the document: each item of a `{"batch": [...]}` body or of an array is handed
/// over; true when the document is one payload (an object without `"batch"`), whose
/// bytes the capture then holds.
struct BodySeed<'c, 'a, 'h> {
    capture: &'c RefCell<Capture<'a>>,
    handle: &'h mut dyn FnMut(Record) -> io::Result<()>,
    failure: &'h mut Option<io::Error>,
}

impl<'de> DeserializeSeed<'de> for BodySeed<'_, '_, '_> {
    type Value = bool;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for BodySeed<'_, '_, '_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a payload, an array of payloads, or a batch body {\"batch\": [...]}")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<bool, A::Error> {
        ItemsSeed {
            capture: self.capture,
            handle: self.handle,
            failure: self.failure,
        }
        .visit_seq(seq)?;
        Ok(false)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let mut batch = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "batch" && !batch {
                // A batch body, not one payload: its items are captured one by one.
                batch = true;
                {
                    let mut capture = self.capture.borrow_mut();
                    capture.phase = Phase::Off;
                    capture.kept = Vec::new();
                    capture.size = 0;
                }
                map.next_value_seed(ItemsSeed {
                    capture: self.capture,
                    handle: &mut *self.handle,
                    failure: &mut *self.failure,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(!batch)
    }
}

struct ItemsSeed<'c, 'a, 'h> {
    capture: &'c RefCell<Capture<'a>>,
    handle: &'h mut dyn FnMut(Record) -> io::Result<()>,
    failure: &'h mut Option<io::Error>,
}

impl<'de> DeserializeSeed<'de> for ItemsSeed<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ItemsSeed<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of payloads")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0u64;
        loop {
            // serde_json checks the item and skips it, keeping nothing; the capture
            // keeps its bytes.
            self.capture.borrow_mut().start();
            if seq.next_element::<IgnoredAny>()?.is_none() {
                self.capture.borrow_mut().phase = Phase::Off;
                return Ok(());
            }
            index += 1;
            let record = self.capture.borrow_mut().finish(index);
            let result = record.and_then(|record| (self.handle)(record));
            if let Err(error) = result {
                *self.failure = Some(error);
                return Err(de::Error::custom("stopped"));
            }
        }
    }
}

/// `json` on one line: whitespace outside strings removed when the text spans lines
/// (a pretty-printed batch item), so that it can be written to a JSON-lines file.
pub fn one_line(json: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if !json.contains(&b'\n') {
        return std::borrow::Cow::Borrowed(json);
    }
    let mut out = Vec::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for &byte in json {
        if in_string {
            out.push(byte);
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
        } else if byte == b'"' {
            in_string = true;
            out.push(byte);
        } else if !byte.is_ascii_whitespace() {
            out.push(byte);
        }
    }
    std::borrow::Cow::Owned(out)
}
