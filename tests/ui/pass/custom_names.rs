//! `custom` on the struct confirms a near miss or a reserved name and turns off the
//! spec checks; `custom` on a field marks a property of the application's own.

use event_core::{SemanticEvent, Validate};
use serde::Serialize;

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Product List Veiwed", custom)]
struct LegacyTypo {
    anything: u8,
}

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "User Deleted", custom)]
struct UserDeleted {}

#[derive(Serialize, SemanticEvent)]
#[semantic_event(custom, name = "Order Completed")]
struct LooseOrder {
    order_id: u64,
    totally_mine: String,
}

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Order Completed")]
struct OrderCompleted {
    order_id: String,
    #[semantic_event(custom, non_empty)]
    gift_message: String,
    #[semantic_event(custom)]
    warehouse_code: u32,
}

fn main() {
    assert_eq!(LegacyTypo::EVENT_NAME, "Product List Veiwed");
    assert_eq!(UserDeleted::EVENT_NAME, "User Deleted");
    assert!(LegacyTypo { anything: 1 }.validate().is_ok());
    assert!(UserDeleted {}.validate().is_ok());
    assert!(
        LooseOrder {
            order_id: 1,
            totally_mine: String::new()
        }
        .validate()
        .is_ok()
    );
    let order = OrderCompleted {
        order_id: "o".into(),
        gift_message: String::new(),
        warehouse_code: 7,
    };
    assert_eq!(
        order.validate().unwrap_err().to_string(),
        "properties.gift_message: must not be empty"
    );
}
