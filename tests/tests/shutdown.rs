//! Shutdown under load: `close()` while the server is slow delivers what it can within
//! the timeout and hands back every event it could not deliver, so that
//! delivered + handed back = tracked, always.
//!
//! No assertion depends on how fast the machine is: the work queued takes many times the
//! shutdown timeout even on a fast machine, and a slower one only hands back more.

use std::collections::HashSet;
use std::sync::mpsc;
use std::time::Duration;

use event_core::client::{ClientError, DeliveryError, FailedEvent};
use event_core::transport::{HttpTransport, TransportError};
use event_core::{Client, Identity};
use event_tests::{
    Fault, SLOW_RESPONSE, TEST_API_KEY, TestEvent, TestServer, builder, http_config,
};

fn client(
    server: &TestServer,
    attempts: u32,
    flush_at: usize,
) -> (Client, mpsc::Receiver<FailedEvent>) {
    event_tests::blocking_client(server, attempts, flush_at)
}

fn track(client: &Client, count: u64) -> Vec<String> {
    let user = Identity::user("user_1").expect("an id");
    (0..count)
        .map(|n| {
            let id = client
                .track(user.clone(), TestEvent::new(n, 10))
                .expect("queued");
            id.as_str().to_owned()
        })
        .collect()
}

/// The server answers every request, but each takes 200 ms (within the client's timeout):
/// 40 batches of 10, four at a time, are 2 s of work, and `close` allows 1 s.
#[test]
fn close_with_a_slow_server_delivers_what_it_can_and_hands_back_the_rest() {
    let server = TestServer::start();
    server.push_faults((0..1_000).map(|_| Fault::Delay(Duration::from_millis(200))));
    let (tx, failures) = mpsc::channel();
    let transport = HttpTransport::new(http_config(&server, TEST_API_KEY)).expect("transport");
    let client = builder(5)
        .flush_at(10)
        .max_batch_events(10)
        .concurrent_batches(4)
        .failures_to(tx)
        .build(transport)
        .expect("client");
    let ids = track(&client, 400);

    let stats = client.close_within(Duration::from_secs(1));
    let handed_back: Vec<FailedEvent> = failures.try_iter().collect();

    assert_eq!(stats.tracked, 400);
    assert_eq!(
        stats.delivered + stats.failed + stats.rejected,
        stats.tracked,
        "{stats:?}"
    );
    assert_eq!(stats.rejected, 0);
    assert_eq!(
        handed_back.len() as u64,
        stats.failed,
        "every undelivered event comes back"
    );
    assert!(!handed_back.is_empty(), "8 s of work cannot fit in 1 s");
    assert!(
        handed_back
            .iter()
            .all(|failed| matches!(failed.error, DeliveryError::ShutDown { .. })),
        "events come back as ShutDown"
    );

    // Each event was delivered or handed back, not both, not neither.
    let tracked: HashSet<&String> = ids.iter().collect();
    let returned: HashSet<&String> = handed_back
        .iter()
        .map(|failed| &failed.message_id)
        .collect();
    assert_eq!(
        returned.len(),
        handed_back.len(),
        "each event handed back once"
    );
    let accepted = server.accepted_ids();
    let accepted: HashSet<&String> = accepted.iter().collect();
    // (At least: a response that outlasts the client's timeout on a loaded machine is
    // retried, and the event may be both on the server and handed back.)
    assert!(accepted.len() as u64 >= stats.delivered);
    assert!(returned.is_subset(&tracked));
    assert_eq!(accepted.union(&returned).count(), tracked.len());
    // Events never sent (no last error) are certainly not on the server.
    for failed in &handed_back {
        if matches!(failed.error, DeliveryError::ShutDown { last_error: None }) {
            assert!(!accepted.contains(&failed.message_id));
        }
        // The payload handed back is the event itself, ready to be stored or resent.
        assert_eq!(failed.json()["messageId"], failed.message_id.as_str());
    }

    // Closed is closed.
    let late = client.track(Identity::user("u").expect("an id"), TestEvent::new(0, 0));
    assert!(matches!(late, Err(ClientError::Closed)));
}

