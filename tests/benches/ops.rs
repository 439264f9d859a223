//! One operation, run N times, for instruction counts under callgrind (deterministic on
//! a shared machine) and allocation counts: `measure.sh` runs it twice per operation
//! (N = 200 and N = 1,200) and divides the difference by 1,000.
//!
//! `cargo bench -p event-tests --bench ops -- OP N`, OP one of `serialize_track`,
//! `serialize_floor`, `serialize_json_macro`, `validate_track`, `parse_ecommerce`,
//! `parse_plv`, `parse_ecommerce_from_json`, `parse_plv_from_json`, or `allocations`
//! (prints the heap allocations of one `validate()` of the event); and the experiment
//! behind a proposed change to the client, `prepare_as_client_does` vs
//! `prepare_reusing_a_buffer`. Without `--bench` (as
//! `cargo test --benches` runs it) every operation runs once.

mod fixtures;

use std::hint::black_box;
use std::sync::Arc;

use event_core::ecommerce::ProductListViewed;
use event_core::{EcommerceEvent, Track, Validate};

const OPS: [&str; 10] = [
    "serialize_track",
    "serialize_floor",
    "serialize_json_macro",
    "validate_track",
    "parse_ecommerce",
    "parse_plv",
    "parse_ecommerce_from_json",
    "parse_plv_from_json",
    "prepare_as_client_does",
    "prepare_reusing_a_buffer",
];

fn run(op: &str, n: u64) {
    let track = fixtures::typed();
    let floor = fixtures::floor();
    let raw = fixtures::raw_products();
    let payload = serde_json::to_vec(&track).expect("serializes");
    let mut buf = Vec::with_capacity(4096);
    for _ in 0..n {
        buf.clear();
        match op {
            "serialize_track" => {
                serde_json::to_writer(&mut buf, black_box(&track)).expect("serializes");
            }
            "serialize_floor" => {
                serde_json::to_writer(&mut buf, black_box(&floor)).expect("serializes");
            }
            "serialize_json_macro" => {
                let value = fixtures::untyped(black_box(&raw));
                serde_json::to_writer(&mut buf, &value).expect("serializes");
            }
            "validate_track" => fixtures::keep(black_box(&track).validate().is_ok()),
            "parse_ecommerce" => fixtures::keep(
                serde_json::from_slice::<Track<EcommerceEvent>>(black_box(&payload))
                    .expect("parses"),
            ),
            "parse_plv" => fixtures::keep(
                serde_json::from_slice::<Track<ProductListViewed>>(black_box(&payload))
                    .expect("parses"),
            ),
            "parse_ecommerce_from_json" => fixtures::keep(
                event_core::from_json::<Track<EcommerceEvent>>(black_box(&payload))
                    .expect("parses"),
            ),
            "parse_plv_from_json" => fixtures::keep(
                event_core::from_json::<Track<ProductListViewed>>(black_box(&payload))
                    .expect("parses"),
            ),
            // What `event_core::client::prepare` does today: validate, `to_vec` (the
            // vector grows from empty), copy into an `Arc<[u8]>`, copy the messageId.
            "prepare_as_client_does" => {
                black_box(&track).validate().expect("valid");
                let payload: Arc<[u8]> = serde_json::to_vec(black_box(&track))
                    .expect("serializes")
                    .into();
                fixtures::keep((payload, track.message_id.as_str().to_owned()));
            }
            // The proposed change: serialize into a buffer kept between calls, then one
            // exact-size allocation for the `Arc<[u8]>`.
            "prepare_reusing_a_buffer" => {
                black_box(&track).validate().expect("valid");
                serde_json::to_writer(&mut buf, black_box(&track)).expect("serializes");
                let payload: Arc<[u8]> = Arc::from(&buf[..]);
                fixtures::keep((payload, track.message_id.as_str().to_owned()));
            }
            other => panic!("unknown operation {other}; one of {OPS:?} or allocations"),
        }
        fixtures::keep(buf.len());
    }
}

fn allocations() {
    let track = fixtures::typed();
    let mut ok = false;
    let info = allocation_counter::measure(|| ok = track.validate().is_ok());
    assert!(ok);
    println!(
        "ALLOCATIONS validate/track_plv10: {} (bytes {})",
        info.count_total, info.bytes_total
    );
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with("--"))
        .collect();
    match args.as_slice() {
        [op, ..] if op == "allocations" => allocations(),
        [op, n, ..] => run(op, n.parse().expect("N: a number")),
        _ => {
            for op in OPS {
                run(op, 1);
            }
            allocations();
        }
    }
}
