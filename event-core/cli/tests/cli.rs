//! The `cio-events` command-line tool, run as a process against the loopback Pipelines
//! API stand-in.
//!
//! Cargo builds the binary before these tests and names it in `CARGO_BIN_EXE_cio-events`:
//! no cargo inside a test.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use event_tests::{Fault, POISON, ServerConfig, TEST_API_KEY, TestServer};
use serde_json::{Value, json};

mod common;
use common::{TempDir, cio_events, stderr, stdout};

/// `send` to `server` with the right key, fast retries, and `args`.
fn send_to(server: &TestServer, args: &[&str]) -> Output {
    cio_events()
        .arg("send")
        .args(["--endpoint", &server.base_url(), "--max-attempts", "4"])
        .args(args)
        .env("CUSTOMERIO_API_KEY", TEST_API_KEY)
        .output()
        .expect("run cio-events")
}

/// A valid Product Viewed payload with messageId `msg-<n>`.
fn good(n: usize) -> String {
    json!({
        "userId": format!("user_{n}"),
        "type": "track",
        "event": "Product Viewed",
        "properties": {"product_id": format!("p{n}"), "price": 18.99, "currency": "USD"},
        "timestamp": "2024-01-15T10:30:00.000Z",
        "messageId": format!("msg-{n}"),
    })
    .to_string()
}

fn lines(range: std::ops::Range<usize>) -> String {
    range.map(|n| good(n) + "\n").collect()
}

fn ids(range: std::ops::Range<usize>) -> BTreeSet<String> {
    range.map(|n| format!("msg-{n}")).collect()
}

/// The final JSON summary line of `send`.
fn summary(output: &Output) -> Value {
    let text = stdout(output);
    let last = text.lines().last().unwrap_or_default();
    serde_json::from_str(last).unwrap_or_else(|error| panic!("summary {last:?}: {error}"))
}

fn counts(read: u64, invalid: u64, delivered: u64, failed: u64) -> Value {
    json!({"read": read, "invalid": invalid, "delivered": delivered, "failed": failed})
}

/// The lines of `text`, sorted: the `--failed` file keeps every line, in the order
/// they failed.
fn sorted(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines.sort();
    lines
}

fn sorted_lines(path: &str) -> Vec<String> {
    sorted(&std::fs::read_to_string(path).expect("the failed file"))
}

fn accepted_ids(server: &TestServer) -> BTreeSet<String> {
    server.accepted_ids().into_iter().collect()
}