/// The server is slower than the client's timeout on every request: nothing is
/// confirmed, retries run until `close`'s deadline, and every event comes back with the
/// last error (the server may have kept some: at-least-once, so they may be duplicates
/// if the application resends them; their messageIds let the server drop those).
#[test]
fn close_while_every_request_times_out_hands_back_every_event() {
    let server = TestServer::start();
    server.push_faults((0..1_000).map(|_| Fault::Delay(SLOW_RESPONSE)));
    let (client, failures) = client(&server, 100, 10);
    let ids = track(&client, 50);

    let stats = client.close_within(Duration::from_millis(1_500));
    let handed_back: Vec<FailedEvent> = failures.try_iter().collect();

    assert_eq!(stats.delivered + stats.failed, 50, "{stats:?}");
    assert_eq!(handed_back.len() as u64, stats.failed);
    let mut returned: Vec<&String> = handed_back
        .iter()
        .map(|failed| &failed.message_id)
        .collect();
    returned.sort();
    returned.dedup();
    assert_eq!(returned.len(), handed_back.len());
    for failed in &handed_back {
        match &failed.error {
            DeliveryError::ShutDown { last_error: None } => {}
            DeliveryError::ShutDown {
                last_error: Some(error),
            } => assert!(
                matches!(error, TransportError::Timeout | TransportError::Network(_)),
                "{error}"
            ),
            other => panic!("expected ShutDown, got {other}"),
        }
        assert!(ids.contains(&failed.message_id));
    }
}

/// `Drop` closes too: with the default shutdown timeout shortened, dropping a client
/// whose server never answers in time still hands back every event.
#[test]
fn drop_hands_back_what_it_could_not_deliver() {
    let server = TestServer::start();
    server.push_faults((0..1_000).map(|_| Fault::Delay(SLOW_RESPONSE)));
    let (tx, failures) = mpsc::channel();
    let transport = HttpTransport::new(http_config(&server, TEST_API_KEY)).expect("transport");
    let client = builder(100)
        .flush_at(5)
        .shutdown_timeout(Duration::from_secs(1))
        .failures_to(tx)
        .build(transport)
        .expect("client");
    let ids = track(&client, 20);
    drop(client);
    let mut returned: Vec<String> = failures
        .try_iter()
        .map(|failed| failed.message_id)
        .collect();
    returned.sort();
    let mut expected = ids;
    expected.sort();
    assert_eq!(returned, expected);
}

/// A transport that, on its first request, waits for the test's signal and then panics:
/// a bug in a user's own transport.
struct PanicsWhenTold {
    signal: std::sync::Mutex<mpsc::Receiver<()>>,
}

impl event_core::Transport for PanicsWhenTold {
    fn send(&self, _request: event_core::transport::Request<'_>) -> Result<(), TransportError> {
        let signal = self
            .signal
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let _ = signal.recv_timeout(Duration::from_secs(10));
        panic!("the transport has a bug");
    }
}

fn all_handed_back(failures: &mpsc::Receiver<FailedEvent>, ids: &[String]) -> Vec<FailedEvent> {
    let handed_back: Vec<FailedEvent> = (0..ids.len())
        .map_while(|_| failures.recv_timeout(Duration::from_secs(10)).ok())
        .collect();
    let back: HashSet<&str> = handed_back.iter().map(|f| f.message_id.as_str()).collect();
    assert_eq!(back, ids.iter().map(String::as_str).collect::<HashSet<_>>());
    handed_back
}

#[test]
fn a_panicking_transport_hands_back_the_batch_it_was_sending_and_the_queue() {
    let (tell, signal) = mpsc::channel();
    let (failures_tx, failures) = mpsc::channel();
    let transport = PanicsWhenTold {
        signal: std::sync::Mutex::new(signal),
    };
    let client = builder(1)
        .flush_at(10)
        .concurrent_batches(1)
        .failures_to(failures_tx)
        .build(transport)
        .expect("client");
    // The only worker takes the first 10 and waits in the transport; 15 stay queued.
    let ids = track(&client, 25);
    tell.send(()).expect("the transport waits");

    let handed_back = all_handed_back(&failures, &ids);
    assert!(
        handed_back.iter().all(
            |failed| failed.error == DeliveryError::WorkerStopped && !failed.payload.is_empty()
        )
    );
    // With no worker left, nothing more is accepted, and nothing waits forever.
    let user = Identity::user("user_1").expect("an id");
    assert_eq!(
        client.track(user, TestEvent::new(99, 10)).err(),
        Some(ClientError::Closed)
    );
    let stats = client.close();
    assert_eq!((stats.tracked, stats.failed, stats.delivered), (25, 25, 0));
}

/// An async transport whose requests never complete.
struct NeverAnswers;

impl event_core::AsyncTransport for NeverAnswers {
    async fn send(
        &self,
        _request: event_core::transport::Request<'_>,
    ) -> Result<(), TransportError> {
        std::future::pending().await
    }
}

