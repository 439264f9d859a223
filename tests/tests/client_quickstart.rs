//! The quickstart example, run as a process.
//!
//! The example's source is also a `[[bin]]` of this crate (see tests/Cargo.toml), so
//! cargo builds it before these tests and `CARGO_BIN_EXE_quickstart` names it: no cargo
//! run inside the test, no build-lock contention.

use std::process::Command;

use event_tests::{ServerConfig, TEST_API_KEY, TestServer};
use serde_json::Value;

fn quickstart() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_quickstart"));
    for var in [
        "CUSTOMERIO_API_KEY",
        "CUSTOMERIO_REGION",
        "CUSTOMERIO_ENDPOINT",
        "CUSTOMERIO_STRICT",
    ] {
        command.env_remove(var);
    }
    command
}

fn check_seed(mut event: Value) {
    let message_id = event
        .as_object_mut()
        .and_then(|o| o.remove("messageId"))
        .expect("a messageId");
    assert!(message_id.as_str().is_some_and(|id| !id.is_empty()));
    assert_eq!(event, event_tests::seed_body());
}

/// The person is identified, with their typed traits, before anything is tracked.
fn check_identify(call: &Value) {
    assert_eq!(call["type"], "identify");
    assert_eq!(call["userId"], "user_12345");
    assert_eq!(
        call["traits"],
        serde_json::json!({
            "email": "ada@example.com",
            "firstName": "Ada",
            "created_at": 1_705_314_600,
            "plan": "pro"
        })
    );
}

#[test]
fn sends_the_seed_payload_to_the_server() {
    let server = TestServer::start();
    let output = quickstart()
        .env("CUSTOMERIO_API_KEY", TEST_API_KEY)
        .env("CUSTOMERIO_ENDPOINT", server.base_url())
        .output()
        .expect("run the quickstart");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains(TEST_API_KEY));
    let accepted = server.accepted();
    assert_eq!(accepted.len(), 3);
    check_identify(&accepted[0]);
    assert_eq!(accepted[1]["event"], "Quickstart Completed");
    check_seed(accepted[2].clone());
    assert!(server.requests().iter().all(|r| r.strict));
}

#[test]
fn strict_mode_can_be_turned_off() {
    let server = TestServer::start();
    let output = quickstart()
        .env("CUSTOMERIO_API_KEY", TEST_API_KEY)
        .env("CUSTOMERIO_ENDPOINT", server.base_url())
        .env("CUSTOMERIO_STRICT", "0")
        .output()
        .expect("run the quickstart");
    assert!(output.status.success());
    assert!(server.requests().iter().all(|r| !r.strict));
}

#[test]
fn without_a_key_it_writes_json_lines() {
    let output = quickstart().output().expect("run the quickstart");
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    let lines: Vec<Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON per line"))
        .collect();
    assert_eq!(lines.len(), 3);
    check_identify(&lines[0]);
    check_seed(lines[2].clone());
}

#[test]
fn a_refused_key_exits_non_zero_saying_why() {
    let server = TestServer::start_with(ServerConfig {
        api_key: "another-key".into(),
        ..ServerConfig::default()
    });
    let output = quickstart()
        .env("CUSTOMERIO_API_KEY", TEST_API_KEY)
        .env("CUSTOMERIO_ENDPOINT", server.base_url())
        .output()
        .expect("run the quickstart");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("refused the API key"), "{stderr}");
    assert!(!stderr.contains(TEST_API_KEY));
}

#[test]
fn plain_http_off_loopback_is_refused() {
    let output = quickstart()
        .env("CUSTOMERIO_API_KEY", TEST_API_KEY)
        .env("CUSTOMERIO_ENDPOINT", "http://cdp.customer.io")
        .output()
        .expect("run the quickstart");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("refusing plain http://"));
}
