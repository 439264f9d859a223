//! Fuzz target: arbitrary bytes as a batch body (`Batch<Track<EcommerceEvent>>`). See `../check.rs`.
#![no_main]

#[path = "../check.rs"]
mod check;

libfuzzer_sys::fuzz_target!(|data: &[u8]| check::batch(data));
