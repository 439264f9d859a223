//! Security: the API key never shows (Debug, Display, errors, `tracing` and `log` output,
//! the quickstart's output, error bodies that echo the request), plain `http://` only
//! reaches loopback and never through a proxy, TLS certificates are verified with no way
//! to turn that off (and a refused one is not retried), and server error bodies are cut
//! short before they reach errors and logs.
//!
//! Every test installs the same process-wide `tracing` subscriber at TRACE level (with the
//! `log` bridge, so the HTTP client's own `log` records are captured too) writing into a
//! buffer; the log test then checks that the whole output, from every test of this binary,
//! holds none of the keys used here.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use base64::Engine as _;
use event_core::client::{ClientBuilder, DeliveryError, FailedEvent};
use event_core::transport::{
    ApiKey, AsyncHttpTransport, AsyncTransport, BaseUrl, Endpoint, HttpConfig, HttpTransport,
    MAX_ERROR_BODY, Proxy, ProxyUrl, Region, Request, Transport, TransportError,
};
use event_core::{Client, Identity};
use event_tests::{
    Fault, ServerConfig, TEST_API_KEY, TestEvent, TestServer, builder, fast_retry, http_config,
};

// ---------------------------------------------------------------------------------------
// The secrets, and where they must not appear
// ---------------------------------------------------------------------------------------

/// Keys used by the tests below; none may ever appear in any output.
const SECRETS: &[&str] = &[
    "sk-debug-7Fq2xWz9Lm4Pv8Rt",
    "sk-error-3Jd8sKq1Vn6Bc0Xy",
    "sk-logs-5Hn2pQr7Tw9Ez4Ua",
    "sk-cli-8Gk3mNs6Yb1Df5Wo",
    "sk-echo-2Rb7uLc4Xe9Nh3Qs",
    "sk-proxy-6Vw1tYd8Kf3Mj5Pz",
];

/// The forms a key could leak in: itself, and its Basic auth encoding.
fn leaked_forms(key: &str) -> Vec<String> {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{key}:"));
    let basic_no_pad = basic.trim_end_matches('=').to_owned();
    vec![key.to_owned(), basic, basic_no_pad]
}

#[track_caller]
fn assert_no_secret(text: &str, what: &str) {
    for secret in SECRETS.iter().chain([&TEST_API_KEY]) {
        for form in leaked_forms(secret) {
            assert!(
                !text.contains(&form),
                "{what} leaks the key ({form}):\n{text}"
            );
        }
    }
}

fn key(index: usize) -> ApiKey {
    ApiKey::new(SECRETS[index]).expect("a valid key")
}

// ---------------------------------------------------------------------------------------
// Log capture: one subscriber for the whole binary
// ---------------------------------------------------------------------------------------

static LOGS: Mutex<Vec<u8>> = Mutex::new(Vec::new());

struct LogWriter;

impl Write for LogWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        LOGS.lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture_logs() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(|| LogWriter)
            .try_init()
            .expect("the only subscriber of this test binary");
    });
}

