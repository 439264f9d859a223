//! The properties the fuzz targets check, shared word for word with the regression tests
//! (`tests/tests/fuzz_regressions.rs` includes this file with `#[path]`), so a crash
//! input kept in `tests/fuzz/regressions/` is replayed in CI exactly as it was found.
//!
//! For any bytes:
//! - reading them as a track payload or a batch body never panics, and neither does
//!   validating or displaying what comes out (the value or the error);
//! - whatever parsed serializes without error, reads back, and writes the same JSON the
//!   second time (the first write may normalise: a missing messageId gets one, `null`
//!   properties are dropped, `1.0` becomes `1`);
//! - whatever parsed *and validated* stays valid through the round trip, and its wire
//!   JSON keeps the rules the strict server enforces on every item (see [`wire_rules`]).

// Each fuzz target uses one entry point; the regression tests use them all.
#![allow(dead_code)]

use event_core::ecommerce::EcommerceEvent;
use event_core::{Batch, Track, Validate, from_json};

/// A track payload: `POST /v1/track`'s body, or one item of a batch.
pub fn track(data: &[u8]) {
    let track = match from_json::<Track<EcommerceEvent>>(data) {
        Ok(track) => track,
        Err(error) => {
            // The error path reads the payload again for the event name: no panic there.
            let _ = (error.to_string(), error.path(), error.event());
            return;
        }
    };
    let valid = validated(&track);
    let json = serde_json::to_vec(&track)
        .unwrap_or_else(|error| panic!("a parsed track does not serialize: {error}"));
    let again = reparse::<Track<EcommerceEvent>>(&json);
    assert_same_json(&json, &again);
    if valid {
        assert!(
            validated(&again),
            "a valid track is no longer valid after the round trip: {}",
            String::from_utf8_lossy(&json)
        );
        wire_rules(&json);
    }
}

/// A batch body: `POST /v1/batch`'s `{"batch": [...], "sentAt": "..."}`.
pub fn batch(data: &[u8]) {
    let batch = match from_json::<Batch<Track<EcommerceEvent>>>(data) {
        Ok(batch) => batch,
        Err(error) => {
            let _ = (error.to_string(), error.path(), error.event());
            return;
        }
    };
    let valid: Vec<bool> = batch.iter().map(validated).collect();
    let json = serde_json::to_vec(&batch)
        .unwrap_or_else(|error| panic!("a parsed batch does not serialize: {error}"));
    let again = reparse::<Batch<Track<EcommerceEvent>>>(&json);
    assert_same_json(&json, &again);
    assert_eq!(again.len(), batch.len(), "the batch lost or gained items");
    for ((item, was_valid), written) in again.iter().zip(valid).zip(items_of(&json)) {
        if was_valid {
            assert!(
                validated(item),
                "a valid batch item is no longer valid after the round trip: {written}"
            );
            wire_rules(written.as_bytes());
        }
    }
}

/// A `Retry-After` header value: parsing it never panics, and the wait it gives is
/// finite (it is capped later by the retry policy).
pub fn retry_after(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = event_core::transport::parse_retry_after(text);
    }
}

/// Validates, also displaying the errors (their `Display` must not panic either).
fn validated<T: Validate>(value: &T) -> bool {
    match value.validate() {
        Ok(()) => true,
        Err(errors) => {
            let _ = errors.to_string();
            false
        }
    }
}

fn reparse<T: serde::de::DeserializeOwned>(json: &[u8]) -> T {
    from_json::<T>(json).unwrap_or_else(|error| {
        panic!(
            "what was written does not read back: {error}\n{}",
            String::from_utf8_lossy(json)
        )
    })
}

fn assert_same_json<T: serde::Serialize>(first: &[u8], again: &T) {
    let second = serde_json::to_vec(again)
        .unwrap_or_else(|error| panic!("a re-read value does not serialize: {error}"));
    assert!(
        first == second.as_slice(),
        "written twice, the JSON differs:\n first: {}\nsecond: {}",
        String::from_utf8_lossy(first),
        String::from_utf8_lossy(&second)
    );
}

/// The batch's items as they were written.
fn items_of(json: &[u8]) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_slice(json).unwrap_or_default();
    value["batch"]
        .as_array()
        .map(|items| items.iter().map(ToString::to_string).collect())
        .unwrap_or_default()
}

/// What the loopback server (and the real API in strict mode) checks on every item:
/// `"type": "track"`, a non-empty `"event"`, a non-empty `userId` or `anonymousId`, and a
/// `messageId` of 1 to 100 characters. An event that validation accepted must pass.
pub fn wire_rules(item: &[u8]) {
    let value: serde_json::Value = serde_json::from_slice(item)
        .unwrap_or_else(|error| panic!("the item is not JSON: {error}"));
    let shown = String::from_utf8_lossy(item);
    assert_eq!(value["type"], "track", "no \"type\": \"track\": {shown}");
    let non_empty = |key: &str| value[key].as_str().is_some_and(|text| !text.is_empty());
    assert!(
        non_empty("event"),
        "validation accepted an event whose name is empty: {shown}"
    );
    assert!(
        non_empty("userId") || non_empty("anonymousId"),
        "validation accepted an event with no userId or anonymousId: {shown}"
    );
    let message_id = value["messageId"].as_str().unwrap_or_default();
    let chars = message_id.chars().count();
    assert!(
        (1..=100).contains(&chars),
        "validation accepted a messageId of {chars} characters: {shown}"
    );
}
