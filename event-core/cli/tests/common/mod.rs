//! Helpers shared by the process tests of `cio-events`.
#![allow(dead_code)] // Each test file uses its own share of them.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

/// The binary, with none of the environment variables it reads and no standard input.
pub fn cio_events() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cio-events"));
    for var in [
        "CUSTOMERIO_API_KEY",
        "CUSTOMERIO_REGION",
        "CUSTOMERIO_ENDPOINT",
    ] {
        command.env_remove(var);
    }
    command.stdin(Stdio::null());
    command
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A fresh directory under the system's temporary directory, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new() -> TempDir {
        static COUNT: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "cio-events-test-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&path).expect("create a temporary directory");
        TempDir(path)
    }

    /// Writes `bytes` to the file `name` in the directory; returns its path.
    pub fn file(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).expect("write a fixture");
        path.to_string_lossy().into_owned()
    }

    /// The path of `name` in the directory.
    pub fn path(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
