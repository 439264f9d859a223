//! Delivery over a network with latency: the loopback test server answers each request
//! after a set delay (a round trip), and 100,000 `Product List Viewed` events (Customer.io's
//! own example: one product, about 600 bytes) go through the blocking client, the async
//! client and the `cio-events` CLI, each at its default settings.
//!
//! Each line gives events/s, the ratio to the physical bound (events per full batch ×
//! the most batches in flight / the delay: what the client could do if every request were
//! a full batch and the limit on batches in flight stayed at its maximum), and the number
//! of requests. Then: the time to drain 5,000 queued events at 200 ms per request, what a
//! 1 s `close` delivers of them, and the requests it takes to find 10 events refused among
//! 1,000 when the server names them.
//!
//! `cargo build -p cio-events --release && cargo bench -p event-tests --bench latency
//! [-- EVENTS]` (default 100,000 events; delays 10, 50 and 200 ms). The CLI is run as a
//! process from `target/release/cio-events` (or `$CIO_EVENTS`); it is skipped, with a
//! note, when not built. Without `--bench` (as `cargo test --benches` runs it) it sends a
//! few thousand events at 10 ms, as a smoke test.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use event_core::client::{ClientBuilder, QueueFull};
use event_core::ecommerce::ProductListViewed;
use event_core::transport::{AsyncHttpTransport, HttpTransport};
use event_core::{Client, Identity, Track};
use event_tests::{
    POISON, PoisonEvent, ServerConfig, TEST_API_KEY, TestServer, http_config, seed_body,
};

/// Customer.io's Product List Viewed example, typed.
fn event() -> ProductListViewed {
    serde_json::from_value(seed_body()["properties"].clone()).expect("the example is typed")
}

fn server(delay: Duration) -> TestServer {
    TestServer::start_with(ServerConfig {
        answer_after: delay,
        ..ServerConfig::default()
    })
}

/// Events in a full batch of this event, and the bound in events/s at `delay`.
fn bound(delay: Duration) -> (usize, f64) {
    let track = Track::new(Identity::user("user_12345").expect("an id"), event());
    let item = serde_json::to_vec(&track).expect("serializes").len();
    // `{"batch":[` + items and commas + `],"sentAt":"...24 bytes..."}`.
    let room = ClientBuilder::DEFAULT_MAX_BATCH_BYTES - 10 - 38;
    let per_batch = (room / (item + 1)).min(ClientBuilder::DEFAULT_MAX_BATCH_EVENTS);
    let bound =
        (per_batch * ClientBuilder::DEFAULT_CONCURRENT_BATCHES) as f64 / delay.as_secs_f64();
    (per_batch, bound)
}

fn report(what: &str, delay: Duration, events: u64, elapsed: Duration, requests: usize) {
    let rate = events as f64 / elapsed.as_secs_f64();
    let (per_batch, bound) = bound(delay);
    println!(
        "LATENCY {what} at {} ms: {rate:.0} events/s = {:.2} of the bound {bound:.0} \
         ({per_batch} events per full batch x {} in flight / {} ms); {requests} requests, \
         {:.0} events per request; {:.2} s",
        delay.as_millis(),
        rate / bound,
        ClientBuilder::DEFAULT_CONCURRENT_BATCHES,
        delay.as_millis(),
        events as f64 / requests.max(1) as f64,
        elapsed.as_secs_f64(),
    );
}

fn blocking(delay: Duration, events: u64) {
    let server = server(delay);
    let client = Client::builder()
        .when_full(QueueFull::Block)
        .build(HttpTransport::new(http_config(&server, TEST_API_KEY)).expect("transport"))
        .expect("client");
    let identity = Identity::user("user_12345").expect("an id");
    let event = event();
    let start = Instant::now();
    for _ in 0..events {
        client
            .track(identity.clone(), event.clone())
            .expect("queued");
    }
    client.flush().expect("flushed");
    let elapsed = start.elapsed();
    assert_eq!(client.close().delivered, events);
    report(
        "blocking client",
        delay,
        events,
        elapsed,
        server.requests().len(),
    );
}

fn asynchronous(delay: Duration, events: u64) {
    let server = server(delay);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let elapsed = runtime.block_on(async {
        let transport =
            AsyncHttpTransport::new(http_config(&server, TEST_API_KEY)).expect("transport");
        let client = ClientBuilder::new()
            .when_full(QueueFull::Block)
            .build_async(transport)
            .expect("client");
        let identity = Identity::user("user_12345").expect("an id");
        let event = event();
        let start = Instant::now();
        for _ in 0..events {
            client
                .track(identity.clone(), event.clone())
                .await
                .expect("queued");
        }
        client.flush().await.expect("flushed");
        let elapsed = start.elapsed();
        assert_eq!(client.close().await.delivered, events);
        elapsed
    });
    report(
        "async client",
        delay,
        events,
        elapsed,
        server.requests().len(),
    );
}

/// The release build of the CLI, if there is one.
fn cli_binary() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CIO_EVENTS") {
        return Some(PathBuf::from(path));
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"),
        PathBuf::from,
    );
    let path = target.join("release/cio-events");
    path.exists().then_some(path)
}

/// A file of `events` lines of the example, each with a messageId of its own.
fn cli_input(events: u64) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("latency-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let path = dir.join("events.jsonl");
    let mut body = seed_body();
    let mut text = String::new();
    for n in 0..events {
        body["messageId"] = serde_json::Value::String(format!("msg-{n}"));
        text.push_str(&body.to_string());
        text.push('\n');
    }
    std::fs::write(&path, text).expect("the input file");
    path
}

