//! From syn's syntax tree to the [model](crate::model): `#[semantic_event(...)]` and
//! the parts of `#[serde(...)]` that decide wire names.
//!
//! Every malformed attribute is recorded in the [`Ctxt`] and parsing goes on with the
//! next key, so that one compile reports every mistake.

use proc_macro2::TokenStream;
use syn::ext::IdentExt as _;
use syn::meta::ParseNestedMeta;
use syn::parse::{ParseStream, Parser as _};
use syn::spanned::Spanned as _;
use syn::{Attribute, Data, DeriveInput, Expr, ExprLit, Fields, Lit, LitStr, Path, Token, UnOp};

use event_spec::suggest;

use crate::case::RenameRule;
use crate::ctxt::Ctxt;
use crate::model::{
    Container, ContainerAttrs, Derive, Field, FieldAttrs, ObjectKind, Rule, RuleKind, SerdeField,
    Spanned,
};

/// The attribute both derives read.
pub const ATTR: &str = "semantic_event";

/// Keys of `#[semantic_event(...)]` on the struct, per derive.
fn container_keys(derive: Derive) -> &'static [&'static str] {
    match derive {
        Derive::SemanticEvent => &["name", "plan", "custom", "crate"],
        Derive::Validate => &["product", "filter", "sort", "crate"],
        Derive::Traits => &["group", "crate"],
    }
}

/// Keys of `#[semantic_event(...)]` on a field.
pub const FIELD_KEYS: &[&str] = &[
    "required",
    "non_empty",
    "length",
    "range",
    "url",
    "email",
    "currency",
    "custom",
    "skip",
];

/// Reads the whole input. `None` when it is not a struct with named fields (the
/// error is recorded); the container attributes are read either way.
pub fn container<'a>(cx: &Ctxt, input: &'a DeriveInput, derive: Derive) -> Option<Container<'a>> {
    let attrs = container_attrs(cx, &input.attrs, derive);
    let serde_rename_all = serde_container(&input.attrs);
    let what = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => {
                let fields = named
                    .named
                    .iter()
                    .filter_map(|field| {
                        let ident = field.ident.as_ref()?;
                        Some(self::field(cx, field, ident, serde_rename_all, derive))
                    })
                    .collect();
                return Some(Container {
                    derive,
                    ident: &input.ident,
                    generics: &input.generics,
                    attrs,
                    serde_rename_all,
                    fields,
                    docs: docs(&input.attrs),
                });
            }
            Fields::Unnamed(unnamed) => {
                cx.error(
                    unnamed.paren_token.span.join(),
                    format_args!(
                        "`#[derive({})]` needs a struct with named fields, and `{}` is a tuple struct: \
                         name its fields, as in `struct {} {{ {example}: String }}`; each field becomes \
                         {what}",
                        derive.name(),
                        input.ident,
                        input.ident,
                        example = derive.example_field(),
                        what = derive.field_becomes(),
                    ),
                );
                return None;
            }
            Fields::Unit => ("a unit struct", input.ident.span()),
        },
        Data::Enum(data) => ("an enum", data.enum_token.span),
        Data::Union(data) => ("a union", data.union_token.span),
    };
    let (kind, span) = what;
    cx.error(
        span,
        format_args!(
            "`#[derive({})]` needs a struct with named fields, and `{}` is {kind}: write \
             `struct {} {{ ... }}` with one field per {each}",
            derive.name(),
            input.ident,
            input.ident,
            each = derive.each_field_is(),
        ),
    );
    None
}

