//! Every compile-time check of a parsed [`Container`]: the event name, rules that
//! cannot fit their field's type, duplicate wire names, and the ecommerce spec.
//!
//! Each check records its errors in the [`Ctxt`] and goes on, so one compile shows
//! every mistake of a struct.

use event_spec::suggest;
use event_spec::{EventSpec, JsonType};
use syn::ext::IdentExt as _;
use syn::{GenericArgument, PathArguments, Type};

use crate::ctxt::Ctxt;
use crate::model::{Container, Derive, Field, RuleKind};

/// Runs every check.
pub fn container(cx: &Ctxt, container: &Container) {
    if container.derive == Derive::SemanticEvent {
        event_name(cx, container);
    }
    for field in &container.fields {
        field_rules(cx, field);
    }
    duplicate_wire_names(cx, container);
    if let Some(event) = known_event(container) {
        spec_properties(cx, container, event);
    }
}

/// The ecommerce event whose properties the struct must follow: its name is exactly
/// a known event's, and the struct does not say `custom`.
pub fn known_event(container: &Container) -> Option<&'static EventSpec> {
    if container.derive != Derive::SemanticEvent || container.attrs.custom.is_some() {
        return None;
    }
    event_spec::event(&container.attrs.name.as_ref()?.value)
}

/// The spec type of a field of a known event, when the derive should assert that the
/// field's Rust type produces it.
pub fn asserted_type(field: &Field, event: &EventSpec) -> Option<JsonType> {
    if !field.is_serialized() || field.serde.with || field.attrs.custom.is_some() {
        return None;
    }
    event
        .property(&field.wire_name)
        .map(|property| property.json_type)
}

fn event_name(cx: &Ctxt, container: &Container) {
    let Some(lit) = &container.attrs.name else {
        if container.attrs.malformed {
            return;
        }
        cx.error(
            container.ident.span(),
            format_args!(
                "missing event name: add `#[semantic_event(name = \"...\")]` above `struct {}`, \
                 such as `#[semantic_event(name = \"Order Completed\")]`",
                container.ident
            ),
        );
        return;
    };
    let name = &lit.value;
    let trimmed = name.trim();
    if trimmed.is_empty() {
        cx.error(
            lit.span,
            "the event name is empty: write the event's name, such as `name = \"Order Completed\"`",
        );
        return;
    }
    if trimmed != name {
        cx.error(
            lit.span,
            format_args!("event name has leading or trailing whitespace: write {trimmed:?}"),
        );
        return;
    }
    if name.chars().any(char::is_control) {
        let cleaned: String = name.chars().filter(|c| !c.is_control()).collect();
        cx.error(
            lit.span,
            format_args!(
                "event name contains a line break or control character: write {cleaned:?}"
            ),
        );
        return;
    }
    if container.attrs.custom.is_some() || event_spec::event(name).is_some() {
        return;
    }
    if let Some(reserved) = event_spec::reserved(name) {
        let written = if reserved == name {
            format!("{reserved:?} is")
        } else {
            format!("{name:?} is, but for case or spacing, {reserved:?},")
        };
        cx.error(
            lit.span,
            format_args!(
                "{written} an event name Customer.io reserves for itself: a track call named \
                 {reserved:?} {}. If that is what you mean, add `custom` to confirm: \
                 `#[semantic_event(name = {name:?}, custom)]`",
                event_spec::reserved_effect(reserved),
            ),
        );
        return;
    }
    if let Some(miss) = event_spec::near_miss(name) {
        let (event, how) = (miss.event.name, miss.difference);
        cx.error(
            lit.span,
            format_args!(
                "event name {name:?} {how} the ecommerce semantic event {event:?}: did you mean {event:?}? \
                 If the name is deliberate, add `custom`: `#[semantic_event(name = {name:?}, custom)]`"
            ),
        );
    }
}

