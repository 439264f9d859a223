//! Crash-safe `cio-events send`: killed (SIGKILL), interrupted (SIGINT) or terminated
//! (SIGTERM) part-way, then run again with `--resume`, against the loopback Pipelines API
//! stand-in. Every line must end delivered or in `--failed`, and only the batches in
//! flight at a kill may reach the server twice.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use event_tests::{Fault, TEST_API_KEY, TestServer};
use serde_json::{Value, json};

mod common;
use common::{TempDir, cio_events, stderr};

/// Events on their way at once at most, as the server saw them: as many of the largest
/// batches as it ever had requests at once (the client fills batches and sends more at
/// once while the server is slow).
fn most_in_flight(server: &TestServer) -> usize {
    let mut sizes: Vec<usize> = server
        .requests()
        .iter()
        .map(|request| request.message_ids.len())
        .collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    sizes.iter().take(server.most_concurrent_requests()).sum()
}

/// `count` lines: every 100th invalid (no event name), the others valid with messageId
/// `msg-<n>`. Also the valid ids and the invalid lines.
fn input(count: usize) -> (String, BTreeSet<String>, Vec<String>) {
    let mut text = String::new();
    let mut ids = BTreeSet::new();
    let mut invalid = Vec::new();
    for n in 0..count {
        let line = if n % 100 == 7 {
            let line = json!({"userId": format!("u{n}"), "type": "track", "messageId": format!("bad-{n}")})
                .to_string();
            invalid.push(line.clone());
            line
        } else {
            ids.insert(format!("msg-{n}"));
            json!({
                "userId": format!("u{n}"),
                "type": "track",
                "event": "Product Viewed",
                "properties": {"product_id": format!("p{n}"), "price": 18.99, "currency": "USD"},
                "messageId": format!("msg-{n}"),
            })
            .to_string()
        };
        text.push_str(&line);
        text.push('\n');
    }
    invalid.sort();
    (text, ids, invalid)
}