fn container_attrs(cx: &Ctxt, attrs: &[Attribute], derive: Derive) -> ContainerAttrs {
    let mut out = ContainerAttrs::default();
    let mut seen = Seen::default();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident(ATTR)) {
        if !list_form(cx, attr) {
            out.malformed = true;
            continue;
        }
        let result = attr.parse_nested_meta(|meta| {
            let key = key_of(&meta);
            seen.check(cx, &meta, &key);
            match (key.as_str(), derive) {
                ("name", Derive::SemanticEvent) => {
                    if let Some(expr) = expr_value(cx, &meta, "name = \"Order Completed\"")? {
                        match expr {
                            Expr::Lit(ExprLit { lit: Lit::Str(lit), .. }) => {
                                out.name = Some(Spanned::new(lit.value(), lit.span()));
                            }
                            other => {
                                out.malformed = true;
                                cx.error_spanned_by(
                                    &other,
                                    "the event name must be a string literal: `name = \"Order Completed\"`",
                                );
                            }
                        }
                    } else {
                        out.malformed = true;
                    }
                }
                ("plan", Derive::SemanticEvent) => {
                    if let Some(expr) = expr_value(cx, &meta, "plan = \"tracking-plan.json\"")? {
                        match expr {
                            Expr::Lit(ExprLit { lit: Lit::Str(lit), .. }) => {
                                out.plan = Some(Spanned::new(lit.value(), lit.span()));
                            }
                            other => {
                                out.malformed = true;
                                cx.error_spanned_by(
                                    &other,
                                    "the plan must be a string literal, a path relative to the crate's \
                                     Cargo.toml: `plan = \"tracking-plan.json\"`",
                                );
                            }
                        }
                    } else {
                        out.malformed = true;
                    }
                }
                ("plan", Derive::Validate) => {
                    cx.error(
                        meta.path.span(),
                        "`plan` names the tracking plan of an event, and a `#[derive(Validate)]` type is not \
                         an event: derive `SemanticEvent` instead of `Validate`",
                    );
                    skip_value(meta.input)?;
                }
                ("custom", Derive::SemanticEvent) => {
                    flag(cx, &meta, "custom")?;
                    out.custom = Some(meta.path.span());
                }
                ("crate", _) => {
                    if let Some(expr) = expr_value(cx, &meta, "crate = \"my_reexport::event_core\"")? {
                        if let Some(path) = path_value(cx, &expr, "crate", "\"my_reexport::event_core\"") {
                            out.krate = Some(Spanned::new(path, expr.span()));
                        }
                    }
                }
                ("product" | "filter" | "sort", Derive::Validate) => {
                    let kind = ObjectKind::ALL
                        .iter()
                        .find(|(name, _)| *name == key)
                        .map(|(_, kind)| *kind);
                    let span = meta.path.span();
                    if !flag(cx, &meta, &key)? {
                        out.malformed = true;
                    } else if let Some(first) = &out.object {
                        if first.value.key() != key {
                            cx.error(
                                span,
                                format_args!(
                                    "a struct is one kind of object, and this one is already a `{}`: keep \
                                     `{}` or `{key}`",
                                    first.value.key(),
                                    first.value.key(),
                                ),
                            );
                        }
                    } else if let Some(kind) = kind {
                        out.object = Some(Spanned::new(kind, span));
                    }
                }
                ("group", Derive::Traits) => {
                    if flag(cx, &meta, "group")? {
                        out.group = Some(meta.path.span());
                    } else {
                        out.malformed = true;
                    }
                }
                ("name" | "plan" | "custom", Derive::Traits) => {
                    cx.error(
                        meta.path.span(),
                        format_args!(
                            "`{key}` belongs to an event, and `#[derive(Traits)]` defines the traits of a \
                             person or a group: remove `{key}`; to send a trait the spec does not reserve, \
                             just name the field, and mark a near miss of a reserved trait \
                             `#[semantic_event(custom)]` on the field"
                        ),
                    );
                    skip_value(meta.input)?;
                }
                ("product" | "filter" | "sort", Derive::Traits) => {
                    cx.error(
                        meta.path.span(),
                        format_args!(
                            "`{key}` declares a {key} object, and traits are not one: derive `Validate` \
                             with `#[semantic_event({key})]` for the {key} type instead"
                        ),
                    );
                    skip_value(meta.input)?;
                }
                ("product" | "filter" | "sort", Derive::SemanticEvent) => {
                    cx.error(
                        meta.path.span(),
                        format_args!(
                            "`{key}` declares a {key} object, the items of an event's `{key}s`, and an event is \
                             not one: derive `Validate` instead of `SemanticEvent` for the {key} type"
                        ),
                    );
                    skip_value(meta.input)?;
                }
                ("name" | "custom", Derive::Validate) => {
                    let what = if key == "name" { "names an event" } else { "confirms an event name" };
                    cx.error(
                        meta.path.span(),
                        format_args!(
                            "`{key}` {what}, and a `#[derive(Validate)]` type is not an event: remove `{key}`, \
                             or derive `SemanticEvent` instead of `Validate`"
                        ),
                    );
                    skip_value(meta.input)?;
                }
                (key, _) if FIELD_KEYS.contains(&key) => {
                    cx.error(
                        meta.path.span(),
                        format_args!(
                            "`{key}` is a field rule, not a struct attribute: put it on a field, as in \
                             `#[semantic_event({key})]`"
                        ),
                    );
                    skip_value(meta.input)?;
                }
                (key, _) => {
                    out.malformed = true;
                    unknown_key(cx, &meta, key, container_keys(derive), "on the struct");
                    skip_value(meta.input)?;
                }
            }
            Ok(())
        });
        if let Err(error) = result {
            out.malformed = true;
            cx.push(error);
        }
    }
    out
}

