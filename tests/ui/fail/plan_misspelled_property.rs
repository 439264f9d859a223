// trybuild builds this file in target/tests/trybuild/event-tests/, which is then the
// crate's manifest directory: the plan path climbs back to tests/ui/plans/.
use event_core::SemanticEvent;
use serde::Serialize;

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Signup Completed", plan = "../../../../tests/ui/plans/shop.json")]
struct SignupCompleted {
    plan: String,
    emial: Option<String>,
}

fn main() {}