fn logs() -> String {
    String::from_utf8_lossy(&LOGS.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
        .into_owned()
}

fn user() -> Identity {
    Identity::user("user_1").expect("an id")
}

// ---------------------------------------------------------------------------------------
// Debug, Display, errors
// ---------------------------------------------------------------------------------------

/// `ApiKey` has no `Display` at all: this does not compile if it gets one (the call
/// below is ambiguous exactly when both impls apply).
#[test]
fn api_key_has_no_display() {
    trait AmbiguousIfDisplay<A> {
        fn some_item() {}
    }
    impl<T: ?Sized> AmbiguousIfDisplay<()> for T {}
    #[allow(dead_code)]
    struct Invalid;
    impl<T: ?Sized + std::fmt::Display> AmbiguousIfDisplay<Invalid> for T {}
    <ApiKey as AmbiguousIfDisplay<_>>::some_item();
}

#[test]
fn the_key_never_shows_in_debug_of_any_type() {
    capture_logs();
    let api_key = key(0);
    assert_eq!(format!("{api_key:?}"), "ApiKey(<redacted>)");
    let server = TestServer::start();
    let url = BaseUrl::parse(&server.base_url()).expect("loopback");
    let config = HttpConfig::new(api_key.clone(), url);
    let transport = HttpTransport::new(config.clone()).expect("transport");
    let async_transport = AsyncHttpTransport::new(config.clone()).expect("transport");
    let builder = ClientBuilder::new().on_failure(|_| {});
    let client = builder
        .clone()
        .build(HttpTransport::new(config.clone()).expect("transport"))
        .expect("client");
    let regions = [
        Region::Us,
        Region::Eu,
        Region::Custom(config.base_url().clone()),
    ];
    let shown = [
        format!("{api_key:?} {api_key:#?}"),
        format!("{config:?} {config:#?}"),
        format!("{transport:?} {transport:#?} {:?}", transport.config()),
        format!("{async_transport:?} {async_transport:#?}"),
        format!("{builder:?} {builder:#?}"),
        format!("{client:?} {client:#?}"),
        format!("{regions:?}"),
    ];
    for text in &shown {
        assert_no_secret(text, "Debug");
    }
    // The key itself is still there for the one who asks for it.
    assert_eq!(api_key.expose_secret(), SECRETS[0]);
    client.close();
}

#[test]
fn configuration_errors_never_echo_the_key() {
    capture_logs();
    let secret = SECRETS[1];
    for bad in [
        format!("{secret}:"),
        format!("{secret}\tx"),
        format!("\u{7}{secret}"),
        format!("{secret}:extra"),
    ] {
        let error = ApiKey::new(bad).expect_err("refused");
        assert_no_secret(&format!("{error} {error:?}"), "ApiKey::new's error");
    }
    for url in [
        format!("https://{secret}@cdp.customer.io"),
        format!("https://{secret}:@cdp.customer.io"),
        format!("https://user:{secret}@cdp.customer.io/v1"),
        format!("http://{secret}@127.0.0.1:1"),
    ] {
        let error = BaseUrl::parse(&url).expect_err("credentials in a URL are refused");
        assert_no_secret(&format!("{error} {error:?}"), "BaseUrl::parse's error");
        let error = Region::parse(&url).expect_err("credentials in a URL are refused");
        assert_no_secret(&format!("{error} {error:?}"), "Region::parse's error");
    }
}

#[test]
fn delivery_errors_never_carry_the_key() {
    capture_logs();
    // The server knows another key: 401, not retried.
    let server = TestServer::start_with(ServerConfig {
        api_key: "the-right-key".into(),
        ..ServerConfig::default()
    });
    let url = BaseUrl::parse(&server.base_url()).expect("loopback");
    let config = HttpConfig::new(key(1), url).timeout(Duration::from_secs(5));
    let transport = HttpTransport::new(config.clone()).expect("transport");
    let body = br#"{"batch":[],"sentAt":"2024-01-15T10:30:05.000Z"}"#;
    let error = transport
        .send(Request {
            endpoint: Endpoint::Batch,
            body,
        })
        .expect_err("401");
    assert!(matches!(
        error,
        TransportError::Unauthorized { status: 401, .. }
    ));
    assert_no_secret(&format!("{error} {error:?}"), "TransportError");

    // Through the client: the failed event and its error.
    let (tx, failures) = std::sync::mpsc::channel::<FailedEvent>();
    let client = builder(3)
        .failures_to(tx)
        .build(HttpTransport::new(config.clone()).expect("transport"))
        .expect("client");
    client.track(user(), TestEvent::new(1, 4)).expect("queued");
    client.flush().expect("flushed");
    let failed: Vec<FailedEvent> = failures.try_iter().collect();
    assert_eq!(failed.len(), 1);
    assert!(matches!(
        failed[0].error,
        DeliveryError::Failed {
            error: TransportError::Unauthorized { .. },
            attempts: 1
        }
    ));
    assert_no_secret(
        &format!(
            "{} {:?} {}",
            failed[0],
            failed[0],
            String::from_utf8_lossy(&failed[0].payload)
        ),
        "FailedEvent",
    );
    assert_no_secret(&format!("{:?}", client.close()), "Stats");

    // The async transport, too.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let async_transport = AsyncHttpTransport::new(config).expect("transport");
    let error = runtime
        .block_on(async_transport.send(Request {
            endpoint: Endpoint::Batch,
            body,
        }))
        .expect_err("401");
    assert!(matches!(
        error,
        TransportError::Unauthorized { status: 401, .. }
    ));
    assert_no_secret(&format!("{error} {error:?}"), "TransportError (async)");
}

// ---------------------------------------------------------------------------------------
// Logs
// ---------------------------------------------------------------------------------------

/// A delivery that fails after retries, and one refused for its key, at TRACE level: the
/// log output is not empty, and carries neither the key nor its Basic auth form.
#[test]
fn tracing_output_never_carries_the_key() {
    capture_logs();
    let server = TestServer::start();
    server.push_faults([
        Fault::Status(500),
        Fault::TooManyRequests {
            retry_after: "0".into(),
        },
        Fault::Reset,
        Fault::Status(503),
    ]);
    // The server answers 401 to this key once the faults are used up; no `on_failure`
    // callback, so failed events are logged.
    let config = http_config(&server, SECRETS[2]);
    let client: Client = ClientBuilder::new()
        .flush_interval(Duration::from_secs(3_600))
        .retry(fast_retry(3))
        .build(HttpTransport::new(config.clone()).expect("transport"))
        .expect("client");
    client.track(user(), TestEvent::new(1, 4)).expect("queued");
    client.flush().expect("flushed");
    client.track(user(), TestEvent::new(2, 4)).expect("queued");
    client.flush().expect("flushed");
    let stats = client.close();
    assert_eq!(stats.failed, 2, "{stats:?}");
    assert!(
        server.requests().iter().all(|request| request
            .authorization
            .as_deref()
            .is_some_and(|auth| auth.starts_with("Basic "))),
        "the key was sent, in the Authorization header only"
    );

    let output = logs();
    assert!(output.contains("retrying"), "retries are logged:\n{output}");
    assert!(
        output.contains("event not delivered"),
        "failures are logged:\n{output}"
    );
    assert_no_secret(&output, "the tracing output");
}

// ---------------------------------------------------------------------------------------
// Plain http://
// ---------------------------------------------------------------------------------------

#[test]
fn plain_http_reaches_loopback_only() {
    capture_logs();
    for url in [
        "http://cdp.customer.io",
        "HTTP://cdp.customer.io",
        "http://10.0.0.1:8080",
        "http://192.168.1.10",
        "http://[2001:db8::1]:80",
        "http://[::ffff:127.0.0.1]",
        "http://0.0.0.0",
        "http://localhost.example.com",
        "http://127.0.0.1.nip.io",
        "http://127.0.0.1@evil.example",
        "http://evil.example#@127.0.0.1",
        "http://evil.example?@127.0.0.1",
        "http://evil.example\\@127.0.0.1",
        "http://0x7f000001",
        "http://2130706433",
        "http://127.1",
        "  http://example.com  ",
    ] {
        let refused = BaseUrl::parse(url);
        assert!(refused.is_err(), "{url:?} was accepted");
        assert!(
            Region::parse(url).is_err(),
            "{url:?} was accepted as a region"
        );
    }
    for url in [
        "http://127.0.0.1:8080",
        "http://127.10.20.30",
        "http://localhost:1",
        "http://LOCALHOST",
        "http://[::1]:9000/prefix/",
        "https://cdp.customer.io",
        "https://10.0.0.1:8443/proxy",
    ] {
        assert!(BaseUrl::parse(url).is_ok(), "{url:?} was refused");
    }
    let error = BaseUrl::parse("http://cdp.customer.io").expect_err("refused");
    assert!(error.to_string().contains("https://"), "{error}");
}

// ---------------------------------------------------------------------------------------
// TLS
// ---------------------------------------------------------------------------------------

/// What a TLS server on loopback saw.
#[derive(Debug, Default)]
struct TlsSeen {
    connections: usize,
    /// Bytes of HTTP the client sent after a handshake: none if it refused the certificate.
    request_bytes: usize,
    errors: Vec<String>,
}

/// A TLS server on 127.0.0.1 presenting a self-signed certificate for `localhost` and
/// `127.0.0.1`: a man in the middle with a certificate no public root vouches for. It
/// serves `connections` connections, then stops.
fn self_signed_tls_server(connections: usize) -> (u16, Arc<Mutex<TlsSeen>>) {
    let certified =
        rcgen::generate_simple_self_signed(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
            .expect("a self-signed certificate");
    let cert = certified.cert.der().clone();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(certified.signing_key.serialize_der().into());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("TLS versions")
    .with_no_client_auth()
    .with_single_cert(vec![cert], key)
    .expect("a server config");
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    let seen = Arc::new(Mutex::new(TlsSeen::default()));
    let record = Arc::clone(&seen);
    // Detached: it ends after `connections`, or with the process.
    std::thread::spawn(move || {
        for stream in listener.incoming().take(connections) {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let mut connection = rustls::ServerConnection::new(Arc::clone(&config)).expect("TLS");
            let mut tls = rustls::Stream::new(&mut connection, &mut stream);
            let mut buffer = [0_u8; 4096];
            let outcome = tls.read(&mut buffer);
            let mut seen = record
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            seen.connections += 1;
            match outcome {
                Ok(read) => seen.request_bytes += read,
                Err(error) => seen.errors.push(error.to_string()),
            }
        }
    });
    (port, seen)
}

fn https_config(port: u16) -> HttpConfig {
    let url = BaseUrl::parse(&format!("https://localhost:{port}")).expect("an https URL");
    HttpConfig::new(key(0), url)
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(10))
}

fn wait_for_connections(seen: &Mutex<TlsSeen>, count: usize) {
    for _ in 0..1_000 {
        if seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .connections
            >= count
        {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Both HTTP transports refuse a certificate no public root vouches for, and send it
/// nothing, and say at once that it will not do on a retry. There is no option to accept
/// it: `HttpConfig`'s only settings are the key, the URL, strict mode, the timeouts and the
/// proxy, and the transports build their TLS settings themselves (the Mozilla roots,
/// always verified).
#[test]
fn tls_certificates_are_verified() {
    capture_logs();
    let (port, seen) = self_signed_tls_server(2);
    let body = br#"{"batch":[],"sentAt":"2024-01-15T10:30:05.000Z"}"#;
    let request = Request {
        endpoint: Endpoint::Batch,
        body,
    };

    let error = HttpTransport::new(https_config(port))
        .expect("transport")
        .send(request)
        .expect_err("a self-signed certificate is refused");
    let TransportError::Certificate(message) = &error else {
        panic!("expected a certificate error, got {error:?}");
    };
    assert!(message.to_lowercase().contains("certificate"), "{message}");
    assert!(!error.is_retryable());

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let transport = AsyncHttpTransport::new(https_config(port)).expect("transport");
    let error = runtime
        .block_on(transport.send(request))
        .expect_err("a self-signed certificate is refused");
    let TransportError::Certificate(message) = &error else {
        panic!("expected a certificate error, got {error:?}");
    };
    assert!(message.to_lowercase().contains("certificate"), "{message}");
    assert!(!error.is_retryable());

    wait_for_connections(&seen, 2);
    let seen = seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    assert_eq!(seen.connections, 2, "{seen:?}");
    assert_eq!(seen.request_bytes, 0, "no request went through: {seen:?}");
}

/// A certificate that does not verify fails the delivery at the first attempt, through
/// both clients, with an error that names the certificate: it would not verify on a retry.
#[test]
fn certificate_errors_are_not_retried() {
    capture_logs();
    let (port, seen) = self_signed_tls_server(2);
    let (tx, failures) = std::sync::mpsc::channel::<FailedEvent>();
    let client = builder(5)
        .failures_to(tx.clone())
        .build(HttpTransport::new(https_config(port)).expect("transport"))
        .expect("client");
    client.track(user(), TestEvent::new(1, 4)).expect("queued");
    client.flush().expect("flushed");
    client.close();

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let client = builder(5)
            .failures_to(tx)
            .build_async(AsyncHttpTransport::new(https_config(port)).expect("transport"))
            .expect("client");
        client
            .track(user(), TestEvent::new(2, 4))
            .await
            .expect("queued");
        client.flush().await.expect("flushed");
        client.close().await;
    });

    let failed: Vec<FailedEvent> = failures.try_iter().collect();
    assert_eq!(failed.len(), 2, "{failed:?}");
    for failed in &failed {
        let DeliveryError::Failed {
            error: error @ TransportError::Certificate(_),
            attempts: 1,
        } = &failed.error
        else {
            panic!("expected one attempt failing on the certificate, got {failed}");
        };
        let text = error.to_string();
        assert!(text.contains("certificate"), "{text}");
        assert!(text.contains("not retried"), "{text}");
    }
    wait_for_connections(&seen, 2);
    let seen = seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    assert_eq!(seen.connections, 2, "one connection per client: {seen:?}");
}

/// `https://` to a port that speaks plain HTTP fails; it is never retried as `http://`.
#[test]
fn https_is_never_downgraded_to_plain_http() {
    capture_logs();
    let server = TestServer::start();
    let port = server
        .base_url()
        .rsplit(':')
        .next()
        .unwrap_or_default()
        .to_owned();
    let url = BaseUrl::parse(&format!("https://127.0.0.1:{port}")).expect("an https URL");
    let config = HttpConfig::new(key(0), url)
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(5));
    let error = HttpTransport::new(config.clone())
        .expect("transport")
        .send(Request {
            endpoint: Endpoint::Batch,
            body: b"{}",
        })
        .expect_err("no TLS there");
    assert!(
        matches!(error, TransportError::Network(_) | TransportError::Timeout),
        "{error:?}"
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let error = runtime
        .block_on(
            AsyncHttpTransport::new(config)
                .expect("transport")
                .send(Request {
                    endpoint: Endpoint::Batch,
                    body: b"{}",
                }),
        )
        .expect_err("no TLS there");
    assert!(
        matches!(error, TransportError::Network(_) | TransportError::Timeout),
        "{error:?}"
    );
    assert!(
        server.requests().is_empty(),
        "no plain HTTP request reached the server"
    );
}

// ---------------------------------------------------------------------------------------
// Error bodies
// ---------------------------------------------------------------------------------------

/// A plain HTTP server on loopback that answers every request with `status` and `body`,
/// after reading the request whole.
fn raw_server(status: &'static str, body: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    let body = Arc::new(body);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let body = Arc::clone(&body);
            std::thread::spawn(move || answer(stream, status, &body));
        }
    });
    format!("http://{address}")
}

