use event_core::SemanticEvent;

#[derive(SemanticEvent)]
#[semantic_event(name = "Coupon Entered")]
struct CouponEntered {
    coupon_id: String,
    shopper_mood: String,
}

fn main() {}
