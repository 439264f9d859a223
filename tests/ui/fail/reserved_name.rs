use event_core::SemanticEvent;

#[derive(SemanticEvent)]
#[semantic_event(name = "User Deleted")]
struct UserDeleted {
    reason: String,
}

fn main() {}