fn answer(mut stream: TcpStream, status: &str, body: &[u8]) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut request = Vec::new();
    let mut buffer = [0_u8; 8192];
    // Headers, then Content-Length bytes of body.
    let body_start = loop {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return,
            Ok(read) => request.extend_from_slice(&buffer[..read]),
        }
        if let Some(end) = request.windows(4).position(|window| window == b"\r\n\r\n") {
            break end + 4;
        }
    };
    let head = String::from_utf8_lossy(&request[..body_start]).to_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0);
    while request.len() < body_start + length {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return,
            Ok(read) => request.extend_from_slice(&buffer[..read]),
        }
    }
    let head = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
    let _ = stream.flush();
}

fn send_to(url: &str) -> TransportError {
    let url = BaseUrl::parse(url).expect("loopback");
    let config = HttpConfig::new(key(1), url).timeout(Duration::from_secs(10));
    HttpTransport::new(config)
        .expect("transport")
        .send(Request {
            endpoint: Endpoint::Batch,
            body: br#"{"batch":[],"sentAt":"2024-01-15T10:30:05.000Z"}"#,
        })
        .expect_err("the server refuses")
}

/// The longest an error's text may be when the server sent one message (or none).
const ONE_MESSAGE_BOUND: usize = MAX_ERROR_BODY + 128;

