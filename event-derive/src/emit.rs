//! Code generation: the trait impls (with the marker trait of a checked product,
//! filter or sort object), the validation of every field, and the compile-time
//! assertions that property types fit the ecommerce spec.
//!
//! Generated code names runtime items only by absolute paths under the crate path
//! (`::event_core` unless the struct says `crate = "..."`), allocates nothing while
//! validating a valid value, and copies the struct's generics without adding bounds.

use proc_macro2::{Group, Literal, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned as _;
use syn::{DeriveInput, GenericArgument, Ident, Member, PathArguments, Type};

use crate::check;
use crate::model::{Container, Derive, Field, Rule, RuleKind};
use crate::schema;
use event_spec::plan::PlanType;

/// The path of the runtime crate: `::event_core`, unless the struct says `crate = "..."`.
fn krate(container: Option<&Container>) -> TokenStream {
    match container.and_then(|container| container.attrs.krate.as_ref()) {
        Some(path) => path.value.to_token_stream(),
        None => quote!(::event_core),
    }
}

/// The impls of a struct that has errors, with empty bodies: they keep the
/// compiler from adding "trait not implemented" errors to the real ones.
pub(crate) fn fallback(
    input: &DeriveInput,
    derive: Derive,
    container: Option<&Container>,
) -> TokenStream {
    let krate = krate(container);
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let validate = quote! {
        #[automatically_derived]
        impl #impl_generics #krate::Validate for #ident #ty_generics #where_clause {
            fn validate_at(
                &self,
                _: &#krate::__private::FieldPath<'_>,
                _: &mut #krate::__private::ValidationErrors,
            ) {
            }
        }
    };
    match derive {
        Derive::Validate => {
            let object = container.and_then(|container| container.attrs.object.as_ref());
            let markers = object.map(|object| {
                marker_impls(
                    &krate,
                    &input.ident,
                    &input.generics,
                    "spec",
                    object.value.traits(),
                )
            });
            quote!(#validate #markers)
        }
        Derive::Traits => {
            let markers = container.and_then(Container::traits_of).map(|of| {
                marker_impls(&krate, &input.ident, &input.generics, "calls", of.markers())
            });
            quote!(#validate #markers)
        }
        Derive::SemanticEvent => {
            let name = container
                .and_then(|container| container.attrs.name.as_ref())
                .map_or("", |name| &name.value);
            let event = event_impls(
                &krate,
                &input.ident,
                &input.generics,
                &Literal::string(name),
                TokenStream::new(),
            );
            quote!(#event #validate)
        }
    }
}

pub(crate) fn derive_impls(container: &Container, planned: Option<&check::Planned>) -> TokenStream {
    let krate = krate(Some(container));
    // Streams are moved into one, not interpolated: each interpolation is a clone and a
    // concatenation across the proc-macro bridge.
    let mut out = match (container.derive, &container.attrs.name) {
        (Derive::SemanticEvent, Some(name)) => {
            let name = Literal::string(&name.value);
            let schema = schema_impl(&krate, container);
            event_impls(&krate, container.ident, container.generics, &name, schema)
        }
        _ => {
            let mut out = TokenStream::new();
            out.extend([schema_impl(&krate, container)]);
            out
        }
    };
    out.extend([validate_impl(&krate, container)]);
    if let Some(object) = &container.attrs.object {
        out.extend([marker_impls(
            &krate,
            container.ident,
            container.generics,
            "spec",
            object.value.traits(),
        )]);
    }
    if let Some(of) = container.traits_of() {
        out.extend([marker_impls(
            &krate,
            container.ident,
            container.generics,
            "calls",
            of.markers(),
        )]);
    }
    if let Some(planned) = planned {
        out.extend(type_assertions(&krate, container, planned));
        if let Some(file) = &planned.file {
            // Read by rustc too, so that the crate rebuilds when the plan changes.
            let file = Literal::string(file);
            out.extend([quote!(
                const _: &[u8] = ::core::include_bytes!(#file);
            )]);
        }
    }
    out
}

/// The schema of the properties: `SemanticEvent::SCHEMA` of an event, `PropertySchema`
/// of any other struct. One string literal, and one function per field whose type
/// the syntax cannot see through.
fn schema_impl(krate: &TokenStream, container: &Container) -> TokenStream {
    let (json, parts) = schema::properties(container);
    let json = Literal::string(&json);
    let parts = parts.into_iter().map(|ty| {
        quote! {
            #krate::plan::part(|| {
                #[allow(unused_imports)]
                use #krate::plan::{ViaNothing as _, ViaSchema as _};
                (&&#krate::plan::SchemaProbe::<#ty>::NEW).property_schema()
            })
        }
    });
    let parts: Vec<TokenStream> = parts.collect();
    let ident = container.ident;
    let (impl_generics, ty_generics, where_clause) = container.generics.split_for_impl();
    match container.derive {
        // One string constant, as cheap as the name; the parts only when there are any.
        Derive::SemanticEvent if parts.is_empty() => quote! {
            const SCHEMA_JSON: &'static str = #json;
        },
        Derive::SemanticEvent => quote! {
            const SCHEMA_JSON: &'static str = #json;
            const SCHEMA_PARTS: &'static [fn() -> #krate::plan::Value] = &[#(#parts),*];
        },
        Derive::Validate | Derive::Traits => quote! {
            #[automatically_derived]
            impl #impl_generics #krate::spec::JsonObject for #ident #ty_generics #where_clause {}
            #[automatically_derived]
            impl #impl_generics #krate::plan::PropertySchema for #ident #ty_generics #where_clause {
                fn property_schema() -> #krate::plan::Value {
                    // A local slice: a generic struct's parts cannot be a constant.
                    #krate::plan::SchemaTemplate::fill(#json, &[#(#parts),*])
                }
            }
        },
    }
}

/// The marker trait of a checked object and its seal, both in `module` of
/// `event_core`: `spec` for a product, filter or sort object, `calls` for traits.
fn marker_impls(
    krate: &TokenStream,
    ident: &Ident,
    generics: &syn::Generics,
    module: &str,
    (marker, seal): (&str, &str),
) -> TokenStream {
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let module = Ident::new(module, Span::call_site());
    let (marker, seal) = (
        Ident::new(marker, Span::call_site()),
        Ident::new(seal, Span::call_site()),
    );
    quote! {
        #[automatically_derived]
        impl #impl_generics #krate::#module::#seal for #ident #ty_generics #where_clause {}
        #[automatically_derived]
        impl #impl_generics #krate::#module::#marker for #ident #ty_generics #where_clause {}
    }
}

/// The `email` rule of the reserved trait `email`, unless the field says `custom`,
/// already has the rule, or serializes through a function of its own. A type that is
/// no string is checked by nothing here: the type assertion reports it, once.
fn reserved_email(
    krate: &TokenStream,
    container: &Container,
    field: &Field,
    path: &Ident,
    errors: &Ident,
) -> Option<TokenStream> {
    let reserved = container.traits_of().is_some()
        && field.wire_name == "email"
        && field.is_serialized()
        && field.attrs.custom.is_none()
        && !field.serde.with
        && !field
            .attrs
            .rules
            .iter()
            .any(|rule| matches!(rule.kind, RuleKind::Email));
    if !reserved {
        return None;
    }
    let member = Member::Named(field.ident.clone());
    let wire = Literal::string(&field.wire_name);
    Some(quote! {
        {
            #[allow(unused_imports)]
            use #krate::__private::{EmailOfText as _, EmailOfOther as _};
            (&#krate::__private::ReservedEmail(&self.#member))
                .check_email(&#path.field(#wire), #errors);
        }
    })
}

/// `SemanticEvent` and the inherent `EVENT_NAME` constant.
fn event_impls(
    krate: &TokenStream,
    ident: &Ident,
    generics: &syn::Generics,
    name: &Literal,
    schema: TokenStream,
) -> TokenStream {
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let doc = literal(
        "The event name sent as the payload's `\"event\"`: the same as `SemanticEvent::EVENT_NAME`.",
    );
    quote! {
        #[automatically_derived]
        impl #impl_generics #krate::SemanticEvent for #ident #ty_generics #where_clause {
            const EVENT_NAME: &'static str = #name;
            #schema
        }
        // No `#[automatically_derived]` here: rustc accepts it on trait impls only.
        impl #impl_generics #ident #ty_generics #where_clause {
            #[doc = #doc]
            pub const EVENT_NAME: &'static str = #name;
        }
    }
}

fn validate_impl(krate: &TokenStream, container: &Container) -> TokenStream {
    let ident = container.ident;
    let (impl_generics, ty_generics, where_clause) = container.generics.split_for_impl();
    let (path, errors) = (
        Ident::new("path", Span::mixed_site()),
        Ident::new("errors", Span::mixed_site()),
    );
    let mut checks: Vec<TokenStream> = Vec::new();
    // Float fields with no rule, in a run that no other check interrupts (so errors
    // keep the fields' order), are checked together: one call costs rustc much less
    // than one per field.
    let mut floats: Vec<&Field> = Vec::new();
    for field in container.fields.iter().filter(|field| field.is_validated()) {
        let plain = field.attrs.rules.is_empty() && !field.serde.flatten;
        if plain && matches!(nested(field.ty), Nested::Float | Nested::OptionalFloat) {
            floats.push(field);
            continue;
        }
        let email = reserved_email(krate, container, field, &path, &errors);
        if let Some(check) = validate_field(krate, field, &path, &errors) {
            checks.extend(finite_floats(krate, &floats, &path, &errors));
            floats.clear();
            checks.push(check);
        }
        if let Some(email) = email {
            checks.extend(finite_floats(krate, &floats, &path, &errors));
            floats.clear();
            checks.push(email);
        }
    }
    checks.extend(finite_floats(krate, &floats, &path, &errors));
    checks.extend(flattened_keys(krate, container, &path, &errors));
    // Unused parameters are named `_` so a struct with nothing to check warns of nothing.
    let (path_param, errors_param) = if checks.is_empty() {
        let unused = Ident::new("_", Span::call_site());
        (unused.clone(), unused)
    } else {
        (path, errors)
    };
    // An event validated on its own reports its paths under `properties`.
    let root = (container.derive == Derive::SemanticEvent).then(|| literal("properties"));
    let root = root.iter();
    quote! {
        #[automatically_derived]
        impl #impl_generics #krate::Validate for #ident #ty_generics #where_clause {
            // Compiled where it is used, as serde's generic impls are: a crate defining
            // many events does not pay for the code of those it never validates.
            #[inline]
            fn validate_at(
                &self,
                #path_param: &#krate::__private::FieldPath<'_>,
                #errors_param: &mut #krate::__private::ValidationErrors,
            ) {
                #(#checks)*
            }
            #(const ROOT_FIELD: &'static str = #root;)*
        }
    }
}

