// trybuild builds this file in target/tests/trybuild/event-tests/, which is then the
// crate's manifest directory: the plan path climbs back to tests/ui/plans/.
use event_core::SemanticEvent;
use serde::Serialize;

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Signup Completed", plan = "../../../../tests/ui/plans/shop.json")]
struct SignupCompleted {
    plan: String,
    email: Option<String>,
    age: Option<u32>,
    newsletter: bool,
    #[semantic_event(custom)]
    campaign: Option<String>,
}

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Subscription Started", plan = "../../../../tests/ui/plans/shop.json")]
#[serde(rename_all = "snake_case")]
struct SubscriptionStarted {
    #[serde(rename = "subscription_id")]
    id: String,
    price: f64,
    seats: Option<u16>,
    features: Vec<String>,
}

#[derive(Serialize, event_core::Validate)]
struct Author {
    name: String,
}

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Article Read", plan = "../../../../tests/ui/plans/shop.json")]
struct ArticleRead {
    article_id: String,
    #[semantic_event(required)]
    read_seconds: Option<f64>,
    author: Option<Author>,
}

fn main() {
    assert_eq!(SignupCompleted::EVENT_NAME, "Signup Completed");
    let _ = (SubscriptionStarted::json_schema(), ArticleRead::json_schema());
}
