//! A rule accepts a field through the same wrappers its trait sees through: `range` on
//! an `Rc<f64>` or `Arc<u32>` checks the number inside, as `length` does a `Rc<str>`.

use std::rc::Rc;
use std::sync::Arc;

use event_core::Validate;

#[derive(Validate)]
struct Shared {
    #[semantic_event(range(min = 0, max = 10))]
    score: Rc<f64>,
    #[semantic_event(range(max = 5))]
    count: Arc<u32>,
    #[semantic_event(length(max = 3))]
    code: Rc<str>,
}

fn main() {
    let ok = Shared {
        score: Rc::new(1.5),
        count: Arc::new(5),
        code: Rc::from("EUR"),
    };
    assert!(ok.validate().is_ok());
    let bad = Shared {
        score: Rc::new(11.0),
        count: Arc::new(6),
        code: Rc::from("EURO"),
    };
    let errors = bad.validate().expect_err("every field is out of bounds");
    let paths: Vec<&str> = errors.iter().map(|error| error.path()).collect();
    assert_eq!(paths, ["score", "count", "code"]);
}