fn field<'a>(
    cx: &Ctxt,
    field: &'a syn::Field,
    ident: &'a syn::Ident,
    rename_all: Option<RenameRule>,
    derive: Derive,
) -> Field<'a> {
    let attrs = field_attrs(cx, &field.attrs, derive);
    let serde = serde_field(&field.attrs);
    let docs = docs(&field.attrs);
    let (wire_name, wire_span) = match &serde.rename {
        Some(lit) => (lit.value(), lit.span()),
        None => {
            let name = unraw(ident);
            let name = match rename_all {
                Some(rule) => rule.apply_to_field(&name),
                None => name,
            };
            (name, ident.span())
        }
    };
    Field {
        ident,
        ty: &field.ty,
        attrs,
        serde,
        wire_name,
        wire_span,
        docs,
    }
}

/// The text of the `///` comments among `attrs`, lines joined by spaces (a line
/// break where a paragraph ends): the description of a schema.
pub fn docs(attrs: &[Attribute]) -> String {
    let mut out = String::new();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("doc")) {
        let syn::Meta::NameValue(pair) = &attr.meta else {
            continue;
        };
        let Expr::Lit(ExprLit {
            lit: Lit::Str(lit), ..
        }) = &pair.value
        else {
            continue;
        };
        let line = lit.value();
        let line = line.trim();
        if line.is_empty() {
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
        } else {
            if !out.is_empty() && !out.ends_with('\n') {
                out.push(' ');
            }
            out.push_str(line);
        }
    }
    out.trim_end().to_owned()
}

/// The name of `ident` without `r#`, as serde writes it.
fn unraw(ident: &syn::Ident) -> String {
    let name = ident.to_string();
    match name.strip_prefix("r#") {
        Some(name) => name.to_owned(),
        None => name,
    }
}

