//! Peak memory of the blocking client sending many events: the queue is bounded, so
//! sending 1,000,000 events should take no more memory than sending 10,000 (target:
//! ≤ 1.5×). Each run is its own process; `measure.sh` runs both and divides.
//!
//! `cargo bench -p event-tests --bench client_rss -- EVENTS [LATENCY_US]` sends EVENTS
//! `Product List Viewed` events (10 products, about 3.2 KB each) through a client whose
//! transport drops the bodies (the loopback server keeps every event it accepts, so it
//! cannot take a million), with `QueueFull::Block` and the default queue of 10,000, then
//! prints the peak resident set (`VmHWM` of /proc/self/status). LATENCY_US (default 0)
//! makes every batch take that long, as a network does, so that the producer outruns the
//! workers and the queue fills up. Without `--bench` (as `cargo test --benches` runs it)
//! it sends 100.

mod fixtures;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use event_core::client::QueueFull;
use event_core::transport::{Request, Transport, TransportError};
use event_core::{Client, Identity};

/// Drops every body (counting the bytes), after `latency` per request.
struct Sink {
    bytes: AtomicU64,
    latency: Duration,
}

impl Transport for Sink {
    fn send(&self, request: Request<'_>) -> Result<(), TransportError> {
        self.bytes
            .fetch_add(request.body.len() as u64, Ordering::Relaxed);
        if !self.latency.is_zero() {
            std::thread::sleep(self.latency);
        }
        Ok(())
    }
}

fn status(field: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|line| line.starts_with(field))
        .map(|line| line[field.len()..].trim().to_owned())
        .unwrap_or_else(|| "unknown".to_owned())
}

fn main() {
    let benching = std::env::args().any(|arg| arg == "--bench");
    let numbers: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|arg| arg.parse().ok())
        .collect();
    let events = numbers
        .first()
        .copied()
        .unwrap_or(if benching { 10_000 } else { 100 });
    let latency = Duration::from_micros(numbers.get(1).copied().unwrap_or(0));
    let event = fixtures::typed().event;
    let identity = Identity::user("user_12345").expect("non-empty id");
    let before = status("VmHWM:");
    let client = Client::builder()
        .when_full(QueueFull::Block)
        .build(Sink {
            bytes: AtomicU64::new(0),
            latency,
        })
        .expect("client");
    for _ in 0..events {
        client
            .track(identity.clone(), event.clone())
            .expect("queued");
    }
    let stats = client.close();
    assert_eq!(stats.delivered, events, "{stats:?}");
    println!(
        "RSS events={events} latency={latency:?} VmHWM={} (before the client: {before}) delivered={}",
        status("VmHWM:"),
        stats.delivered
    );
}
