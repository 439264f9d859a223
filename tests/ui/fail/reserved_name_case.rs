use event_core::SemanticEvent;

#[derive(SemanticEvent)]
#[semantic_event(name = "user  deleted")]
struct Goodbye {
    reason: String,
}

fn main() {}
