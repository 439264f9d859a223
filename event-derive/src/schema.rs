//! The JSON Schema of a struct's properties, written while compiling as one string
//! literal: cheap for rustc, which only stores it. A field whose type the syntax cannot
//! see through (the application's own type) becomes a placeholder `{"$part": N}`,
//! filled at run time from that type's `PropertySchema`; the runtime also turns the
//! length keywords of an array into `minItems` / `maxItems`.

use std::fmt::Write as _;

use syn::{GenericArgument, PathArguments, Type};

use crate::model::{Container, Field, RuleKind};

/// What the syntax of a type tells of its schema.
enum Node<'a> {
    /// A JSON type, possibly `null` too, with its items if an array.
    Type {
        name: &'static str,
        nullable: bool,
        items: Option<Box<Node<'a>>>,
    },
    /// A type to ask at run time.
    Part { ty: &'a Type, nullable: bool },
}

/// The schema text of the struct's serialized properties, and the types to ask at run
/// time, in the order of their `$part` indices.
pub fn properties<'a>(container: &Container<'a>) -> (String, Vec<&'a Type>) {
    let mut parts: Vec<&Type> = Vec::new();
    let mut out = String::from("{");
    if !container.docs.is_empty() {
        out.push_str("\"description\":");
        string(&mut out, &container.docs);
        out.push(',');
    }
    out.push_str("\"type\":\"object\",\"properties\":{");
    let mut required: Vec<&str> = Vec::new();
    let mut first = true;
    for field in container
        .fields
        .iter()
        .filter(|field| field.is_serialized())
    {
        if !first {
            out.push(',');
        }
        first = false;
        string(&mut out, &field.wire_name);
        out.push(':');
        property(&mut out, field, &mut parts);
        if is_required(field) {
            required.push(&field.wire_name);
        }
    }
    out.push('}');
    if !required.is_empty() {
        out.push_str(",\"required\":[");
        for (index, name) in required.iter().enumerate() {
            if index > 0 {
                out.push(',');
            }
            string(&mut out, name);
        }
        out.push(']');
    }
    out.push('}');
    (out, parts)
}

/// Whether every serialized value holds the field: not an `Option`, not skipped by
/// `skip_serializing_if`, or marked `required`.
pub fn is_required(field: &Field) -> bool {
    let required_rule = field
        .attrs
        .rules
        .iter()
        .any(|rule| matches!(rule.kind, RuleKind::Required));
    required_rule || (!field.serde.skip_if && !is_option(field.ty))
}

/// Whether the type is visibly an `Option`.
pub fn is_option(ty: &Type) -> bool {
    match ty {
        Type::Paren(inner) => is_option(&inner.elem),
        Type::Group(inner) => is_option(&inner.elem),
        Type::Path(path) if path.qself.is_none() => path
            .path
            .segments
            .last()
            .is_some_and(|last| last.ident == "Option" && standard(path)),
        _ => false,
    }
}

fn standard(path: &syn::TypePath) -> bool {
    let segments = &path.path.segments;
    segments.len() == 1
        || segments.first().is_some_and(|first| {
            ["std", "core", "alloc"].contains(&first.ident.to_string().as_str())
        })
}

fn property<'a>(out: &mut String, field: &Field<'a>, parts: &mut Vec<&'a Type>) {
    // The rules, as keywords of the property's own schema.
    let mut keywords = String::new();
    for rule in &field.attrs.rules {
        match &rule.kind {
            RuleKind::NonEmpty => keywords.push_str(",\"minLength\":1"),
            RuleKind::Length { min, max } => {
                if let Some(min) = min {
                    let _ = write!(keywords, ",\"minLength\":{}", min.value);
                }
                if let Some(max) = max {
                    let _ = write!(keywords, ",\"maxLength\":{}", max.value);
                }
            }
            RuleKind::Range { min, max } => {
                if let Some(min) = min {
                    let _ = write!(keywords, ",\"minimum\":{}", number(min.value));
                }
                if let Some(max) = max {
                    let _ = write!(keywords, ",\"maximum\":{}", number(max.value));
                }
            }
            RuleKind::Email => keywords.push_str(",\"format\":\"email\""),
            RuleKind::Url => keywords.push_str(",\"format\":\"uri\""),
            RuleKind::Currency => keywords.push_str(",\"pattern\":\"^[A-Z]{3}$\""),
            RuleKind::Required | RuleKind::Custom(_) => {}
        }
    }
    if !field.docs.is_empty() {
        keywords.push_str(",\"description\":");
        string(&mut keywords, &field.docs);
    }
    // A `required` Option is never null once valid.
    let mut node = node(field.ty);
    if field
        .attrs
        .rules
        .iter()
        .any(|rule| matches!(rule.kind, RuleKind::Required))
    {
        match &mut node {
            Node::Type { nullable, .. } | Node::Part { nullable, .. } => *nullable = false,
        }
    }
    render(out, &node, parts, &keywords);
}

