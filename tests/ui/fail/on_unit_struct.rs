use event_core::Validate;

#[derive(Validate)]
struct Marker;

fn main() {}
