//! identify, group, page, screen and alias: each through the batching client to the
//! loopback server in strict mode, in the wire shape the server checks; and the shapes
//! the server refuses.

use event_core::calls::{Alias, Group, Identify, Page, Screen};
use event_core::client::ClientError;
use event_core::transport::{Endpoint, HttpTransport, Request, TransportError};
use event_core::{Id, Identity, Transport};
use event_tests::{TEST_API_KEY, TestEvent, TestServer, http_config};
use serde_json::{Value, json};

fn user() -> Identity {
    Identity::user("user_1").expect("valid id")
}

fn id(text: &str) -> Id {
    Id::new(text).expect("valid id")
}

/// The one item accepted, its envelope checked: ids, type, messageId, a timestamp, and
/// this library named in the context.
fn only(items: &[Value], kind: &str, message_id: &str) -> Value {
    assert_eq!(items.len(), 1, "{items:?}");
    let item = items[0].clone();
    assert_eq!(item["type"], kind);
    assert_eq!(item["messageId"], message_id);
    assert!(item["timestamp"].is_string(), "{item}");
    assert_eq!(item["context"]["library"]["name"], "event-core");
    item
}

#[test]
fn identify_reaches_the_server_with_its_traits() {
    let server = TestServer::start();
    let (client, failures) = event_tests::blocking_client(&server, 1, 100);
    let traits = json!({"email": "ada@example.com", "name": "Ada", "plan": "pro"});
    let message_id = client.identify(user(), traits.clone()).expect("queued");
    let items = event_tests::delivered(&server, client, &failures);
    let item = only(&items, "identify", message_id.as_str());
    assert_eq!(item["userId"], "user_1");
    assert_eq!(item["traits"], traits);
}

#[test]
fn group_reaches_the_server_with_its_group_id_and_traits() {
    let server = TestServer::start();
    let (client, failures) = event_tests::blocking_client(&server, 1, 100);
    let message_id = client
        .group(
            Identity::anonymous("anon_1").expect("valid id"),
            id("acme"),
            json!({"name": "Acme", "employees": 120}),
        )
        .expect("queued");
    let items = event_tests::delivered(&server, client, &failures);
    let item = only(&items, "group", message_id.as_str());
    assert_eq!(item["anonymousId"], "anon_1");
    assert_eq!(item.get("userId"), None);
    assert_eq!(item["groupId"], "acme");
    assert_eq!(item["traits"], json!({"name": "Acme", "employees": 120}));
}

#[test]
fn page_reaches_the_server_with_its_name_and_properties() {
    let server = TestServer::start();
    let (client, failures) = event_tests::blocking_client(&server, 1, 100);
    let message_id = client
        .page(user(), "Pricing", json!({"path": "/pricing"}))
        .expect("queued");
    let items = event_tests::delivered(&server, client, &failures);
    let item = only(&items, "page", message_id.as_str());
    assert_eq!(item["name"], "Pricing");
    assert_eq!(item["properties"], json!({"path": "/pricing"}));
}

#[test]
fn screen_reaches_the_server_with_its_name_and_properties() {
    let server = TestServer::start();
    let (client, failures) = event_tests::blocking_client(&server, 1, 100);
    let message_id = client
        .screen(user(), "Settings", json!({"tab": "billing"}))
        .expect("queued");
    let items = event_tests::delivered(&server, client, &failures);
    let item = only(&items, "screen", message_id.as_str());
    assert_eq!(item["name"], "Settings");
    assert_eq!(item["properties"], json!({"tab": "billing"}));
}

#[test]
fn alias_reaches_the_server_with_user_id_and_previous_id() {
    let server = TestServer::start();
    let (client, failures) = event_tests::blocking_client(&server, 1, 100);
    let message_id = client.alias(id("user_1"), id("anon_1")).expect("queued");
    let items = event_tests::delivered(&server, client, &failures);
    let item = only(&items, "alias", message_id.as_str());
    assert_eq!(item["userId"], "user_1");
    assert_eq!(item["previousId"], "anon_1");
    assert_eq!(item.get("anonymousId"), None);
}

