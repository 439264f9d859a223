//! The HTTP transports, one attempt at a time, against the loopback test server; and
//! what the server's refusals (400, 413) cost through the client.

use std::time::Duration;

use event_core::Identity;
use event_core::client::{DeliveryError, FailedEvent};
use event_core::transport::{
    ApiKey, AsyncHttpTransport, AsyncTransport, BaseUrl, Endpoint, HttpConfig, HttpTransport,
    Region, Request, Transport, TransportError,
};
use event_tests::{
    Fault, POISON, PoisonEvent, SLOW_RESPONSE, ServerConfig, TEST_API_KEY, TestEvent, TestServer,
    blocking_client, http_config,
};

const ONE: &[u8] = br#"{"batch":[{"type":"track","event":"Test Event","userId":"u","messageId":"m-1","properties":{}}],"sentAt":"2024-01-15T10:30:00.000Z"}"#;
const BAD: &[u8] = br#"{"batch":[{"type":"track","event":"","userId":"u","messageId":"m-2"}],"sentAt":"2024-01-15T10:30:00.000Z"}"#;

fn batch(body: &[u8]) -> Request<'_> {
    Request {
        endpoint: Endpoint::Batch,
        body,
    }
}

/// One attempt at sending a body with a configuration.
type Send<'a> = &'a dyn Fn(&HttpConfig, &[u8]) -> Result<(), TransportError>;

