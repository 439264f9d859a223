//! The progress journal of `cio-events send`: which events of the inputs are settled
//! (delivered, or kept in the `--failed` file), so that `--resume` sends only the rest.
//!
//! A text file, one record a line:
//!
//! ```text
//! cio-events journal 1
//! input 0 <bytes> <sha1 of the contents> <path>
//! settled 0 1-250,253,260-300
//! kept 18234
//! ```
//!
//! `kept` is the length of the `--failed` file once the lines of the places recorded
//! before it were synced: resuming cuts the file back to it, so that a line written
//! after it (whose place is not settled, and is written again) is never there twice.
//!
//! Events are named by their place among the events of their input (from 1, blank lines
//! not counted), which is stable as long as the input is. `settled` lines are appended as
//! batches complete and each is made durable (fsync) before the next: a kill loses at most
//! the line being written, which is ignored when read back. Resuming rewrites the journal
//! whole, merged, under a temporary name that is then renamed over it.
//!
//! Each input is identified by its size and the SHA-1 of its whole contents: an edit
//! anywhere (such as a changed line in the middle, which a prefix would miss, or a copy
//! with a new mtime, which is still the same input) is told by its contents alone, for
//! the cost of reading the input once more before sending.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

const MAGIC: &str = "cio-events journal 1";

/// What identifies an input: its size and the SHA-1 of its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The size in bytes.
    pub len: u64,
    /// The SHA-1 of the contents, in hex.
    pub hash: String,
}

impl Identity {
    /// Reads the file at `path` whole to identify it.
    pub fn of(path: &Path) -> io::Result<Identity> {
        let mut file = File::open(path)?;
        let mut hasher = sha1_smol::Sha1::new();
        let mut buffer = vec![0u8; 256 * 1024];
        let mut len = 0u64;
        loop {
            let read = match file.read(&mut buffer) {
                Ok(0) => break,
                Ok(read) => read,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(error),
            };
            hasher.update(&buffer[..read]);
            len += read as u64;
        }
        Ok(Identity {
            len,
            hash: hasher.digest().to_string(),
        })
    }
}

/// A set of event places, kept as merged ranges: small when events settle mostly in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Places(BTreeMap<u64, u64>);

impl Places {
    /// Adds `place`.
    pub fn insert(&mut self, place: u64) {
        self.insert_range(place, place);
    }

    /// Adds the places from `start` to `end`, both included.
    fn insert_range(&mut self, mut start: u64, mut end: u64) {
        if let Some((&before, &before_end)) = self.0.range(..=start).next_back() {
            if before_end.saturating_add(1) >= start {
                start = before;
                end = end.max(before_end);
            }
        }
        let absorbed: Vec<(u64, u64)> = self
            .0
            .range(start..=end.saturating_add(1))
            .map(|(&first, &last)| (first, last))
            .collect();
        for (first, last) in absorbed {
            self.0.remove(&first);
            end = end.max(last);
        }
        self.0.insert(start, end);
    }

    /// Whether `place` is in the set.
    pub fn contains(&self, place: u64) -> bool {
        self.0
            .range(..=place)
            .next_back()
            .is_some_and(|(_, &end)| place <= end)
    }

    fn write_ranges(&self, out: &mut String) {
        for (n, (start, end)) in self.0.iter().enumerate() {
            if n > 0 {
                out.push(',');
            }
            if start == end {
                out.push_str(&start.to_string());
            } else {
                out.push_str(&format!("{start}-{end}"));
            }
        }
    }

    fn read_ranges(&mut self, text: &str) -> Option<()> {
        for range in text.split(',') {
            let (start, end) = match range.split_once('-') {
                Some((start, end)) => (start.parse().ok()?, end.parse().ok()?),
                None => {
                    let place = range.parse().ok()?;
                    (place, place)
                }
            };
            if start > end {
                return None;
            }
            self.insert_range(start, end);
        }
        Some(())
    }
}

/// The settled places of each input, by the input's position on the command line.
pub type Settled = Vec<Places>;

/// An open journal, appended to as events settle.
#[derive(Debug)]
pub struct Journal {
    file: File,
}

impl Journal {
    /// Writes a journal for `inputs` (identity and name) holding `settled`, in place of
    /// any at `path`, durably: written under a temporary name, synced, then renamed.
    pub fn create(
        path: &Path,
        inputs: &[(Identity, &str)],
        settled: &Settled,
        kept: Option<u64>,
    ) -> io::Result<Journal> {
        let mut text = format!("{MAGIC}\n");
        for (n, (identity, name)) in inputs.iter().enumerate() {
            text.push_str(&format!(
                "input {n} {} {} {}\n",
                identity.len,
                identity.hash,
                one_line_name(name)
            ));
        }
        for (n, places) in settled.iter().enumerate() {
            if places.0.is_empty() {
                continue;
            }
            text.push_str(&format!("settled {n} "));
            places.write_ranges(&mut text);
            text.push('\n');
        }
        if let Some(kept) = kept {
            text.push_str(&format!("kept {kept}\n"));
        }
        let temporary = temporary_path(path);
        {
            let mut file = File::create(&temporary)?;
            file.write_all(text.as_bytes())?;
            file.sync_all()?;
        }
        fs::rename(&temporary, path)?;
        sync_parent(path);
        let file = OpenOptions::new().append(true).open(path)?;
        Ok(Journal { file })
    }