#[test]
fn all_six_calls_go_in_one_batch_and_keep_their_built_envelopes() {
    let server = TestServer::start();
    let (client, failures) = event_tests::blocking_client(&server, 1, 100);
    let unnamed = Page {
        name: None,
        ..Page::new(user(), "x", json!({}))
    };
    let ids = [
        client.track(user(), TestEvent::new(1, 0)).expect("queued"),
        client
            .identify(user(), json!({"email": "ada@example.com"}))
            .expect("queued"),
        client.group(user(), id("acme"), json!({})).expect("queued"),
        client.screen(user(), "Home", json!({})).expect("queued"),
        client.alias(id("user_1"), id("anon_1")).expect("queued"),
    ];
    let built = Identify::new(user(), json!({"name": "Ada"})).timestamp(None);
    client.enqueue(&built).expect("queued");
    client.enqueue(&unnamed).expect("queued");
    let items = event_tests::delivered(&server, client, &failures);

    let requests = server.requests();
    assert_eq!(requests.len(), 1, "one batch: {requests:?}");
    assert_eq!(requests[0].path, "/v1/batch");
    let kinds: Vec<&str> = items
        .iter()
        .filter_map(|item| item["type"].as_str())
        .collect();
    assert_eq!(
        kinds,
        [
            "track", "identify", "group", "screen", "alias", "identify", "page"
        ]
    );
    let sent: Vec<&str> = items
        .iter()
        .filter_map(|item| item["messageId"].as_str())
        .collect();
    let mut expected: Vec<&str> = ids.iter().map(|id| id.as_str()).collect();
    expected.push(built.message_id.as_str());
    expected.push(unnamed.message_id.as_str());
    assert_eq!(sent, expected);
    assert_eq!(items[5].get("timestamp"), None, "no timestamp was set");
    assert_eq!(
        items[6].get("name"),
        None,
        "a page without a name leaves it out"
    );
}

#[test]
fn the_client_refuses_invalid_calls_before_queuing() {
    let server = TestServer::start();
    let (client, _failures) = event_tests::blocking_client(&server, 1, 100);
    let blank = Screen::new(user(), "  ", json!({}));
    let Err(ClientError::Invalid(errors)) = client.enqueue(&blank) else {
        panic!("a blank screen name is refused");
    };
    assert_eq!(errors.iter().next().map(|e| e.path()), Some("name"));

    let mut shadowing = Group::new(user(), id("acme"), json!({}));
    shadowing.extra.insert("groupId".into(), json!("other"));
    shadowing.extra.insert("sentAt".into(), json!("yesterday"));
    let Err(ClientError::Invalid(errors)) = client.enqueue(&shadowing) else {
        panic!("an extra entry shadowing groupId is refused");
    };
    let paths: Vec<&str> = errors.iter().map(|e| e.path()).collect();
    assert_eq!(paths, ["groupId", "sentAt"]);

    let mut aliased = Alias::new(id("user_1"), id("anon_1"));
    aliased.extra.insert("previousId".into(), json!("x"));
    assert!(matches!(
        client.enqueue(&aliased),
        Err(ClientError::Invalid(_))
    ));
    client.close();
    assert!(server.requests().is_empty(), "nothing was sent");
}

