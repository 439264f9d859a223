//! Shared helpers of the workspace's end-to-end tests: a Pipelines API stand-in server
//! on loopback ([`server::TestServer`]) with fault injection, and small test events.

pub mod server;

pub use server::{Fault, ServerConfig, TEST_API_KEY, TestServer};

use std::time::Duration;

use event_core::SemanticEvent;
use event_core::client::ClientBuilder;
use event_core::transport::{ApiKey, BaseUrl, HttpConfig, RetryPolicy};
use serde::Serialize;

/// A custom event for tests, with padding to make it as large as needed.
#[derive(Debug, Clone, Serialize, SemanticEvent)]
#[semantic_event(name = "Test Event")]
pub struct TestEvent {
    /// A sequence number.
    pub n: u64,
    /// Filler.
    pub padding: String,
}

impl TestEvent {
    /// Event `n`, with `padding` filler bytes.
    pub fn new(n: u64, padding: usize) -> TestEvent {
        TestEvent {
            n,
            padding: "x".repeat(padding),
        }
    }
}

/// The body of Customer.io's Product List Viewed example (the `curl` call of its Data
/// Pipelines documentation), verbatim.
pub fn seed_body() -> serde_json::Value {
    serde_json::json!({
      "userId": "user_12345",
      "type": "track",
      "event": "Product List Viewed",
      "timestamp": "2024-01-15T10:30:00.000Z",
      "properties": {
        "list_id": "all_shoes",
        "category": "shoes",
        "products": [
          {
            "product_id": "coolshoes-123",
            "sku": "abc-123-xyz",
            "category": "shoes",
            "name": "Cool Shoes",
            "brand": "A Shoe Brand",
            "variant": "red",
            "price": 139.99,
            "quantity": 1,
            "coupon": "NEWUSER20",
            "position": 3,
            "url": "https://www.example.com/product/123",
            "image_url": "https://www.example.com/product/123.jpg"
          }
        ],
        "additionalProperty": null
      },
      "context": {
        "additionalProperty": "anything"
      },
      "integrations": {
        "All": false,
        "Mixpanel": true,
        "Segment": true
      }
    })
}

/// A transport that accepts every body and keeps nothing: the client's own cost, with
/// no network and no server.
pub struct NullTransport;

impl event_core::Transport for NullTransport {
    fn send(
        &self,
        _request: event_core::transport::Request<'_>,
    ) -> Result<(), event_core::transport::TransportError> {
        Ok(())
    }
}

/// The event name the server refuses when started with [`ServerConfig::reject_event`]
/// set to [`POISON`].
pub const POISON: &str = "Poison Event";

/// An event the test server can be told to refuse.
#[derive(Debug, Clone, Serialize, SemanticEvent)]
#[semantic_event(name = "Poison Event")]
pub struct PoisonEvent {
    /// A sequence number.
    pub n: u64,
}

/// The HTTP timeout the tests give clients: long enough for a loaded machine, short
/// enough that [`Fault::Delay`] of [`SLOW_RESPONSE`] outlasts it.
pub const CLIENT_TIMEOUT: Duration = Duration::from_millis(500);
/// A response delay longer than [`CLIENT_TIMEOUT`].
pub const SLOW_RESPONSE: Duration = Duration::from_millis(1_500);

/// An HTTP configuration for `server`, with `key`, strict mode, and the test timeout.
pub fn http_config(server: &TestServer, key: &str) -> HttpConfig {
    let url = BaseUrl::parse(&server.base_url()).expect("loopback URL");
    HttpConfig::new(ApiKey::new(key).expect("key"), url)
        .connect_timeout(CLIENT_TIMEOUT)
        .timeout(CLIENT_TIMEOUT)
}

/// Tiny backoff so the suite stays fast: 1 ms base, 20 ms cap, `attempts` attempts.
pub fn fast_retry(attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .base(Duration::from_millis(1))
        .cap(Duration::from_millis(20))
        .attempts(attempts)
}

