//! Fuzz target: arbitrary bytes as a `Retry-After` header value. See `../check.rs`.
#![no_main]

#[path = "../check.rs"]
mod check;

libfuzzer_sys::fuzz_target!(|data: &[u8]| check::retry_after(data));