/// For each flattened field (such as `extra`): a check that none of its keys repeats a
/// field the struct declares.
fn flattened_keys(
    krate: &TokenStream,
    container: &Container,
    path: &Ident,
    errors: &Ident,
) -> Vec<TokenStream> {
    let declared: Vec<Literal> = container
        .fields
        .iter()
        .filter(|field| !field.serde.skip && !field.serde.flatten)
        .map(|field| Literal::string(&field.wire_name))
        .collect();
    container
        .fields
        .iter()
        .filter(|field| field.serde.flatten && !field.serde.skip && !declared.is_empty())
        .map(|field| {
            let member = Member::Named(field.ident.clone());
            quote! {
                #krate::__private::flattened_keys(&self.#member, &[#(#declared),*], #path, #errors);
            }
        })
        .collect()
}

/// The names of `__private::finite_N`, which checks `N` float fields.
const FINITE: [&str; 8] = [
    "finite_1", "finite_2", "finite_3", "finite_4", "finite_5", "finite_6", "finite_7", "finite_8",
];

/// The calls that check a run of float fields with no rule, at most 8 per call.
fn finite_floats(
    krate: &TokenStream,
    floats: &[&Field],
    path: &Ident,
    errors: &Ident,
) -> Vec<TokenStream> {
    floats
        .chunks(FINITE.len())
        .map(|chunk| {
            let function = Ident::new(FINITE[chunk.len() - 1], Span::call_site());
            let members = chunk.iter().map(|field| Member::Named(field.ident.clone()));
            let wires = chunk.iter().map(|field| Literal::string(&field.wire_name));
            quote!(#krate::__private::#function(#(self.#members, #wires,)* #path, #errors);)
        })
        .collect()
}

/// The checks of one field, or `None` when it has no rule and its type visibly holds
/// nothing to validate (a `String`, a `bool`, an integer, or an `Option`/`Vec` of one):
/// emitting nothing there keeps the derive cheap to compile.
fn validate_field(
    krate: &TokenStream,
    field: &Field,
    path: &Ident,
    errors: &Ident,
) -> Option<TokenStream> {
    let nested = nested(field.ty);
    let no_rule = field.attrs.rules.is_empty();
    if no_rule && matches!(nested, Nested::Nothing) {
        return None;
    }
    let member = Member::Named(field.ident.clone());
    let wire = Literal::string(&field.wire_name);
    if no_rule && !field.serde.flatten {
        // One plain function call, the wire name passed as is: the cheapest code for
        // rustc to check, and the common case.
        let call = match nested {
            // Reached for a float only if the caller did not gather it with others.
            Nested::Float | Nested::OptionalFloat => quote! {
                #krate::__private::finite_1(self.#member, #wire, #path, #errors);
            },
            Nested::Direct => quote! {
                #krate::__private::validate_field(&self.#member, #path, #wire, #errors);
            },
            Nested::Probe => probe(krate, &member, &quote!(&#path.field(#wire)), errors),
            Nested::Nothing => return None,
        };
        return Some(call);
    }
    let here = Ident::new("field_path", Span::mixed_site());
    let located = if field.serde.flatten {
        quote!(#path)
    } else {
        quote!(&#path.field(#wire))
    };
    // With no rule (a flattened field), the field's path is used once: pass it straight.
    let place = if no_rule {
        located.clone()
    } else {
        quote!(#here)
    };
    let nested = match nested {
        Nested::Nothing => None,
        Nested::Float | Nested::OptionalFloat | Nested::Direct => Some(quote! {
            #krate::Validate::validate_at(&self.#member, #place, #errors);
        }),
        Nested::Probe => Some(probe(krate, &member, &place, errors)),
    };
    if no_rule {
        return nested;
    }
    let rules = field
        .attrs
        .rules
        .iter()
        .map(|rule| validate_rule(krate, field, rule, &here, errors));
    Some(quote! {
        {
            let #here: &#krate::__private::FieldPath<'_> = #located;
            #(#rules)*
            #nested
        }
    })
}

/// Validates a field of a type the syntax does not tell, if it implements `Validate`.
fn probe(krate: &TokenStream, member: &Member, place: &TokenStream, errors: &Ident) -> TokenStream {
    quote! {
        {
            #[allow(unused_imports)]
            use #krate::__private::{ViaNothing as _, ViaValidate as _};
            (&#krate::__private::Nested(&self.#member)).validate_nested(#place, #errors);
        }
    }
}

/// How a field's own contents are validated, as far as the syntax of its type tells.
#[derive(Clone, Copy)]
enum Nested {
    /// Nothing inside can fail: strings, booleans, integers.
    Nothing,
    /// `f32` or `f64`: checked with others by `__private::finite_N`.
    Float,
    /// `Option<f32>` or `Option<f64>`: the same.
    OptionalFloat,
    /// Floats (finite check) through the other containers `Validate` sees through.
    Direct,
    /// Any other type: validated if it implements `Validate` (autoref specialization).
    Probe,
}

fn nested(ty: &Type) -> Nested {
    // Through a reference, slice or array the field is no plain float.
    let contained = |inner: &Type| match nested(inner) {
        Nested::Float | Nested::OptionalFloat => Nested::Direct,
        other => other,
    };
    match ty {
        Type::Paren(inner) => nested(&inner.elem),
        Type::Group(inner) => nested(&inner.elem),
        Type::Reference(reference) => contained(&reference.elem),
        Type::Slice(slice) => contained(&slice.elem),
        Type::Array(array) => contained(&array.elem),
        Type::Path(path) if path.qself.is_none() => {
            let segments = &path.path.segments;
            // A single name, or one spelled through the standard library: anything else
            // may be the application's own type of the same name.
            let standard = segments.len() == 1
                || segments.first().is_some_and(|first| {
                    ["std", "core", "alloc"].contains(&first.ident.to_string().as_str())
                });
            let Some(last) = segments.last() else {
                return Nested::Probe;
            };
            if !standard {
                return Nested::Probe;
            }
            let inner = match &last.arguments {
                PathArguments::AngleBracketed(arguments) => {
                    arguments.args.iter().find_map(|argument| match argument {
                        GenericArgument::Type(ty) => Some(ty),
                        _ => None,
                    })
                }
                _ => None,
            };
            match (last.ident.to_string().as_str(), inner) {
                (
                    "String" | "str" | "bool" | "char" | "i8" | "i16" | "i32" | "i64" | "i128"
                    | "isize" | "u8" | "u16" | "u32" | "u64" | "u128" | "usize",
                    None,
                ) => Nested::Nothing,
                ("f64" | "f32", None) => Nested::Float,
                ("Option", Some(inner)) => match nested(inner) {
                    Nested::Float => Nested::OptionalFloat,
                    Nested::OptionalFloat => Nested::Direct,
                    other => other,
                },
                ("Vec" | "VecDeque" | "Box" | "Rc" | "Arc", Some(inner)) => contained(inner),
                _ => Nested::Probe,
            }
        }
        _ => Nested::Probe,
    }
}

fn validate_rule(
    krate: &TokenStream,
    field: &Field,
    rule: &Rule,
    here: &Ident,
    errors: &Ident,
) -> TokenStream {
    let span = rule.span;
    // The whole call carries the rule's span, so that a type error (a rule the
    // field's type does not support) points at the rule in the attribute.
    let mut member = field.ident.clone();
    member.set_span(span);
    let value = quote_spanned!(span=> &self.#member);
    let rules = respan(quote!(#krate::validate::rules), span);
    match &rule.kind {
        RuleKind::Required => quote_spanned!(span=> #rules::required(#value, #here, #errors);),
        RuleKind::NonEmpty => quote_spanned!(span=> #rules::non_empty(#value, #here, #errors);),
        RuleKind::Url => quote_spanned!(span=> #rules::url(#value, #here, #errors);),
        RuleKind::Email => quote_spanned!(span=> #rules::email(#value, #here, #errors);),
        RuleKind::Currency => quote_spanned!(span=> #rules::currency(#value, #here, #errors);),
        RuleKind::Length { min, max } => {
            let min = option(min.as_ref().map(|min| Literal::usize_suffixed(min.value)));
            let max = option(max.as_ref().map(|max| Literal::usize_suffixed(max.value)));
            quote_spanned!(span=> #rules::length(#value, #min, #max, #here, #errors);)
        }
        RuleKind::Range { min, max } => {
            let min = option(min.as_ref().map(|min| Literal::f64_suffixed(min.value)));
            let max = option(max.as_ref().map(|max| Literal::f64_suffixed(max.value)));
            quote_spanned!(span=> #rules::range(#value, #min, #max, #here, #errors);)
        }
        RuleKind::Custom(function) => {
            let span = function.span();
            let mut member = field.ident.clone();
            member.set_span(span);
            let rules = respan(rules, span);
            quote_spanned!(span=> #rules::custom(#function(&self.#member), #here, #errors);)
        }
    }
}

/// `tokens` with every span set to `span`, so that errors about them point there.
fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tree| {
            if let TokenTree::Group(group) = &tree {
                let mut respanned = Group::new(group.delimiter(), respan(group.stream(), span));
                respanned.set_span(span);
                tree = TokenTree::Group(respanned);
            } else {
                tree.set_span(span);
            }
            tree
        })
        .collect()
}

/// A string literal to interpolate. `quote!` turns a literal written in its template
/// into a call of `TokenStream::from_str`, for which rustc registers a new source
/// file each time: costly for every struct of a crate.
fn literal(text: &str) -> Literal {
    Literal::string(text)
}

fn option(value: Option<Literal>) -> TokenStream {
    match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    }
}

/// For a known ecommerce event or a product, filter or sort object: a generic function, never called, whose body requires
/// every property's type to produce the spec's JSON type, through the traits of
/// `event_core::spec`. Each requirement is written as the trait's constant `FITS` of
/// the field's type and carries that type's span, so rustc reports an unfit type with
/// the trait's own message, at the field, and names no item of the derive.
fn type_assertions(
    krate: &TokenStream,
    container: &Container,
    planned: &check::Planned,
) -> Option<TokenStream> {
    let spec = quote!(#krate::spec);
    let assertions: Vec<TokenStream> = container
        .fields
        .iter()
        .filter_map(|field| {
            let json_type = check::asserted_type(field, &planned.event)?;
            let ty = field.ty;
            // A type that visibly produces the JSON type cannot fail: no code for it.
            if fits_by_syntax(ty, json_type) {
                return None;
            }
            // The qualified path spans from the type's first token to its last, so
            // that rustc underlines the whole type, as written.
            let span = ty.span();
            let end = ty
                .to_token_stream()
                .into_iter()
                .last()
                .map_or(span, |last| last.span());
            let (open, end_spec) = (quote_spanned!(span=> <), respan(spec.clone(), end));
            let trait_of = |json_type: &PlanType| match json_type {
                PlanType::String => Some("JsonString"),
                PlanType::Number => Some("JsonNumber"),
                PlanType::Integer => Some("JsonInteger"),
                PlanType::Boolean => Some("JsonBoolean"),
                PlanType::Object => Some("JsonObject"),
                PlanType::Array(_) => Some("JsonArray"),
                PlanType::Product => Some("ProductObject"),
                PlanType::Filter => Some("FilterObject"),
                PlanType::Sort => Some("SortObject"),
                PlanType::Any => None,
            };
            let fits = match json_type {
                PlanType::Array(item) => match trait_of(item) {
                    // Items of items are not checked: the array is.
                    Some(element) if !matches!(**item, PlanType::Array(_)) => {
                        let element = Ident::new(element, end);
                        quote_spanned!(end=>
                            #open #open #ty as #end_spec::JsonArray>::Item as #end_spec::#element>::FITS
                        )
                    }
                    _ => quote_spanned!(end=> #open #ty as #end_spec::JsonArray>::FITS),
                },
                other => {
                    let name = Ident::new(trait_of(other)?, end);
                    quote_spanned!(end=> #open #ty as #end_spec::#name>::FITS)
                }
            };
            Some(quote_spanned!(span=> let () = #fits;))
        })
        .collect();
    if assertions.is_empty() {
        return None;
    }
    let (impl_generics, _, where_clause) = container.generics.split_for_impl();
    Some(quote! {
        #[doc(hidden)]
        #[allow(dead_code, clippy::extra_unused_type_parameters, clippy::extra_unused_lifetimes)]
        const _: () = {
            fn assert_property_types #impl_generics () #where_clause {
                #(#assertions)*
            }
        };
    })
}

/// Whether the syntax of `ty` alone shows that it produces `json_type`: a `String` or
/// `&str` for a string, a float or an integer for a number, also in an `Option`, a
/// reference or a `Box`. Names are read as `nested` reads them: a single name, or one
/// spelled through the standard library.
fn fits_by_syntax(ty: &Type, json_type: &PlanType) -> bool {
    match ty {
        Type::Paren(inner) => fits_by_syntax(&inner.elem, json_type),
        Type::Group(inner) => fits_by_syntax(&inner.elem, json_type),
        Type::Reference(reference) => fits_by_syntax(&reference.elem, json_type),
        Type::Path(path) if path.qself.is_none() => {
            let segments = &path.path.segments;
            let standard = segments.len() == 1
                || segments.first().is_some_and(|first| {
                    ["std", "core", "alloc"].contains(&first.ident.to_string().as_str())
                });
            let Some(last) = segments.last().filter(|_| standard) else {
                return false;
            };
            let name = last.ident.to_string();
            match &last.arguments {
                PathArguments::None => match json_type {
                    PlanType::String => name == "String" || name == "str",
                    PlanType::Boolean => name == "bool",
                    PlanType::Integer => matches!(
                        name.as_str(),
                        "i8" | "i16"
                            | "i32"
                            | "i64"
                            | "i128"
                            | "isize"
                            | "u8"
                            | "u16"
                            | "u32"
                            | "u64"
                            | "u128"
                            | "usize"
                    ),
                    PlanType::Number => matches!(
                        name.as_str(),
                        "f32"
                            | "f64"
                            | "i8"
                            | "i16"
                            | "i32"
                            | "i64"
                            | "i128"
                            | "isize"
                            | "u8"
                            | "u16"
                            | "u32"
                            | "u64"
                            | "u128"
                            | "usize"
                    ),
                    _ => false,
                },
                PathArguments::AngleBracketed(arguments)
                    if (name == "Option" || name == "Box") && arguments.args.len() == 1 =>
                {
                    matches!(
                        arguments.args.first(),
                        Some(GenericArgument::Type(inner)) if fits_by_syntax(inner, json_type)
                    )
                }
                _ => false,
            }
        }
        _ => false,
    }
}
