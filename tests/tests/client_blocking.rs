//! End-to-end tests of the blocking batching client against the loopback test server.

use std::collections::HashSet;
use std::sync::mpsc;
use std::time::Duration;

use event_core::client::{ClientBuilder, ClientError, DeliveryError, FailedEvent, QueueFull};
use event_core::transport::{HttpTransport, TransportError};
use event_core::{Client, Identity};
use event_tests::{
    Fault, POISON, PoisonEvent, SLOW_RESPONSE, ServerConfig, TEST_API_KEY, TestEvent, TestServer,
    builder, http_config,
};

fn user() -> Identity {
    Identity::user("user_1").expect("valid id")
}

fn client(
    server: &TestServer,
    attempts: u32,
    flush_at: usize,
) -> (Client, mpsc::Receiver<FailedEvent>) {
    event_tests::blocking_client(server, attempts, flush_at)
}

fn track_many(client: &Client, count: u64) -> Vec<String> {
    (0..count)
        .map(|n| {
            client
                .track(user(), TestEvent::new(n, 10))
                .expect("queued")
                .as_str()
                .to_owned()
        })
        .collect()
}

#[test]
fn transient_faults_deliver_every_event_with_stable_message_ids() {
    let server = TestServer::start();
    server.push_faults([
        Fault::Status(500),
        Fault::Status(503),
        Fault::TooManyRequests {
            retry_after: "0".into(),
        },
        Fault::Reset,
        Fault::Delay(SLOW_RESPONSE),
        Fault::Status(502),
    ]);
    let (client, failures) = client(&server, 10, 50);
    let ids = track_many(&client, 250);
    client.flush().expect("flushed");

    let tracked: HashSet<String> = ids.iter().cloned().collect();
    let accepted = server.accepted_ids();
    let accepted_set: HashSet<String> = accepted.iter().cloned().collect();
    assert_eq!(
        accepted_set, tracked,
        "every messageId delivered, and nothing else"
    );
    assert!(
        accepted.len() >= tracked.len(),
        "duplicates only ever repeat a messageId"
    );
    let stats = client.stats();
    assert_eq!(stats.delivered, 250);
    assert_eq!(stats.failed + stats.rejected, 0);
    assert!(stats.retried > 0);
    assert!(failures.try_recv().is_err());
    // Every failed attempt was retried with the same messageIds.
    event_tests::assert_failed_requests_were_retried(&server.requests());
}

#[test]
fn failed_events_come_back_after_the_last_retry() {
    let server = TestServer::start();
    server.push_faults([Fault::Status(500), Fault::Status(500), Fault::Status(500)]);
    let (client, failures) = client(&server, 3, 100);
    let ids = track_many(&client, 4);
    client.flush().expect("flushed");

    let failed: Vec<FailedEvent> = failures.try_iter().collect();
    assert_eq!(
        failed
            .iter()
            .map(|f| f.message_id.clone())
            .collect::<Vec<_>>(),
        ids
    );
    for event in &failed {
        assert!(matches!(
            &event.error,
            DeliveryError::Failed {
                attempts: 3,
                error: TransportError::Status { status: 500, .. }
            }
        ));
        assert_eq!(event.json()["messageId"], event.message_id.as_str());
        assert_eq!(event.json()["event"], "Test Event");
    }
    assert_eq!(server.requests().len(), 3);
    assert!(server.accepted().is_empty());
    let stats = client.stats();
    assert_eq!((stats.delivered, stats.failed, stats.retried), (0, 4, 8));
}

/// A 400 that does not say which event is bad: the batch is split down to it.
#[test]
fn one_bad_event_is_handed_back_and_the_rest_delivered() {
    let server = TestServer::start_with(ServerConfig {
        reject_event: Some(POISON.into()),
        name_refused_items: false,
        ..ServerConfig::default()
    });
    let (client, failures) = client(&server, 3, 100);
    let mut good = track_many(&client, 6);
    let poison = client
        .track(user(), PoisonEvent { n: 6 })
        .expect("valid for the SDK");
    good.extend(track_many(&client, 5));
    client.flush().expect("flushed");

    let failed: Vec<FailedEvent> = failures.try_iter().collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].message_id, poison.as_str());
    assert!(failed[0].is_rejected());
    let DeliveryError::Rejected(TransportError::Rejected { messages, .. }) = &failed[0].error
    else {
        panic!("expected a rejection, got {:?}", failed[0].error);
    };
    assert!(
        messages.iter().any(|m| m.contains("is not allowed")),
        "server's message reaches the app: {messages:?}"
    );
    let accepted: HashSet<String> = server.accepted_ids().into_iter().collect();
    assert_eq!(accepted, good.into_iter().collect::<HashSet<_>>());
    let stats = client.stats();
    assert_eq!(
        (stats.delivered, stats.rejected, stats.failed, stats.retried),
        (11, 1, 0, 0)
    );
    // A rejected single event is not retried: one request carried it alone.
    let alone = server
        .requests()
        .iter()
        .filter(|r| r.message_ids == [poison.as_str().to_owned()])
        .count();
    assert_eq!(alone, 1);
}

