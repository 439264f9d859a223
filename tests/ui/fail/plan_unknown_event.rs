// trybuild builds this file in target/tests/trybuild/event-tests/, which is then the
// crate's manifest directory: the plan path climbs back to tests/ui/plans/.
use event_core::SemanticEvent;
use serde::Serialize;

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Signup Complete", plan = "../../../../tests/ui/plans/shop.json")]
struct SignupCompleted {
    plan: String,
}

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Article Read", plan = "../../../../tests/ui/plans/shop.json")]
struct ArticleRead {
    article_id: String,
    #[semantic_event(custom)]
    referrer: String,
}

fn main() {}