fn field_rules(cx: &Ctxt, field: &Field) {
    let rules = &field.attrs.rules;
    if let (Some(skip), Some(first)) = (field.attrs.skip, rules.first()) {
        cx.error(
            skip,
            format_args!(
                "`skip` turns off validation of `{}`, yet it has the rule `{}`: remove `skip` or the rules",
                field.ident,
                first.kind.key()
            ),
        );
    }
    if field.serde.skip {
        if let Some(first) = rules.first() {
            cx.error(
                first.span,
                format_args!(
                    "`{}` is never serialized (`#[serde(skip)]`), so its rule `{}` would never run: remove the rule",
                    field.ident,
                    first.kind.key()
                ),
            );
        }
    }
    for rule in rules {
        let key = rule.kind.key();
        match &rule.kind {
            RuleKind::Required => {
                if !option_or_unknown(field.ty) {
                    cx.error(
                        rule.span,
                        format_args!(
                            "`required` checks that an `Option` is `Some`, and `{}` is always present: \
                             remove `required`, or make the field `Option<{}>`",
                            type_name(field.ty),
                            type_name(field.ty),
                        ),
                    );
                }
            }
            RuleKind::Range { min, max } => {
                let shape = shape(field.ty);
                if matches!(
                    shape.kind,
                    Kind::Text | Kind::Collection | Kind::Bool | Kind::Other
                ) {
                    let fix = match shape.kind {
                        Kind::Text | Kind::Collection => {
                            "to bound its length, use `length(min = .., max = ..)` instead"
                        }
                        _ => "remove `range`",
                    };
                    cx.error(
                        rule.span,
                        format_args!(
                            "`range` compares numbers, and `{}` is {}: {fix}",
                            shape.name,
                            shape.kind.describe()
                        ),
                    );
                }
                match (min, max) {
                    (None, None) => cx.error(
                        rule.span,
                        "`range` needs at least one bound: `range(min = 0)`, `range(max = 100)` or `range(min = 0, max = 100)`",
                    ),
                    (Some(min), Some(max)) if min.value > max.value => cx.error(
                        min.span,
                        format_args!(
                            "`range` has `min` {} above `max` {}, so no value fits: swap the bounds",
                            min.value, max.value
                        ),
                    ),
                    _ => {}
                }
            }
            RuleKind::Length { min, max } => {
                let shape = shape(field.ty);
                if matches!(shape.kind, Kind::Number | Kind::Bool | Kind::Other) {
                    let fix = match shape.kind {
                        Kind::Number => {
                            "to bound its value, use `range(min = .., max = ..)` instead"
                        }
                        _ => "remove `length`",
                    };
                    cx.error(
                        rule.span,
                        format_args!(
                            "`length` measures strings and collections, and `{}` is {}: {fix}",
                            shape.name,
                            shape.kind.describe()
                        ),
                    );
                }
                match (min, max) {
                    (None, None) => cx.error(
                        rule.span,
                        "`length` needs at least one bound: `length(min = 1)`, `length(max = 100)` or `length(min = 1, max = 100)`",
                    ),
                    (Some(min), Some(max)) if min.value > max.value => cx.error(
                        min.span,
                        format_args!(
                            "`length` has `min` {} above `max` {}, so no value fits: swap the bounds",
                            min.value, max.value
                        ),
                    ),
                    _ => {}
                }
            }
            RuleKind::NonEmpty => {
                let shape = shape(field.ty);
                if matches!(shape.kind, Kind::Number | Kind::Bool | Kind::Other) {
                    cx.error(
                        rule.span,
                        format_args!(
                            "`non_empty` applies to strings and collections, and `{}` is {}: remove `non_empty`",
                            shape.name,
                            shape.kind.describe()
                        ),
                    );
                }
            }
            RuleKind::Url | RuleKind::Email | RuleKind::Currency => {
                let shape = shape(field.ty);
                if matches!(
                    shape.kind,
                    Kind::Number | Kind::Bool | Kind::Collection | Kind::Other
                ) {
                    cx.error(
                        rule.span,
                        format_args!(
                            "`{key}` checks strings, and `{}` is {}: remove `{key}`, or make the field a `String`",
                            shape.name,
                            shape.kind.describe()
                        ),
                    );
                }
            }
            RuleKind::Custom(_) => {}
        }
    }
}