fn send(server: &TestServer, args: &[&str]) -> Command {
    let mut command = cio_events();
    command
        .env("CUSTOMERIO_API_KEY", TEST_API_KEY)
        .arg("send")
        .args(["--endpoint", &server.base_url(), "--max-attempts", "4"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Makes every answer of the server slow (it keeps the events first).
fn slow(server: &TestServer, delay: Duration) {
    server.push_faults(std::iter::repeat_n(Fault::Delay(delay), 100_000));
}

/// Waits until `done` holds (or a generous bound passes, failing the test).
fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "waited too long for {what}"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
}

fn summary(output: &Output) -> Value {
    let text = String::from_utf8_lossy(&output.stdout);
    let last = text.lines().last().unwrap_or_default();
    serde_json::from_str(last).unwrap_or_else(|error| panic!("summary {last:?}: {error}"))
}

/// How often each messageId reached the server.
fn times_accepted(server: &TestServer) -> BTreeMap<String, usize> {
    let mut times = BTreeMap::new();
    for id in server.accepted_ids() {
        *times.entry(id).or_default() += 1;
    }
    times
}

fn sorted_lines(path: &str) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("the failed file");
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines.sort();
    lines
}

#[test]
fn a_kill_at_any_moment_then_resume_delivers_every_line_and_repeats_only_the_batches_in_flight() {
    let (text, ids, invalid) = input(8_000);
    // When to kill: once the journal exists (before any batch), part-way, late.
    let moments: [(&str, usize); 3] = [
        ("before the first batch", 0),
        ("part-way", 2_000),
        ("late", 6_000),
    ];
    for (moment, accepted) in moments {
        let server = TestServer::start();
        // Slow enough that the run is still going at the kill: batches hold hundreds of
        // events and several are sent at once, so 8,000 events take a few round trips.
        slow(&server, Duration::from_millis(300));
        let dir = TempDir::new();
        let events = dir.path("events.jsonl");
        std::fs::write(&events, &text).expect("write the input");
        let failed = dir.path("failed.jsonl");
        let journal = format!("{failed}.journal");
        let args = ["--failed", &failed, &events];

        let mut child = send(&server, &args).spawn().expect("start cio-events");
        wait_for("the journal", || Path::new(&journal).exists());
        wait_for("deliveries", || server.accepted_ids().len() >= accepted);
        assert!(
            matches!(child.try_wait(), Ok(None)),
            "{moment}: the run ended before the kill; slow the server down"
        );
        child.kill().expect("kill -9");
        let _ = child.wait();
        let before_resume = server.accepted_ids().len();

        let output = send(&server, &[&["--resume"][..], &args[..]].concat())
            .output()
            .expect("resume");
        let counts = summary(&output);
        assert_eq!(counts["failed"], 0, "{moment}: {counts}");
        // The exit code speaks of the lines this run handled: 1 when some of them were
        // invalid. The invalid lines the killed run had already settled (written to
        // --failed and recorded) are skipped, not reported again.
        let invalid_here = counts["invalid"].as_u64().unwrap_or(0);
        assert_eq!(
            output.status.code(),
            Some(i32::from(invalid_here > 0)),
            "{moment}: {counts} {}",
            stderr(&output)
        );
        assert_eq!(
            counts["invalid"].as_u64().unwrap_or(0) as usize
                + counts["delivered"].as_u64().unwrap_or(0) as usize
                + counts["skipped"].as_u64().unwrap_or(0) as usize,
            8_000,
            "{moment}: {counts}"
        );

        let times = times_accepted(&server);
        let delivered: BTreeSet<String> = times.keys().cloned().collect();
        assert_eq!(
            delivered, ids,
            "{moment}: every valid line delivered, nothing else"
        );
        let twice = times.values().filter(|&&n| n > 1).count();
        let in_flight = most_in_flight(&server);
        assert!(
            twice <= in_flight,
            "{moment}: {twice} events sent twice, more than the batches in flight ({in_flight}; {before_resume} accepted before resuming)"
        );
        assert!(
            times.values().all(|&n| n <= 2),
            "{moment}: an event sent three times"
        );
        assert_eq!(
            sorted_lines(&failed),
            invalid,
            "{moment}: each invalid line once in --failed"
        );
    }
}

#[test]
fn sigint_and_sigterm_stop_cleanly_and_resume_sends_the_rest() {
    let (text, ids, invalid) = input(8_000);
    for (name, code) in [("INT", 130), ("TERM", 143)] {
        let server = TestServer::start();
        // Slow enough that the run is still going at the signal.
        slow(&server, Duration::from_millis(300));
        let dir = TempDir::new();
        let events = dir.path("events.jsonl");
        std::fs::write(&events, &text).expect("write the input");
        let failed = dir.path("failed.jsonl");
        let args = ["--failed", &failed, &events];

        let child = send(&server, &args).spawn().expect("start cio-events");
        wait_for("deliveries", || server.accepted_ids().len() >= 1_500);
        signal(&child, name);
        let output = child.wait_with_output().expect("wait");
        assert_eq!(
            output.status.code(),
            Some(code),
            "SIG{name}: {}",
            stderr(&output)
        );
        let first = summary(&output);
        assert!(stderr(&output).contains("--resume"), "{}", stderr(&output));
        assert!(
            first["read"].as_u64().unwrap_or(0) < 8_000,
            "reading stopped: {first}"
        );
        // Every event read is delivered, invalid or in --failed.
        let kept = sorted_lines(&failed);
        assert_eq!(
            first["read"],
            json!(
                first["delivered"].as_u64().unwrap_or(0)
                    + first["invalid"].as_u64().unwrap_or(0)
                    + first["failed"].as_u64().unwrap_or(0)
            ),
            "SIG{name}: {first}"
        );
        assert_eq!(
            kept.len() as u64,
            first["invalid"].as_u64().unwrap_or(0) + first["failed"].as_u64().unwrap_or(0),
            "SIG{name}: --failed holds the invalid and the handed-back lines: {first}"
        );

        let output = send(&server, &[&["--resume"][..], &args[..]].concat())
            .output()
            .expect("resume");
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        let failed_lines = sorted_lines(&failed);
        let failed_ids: BTreeSet<String> = failed_lines
            .iter()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .filter_map(|value| value["messageId"].as_str().map(str::to_owned))
            .filter(|id| id.starts_with("msg-"))
            .collect();
        let delivered: BTreeSet<String> = server.accepted_ids().into_iter().collect();
        let settled: BTreeSet<String> = delivered.union(&failed_ids).cloned().collect();
        assert_eq!(
            settled, ids,
            "SIG{name}: every valid line delivered or in --failed"
        );
        let invalid_kept: Vec<String> = failed_lines
            .into_iter()
            .filter(|line| line.contains("bad-"))
            .collect();
        assert_eq!(invalid_kept, invalid, "SIG{name}: each invalid line once");
    }
}

#[test]
fn a_second_ctrl_c_stops_at_once_and_the_journal_still_resumes() {
    let (text, ids, _) = input(3_000);
    let server = TestServer::start();
    // Answers so slow that the grace after the first signal is still running.
    slow(&server, Duration::from_millis(1_500));
    let dir = TempDir::new();
    let events = dir.path("events.jsonl");
    std::fs::write(&events, &text).expect("write the input");
    let failed = dir.path("failed.jsonl");
    let args = ["--failed", &failed, &events];

    let child = send(&server, &args).spawn().expect("start cio-events");
    wait_for("deliveries", || server.accepted_ids().len() >= 400);
    signal(&child, "INT");
    std::thread::sleep(Duration::from_millis(200));
    signal(&child, "INT");
    let output = child.wait_with_output().expect("wait");
    assert_eq!(output.status.code(), Some(130), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("stopped at once"),
        "{}",
        stderr(&output)
    );

    let fast = TestServer::start();
    let output = send(&fast, &[&["--resume"][..], &args[..]].concat())
        .output()
        .expect("resume");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let delivered: BTreeSet<String> = server
        .accepted_ids()
        .into_iter()
        .chain(fast.accepted_ids())
        .collect();
    assert_eq!(delivered, ids);
}

#[test]
fn resume_refuses_another_file_and_standard_input() {
    let server = TestServer::start();
    let dir = TempDir::new();
    let (text, _, _) = input(300);
    let events = dir.path("events.jsonl");
    std::fs::write(&events, &text).expect("write the input");
    let failed = dir.path("failed.jsonl");
    let output = send(&server, &["--failed", &failed, &events])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let sent = server.accepted_ids().len();

    // The same size, one line changed.
    std::fs::write(&events, text.replacen("msg-1\"", "msg-X\"", 1)).expect("edit");
    let output = send(&server, &["--resume", "--failed", &failed, &events])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("cannot resume") && message.contains("contents changed"),
        "{message}"
    );
    assert_eq!(server.accepted_ids().len(), sent, "nothing sent");

    let output = send(&server, &["--resume", "--failed", &failed, "-"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("standard input"),
        "{}",
        stderr(&output)
    );

    let output = send(&server, &["--resume", &events]).output().expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--journal"), "{}", stderr(&output));
}
