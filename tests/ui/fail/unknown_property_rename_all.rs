use event_core::SemanticEvent;
use serde::Serialize;

#[derive(Serialize, SemanticEvent)]
#[serde(rename_all = "camelCase")]
#[semantic_event(name = "Cart Viewed")]
struct CartViewed {
    cart_id: String,
}

fn main() {}
