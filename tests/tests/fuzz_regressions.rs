//! The fuzzer's findings and interesting corpus seeds, replayed in CI.
//!
//! `tests/fuzz/` is a cargo-fuzz project (run by hand, never in CI: see its README).
//! Every minimized crash input it found, and a few seeds that reach corners of the
//! parser, are kept in `tests/fuzz/regressions/<target>/`, and these tests run them
//! through the very checks the fuzz targets run (`tests/fuzz/check.rs`, included below),
//! so a fixed crash stays fixed.
//!
//! `tests/fuzz/regressions/open/<target>/` holds findings that are not fixed yet; the
//! ignored test `open_findings_are_fixed` replays them (`cargo test -p event-tests --test
//! fuzz_regressions -- --ignored`). Once it passes, move the files up one level.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

#[path = "../fuzz/check.rs"]
mod check;

fn regressions() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions")
}

/// The files of `dir`, sorted (an absent directory holds none).
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.is_file())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// A fuzz target's check.
type Target = fn(&[u8]);

/// Runs `target` on every file of `dir` and returns the failures, one line each.
fn replay(dir: &Path, target: Target) -> (usize, Vec<String>) {
    let files = files(dir);
    let mut failures = Vec::new();
    for path in &files {
        let data =
            std::fs::read(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| target(&data))) {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|text| (*text).to_owned()))
                .unwrap_or_default();
            failures.push(format!("{}: {message}", path.display()));
        }
    }
    (files.len(), failures)
}

fn replay_all(base: &Path) -> (usize, Vec<String>) {
    let targets: [(&str, Target); 3] = [
        ("track", check::track),
        ("batch", check::batch),
        ("retry_after", check::retry_after),
    ];
    let mut count = 0;
    let mut failures = Vec::new();
    for (name, target) in targets {
        let (files, failed) = replay(&base.join(name), target);
        count += files;
        failures.extend(failed);
    }
    (count, failures)
}

#[test]
fn fixed_findings_and_seeds_pass_the_fuzz_checks() {
    let (count, failures) = replay_all(&regressions());
    assert!(
        count >= 20,
        "the regression inputs are missing: {count} found"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_fixtures_pass_the_fuzz_checks() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ecommerce");
    let (count, failures) = replay(&fixtures, check::track);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Each fixture also parses and validates (not only "does not panic").
    for path in files(&fixtures) {
        let data = std::fs::read(&path).unwrap_or_default();
        let track = event_core::from_json::<event_core::Track<event_core::ecommerce::EcommerceEvent>>(
            &data,
        );
        let track = track.unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        event_core::Validate::validate(&track)
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    }
    assert_eq!(
        count,
        event_core::spec::EVENTS.len(),
        "one fixture per catalogue event"
    );
}

#[test]
#[ignore = "open fuzz findings, not fixed yet: see tests/fuzz/regressions/open"]
fn open_findings_are_fixed() {
    let (_, failures) = replay_all(&regressions().join("open"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
