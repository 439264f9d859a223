//! End-to-end tests of the async batching client (tokio) against the loopback test server.

use std::collections::HashSet;
use std::sync::mpsc;
use std::time::Duration;

use event_core::client::{ClientBuilder, ClientError, DeliveryError, FailedEvent, QueueFull};
use event_core::transport::{AsyncHttpTransport, TransportError};
use event_core::{AsyncClient, Identity};
use event_tests::{
    Fault, POISON, PoisonEvent, SLOW_RESPONSE, ServerConfig, TEST_API_KEY, TestEvent, TestServer,
    builder, http_config,
};

type Client = AsyncClient<AsyncHttpTransport>;

fn user() -> Identity {
    Identity::user("user_1").expect("valid id")
}

fn client(
    server: &TestServer,
    attempts: u32,
    flush_at: usize,
) -> (Client, mpsc::Receiver<FailedEvent>) {
    let (tx, rx) = mpsc::channel();
    let transport = AsyncHttpTransport::new(http_config(server, TEST_API_KEY)).expect("transport");
    let client = builder(attempts)
        .flush_at(flush_at)
        .failures_to(tx)
        .build_async(transport)
        .expect("client");
    (client, rx)
}

async fn track_many(client: &Client, count: u64) -> Vec<String> {
    let mut ids = Vec::new();
    for n in 0..count {
        ids.push(
            client
                .track(user(), TestEvent::new(n, 10))
                .await
                .expect("queued")
                .as_str()
                .to_owned(),
        );
    }
    ids
}

#[tokio::test]
async fn transient_faults_deliver_every_event_with_stable_message_ids() {
    let server = TestServer::start();
    server.push_faults([
        Fault::Status(500),
        Fault::TooManyRequests {
            retry_after: "0".into(),
        },
        Fault::Reset,
        Fault::Delay(SLOW_RESPONSE),
        Fault::Status(504),
    ]);
    let (client, failures) = client(&server, 10, 40);
    let ids = track_many(&client, 200).await;
    client.flush().await.expect("flushed");

    let tracked: HashSet<String> = ids.into_iter().collect();
    let accepted: HashSet<String> = server.accepted_ids().into_iter().collect();
    assert_eq!(accepted, tracked);
    let stats = client.close().await;
    assert_eq!((stats.delivered, stats.failed, stats.rejected), (200, 0, 0));
    assert!(stats.retried > 0);
    assert!(failures.try_recv().is_err());
}

#[tokio::test]
async fn failed_events_come_back_after_the_last_retry() {
    let server = TestServer::start();
    server.push_faults([Fault::Status(503), Fault::Reset]);
    let (client, failures) = client(&server, 2, 100);
    let ids = track_many(&client, 3).await;
    client.flush().await.expect("flushed");
    let failed: Vec<FailedEvent> = failures.try_iter().collect();
    assert_eq!(
        failed
            .iter()
            .map(|f| f.message_id.clone())
            .collect::<Vec<_>>(),
        ids
    );
    assert!(failed.iter().all(|f| matches!(
        f.error,
        DeliveryError::Failed {
            attempts: 2,
            error: TransportError::Network(_)
        }
    )));
    assert!(server.accepted().is_empty());
}

#[tokio::test]
async fn one_bad_event_is_handed_back_and_the_rest_delivered() {
    let server = TestServer::start_with(ServerConfig {
        reject_event: Some(POISON.into()),
        ..ServerConfig::default()
    });
    let (client, failures) = client(&server, 3, 100);
    let mut good = track_many(&client, 3).await;
    let poison = client
        .track(user(), PoisonEvent { n: 3 })
        .await
        .expect("valid for the SDK");
    good.extend(track_many(&client, 4).await);
    client.flush().await.expect("flushed");
    let failed: Vec<FailedEvent> = failures.try_iter().collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].message_id, poison.as_str());
    assert!(failed[0].error.to_string().contains("is not allowed"));
    let accepted: HashSet<String> = server.accepted_ids().into_iter().collect();
    assert_eq!(accepted, good.into_iter().collect::<HashSet<_>>());
}

