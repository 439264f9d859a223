//! The derive macros of [`event-core`](https://docs.rs/event-core):
//! `#[derive(SemanticEvent)]`, `#[derive(Validate)]` and `#[derive(Traits)]`.
//!
//! Use them through `event_core`, which re-exports them (`Traits` as
//! `event_core::Traits`). Their attributes are documented in
//! [`event_core::attributes`](../event_core/attributes/index.html).
//!
//! The pipeline (for contributors), wired by `derive()` below: syn reads the tokens,
//! `parse.rs` reads its syntax tree into the model of `model.rs`, `check.rs` runs every
//! compile-time check (against the ecommerce spec, the struct's tracking plan or the
//! reserved traits), collecting errors in a `ctxt::Ctxt`, and `emit.rs` writes the code,
//! with the event's JSON Schema from `schema.rs`. The tables of ecommerce events and
//! reserved traits, and the plan reader, are the `event-spec` crate, which
//! `event_core::spec` re-exports.

mod case;
mod check;
mod ctxt;
mod emit;
mod model;
mod parse;
mod schema;

use proc_macro::TokenStream;

use crate::model::Derive;

/// Implements `SemanticEvent` and `Validate` for a struct with named fields.
///
/// See [`event_core::attributes`](../event_core/attributes/index.html) for
/// `#[semantic_event(...)]`.
#[proc_macro_derive(SemanticEvent, attributes(semantic_event))]
pub fn derive_semantic_event(input: TokenStream) -> TokenStream {
    derive(input, Derive::SemanticEvent)
}

/// Implements `Validate` for a struct with named fields, from the same field rules.
///
/// See [`event_core::attributes`](../event_core/attributes/index.html) for
/// `#[semantic_event(...)]`.
#[proc_macro_derive(Validate, attributes(semantic_event))]
pub fn derive_validate(input: TokenStream) -> TokenStream {
    derive(input, Derive::Validate)
}

/// Implements `Validate` and the marker trait `PersonTraits` (or `GroupTraits` with
/// `#[semantic_event(group)]`) for a struct with named fields, after checking each
/// serialized field against the reserved traits.
///
/// See [`event_core::attributes`](../event_core/attributes/index.html) for
/// `#[semantic_event(...)]`.
#[proc_macro_derive(Traits, attributes(semantic_event))]
pub fn derive_traits(input: TokenStream) -> TokenStream {
    derive(input, Derive::Traits)
}

/// Runs one derive: parse, check, then the code, or every error found.
fn derive(input: TokenStream, derive: Derive) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    let cx = ctxt::Ctxt::new();
    let container = parse::container(&cx, &input, derive);
    let planned = container
        .as_ref()
        .and_then(|container| check::planned(&cx, container));
    if let Some(container) = &container {
        check::container(&cx, container, planned.as_ref());
    }
    let code = match (cx.check(), container) {
        (Ok(()), Some(container)) => emit::derive_impls(&container, planned.as_ref()),
        (Err(errors), container) => {
            let mut out = errors.to_compile_error();
            out.extend(emit::fallback(&input, derive, container.as_ref()));
            out
        }
        // `parse::container` records an error whenever it returns `None`.
        (Ok(()), None) => emit::fallback(&input, derive, None),
    };
    code.into()
}
