//! A fault soak: 100,000 events through the blocking batching client while the loopback
//! server injects a mix of 500s, 429s with `Retry-After`, connection resets, responses
//! slower than the client's timeout (the server keeps the events, the client retries:
//! duplicates) and slow-but-successful responses.
//!
//! At the end: every messageId was delivered, duplicates only repeat a messageId, nothing
//! failed, the counters add up (delivered + failed + rejected = tracked), and no request
//! broke the size limits. The fault schedule is fixed (a seeded generator), so the run is
//! the same every time; no assertion depends on timing. It takes well under a minute in a
//! debug build (about 6 s of it are the injected timeouts and `Retry-After: 1` waits).
//!
//! `SOAK_EVENTS=1000000 cargo test -p event-tests --release --test soak` soaks longer.

use std::collections::HashSet;
use std::sync::mpsc;
use std::time::Duration;

use event_core::client::{ClientBuilder, FailedEvent, QueueFull};
use event_core::transport::HttpTransport;
use event_core::{Client, Identity};
use event_tests::server::{MAX_BODY_BYTES, MAX_ITEM_BYTES};
use event_tests::{
    Fault, SLOW_RESPONSE, TEST_API_KEY, TestEvent, TestServer, builder, http_config,
};

/// A small deterministic generator (xorshift), so the fault mix is the same on every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// `len` answers: about 70 % normal, the rest faults of every kind, never more than three
/// faults in a row (the client makes ten attempts, so every batch gets through).
fn fault_schedule(len: usize) -> Vec<Fault> {
    let mut rng = Rng(0x5eed_cafe_f00d_d00d);
    let mut schedule = Vec::with_capacity(len);
    let mut in_a_row = 0;
    while schedule.len() < len {
        let roll = rng.below(100);
        let fault = match roll {
            _ if in_a_row == 3 => None,
            0..=3 => Some(Fault::Status(500)),
            4..=5 => Some(Fault::Status(502)),
            6..=7 => Some(Fault::Status(503)),
            8..=13 => Some(Fault::TooManyRequests {
                retry_after: "0".into(),
            }),
            14 => Some(Fault::TooManyRequests {
                retry_after: if rng.below(4) == 0 { "1" } else { "0" }.into(),
            }),
            15..=20 => Some(Fault::Reset),
            21..=22 => Some(Fault::Delay(SLOW_RESPONSE)),
            23..=29 => Some(Fault::TooManyRequests {
                // An HTTP date in the past: retry at once.
                retry_after: "Wed, 21 Oct 2015 07:28:00 GMT".into(),
            }),
            _ => None,
        };
        match fault {
            Some(fault) => {
                in_a_row += 1;
                schedule.push(fault);
            }
            None => {
                in_a_row = 0;
                // A normal answer; one in eight of them slow (but within the timeout).
                let delay = if rng.below(8) == 0 { 20 } else { 0 };
                schedule.push(Fault::Delay(Duration::from_millis(delay)));
            }
        }
    }
    schedule
}

#[test]
fn soak_100k_events_through_injected_faults() {
    let events: u64 = std::env::var("SOAK_EVENTS")
        .ok()
        .and_then(|events| events.parse().ok())
        .unwrap_or(100_000);
    let flush_at = 250;
    let server = TestServer::start();
    let schedule = fault_schedule(usize::try_from(events / 100).unwrap_or(usize::MAX).max(50));
    let injected = schedule
        .iter()
        .filter(|fault| !matches!(fault, Fault::Delay(delay) if *delay < SLOW_RESPONSE))
        .count();
    server.push_faults(schedule);

    let (failures_tx, failures) = mpsc::channel::<FailedEvent>();
    let transport = HttpTransport::new(http_config(&server, TEST_API_KEY)).expect("transport");
    let client: Client = builder(10)
        .flush_at(flush_at)
        .queue_capacity(5_000)
        .when_full(QueueFull::Block)
        .failures_to(failures_tx)
        .build(transport)
        .expect("client");

    let user = Identity::user("soak_user").expect("an id");
    let mut tracked = HashSet::with_capacity(usize::try_from(events).unwrap_or(0));
    for n in 0..events {
        let id = client
            .track(user.clone(), TestEvent::new(n, 16))
            .expect("queued (the queue blocks when full)");
        tracked.insert(id.as_str().to_owned());
    }
    client.flush().expect("flushed");
    let stats = client.close();

    // The counters add up, and nothing failed.
    assert_eq!(stats.tracked, events);
    assert_eq!(
        stats.delivered + stats.failed + stats.rejected,
        stats.tracked
    );
    assert_eq!((stats.failed, stats.rejected), (0, 0), "{stats:?}");
    assert_eq!(stats.queued, 0);
    assert!(
        stats.retried > 0,
        "{injected} faults were injected, so some batches were retried"
    );
    let handed_back: Vec<FailedEvent> = failures.try_iter().collect();
    assert!(
        handed_back.is_empty(),
        "{} events failed",
        handed_back.len()
    );

    // Every messageId was delivered; duplicates only repeat one.
    assert_eq!(tracked.len() as u64, events, "messageIds are unique");
    let accepted = server.accepted_ids();
    let accepted_set: HashSet<&String> = accepted.iter().collect();
    assert_eq!(
        accepted_set.len(),
        tracked.len(),
        "each event delivered once at least"
    );
    assert!(accepted_set.iter().all(|id| tracked.contains(*id)));
    assert!(accepted.len() >= tracked.len());

    // Retries resent the same events, and no request broke the API's limits.
    let requests = server.requests();
    event_tests::assert_failed_requests_were_retried(&requests);
    for request in &requests {
        assert!(request.body_len <= MAX_BODY_BYTES);
        assert!(request.max_item_len <= MAX_ITEM_BYTES);
        // Batches fill past flush_at while the workers are behind, up to the count limit.
        assert!(request.message_ids.len() <= ClientBuilder::DEFAULT_MAX_BATCH_EVENTS);
    }
}