#[test]
fn the_strict_server_refuses_each_call_missing_what_it_needs() {
    let server = TestServer::start();
    let transport = HttpTransport::new(http_config(&server, TEST_API_KEY)).expect("transport");
    let envelope = |mut call: Value| {
        call["messageId"] = json!("m1");
        call
    };
    let refused = [
        (
            json!({"type": "identify", "traits": {}}),
            "userId or anonymousId",
        ),
        (
            json!({"type": "identify", "userId": "u", "traits": "ada"}),
            "traits must be an object",
        ),
        (
            json!({"type": "group", "userId": "u", "traits": {}}),
            "groupId",
        ),
        (json!({"type": "page", "userId": "u", "name": ""}), "name"),
        (
            json!({"type": "screen", "userId": "u", "properties": []}),
            "properties must be an object",
        ),
        (
            json!({"type": "alias", "anonymousId": "a", "previousId": "p"}),
            "userId is required",
        ),
        (json!({"type": "alias", "userId": "u"}), "previousId"),
        (
            json!({"type": "trak", "userId": "u", "event": "E"}),
            "type must be one of",
        ),
    ];
    for (call, expected) in refused {
        let body = serde_json::to_vec(&json!({"batch": [envelope(call.clone())]})).expect("json");
        let result = transport.send(Request {
            endpoint: Endpoint::Batch,
            body: &body,
        });
        let Err(TransportError::Rejected { messages, .. }) = result else {
            panic!("{call} should be refused, got {result:?}");
        };
        assert!(
            messages.iter().any(|message| message.contains(expected)),
            "{call}: {messages:?} should mention {expected:?}"
        );
    }
    let good = json!({"batch": [
        envelope(json!({"type": "identify", "userId": "u"})),
        envelope(json!({"type": "group", "userId": "u", "groupId": "g"})),
        envelope(json!({"type": "page", "anonymousId": "a"})),
        envelope(json!({"type": "screen", "userId": "u", "name": "Home", "properties": {}})),
        envelope(json!({"type": "alias", "userId": "u", "previousId": "p"})),
    ]});
    let body = serde_json::to_vec(&good).expect("json");
    transport
        .send(Request {
            endpoint: Endpoint::Batch,
            body: &body,
        })
        .expect("the minimal shapes are accepted");
    assert_eq!(server.accepted().len(), 5);
}

#[tokio::test]
async fn the_async_client_sends_the_five_calls_too() {
    let server = TestServer::start();
    let (tx, failures) = std::sync::mpsc::channel();
    let transport =
        event_core::transport::AsyncHttpTransport::new(http_config(&server, TEST_API_KEY))
            .expect("transport");
    let client = event_tests::builder(1)
        .failures_to(tx)
        .build_async(transport)
        .expect("client");
    client
        .identify(user(), json!({"name": "Ada"}))
        .await
        .expect("queued");
    client
        .group(user(), id("acme"), json!({}))
        .await
        .expect("queued");
    client
        .page(user(), "Pricing", json!({}))
        .await
        .expect("queued");
    client
        .screen(user(), "Home", json!({}))
        .await
        .expect("queued");
    client
        .alias(id("user_1"), id("anon_1"))
        .await
        .expect("queued");
    client.flush().await.expect("flushed");
    assert!(failures.try_recv().is_err(), "nothing failed");
    let kinds: Vec<String> = server
        .accepted()
        .iter()
        .filter_map(|item| item["type"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(kinds, ["identify", "group", "page", "screen", "alias"]);
}

/// One call of each type, built by the library, with its endpoint.
fn one_of_each() -> Vec<(Endpoint, Vec<u8>)> {
    vec![
        (
            Endpoint::Track,
            body(&event_core::Track::new(user(), TestEvent::new(1, 0))),
        ),
        (
            Endpoint::Identify,
            body(&Identify::new(user(), json!({"email": "ada@example.com"}))),
        ),
        (
            Endpoint::Group,
            body(&Group::new(user(), id("acme"), json!({"name": "Acme"}))),
        ),
        (
            Endpoint::Page,
            body(&Page::new(user(), "Pricing", json!({"path": "/pricing"}))),
        ),
        (
            Endpoint::Screen,
            body(&Screen::new(user(), "Home", json!({}))),
        ),
        (
            Endpoint::Alias,
            body(&Alias::new(id("user_1"), id("anon_1"))),
        ),
    ]
}

/// `call` as the library writes it.
fn body<T: serde::Serialize>(call: &T) -> Vec<u8> {
    let mut out = Vec::new();
    event_core::write_json(&mut out, call).expect("serializes");
    out
}

/// The path, type and accepted count the server saw for single-call posts.
fn check_single_posts(server: &TestServer) {
    let requests = server.requests();
    let paths: Vec<&str> = requests.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/v1/track",
            "/v1/identify",
            "/v1/group",
            "/v1/page",
            "/v1/screen",
            "/v1/alias"
        ]
    );
    assert!(
        requests.iter().all(|r| r.strict && r.status == 200),
        "{requests:?}"
    );
    let kinds: Vec<Value> = server
        .accepted()
        .iter()
        .map(|i| i["type"].clone())
        .collect();
    assert_eq!(
        kinds,
        ["track", "identify", "group", "page", "screen", "alias"].map(|k| json!(k))
    );
}

