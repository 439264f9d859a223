//! A process that tracks events into a durable queue while its server is down, prints
//! their messageIds, then waits to be killed: `durable_child DIR BASE_URL COUNT`.

use std::io::Write as _;
use std::time::Duration;

use event_core::Identity;
use event_core::client::ClientBuilder;
use event_core::transport::{ApiKey, BaseUrl, HttpConfig, HttpTransport};
use event_tests::{TEST_API_KEY, TestEvent};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: durable_child DIR BASE_URL COUNT";
    let dir = args.next().ok_or(usage)?;
    let url = BaseUrl::parse(&args.next().ok_or(usage)?)?;
    let count: u64 = args.next().ok_or(usage)?.parse()?;
    let transport = HttpTransport::new(
        HttpConfig::new(ApiKey::new(TEST_API_KEY)?, url).timeout(Duration::from_millis(500)),
    )?;
    let client = ClientBuilder::new()
        .queue_capacity(count as usize)
        .durable(dir)
        .build(transport)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for n in 0..count {
        let id = client.track(Identity::user(format!("user-{n}"))?, TestEvent::new(n, 100))?;
        writeln!(out, "{id}")?;
    }
    writeln!(out, "ready")?;
    out.flush()?;
    drop(out);
    // Killed here, with every event still queued.
    loop {
        std::thread::sleep(Duration::from_secs(60));
    }
}