fn field_attrs(cx: &Ctxt, attrs: &[Attribute], derive: Derive) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    let mut seen = Seen::default();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident(ATTR)) {
        if !list_form(cx, attr) {
            continue;
        }
        let result = attr.parse_nested_meta(|meta| {
            let key = key_of(&meta);
            let span = meta.path.span();
            let simple = |kind: RuleKind, out: &mut FieldAttrs| -> syn::Result<()> {
                if flag(cx, &meta, kind.key())? {
                    out.rules.push(Rule { kind, span });
                }
                Ok(())
            };
            match key.as_str() {
                "required" => {
                    seen.check(cx, &meta, &key);
                    simple(RuleKind::Required, &mut out)?;
                }
                "non_empty" => {
                    seen.check(cx, &meta, &key);
                    simple(RuleKind::NonEmpty, &mut out)?;
                }
                "url" => {
                    seen.check(cx, &meta, &key);
                    simple(RuleKind::Url, &mut out)?;
                }
                "email" => {
                    seen.check(cx, &meta, &key);
                    simple(RuleKind::Email, &mut out)?;
                }
                "currency" => {
                    seen.check(cx, &meta, &key);
                    simple(RuleKind::Currency, &mut out)?;
                }
                "length" => {
                    seen.check(cx, &meta, &key);
                    if let Some((min, max)) = bounds(cx, &meta, "length", usize_bound)? {
                        out.rules.push(Rule {
                            kind: RuleKind::Length { min, max },
                            span,
                        });
                    }
                }
                "range" => {
                    seen.check(cx, &meta, &key);
                    if let Some((min, max)) = bounds(cx, &meta, "range", f64_bound)? {
                        out.rules.push(Rule {
                            kind: RuleKind::Range { min, max },
                            span,
                        });
                    }
                }
                "custom" if meta.input.peek(Token![=]) => {
                    seen.check(cx, &meta, "custom = ...");
                    if let Some(expr) = expr_value(cx, &meta, "custom = path::to::function")? {
                        if let Some(path) = path_value(cx, &expr, "custom", "path::to::function") {
                            out.rules.push(Rule {
                                kind: RuleKind::Custom(path),
                                span,
                            });
                        }
                    }
                }
                "custom" => {
                    seen.check(cx, &meta, &key);
                    if flag(cx, &meta, "custom")? {
                        out.custom = Some(span);
                    }
                }
                "skip" => {
                    seen.check(cx, &meta, &key);
                    if flag(cx, &meta, "skip")? {
                        out.skip = Some(span);
                    }
                }
                "name" => {
                    let message = match derive {
                        Derive::SemanticEvent => {
                            "`name` names the event and belongs on the struct: move it above the struct, as \
                             `#[semantic_event(name = \"...\")]`; to rename this property, use `#[serde(rename = \"...\")]`"
                        }
                        Derive::Validate | Derive::Traits => {
                            "`name` is not a field attribute: to rename this property, use `#[serde(rename = \"...\")]`"
                        }
                    };
                    cx.error(span, message);
                    skip_value(meta.input)?;
                }
                "crate" => {
                    cx.error(
                        span,
                        "`crate` belongs on the struct, not on a field: move it above the struct, as \
                         `#[semantic_event(crate = \"...\")]`",
                    );
                    skip_value(meta.input)?;
                }
                key => {
                    unknown_key(cx, &meta, key, FIELD_KEYS, "on a field");
                    skip_value(meta.input)?;
                }
            }
            Ok(())
        });
        if let Err(error) = result {
            cx.push(error);
        }
    }
    out
}

/// Keys seen so far in the attributes of one item, to refuse duplicates. A list: an
/// item has a few keys, and a proc macro built unoptimized hashes slowly.
#[derive(Default)]
struct Seen(Vec<String>);

impl Seen {
    fn check(&mut self, cx: &Ctxt, meta: &ParseNestedMeta, key: &str) {
        if self.0.iter().any(|seen| seen == key) {
            cx.error(
                meta.path.span(),
                format_args!("duplicate `{key}`: it is already given here; remove one of the two"),
            );
        } else {
            self.0.push(key.to_owned());
        }
    }
}

/// `#[semantic_event]` and `#[semantic_event = ..]` are mistakes: the list form is the only one.
fn list_form(cx: &Ctxt, attr: &Attribute) -> bool {
    match &attr.meta {
        syn::Meta::List(_) => true,
        other => {
            cx.error_spanned_by(
                other,
                "expected a list of attributes: `#[semantic_event(...)]`, such as \
                 `#[semantic_event(name = \"Order Completed\")]` or `#[semantic_event(required)]`",
            );
            false
        }
    }
}

fn key_of(meta: &ParseNestedMeta) -> String {
    match meta.path.get_ident() {
        Some(ident) => ident.unraw().to_string(),
        None => meta
            .path
            .segments
            .iter()
            .map(|segment| segment.ident.to_string())
            .collect::<Vec<_>>()
            .join("::"),
    }
}

fn unknown_key(cx: &Ctxt, meta: &ParseNestedMeta, key: &str, keys: &[&str], place: &str) {
    let hint = match suggest::closest(key, keys.iter().copied()) {
        Some(candidate) => format!("did you mean `{candidate}`?"),
        None => format!("expected {}", suggest::list(keys)),
    };
    cx.error_spanned_by(
        &meta.path,
        format_args!("unknown attribute `{key}` {place}: {hint}"),
    );
}

