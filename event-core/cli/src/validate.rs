//! `cio-events validate`: check every record, report each problem with its line.

use crate::Outcome;
use crate::check::{Rules, check, check_size};
use crate::console::Console;
use std::io;

use crate::input::{
    ByteCounter, MAX_ITEM_BYTES, MAX_LINE_BYTES, Record, Source, Stop, read_records,
};

/// Counts of a validation run.
#[derive(Debug, Default)]
struct Totals {
    read: u64,
    invalid: u64,
}

/// Validates `files`, printing problems and a summary on standard output.
pub fn run(files: &[String], rules: Rules) -> Outcome {
    let sources: Vec<Source> = files.iter().map(|path| Source::new(path)).collect();
    let total = sources.iter().map(Source::len).sum::<Option<u64>>();
    let console = Console::new(total);
    let counter = ByteCounter::default();
    let mut totals = Totals::default();
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
        let result = read_records(reader, &counter, &mut |_| Ok(()), &mut |record| {
            totals.read += 1;
            let problems = match record {
                Record::Payload { line, bytes, .. } => {
                    match check(&bytes, rules).and_then(|track| check_size(&track)) {
                        Ok(()) => Vec::new(),
                        Err(problems) => problems
                            .iter()
                            .map(|problem| format!("{name}:{line}: {problem}"))
                            .collect(),
                    }
                }
                Record::TooLong { line, bytes } => vec![format!(
                    "{name}:{line}: the line is {bytes} bytes, over the limit of {MAX_LINE_BYTES} \
                     bytes per event"
                )],
                Record::ItemTooLarge { line, index, bytes } => vec![format!(
                    "{name}:{line}: item {index} of the batch is {bytes} bytes, over the limit \
                     of {MAX_ITEM_BYTES} bytes per event"
                )],
                Record::Broken { line, message } => vec![format!("{name}:{line}: {message}")],
            };
            if !problems.is_empty() {
                totals.invalid += 1;
                for problem in problems {
                    // A closed output (its reader quit) stops reading.
                    console.out(&problem)?;
                }
            }
            console.progress(counter.get(), || format!("{} read", totals.read));
            Ok(())
        });
        if let Err(error) = result {
            if closed(&error) {
                return stop_closed(&console);
            }
            console.error(&format!("cio-events: cannot read {}: {error}", source.name));
            io_error = true;
        }
    }
    console.finish();
    let valid = totals.read - totals.invalid;
    let written = console.out(&format!(
        "{} event(s) read from {} file(s): {valid} valid, {} invalid{}",
        totals.read,
        sources.len(),
        totals.invalid,
        if io_error {
            "; some input could not be read"
        } else {
            ""
        }
    ));
    if let Err(error) = written {
        if error.kind() == io::ErrorKind::BrokenPipe {
            return stop_closed(&console);
        }
        console.error(&format!(
            "cio-events: cannot write to standard output: {error}"
        ));
        return Outcome::Error;
    }
    if io_error {
        Outcome::Error
    } else if totals.invalid > 0 {
        Outcome::Problems
    } else {
        Outcome::Ok
    }
}

/// Whether reading stopped because standard output was closed.
fn closed(error: &Stop) -> bool {
    match error {
        Stop::Io(error) => error.kind() == io::ErrorKind::BrokenPipe,
    }
}

fn stop_closed(console: &Console) -> Outcome {
    console.finish();
    console.error("cio-events: standard output was closed: stopped");
    Outcome::Closed
}