#[test]
fn huge_error_bodies_are_cut_short() {
    capture_logs();
    // 1 MB of text, 400.
    let error = send_to(&raw_server("400 Bad Request", vec![b'A'; 1_000_000]));
    assert!(
        matches!(error, TransportError::Rejected { .. }),
        "{error:?}"
    );
    let text = error.to_string();
    assert!(
        text.len() <= ONE_MESSAGE_BOUND,
        "{} bytes: {text}",
        text.len()
    );
    assert!(format!("{error:?}").len() <= 2 * ONE_MESSAGE_BOUND);

    // A 40 KB JSON error message, 400: the message is cut.
    let message = "B".repeat(40_000);
    let body = serde_json::json!({"meta": {"errors": [message]}}).to_string();
    let error = send_to(&raw_server("400 Bad Request", body.into_bytes()));
    let text = error.to_string();
    assert!(text.len() <= ONE_MESSAGE_BOUND, "{} bytes", text.len());
    assert!(format!("{error:?}").len() <= 3 * ONE_MESSAGE_BOUND);

    // 1 MB on a 500 (retryable) and a 401: the body kept is cut too.
    for status in [
        "500 Internal Server Error",
        "401 Unauthorized",
        "418 I'm a teapot",
    ] {
        let error = send_to(&raw_server(status, vec![b'C'; 1_000_000]));
        let text = format!("{error} {error:?}");
        assert!(
            text.len() <= 3 * ONE_MESSAGE_BOUND,
            "{status}: {} bytes",
            text.len()
        );
    }

    // Many messages: each is cut, and at most 100 are kept, so the text stays bounded
    // (by 100 messages of MAX_ERROR_BODY bytes).
    let messages: Vec<String> = (0..10_000).map(|n| format!("error {n}")).collect();
    let body = serde_json::json!({"meta": {"errors": messages}}).to_string();
    let error = send_to(&raw_server("400 Bad Request", body.into_bytes()));
    let TransportError::Rejected { messages, body, .. } = &error else {
        panic!("expected a rejection, got {error:?}");
    };
    assert!(messages.len() <= 100);
    assert!(body.len() <= ONE_MESSAGE_BOUND);
    assert!(error.to_string().len() <= 100 * (MAX_ERROR_BODY + 2) + 64);
}

