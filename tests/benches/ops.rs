//! One operation, run N times, for instruction counts under callgrind (deterministic on
//! a shared machine) and allocation counts: `measure.sh` runs it twice per operation
//! (N = 200 and N = 1,200) and divides the difference by 1,000.
//!
//! `cargo bench -p event-tests --bench ops -- OP N`, OP one of `serialize_track`,
//! `serialize_track_checked` (through `event_core::write_json`, as the clients write),
//! `serialize_floor`, `serialize_json_macro`, `validate_track`, `parse_ecommerce`,
//! `parse_plv`, `parse_ecommerce_from_json`, `parse_plv_from_json`, or `allocations`
//! (prints the heap allocations of one `validate()` of the event). Without `--bench` (as
//! `cargo test --benches` runs it) every operation runs once.

mod fixtures;

use std::hint::black_box;

use event_core::ecommerce::ProductListViewed;
use event_core::{EcommerceEvent, Track, Validate};

const OPS: [&str; 9] = [
    "serialize_track",
    "serialize_track_checked",
    "serialize_floor",
    "serialize_json_macro",
    "validate_track",
    "parse_ecommerce",
    "parse_plv",
    "parse_ecommerce_from_json",
    "parse_plv_from_json",
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
            "serialize_track_checked" => {
                event_core::write_json(&mut buf, black_box(&track)).expect("serializes");
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
