//! The quickstart: `cargo run --example quickstart`.
//!
//! Defines an event of its own with the derive, builds the ecommerce "Product List
//! Viewed" of Customer.io's request example, and sends both through the batching client.
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
use event_core::transport::{
    ApiKey, BaseUrl, HttpConfig, HttpTransport, JsonLinesTransport, Region,
};
use event_core::{Client, Context, Identity, Integrations, SemanticEvent, Timestamp, Track};
use serde::Serialize;

/// An event of the application's own: any name that is not an ecommerce event.
#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Quickstart Completed")]
struct QuickstartCompleted {
    #[semantic_event(non_empty)]
    language: String,
    #[semantic_event(range(min = 0))]
    minutes_spent: f64,
}

/// One product of a product list, as the ecommerce spec types it.
#[derive(Serialize, event_core::Validate)]
struct Product {
    product_id: String,
    sku: String,
    category: String,
    name: String,
    brand: String,
    variant: String,
    price: f64,
    quantity: u32,
    coupon: String,
    position: u32,
    #[semantic_event(url)]
    url: String,
    #[semantic_event(url)]
    image_url: String,
}

impl event_core::spec::ProductObject for Product {}

/// The ecommerce semantic event "Product List Viewed".
#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Product List Viewed")]
struct ProductListViewed {
    list_id: String,
    category: String,
    products: Vec<Product>,
    /// Properties beyond the spec are allowed; the request example sends this one as `null`.
    #[serde(rename = "additionalProperty")]
    #[semantic_event(custom)]
    additional_property: Option<String>,
}

fn product_list_viewed() -> Result<Track<ProductListViewed>, Box<dyn std::error::Error>> {
    let event = ProductListViewed {
        list_id: "all_shoes".into(),
        category: "shoes".into(),
        products: vec![Product {
            product_id: "coolshoes-123".into(),
            sku: "abc-123-xyz".into(),
            category: "shoes".into(),
            name: "Cool Shoes".into(),
            brand: "A Shoe Brand".into(),
            variant: "red".into(),
            price: 139.99,
            quantity: 1,
            coupon: "NEWUSER20".into(),
            position: 3,
            url: "https://www.example.com/product/123".into(),
            image_url: "https://www.example.com/product/123.jpg".into(),
        }],
        additional_property: None,
    };
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
        (_, Ok(region)) if !region.trim().is_empty() => {
            match region.trim().to_ascii_lowercase().as_str() {
                "us" => Region::Us,
                "eu" => Region::Eu,
                other => {
                    return Err(
                        format!("CUSTOMERIO_REGION is {other:?}: use \"us\" or \"eu\"").into(),
                    );
                }
            }
        }
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
    eprintln!("quickstart: sending 2 events to {target}");

    let own = QuickstartCompleted {
        language: "Rust".into(),
        minutes_spent: 2.5,
    };
    client.track(Identity::user("user_12345")?, own)?;
    client.enqueue(&product_list_viewed()?)?;

    let stats = client.close();
    let failed: Vec<_> = failures.try_iter().collect();
    for event in &failed {
        eprintln!("quickstart: {event}");
    }
    if !failed.is_empty() || stats.delivered != 2 {
        return Err(format!(
            "{} of 2 events delivered ({} rejected, {} failed)",
            stats.delivered, stats.rejected, stats.failed
        )
        .into());
    }
    eprintln!("quickstart: 2 events delivered");
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