/// A key without a value. Records an error and returns `false` when a value follows.
fn flag(cx: &Ctxt, meta: &ParseNestedMeta, key: &str) -> syn::Result<bool> {
    if meta.input.is_empty() || meta.input.peek(Token![,]) {
        return Ok(true);
    }
    let value: TokenStream = take_value(meta.input)?;
    cx.error_spanned_by(
        &value,
        format_args!("`{key}` takes no value: write `{key}` alone"),
    );
    Ok(false)
}

/// `key = <expr>`: the expression, or `None` (error recorded) when there is no `=`.
fn expr_value(cx: &Ctxt, meta: &ParseNestedMeta, example: &str) -> syn::Result<Option<Expr>> {
    if !meta.input.peek(Token![=]) {
        let key = key_of(meta);
        cx.error_spanned_by(
            &meta.path,
            format_args!("`{key}` needs a value: `{example}`"),
        );
        skip_value(meta.input)?;
        return Ok(None);
    }
    let mut expr: Expr = meta.value()?.parse()?;
    // A value passed through a `macro_rules!` fragment (`name = $name`) arrives in an
    // invisible group.
    while let Expr::Group(group) = expr {
        expr = *group.expr;
    }
    Ok(Some(expr))
}

/// A path given bare (`path::to::f`) or in a string (`"path::to::f"`).
fn path_value(cx: &Ctxt, expr: &Expr, key: &str, example: &str) -> Option<Path> {
    match expr {
        Expr::Path(path) if path.qself.is_none() && path.attrs.is_empty() => {
            Some(path.path.clone())
        }
        Expr::Lit(ExprLit {
            lit: Lit::Str(lit), ..
        }) => {
            match lit.parse::<Path>() {
                Ok(path) => Some(path),
                Err(_) => {
                    cx.error_spanned_by(
                    lit,
                    format_args!("`{key}` must be a path, such as `{key} = {example}`, and {} is not one", lit.token()),
                );
                    None
                }
            }
        }
        other => {
            cx.error_spanned_by(
                other,
                format_args!("`{key}` must be a path, such as `{key} = {example}`"),
            );
            None
        }
    }
}

type Bound<T> = Option<Spanned<T>>;

/// `key(min = .., max = ..)`. `None` (error recorded) when the parentheses are missing.
fn bounds<T>(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    key: &str,
    read: fn(&Ctxt, &str, &Expr) -> Option<T>,
) -> syn::Result<Option<(Bound<T>, Bound<T>)>> {
    let example = if key == "length" {
        "length(min = 1, max = 100)"
    } else {
        "range(min = 0, max = 100)"
    };
    if !meta.input.peek(syn::token::Paren) {
        cx.error_spanned_by(
            &meta.path,
            format_args!(
                "`{key}` needs bounds in parentheses: `{example}` (either bound may be left out)"
            ),
        );
        skip_value(meta.input)?;
        return Ok(None);
    }
    let content;
    syn::parenthesized!(content in meta.input);
    let tokens: TokenStream = content.parse()?;
    let mut min = None;
    let mut max = None;
    let mut seen = Seen::default();
    // After an error in the bounds, the rule is dropped: "needs at least one bound"
    // would only repeat it.
    let mut failed = false;
    let parser = syn::meta::parser(|inner| {
        let bound = key_of(&inner);
        seen.check(cx, &inner, &bound);
        let slot = match bound.as_str() {
            "min" => &mut min,
            "max" => &mut max,
            other => {
                failed = true;
                unknown_key(
                    cx,
                    &inner,
                    other,
                    &["min", "max"],
                    &format!("in `{key}(...)`"),
                );
                skip_value(inner.input)?;
                return Ok(());
            }
        };
        match expr_value(cx, &inner, example)? {
            Some(expr) => match read(cx, key, &expr) {
                Some(value) => *slot = Some(Spanned::new(value, expr.span())),
                None => failed = true,
            },
            None => failed = true,
        }
        Ok(())
    });
    if let Err(error) = parser.parse2(tokens) {
        failed = true;
        cx.push(error);
    }
    Ok((!failed).then_some((min, max)))
}

