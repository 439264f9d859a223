//! The derive macros of [`event-core`](https://docs.rs/event-core):
//! `#[derive(SemanticEvent)]` and `#[derive(Validate)]`.
//!
//! Use them through `event_core`, which re-exports both under the names of their
//! traits. Their attributes are documented in
//! [`event_core::attributes`](../event_core/attributes/index.html).
//!
//! The pipeline (for contributors): syn reads the tokens, `parse.rs` reads its syntax
//! tree into the model of `model.rs`, `check.rs` runs every compile-time check, collecting errors in a
//! `ctxt::Ctxt`, and `emit.rs` writes the code. The table of ecommerce events is the
//! `event-spec` crate, which `event_core::spec` re-exports.

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

fn derive(input: TokenStream, derive: Derive) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    emit::expand(&input, derive).into()
}
