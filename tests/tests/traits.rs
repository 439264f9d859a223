//! Typed traits of identify and group calls, through the blocking client to the
//! loopback server in strict mode: they arrive as written, and a bad reserved `email`
//! is refused before anything is queued.

use event_core::calls::Identify;
use event_core::client::ClientError;
use event_core::{Id, Identity, Traits};
use event_tests::TestServer;
use serde::Serialize;
use serde_json::json;

#[derive(Serialize, Traits)]
#[serde(rename_all = "camelCase")]
struct Person {
    email: String,
    first_name: String,
    #[serde(rename = "created_at")]
    created: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    age: Option<u8>,
    favourite_colour: String,
}

#[derive(Serialize, Traits)]
#[semantic_event(group)]
struct Company {
    name: String,
    employees: u32,
    email: Option<String>,
    #[semantic_event(custom)]
    industri_code: String,
}

fn ada(email: &str) -> Person {
    Person {
        email: email.into(),
        first_name: "Ada".into(),
        created: 1_700_000_000,
        age: None,
        favourite_colour: "green".into(),
    }
}

fn initech(email: Option<&str>) -> Company {
    Company {
        name: "Initech".into(),
        employees: 120,
        email: email.map(Into::into),
        industri_code: "5112".into(),
    }
}

fn user() -> Identity {
    Identity::user("user_1").expect("valid id")
}

#[test]
fn identify_with_derived_traits_arrives_as_written() {
    let server = TestServer::start();
    let (client, failures) = event_tests::blocking_client(&server, 1, 100);
    let message_id = client
        .identify(user(), ada("ada@example.com"))
        .expect("queued");
    let items = event_tests::delivered(&server, client, &failures);
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["type"], "identify");
    assert_eq!(items[0]["messageId"], message_id.as_str());
    assert_eq!(
        items[0]["traits"],
        json!({
            "email": "ada@example.com",
            "firstName": "Ada",
            "created_at": 1_700_000_000,
            "favouriteColour": "green",
        })
    );
}

#[test]
fn a_bad_reserved_email_is_refused_before_queueing() {
    let server = TestServer::start();
    let (client, failures) = event_tests::blocking_client(&server, 1, 100);
    let Err(ClientError::Invalid(errors)) = client.identify(user(), ada("ada.example.com")) else {
        panic!("an identify call with a bad email is refused");
    };
    let paths: Vec<&str> = errors.iter().map(|error| error.path()).collect();
    assert_eq!(paths, ["traits.email"]);

    // The same through a call built beforehand.
    let call = Identify::new(user(), ada("ada@"));
    assert!(matches!(
        client.enqueue(&call),
        Err(ClientError::Invalid(_))
    ));
    assert!(event_tests::delivered(&server, client, &failures).is_empty());
    assert!(server.requests().is_empty(), "nothing was sent");
}

#[test]
fn group_with_derived_traits_arrives_and_a_bad_email_is_refused() {
    let server = TestServer::start();
    let (client, failures) = event_tests::blocking_client(&server, 1, 100);
    let acme = Id::new("initech").expect("valid id");
    let Err(ClientError::Invalid(errors)) =
        client.group(user(), acme.clone(), initech(Some("sales at initech")))
    else {
        panic!("a group call with a bad email is refused");
    };
    let paths: Vec<&str> = errors.iter().map(|error| error.path()).collect();
    assert_eq!(paths, ["traits.email"]);

    client.group(user(), acme, initech(None)).expect("queued");
    let items = event_tests::delivered(&server, client, &failures);
    assert_eq!(items.len(), 1, "only the valid call was sent: {items:?}");
    assert_eq!(items[0]["type"], "group");
    assert_eq!(items[0]["groupId"], "initech");
    assert_eq!(
        items[0]["traits"],
        json!({"name": "Initech", "employees": 120, "email": null, "industri_code": "5112"})
    );
}

#[test]
fn untyped_traits_and_properties_still_pass_unchecked() {
    let server = TestServer::start();
    let (client, failures) = event_tests::blocking_client(&server, 1, 100);
    // A JSON value has nothing to validate: no rule applies to its `email`.
    client
        .identify(user(), json!({"email": "not an address"}))
        .expect("queued");
    client
        .page(user(), "Pricing", serde_json::Map::new())
        .expect("queued");
    assert_eq!(event_tests::delivered(&server, client, &failures).len(), 2);
}