#[test]
fn each_call_can_be_posted_alone_to_its_own_path() {
    let server = TestServer::start();
    let transport = HttpTransport::new(http_config(&server, TEST_API_KEY)).expect("transport");
    for (endpoint, body) in one_of_each() {
        transport
            .send(Request {
                endpoint,
                body: &body,
            })
            .unwrap_or_else(|error| panic!("{endpoint:?}: {error}"));
    }
    check_single_posts(&server);
}

#[tokio::test]
async fn the_async_transport_posts_each_call_to_its_own_path() {
    use event_core::transport::{AsyncHttpTransport, AsyncTransport};
    let server = TestServer::start();
    let transport = AsyncHttpTransport::new(http_config(&server, TEST_API_KEY)).expect("transport");
    for (endpoint, body) in one_of_each() {
        transport
            .send(Request {
                endpoint,
                body: &body,
            })
            .await
            .unwrap_or_else(|error| panic!("{endpoint:?}: {error}"));
    }
    check_single_posts(&server);
}

#[test]
fn a_call_posted_to_another_types_path_is_refused() {
    let server = TestServer::start();
    let transport = HttpTransport::new(http_config(&server, TEST_API_KEY)).expect("transport");
    let identify = body(&Identify::new(user(), json!({})));
    let result = transport.send(Request {
        endpoint: Endpoint::Alias,
        body: &identify,
    });
    let Err(TransportError::Rejected { messages, .. }) = result else {
        panic!("an identify posted to /v1/alias is refused, got {result:?}");
    };
    assert!(
        messages.iter().any(|m| m.contains("/v1/alias")),
        "{messages:?}"
    );
    assert!(server.accepted().is_empty());
}

#[test]
fn traits_and_properties_that_are_not_objects_are_refused_before_queuing() {
    let server = TestServer::start();
    let (client, _failures) = event_tests::blocking_client(&server, 1, 100);
    let refused = |result: Result<event_core::MessageId, ClientError>| match result {
        Err(ClientError::Invalid(errors)) => errors
            .iter()
            .map(|e| format!("{} {}", e.path(), e.code()))
            .collect::<Vec<_>>(),
        other => panic!("refused, got {other:?}"),
    };
    assert_eq!(
        refused(client.identify(user(), json!("ada@example.com"))),
        ["traits not_object"]
    );
    assert_eq!(
        refused(client.group(user(), id("acme"), json!(["Acme"]))),
        ["traits not_object"]
    );
    assert_eq!(
        refused(client.page(user(), "Pricing", json!(null))),
        ["properties not_object"]
    );
    assert_eq!(
        refused(client.screen(user(), "Home", json!(42))),
        ["properties not_object"]
    );
    // Objects of every shape are fine: a struct (here unchecked while compiling), a map,
    // a JSON object.
    #[derive(serde::Serialize, event_core::Validate)]
    struct Plan {
        plan: &'static str,
    }
    client
        .identify(user(), event_core::spec::Unchecked(Plan { plan: "pro" }))
        .expect("a struct");
    let logins: std::collections::BTreeMap<String, u32> = [("logins".to_owned(), 5)].into();
    client.identify(user(), logins).expect("a map");
    client
        .page(user(), "Pricing", json!({"path": "/pricing"}))
        .expect("a JSON object");
    client.flush().expect("flushed");
    client.close();
    assert_eq!(server.accepted().len(), 3, "only the objects were sent");
}
