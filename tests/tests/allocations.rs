//! Validating a valid event performs no heap allocation, and neither does queueing one
//! on a client that has warmed up.

use std::time::Duration;

use event_core::{Client, Identity, SemanticEvent, Track, Validate};
use event_tests::NullTransport;
use serde::Serialize;

#[derive(Serialize, Validate)]
#[semantic_event(product)]
struct LineItem {
    #[semantic_event(non_empty, length(max = 64))]
    product_id: String,
    price: f64,
    #[semantic_event(range(min = 0))]
    quantity: f64,
    #[semantic_event(url)]
    url: Option<String>,
    #[semantic_event(custom, currency)]
    currency: Option<String>,
}

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Order Completed")]
struct OrderCompleted {
    #[semantic_event(required, non_empty)]
    order_id: Option<String>,
    total: Option<f64>,
    #[semantic_event(currency)]
    currency: Option<String>,
    products: Vec<LineItem>,
}

fn order() -> Track<OrderCompleted> {
    let products = (0..10)
        .map(|i| LineItem {
            product_id: format!("sku-{i}"),
            price: 19.99 + f64::from(i),
            quantity: 1.5,
            url: Some(format!("https://shop.example/p/{i}")),
            currency: Some("USD".to_owned()),
        })
        .collect();
    let event = OrderCompleted {
        order_id: Some("order-1".to_owned()),
        total: Some(250.0),
        currency: Some("USD".to_owned()),
        products,
    };
    Track::new(Identity::user("u-1").expect("non-empty"), event)
}

#[test]
fn validating_a_valid_event_allocates_nothing() {
    let track = order();
    let (result, info) = {
        let mut result = None;
        let info = allocation_counter::measure(|| {
            result = Some(track.validate());
        });
        (result, info)
    };
    assert_eq!(result, Some(Ok(())));
    assert_eq!(info.count_total, 0, "validation allocated: {info:?}");
}

#[test]
fn the_counter_does_see_allocations() {
    // Guards the test above: an invalid event allocates its errors, and the counter sees it.
    let mut track = order();
    track.event.products[3].price = f64::NAN;
    let info = allocation_counter::measure(|| {
        let errors = track.validate();
        assert!(errors.is_err());
    });
    assert!(info.count_total > 0);
}

#[test]
fn queueing_an_event_allocates_nothing_once_the_client_is_warm() {
    let client = Client::builder()
        .flush_at(100)
        .flush_interval(Duration::from_secs(3_600))
        .build(NullTransport)
        .expect("client");
    // Warm up: the calling thread's scratch buffer and the batch buffers reach their size.
    for _ in 0..3 {
        for _ in 0..100 {
            let track = order();
            client.track(track.identity, track.event).expect("queued");
        }
        client.flush().expect("flushed");
    }
    let calls: Vec<Track<OrderCompleted>> = (0..100).map(|_| order()).collect();
    let mut ids = Vec::with_capacity(calls.len());
    let info = allocation_counter::measure(|| {
        for track in calls {
            let Track {
                identity, event, ..
            } = track;
            ids.push(client.track(identity, event));
        }
    });
    assert!(ids.iter().all(Result::is_ok), "{ids:?}");
    assert_eq!(info.count_total, 0, "track allocated: {info:?}");
    client.flush().expect("flushed");
    assert_eq!(client.stats().delivered, 400);
}
