use event_core::Validate;

struct Sku(String);

type Price = String;

#[derive(Validate)]
struct Line {
    #[semantic_event(non_empty)]
    sku: Sku,
    #[semantic_event(range(min = 0))]
    price: Price,
}

fn main() {}