#[tokio::test]
async fn unauthorized_is_not_retried() {
    let server = TestServer::start_with(ServerConfig {
        api_key: "the-right-key".into(),
        ..ServerConfig::default()
    });
    let (client, failures) = client(&server, 5, 100);
    track_many(&client, 2).await;
    client.flush().await.expect("flushed");
    let failed: Vec<FailedEvent> = failures.try_iter().collect();
    assert_eq!(failed.len(), 2);
    assert!(failed.iter().all(|f| matches!(
        f.error,
        DeliveryError::Failed {
            attempts: 1,
            error: TransportError::Unauthorized { status: 401, .. }
        }
    )));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn size_limits_hold() {
    let server = TestServer::start();
    let (client, failures) = client(&server, 3, 100);
    for n in 0..50 {
        client
            .track(user(), TestEvent::new(n, 25_000))
            .await
            .expect("queued");
    }
    assert!(matches!(
        client.track(user(), TestEvent::new(99, 33_000)).await,
        Err(ClientError::TooLarge { .. })
    ));
    client.flush().await.expect("flushed");
    assert!(failures.try_recv().is_err());
    assert_eq!(server.accepted().len(), 50);
    for request in server.requests() {
        assert!(request.body_len <= 500_000 && request.max_item_len <= 32_000);
    }
}

#[tokio::test]
async fn full_queue_close_and_blocking_mode() {
    let server = TestServer::start();
    let transport = AsyncHttpTransport::new(http_config(&server, TEST_API_KEY)).expect("transport");
    let client = builder(3)
        .flush_at(1_000)
        .queue_capacity(3)
        .build_async(transport)
        .expect("client");
    let ids = track_many(&client, 3).await;
    assert!(matches!(
        client.track(user(), TestEvent::new(3, 0)).await,
        Err(ClientError::QueueFull { capacity: 3 })
    ));
    let stats = client.close().await;
    assert_eq!(stats.delivered, 3);
    assert_eq!(server.accepted_ids(), ids);
    assert!(matches!(
        client.track(user(), TestEvent::new(4, 0)).await,
        Err(ClientError::Closed)
    ));

    let transport = AsyncHttpTransport::new(http_config(&server, TEST_API_KEY)).expect("transport");
    let blocking = builder(3)
        .flush_at(2)
        .queue_capacity(2)
        .when_full(QueueFull::Block)
        .build_async(transport)
        .expect("client");
    track_many(&blocking, 30).await;
    let stats = blocking.close().await;
    assert_eq!(stats.delivered, 30);
}

#[tokio::test]
async fn a_lone_event_is_sent_when_the_flush_interval_passes() {
    // No flush, no full batch: only the interval timer can send it.
    let server = TestServer::start();
    let transport = AsyncHttpTransport::new(http_config(&server, TEST_API_KEY)).expect("transport");
    let client = builder(3)
        .flush_interval(std::time::Duration::from_millis(50))
        .build_async(transport)
        .expect("client");
    let id = client
        .track(user(), TestEvent::new(1, 0))
        .await
        .expect("queued");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while client.stats().delivered == 0 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(server.accepted_ids(), vec![id.as_str().to_owned()]);
    assert_eq!(client.stats().delivered, 1);
}

#[tokio::test]
async fn batches_are_sent_at_once_up_to_the_limit_and_flush_waits_for_all() {
    for concurrent in [1, 4] {
        let server = TestServer::start();
        // Each of the first requests is answered late, so batches sent at once overlap
        // at the server.
        server.push_faults(std::iter::repeat_n(
            Fault::Delay(Duration::from_millis(300)),
            4,
        ));
        let transport =
            AsyncHttpTransport::new(http_config(&server, TEST_API_KEY)).expect("transport");
        let client = builder(1)
            .flush_at(100)
            // Batches of 100 whatever the backlog: six of them, to overlap.
            .max_batch_events(100)
            .concurrent_batches(concurrent)
            .build_async(transport)
            .expect("client");
        let ids = track_many(&client, 600).await;
        client.flush().await.expect("flushed");

        // flush returned only once every batch, the slow ones included, was delivered.
        assert_eq!(client.stats().delivered, 600);
        let accepted: HashSet<String> = server.accepted_ids().into_iter().collect();
        assert_eq!(accepted, ids.into_iter().collect::<HashSet<_>>());
        assert_eq!(server.most_concurrent_requests(), concurrent);
        client.close().await;
    }
}

/// A runtime as `#[tokio::main]` (multi-threaded) or `#[tokio::test]` (not) builds it.
fn runtime(multi_thread: bool) -> tokio::runtime::Runtime {
    let mut builder = if multi_thread {
        tokio::runtime::Builder::new_multi_thread()
    } else {
        tokio::runtime::Builder::new_current_thread()
    };
    builder.enable_all().build().expect("runtime")
}

/// Asserts that each of `ids` reached the server or came back through `failures`.
fn delivered_or_handed_back(
    server: &TestServer,
    failures: &mpsc::Receiver<FailedEvent>,
    ids: &[String],
) -> Vec<FailedEvent> {
    let handed_back: Vec<FailedEvent> = failures.try_iter().collect();
    let mut seen: HashSet<String> = server.accepted_ids().into_iter().collect();
    seen.extend(handed_back.iter().map(|failed| failed.message_id.clone()));
    assert_eq!(seen, ids.iter().cloned().collect::<HashSet<_>>());
    handed_back
}

/// A program that tracks and returns without awaiting anything that yields: on a
/// `current_thread` runtime the client's tasks never ran. Its events still come back
/// (or reach the server, on a runtime whose tasks did run), in every runtime flavour.
#[test]
fn a_program_that_returns_right_after_track_loses_nothing() {
    for multi_thread in [false, true] {
        let server = TestServer::start();
        let (tx, failures) = mpsc::channel();
        let runtime = runtime(multi_thread);
        let ids = runtime.block_on(async {
            let transport =
                AsyncHttpTransport::new(http_config(&server, TEST_API_KEY)).expect("transport");
            let client = builder(3)
                .failures_to(tx)
                .build_async(transport)
                .expect("client");
            track_many(&client, 5).await
            // The client is dropped here, never closed, as at the end of `main`.
        });
        drop(runtime);
        delivered_or_handed_back(&server, &failures, &ids);
    }
}

/// The same program keeping its client past the runtime: the counters add up, and
/// `flush` from another runtime does not wait for tasks that will never run.
#[test]
fn a_client_outliving_its_current_thread_runtime_accounts_for_every_event() {
    let server = TestServer::start();
    let (tx, failures) = mpsc::channel();
    let first = runtime(false);
    let (client, ids) = first.block_on(async {
        let transport =
            AsyncHttpTransport::new(http_config(&server, TEST_API_KEY)).expect("transport");
        let client = builder(3)
            .failures_to(tx)
            .build_async(transport)
            .expect("client");
        let ids = track_many(&client, 5).await;
        (client, ids)
    });
    drop(first);

    let stats = client.stats();
    assert_eq!(stats.tracked, 5);
    assert_eq!(
        stats.delivered + stats.failed + stats.rejected,
        stats.tracked,
        "{stats:?}"
    );
    let handed_back = delivered_or_handed_back(&server, &failures, &ids);
    assert_eq!(handed_back.len() as u64, stats.failed);
    let flushed = runtime(false).block_on(client.flush_timeout(Duration::from_secs(10)));
    assert!(
        !matches!(flushed, Err(ClientError::FlushTimeout { .. })),
        "{flushed:?}"
    );
}

/// Dropping a client that was never closed, on a `current_thread` runtime that is not
/// run again: what it held comes back at once, as `ShutDown`.
#[test]
fn dropping_a_client_never_closed_hands_back_what_it_holds() {
    let server = TestServer::start();
    let (tx, failures) = mpsc::channel();
    let runtime = runtime(false);
    let ids = runtime.block_on(async {
        let transport =
            AsyncHttpTransport::new(http_config(&server, TEST_API_KEY)).expect("transport");
        let client = builder(3)
            .failures_to(tx)
            .build_async(transport)
            .expect("client");
        let ids = track_many(&client, 5).await;
        drop(client);
        ids
    });
    // The runtime is still alive, and nothing runs it.
    let handed_back = delivered_or_handed_back(&server, &failures, &ids);
    assert_eq!(handed_back.len(), ids.len());
    assert!(
        handed_back
            .iter()
            .all(|failed| matches!(failed.error, DeliveryError::ShutDown { last_error: None }))
    );
    drop(runtime);
}

/// Events queued faster than the server answers go out in full batches, within the body,
/// item and count limits; events the server names in its 400 come back, the rest is
/// resent at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backlog_goes_out_in_full_requests_and_named_refusals_cost_one_request_each() {
    let server = TestServer::start_with(ServerConfig {
        reject_event: Some(POISON.into()),
        answer_after: Duration::from_millis(100),
        ..ServerConfig::default()
    });
    let (client, failures) = client(&server, 3, ClientBuilder::DEFAULT_FLUSH_AT);
    let mut bad = HashSet::new();
    for n in 0..5_000u64 {
        if n % 500 == 250 {
            let id = client
                .track(user(), PoisonEvent { n })
                .await
                .expect("queued");
            bad.insert(id.as_str().to_owned());
        } else {
            client
                .track(user(), TestEvent::new(n, 300))
                .await
                .expect("queued");
        }
    }
    client.flush().await.expect("flushed");
    let failed: HashSet<String> = failures.try_iter().map(|f| f.message_id).collect();
    assert_eq!(failed, bad);
    let stats = client.close().await;
    assert_eq!((stats.delivered, stats.rejected), (4_990, 10));

    let requests = server.requests();
    // Batches of flush_at would take 50 requests, and splitting each refused one about
    // 14 more.
    let refused = requests.iter().filter(|r| r.status == 400).count();
    assert!(refused <= 10, "{refused} refused requests");
    assert!(
        requests.len() <= 15 + refused,
        "{} requests",
        requests.len()
    );
    for request in &requests {
        assert!(request.body_len <= ClientBuilder::DEFAULT_MAX_BATCH_BYTES);
        assert!(request.max_item_len <= ClientBuilder::DEFAULT_MAX_ITEM_BYTES);
        assert!(request.message_ids.len() <= ClientBuilder::DEFAULT_MAX_BATCH_EVENTS);
    }
}
