//! The HTTP transports, one attempt at a time, against the loopback test server.

use std::time::Duration;

use event_core::transport::{
    ApiKey, AsyncHttpTransport, AsyncTransport, BaseUrl, Endpoint, HttpConfig, HttpTransport,
    Region, Request, Transport, TransportError,
};
use event_tests::{Fault, SLOW_RESPONSE, TEST_API_KEY, TestServer, http_config};

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
