//! `cio-events validate --plan`: each line is checked against a tracking plan's JSON
//! Schemas as well as the built-in checks, and every mistake is reported with its path.

#![allow(clippy::unwrap_used)]

use std::process::{Command, Output};

fn plan_file() -> String {
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/ui/plans/shop.json"
    )
    .to_owned()
}

fn validate(args: &[&str], lines: &str) -> Output {
    let dir = std::env::temp_dir().join(format!("cio-events-plan-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("events-{}.jsonl", lines.len()));
    std::fs::write(&file, lines).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_cio-events"))
        .arg("validate")
        .args(args)
        .arg(&file)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&file);
    output
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn every_mistake_against_the_plan_is_reported_with_its_path() {
    let lines = concat!(
        r#"{"type":"track","event":"Signup Completed","userId":"u1","properties":{"plan":"pro","email":"a@example.com","age":30,"newsletter":true}}"#,
        "\n",
        // A misspelled property is fine to JSON Schema unless the plan forbids others:
        // Article Read does.
        r#"{"type":"track","event":"Article Read","userId":"u1","properties":{"article_id":"a1","aricle_id":"a1"}}"#,
        "\n",
        r#"{"type":"track","event":"Signup Completed","userId":"u1","properties":{"plan":"pro","age":"thirty"}}"#,
        "\n",
        r#"{"type":"track","event":"Subscription Started","userId":"u1","properties":{"price":-1}}"#,
        "\n",
        r#"{"type":"track","event":"Signup Complete","userId":"u1","properties":{}}"#,
        "\n",
    );
    let output = validate(&["--plan", &plan_file()], lines);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(
        !out.contains(":1:"),
        "the first line follows the plan: {out}"
    );
    for expected in [
        ":2: properties: does not follow the tracking plan: additionalProperties 'aricle_id' not allowed",
        ":3: properties.age: does not follow the tracking plan:",
        ":4: properties.subscription_id: the tracking plan requires this property, and it is missing",
        ":4: properties.price: does not follow the tracking plan: must be >=0",
        ":5: event: the event \"Signup Complete\" is not in the tracking plan: did you mean \"Signup Completed\"?",
        "5 event(s) read from 1 file(s): 1 valid, 4 invalid",
    ] {
        assert!(out.contains(expected), "{expected:?} missing from:\n{out}");
    }
}

#[test]
fn without_a_plan_the_same_file_only_gets_the_built_in_checks() {
    let lines = r#"{"type":"track","event":"Signup Completed","userId":"u1","properties":{"age":"thirty"}}"#;
    let output = validate(&[], lines);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn an_unreadable_plan_is_a_usage_error() {
    let dir = std::env::temp_dir();
    let broken = dir.join(format!(
        "cio-events-broken-plan-{}.json",
        std::process::id()
    ));
    std::fs::write(
        &broken,
        r#"{"rules": {"events": [{"name": "A", "rules": {"type": "strin"}}]}}"#,
    )
    .unwrap();
    let output = validate(&["--plan", broken.to_str().unwrap()], "{}\n");
    let _ = std::fs::remove_file(&broken);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("the schema of \"A\""), "{stderr}");
    let output = validate(&["--plan", "/nonexistent/plan.json"], "{}\n");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read the plan"));
}