#[test]
fn a_clean_file_is_delivered_in_batches() {
    let server = TestServer::start();
    let dir = TempDir::new();
    let file = dir.file("clean.jsonl", lines(0..250).as_bytes());
    let output = send_to(&server, &[&file]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(summary(&output), counts(250, 0, 250, 0));
    assert_eq!(
        stdout(&output).lines().count(),
        1,
        "only the summary on stdout"
    );
    assert_eq!(accepted_ids(&server), ids(0..250));
    let requests = server.requests();
    // Batches fill while another is on its way, up to the client's limits.
    assert!(
        requests
            .iter()
            .all(|r| r.message_ids.len()
                <= event_core::client::ClientBuilder::DEFAULT_MAX_BATCH_EVENTS),
        "{} requests",
        requests.len()
    );
    assert!(requests.iter().all(|r| r.strict && r.path == "/v1/batch"));
    assert!(!stderr(&output).contains(TEST_API_KEY));
}

#[test]
fn validate_reports_each_bad_line_with_its_number() {
    let dir = TempDir::new();
    let mut input = Vec::new();
    input.extend_from_slice(format!("{}\n\n", good(1)).as_bytes()); // 1, blank 2
    input.extend_from_slice(
        br#"{"userId":"u","event":"Order Completed","properties":{"products":[{"product_id":"a","price":"9.99"}]}}"#,
    ); // 3
    input.extend_from_slice(b"\n{not json\n"); // 4
    input.extend_from_slice(b"{\"event\":\"Custom\",\"properties\":{}}\n"); // 5
    input.extend_from_slice(b"{\"userId\":\"u\",\"event\":\"Order Completed\",\"properties\":{\"currency\":\"usd\"}}\r\n"); // 6
    input.extend_from_slice(b"{\"userId\":\"u\",\"event\":\"Bad \xff\"}\n"); // 7
    input.extend_from_slice(format!("{}\n", good(2)).as_bytes()); // 8
    let file = dir.file("bad.jsonl", &input);
    let output = cio_events()
        .args(["validate", &file])
        .output()
        .expect("run cio-events");
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let expected = [
        format!(
            "{file}:3: properties.products[0].price: invalid type: string \"9.99\", expected a number (the spec's type)"
        ),
        format!("{file}:4: not valid JSON: key must be a string (column 2)"),
        format!(
            "{file}:5: a track call needs a userId or an anonymousId (or both); neither was given"
        ),
        format!(
            "{file}:6: properties.currency: must be an ISO-4217 currency code in upper case: \"USD\""
        ),
        format!("{file}:7: not valid UTF-8 (bad byte at offset 27)"),
        "7 event(s) read from 1 file(s): 2 valid, 5 invalid".to_owned(),
    ];
    let got: Vec<&str> = text.lines().collect();
    assert_eq!(got, expected, "{text}");

    let clean = dir.file("clean.jsonl", lines(0..3).as_bytes());
    let output = cio_events()
        .args(["validate", &clean])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stdout(&output).trim(),
        "3 event(s) read from 1 file(s): 3 valid, 0 invalid"
    );
}

