//! Run-time cost of typed events, each measured against what it is compared with:
//!
//! - `serialize/track_plv10` vs `serialize/floor_plv10` (≤ 1.05×) and vs
//!   `serialize/json_macro_plv10` (≥ 3× faster);
//! - `validate/track_plv10` vs `serialize/track_plv10` (≤ 0.2×; zero allocations is
//!   proven by `tests/tests/allocations.rs`, and checked again by `ops.rs`);
//! - `parse/ecommerce_event` vs `parse/product_list_viewed` (≤ 1.2×), with
//!   `serde_json::from_slice` and with `event_core::from_json` (path tracking).
//!
//! `cargo bench -p event-tests --bench events`. After criterion's report, the ratios are
//! measured again interleaved (A, B, A, B, ... in the same second) and printed as
//! `RATIO` lines: those are the figures of BENCHMARKS.md. Without `--bench` (as
//! `cargo test --benches` runs it) every case runs once, as a smoke test.

mod fixtures;

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput};
use event_core::ecommerce::ProductListViewed;
use event_core::{EcommerceEvent, Track, Validate};

use fixtures::{interleaved, keep, report};

fn serialize(c: &mut Criterion) {
    let track = fixtures::typed();
    let floor = fixtures::floor();
    let raw = fixtures::raw_products();
    let mut buf = Vec::with_capacity(4096);
    let mut group = c.benchmark_group("serialize");
    group.throughput(Throughput::Elements(1));
    group.bench_function("track_plv10", |b| {
        b.iter(|| {
            buf.clear();
            serde_json::to_writer(&mut buf, black_box(&track)).expect("serializes");
            buf.len()
        });
    });
    group.bench_function("checked_track_plv10", |b| {
        b.iter(|| {
            buf.clear();
            event_core::write_json(&mut buf, black_box(&track)).expect("serializes");
            buf.len()
        });
    });
    group.bench_function("floor_plv10", |b| {
        b.iter(|| {
            buf.clear();
            serde_json::to_writer(&mut buf, black_box(&floor)).expect("serializes");
            buf.len()
        });
    });
    group.bench_function("json_macro_plv10", |b| {
        b.iter(|| {
            buf.clear();
            let value = fixtures::untyped(black_box(&raw));
            serde_json::to_writer(&mut buf, &value).expect("serializes");
            buf.len()
        });
    });
    let prebuilt = fixtures::untyped(&raw);
    group.bench_function("json_value_prebuilt_plv10", |b| {
        b.iter(|| {
            buf.clear();
            serde_json::to_writer(&mut buf, black_box(&prebuilt)).expect("serializes");
            buf.len()
        });
    });
    group.finish();
}

fn validate(c: &mut Criterion) {
    let track = fixtures::typed();
    let mut group = c.benchmark_group("validate");
    group.bench_function("track_plv10", |b| {
        b.iter(|| black_box(&track).validate().is_ok());
    });
    group.finish();
}

fn parse(c: &mut Criterion) {
    let payload = serde_json::to_vec(&fixtures::typed()).expect("serializes");
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(payload.len() as u64));
    for (how, id) in [("from_slice", 0), ("from_json", 1)] {
        group.bench_function(BenchmarkId::new("ecommerce_event", how), |b| {
            b.iter(|| {
                let parsed: Track<EcommerceEvent> = if id == 0 {
                    serde_json::from_slice(black_box(&payload)).expect("parses")
                } else {
                    event_core::from_json(black_box(&payload)).expect("parses")
                };
                parsed
            });
        });
        group.bench_function(BenchmarkId::new("product_list_viewed", how), |b| {
            b.iter(|| {
                let parsed: Track<ProductListViewed> = if id == 0 {
                    serde_json::from_slice(black_box(&payload)).expect("parses")
                } else {
                    event_core::from_json(black_box(&payload)).expect("parses")
                };
                parsed
            });
        });
    }
    group.finish();
}

