//! `track` with the durable queue against the in-memory queue: events/s of a client
//! that sends to a transport dropping the bodies, so what is measured is `track` and the
//! disk, not the network. Rounds alternate the sides; the ratio is of medians.
//!
//! `cargo bench -p event-tests --bench durable [-- EVENTS ROUNDS]`

use std::time::{Duration, Instant};

use event_core::Identity;
use event_core::client::{ClientBuilder, Fsync};
use event_tests::{NullTransport, TestEvent};

fn run(events: u64, durable: Option<Fsync>) -> f64 {
    let dir = std::env::temp_dir().join(format!("event-core-bench-durable-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut builder = ClientBuilder::new()
        .queue_capacity(events as usize)
        .when_full(event_core::client::QueueFull::Block);
    if let Some(fsync) = durable {
        builder = builder
            .durable(&dir)
            .durable_capacity_bytes(1 << 30)
            .durable_fsync(fsync);
    }
    let client = builder.build(NullTransport).expect("client");
    let identity = Identity::user("user_12345").expect("id");
    let start = Instant::now();
    for n in 0..events {
        client
            .track(identity.clone(), TestEvent::new(n, 300))
            .expect("tracked");
    }
    client.flush().expect("flushed");
    let elapsed = start.elapsed();
    client.close();
    drop(client);
    let _ = std::fs::remove_dir_all(&dir);
    events as f64 / elapsed.as_secs_f64()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let benching = std::env::args().any(|arg| arg == "--bench");
    let numbers: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|arg| arg.parse().ok())
        .collect();
    let (events, rounds) = if benching {
        (
            numbers.first().copied().unwrap_or(200_000),
            numbers.get(1).map_or(5, |&rounds| rounds.max(1) as usize),
        )
    } else {
        (500, 1)
    };
    let window = Duration::from_millis(5);
    let (mut memory, mut grouped, mut each) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        memory.push(run(events, None));
        grouped.push(run(events, Some(Fsync::Every(window))));
        // One fsync per call from one thread: far slower, so fewer events.
        each.push(run((events / 100).max(50), Some(Fsync::EveryEvent)));
    }
    let (memory, grouped, each) = (median(memory), median(grouped), median(each));
    println!("events: {events}; rounds: {rounds}; event ~430 B");
    println!("NOTE durable/in_memory: {memory:.0} events/s");
    println!("NOTE durable/fsync_every_5ms: {grouped:.0} events/s");
    println!("NOTE durable/fsync_every_event (one thread): {each:.0} events/s");
    println!(
        "RATIO durable (fsync every 5 ms) / in-memory track time = {:.2} (events/s {grouped:.0} vs {memory:.0})",
        memory / grouped
    );
    println!(
        "RATIO durable (fsync every event) / in-memory track time = {:.1}",
        memory / each
    );
}