/// Retries of a 500 with a 1 MB body are logged with the body cut short.
#[test]
fn huge_error_bodies_are_cut_short_in_logs() {
    capture_logs();
    let url = raw_server("500 Internal Server Error", vec![b'D'; 1_000_000]);
    let config = HttpConfig::new(key(2), BaseUrl::parse(&url).expect("loopback"))
        .timeout(Duration::from_secs(10));
    let client: Client = ClientBuilder::new()
        .flush_interval(Duration::from_secs(3_600))
        .retry(fast_retry(2))
        .build(HttpTransport::new(config).expect("transport"))
        .expect("client");
    client.track(user(), TestEvent::new(1, 4)).expect("queued");
    client.flush().expect("flushed");
    assert_eq!(client.close().failed, 1);
    let output = logs();
    let longest_run = output
        .split(|c: char| c != 'D')
        .map(str::len)
        .max()
        .unwrap_or(0);
    assert!(longest_run > 0, "the body shows in the log, cut:\n{output}");
    assert!(
        longest_run <= MAX_ERROR_BODY,
        "{longest_run} bytes of the body were logged"
    );
}

/// A server (or proxy) whose error bodies echo the request's headers: the key is blotted
/// out of every body kept, so it shows neither in the errors handed back (Display and
/// Debug) nor in the log, for a 500 (retried), a 400, a 413 and a 401, through both
/// transports and the client.
#[test]
fn error_bodies_echoing_the_request_never_carry_the_key() {
    capture_logs();
    let secret = SECRETS[4];
    let server = TestServer::start();
    let config = http_config(&server, secret);
    let body = br#"{"batch":[],"sentAt":"2024-01-15T10:30:05.000Z"}"#;
    let request = Request {
        endpoint: Endpoint::Batch,
        body,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let blocking = HttpTransport::new(config.clone()).expect("transport");
    let async_transport = AsyncHttpTransport::new(config.clone()).expect("transport");
    for status in [500, 400, 413, 401] {
        server.push_faults([Fault::EchoHeaders(status), Fault::EchoHeaders(status)]);
        for error in [
            blocking.send(request).expect_err("refused"),
            runtime
                .block_on(async_transport.send(request))
                .expect_err("refused"),
        ] {
            let shown = format!("{error} {error:?}");
            assert!(shown.contains("<redacted>"), "{shown}");
            assert!(
                shown.contains("user-agent"),
                "the rest of the body is kept: {shown}"
            );
            assert_no_secret(&shown, "an error echoing the request");
        }
    }

    // Through the client: a 500 three times, then a 400; the failures are logged.
    server.push_faults([500, 500, 500, 400].map(Fault::EchoHeaders));
    let client: Client = ClientBuilder::new()
        .flush_interval(Duration::from_secs(3_600))
        .retry(fast_retry(3))
        .build(HttpTransport::new(config.clone()).expect("transport"))
        .expect("client");
    client.track(user(), TestEvent::new(1, 4)).expect("queued");
    client.flush().expect("flushed");
    client.track(user(), TestEvent::new(2, 4)).expect("queued");
    client.flush().expect("flushed");
    let stats = client.close();
    assert_eq!((stats.failed, stats.rejected), (1, 1), "{stats:?}");
    let (tx, failures) = std::sync::mpsc::channel::<FailedEvent>();
    server.push_faults([Fault::EchoHeaders(500)]);
    let client = builder(1)
        .failures_to(tx)
        .build(HttpTransport::new(config).expect("transport"))
        .expect("client");
    client.track(user(), TestEvent::new(3, 4)).expect("queued");
    client.flush().expect("flushed");
    client.close();
    let failed: Vec<FailedEvent> = failures.try_iter().collect();
    assert_eq!(failed.len(), 1);
    let shown = format!("{} {:?}", failed[0], failed[0]);
    assert!(shown.contains("<redacted>"), "{shown}");
    assert_no_secret(&shown, "FailedEvent");
    let output = logs();
    assert!(output.contains("<redacted>"), "{output}");
    assert_no_secret(&output, "the tracing output");
}

// ---------------------------------------------------------------------------------------
// Proxies
// ---------------------------------------------------------------------------------------

/// What a loopback "proxy" saw: the first bytes of every connection made to it.
type ProxySeen = Arc<Mutex<Vec<String>>>;

/// A listener on loopback standing in for a proxy: it records the start of what each
/// connection sends, then closes it without answering.
fn recording_proxy() -> (String, ProxySeen) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    let seen: ProxySeen = Arc::default();
    let record = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            // Up to the end of the request's head, however it arrives.
            let mut head = Vec::new();
            let mut buffer = [0_u8; 4096];
            while !head.windows(4).any(|window| window == b"\r\n\r\n") && head.len() < 65_536 {
                match stream.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(read) => head.extend_from_slice(&buffer[..read]),
                }
            }
            record
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .push(String::from_utf8_lossy(&head).into_owned());
        }
    });
    (format!("http://{address}"), seen)
}