#[test]
fn send_keeps_bad_lines_unchanged_in_the_failed_file() {
    let server = TestServer::start();
    let dir = TempDir::new();
    let long = format!(
        "{{\"userId\":\"u\",\"event\":\"Big\",\"properties\":{{\"p\":\"{}\"}}}}",
        "x".repeat(40_000)
    );
    let bad: Vec<Vec<u8>> = vec![
        br#"{"userId":"u","event":"Product Viewed","properties":{"price":"18.99"}}"#.to_vec(),
        b"{\"userId\": truncated".to_vec(),
        b"{\"userId\":\"u\",\"event\":\"\xc3\x28\"}".to_vec(),
        long.into_bytes(),
        br#"{"userId":"u","event":"User Deleted"}"#.to_vec(),
    ];
    let mut input = Vec::new();
    for (n, line) in bad.iter().enumerate() {
        input.extend_from_slice(format!("{}\n", good(n)).as_bytes());
        input.extend_from_slice(line);
        input.push(b'\n');
    }
    let file = dir.file("mixed.jsonl", &input);
    let failed = dir.path("failed.jsonl");
    let output = send_to(&server, &["--failed", &failed, &file]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(summary(&output), counts(10, 5, 5, 0));
    let errors = stderr(&output);
    for (index, _) in bad.iter().enumerate() {
        let line = 2 * index + 2;
        assert!(
            errors.contains(&format!("{file}:{line}: ")),
            "line {line}: {errors}"
        );
    }
    assert!(
        errors.contains(&format!("{file}:8: the line is 40050 bytes")),
        "{errors}"
    );
    let mut expected = Vec::new();
    for line in &bad {
        expected.extend_from_slice(line);
        expected.push(b'\n');
    }
    let kept = std::fs::read(&failed).expect("the failed file");
    assert!(
        kept == expected,
        "the failed file holds the bad lines unchanged"
    );
    assert_eq!(accepted_ids(&server), ids(0..5));
}

#[test]
fn faults_injected_mid_send_are_retried_until_delivered() {
    let server = TestServer::start();
    let dir = TempDir::new();
    let file = dir.file("events.jsonl", lines(0..300).as_bytes());
    server.push_faults([
        Fault::Status(503),
        Fault::Reset,
        Fault::TooManyRequests {
            retry_after: "0".to_owned(),
        },
    ]);
    let output = send_to(&server, &[&file]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(summary(&output), counts(300, 0, 300, 0));
    assert_eq!(accepted_ids(&server), ids(0..300));
    assert_eq!(server.accepted().len(), 300, "no duplicates");
    // Three faults, then the events in one batch or more (a batch fills while another
    // is on its way).
    assert!(server.requests().len() >= 4);
}

#[test]
fn a_server_side_rejection_fails_only_that_event() {
    let server = TestServer::start_with(ServerConfig {
        reject_event: Some(POISON.to_owned()),
        ..ServerConfig::default()
    });
    let dir = TempDir::new();
    let poison = r#"{"anonymousId":"a1","event":"Poison Event","properties":{"n":1},"messageId":"poison-1"}"#;
    let input = format!("{}{poison}\n{}", lines(0..10), lines(10..20));
    let file = dir.file("events.jsonl", input.as_bytes());
    let failed = dir.path("failed.jsonl");
    let output = send_to(&server, &["--failed", &failed, &file]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(summary(&output), counts(21, 0, 20, 1));
    assert!(
        stderr(&output).contains(&format!("{file}:11: not delivered: rejected")),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        std::fs::read_to_string(&failed).expect("failed file"),
        format!("{poison}\n")
    );
    assert_eq!(accepted_ids(&server), ids(0..20));
}

#[test]
fn a_wrong_key_fails_every_event_and_is_never_printed() {
    let server = TestServer::start();
    let dir = TempDir::new();
    let input = lines(0..1_000);
    let file = dir.file("events.jsonl", input.as_bytes());
    let failed = dir.path("failed.jsonl");
    let wrong_key = "wrong-key-SECRET-4242";
    let output = cio_events()
        .args([
            "send",
            "--endpoint",
            &server.base_url(),
            "--failed",
            &failed,
            &file,
        ])
        .env("CUSTOMERIO_API_KEY", wrong_key)
        .output()
        .expect("run cio-events");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(summary(&output), counts(1_000, 0, 0, 1_000));
    let errors = stderr(&output);
    assert!(errors.contains("401"), "{errors}");
    assert!(!errors.contains(wrong_key) && !stdout(&output).contains(wrong_key));
    // Sending stopped at the first refusal: of the 10 batches, only those already on their
    // way (one per worker at most) were sent. Every line is kept to send again.
    let requests = server.requests().len();
    let at_once = event_core::client::ClientBuilder::DEFAULT_CONCURRENT_BATCHES;
    assert!((1..=at_once).contains(&requests), "{requests} requests");
    assert_eq!(sorted_lines(&failed), sorted(&input));

    // The failed file sends as it is, with the same messageIds, once the key is right.
    let again = dir.path("again.jsonl");
    let output = send_to(&server, &["--failed", &again, &failed]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(accepted_ids(&server), ids(0..1_000));
    assert_eq!(std::fs::read(&again).expect("empty failed file").len(), 0);
}

#[test]
fn a_region_that_is_down_fails_fast_and_keeps_everything() {
    // Nothing listens on the port of a server that was started and stopped.
    let url = TestServer::start().base_url();
    let dir = TempDir::new();
    let input = lines(0..150);
    let file = dir.file("events.jsonl", input.as_bytes());
    let failed = dir.path("failed.jsonl");
    let started = Instant::now();
    let output = cio_events()
        .args([
            "send",
            "--endpoint",
            &url,
            "--max-attempts",
            "2",
            "--failed",
            &failed,
            &file,
        ])
        .env("CUSTOMERIO_API_KEY", TEST_API_KEY)
        .output()
        .expect("run cio-events");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(summary(&output), counts(150, 0, 0, 150));
    assert!(
        stderr(&output).contains("network error"),
        "{}",
        stderr(&output)
    );
    assert_eq!(sorted_lines(&failed), sorted(&input));
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn dry_run_prints_the_batch_bodies_and_sends_nothing() {
    let server = TestServer::start();
    let dir = TempDir::new();
    let file = dir.file("events.jsonl", lines(0..150).as_bytes());
    let output = send_to(&server, &["--dry-run", &file]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(server.requests().is_empty());
    let text = stdout(&output);
    let mut printed = BTreeSet::new();
    let mut bodies = 0;
    for line in text.lines().filter(|line| line.starts_with("{\"batch\"")) {
        bodies += 1;
        let body: Value = serde_json::from_str(line).expect("a batch body");
        assert!(body["sentAt"].is_string());
        for item in body["batch"].as_array().expect("items") {
            printed.insert(item["messageId"].as_str().unwrap_or_default().to_owned());
        }
    }
    // One batch, or one of 100 (flush_at) sent at once and the rest.
    assert!((1..=2).contains(&bodies), "{bodies} bodies");
    assert_eq!(printed, ids(0..150));
    assert_eq!(summary(&output), counts(150, 0, 150, 0));
    // No key is needed for a dry run.
    let output = cio_events()
        .args(["send", "--dry-run", &file])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn stdin_is_read_with_a_dash_and_message_ids_are_kept_or_added() {
    let server = TestServer::start();
    let input = format!(
        "{}{}\n",
        lines(0..3),
        r#"{"userId":"u9","event":"Newsletter Subscribed","properties":{"list":"weekly"}}"#
    );
    let mut child = cio_events()
        .args(["send", "--endpoint", &server.base_url(), "-"])
        .env("CUSTOMERIO_API_KEY", TEST_API_KEY)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start cio-events");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    let output = child.wait_with_output().expect("run cio-events");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(summary(&output), counts(4, 0, 4, 0));
    let accepted = server.accepted();
    let added = accepted
        .iter()
        .find(|event| event["event"] == "Newsletter Subscribed")
        .and_then(|event| event["messageId"].as_str())
        .expect("an added messageId");
    assert_eq!(added.len(), 36, "a UUID: {added}");
    let mut expected = ids(0..3);
    expected.insert(added.to_owned());
    assert_eq!(accepted_ids(&server), expected);
}

#[test]
fn a_batch_body_file_is_read_item_by_item() {
    let server = TestServer::start();
    let dir = TempDir::new();
    let body = format!(
        "{{\n  \"sentAt\": \"2024-01-15T10:30:05.000Z\",\n  \"batch\": [\n    {},\n    {{\n      \"userId\": \"u\",\n      \"event\": \"Order Completed\",\n      \"properties\": {{\"currency\": \"usd\"}}\n    }},\n    {}\n  ]\n}}\n",
        good(0),
        good(1)
    );
    let file = dir.file("body.json", body.as_bytes());
    let output = cio_events()
        .args(["validate", &file])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains(&format!(
            "{file}:5: properties.currency: must be an ISO-4217"
        )),
        "{}",
        stdout(&output)
    );
    let failed = dir.path("failed.jsonl");
    let output = send_to(&server, &["--failed", &failed, &file]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(summary(&output), counts(3, 1, 2, 0));
    assert_eq!(accepted_ids(&server), ids(0..2));
    assert_eq!(
        std::fs::read_to_string(&failed).expect("failed file"),
        "{\"userId\":\"u\",\"event\":\"Order Completed\",\"properties\":{\"currency\":\"usd\"}}\n"
    );

    // A broken body is one line-numbered error, not a panic.
    let broken = dir.file(
        "broken.json",
        b"{\"batch\": [\n  {\"userId\": \"u\", \"event\": \"A\"},\n  {\"userId\": \n",
    );
    let output = cio_events()
        .args(["validate", &broken])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains(&format!(
            "{broken}:4: the document cannot be read past this point"
        )),
        "{}",
        stdout(&output)
    );
}

#[test]
fn usage_and_io_errors_exit_2_with_one_line() {
    let dir = TempDir::new();
    let file = dir.file("events.jsonl", lines(0..2).as_bytes());
    let run = |args: &[&str], key: Option<&str>| {
        let mut command = cio_events();
        command.args(args);
        if let Some(key) = key {
            command.env("CUSTOMERIO_API_KEY", key);
        }
        command.output().expect("run cio-events")
    };
    let no_key = run(&["send", "--region", "us", &file], None);
    assert_eq!(no_key.status.code(), Some(2));
    assert!(stderr(&no_key).contains("no API key"));
    let no_region = run(&["send", &file], Some("k"));
    assert_eq!(no_region.status.code(), Some(2));
    assert!(stderr(&no_region).contains("no region"));
    let bad_region = run(&["send", "--region", "mars", &file], Some("k"));
    assert_eq!(bad_region.status.code(), Some(2));
    let plain_http = run(
        &["send", "--endpoint", "http://example.com", &file],
        Some("k"),
    );
    assert_eq!(plain_http.status.code(), Some(2));
    let same = run(&["send", "--dry-run", "--failed", &file, &file], None);
    assert_eq!(same.status.code(), Some(2), "{}", stderr(&same));
    assert_eq!(
        std::fs::read_to_string(&file).expect("input kept"),
        lines(0..2)
    );
    let missing = dir.path("missing.jsonl");
    let unreadable = run(&["validate", &missing], None);
    assert_eq!(unreadable.status.code(), Some(2));
    assert!(stderr(&unreadable).contains(&format!("cannot read {missing}")));
    let no_args = run(&["validate"], None);
    assert_eq!(no_args.status.code(), Some(2));

    let help = run(&["send", "--help"], None);
    assert_eq!(help.status.code(), Some(0));
    let help = stdout(&help);
    assert!(
        help.contains("Examples:") && help.contains("Exit codes:"),
        "{help}"
    );
    assert!(help.contains("CUSTOMERIO_API_KEY"));
}

/// Reads the child's peak resident set (VmHWM) in KiB while it is still alive.
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Streams `count` events through `send --dry-run -` and returns the peak RSS in KiB,
/// read while the process waits for more input after the last line.
fn dry_run_peak(count: usize) -> Option<u64> {
    let mut child = cio_events()
        .args(["send", "--dry-run", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start cio-events");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut chunk = String::with_capacity(1 << 20);
    for n in 0..count {
        chunk.push_str(&good(n));
        chunk.push('\n');
        if chunk.len() > (1 << 20) - 1_000 {
            stdin.write_all(chunk.as_bytes()).expect("write stdin");
            chunk.clear();
        }
    }
    stdin.write_all(chunk.as_bytes()).expect("write stdin");
    stdin.flush().expect("flush stdin");
    // Let the tool catch up with what the pipe still holds.
    std::thread::sleep(Duration::from_millis(300));
    let peak = peak_rss_kib(child.id());
    drop(stdin);
    let status = child.wait().expect("wait for cio-events");
    assert!(status.success());
    peak
}

#[test]
fn memory_stays_flat_whatever_the_input_size() {
    if !Path::new("/proc/self/status").exists() {
        return;
    }
    let started = Instant::now();
    let (small, large) = (10_000, 100_000);
    let (Some(small_peak), Some(large_peak)) = (dry_run_peak(small), dry_run_peak(large)) else {
        return;
    };
    let bytes = good(99_999).len() + 1;
    println!(
        "peak RSS: {small} events ({} MiB of input): {small_peak} KiB; {large} events ({} MiB): \
         {large_peak} KiB; {:?}",
        (small * bytes) >> 20,
        (large * bytes) >> 20,
        started.elapsed()
    );
    // Ten times the input: memory grows by far less than the input itself.
    assert!(
        large_peak < small_peak * 2 + 8 * 1024,
        "peak RSS grew with the input: {small_peak} KiB -> {large_peak} KiB"
    );
}

#[test]
fn a_failed_file_that_is_an_input_under_any_name_is_refused_untouched() {
    let dir = TempDir::new();
    let input = lines(0..5);
    let file = dir.file("events.jsonl", input.as_bytes());
    let hard = dir.path("hard-link.jsonl");
    std::fs::hard_link(&file, &hard).expect("a hard link");
    let run = |failed: &str, args: &[&str], stdin: Stdio| {
        cio_events()
            .args(["send", "--dry-run", "--failed", failed])
            .args(args)
            .stdin(stdin)
            .output()
            .expect("run cio-events")
    };
    let stdin_of = |path: &str| Stdio::from(std::fs::File::open(path).expect("open the input"));
    let mut cases = vec![
        ("standard input", run(&file, &["-"], stdin_of(&file))),
        ("a hard link", run(&hard, &[&file], Stdio::null())),
        ("a hard link on stdin", run(&hard, &["-"], stdin_of(&file))),
    ];
    #[cfg(unix)]
    {
        let soft = dir.path("soft-link.jsonl");
        std::os::unix::fs::symlink(&file, &soft).expect("a symbolic link");
        cases.push(("a symbolic link", run(&soft, &[&file], Stdio::null())));
    }
    for (case, output) in cases {
        assert_eq!(output.status.code(), Some(2), "{case}: {}", stderr(&output));
        assert!(
            stderr(&output).contains("is the same file as the input"),
            "{case}: {}",
            stderr(&output)
        );
        assert!(stdout(&output).is_empty(), "{case}: nothing is sent");
        assert_eq!(
            std::fs::read_to_string(&file).expect("the input"),
            input,
            "{case}: the input is kept"
        );
    }
    // /dev/null is no file to destroy: reading it and writing failures to it is fine.
    #[cfg(unix)]
    {
        let output = run("/dev/null", &["-"], Stdio::null());
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    }
}

/// The messageIds of the lines of a `--failed` file, in order.
fn failed_ids(path: &str) -> Vec<String> {
    std::fs::read_to_string(path)
        .expect("the failed file")
        .lines()
        .map(|line| {
            let event: Value = serde_json::from_str(line).expect("a JSON line");
            event["messageId"]
                .as_str()
                .unwrap_or_else(|| panic!("a messageId in {line}"))
                .to_owned()
        })
        .collect()
}

#[test]
fn lines_without_a_message_id_keep_one_id_however_often_they_are_sent() {
    let server = TestServer::start();
    let dir = TempDir::new();
    let viewed = r#"{"userId":"u1","event":"Product Viewed","properties":{"product_id":"p1"}}"#;
    let nulled = r#"{"userId":"u2","event":"Custom","messageId":null,"properties":{}}"#;
    // Lines 1 and 3 are equal: two events, two ids.
    let input = format!("{viewed}\n\n{}\n{viewed}\n{nulled}\n", good(7));
    let file = dir.file("events.jsonl", input.as_bytes());

    let output = send_to(&server, &[&file]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let first = accepted_ids(&server);
    assert_eq!(first.len(), 4, "{first:?}");
    assert!(first.contains("msg-7"));
    // The documented rule: UUID v5 of "<place among the file's events>:<line>".
    let namespace = uuid::uuid!("6f1c2b7e-93a4-4d5e-8c21-5a0fd3b9e742");
    for (place, line) in [(1, viewed), (3, viewed), (4, nulled)] {
        let id = uuid::Uuid::new_v5(&namespace, format!("{place}:{line}").as_bytes());
        assert!(
            first.contains(&id.to_string()),
            "{place}: {id} in {first:?}"
        );
    }

    // The whole file again (a run that crashed, a batch that timed out): the same ids.
    let output = send_to(&server, &[&file]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(server.accepted().len(), 8);
    assert_eq!(accepted_ids(&server), first, "no event got a second id");

    // Through --failed: each line is written with the id it was sent with.
    let failed = dir.path("failed.jsonl");
    let output = cio_events()
        .args([
            "send",
            "--endpoint",
            &server.base_url(),
            "--failed",
            &failed,
            &file,
        ])
        .env("CUSTOMERIO_API_KEY", "wrong-key")
        .output()
        .expect("run cio-events");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let kept = failed_ids(&failed);
    assert_eq!(kept.iter().cloned().collect::<BTreeSet<_>>(), first);
    let text = std::fs::read_to_string(&failed).expect("the failed file");
    let added = |line: &str, id: &str| {
        format!(
            "{},\"messageId\":\"{id}\"}}",
            line.strip_suffix('}').expect("an object")
        )
    };
    for (line, id) in text.lines().zip(&kept) {
        if line.contains("msg-7") {
            assert_eq!(line, good(7), "a line with its own id is kept unchanged");
        } else if line.contains("\"u1\"") {
            assert_eq!(
                line,
                added(viewed, id),
                "the id is added, the rest unchanged"
            );
        } else {
            let replaced = nulled.replace("null", &format!("\"{id}\""));
            assert_eq!(line, replaced, "a null messageId is replaced, not repeated");
        }
    }
    let again = dir.path("again.jsonl");
    let output = send_to(&server, &["--failed", &again, &failed]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(server.accepted().len(), 12);
    assert_eq!(accepted_ids(&server), first, "no event got a second id");

    // A dry run gives the same ids again, and so does a {"batch": [...]} body of the
    // same items in the same places.
    let output = cio_events()
        .args(["send", "--dry-run", &file])
        .output()
        .expect("run cio-events");
    let body = format!("{{\"batch\": [{viewed}, {}, {viewed}, {nulled}]}}", good(7));
    let batch = dir.file("body.json", body.as_bytes());
    let output_batch = cio_events()
        .args(["send", "--dry-run", &batch])
        .output()
        .expect("run cio-events");
    for output in [output, output_batch] {
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let printed: BTreeSet<String> = stdout(&output)
            .lines()
            .filter(|line| line.starts_with("{\"batch\""))
            .flat_map(|line| {
                let body: Value = serde_json::from_str(line).expect("a batch body");
                body["batch"]
                    .as_array()
                    .expect("items")
                    .iter()
                    .map(|item| item["messageId"].as_str().unwrap_or_default().to_owned())
                    .collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(printed, first);
    }
}

#[test]
fn a_closed_standard_output_stops_cleanly_with_exit_code_3() {
    let server = TestServer::start();
    let dir = TempDir::new();
    let file = dir.file("events.jsonl", lines(0..500).as_bytes());
    let failed = dir.path("failed.jsonl");
    // Standard output is a pipe whose reader has gone, as with `| head -c0`.
    let closed = |command: &mut Command| {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start cio-events");
        drop(child.stdout.take());
        child.wait_with_output().expect("run cio-events")
    };

    let output = closed(cio_events().args(["send", "--dry-run", "--failed", &failed, &file]));
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let errors = stderr(&output);
    assert!(errors.contains("standard output was closed"), "{errors}");
    assert!(!errors.contains("not delivered"), "{errors}");
    assert!(
        std::fs::read(&failed).expect("the failed file").is_empty(),
        "nothing failed: nothing was to be sent"
    );

    // A real send delivers everything; only the summary has nowhere to go.
    let output = closed(
        cio_events()
            .args(["send", "--endpoint", &server.base_url(), &file])
            .env("CUSTOMERIO_API_KEY", TEST_API_KEY),
    );
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(r#"{"read":500,"invalid":0,"delivered":500,"failed":0}"#),
        "the summary goes to standard error: {}",
        stderr(&output)
    );
    assert_eq!(accepted_ids(&server), ids(0..500));

    let bad = dir.file("bad.jsonl", "{}\n".repeat(10_000).as_bytes());
    let output = closed(cio_events().args(["validate", &bad]));
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(stderr(&output).contains("standard output was closed"));
}

/// Sends a `{"batch": [...]}` body on standard input whose second item is `size` bytes,
/// and returns the peak RSS in KiB once that item has been reported, with the output.
fn big_item_peak(server: &TestServer, failed: &str, size: usize) -> (Option<u64>, Output) {
    let mut child = cio_events()
        .args([
            "send",
            "--endpoint",
            &server.base_url(),
            "--failed",
            failed,
            "-",
        ])
        .env("CUSTOMERIO_API_KEY", TEST_API_KEY)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start cio-events");
    let mut stdin = child.stdin.take().expect("stdin");
    let head = format!("{{\"batch\": [\n{},\n", good(0));
    let open = r#"{"userId":"u","event":"Big","properties":{"p":""#;
    let close = "\"}}";
    stdin.write_all(head.as_bytes()).expect("write stdin");
    stdin.write_all(open.as_bytes()).expect("write stdin");
    let padding = size - open.len() - close.len();
    let chunk = vec![b'x'; 1 << 20];
    let mut left = padding;
    while left > 0 {
        let n = left.min(chunk.len());
        stdin.write_all(&chunk[..n]).expect("write stdin");
        left -= n;
    }
    stdin
        .write_all(format!("{close},\n{}\n", good(1)).as_bytes())
        .expect("write stdin");
    stdin.flush().expect("flush stdin");
    // Wait for the report of the item (line 3), then read the peak while the body is
    // still open.
    let mut errors = std::io::BufReader::new(child.stderr.take().expect("stderr"));
    let mut report = String::new();
    loop {
        let mut line = String::new();
        let read = std::io::BufRead::read_line(&mut errors, &mut line).expect("read stderr");
        assert!(read > 0, "no report of the big item: {report}");
        report.push_str(&line);
        if line.starts_with("<stdin>:3:") {
            break;
        }
    }
    let peak = peak_rss_kib(child.id());
    stdin.write_all(b"]}\n").expect("write stdin");
    drop(stdin);
    let mut output = child.wait_with_output().expect("run cio-events");
    std::io::Read::read_to_end(&mut errors, &mut output.stderr).expect("read stderr");
    output.stderr.splice(0..0, report.into_bytes());
    (peak, output)
}

#[test]
fn a_huge_batch_item_is_refused_while_reading_in_flat_memory() {
    let server = TestServer::start();
    let dir = TempDir::new();
    let failed = dir.path("failed.jsonl");
    let (small_peak, _) = big_item_peak(&server, &failed, 40_000);
    let size = 50_000_000;
    let (large_peak, output) = big_item_peak(&server, &failed, size);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(summary(&output), counts(3, 1, 2, 0));
    assert!(
        stderr(&output).contains(&format!(
            "<stdin>:3: item 2 of the batch is {size} bytes, over the limit of 32000 bytes per event"
        )),
        "{}",
        stderr(&output)
    );
    assert_eq!(accepted_ids(&server), ids(0..2));
    // The item is kept to fix, on one line, without having been held.
    let kept = std::fs::read(&failed).expect("the failed file");
    assert_eq!(kept.len(), size + 1);
    assert!(kept.starts_with(br#"{"userId":"u","event":"Big""#) && kept.ends_with(b"\"}}\n"));
    if let (Some(small_peak), Some(large_peak)) = (small_peak, large_peak) {
        println!("peak RSS: a 40 kB item: {small_peak} KiB; a {size}-byte item: {large_peak} KiB");
        assert!(
            large_peak < small_peak + 16 * 1024,
            "peak RSS grew with the item: {small_peak} KiB -> {large_peak} KiB"
        );
    }
}
