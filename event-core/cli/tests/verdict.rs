//! `cio-events validate` and `send --dry-run` give the library's verdict: event names
//! that almost are ecommerce events and reserved names are refused unless a flag allows
//! them, every problem of a line is reported, and pretty-printed payloads, arrays of
//! payloads and the project's fixture files are read as they are.

use std::process::Output;

use serde_json::Value;

mod common;
use common::{TempDir, cio_events, stdout};

fn run(args: &[&str]) -> Output {
    cio_events().args(args).output().expect("run cio-events")
}

fn fixtures() -> Vec<String> {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/ecommerce"
    );
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .expect("the fixtures")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .map(|path| path.to_string_lossy().into_owned())
        .collect();
    files.sort();
    files
}

#[test]
fn near_miss_and_reserved_names_are_refused_unless_allowed() {
    let dir = TempDir::new();
    let file = dir.file(
        "names.jsonl",
        b"{\"userId\":\"u\",\"event\":\"Product List Veiwed\",\"properties\":{}}\n\
          {\"userId\":\"u\",\"event\":\"User Deleted\"}\n\
          {\"userId\":\"u\",\"event\":\"Gift Card Redeemed\",\"properties\":{\"amount\":5}}\n",
    );
    let output = run(&["validate", &file]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains(&format!(
            "{file}:1: event: event name \"Product List Veiwed\" is 2 letters away from the \
             ecommerce semantic event \"Product List Viewed\": did you mean \"Product List \
             Viewed\"? If the name is deliberate, pass --allow-near-miss-names"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{file}:2: event: \"User Deleted\" is an event name Customer.io reserves for itself"
        )) && text.contains("pass --allow-reserved"),
        "{text}"
    );
    assert!(
        text.ends_with("3 event(s) read from 1 file(s): 1 valid, 2 invalid\n"),
        "{text}"
    );

    let output = run(&["validate", "--allow-near-miss-names", &file]);
    assert!(
        stdout(&output).ends_with("2 valid, 1 invalid\n"),
        "{}",
        stdout(&output)
    );
    let output = run(&["validate", "--allow-reserved", &file]);
    assert!(
        stdout(&output).ends_with("2 valid, 1 invalid\n"),
        "{}",
        stdout(&output)
    );
    let output = run(&[
        "validate",
        "--allow-reserved",
        "--allow-near-miss-names",
        &file,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));

    // send refuses them the same way.
    let output = run(&["send", "--dry-run", &file]);
    assert_eq!(output.status.code(), Some(1));
    let summary = stdout(&output);
    let summary: Value =
        serde_json::from_str(summary.lines().last().unwrap_or_default()).expect("a summary");
    assert_eq!(summary["invalid"], 2);
    assert_eq!(summary["delivered"], 1);
}

#[test]
fn a_line_reports_every_problem_it_has() {
    let dir = TempDir::new();
    let file = dir.file(
        "two.jsonl",
        b"{\"userId\":\"u\",\"event\":\"Order Completed\",\"properties\":{\"total\":\"10\",\"currency\":\"usd\",\"products\":[{\"price\":\"1\"},7]}}\n",
    );
    let output = run(&["validate", &file]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    for expected in [
        "properties.total: invalid type: string \"10\", expected a number",
        "properties.currency: must be an ISO-4217 currency code",
        "properties.products[0].price: invalid type: string \"1\", expected a number",
        "properties.products[1]: invalid type: number 7, expected a product object",
    ] {
        assert!(
            text.contains(&format!("{file}:1: {expected}")),
            "{expected}\n{text}"
        );
    }
    assert!(
        text.ends_with("1 event(s) read from 1 file(s): 0 valid, 1 invalid\n"),
        "{text}"
    );
}

#[test]
fn pretty_printed_payloads_and_arrays_validate_and_send() {
    let dir = TempDir::new();
    let pretty = dir.file(
        "one.json",
        b"{\n  \"userId\": \"u1\",\n  \"event\": \"Cart Viewed\",\n  \"properties\": {\n    \"cart_id\": \"c 1\"\n  }\n}\n",
    );
    let array = dir.file(
        "many.json",
        b"[\n  {\"userId\": \"u1\", \"event\": \"Order Completed\", \"properties\": {\"total\": 1}},\n  {\n    \"userId\": \"u2\",\n    \"event\": \"Order Completed\",\n    \"properties\": {\"currency\": \"usd\"}\n  }\n]\n",
    );
    let output = run(&["validate", &pretty]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).ends_with("1 event(s) read from 1 file(s): 1 valid, 0 invalid\n"));
    let output = run(&["validate", &array]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains(&format!("{array}:3: properties.currency: must be")),
        "{}",
        stdout(&output)
    );
    assert!(stdout(&output).ends_with("2 event(s) read from 1 file(s): 1 valid, 1 invalid\n"));

    let output = run(&["send", "--dry-run", &pretty, &array]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let mut lines = text.lines();
    let body: Value = serde_json::from_str(lines.next().unwrap_or_default()).expect("a body");
    let items = body["batch"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert_eq!(
        items[0]["properties"]["cart_id"], "c 1",
        "strings keep their spaces"
    );
    assert_eq!(items[1]["userId"], "u1");
    let summary: Value = serde_json::from_str(lines.next().unwrap_or_default()).expect("summary");
    assert_eq!(summary["delivered"], 2);
    assert_eq!(summary["invalid"], 1);
}

#[test]
fn every_fixture_file_validates_and_sends_as_it_is() {
    let files = fixtures();
    assert_eq!(files.len(), 28);
    let mut args = vec!["validate"];
    args.extend(files.iter().map(String::as_str));
    let output = run(&args);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).ends_with("28 event(s) read from 28 file(s): 28 valid, 0 invalid\n"));

    args[0] = "send";
    args.insert(1, "--dry-run");
    let output = run(&args);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let last = stdout(&output);
    let summary: Value =
        serde_json::from_str(last.lines().last().unwrap_or_default()).expect("a summary");
    assert_eq!(summary["delivered"], 28);
}