fn node(ty: &Type) -> Node<'_> {
    let part = || Node::Part {
        ty,
        nullable: false,
    };
    match ty {
        Type::Paren(inner) => node(&inner.elem),
        Type::Group(inner) => node(&inner.elem),
        Type::Reference(reference) => node(&reference.elem),
        Type::Slice(slice) => array(node(&slice.elem)),
        Type::Array(array_type) => array(node(&array_type.elem)),
        Type::Path(path) if path.qself.is_none() && standard(path) => {
            let Some(last) = path.path.segments.last() else {
                return part();
            };
            let inner = match &last.arguments {
                PathArguments::AngleBracketed(arguments) => {
                    arguments.args.iter().find_map(|argument| match argument {
                        GenericArgument::Type(ty) => Some(ty),
                        _ => None,
                    })
                }
                _ => None,
            };
            let simple = |name| Node::Type {
                name,
                nullable: false,
                items: None,
            };
            match (last.ident.to_string().as_str(), inner) {
                ("String" | "str" | "char", None) => simple("string"),
                ("bool", None) => simple("boolean"),
                (
                    "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "u8" | "u16" | "u32" | "u64"
                    | "u128" | "usize",
                    None,
                ) => simple("integer"),
                ("f32" | "f64", None) => simple("number"),
                ("Option", Some(inner)) => {
                    let mut inner = node(inner);
                    match &mut inner {
                        Node::Type { nullable, .. } | Node::Part { nullable, .. } => {
                            *nullable = true;
                        }
                    }
                    inner
                }
                ("Vec" | "VecDeque" | "BTreeSet" | "HashSet", Some(inner)) => array(node(inner)),
                ("Box" | "Rc" | "Arc", Some(inner)) => node(inner),
                _ => part(),
            }
        }
        _ => part(),
    }
}

fn array(items: Node<'_>) -> Node<'_> {
    Node::Type {
        name: "array",
        nullable: false,
        items: Some(Box::new(items)),
    }
}

fn render<'a>(out: &mut String, node: &Node<'a>, parts: &mut Vec<&'a Type>, keywords: &str) {
    match node {
        Node::Type {
            name,
            nullable,
            items,
        } => {
            if *nullable {
                let _ = write!(out, "{{\"type\":[\"{name}\",\"null\"]");
            } else {
                let _ = write!(out, "{{\"type\":\"{name}\"");
            }
            if let Some(items) = items {
                out.push_str(",\"items\":");
                render(out, items, parts, "");
            }
            // Length rules of an array bound its items.
            if *name == "array" {
                out.push_str(
                    &keywords
                        .replace("\"minLength\"", "\"minItems\"")
                        .replace("\"maxLength\"", "\"maxItems\""),
                );
            } else {
                out.push_str(keywords);
            }
            out.push('}');
        }
        Node::Part { ty, nullable } => {
            let _ = write!(out, "{{\"$part\":{}", parts.len());
            parts.push(ty);
            if *nullable {
                out.push_str(",\"$nullable\":true");
            }
            out.push_str(keywords);
            out.push('}');
        }
    }
}

/// A bound as JSON: integral values without a fraction.
fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

/// `text` as a JSON string.
fn string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
