//! `crate = "..."` for crates that reach `event_core` through a re-export.

mod my_reexport {
    pub use event_core;
}

use my_reexport::event_core::Validate as _;

#[derive(serde::Serialize, my_reexport::event_core::SemanticEvent)]
#[semantic_event(name = "Order Refunded", crate = "my_reexport::event_core")]
struct OrderRefunded {
    #[semantic_event(non_empty)]
    order_id: String,
    total: Option<f64>,
}

#[derive(my_reexport::event_core::Validate)]
#[semantic_event(crate = my_reexport::event_core)]
struct Plain {
    #[semantic_event(email)]
    email: String,
}

fn main() {
    assert_eq!(OrderRefunded::EVENT_NAME, "Order Refunded");
    let event = OrderRefunded {
        order_id: String::new(),
        total: Some(1.0),
    };
    assert_eq!(
        event.validate().unwrap_err().to_string(),
        "properties.order_id: must not be empty"
    );
    assert!(
        Plain {
            email: "a@b.co".into()
        }
        .validate()
        .is_ok()
    );
}