fn proxy_seen(seen: &ProxySeen) -> Vec<String> {
    seen.lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .clone()
}

/// Sends one empty batch through both transports with `config`.
fn send_both(config: &HttpConfig) -> [Result<(), TransportError>; 2] {
    let request = Request {
        endpoint: Endpoint::Batch,
        body: br#"{"batch":[],"sentAt":"2024-01-15T10:30:05.000Z"}"#,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    [
        HttpTransport::new(config.clone())
            .expect("transport")
            .send(request),
        runtime.block_on(
            AsyncHttpTransport::new(config.clone())
                .expect("transport")
                .send(request),
        ),
    ]
}

/// An explicit proxy carries the requests to a remote (https) endpoint, as a CONNECT
/// tunnel that shows it no key; a loopback endpoint is reached directly even then.
#[test]
fn an_explicit_proxy_is_used_for_remote_endpoints_only() {
    capture_logs();
    let (proxy_url, seen) = recording_proxy();
    let proxy = Proxy::Url(ProxyUrl::parse(&proxy_url).expect("a proxy URL"));

    let remote = HttpConfig::new(key(5), Region::Us)
        .timeout(Duration::from_secs(10))
        .proxy(proxy.clone());
    for result in send_both(&remote) {
        let error = result.expect_err("the stand-in proxy closes the tunnel");
        assert!(error.is_retryable(), "{error:?}");
    }
    let connects = proxy_seen(&seen);
    assert_eq!(connects.len(), 2, "{connects:?}");
    for connect in &connects {
        assert!(
            connect.starts_with("CONNECT cdp.customer.io:443 "),
            "{connect}"
        );
        assert!(
            !connect.to_lowercase().contains("authorization"),
            "{connect}"
        );
        assert_no_secret(connect, "what the proxy saw");
    }

    let server = TestServer::start_with(ServerConfig {
        api_key: SECRETS[5].into(),
        ..ServerConfig::default()
    });
    let local = http_config(&server, SECRETS[5]).proxy(proxy);
    for result in send_both(&local) {
        result.expect("sent directly to the loopback server");
    }
    assert_eq!(server.requests().len(), 2);
    assert_eq!(proxy_seen(&seen).len(), 2, "the proxy saw nothing more");
}