fn usize_bound(cx: &Ctxt, _key: &str, expr: &Expr) -> Option<usize> {
    if let Expr::Lit(ExprLit {
        lit: Lit::Int(int), ..
    }) = expr
    {
        if let Ok(value) = int.base10_parse::<usize>() {
            return Some(value);
        }
    }
    cx.error_spanned_by(
        expr,
        "a `length` bound must be a whole number of characters or items, such as `max = 100`",
    );
    None
}

fn f64_bound(cx: &Ctxt, _key: &str, expr: &Expr) -> Option<f64> {
    let (negative, literal) = match expr {
        Expr::Unary(unary) if matches!(unary.op, UnOp::Neg(_)) => (true, &*unary.expr),
        other => (false, other),
    };
    let value = match literal {
        Expr::Lit(ExprLit {
            lit: Lit::Int(int), ..
        }) => int.base10_parse::<f64>().ok(),
        Expr::Lit(ExprLit {
            lit: Lit::Float(float),
            ..
        }) => float.base10_parse::<f64>().ok(),
        _ => None,
    };
    match value {
        Some(value) if value.is_finite() => Some(if negative { -value } else { value }),
        _ => {
            cx.error_spanned_by(
                expr,
                "a `range` bound must be a number literal, such as `min = 0`, `max = 99.99` or `min = -10`",
            );
            None
        }
    }
}

/// Consumes `= value` or `(...)` after a key, up to the next top-level comma.
fn skip_value(input: ParseStream) -> syn::Result<()> {
    take_value(input).map(drop)
}

fn take_value(input: ParseStream) -> syn::Result<TokenStream> {
    let mut tokens = TokenStream::new();
    while !input.is_empty() && !input.peek(Token![,]) {
        let tree: proc_macro2::TokenTree = input.parse()?;
        tokens.extend([tree]);
    }
    Ok(tokens)
}

/// `rename_all` from the struct's `#[serde(...)]`. serde reports malformed serde
/// attributes itself, so anything this does not understand is skipped silently.
fn serde_container(attrs: &[Attribute]) -> Option<RenameRule> {
    let mut rename_all = None;
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename_all") {
                if let Some(lit) = serialize_name(&meta)? {
                    rename_all = RenameRule::from_serde(&lit.value()).or(rename_all);
                }
            } else {
                skip_value(meta.input)?;
            }
            Ok(())
        });
    }
    rename_all
}

/// What a field's `#[serde(...)]` says about its wire name and type.
fn serde_field(attrs: &[Attribute]) -> SerdeField {
    let mut out = SerdeField::default();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            let key = key_of(&meta);
            match key.as_str() {
                "rename" => {
                    if let Some(lit) = serialize_name(&meta)? {
                        out.rename = Some(lit);
                    }
                }
                "flatten" => out.flatten = true,
                "skip_serializing_if" => {
                    out.skip_if = true;
                    skip_value(meta.input)?;
                }
                "skip" | "skip_serializing" => out.skip = true,
                "with" | "serialize_with" => {
                    out.with = true;
                    skip_value(meta.input)?;
                }
                _ => skip_value(meta.input)?,
            }
            Ok(())
        });
    }
    out
}

/// `key = "x"` or `key(serialize = "x", deserialize = "y")`: the serialize side.
fn serialize_name(meta: &ParseNestedMeta) -> syn::Result<Option<LitStr>> {
    if meta.input.peek(Token![=]) {
        return match meta.value()?.parse::<Lit>()? {
            Lit::Str(lit) => Ok(Some(lit)),
            _ => Ok(None),
        };
    }
    let mut out = None;
    if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|inner| {
            if inner.path.is_ident("serialize") {
                if let Lit::Str(lit) = inner.value()?.parse::<Lit>()? {
                    out = Some(lit);
                }
            } else {
                skip_value(inner.input)?;
            }
            Ok(())
        })?;
    }
    Ok(out)
}
