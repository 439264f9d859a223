//! Reading input files as a stream of records, with bounded memory.
//!
//! A file is either JSON lines (one track payload per line) or one `{"batch": [...]}`
//! body. Which one is decided from the start of the file: a first object whose first key
//! is `"batch"`, or a first line that is a lone `{` (a pretty-printed document), is a
//! batch body; anything else is JSON lines.
//!
//! JSON lines are read one line at a time; a line longer than [`MAX_LINE_BYTES`] is
//! never held in memory whole: its bytes go to the spill writer (the `--failed` file)
//! as they are read. A batch body is read item by item with `serde_json`'s streaming
//! reader, each item kept only until it has been handled.

use std::cell::Cell;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// The longest line read as an event: 32 KiB. The API takes at most 32 KB per event,
/// so a longer line cannot be sent as it is.
pub const MAX_LINE_BYTES: usize = 32 * 1024;

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
        /// Its bytes, exactly as read (without the line end).
        bytes: Vec<u8>,
    },
    /// A line over [`MAX_LINE_BYTES`]; its bytes went to the spill writer.
    TooLong {
        /// Its line.
        line: u64,
        /// Its length in bytes.
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
    let batch = is_batch_body(&prefix);
    let reader = BufReader::with_capacity(64 * 1024, io::Cursor::new(prefix).chain(reader));
    if batch {
        read_batch(reader, handle)
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

/// Whether the file starting with `prefix` is one `{"batch": [...]}` body.
fn is_batch_body(prefix: &[u8]) -> bool {
    let Some(start) = prefix.iter().position(|b| !b.is_ascii_whitespace()) else {
        return false;
    };
    let rest = &prefix[start..];
    let first_line = rest.split(|&b| b == b'\n').next().unwrap_or_default();
    if first_line.trim_ascii() == b"{" {
        return true;
    }
    let Some(after_brace) = rest.strip_prefix(b"{") else {
        return false;
    };
    after_brace.trim_ascii_start().starts_with(b"\"batch\"")
}

/// JSON lines: one record per non-blank line.
fn read_lines(
    mut reader: impl BufRead,
    spill: &mut dyn FnMut(&[u8]) -> io::Result<()>,
    handle: &mut dyn FnMut(Record) -> io::Result<()>,
) -> Result<(), Stop> {
    let mut line_number = 0u64;
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
                spill(&line)?;
                spill(b"\n")?;
                handle(Record::TooLong {
                    line: line_number,
                    bytes: line.len() as u64,
                })?;
            } else if !line.trim_ascii().is_empty() {
                handle(Record::Payload {
                    line: line_number,
                    bytes: std::mem::take(&mut line),
                })?;
            }
        }
        if eof {
            return Ok(());
        }
    }
}

/// Counts the newlines serde_json has consumed, to give batch items a line number.
struct LineCounted<R> {
    inner: R,
    newlines: Rc<Cell<u64>>,
}

impl<R: BufRead> Read for LineCounted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        let newlines = buf[..read].iter().filter(|&&b| b == b'\n').count() as u64;
        self.newlines.set(self.newlines.get() + newlines);
        Ok(read)
    }
}

/// A `{"batch": [...]}` body, item by item.
fn read_batch(
    reader: impl BufRead,
    handle: &mut dyn FnMut(Record) -> io::Result<()>,
) -> Result<(), Stop> {
    let newlines = Rc::new(Cell::new(0));
    let counted = LineCounted {
        inner: reader,
        newlines: Rc::clone(&newlines),
    };
    let mut deserializer = serde_json::Deserializer::from_reader(counted);
    let mut failure: Option<io::Error> = None;
    let seed = BodySeed {
        newlines: &newlines,
        handle,
        failure: &mut failure,
    };
    let result = seed
        .deserialize(&mut deserializer)
        .and_then(|found| deserializer.end().map(|()| found));
    if let Some(error) = failure {
        return Err(Stop::Io(error));
    }
    let message = match result {
        Ok(true) => return Ok(()),
        Ok(false) => (
            1,
            "a document over several lines must be a {\"batch\": [...]} body; \
             otherwise write one track payload per line"
                .to_owned(),
        ),
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
                format!("the batch body cannot be read past this point: {message}"),
            )
        }
    };
    handle(Record::Broken {
        line: message.0,
        message: message.1,
    })?;
    Ok(())
}

/// Reads the body object, handing each item of `"batch"` over; true when it had one.
struct BodySeed<'a> {
    newlines: &'a Cell<u64>,
    handle: &'a mut dyn FnMut(Record) -> io::Result<()>,
    failure: &'a mut Option<io::Error>,
}

impl<'de> DeserializeSeed<'de> for BodySeed<'_> {
    type Value = bool;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for BodySeed<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a batch body: {\"batch\": [...]}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let mut found = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "batch" && !found {
                found = true;
                map.next_value_seed(ItemsSeed {
                    newlines: self.newlines,
                    handle: &mut *self.handle,
                    failure: &mut *self.failure,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

struct ItemsSeed<'a> {
    newlines: &'a Cell<u64>,
    handle: &'a mut dyn FnMut(Record) -> io::Result<()>,
    failure: &'a mut Option<io::Error>,
}

impl<'de> DeserializeSeed<'de> for ItemsSeed<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ItemsSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of track payloads")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(item) = seq.next_element::<Box<RawValue>>()? {
            let text = item.get();
            let inside = text.bytes().filter(|&b| b == b'\n').count() as u64;
            let line = (self.newlines.get() + 1).saturating_sub(inside);
            let record = Record::Payload {
                line,
                bytes: text.as_bytes().to_vec(),
            };
            drop(item);
            if let Err(error) = (self.handle)(record) {
                *self.failure = Some(error);
                return Err(de::Error::custom("stopped"));
            }
        }
        Ok(())
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
