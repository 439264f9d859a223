//! The derive inside an application's own `macro_rules!`, the event name and a bound
//! passed as fragments.
use event_core::{SemanticEvent, Validate};
use serde::Serialize;

macro_rules! sized_event {
    ($name:ident, $event:literal, $max:literal) => {
        #[derive(Serialize, SemanticEvent)]
        #[semantic_event(name = $event)]
        struct $name {
            label: String,
            #[semantic_event(range(max = $max))]
            size: f64,
        }
    };
}

sized_event!(GiftBoxChosen, "Gift Box Chosen", 10);

fn main() {
    assert_eq!(GiftBoxChosen::EVENT_NAME, "Gift Box Chosen");
    let event = GiftBoxChosen { label: "small".into(), size: 12.0 };
    assert_eq!(event.validate().unwrap_err().len(), 1);
}
