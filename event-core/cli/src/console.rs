//! Writing to the terminal: messages, and a progress bar on standard error when it is one.

use std::io::{self, IsTerminal, Write};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Messages and progress. Errors writing standard error are ignored: the exit code tells.
#[derive(Debug, Clone)]
pub struct Console {
    progress: ProgressBar,
}

impl Console {
    /// A console whose progress bar counts `total` bytes (a spinner when unknown), drawn
    /// only when standard error is a terminal.
    pub fn new(total: Option<u64>) -> Console {
        if !io::stderr().is_terminal() {
            return Console {
                progress: ProgressBar::hidden(),
            };
        }
        let progress = match total {
            Some(total) => ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
                .with_style(
                    ProgressStyle::with_template("{bar:30} {bytes}/{total_bytes} ({eta}) {msg}")
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                ),
            None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(
                ProgressStyle::with_template("{spinner} {bytes} read {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            ),
        };
        progress.enable_steady_tick(Duration::from_millis(200));
        Console { progress }
    }

    /// Moves the bar to `bytes` read, with `message` beside it.
    pub fn progress(&self, bytes: u64, message: impl FnOnce() -> String) {
        if !self.progress.is_hidden() {
            self.progress.set_position(bytes);
            self.progress.set_message(message());
        }
    }

    /// Writes `line` to standard error, above the bar.
    pub fn error(&self, line: &str) {
        self.progress.suspend(|| {
            let _ = writeln!(io::stderr().lock(), "{line}");
        });
    }

    /// Writes `line` to standard output, above the bar. An error is the caller's to
    /// judge: a closed pipe (its reader quit) stops a run cleanly.
    pub fn out(&self, line: &str) -> io::Result<()> {
        self.progress.suspend(|| {
            let mut stdout = io::stdout().lock();
            writeln!(stdout, "{line}")?;
            stdout.flush()
        })
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.progress.finish_and_clear();
    }
}