    /// Reads the journal at `path`, checking that it describes `inputs`: the settled
    /// places of each, or a message saying why it cannot be used.
    /// Also the last `kept` length of `--failed`.
    pub fn load(
        path: &Path,
        inputs: &[(Identity, &str)],
    ) -> Result<(Settled, Option<u64>), String> {
        let file = File::open(path).map_err(|error| {
            if error.kind() == io::ErrorKind::NotFound {
                format!(
                    "--resume: there is no journal at {}: nothing to resume (run without \
                     --resume to send from the start, or give the --journal or --failed \
                     of the run to resume)",
                    path.display()
                )
            } else {
                format!("cannot read the journal {}: {error}", path.display())
            }
        })?;
        let bad = |what: &str| {
            format!(
                "the journal {} is not usable ({what}); run without --resume to send from \
                 the start",
                path.display()
            )
        };
        let mut lines = Vec::new();
        let mut reader = BufReader::new(file);
        loop {
            let mut line = Vec::new();
            let read = reader
                .read_until(b'\n', &mut line)
                .map_err(|error| format!("cannot read the journal {}: {error}", path.display()))?;
            if read == 0 {
                break;
            }
            // A line without its end was being written at a kill: it never counted.
            if line.pop() != Some(b'\n') {
                break;
            }
            lines.push(String::from_utf8(line).map_err(|_| bad("not text"))?);
        }
        let mut lines = lines.into_iter();
        if lines.next().as_deref() != Some(MAGIC) {
            return Err(bad("not a cio-events journal"));
        }
        let mut settled: Settled = vec![Places::default(); inputs.len()];
        let mut known = Vec::new();
        let mut kept = None;
        for line in lines {
            let mut parts = line.splitn(5, ' ');
            match parts.next() {
                Some("input") => {
                    let (Some(n), Some(len), Some(hash)) = (
                        parts.next().and_then(|n| n.parse::<usize>().ok()),
                        parts.next().and_then(|len| len.parse::<u64>().ok()),
                        parts.next(),
                    ) else {
                        return Err(bad("a broken input line"));
                    };
                    let was = parts.next().unwrap_or("?").to_owned();
                    if n != known.len() {
                        return Err(bad("inputs out of order"));
                    }
                    known.push((
                        Identity {
                            len,
                            hash: hash.to_owned(),
                        },
                        was,
                    ));
                }
                Some("settled") => {
                    let (Some(n), Some(ranges)) = (
                        parts.next().and_then(|n| n.parse::<usize>().ok()),
                        parts.next(),
                    ) else {
                        return Err(bad("a broken settled line"));
                    };
                    settled
                        .get_mut(n)
                        .and_then(|places| places.read_ranges(ranges))
                        .ok_or_else(|| bad("a broken settled line"))?;
                }
                Some("kept") => {
                    kept = Some(
                        parts
                            .next()
                            .and_then(|len| len.parse::<u64>().ok())
                            .ok_or_else(|| bad("a broken kept line"))?,
                    );
                }
                _ => return Err(bad("an unknown line")),
            }
        }
        if known.len() != inputs.len() {
            return Err(format!(
                "cannot resume: the journal {} describes {} input file(s), and {} are given; \
                 give the same files in the same order, or run without --resume to send \
                 from the start",
                path.display(),
                known.len(),
                inputs.len()
            ));
        }
        for ((identity, name), (was, was_name)) in inputs.iter().zip(&known) {
            if identity != was {
                let how = if identity.len == was.len {
                    format!("its contents changed ({} bytes as before)", identity.len)
                } else {
                    format!("{} bytes, was {}", identity.len, was.len)
                };
                return Err(format!(
                    "cannot resume: {name} is not the input the journal {} describes \
                     (written for {was_name}: {how}); resume with the same file, or run \
                     without --resume to send it from the start",
                    path.display()
                ));
            }
        }
        Ok((settled, kept))
    }

    /// Appends the places `settled` (input, place) and the `kept` length of `--failed`,
    /// and makes them durable.
    pub fn record(&mut self, settled: &[(usize, u64)], kept: Option<u64>) -> io::Result<()> {
        if settled.is_empty() && kept.is_none() {
            return Ok(());
        }
        let mut by_input: BTreeMap<usize, Places> = BTreeMap::new();
        for &(input, place) in settled {
            by_input.entry(input).or_default().insert(place);
        }
        let mut text = String::new();
        for (input, places) in by_input {
            text.push_str(&format!("settled {input} "));
            places.write_ranges(&mut text);
            text.push('\n');
        }
        if let Some(kept) = kept {
            text.push_str(&format!("kept {kept}\n"));
        }
        // One write of whole lines: a kill leaves at most the last one cut.
        self.file.write_all(text.as_bytes())?;
        self.file.sync_data()
    }
}

/// The journal beside `--failed FILE` when `--journal` is not given: `FILE.journal`.
pub fn default_path(failed: &Path) -> PathBuf {
    let mut name = failed.as_os_str().to_owned();
    name.push(".journal");
    PathBuf::from(name)
}

fn temporary_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".tmp");
    PathBuf::from(name)
}

/// Makes a rename in `path`'s directory durable, where the system allows it.
fn sync_parent(path: &Path) {
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if let Ok(directory) = File::open(parent) {
        let _ = directory.sync_all();
    }
}

fn one_line_name(name: &str) -> String {
    name.replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_merge_into_ranges() {
        let mut places = Places::default();
        for place in [3, 1, 2, 7, 5, 6, 10] {
            places.insert(place);
        }
        let mut text = String::new();
        places.write_ranges(&mut text);
        assert_eq!(text, "1-3,5-7,10");
        assert!(places.contains(6) && !places.contains(4) && !places.contains(11));
        let mut read = Places::default();
        assert!(read.read_ranges(&text).is_some());
        assert_eq!(read, places);
    }
}
