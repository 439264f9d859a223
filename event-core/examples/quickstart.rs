//! The quickstart: `cargo run --example quickstart`.
//!
//! Identifies the person with typed traits, defines an event of its own with the derive,
//! builds Customer.io's Product List Viewed example, and sends the three calls through
//! the batching client: the identify first, so that the person exists with their
//! attributes when the events arrive.
//!
//! - Without `CUSTOMERIO_API_KEY`: writes each wire payload to stdout as one JSON line
//!   (no account, no network).
//! - With it: sends over HTTPS. `CUSTOMERIO_REGION` (`us` or `eu`, default `us`) or
//!   `CUSTOMERIO_ENDPOINT` (a base URL, overriding the region) choose where;
//!   `CUSTOMERIO_STRICT=0` turns strict mode off.
//!
//! Exits non-zero, saying why, when an event is invalid, rejected, or not delivered.

use std::process::ExitCode;
use std::sync::mpsc;

use event_core::client::ClientBuilder;
use event_core::ecommerce::{Product, ProductListViewed};
use event_core::transport::{
    ApiKey, BaseUrl, HttpConfig, HttpTransport, JsonLinesTransport, Region,
};
use event_core::{
    Client, Context, Identity, Integrations, SemanticEvent, Timestamp, Track, Traits,
};
use serde::Serialize;

/// The person's traits, which Customer.io keeps as their attributes. `email` and
/// `firstName` are reserved traits: a misspelling or a wrong type does not compile, and
/// `email` is validated as an email address before the call is queued.
#[derive(Serialize, Traits)]
struct Person {
    email: String,
    #[serde(rename = "firstName")]
    first_name: String,
    /// Customer.io's `created_at`: when the account was created, in Unix seconds.
    created_at: i64,
    /// A trait of the application's own.
    plan: String,
}

/// An event of the application's own: any name that is not an ecommerce event.
#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Quickstart Completed")]
struct QuickstartCompleted {
    #[semantic_event(non_empty)]
    language: String,
    #[semantic_event(range(min = 0))]
    minutes_spent: f64,
}

fn product_list_viewed() -> Result<Track<ProductListViewed>, Box<dyn std::error::Error>> {
    // The catalogue's own types: every property optional, extra properties kept.
    let shoes = Product {
        sku: Some("abc-123-xyz".into()),
        category: Some("shoes".into()),
        brand: Some("A Shoe Brand".into()),
        variant: Some("red".into()),
        quantity: Some(1.0),
        coupon: Some("NEWUSER20".into()),
        position: Some(3.0),
        url: Some("https://www.example.com/product/123".into()),
        image_url: Some("https://www.example.com/product/123.jpg".into()),
        ..Product::new("coolshoes-123", "Cool Shoes", 139.99)
    };
    let mut event = ProductListViewed {
        category: Some("shoes".into()),
        ..ProductListViewed::new("all_shoes", vec![shoes])
    };
    // Properties beyond the spec are allowed; Customer.io's example sends this one as `null`.
    event
        .extra
        .insert("additionalProperty".into(), serde_json::Value::Null);
    let mut context = Context::default();
    context
        .extra
        .insert("additionalProperty".into(), "anything".into());
    let integrations = Integrations::none().enable("Mixpanel").enable("Segment");
    let timestamp: Timestamp = "2024-01-15T10:30:00.000Z".parse()?;
    Ok(Track::new(Identity::user("user_12345")?, event)
        .timestamp(timestamp)
        .context(context)
        .integrations(integrations))
}

fn client(
    failures: mpsc::Sender<event_core::FailedEvent>,
) -> Result<(Client, String), Box<dyn std::error::Error>> {
    let builder = ClientBuilder::new().failures_to(failures);
    let Some(key) = std::env::var_os("CUSTOMERIO_API_KEY") else {
        let transport = JsonLinesTransport::stdout().one_line_per_event();
        return Ok((
            builder.build(transport)?,
            "stdout (CUSTOMERIO_API_KEY is not set)".into(),
        ));
    };
    let key = ApiKey::new(
        key.into_string()
            .map_err(|_| "CUSTOMERIO_API_KEY is not valid UTF-8")?,
    )?;
    let region = match (
        std::env::var("CUSTOMERIO_ENDPOINT"),
        std::env::var("CUSTOMERIO_REGION"),
    ) {
        (Ok(endpoint), _) if !endpoint.trim().is_empty() => {
            Region::Custom(BaseUrl::parse(&endpoint)?)
        }
        (_, Ok(region)) if !region.trim().is_empty() => Region::parse(&region)?,
        _ => Region::Us,
    };
    let strict = std::env::var("CUSTOMERIO_STRICT").map_or(true, |value| value.trim() != "0");
    let config = HttpConfig::new(key, region).strict(strict);
    let target = format!(
        "{} (strict mode {})",
        config.base_url(),
        if strict { "on" } else { "off" }
    );
    Ok((builder.build(HttpTransport::new(config)?)?, target))
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let (failures_tx, failures) = mpsc::channel();
    let (client, target) = client(failures_tx)?;
    eprintln!("quickstart: sending 3 calls to {target}");

    let person = Identity::user("user_12345")?;
    let traits = Person {
        email: "ada@example.com".into(),
        first_name: "Ada".into(),
        created_at: 1_705_314_600,
        plan: "pro".into(),
    };
    client.identify(person.clone(), traits)?;
    let own = QuickstartCompleted {
        language: "Rust".into(),
        minutes_spent: 2.5,
    };
    client.track(person, own)?;
    client.enqueue(&product_list_viewed()?)?;

    let stats = client.close();
    let failed: Vec<_> = failures.try_iter().collect();
    for event in &failed {
        eprintln!("quickstart: {event}");
    }
    if !failed.is_empty() || stats.delivered != 3 {
        return Err(format!(
            "{} of 3 calls delivered ({} rejected, {} failed)",
            stats.delivered, stats.rejected, stats.failed
        )
        .into());
    }
    eprintln!("quickstart: 3 calls delivered");
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("quickstart failed: {error}");
            ExitCode::FAILURE
        }
    }
}
