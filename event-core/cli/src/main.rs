//! `cio-events`: validate files of Customer.io Data Pipelines track events, and send them
//! through the batching client without losing one.
//!
//! Install it from the workspace with `cargo install --path event-core/cli`.
//! See `cio-events --help` for the commands, the exit codes and examples.

mod check;
mod console;
mod input;
mod journal;
mod send;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

const EXAMPLES: &str = "\
Input:
  Each FILE holds JSON lines, one payload per line, as the API takes them
  ({\"userId\": \"u1\", \"event\": \"Order Completed\", \"properties\": {...}}), or one
  JSON document, pretty-printed or not: a payload, an array of payloads, or a
  {\"batch\": [...]} body. `-` reads standard input. Blank lines are skipped and not
  counted. Payloads may be of any of the six call types, read by their \"type\"
  (track, identify, group, page, screen, alias; one with \"event\" and no \"type\" is a
  track call), each checked by its own rules. Event names that almost are ecommerce
  events (Product List Veiwed) and reserved names (User Deleted) are refused unless
  --allow-near-miss-names or --allow-reserved is given. Known ecommerce events are
  checked against their spec; other calls get the envelope checks (type, ids,
  messageId, timestamp) and their own (event, traits, groupId, previousId, ...). Every problem of a line is reported, each with its path. Lines over
  32 KiB, batch items over 32000 bytes (whitespace outside strings not counted),
  invalid UTF-8 and malformed JSON are reported as FILE:LINE: errors.

Exit codes:
  0  everything valid (send: and every valid event delivered)
  1  some lines invalid, or some events not delivered
  2  usage error, or an input or output file that cannot be read or written
  3  standard output was closed (its reader, such as `head`, quit): stopped early
  130, 143  send: stopped by SIGINT (Ctrl-C) or SIGTERM (see send --help)

Examples:
  cio-events validate events.jsonl
  cat export.jsonl | cio-events validate -
  CUSTOMERIO_API_KEY=... cio-events send --region eu --failed failed.jsonl events.jsonl
  cio-events send --dry-run events.jsonl > batches.jsonl
  cio-events send --region us --failed again.jsonl failed.jsonl   # re-send what failed
";

/// Validate and send files of Customer.io Data Pipelines track events.
#[derive(Debug, Parser)]
#[command(name = "cio-events", version, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check every event of the files; print each problem as FILE:LINE: PATH: MESSAGE
    /// and a summary line, on standard output.
    #[command(after_help = EXAMPLES)]
    Validate(ValidateArgs),
    /// Validate, then send every valid event in batches, with retries; print a JSON
    /// summary line {"read":N,"invalid":N,"delivered":N,"failed":N} on standard output.
    #[command(after_help = SEND_HELP)]
    Send(SendArgs),
}

const SEND_HELP: &str = "\
Problems go to standard error, line-numbered. Each line's own messageId is kept, and a
line without one gets the same id on every run, so sending a file again, whole or
through its --failed lines, is safe: the server drops the events it already has.
The id of a line without one is the name-based UUID (version 5) of \"N:LINE\" in the
namespace 6f1c2b7e-93a4-4d5e-8c21-5a0fd3b9e742, where N is the line's place among
the events of its file (1 for the first; blank lines not counted; for a {\"batch\": [...]}
body, the item's place in the array) and LINE its bytes as read, without the line end
(a batch item: without whitespace outside strings). Two equal lines at different places
get different ids; editing a line, or adding or removing lines above it, changes its id.

Invalid lines and events that failed for good are written to --failed FILE, to fix and
send again: unchanged, but for the messageId of a valid line that had none, added as
its last member (or written in place of a \"messageId\": null). --failed must not be
one of the input files (under any name, or as standard input): that is refused before
anything is written. When a batch fails for good for a reason that is not the event's
own (a refused API key, a region that stays down), sending stops: the rest of the input is still checked, and its valid events
are counted as failed and written to --failed without being sent.

With --dry-run nothing is sent and no key is needed: each batch body is printed on
standard output, one per line, before the summary; `delivered` then counts the events
printed.

The API key is never printed.

Progress journal and --resume: with --failed FILE (or --journal FILE) each run keeps a
journal, by default FILE.journal beside --failed: which events of each input are settled
(delivered, or written to --failed), as ranges of their places, with each input's size
and SHA-1 hash, and how much of --failed is settled. It is synced to disk as each batch
completes, and --failed lines are on disk before the journal counts them. After a kill, a crash or Ctrl-C, run the same
command with --resume: only what is not settled is sent, --failed is appended to, and the
batches that were in flight at the kill are sent again with their messageIds (the server
drops the copies). --resume is refused (exit 2) when an input is not the file the journal
describes (another size or contents), and with standard input (-), which has no journal.
Events that went to --failed are not sent again by --resume: send the --failed file.

Signals: on SIGINT (Ctrl-C) or SIGTERM reading stops, the batches in flight get 5 s, the
events still queued go to --failed, and the journal and summary are written; a second
signal stops at once, leaving a journal that --resume can use.

Exit codes:
  0  every line valid and every event delivered
  1  some lines invalid, or some events not delivered
  2  usage error (such as no API key or region, or --failed naming an input), or a file
     that cannot be read or written
  3  standard output was closed (its reader, such as `head`, quit): with --dry-run,
     reading stops and the events not printed are not counted as failed; otherwise
     the summary goes to standard error instead
  130  stopped by SIGINT (Ctrl-C)
  143  stopped by SIGTERM

Examples:
  CUSTOMERIO_API_KEY=... cio-events send --region us events.jsonl
  cio-events send --region eu --failed failed.jsonl day1.jsonl day2.jsonl
  zcat export.jsonl.gz | cio-events send --region us -
  cio-events send --dry-run events.jsonl
  cio-events send --region us --failed failed.jsonl --resume events.jsonl   # after a kill
";

/// Options shared by both commands.
#[derive(Debug, Args)]
struct CommonArgs {
    /// Files of events: JSON lines, or one document (a payload, an array of payloads, or a
    /// {"batch": [...]} body); `-` reads standard input.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<String>,
    /// Accept the event names Customer.io acts on (User Deleted, User Suppressed, Device
    /// Created or Updated), which are refused otherwise.
    #[arg(long)]
    allow_reserved: bool,
    /// Accept event names that almost are ecommerce semantic events (other case or
    /// spacing, or 1 or 2 letters away: Product List Veiwed) as custom events; refused
    /// otherwise, with the event they almost are.
    #[arg(long)]
    allow_near_miss_names: bool,
    /// A tracking plan (JSON, in the layout of Segment Protocols' tracking plans, as
    /// event_core::plan::Plan writes it): each event must be in it and follow its JSON
    /// Schema, in addition to the built-in checks.
    #[arg(long, value_name = "FILE")]
    plan: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct ValidateArgs {
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Debug, Args)]
struct SendArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// The Data Pipelines API key (never printed).
    #[arg(
        long,
        env = "CUSTOMERIO_API_KEY",
        hide_env_values = true,
        value_name = "KEY"
    )]
    api_key: Option<String>,
    /// The region of the workspace: us or eu. Required unless --endpoint is given.
    #[arg(long, env = "CUSTOMERIO_REGION", value_name = "us|eu")]
    region: Option<String>,
    /// A base URL to send to instead of the region's (a proxy, a test server).
    #[arg(long, env = "CUSTOMERIO_ENDPOINT", value_name = "URL")]
    endpoint: Option<String>,
    /// Do not ask the server for strict mode (X-Strict-Mode: 1), in which it refuses bad
    /// payloads (400) and bad keys (401) instead of answering 200 and dropping them.
    #[arg(long)]
    no_strict: bool,
    /// Print the batch bodies on standard output instead of sending them.
    #[arg(long)]
    dry_run: bool,
    /// Write invalid lines and undelivered events here, one per line, unchanged but for
    /// an added messageId; must not be an input file.
    #[arg(long, value_name = "FILE")]
    failed: Option<PathBuf>,
    /// Attempts per batch before its events count as failed (retries use exponential
    /// backoff with jitter and honour Retry-After).
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=100))]
    max_attempts: u32,
    /// The progress journal: which lines are settled, for --resume. Default: the
    /// --failed FILE's name with .journal added; none without either, nor for stdin.
    #[arg(long, value_name = "FILE")]
    journal: Option<PathBuf>,
    /// Send only the lines the journal does not hold as settled (after a kill, a crash or
    /// Ctrl-C), appending to --failed; refused if an input is not the file it describes.
    #[arg(long)]
    resume: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let common = match &cli.command {
        Command::Validate(args) => &args.common,
        Command::Send(args) => &args.common,
    };
    let rules = match rules(common) {
        Ok(rules) => rules,
        Err(message) => {
            eprintln!("cio-events: {message}");
            return ExitCode::from(Outcome::Error as u8);
        }
    };
    let outcome = match cli.command {
        Command::Validate(args) => validate::run(&args.common.files, rules),
        Command::Send(args) => send::run(send::Options {
            files: args.common.files.clone(),
            rules,
            api_key: args.api_key,
            region: args.region,
            endpoint: args.endpoint,
            strict: !args.no_strict,
            dry_run: args.dry_run,
            failed: args.failed,
            max_attempts: args.max_attempts,
            journal: args.journal,
            resume: args.resume,
        }),
    };
    ExitCode::from(outcome as u8)
}

fn rules(args: &CommonArgs) -> Result<check::Rules, String> {
    // Loaded once and kept for the whole run: the rules are copied into every check.
    let plan = match &args.plan {
        Some(path) => Some(&*Box::leak(Box::new(check::Plan::load(path)?))),
        None => None,
    };
    Ok(check::Rules {
        plan,
        allow_reserved: args.allow_reserved,
        allow_near_miss_names: args.allow_near_miss_names,
    })
}

/// How a run ended: the process's exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// Everything valid (and delivered).
    Ok = 0,
    /// Invalid lines, or undelivered events.
    Problems = 1,
    /// A usage error, or a file that could not be read or written.
    Error = 2,
    /// Standard output was closed (its reader quit): the run stopped early.
    Closed = 3,
    /// Stopped by SIGINT (Ctrl-C).
    Interrupted = 130,
    /// Stopped by SIGTERM.
    Terminated = 143,
}