fn duplicate_wire_names(cx: &Ctxt, container: &Container) {
    // Each field against those before it: structs have a few dozen fields at most, and
    // this is cheaper than hashing in a proc macro built unoptimized.
    let fields = &container.fields;
    for (index, field) in fields.iter().enumerate() {
        if !field.is_serialized() {
            continue;
        }
        let Some(first) = fields[..index]
            .iter()
            .find(|first| first.is_serialized() && first.wire_name == field.wire_name)
        else {
            continue;
        };
        cx.error(
            field.wire_span,
            format_args!(
                "`{}` and `{}` both serialize as the property `{}`, and a JSON object cannot hold \
                 a key twice: rename one with `#[serde(rename = \"...\")]`",
                first.ident, field.ident, field.wire_name
            ),
        );
    }
}

fn spec_properties(cx: &Ctxt, container: &Container, event: &EventSpec) {
    for field in &container.fields {
        if !field.is_serialized()
            || field.attrs.custom.is_some()
            || event.property(&field.wire_name).is_some()
        {
            continue;
        }
        let wire = &field.wire_name;
        let rust_name = field.ident.unraw().to_string();
        let origin = if field.serde.rename.is_some() {
            format!(" (`{rust_name}` renamed by `#[serde(rename)]`)")
        } else if let Some(rule) = container.serde_rename_all.filter(|_| *wire != rust_name) {
            format!(
                " (`{rust_name}` after `rename_all = \"{}\"`)",
                rule.serde_name()
            )
        } else {
            String::new()
        };
        let names = event.properties.iter().map(|property| property.name);
        let hint = match suggest::closest(wire, names.clone()) {
            Some(candidate) if candidate == rust_name => format!(
                "the spec calls it `{candidate}`: remove the rename, or write `#[serde(rename = \"{candidate}\")]`."
            ),
            Some(candidate) => format!("did you mean `{candidate}`?"),
            None => format!(
                "its properties are {}.",
                suggest::list(names).replace(" or ", " and ")
            ),
        };
        cx.error(
            field.wire_span,
            format_args!(
                "the ecommerce event {:?} has no property `{wire}`{origin}: {hint} If `{wire}` is a \
                 property of your own, mark the field `#[semantic_event(custom)]`",
                event.name
            ),
        );
    }
}

/// What a field's type visibly is, seen through references, smart pointers and `Option`.
struct Shape {
    kind: Kind,
    name: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Number,
    Bool,
    Collection,
    /// A tuple or `char`: no rule but `custom` fits.
    Other,
    /// A type the syntax does not tell (an alias, a generic, a type of the application).
    Unknown,
}

impl Kind {
    fn describe(self) -> &'static str {
        match self {
            Kind::Text => "a string",
            Kind::Number => "a number",
            Kind::Bool => "a `bool`",
            Kind::Collection => "a collection",
            Kind::Other => "neither a string, a collection nor a number",
            Kind::Unknown => "a type of its own",
        }
    }
}

fn shape(ty: &Type) -> Shape {
    let ty = peel(ty);
    let other = |kind| Shape {
        kind,
        name: type_name(ty),
    };
    match ty {
        Type::Slice(_) | Type::Array(_) => other(Kind::Collection),
        Type::Tuple(_) => other(Kind::Other),
        Type::Path(path) if path.qself.is_none() => {
            let Some(last) = path.path.segments.last() else {
                return other(Kind::Unknown);
            };
            let name = last.ident.to_string();
            let kind = match name.as_str() {
                "String" | "str" => Kind::Text,
                "Cow"
                    if first_type_arg(&last.arguments).is_some_and(|arg| is_ident(arg, "str")) =>
                {
                    Kind::Text
                }
                "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "u8" | "u16" | "u32" | "u64"
                | "u128" | "usize" | "f32" | "f64" => Kind::Number,
                "bool" => Kind::Bool,
                "char" => Kind::Other,
                "Vec" | "VecDeque" | "HashMap" | "BTreeMap" | "HashSet" | "BTreeSet" => {
                    Kind::Collection
                }
                "Map" if path.path.segments.len() > 1 => Kind::Collection,
                _ => Kind::Unknown,
            };
            Shape { kind, name }
        }
        _ => other(Kind::Unknown),
    }
}

