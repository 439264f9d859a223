//! The durable queue: events accepted by `track` survive the process dying, and the next
//! client on the directory sends them, each once, with the same messageIds.

use std::collections::{BTreeSet, HashSet};
use std::io::BufRead as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use event_core::client::{ClientBuilder, Fsync};
use event_core::transport::{ApiKey, BaseUrl, HttpConfig, HttpTransport};
use event_core::{ClientError, Identity};
use event_tests::{TEST_API_KEY, TestEvent, TestServer, fast_retry, http_config};

/// A fresh directory of its own under the system's temporary directory.
fn scratch_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("event-core-durable-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// An HTTP transport to a loopback port where nothing listens: the server is down.
fn down_transport() -> HttpTransport {
    HttpTransport::new(
        HttpConfig::new(ApiKey::new(TEST_API_KEY).expect("key"), down_url())
            .timeout(Duration::from_millis(500)),
    )
    .expect("transport")
}

fn down_url() -> BaseUrl {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("address").port();
    drop(listener);
    BaseUrl::parse(&format!("http://127.0.0.1:{port}")).expect("loopback URL")
}

fn up_transport(server: &TestServer) -> HttpTransport {
    HttpTransport::new(http_config(server, TEST_API_KEY)).expect("transport")
}

/// A client that sends only on `flush` or `close`.
fn quiet() -> ClientBuilder {
    ClientBuilder::new()
        .flush_interval(Duration::from_secs(3_600))
        .flush_at(1_000)
        .retry(fast_retry(3))
}

fn segments(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the queue directory")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "seg"))
        .collect();
    found.sort();
    found
}

fn track(client: &event_core::Client, n: u64) -> String {
    client
        .track(
            Identity::user(format!("user-{n}")).expect("id"),
            TestEvent::new(n, 50),
        )
        .expect("tracked")
        .to_string()
}

#[test]
fn a_process_killed_with_its_queue_full_loses_no_event() {
    const EVENTS: usize = 10_000;
    let dir = scratch_dir("killed");
    let mut child = Command::new(env!("CARGO_BIN_EXE_durable_child"))
        .arg(&dir)
        .arg(down_url().to_string())
        .arg(EVENTS.to_string())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the child process starts");
    let stdout = child.stdout.take().expect("its stdout");
    let mut ids = Vec::with_capacity(EVENTS);
    for line in std::io::BufReader::new(stdout).lines() {
        let line = line.expect("a line");
        if line == "ready" {
            break;
        }
        ids.push(line);
    }
    // SIGKILL: no destructor, no close, no flush.
    child.kill().expect("killed");
    child.wait().expect("reaped");
    assert_eq!(ids.len(), EVENTS, "the child tracked every event");

    let server = TestServer::start();
    let client = ClientBuilder::new()
        .durable(&dir)
        .build(up_transport(&server))
        .expect("a client on the same directory");
    assert_eq!(client.stats().recovered, EVENTS as u64);
    client.flush().expect("flushed");
    let stats = client.close();
    assert_eq!(stats.delivered, EVENTS as u64);

    let accepted = server.accepted_ids();
    let unique: HashSet<&String> = accepted.iter().collect();
    assert_eq!(accepted.len(), EVENTS, "each event sent once");
    assert_eq!(
        unique,
        ids.iter().collect::<HashSet<_>>(),
        "with the same messageIds"
    );
    assert!(segments(&dir).is_empty(), "delivered segments are deleted");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_torn_tail_record_is_skipped_and_counted_and_the_rest_delivered() {
    let dir = scratch_dir("torn");
    let client = quiet()
        .durable(&dir)
        .durable_fsync(Fsync::EveryEvent)
        .build(down_transport())
        .expect("client");
    let ids: Vec<String> = (0..20).map(|n| track(&client, n)).collect();
    let stats = client.close_within(Duration::ZERO);
    assert_eq!(
        stats.kept, 20,
        "undelivered events stay on disk at shutdown"
    );
    assert_eq!(stats.failed, 0);
    drop(client);

    let files = segments(&dir);
    assert_eq!(files.len(), 1);
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(&files[0])
        .expect("the segment");
    let len = file.metadata().expect("metadata").len();
    // Cut the last record short, as a write stopped midway leaves it.
    file.set_len(len - 7).expect("truncated");
    drop(file);

    let server = TestServer::start();
    let client = quiet()
        .durable(&dir)
        .build(up_transport(&server))
        .expect("client");
    let stats = client.stats();
    assert_eq!((stats.recovered, stats.damaged), (19, 1));
    client.flush().expect("flushed");
    client.close();
    let accepted: BTreeSet<String> = server.accepted_ids().into_iter().collect();
    assert_eq!(accepted, ids[..19].iter().cloned().collect::<BTreeSet<_>>());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_second_live_client_on_the_directory_is_refused_until_the_first_closes() {
    let dir = scratch_dir("locked");
    let first = quiet()
        .durable(&dir)
        .build(down_transport())
        .expect("client");
    let second = quiet().durable(&dir).build(down_transport());
    match second {
        Err(ClientError::Storage(message)) => {
            assert!(
                message.contains("in use by another live client"),
                "{message}"
            );
            assert!(message.contains(&dir.display().to_string()), "{message}");
        }
        other => panic!("expected a Storage error, got {other:?}"),
    }
    first.close_within(Duration::ZERO);
    let third = quiet().durable(&dir).build(down_transport());
    assert!(
        third.is_ok(),
        "the directory is free once the first client closed"
    );
    drop(third);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_full_disk_queue_refuses_events_with_queue_full() {
    let dir = scratch_dir("full");
    let capacity = 64 * 1024;
    let client = quiet()
        .durable(&dir)
        .durable_capacity_bytes(capacity)
        .build(down_transport())
        .expect("client");
    let mut accepted = 0;
    let refused = loop {
        let event = TestEvent::new(accepted, 1_000);
        match client.track(Identity::user("user").expect("id"), event) {
            Ok(_) => accepted += 1,
            Err(error) => break error,
        }
        assert!(accepted < 1_000, "the queue never filled");
    };
    assert_eq!(
        refused,
        ClientError::DiskQueueFull {
            capacity_bytes: capacity
        }
    );
    assert!(refused.to_string().contains("durable queue is full"));
    assert!(
        (50..=64).contains(&accepted),
        "{accepted} events of about 1 KB in 64 KiB"
    );
    client.close_within(Duration::ZERO);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unwritable_directory_is_a_clear_error() {
    let dir = scratch_dir("unwritable");
    std::fs::create_dir_all(&dir).expect("dir");
    // A regular file where a directory should be: no one can create the queue there.
    let file = dir.join("not-a-directory");
    std::fs::write(&file, b"").expect("file");
    let queue = file.join("queue");
    match quiet().durable(&queue).build(down_transport()) {
        Err(ClientError::Storage(message)) => {
            assert!(message.contains("cannot create"), "{message}");
            assert!(message.contains(&queue.display().to_string()), "{message}");
        }
        other => panic!("expected a Storage error, got {other:?}"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_async_client_keeps_its_events_on_the_same_disk_queue() {
    let dir = scratch_dir("async");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let ids: Vec<String> = runtime.block_on(async {
        let transport = event_core::transport::AsyncHttpTransport::new(
            HttpConfig::new(ApiKey::new(TEST_API_KEY).expect("key"), down_url())
                .timeout(Duration::from_millis(500)),
        )
        .expect("transport");
        let client = quiet()
            .durable(&dir)
            .durable_fsync(Fsync::EveryEvent)
            .build_async(transport)
            .expect("client");
        let mut ids = Vec::new();
        for n in 0..50 {
            let id = client
                .track(
                    Identity::user(format!("user-{n}")).expect("id"),
                    TestEvent::new(n, 50),
                )
                .await
                .expect("tracked");
            ids.push(id.to_string());
        }
        let stats = client.close_within(Duration::ZERO).await;
        assert_eq!(stats.kept, 50);
        ids
    });

    let server = TestServer::start();
    let client = quiet()
        .durable(&dir)
        .build(up_transport(&server))
        .expect("client");
    client.flush().expect("flushed");
    assert_eq!(client.close().delivered, 50);
    let accepted: BTreeSet<String> = server.accepted_ids().into_iter().collect();
    assert_eq!(accepted, ids.into_iter().collect::<BTreeSet<_>>());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_full_disk_queue_waits_for_room_when_told_to_block() {
    use event_core::client::QueueFull;
    let server = TestServer::start();
    server.push_faults(std::iter::repeat_n(
        event_tests::Fault::Delay(Duration::from_millis(5)),
        10_000,
    ));
    let dir = scratch_dir("full-block");
    // Room for about 60 events of about 1 KB, far fewer than `flush_at`: a full queue
    // must send what it holds rather than wait for `flush_at` or `flush_interval`.
    let client = quiet()
        .durable(&dir)
        .durable_capacity_bytes(64 * 1024)
        .when_full(QueueFull::Block)
        .build(up_transport(&server))
        .expect("client");
    let events = 300;
    for n in 0..events {
        client
            .track(
                Identity::user("user").expect("id"),
                TestEvent::new(n, 1_000),
            )
            .expect("a blocking queue waits for room, never refuses");
        // The disk holds at most about 64 undelivered events: accepting 300 means waiting
        // for the server to answer for the earlier ones.
        let delivered = client.stats().delivered;
        assert!(
            delivered + 70 > n,
            "event {n} accepted with only {delivered} delivered"
        );
    }
    client.flush().expect("flushed");
    let ids: HashSet<String> = server.accepted_ids().into_iter().collect();
    assert_eq!(ids.len(), events as usize, "each event delivered");
    client.close();
    let _ = std::fs::remove_dir_all(&dir);
}