/// The side-by-side ratios of BENCHMARKS.md.
fn ratios(rounds: usize, batch: usize) {
    let track = fixtures::typed();
    let floor = fixtures::floor();
    let raw = fixtures::raw_products();
    let payload = serde_json::to_vec(&track).expect("serializes");
    let floor_len = serde_json::to_vec(&floor).expect("serializes").len();
    let untyped_len = serde_json::to_vec(&fixtures::untyped(&raw))
        .expect("serializes")
        .len();
    println!(
        "payload sizes: track {} bytes, floor {floor_len} bytes, json! {untyped_len} bytes",
        payload.len()
    );
    let mut buf_a = Vec::with_capacity(4096);
    let mut buf_b = Vec::with_capacity(4096);
    let ser = |buf: &mut Vec<u8>, value: &dyn erased::Ser| {
        buf.clear();
        value.write(buf);
        keep(buf.len());
    };
    report(
        "serialize/track_plv10",
        "serialize/floor_plv10",
        interleaved(
            rounds,
            batch,
            || ser(&mut buf_a, black_box(&track)),
            || ser(&mut buf_b, black_box(&floor)),
        ),
        "<= 1.05",
    );
    report(
        "serialize/json_macro_plv10",
        "serialize/track_plv10",
        interleaved(
            rounds,
            batch,
            || {
                let value = fixtures::untyped(black_box(&raw));
                ser(&mut buf_a, &value);
            },
            || ser(&mut buf_b, black_box(&track)),
        ),
        ">= 3 (json! slower by this factor)",
    );
    report(
        "serialize/json_value_prebuilt_plv10",
        "serialize/track_plv10",
        {
            let prebuilt = fixtures::untyped(&raw);
            interleaved(
                rounds,
                batch,
                || ser(&mut buf_a, black_box(&prebuilt)),
                || ser(&mut buf_b, black_box(&track)),
            )
        },
        "note only: Value already built",
    );
    report(
        "validate/track_plv10",
        "serialize/track_plv10",
        interleaved(
            rounds,
            batch,
            || keep(black_box(&track).validate().is_ok()),
            || ser(&mut buf_b, black_box(&track)),
        ),
        "<= 0.2",
    );
    report(
        "parse/ecommerce_event/from_slice",
        "parse/product_list_viewed/from_slice",
        interleaved(
            rounds,
            batch,
            || {
                let parsed: Track<EcommerceEvent> =
                    serde_json::from_slice(black_box(&payload)).expect("parses");
                keep(parsed);
            },
            || {
                let parsed: Track<ProductListViewed> =
                    serde_json::from_slice(black_box(&payload)).expect("parses");
                keep(parsed);
            },
        ),
        "<= 1.2",
    );
    report(
        "parse/ecommerce_event/from_json",
        "parse/product_list_viewed/from_json",
        interleaved(
            rounds,
            batch,
            || {
                let parsed: Track<EcommerceEvent> =
                    event_core::from_json(black_box(&payload)).expect("parses");
                keep(parsed);
            },
            || {
                let parsed: Track<ProductListViewed> =
                    event_core::from_json(black_box(&payload)).expect("parses");
                keep(parsed);
            },
        ),
        "<= 1.2",
    );
    report(
        "parse/product_list_viewed/from_json",
        "parse/product_list_viewed/from_slice",
        interleaved(
            rounds,
            batch,
            || {
                let parsed: Track<ProductListViewed> =
                    event_core::from_json(black_box(&payload)).expect("parses");
                keep(parsed);
            },
            || {
                let parsed: Track<ProductListViewed> =
                    serde_json::from_slice(black_box(&payload)).expect("parses");
                keep(parsed);
            },
        ),
        "note only: cost of path tracking",
    );
}

/// Serializes through one function for every payload type, so the A/B loops differ only
/// in the value serialized.
mod erased {
    pub trait Ser {
        fn write(&self, buf: &mut Vec<u8>);
    }
    impl<T: serde::Serialize> Ser for T {
        fn write(&self, buf: &mut Vec<u8>) {
            serde_json::to_writer(buf, self).expect("serializes");
        }
    }
}

fn main() {
    let benching = std::env::args().any(|arg| arg == "--bench");
    let mut criterion = Criterion::default().configure_from_args();
    serialize(&mut criterion);
    validate(&mut criterion);
    parse(&mut criterion);
    criterion.final_summary();
    if benching {
        println!("\nSide-by-side ratios (median of 41 interleaved rounds):");
        ratios(41, 2_000);
    } else {
        ratios(3, 10);
    }
}