#[test]
fn unauthorized_is_not_retried_and_says_so() {
    let server = TestServer::start_with(ServerConfig {
        api_key: "the-right-key".into(),
        ..ServerConfig::default()
    });
    let (client, failures) = client(&server, 5, 100);
    track_many(&client, 3);
    client.flush().expect("flushed");

    let failed: Vec<FailedEvent> = failures.try_iter().collect();
    assert_eq!(failed.len(), 3);
    for event in &failed {
        let DeliveryError::Failed {
            attempts: 1,
            error: error @ TransportError::Unauthorized { status: 401, body },
        } = &event.error
        else {
            panic!("expected a 401, got {:?}", event.error);
        };
        assert!(body.contains("unauthorized"));
        assert!(error.to_string().contains("check the key"));
        assert!(!format!("{event:?} {event}").contains(TEST_API_KEY));
    }
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn no_request_over_500_kb_and_no_item_over_32_kb() {
    let server = TestServer::start();
    let (client, failures) = client(&server, 3, 100);
    // 60 events of about 20 KB: 1.2 MB in all, so the size limit decides the batches.
    for n in 0..60 {
        client
            .track(user(), TestEvent::new(n, 20_000))
            .expect("queued");
    }
    let too_big = client.track(user(), TestEvent::new(60, 40_000));
    assert!(
        matches!(too_big, Err(ClientError::TooLarge { max: 32_000, .. })),
        "{too_big:?}"
    );
    client.flush().expect("flushed");

    assert!(failures.try_recv().is_err());
    assert_eq!(server.accepted().len(), 60);
    let requests = server.requests();
    assert!(requests.len() >= 3);
    for request in &requests {
        assert!(
            request.body_len <= 500_000,
            "body of {} bytes",
            request.body_len
        );
        assert!(
            request.body_len <= 475_000,
            "the client keeps its margin: {}",
            request.body_len
        );
        assert!(request.max_item_len <= 32_000);
    }
}

#[test]
fn invalid_events_are_refused_before_queueing() {
    #[derive(serde::Serialize, event_core::SemanticEvent)]
    #[semantic_event(name = "Price Checked")]
    struct PriceChecked {
        #[semantic_event(range(min = 0))]
        price: f64,
    }
    let server = TestServer::start();
    let (client, _failures) = client(&server, 3, 100);
    let error = client
        .track(user(), PriceChecked { price: f64::NAN })
        .expect_err("NaN is invalid");
    assert!(matches!(error, ClientError::Invalid(_)));
    client.flush().expect("flushed");
    assert_eq!(client.stats().tracked, 0);
    assert!(server.requests().is_empty());
}

#[test]
fn flush_and_close_deliver_everything_queued() {
    let server = TestServer::start();
    let (client, _failures) = client(&server, 3, 7);
    let first = track_many(&client, 10);
    client.flush().expect("flushed");
    assert_eq!(server.accepted().len(), 10);
    let second = track_many(&client, 5);
    let stats = client.close();
    assert_eq!((stats.tracked, stats.delivered, stats.queued), (15, 15, 0));
    let accepted: HashSet<String> = server.accepted_ids().into_iter().collect();
    assert_eq!(
        accepted,
        first.into_iter().chain(second).collect::<HashSet<_>>()
    );
    assert!(matches!(
        client.track(user(), TestEvent::new(0, 0)),
        Err(ClientError::Closed)
    ));
}

#[test]
fn drop_flushes() {
    let server = TestServer::start();
    let (client, _failures) = client(&server, 3, 100);
    let ids = track_many(&client, 12);
    drop(client);
    assert_eq!(server.accepted_ids(), ids);
}

#[test]
fn a_full_queue_is_reported_not_dropped() {
    let server = TestServer::start();
    let transport = HttpTransport::new(http_config(&server, TEST_API_KEY)).expect("transport");
    let client = builder(3)
        .flush_at(1_000)
        .queue_capacity(5)
        .build(transport)
        .expect("client");
    let ids = track_many(&client, 5);
    let full = client.track(user(), TestEvent::new(5, 0));
    assert!(
        matches!(full, Err(ClientError::QueueFull { capacity: 5 })),
        "{full:?}"
    );
    assert!(
        full.expect_err("full")
            .to_string()
            .contains("queue is full")
    );
    client.flush().expect("flushed");
    assert_eq!(server.accepted_ids(), ids);
}

/// With `QueueFull::Block`, a full queue makes `track` wait until a worker has made
/// room, which it does only after the server answered the batch it was sending.
#[test]
fn a_blocking_queue_waits_for_room() {
    let server = TestServer::start();
    // Every answer is late (within the client's timeout): the queue fills meanwhile.
    server.push_faults(std::iter::repeat_n(
        Fault::Delay(Duration::from_millis(100)),
        20,
    ));
    let transport = HttpTransport::new(http_config(&server, TEST_API_KEY)).expect("transport");
    let client = builder(3)
        .flush_at(2)
        .queue_capacity(2)
        .concurrent_batches(1)
        .when_full(QueueFull::Block)
        .build(transport)
        .expect("client");
    let mut ids = Vec::new();
    for n in 0..20 {
        let id = client.track(user(), TestEvent::new(n, 10)).expect("queued");
        ids.push(id.as_str().to_owned());
        // At most 2 events wait in the queue and 2 more are on their way (one batch of
        // 2): a call that returned with more accepted than that had waited until the
        // server answered for the rest.
        let accepted = n + 1;
        let delivered = client.stats().delivered;
        assert!(
            delivered + 4 >= accepted,
            "event {n} was accepted with only {delivered} delivered: track did not wait"
        );
    }
    client.flush().expect("flushed");
    assert_eq!(
        server.accepted_ids().into_iter().collect::<HashSet<_>>(),
        ids.into_iter().collect()
    );
    assert_eq!(client.stats().delivered, 20);
}

/// A queue with less room than `flush_at` sends what it holds once it is full, rather
/// than leave a blocked `track` waiting for `flush_at` events or for `flush_interval`.
#[test]
fn a_full_queue_smaller_than_flush_at_sends_what_it_holds() {
    let server = TestServer::start();
    let transport = HttpTransport::new(http_config(&server, TEST_API_KEY)).expect("transport");
    let client = builder(3)
        .flush_at(100)
        .flush_interval(Duration::from_secs(3_600))
        .queue_capacity(5)
        .when_full(QueueFull::Block)
        .build(transport)
        .expect("client");
    let client = std::sync::Arc::new(client);
    let (done, finished) = std::sync::mpsc::channel();
    let tracking = std::sync::Arc::clone(&client);
    std::thread::spawn(move || {
        for n in 0..30 {
            tracking
                .track(user(), TestEvent::new(n, 10))
                .expect("queued");
        }
        let _ = done.send(());
    });
    // Waiting for room can only end by sending batches smaller than `flush_at`; a
    // generous bound, far below `flush_interval`, turns a hang into a failure.
    finished
        .recv_timeout(Duration::from_secs(60))
        .expect("a blocked track waited for flush_at or flush_interval");
    client.flush().expect("flushed");
    assert_eq!(server.accepted_ids().len(), 30);
}

#[test]
fn close_hands_back_what_it_cannot_deliver() {
    let server = TestServer::start();
    // The server keeps failing for longer than the shutdown allows.
    server.push_faults(std::iter::repeat_n(
        Fault::TooManyRequests {
            retry_after: "30".into(),
        },
        5,
    ));
    let (tx, failures) = mpsc::channel();
    let transport = HttpTransport::new(http_config(&server, TEST_API_KEY)).expect("transport");
    let client = builder(10)
        .shutdown_timeout(std::time::Duration::from_secs(2))
        .failures_to(tx)
        .build(transport)
        .expect("client");
    let ids = track_many(&client, 3);
    let stats = client.close();
    assert_eq!((stats.delivered, stats.failed), (0, 3));
    let failed: Vec<FailedEvent> = failures.try_iter().collect();
    assert_eq!(
        failed
            .iter()
            .map(|f| f.message_id.clone())
            .collect::<Vec<_>>(),
        ids
    );
    assert!(
        failed
            .iter()
            .all(|f| matches!(f.error, DeliveryError::ShutDown { .. }))
    );
}

#[test]
fn a_lone_event_is_sent_when_the_flush_interval_passes() {
    // No flush, no full batch: only the interval timer can send it.
    let server = TestServer::start();
    let transport = HttpTransport::new(http_config(&server, TEST_API_KEY)).expect("transport");
    let client = builder(3)
        .flush_interval(std::time::Duration::from_millis(50))
        .build(transport)
        .expect("client");
    let id = client.track(user(), TestEvent::new(1, 0)).expect("queued");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while client.stats().delivered == 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(server.accepted_ids(), vec![id.as_str().to_owned()]);
    assert_eq!(client.stats().delivered, 1);
}

#[test]
fn batches_are_sent_at_once_up_to_the_limit_and_flush_waits_for_all() {
    for concurrent in [1, 4] {
        let server = TestServer::start();
        // Each of the first requests is answered late, so batches sent at once overlap
        // at the server.
        server.push_faults(std::iter::repeat_n(
            Fault::Delay(Duration::from_millis(300)),
            4,
        ));
        let transport = HttpTransport::new(http_config(&server, TEST_API_KEY)).expect("transport");
        let client = builder(1)
            .flush_at(100)
            // Batches of 100 whatever the backlog: six of them, to overlap.
            .max_batch_events(100)
            .concurrent_batches(concurrent)
            .build(transport)
            .expect("client");
        let ids = track_many(&client, 600);
        client.flush().expect("flushed");

        // flush returned only once every batch, the slow ones included, was delivered.
        assert_eq!(client.stats().delivered, 600);
        let accepted: HashSet<String> = server.accepted_ids().into_iter().collect();
        assert_eq!(accepted, ids.into_iter().collect::<HashSet<_>>());
        assert_eq!(server.most_concurrent_requests(), concurrent);
    }
}

// ---------------------------------------------------------------------------------------
// Latency: full batches for a backlog, batches in flight, refusals the server names
// ---------------------------------------------------------------------------------------

/// Waits (polling, with a generous bound) until the server has seen `count` requests.
fn wait_for_requests(server: &TestServer, count: usize) {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while server.requests().len() < count {
        assert!(
            std::time::Instant::now() < deadline,
            "the server saw {} requests, not {count}",
            server.requests().len()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Events queued faster than the server answers go out in full batches: each within the
/// body, item and count limits, the bulk near the body limit.
#[test]
fn a_backlog_goes_out_in_few_full_requests() {
    let server = TestServer::start_with(ServerConfig {
        answer_after: Duration::from_millis(100),
        ..ServerConfig::default()
    });
    let (client, failures) = client(&server, 3, ClientBuilder::DEFAULT_FLUSH_AT);
    // About 500 bytes each: 2.5 MB in all, so the body limit decides the batches.
    for n in 0..5_000 {
        client
            .track(user(), TestEvent::new(n, 300))
            .expect("queued");
    }
    client.flush().expect("flushed");
    assert!(failures.try_recv().is_err());
    assert_eq!(client.stats().delivered, 5_000);
    assert_eq!(server.accepted().len(), 5_000);

    let requests = server.requests();
    // Batches of flush_at would take 50; the first few go at flush_at, before the
    // backlog builds up behind the workers.
    assert!(requests.len() <= 15, "{} requests", requests.len());
    for request in &requests {
        assert!(request.body_len <= ClientBuilder::DEFAULT_MAX_BATCH_BYTES);
        assert!(request.max_item_len <= ClientBuilder::DEFAULT_MAX_ITEM_BYTES);
        assert!(request.message_ids.len() <= ClientBuilder::DEFAULT_MAX_BATCH_EVENTS);
    }
    let full = requests
        .iter()
        .filter(|request| request.body_len > ClientBuilder::DEFAULT_MAX_BATCH_BYTES - 1_000)
        .count();
    assert!(full >= 3, "{full} full requests");
}

/// Tiny events are bounded by the count limit, not the body limit.
#[test]
fn a_batch_holds_at_most_max_batch_events() {
    let server = TestServer::start_with(ServerConfig {
        answer_after: Duration::from_millis(50),
        ..ServerConfig::default()
    });
    let transport = HttpTransport::new(http_config(&server, TEST_API_KEY)).expect("transport");
    let client = builder(3)
        .flush_at(10)
        .max_batch_events(300)
        .concurrent_batches(1)
        .build(transport)
        .expect("client");
    for n in 0..1_000 {
        client.track(user(), TestEvent::new(n, 1)).expect("queued");
    }
    client.flush().expect("flushed");
    let counts: Vec<usize> = server
        .requests()
        .iter()
        .map(|request| request.message_ids.len())
        .collect();
    assert_eq!(counts.iter().sum::<usize>(), 1_000);
    assert!(counts.iter().all(|count| *count <= 300), "{counts:?}");
    assert!(counts.contains(&300), "{counts:?}");
}

/// Events that come one by one still go at flush_at, or once flush_interval passes.
#[test]
fn a_trickle_still_goes_at_flush_at_and_flush_interval() {
    let server = TestServer::start();
    let transport = HttpTransport::new(http_config(&server, TEST_API_KEY)).expect("transport");
    let client = builder(3)
        .flush_at(10)
        .flush_interval(Duration::from_millis(100))
        .build(transport)
        .expect("client");
    for round in 1..=3 {
        track_many(&client, 10);
        wait_for_requests(&server, round);
    }
    // Three left over: they go when the interval has passed, without a flush.
    track_many(&client, 3);
    wait_for_requests(&server, 4);
    let counts: Vec<usize> = server
        .requests()
        .iter()
        .map(|request| request.message_ids.len())
        .collect();
    assert_eq!(counts, [10, 10, 10, 3]);
    assert_eq!(client.close().delivered, 33);
}

/// A strict-mode 400 names the bad items (`batch[N]: ...`): those come back, the rest is
/// resent at once, and no batch is split.
#[test]
fn refused_events_the_server_names_come_back_in_few_requests() {
    let server = TestServer::start_with(ServerConfig {
        reject_event: Some(POISON.into()),
        ..ServerConfig::default()
    });
    // One batch of the 1,000.
    let (client, failures) = client(&server, 3, 1_000);
    let mut bad = HashSet::new();
    let mut good = HashSet::new();
    for n in 0..1_000u64 {
        if n % 97 == 13 {
            let id = client.track(user(), PoisonEvent { n }).expect("queued");
            bad.insert(id.as_str().to_owned());
        } else {
            let id = client.track(user(), TestEvent::new(n, 10)).expect("queued");
            good.insert(id.as_str().to_owned());
        }
    }
    assert_eq!(bad.len(), 11);
    client.flush().expect("flushed");
    let failed: Vec<FailedEvent> = failures.try_iter().collect();
    let failed_ids: HashSet<String> = failed.iter().map(|f| f.message_id.clone()).collect();
    assert_eq!(failed_ids, bad);
    assert_eq!(failed.len(), bad.len());
    for failed in &failed {
        let DeliveryError::Rejected(TransportError::Rejected { messages, .. }) = &failed.error
        else {
            panic!("expected a rejection, got {failed}");
        };
        // Each comes back with the message about itself.
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].contains("is not allowed"), "{messages:?}");
    }
    let accepted: HashSet<String> = server.accepted_ids().into_iter().collect();
    assert_eq!(accepted, good);
    let requests = server.requests();
    assert!(requests.len() <= 4, "{} requests", requests.len());
    let stats = client.close();
    assert_eq!((stats.delivered, stats.rejected), (989, 11));
}

/// A 429 with `Retry-After` pauses every worker, not only the one that got it: between
/// the 429 and the retry of its batch, the server sees only requests that were already
/// on their way or sent while the 429 travelled back (a few per other worker: the answer
/// takes 50 ms), not the rest of the queue for the whole second (about 60 requests, as
/// measured without the shared pause).
#[test]
fn a_429_pauses_every_worker() {
    let server = TestServer::start_with(ServerConfig {
        answer_after: Duration::from_millis(50),
        ..ServerConfig::default()
    });
    server.push_faults([Fault::TooManyRequests {
        retry_after: "1".to_owned(),
    }]);
    let transport = HttpTransport::new(http_config(&server, TEST_API_KEY)).expect("transport");
    let client = builder(3)
        .flush_at(10)
        .max_batch_events(10)
        .concurrent_batches(4)
        .build(transport)
        .expect("client");
    track_many(&client, 1_000);
    client.flush().expect("flushed");
    assert_eq!(client.stats().delivered, 1_000);

    let requests = server.requests();
    let refused = requests
        .iter()
        .position(|request| request.status == 429)
        .expect("a 429");
    let retried = requests
        .iter()
        .skip(refused + 1)
        .position(|request| request.message_ids == requests[refused].message_ids)
        .expect("the batch retried");
    assert!(
        retried <= 15,
        "{retried} requests between the 429 and its retry"
    );
    assert_eq!(requests.len(), 101);
}
