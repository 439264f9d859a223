//! identify, group, page, screen and alias read from payloads of the documented shape:
//! each reads, writes back the same JSON, and reaches the strict loopback server as it
//! was written, alone or in a batch of all six types; payloads that break a call's
//! rules are refused with the path of the problem.

use event_core::ParseError;
use event_core::calls::{Alias, AnyCall, Call, Group, Identify, Page, Screen};
use event_tests::TestServer;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

const IDENTIFY: &str = include_str!("../fixtures/calls/identify.json");
const GROUP: &str = include_str!("../fixtures/calls/group.json");
const PAGE: &str = include_str!("../fixtures/calls/page.json");
const SCREEN: &str = include_str!("../fixtures/calls/screen.json");
const ALIAS: &str = include_str!("../fixtures/calls/alias.json");
const TRACK: &str = include_str!("../fixtures/ecommerce/cart_shared.json");

fn value(text: &str) -> Value {
    serde_json::from_str(text).expect("fixture is JSON")
}

/// Reads `text` as `C`, checks it writes back to the same JSON value, and returns it.
fn read_back<C: DeserializeOwned + Serialize>(text: &str) -> C {
    let call: C = event_core::from_json(text.as_bytes()).expect("the fixture reads");
    assert_eq!(
        serde_json::to_value(&call).expect("serializes"),
        value(text),
        "written back as read"
    );
    call
}

/// Reads `text` as `C`, queues it through a client to the strict loopback server, and
/// checks it arrives as written.
fn arrives_as_written<C: DeserializeOwned + Call>(text: &str) {
    let call: C = read_back(text);
    let server = TestServer::start();
    let (client, failures) = event_tests::blocking_client(&server, 1, 100);
    client.enqueue(&call).expect("queued");
    let items = event_tests::delivered(&server, client, &failures);
    assert_eq!(items, [value(text)]);
}

#[test]
fn identify_fixture_reads_writes_back_and_arrives_as_written() {
    arrives_as_written::<Identify>(IDENTIFY);
}

#[test]
fn group_fixture_reads_writes_back_and_arrives_as_written() {
    arrives_as_written::<Group>(GROUP);
}

#[test]
fn page_fixture_reads_writes_back_and_arrives_as_written() {
    arrives_as_written::<Page>(PAGE);
}

#[test]
fn screen_fixture_reads_writes_back_and_arrives_as_written() {
    arrives_as_written::<Screen>(SCREEN);
}

#[test]
fn alias_fixture_reads_writes_back_and_arrives_as_written() {
    arrives_as_written::<Alias>(ALIAS);
}

#[test]
fn fixtures_keep_what_the_types_model() {
    let identify: Identify = read_back(IDENTIFY);
    assert_eq!(identify.identity.user_id(), Some("97980cfea0067"));
    assert_eq!(identify.traits["address"]["city"], "San Francisco");
    assert_eq!(identify.extra["channel"], "browser");
    let group: Group = read_back(GROUP);
    assert_eq!(group.group_id.as_str(), "0e8c78ea9d97a7b8185e8632");
    let page: Page = read_back(PAGE);
    assert_eq!(page.name.as_deref(), Some("Pricing"));
    assert_eq!(page.extra["category"], "Docs");
    let screen: Screen = read_back(SCREEN);
    assert_eq!(screen.identity.user_id(), None);
    let alias: Alias = read_back(ALIAS);
    assert_eq!(alias.previous_id.as_str(), "39239-239239-239239-23923");
}

#[test]
fn a_mixed_batch_of_all_six_goes_through_one_client_as_written() {
    let texts = [TRACK, IDENTIFY, GROUP, PAGE, SCREEN, ALIAS];
    let calls: Vec<AnyCall> = texts
        .iter()
        .map(|text| read_back::<AnyCall>(text))
        .collect();
    let types: Vec<&str> = calls.iter().map(AnyCall::call_type).collect();
    assert_eq!(
        types,
        ["track", "identify", "group", "page", "screen", "alias"]
    );
    let server = TestServer::start();
    let (client, failures) = event_tests::blocking_client(&server, 1, 100);
    for call in &calls {
        client.enqueue(call).expect("queued");
    }
    let items = event_tests::delivered(&server, client, &failures);
    let expected: Vec<Value> = texts.iter().map(|text| value(text)).collect();
    assert_eq!(items, expected);
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "one batch: {requests:?}");
    assert_eq!(requests[0].path, "/v1/batch");
}

