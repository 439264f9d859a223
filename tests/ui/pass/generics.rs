//! Generic structs: type parameters, lifetimes, const generics and where clauses are
//! copied onto every impl, and no bound is added.

use std::fmt::Debug;

use event_core::spec::JsonNumber;
use event_core::{SemanticEvent, Validate};
use serde::Serialize;

#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Experiment Viewed")]
struct ExperimentViewed<'a, T, const N: usize>
where
    T: Serialize + Debug,
{
    #[semantic_event(non_empty)]
    name: &'a str,
    variant: T,
    #[serde(skip)]
    arms: [u8; N],
    #[semantic_event(length(max = 3))]
    weights: Vec<f64>,
}

/// A generic known event: the price type must still produce a JSON number, so the
/// bound is the application's to write.
#[derive(Serialize, SemanticEvent)]
#[semantic_event(name = "Product Viewed")]
struct ProductViewed<P: JsonNumber + Serialize> {
    product_id: String,
    price: Option<P>,
}

#[derive(Validate)]
struct Wrapper<V: Validate> {
    inner: V,
    #[semantic_event(range(min = 0))]
    weight: f32,
}

fn main() {
    let event = ExperimentViewed::<'_, &str, 2> {
        name: "checkout",
        variant: "b",
        arms: [1, 2],
        weights: vec![0.5, f64::NAN],
    };
    assert_eq!(
        <ExperimentViewed<'_, &str, 2> as SemanticEvent>::EVENT_NAME,
        "Experiment Viewed"
    );
    assert_eq!(event.arms.len(), 2);
    let errors = event.validate().unwrap_err();
    assert_eq!(
        errors.to_string(),
        "properties.weights[1]: must be a finite number"
    );

    let viewed = ProductViewed::<u32> {
        product_id: "p-1".into(),
        price: Some(5),
    };
    assert!(viewed.validate().is_ok());
    assert_eq!(ProductViewed::<f64>::EVENT_NAME, "Product Viewed");

    let wrapper = Wrapper {
        inner: f64::INFINITY,
        weight: -1.0,
    };
    let errors = wrapper.validate().unwrap_err();
    assert_eq!(
        errors.to_string(),
        "inner: must be a finite number\nweight: must be at least 0, found -1"
    );
}