/// A client builder that only sends on `flush` / `close` (or a full batch), with fast retries.
pub fn builder(attempts: u32) -> ClientBuilder {
    ClientBuilder::new()
        .flush_interval(Duration::from_secs(3_600))
        .retry(fast_retry(attempts))
}

/// A blocking client sending to `server` over HTTP with [`builder`]'s settings and
/// batches of `flush_at`; the events it fails for good arrive on the returned channel.
pub fn blocking_client(
    server: &TestServer,
    attempts: u32,
    flush_at: usize,
) -> (
    event_core::Client,
    std::sync::mpsc::Receiver<event_core::FailedEvent>,
) {
    let (tx, rx) = std::sync::mpsc::channel();
    let transport = event_core::transport::HttpTransport::new(http_config(server, TEST_API_KEY))
        .expect("transport");
    let client = builder(attempts)
        .flush_at(flush_at)
        .failures_to(tx)
        .build(transport)
        .expect("client");
    (client, rx)
}

/// Flushes and closes `client`, checks that nothing failed and that every request was
/// strict and accepted, and returns the items the server accepted.
pub fn delivered(
    server: &TestServer,
    client: event_core::Client,
    failures: &std::sync::mpsc::Receiver<event_core::FailedEvent>,
) -> Vec<serde_json::Value> {
    client.flush().expect("flushed");
    client.close();
    let failed: Vec<String> = failures.try_iter().map(|f| f.to_string()).collect();
    assert!(failed.is_empty(), "failed: {failed:?}");
    for request in server.requests() {
        assert!(request.strict, "every request is sent in strict mode");
        assert_eq!(request.status, 200, "{request:?}");
    }
    server.accepted()
}

/// Calls the macro `$callback` with every catalogue event as `fixture_stem => Struct`,
/// the fixture being `tests/fixtures/ecommerce/<fixture_stem>.json`: one list for the
/// tests that go through all 28 events.
#[macro_export]
macro_rules! with_catalogue {
    ($callback:ident) => {
        $callback! {
            products_searched => ProductsSearched,
            product_list_viewed => ProductListViewed,
            product_list_filtered => ProductListFiltered,
            promotion_viewed => PromotionViewed,
            promotion_clicked => PromotionClicked,
            product_clicked => ProductClicked,
            product_viewed => ProductViewed,
            product_added => ProductAdded,
            product_removed => ProductRemoved,
            cart_viewed => CartViewed,
            checkout_started => CheckoutStarted,
            checkout_step_viewed => CheckoutStepViewed,
            checkout_step_completed => CheckoutStepCompleted,
            payment_info_entered => PaymentInfoEntered,
            order_updated => OrderUpdated,
            order_completed => OrderCompleted,
            order_refunded => OrderRefunded,
            order_cancelled => OrderCancelled,
            coupon_entered => CouponEntered,
            coupon_applied => CouponApplied,
            coupon_denied => CouponDenied,
            coupon_removed => CouponRemoved,
            product_added_to_wishlist => ProductAddedToWishlist,
            product_removed_from_wishlist => ProductRemovedFromWishlist,
            wishlist_product_added_to_cart => WishlistProductAddedToCart,
            product_shared => ProductShared,
            cart_shared => CartShared,
            product_reviewed => ProductReviewed,
        }
    };
}

/// Asserts that every request the server did not accept was sent again later with the
/// same messageIds: a retry resends its batch as it was. Batches sent at once
/// interleave, so the retry is a later request, not always the next one.
pub fn assert_failed_requests_were_retried(requests: &[server::SeenRequest]) {
    for (index, failed) in requests.iter().enumerate() {
        if failed.status != 200 {
            assert!(
                requests[index + 1..]
                    .iter()
                    .any(|retry| retry.message_ids == failed.message_ids),
                "request {index} ({}) was not resent as it was",
                failed.status
            );
        }
    }
}