#[test]
fn any_call_reads_each_fixture_as_its_own_type() {
    assert!(matches!(
        AnyCall::from_json(IDENTIFY.as_bytes()),
        Ok(AnyCall::Identify(_))
    ));
    assert!(matches!(
        AnyCall::from_json(ALIAS.as_bytes()),
        Ok(AnyCall::Alias(_))
    ));
    // No "type", but an "event": a track call.
    let mut track = value(TRACK);
    track.as_object_mut().expect("object").remove("type");
    let text = track.to_string();
    assert!(matches!(
        AnyCall::from_json(text.as_bytes()),
        Ok(AnyCall::Track(_))
    ));
    assert!(matches!(
        serde_json::from_str::<AnyCall>(&text),
        Ok(AnyCall::Track(_))
    ));
}

/// `text` refused as `C` by `from_json`, and by `AnyCall::from_json`, at the same path.
fn refused<C: DeserializeOwned + std::fmt::Debug>(text: &str) -> ParseError {
    let error = event_core::from_json::<C>(text.as_bytes()).expect_err("refused");
    let any = AnyCall::from_json(text.as_bytes()).expect_err("refused as any call");
    assert_eq!(any.path(), error.path(), "{any}");
    error
}

#[test]
fn identify_without_ids_is_refused() {
    let error = refused::<Identify>(r#"{"type": "identify", "traits": {"plan": "pro"}}"#);
    assert_eq!(error.path(), "");
    assert!(
        error
            .message()
            .starts_with("an identify call needs a userId or an anonymousId"),
        "{error}"
    );
}

#[test]
fn alias_without_previous_id_is_refused_at_previous_id() {
    let error = refused::<Alias>(r#"{"type": "alias", "userId": "u1"}"#);
    assert_eq!(error.path(), "previousId");
    let error = refused::<Alias>(r#"{"type": "alias", "previousId": "anon_1"}"#);
    assert_eq!(error.path(), "userId");
    let error = refused::<Alias>(r#"{"type": "alias", "userId": "u1", "previousId": "   "}"#);
    assert_eq!(error.path(), "previousId");
}

#[test]
fn an_alias_keeps_its_anonymous_id() {
    // The Segment Spec's alias example carries the device's anonymousId.
    let text = r#"{"type": "alias", "userId": "u1", "previousId": "p1", "anonymousId": "a1"}"#;
    let alias: Alias = event_core::from_json(text.as_bytes()).expect("read");
    assert_eq!(
        alias.anonymous_id.as_ref().map(|id| id.as_str()),
        Some("a1")
    );
    let wire = serde_json::to_value(&alias).expect("written");
    assert_eq!(wire["anonymousId"], "a1");
    assert_eq!(wire["previousId"], "p1");
    let null = r#"{"type": "alias", "userId": "u1", "previousId": "p1", "anonymousId": null}"#;
    let alias: Alias = event_core::from_json(null.as_bytes()).expect("read");
    assert_eq!(alias.anonymous_id, None);
    let error = refused::<Alias>(
        r#"{"type": "alias", "userId": "u1", "previousId": "p1", "anonymousId": 7}"#,
    );
    assert_eq!(error.path(), "anonymousId");
}

#[test]
fn traits_and_properties_must_be_objects() {
    let error = refused::<Identify>(r#"{"type": "identify", "userId": "u1", "traits": ["vip"]}"#);
    assert_eq!(error.path(), "traits");
    assert!(
        error.message().starts_with("must be a JSON object"),
        "{error}"
    );
    let error = refused::<Group>(
        r#"{"type": "group", "userId": "u1", "groupId": "g1", "traits": "enterprise"}"#,
    );
    assert_eq!(error.path(), "traits");
    let error = refused::<Page>(r#"{"type": "page", "userId": "u1", "properties": null}"#);
    assert_eq!(error.path(), "properties");
    let error = refused::<Screen>(r#"{"type": "screen", "userId": "u1", "name": 7}"#);
    assert_eq!(error.path(), "name");
    // Left out, they read as empty objects.
    let page: Page = event_core::from_json(br#"{"type": "page", "userId": "u1"}"#).expect("reads");
    assert!(page.properties.is_empty());
    assert_eq!(page.name, None);
}

#[test]
fn a_key_twice_is_refused_at_its_object() {
    let error = refused::<Identify>(
        r#"{"type": "identify", "userId": "u1", "traits": {"plan": "pro", "plan": "free"}}"#,
    );
    assert_eq!(error.path(), "traits");
    assert!(
        error.message().starts_with("duplicate key \"plan\""),
        "{error}"
    );
    let error = refused::<Group>(
        r#"{"type": "group", "userId": "u1", "groupId": "g1", "groupId": "g2", "traits": {}}"#,
    );
    assert_eq!(error.path(), "");
    assert!(
        error.message().starts_with("duplicate key \"groupId\""),
        "{error}"
    );
    let error = refused::<Page>(
        r#"{"type": "page", "userId": "u1", "category": "Docs", "category": "Blog"}"#,
    );
    assert!(
        error.message().starts_with("duplicate key \"category\""),
        "{error}"
    );
}

#[test]
fn group_without_group_id_is_refused_at_group_id() {
    let error = refused::<Group>(r#"{"type": "group", "userId": "u1", "traits": {}}"#);
    assert_eq!(error.path(), "groupId");
    let error = refused::<Group>(r#"{"type": "group", "userId": "u1", "groupId": ""}"#);
    assert_eq!(error.path(), "groupId");
}

#[test]
fn a_call_of_another_type_is_refused_at_type() {
    let error = event_core::from_json::<Identify>(ALIAS.as_bytes()).expect_err("refused");
    assert_eq!(error.path(), "type");
    assert!(
        error
            .message()
            .starts_with(r#"expected "type": "identify", found "alias""#),
        "{error}"
    );
    // Without a "type", a single call is read as the type asked for.
    let text = r#"{"userId": "u1", "traits": {"plan": "pro"}}"#;
    assert!(event_core::from_json::<Identify>(text.as_bytes()).is_ok());
}

#[test]
fn any_call_refuses_an_unknown_type_naming_the_six() {
    let text = r#"{"type": "identity", "userId": "u1"}"#;
    let error = AnyCall::from_json(text.as_bytes()).expect_err("refused");
    assert_eq!(error.path(), "type");
    for kind in ["track", "identify", "group", "page", "screen", "alias"] {
        assert!(error.message().contains(&format!("\"{kind}\"")), "{error}");
    }
    let error = AnyCall::from_json(br#"{"userId": "u1", "traits": {}}"#).expect_err("refused");
    assert!(error.message().contains("has no \"type\""), "{error}");
    let error = serde_json::from_str::<AnyCall>(text).expect_err("refused");
    assert!(
        error.to_string().starts_with("unknown call type"),
        "{error}"
    );
}

#[test]
fn any_call_through_serde_names_the_path_in_its_message() {
    let batch = json!([
        {"type": "identify", "userId": "u1", "traits": {}},
        {"type": "alias", "userId": "u1", "previousId": "p1", "traits": {}},
        {"type": "group", "userId": "u1", "groupId": "g1", "traits": []},
    ]);
    let error = serde_json::from_value::<Vec<AnyCall>>(batch).expect_err("refused");
    assert!(
        error
            .to_string()
            .starts_with("traits: must be a JSON object"),
        "{error}"
    );
}

#[tokio::test]
async fn the_async_client_delivers_a_mixed_batch_as_written() {
    let texts = [TRACK, IDENTIFY, GROUP, PAGE, SCREEN, ALIAS];
    let server = TestServer::start();
    let (tx, failures) = std::sync::mpsc::channel();
    let transport = event_core::transport::AsyncHttpTransport::new(event_tests::http_config(
        &server,
        event_tests::TEST_API_KEY,
    ))
    .expect("transport");
    let client = event_tests::builder(1)
        .failures_to(tx)
        .build_async(transport)
        .expect("client");
    for text in texts {
        let call: AnyCall = read_back(text);
        client.enqueue(&call).await.expect("queued");
    }
    client.flush().await.expect("flushed");
    assert!(failures.try_recv().is_err(), "nothing failed");
    let expected: Vec<Value> = texts.iter().map(|text| value(text)).collect();
    assert_eq!(server.accepted(), expected);
}

#[test]
fn a_missing_field_is_named_by_the_path_in_a_track_call_too() {
    let error = event_core::from_json::<event_core::Track<event_core::EcommerceEvent>>(
        br#"{"type": "track", "userId": "u1"}"#,
    )
    .expect_err("refused");
    assert_eq!(error.path(), "event");
    assert_eq!(error.message(), "missing field `event`");
}