/// Strips what the rules see through: `&T`, `Box<T>`, `Rc<T>`, `Arc<T>`, `Option<T>`.
fn peel(mut ty: &Type) -> &Type {
    loop {
        ty = match ty {
            Type::Paren(inner) => &inner.elem,
            Type::Group(inner) => &inner.elem,
            Type::Reference(reference) => &reference.elem,
            Type::Path(path) if path.qself.is_none() => {
                let Some(last) = path.path.segments.last() else {
                    return ty;
                };
                let wrapper = matches!(
                    last.ident.to_string().as_str(),
                    "Option" | "Box" | "Rc" | "Arc"
                );
                match first_type_arg(&last.arguments) {
                    Some(inner) if wrapper => inner,
                    _ => return ty,
                }
            }
            _ => return ty,
        };
    }
}

/// Whether `required` can fit: the type is an `Option`, or the syntax cannot tell.
fn option_or_unknown(ty: &Type) -> bool {
    let mut ty = ty;
    while let Type::Paren(syn::TypeParen { elem, .. }) | Type::Group(syn::TypeGroup { elem, .. }) =
        ty
    {
        ty = elem;
    }
    match ty {
        Type::Path(path) if path.qself.is_none() => {
            let Some(last) = path.path.segments.last() else {
                return true;
            };
            last.ident == "Option"
                || shape(ty).kind == Kind::Unknown && !is_pointer(&last.ident.to_string())
        }
        Type::Reference(_) | Type::Tuple(_) | Type::Array(_) | Type::Slice(_) => false,
        _ => true,
    }
}

fn is_pointer(name: &str) -> bool {
    matches!(name, "Box" | "Rc" | "Arc")
}

fn first_type_arg(arguments: &PathArguments) -> Option<&Type> {
    let PathArguments::AngleBracketed(arguments) = arguments else {
        return None;
    };
    arguments.args.iter().find_map(|arg| match arg {
        GenericArgument::Type(ty) => Some(ty),
        _ => None,
    })
}

fn is_ident(ty: &Type, name: &str) -> bool {
    matches!(ty, Type::Path(path) if path.qself.is_none() && path.path.is_ident(name))
}

/// A short, readable spelling of a type for messages: `Vec<String>`, `&'a str`.
pub fn type_name(ty: &Type) -> String {
    let text = quote::ToTokens::to_token_stream(ty).to_string();
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != ' ' {
            out.push(c);
            continue;
        }
        let word = |c: char| c.is_alphanumeric() || c == '_';
        let previous = out.chars().last().unwrap_or(' ');
        let next = chars.peek().copied().unwrap_or(' ');
        let last_word = &out[out.trim_end_matches(word).len()..];
        let keyword = matches!(last_word, "mut" | "dyn" | "impl" | "const");
        if (word(previous) && (word(next) || next == '\'' || keyword))
            || previous == ','
            || previous == ';'
        {
            out.push(' ');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_read_like_source() {
        let name = |source: &str| type_name(&syn::parse_str::<Type>(source).expect("a type"));
        assert_eq!(name("Vec < String >"), "Vec<String>");
        assert_eq!(name("& 'a str"), "&'a str");
        assert_eq!(name("HashMap<K, V>"), "HashMap<K, V>");
        assert_eq!(name("&mut [u8; 4]"), "&mut [u8; 4]");
        assert_eq!(name("Box<dyn Fn(u8)>"), "Box<dyn Fn(u8)>");
    }
}