#[test]
fn an_async_client_whose_runtime_shuts_down_hands_back_every_event() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let (failures_tx, failures) = mpsc::channel();
    let (client, ids) = runtime.block_on(async {
        let client = builder(1)
            .flush_at(10)
            .failures_to(failures_tx)
            .build_async(NeverAnswers)
            .expect("client");
        let user = Identity::user("user_1").expect("an id");
        let mut ids = Vec::new();
        for n in 0..25 {
            let id = client.track(user.clone(), TestEvent::new(n, 10)).await;
            ids.push(id.expect("queued").as_str().to_owned());
        }
        // Let the workers take the two full batches into requests that never end.
        tokio::time::sleep(Duration::from_millis(50)).await;
        (client, ids)
    });
    // The application shuts its runtime down with events in flight and queued.
    drop(runtime);

    let handed_back = all_handed_back(&failures, &ids);
    assert!(
        handed_back
            .iter()
            .all(|failed| failed.error == DeliveryError::WorkerStopped)
    );
    let stats = client.stats();
    assert_eq!((stats.tracked, stats.failed, stats.pending()), (25, 25, 0));
}

/// A server that accepts connections and never answers.
struct SilentServer {
    addr: std::net::SocketAddr,
}

impl SilentServer {
    fn start() -> SilentServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        // Holds every connection open, unanswered, until the test process ends.
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for stream in listener.incoming().flatten() {
                held.push(stream);
            }
        });
        SilentServer { addr }
    }
}

/// Dropping a blocking client inside a tokio runtime blocks that runtime's thread; with
/// requests that will not end for a long time, the drop still returns by the shutdown
/// timeout, and every event in flight or queued comes back as `ShutDown`.
#[test]
fn dropping_a_client_inside_a_runtime_waits_no_longer_than_the_shutdown_timeout() {
    const SHUTDOWN: Duration = Duration::from_millis(500);
    const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
    let server = SilentServer::start();
    let url = event_core::transport::BaseUrl::parse(&format!("http://{}", server.addr))
        .expect("loopback URL");
    let key = event_core::transport::ApiKey::new(TEST_API_KEY).expect("key");
    let config = event_core::transport::HttpConfig::new(key, url).timeout(REQUEST_TIMEOUT);
    let (tx, failures) = mpsc::channel();
    let client = builder(3)
        .flush_at(5)
        .shutdown_timeout(SHUTDOWN)
        .failures_to(tx)
        .build(HttpTransport::new(config).expect("transport"))
        .expect("client");
    // Four batches go to the silent server at once; the rest wait in the queue.
    let ids = track(&client, 30);

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let took = runtime.block_on(async move {
        let start = std::time::Instant::now();
        drop(client);
        start.elapsed()
    });

    // A generous bound, far below the request timeout the drop used to wait for.
    assert!(took < SHUTDOWN + Duration::from_secs(10), "{took:?}");
    let handed_back: Vec<FailedEvent> = failures.try_iter().collect();
    let mut returned: Vec<&String> = handed_back.iter().map(|f| &f.message_id).collect();
    returned.sort();
    let mut expected: Vec<&String> = ids.iter().collect();
    expected.sort();
    assert_eq!(returned, expected);
    assert!(
        handed_back
            .iter()
            .all(|failed| matches!(failed.error, DeliveryError::ShutDown { .. }))
    );
}

/// `AsyncClient::close_within` returns by its deadline even when requests never end:
/// their events come back as `ShutDown`, and the tasks waiting on them are stopped.
#[test]
fn an_async_close_returns_by_its_deadline_while_requests_never_end() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (failures_tx, failures) = mpsc::channel();
    let (ids, closed, stats) = runtime.block_on(async {
        let client = builder(1)
            .flush_at(10)
            .failures_to(failures_tx)
            .build_async(NeverAnswers)
            .expect("client");
        let user = Identity::user("user_1").expect("an id");
        let mut ids = Vec::new();
        for n in 0..25 {
            let id = client.track(user.clone(), TestEvent::new(n, 10)).await;
            ids.push(id.expect("queued").as_str().to_owned());
        }
        // Far longer than the deadline: the close must not wait for the requests.
        let closed = tokio::time::timeout(
            Duration::from_secs(30),
            client.close_within(Duration::from_millis(200)),
        )
        .await;
        (ids, closed.is_ok(), client.stats())
    });
    assert!(closed, "close waited for requests that never end");
    assert_eq!((stats.tracked, stats.failed, stats.pending()), (25, 25, 0));
    let handed_back: Vec<FailedEvent> = failures.try_iter().collect();
    let back: HashSet<&str> = handed_back.iter().map(|f| f.message_id.as_str()).collect();
    assert_eq!(back, ids.iter().map(String::as_str).collect::<HashSet<_>>());
    assert_eq!(handed_back.len(), ids.len());
    assert!(
        handed_back
            .iter()
            .all(|failed| matches!(failed.error, DeliveryError::ShutDown { .. }))
    );
}
