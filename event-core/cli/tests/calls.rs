//! `cio-events validate` and `send` with files of all six call types (track, identify,
//! group, page, screen, alias), run as a process against the loopback Pipelines API
//! stand-in in strict mode.

use std::process::Output;

use event_tests::{TEST_API_KEY, TestServer};
use serde_json::{Value, json};

mod common;
use common::{TempDir, cio_events, stderr, stdout};

/// One valid line of each type, with messageIds `call-1` to `call-6`.
fn six_lines() -> Vec<Value> {
    let envelope = |n: usize| json!({"timestamp": "2024-01-15T10:30:00.000Z", "messageId": format!("call-{n}")});
    let mut lines = vec![
        json!({"userId": "u1", "type": "track", "event": "Product Viewed",
               "properties": {"product_id": "p1", "price": 18.99, "currency": "USD"}}),
        json!({"userId": "u1", "type": "identify",
               "traits": {"email": "ada@example.com", "plan": "pro"}}),
        json!({"userId": "u1", "type": "group", "groupId": "acme", "traits": {"name": "Acme"}}),
        json!({"anonymousId": "anon_1", "type": "page", "name": "Pricing",
               "properties": {"path": "/pricing"}, "category": "Docs"}),
        json!({"userId": "u1", "type": "screen", "name": "Home", "properties": {}}),
        json!({"userId": "u1", "type": "alias", "previousId": "anon_1"}),
    ];
    for (n, line) in lines.iter_mut().enumerate() {
        let object = line.as_object_mut().expect("an object");
        for (key, value) in envelope(n + 1).as_object().expect("an object") {
            object.insert(key.clone(), value.clone());
        }
    }
    lines
}

fn jsonl(lines: &[Value]) -> String {
    lines.iter().map(|line| format!("{line}\n")).collect()
}

fn send_to(server: &TestServer, args: &[&str]) -> Output {
    cio_events()
        .arg("send")
        .args(["--endpoint", &server.base_url(), "--max-attempts", "4"])
        .args(args)
        .env("CUSTOMERIO_API_KEY", TEST_API_KEY)
        .output()
        .expect("run cio-events")
}

fn validate(file: &str) -> Output {
    cio_events()
        .args(["validate", file])
        .output()
        .expect("run cio-events")
}

/// The final JSON summary line of `send`.
fn summary(output: &Output) -> Value {
    let text = stdout(output);
    let last = text.lines().last().unwrap_or_default();
    serde_json::from_str(last).unwrap_or_else(|error| panic!("summary {last:?}: {error}"))
}

#[test]
fn a_file_of_all_six_types_validates_and_is_delivered_as_written() {
    let server = TestServer::start();
    let dir = TempDir::new();
    let lines = six_lines();
    let file = dir.file("calls.jsonl", jsonl(&lines).as_bytes());

    let output = validate(&file);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(
        stdout(&output).trim(),
        "6 event(s) read from 1 file(s): 6 valid, 0 invalid"
    );

    let output = send_to(&server, &[&file]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        summary(&output),
        json!({"read": 6, "invalid": 0, "delivered": 6, "failed": 0})
    );
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.strict && r.status == 200)
    );
    let mut accepted = server.accepted();
    accepted.sort_by_key(|item| item["messageId"].as_str().map(str::to_owned));
    assert_eq!(accepted, lines, "each call arrives as written");
}

#[test]
fn a_batch_body_of_all_six_types_is_read_item_by_item() {
    let server = TestServer::start();
    let dir = TempDir::new();
    let lines = six_lines();
    let body = serde_json::to_string_pretty(&json!({"batch": lines})).expect("JSON");
    let file = dir.file("batch.json", body.as_bytes());
    let output = validate(&file);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let output = send_to(&server, &[&file]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(server.accepted().len(), 6);
}

/// A bad identify (traits an array, a timestamp that is no date, no id) and a bad
/// alias (an anonymousId that is a number, no previousId), between good lines.
fn bad_file(dir: &TempDir) -> (String, [String; 2]) {
    let identify =
        r#"{"type":"identify","traits":["vip"],"timestamp":"yesterday","messageId":"bad-1"}"#;
    let alias = r#"{"type":"alias","userId":"u1","anonymousId":7,"messageId":"bad-2"}"#;
    let good = six_lines();
    let text = format!("{}\n{identify}\n{}\n{alias}\n", good[1], good[5]);
    (
        dir.file("bad.jsonl", text.as_bytes()),
        [identify.to_owned(), alias.to_owned()],
    )
}

/// The problems reported for line `line` of `file` in `text`, without the place.
fn problems_of(text: &str, file: &str, line: usize) -> Vec<String> {
    let prefix = format!("{file}:{line}: ");
    text.lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .map(str::to_owned)
        .collect()
}

fn assert_bad_lines_reported(text: &str, file: &str) {
    let identify = problems_of(text, file, 2);
    assert_eq!(identify.len(), 3, "{text}");
    assert!(
        identify[0].starts_with("traits: must be a JSON object"),
        "{text}"
    );
    assert!(identify[1].starts_with("timestamp: "), "{text}");
    assert!(
        identify[2].starts_with("an identify call needs a userId or an anonymousId"),
        "{text}"
    );
    let alias = problems_of(text, file, 4);
    assert_eq!(alias.len(), 2, "{text}");
    assert!(alias[0].starts_with("anonymousId: "), "{text}");
    assert!(alias[1].starts_with("previousId: missing field"), "{text}");
    assert!(problems_of(text, file, 1).is_empty(), "{text}");
    assert!(problems_of(text, file, 3).is_empty(), "{text}");
}

#[test]
fn validate_reports_every_problem_of_a_bad_identify_and_a_bad_alias() {
    let dir = TempDir::new();
    let (file, _) = bad_file(&dir);
    let output = validate(&file);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert_bad_lines_reported(&text, &file);
    assert!(
        text.ends_with("4 event(s) read from 1 file(s): 2 valid, 2 invalid\n"),
        "{text}"
    );
}

#[test]
fn send_keeps_a_bad_identify_and_a_bad_alias_in_the_failed_file() {
    let server = TestServer::start();
    let dir = TempDir::new();
    let (file, bad) = bad_file(&dir);
    let failed = dir.path("failed.jsonl");
    let output = send_to(&server, &["--failed", &failed, &file]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(
        summary(&output),
        json!({"read": 4, "invalid": 2, "delivered": 2, "failed": 0})
    );
    assert_bad_lines_reported(&stderr(&output), &file);
    let kept = std::fs::read_to_string(&failed).expect("the failed file");
    assert_eq!(kept, format!("{}\n{}\n", bad[0], bad[1]));
    let mut ids = server.accepted_ids();
    ids.sort();
    assert_eq!(ids, ["call-2", "call-6"]);
}