/// Runs every case through `send`, so the blocking and the async transport face the same checks.
fn check_all(server: &TestServer, send: Send<'_>) {
    let config = http_config(server, TEST_API_KEY);
    send(&config, ONE).expect("accepted");
    let seen = server.requests().pop().expect("one request");
    assert_eq!(seen.path, "/v1/batch");
    assert_eq!(
        seen.authorization.as_deref(),
        Some("Basic dGVzdC1rZXktMDEyMzQ1Njc4OTo=")
    );
    assert_eq!(seen.content_type.as_deref(), Some("application/json"));
    assert!(
        seen.user_agent
            .as_deref()
            .is_some_and(|ua| ua.starts_with("event-core/"))
    );
    assert!(seen.strict);
    assert_eq!(server.accepted_ids(), ["m-1"]);

    send(&config.clone().strict(false), ONE).expect("accepted");
    assert!(!server.requests().pop().expect("request").strict);

    // 400: not retryable, the server's messages parsed.
    let error = send(&config, BAD).expect_err("rejected");
    assert!(!error.is_retryable());
    let TransportError::Rejected { messages, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(messages, &["batch[0]: event must be a non-empty string"]);
    assert!(
        error
            .to_string()
            .contains("event must be a non-empty string")
    );

    // 401: not retryable, and the key appears nowhere.
    let wrong = HttpConfig::new(
        ApiKey::new("wrong-secret-key").expect("key"),
        config.base_url().clone(),
    )
    .timeout(Duration::from_secs(5));
    let error = send(&wrong, ONE).expect_err("unauthorized");
    assert!(matches!(
        error,
        TransportError::Unauthorized { status: 401, .. }
    ));
    assert!(!error.is_retryable());
    assert!(!format!("{error} {error:?} {wrong:?}").contains("wrong-secret-key"));

    // Retryable faults.
    server.push_faults([Fault::TooManyRequests {
        retry_after: "7".into(),
    }]);
    let error = send(&config, ONE).expect_err("429");
    assert!(error.is_retryable());
    assert_eq!(error.retry_after(), Some(Duration::from_secs(7)));

    server.push_faults([Fault::TooManyRequests {
        retry_after: "Wed, 21 Oct 2015 07:28:00 GMT".into(),
    }]);
    assert_eq!(
        send(&config, ONE).expect_err("429").retry_after(),
        Some(Duration::ZERO)
    );

    server.push_faults([Fault::Status(500)]);
    let error = send(&config, ONE).expect_err("500");
    assert!(matches!(error, TransportError::Status { status: 500, .. }) && error.is_retryable());

    server.push_faults([Fault::Reset]);
    let error = send(&config, ONE).expect_err("reset");
    assert!(matches!(error, TransportError::Network(_)), "{error:?}");
    assert!(error.is_retryable());

    server.push_faults([Fault::Delay(SLOW_RESPONSE)]);
    let error = send(&config, ONE).expect_err("slow");
    assert_eq!(error, TransportError::Timeout);
    assert!(error.is_retryable());
}

#[test]
fn blocking_transport() {
    let server = TestServer::start();
    check_all(&server, &|config, body| {
        HttpTransport::new(config.clone())
            .expect("transport")
            .send(batch(body))
    });
}

#[test]
fn async_transport() {
    let server = TestServer::start();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    check_all(&server, &|config, body| {
        let transport = AsyncHttpTransport::new(config.clone()).expect("transport");
        runtime.block_on(AsyncTransport::send(&transport, batch(body)))
    });
}

#[test]
fn plain_http_is_refused_off_loopback() {
    for url in [
        "http://cdp.customer.io",
        "http://10.0.0.1:8080",
        "http://localhost.example.com",
    ] {
        let error = BaseUrl::parse(url).expect_err(url);
        assert!(error.to_string().contains("https://"), "{error}");
    }
    assert!(Region::parse("http://192.168.1.1").is_err());
    assert_eq!(Region::parse("EU"), Ok(Region::Eu));
    assert_eq!(Region::Us.base_url().as_str(), "https://cdp.customer.io");
    for url in [
        "http://127.0.0.1:1",
        "http://localhost:8080/",
        "http://[::1]:9",
    ] {
        assert!(BaseUrl::parse(url).is_ok(), "{url}");
    }
}

#[test]
fn the_api_key_never_shows() {
    let key = ApiKey::new("super-secret-key-42").expect("key");
    let config = HttpConfig::new(key.clone(), Region::Eu);
    let transport = HttpTransport::new(config.clone()).expect("transport");
    let async_transport = AsyncHttpTransport::new(config.clone()).expect("transport");
    let shown = format!("{key:?} {config:?} {transport:?} {async_transport:?}");
    assert!(!shown.contains("super-secret-key-42"), "{shown}");
    assert!(shown.contains("<redacted>"));
}

// ---------------------------------------------------------------------------------------
// Refusals, through the client: what a 400 or a 413 costs and what comes back
// ---------------------------------------------------------------------------------------

/// Sends `events` test events in one batch through a blocking client; returns what came
/// back, and how many requests the server saw.
fn send_refused(server: &TestServer, events: u64) -> (Vec<FailedEvent>, usize) {
    let (client, failures) = blocking_client(server, 3, 1_000);
    let user = Identity::user("user_1").expect("an id");
    for n in 0..events {
        client
            .track(user.clone(), TestEvent::new(n, 4))
            .expect("queued");
    }
    client.flush().expect("flushed");
    let stats = client.close();
    let failed: Vec<FailedEvent> = failures.try_iter().collect();
    assert_eq!(stats.rejected, failed.len() as u64, "{stats:?}");
    (failed, server.requests().len())
}

/// A server that answers 400 to everything, with the same reason: the client does not
/// split the batch down to single events (about two requests per event, for ever on a
/// large file) but stops once both halves are refused as the whole was, and hands every
/// event back with the server's reason.
#[test]
fn a_server_refusing_everything_is_asked_a_few_times() {
    let server = TestServer::start();
    server.push_faults(std::iter::repeat_n(Fault::Status(400), 10_000));
    let (failed, requests) = send_refused(&server, 1_000);
    assert!(requests < 20, "{requests} requests");
    assert_eq!(failed.len(), 1_000);
    for failed in &failed {
        assert!(failed.is_rejected(), "{failed}");
        let text = failed.to_string();
        assert!(
            text.contains("(400)") && text.contains("injected 400"),
            "{text}"
        );
    }
}

/// A 413 is reported as the 413 it is, and bounded the same way.
#[test]
fn a_413_is_reported_as_413() {
    let server = TestServer::start();
    server.push_faults(std::iter::repeat_n(Fault::Status(413), 10_000));
    let (failed, requests) = send_refused(&server, 1_000);
    assert!(requests < 20, "{requests} requests");
    assert_eq!(failed.len(), 1_000);
    let DeliveryError::Rejected(error) = &failed[0].error else {
        panic!("expected a rejection, got {}", failed[0]);
    };
    assert!(matches!(
        error,
        TransportError::Rejected { status: 413, .. }
    ));
    assert!(!error.is_retryable());
    let text = failed[0].to_string();
    assert!(text.contains("(413)") && !text.contains("(400)"), "{text}");
}

/// A server refusing everything for a different reason each time: the refusals in a row
/// are bounded, and every event still comes back with the server's (last) reason.
#[test]
fn refusals_in_a_row_are_bounded() {
    let server = TestServer::start();
    server.push_faults((0..10_000).map(|n| Fault::StatusWith(400, format!("refusal number {n}"))));
    let (failed, requests) = send_refused(&server, 1_000);
    assert!(requests <= 20, "{requests} requests");
    assert_eq!(failed.len(), 1_000);
    for failed in &failed {
        assert!(failed.is_rejected(), "{failed}");
        assert!(failed.to_string().contains("refusal number"), "{failed}");
    }
}

/// Bad events in both halves of every split, at the same places: the halves are refused
/// alike, but not as the whole was, so splitting goes on and only the bad events come back.
#[test]
fn only_the_bad_events_come_back_when_halves_are_refused_alike() {
    let server = TestServer::start_with(ServerConfig {
        reject_event: Some(POISON.into()),
        ..ServerConfig::default()
    });
    let (client, failures) = blocking_client(&server, 3, 1_000);
    let user = Identity::user("user_1").expect("an id");
    let mut bad = Vec::new();
    let mut good = Vec::new();
    for n in 0..8 {
        if n % 2 == 0 {
            bad.push(
                client
                    .track(user.clone(), PoisonEvent { n })
                    .expect("queued"),
            );
        } else {
            good.push(
                client
                    .track(user.clone(), TestEvent::new(n, 4))
                    .expect("queued"),
            );
        }
    }
    client.flush().expect("flushed");
    client.close();
    let mut failed: Vec<String> = failures.try_iter().map(|f| f.message_id).collect();
    let mut bad: Vec<String> = bad.iter().map(|id| id.as_str().to_owned()).collect();
    failed.sort();
    bad.sort();
    assert_eq!(failed, bad);
    let mut accepted = server.accepted_ids();
    let mut good: Vec<String> = good.iter().map(|id| id.as_str().to_owned()).collect();
    accepted.sort();
    good.sort();
    assert_eq!(accepted, good);
}
