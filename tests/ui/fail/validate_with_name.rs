use event_core::Validate;

#[derive(Validate)]
#[semantic_event(name = "Order Completed", custom)]
struct Address {
    city: String,
}

fn main() {}