fn cli(binary: &Path, input: &Path, delay: Duration, events: u64) {
    let server = server(delay);
    let start = Instant::now();
    let output = Command::new(binary)
        .args(["send", "--endpoint", &server.base_url()])
        .arg(input)
        .env("CUSTOMERIO_API_KEY", TEST_API_KEY)
        .env_remove("CUSTOMERIO_REGION")
        .env_remove("CUSTOMERIO_ENDPOINT")
        .stdin(Stdio::null())
        .output()
        .expect("run cio-events");
    let elapsed = start.elapsed();
    assert!(
        output.status.success(),
        "cio-events failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(server.accepted().len() as u64, events);
    report(
        "cio-events send",
        delay,
        events,
        elapsed,
        server.requests().len(),
    );
}

/// 5,000 events queued at once, 200 ms per request: the time to drain them, and what a
/// 1 s `close` delivers.
fn drain(events: u64) {
    let delay = Duration::from_millis(200);
    let identity = Identity::user("user_12345").expect("an id");
    let event = event();
    let server = server(delay);
    let client = Client::builder()
        .when_full(QueueFull::Block)
        .build(HttpTransport::new(http_config(&server, TEST_API_KEY)).expect("transport"))
        .expect("client");
    let start = Instant::now();
    for _ in 0..events {
        client
            .track(identity.clone(), event.clone())
            .expect("queued");
    }
    client.flush().expect("flushed");
    let elapsed = start.elapsed();
    client.close();
    println!(
        "DRAIN {events} queued events at 200 ms per request: {:.2} s, {} requests (target <= 0.8 s)",
        elapsed.as_secs_f64(),
        server.requests().len()
    );

    let server = crate::server(delay);
    let client = Client::builder()
        .when_full(QueueFull::Block)
        .build(HttpTransport::new(http_config(&server, TEST_API_KEY)).expect("transport"))
        .expect("client");
    for _ in 0..events {
        client
            .track(identity.clone(), event.clone())
            .expect("queued");
    }
    let stats = client.close_within(Duration::from_secs(1));
    println!(
        "CLOSE within 1 s, {events} queued, 200 ms per request: {} delivered, {} handed back",
        stats.delivered, stats.failed
    );
}

/// 1,000 events like `event`, 10 of which the strict server refuses and names: the
/// requests it takes.
fn named_refusals<E>(flush_at: usize, event: E) -> usize
where
    E: event_core::TrackEvent + serde::Serialize + event_core::Validate + Clone,
{
    let server = TestServer::start_with(ServerConfig {
        reject_event: Some(POISON.into()),
        ..ServerConfig::default()
    });
    let client = Client::builder()
        .flush_at(flush_at)
        .when_full(QueueFull::Block)
        .build(HttpTransport::new(http_config(&server, TEST_API_KEY)).expect("transport"))
        .expect("client");
    let identity = Identity::user("user_12345").expect("an id");
    for n in 0..1_000u64 {
        if n % 100 == 37 {
            client
                .track(identity.clone(), PoisonEvent { n })
                .expect("queued");
        } else {
            client
                .track(identity.clone(), event.clone())
                .expect("queued");
        }
    }
    client.flush().expect("flushed");
    let stats = client.close();
    assert_eq!((stats.delivered, stats.rejected), (990, 10));
    server.requests().len()
}

fn main() {
    let benching = std::env::args().any(|arg| arg == "--bench");
    let events = std::env::args()
        .skip(1)
        .find_map(|arg| arg.parse::<u64>().ok())
        .unwrap_or(if benching { 100_000 } else { 2_000 });
    let delays: &[u64] = if benching { &[10, 50, 200] } else { &[10] };
    println!(
        "events: {events}; delays: {delays:?} ms; cores: {}",
        std::thread::available_parallelism().map_or(0, usize::from)
    );
    let binary = cli_binary();
    let input = binary.as_ref().map(|_| cli_input(events));
    for &delay in delays {
        let delay = Duration::from_millis(delay);
        blocking(delay, events);
        asynchronous(delay, events);
        match (&binary, &input) {
            (Some(binary), Some(input)) => cli(binary, input, delay, events),
            _ => println!(
                "NOTE cio-events not built: `cargo build -p cio-events --release` (or set CIO_EVENTS)"
            ),
        }
    }
    if let Some(dir) = input.as_ref().and_then(|input| input.parent()) {
        let _ = std::fs::remove_dir_all(dir);
    }
    drain(if benching { 5_000 } else { 500 });
    println!(
        "REFUSED 10 of 1,000 Product List Viewed (600 B: 600 KB, over one 475 KB body), \
         named by the server: {} requests at the default flush_at, {} with flush_at(2000) \
         (target <= 4)",
        named_refusals(ClientBuilder::DEFAULT_FLUSH_AT, event()),
        named_refusals(ClientBuilder::DEFAULT_MAX_BATCH_EVENTS, event()),
    );
    let small = event_tests::TestEvent::new(0, 200);
    let size = serde_json::to_vec(&Track::new(
        Identity::user("user_12345").expect("an id"),
        small.clone(),
    ))
    .expect("serializes")
    .len();
    println!(
        "REFUSED 10 of 1,000 events of {size} B ({} KB, under one 475 KB body), named by the \
         server: {} requests at the default flush_at, {} with flush_at(2000) (target <= 4)",
        size,
        named_refusals(ClientBuilder::DEFAULT_FLUSH_AT, small.clone()),
        named_refusals(ClientBuilder::DEFAULT_MAX_BATCH_EVENTS, small),
    );
}
