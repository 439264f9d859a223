//! Events per second through the whole blocking client (validate, serialize, batch,
//! HTTP) to the loopback test server, against one HTTP request per event (validate,
//! serialize, `POST /v1/track` with `HttpTransport`, as Customer.io's Node
//! PipelinesClient sends), in the same run (target: ≥ 50×, and ≥ 100,000 events/s).
//!
//! A timed harness of its own, with bounded loops: `cargo bench -p event-tests --bench
//! throughput [-- EVENTS PER_EVENT_REQUESTS ROUNDS]` (defaults 50,000, 2,000 and 5
//! rounds, the sides alternating). Without `--bench` (as `cargo test --benches` runs it)
//! it sends a handful, as a smoke test.
//!
//! Two events are measured: `Product Viewed` (one product, about 450 bytes: a typical
//! event) and `Product List Viewed` with 10 products (about 3.2 KB). The server checks
//! every item and keeps each accepted event; its cost is part of both sides of the ratio,
//! and on 2 cores it shares them with the client. The client runs with its defaults
//! (up to 16 batches in flight, as the backlog asks); a note gives the figure with one
//! batch at a time.

mod fixtures;

use std::time::{Duration, Instant};

use event_core::client::{ClientBuilder, QueueFull};
use event_core::ecommerce::{Product, ProductViewed};
use event_core::transport::{Endpoint, HttpTransport, Request, Transport};
use event_core::{Client, Identity, SemanticEvent, Track, Validate};
use event_tests::{NullTransport, TEST_API_KEY, TestServer, http_config};
use serde::Serialize;

fn product_viewed(n: u64) -> ProductViewed {
    ProductViewed {
        sku: Some("G-32".to_owned()),
        category: Some("Games".to_owned()),
        brand: Some("Hasbro".to_owned()),
        variant: Some("200 pieces".to_owned()),
        quantity: Some(1.0),
        position: Some(n as f64),
        url: Some("https://www.example.com/product/path".to_owned()),
        image_url: Some("https://www.example.com/product/path.jpg".to_owned()),
        ..ProductViewed::from(Product::new(
            "507f1f77bcf86cd799439011",
            "Monopoly: 3rd Edition",
            18.99,
        ))
    }
}

/// Sends `events` events through a batching client sending `concurrent` batches at once;
/// returns events per second.
fn through_client<E>(
    server: &TestServer,
    concurrent: usize,
    events: u64,
    make: impl Fn(u64) -> E,
) -> f64
where
    E: SemanticEvent + Serialize + Validate,
{
    let client = Client::builder()
        .concurrent_batches(concurrent)
        .when_full(QueueFull::Block)
        .flush_interval(Duration::from_millis(50))
        .build(HttpTransport::new(http_config(server, TEST_API_KEY)).expect("transport"))
        .expect("client");
    timed_tracks(&client, events, make)
}

/// Tracks `events` events and flushes; returns events per second once all are delivered.
fn timed_tracks<E>(client: &Client, events: u64, make: impl Fn(u64) -> E) -> f64
where
    E: SemanticEvent + Serialize + Validate,
{
    let identity = Identity::user("user_12345").expect("non-empty id");
    let start = Instant::now();
    for n in 0..events {
        client.track(identity.clone(), make(n)).expect("queued");
    }
    client.flush().expect("flushed");
    let elapsed = start.elapsed();
    let stats = client.close();
    assert_eq!(stats.delivered, events, "{stats:?}");
    events as f64 / elapsed.as_secs_f64()
}

/// Sends `events` events one request each; returns events per second.
fn one_request_each<E>(server: &TestServer, events: u64, make: impl Fn(u64) -> E) -> f64
where
    E: SemanticEvent + Serialize + Validate,
{
    let transport = HttpTransport::new(http_config(server, TEST_API_KEY)).expect("transport");
    let identity = Identity::user("user_12345").expect("non-empty id");
    let start = Instant::now();
    for n in 0..events {
        let track = Track::new(identity.clone(), make(n));
        track.validate().expect("valid");
        let body = serde_json::to_vec(&track).expect("serializes");
        transport
            .send(Request {
                endpoint: Endpoint::Track,
                body: &body,
            })
            .expect("delivered");
    }
    events as f64 / start.elapsed().as_secs_f64()
}

/// Sends `events` events through a batching client whose transport drops the bodies:
/// the client's own ceiling, with no server in the way; returns events per second.
fn client_only<E>(events: u64, make: impl Fn(u64) -> E) -> f64
where
    E: SemanticEvent + Serialize + Validate,
{
    let client = Client::builder()
        .when_full(QueueFull::Block)
        .build(NullTransport)
        .expect("client");
    timed_tracks(&client, events, make)
}

/// The middle value (the upper one of an even count).
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

fn compare<E>(name: &str, rounds: usize, events: u64, requests: u64, make: impl Fn(u64) -> E + Copy)
where
    E: SemanticEvent + Serialize + Validate,
{
    let defaults = ClientBuilder::DEFAULT_CONCURRENT_BATCHES;
    // A fresh server per run: the server keeps every accepted event.
    let batched_with = |concurrent| {
        let server = TestServer::start();
        // Warm up the connections and the server.
        through_client(&server, concurrent, 1_000.min(events), make);
        through_client(&server, concurrent, events, make)
    };
    let single = || {
        let server = TestServer::start();
        one_request_each(&server, 100.min(requests), make);
        one_request_each(&server, requests, make)
    };
    // The sides alternate, round after round, so a burst of load elsewhere on a shared
    // machine hits both; each round gives a ratio, and the median is reported.
    let (mut batched, mut singles, mut ratios, mut one_at_a_time) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let (b, s) = (batched_with(defaults), single());
        one_at_a_time.push(batched_with(1) / s);
        batched.push(b);
        singles.push(s);
        ratios.push(b / s);
    }
    let rounds_text: Vec<String> = ratios.iter().map(|ratio| format!("{ratio:.1}")).collect();
    let (batched, single) = (median(batched), median(singles));
    println!(
        "RATIO throughput/client_batched_{name} / throughput/one_request_per_event_{name} = {:.1}  \
         (target >= 50; median of {rounds} rounds: {}; {batched:.0} vs {single:.0} events/s \
         (medians); target >= 100000 events/s batched; {events} vs {requests} events)",
        median(ratios),
        rounds_text.join(", ")
    );
    println!(
        "NOTE throughput/client_one_batch_at_a_time_{name}: {:.1}x one request per event (median; concurrent_batches(1))",
        median(one_at_a_time)
    );
    println!(
        "NOTE throughput/client_to_null_transport_{name}: {:.0} events/s (the SDK alone: no HTTP, no server)",
        client_only(events, make)
    );
}

fn main() {
    let benching = std::env::args().any(|arg| arg == "--bench");
    let numbers: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|arg| arg.parse().ok())
        .collect();
    let (events, requests, rounds) = if benching {
        (
            numbers.first().copied().unwrap_or(50_000),
            numbers.get(1).copied().unwrap_or(2_000),
            numbers.get(2).map_or(5, |&rounds| rounds.max(1) as usize),
        )
    } else {
        (200, 20, 1)
    };
    println!(
        "events through the client: {events}; one request each: {requests}; rounds: {rounds}; cores: {}",
        std::thread::available_parallelism().map_or(0, usize::from)
    );
    compare("product_viewed", rounds, events, requests, product_viewed);
    let plv = fixtures::typed().event;
    compare("plv10", rounds, events / 2, requests, |_| plv.clone());
}
