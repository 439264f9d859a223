// trybuild builds this file in target/tests/trybuild/event-tests/, which is then the
// crate's manifest directory: the plan path climbs back to tests/ui/plans/.
use event_core::SemanticEvent;
use serde::Serialize;

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Signup Completed", plan = "../../../../tests/ui/plans/shop.json")]
struct SignupCompleted {
    email: Option<String>,
}

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Subscription Started", plan = "../../../../tests/ui/plans/shop.json")]
struct SubscriptionStarted {
    subscription_id: Option<String>,
    #[serde(skip_serializing_if = "is_zero")]
    price: f64,
}

fn is_zero(price: &f64) -> bool {
    *price == 0.0
}

fn main() {}