/// The proxy variables a child process of this test is given.
const PROXY_VARIABLES: &[&str] = &[
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// Set in the child process that `proxy_variables_never_reach_a_loopback_endpoint` runs.
const CHILD_SERVER: &str = "EVENT_TESTS_PROXY_CHILD_SERVER";

/// With every proxy variable set, a loopback endpoint is still reached directly (the key
/// never goes to the proxy in clear), while a remote endpoint goes through the proxy.
/// Environment variables are process-wide, so the sending happens in a child process (this
/// test binary again, running only [`proxy_variables_child`]).
#[test]
fn proxy_variables_never_reach_a_loopback_endpoint() {
    capture_logs();
    let (proxy_url, seen) = recording_proxy();
    let server = TestServer::start_with(ServerConfig {
        api_key: SECRETS[5].into(),
        ..ServerConfig::default()
    });
    let mut child = Command::new(std::env::current_exe().expect("the test binary"));
    child
        .args([
            "--exact",
            "proxy_variables_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_SERVER, server.base_url())
        .env_remove("NO_PROXY")
        .env_remove("no_proxy");
    for variable in PROXY_VARIABLES {
        child.env(variable, &proxy_url);
    }
    let output = child.output().expect("the child runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{text}");
    assert!(text.contains("1 passed"), "the child ran its test: {text}");
    assert_no_secret(&text, "the child's output");

    assert_eq!(server.requests().len(), 2, "both loopback requests arrived");
    let connects = proxy_seen(&seen);
    assert_eq!(connects.len(), 2, "only the remote requests: {connects:?}");
    for connect in &connects {
        assert!(
            connect.starts_with("CONNECT cdp.customer.io:443 "),
            "{connect}"
        );
        assert_no_secret(connect, "what the proxy saw");
    }
}

/// The child half of `proxy_variables_never_reach_a_loopback_endpoint`; does nothing
/// when run otherwise.
#[test]
fn proxy_variables_child() {
    let Ok(server) = std::env::var(CHILD_SERVER) else {
        return;
    };
    let local = HttpConfig::new(key(5), BaseUrl::parse(&server).expect("loopback"))
        .timeout(Duration::from_secs(10));
    for result in send_both(&local) {
        result.expect("sent directly to the loopback server");
    }
    let remote = HttpConfig::new(key(5), Region::Us).timeout(Duration::from_secs(10));
    for result in send_both(&remote) {
        result.expect_err("the stand-in proxy closes the tunnel");
    }
}

// ---------------------------------------------------------------------------------------
// The quickstart (the README's command)
// ---------------------------------------------------------------------------------------

fn quickstart(key: &str, endpoint: &str) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_quickstart"))
        .env_remove("CUSTOMERIO_REGION")
        .env_remove("CUSTOMERIO_STRICT")
        .env("CUSTOMERIO_API_KEY", key)
        .env("CUSTOMERIO_ENDPOINT", endpoint)
        .env("RUST_LOG", "trace")
        .output()
        .expect("the quickstart runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[test]
fn the_quickstart_never_echoes_the_key() {
    capture_logs();
    let secret = SECRETS[3];
    // Refused by the server (it knows another key).
    let server = TestServer::start();
    let (ok, output) = quickstart(secret, &server.base_url());
    assert!(!ok, "a refused key fails the run:\n{output}");
    assert!(!output.is_empty());
    assert_no_secret(&output, "the quickstart's output (401)");
    // A plain http:// endpoint off loopback is refused before anything is sent.
    let (ok, output) = quickstart(secret, "http://cdp.customer.io");
    assert!(!ok, "{output}");
    assert_no_secret(&output, "the quickstart's output (http://)");
    // A key that is not a key (a ':' in it).
    let (ok, output) = quickstart(&format!("{secret}:x"), &server.base_url());
    assert!(!ok, "{output}");
    assert_no_secret(&output, "the quickstart's output (bad key)");
    // Nothing the server saw carried the key outside the Authorization header.
    for request in server.requests() {
        assert_no_secret(&format!("{:?}", request.message_ids), "a request");
    }
}
