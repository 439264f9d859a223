//! Every compile-time check of a parsed [`Container`] that the syntax can decide: the
//! event name, rule bounds, duplicate wire names, and the ecommerce spec's property
//! names, of a known event or of a product, filter or sort object. Whether a type fits a rule or a property is left to the runtime's traits,
//! which the emitted code requires.
//!
//! Each check records its errors in the [`Ctxt`] and goes on, so one compile shows
//! every mistake of a struct.

use event_spec::suggest;
use event_spec::{EventSpec, JsonType, PropertySpec};
use syn::ext::IdentExt as _;

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
        let what = format!("the ecommerce event {:?}", event.name);
        spec_properties(cx, container, &what, event.properties);
    } else if let Some(object) = &container.attrs.object {
        let what = format!("the ecommerce {} object", object.value.key());
        spec_properties(cx, container, &what, object.value.properties());
    }
}

/// The properties the struct's serialized fields must be among: a known event's, or a
/// product, filter or sort object's.
pub fn checked_properties(container: &Container) -> Option<&'static [PropertySpec]> {
    match known_event(container) {
        Some(event) => Some(event.properties),
        None => Some(container.attrs.object.as_ref()?.value.properties()),
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

/// The spec type of a field of a known event or object, when the derive should assert
/// that the field's Rust type produces it.
pub fn asserted_type(field: &Field, properties: &[PropertySpec]) -> Option<JsonType> {
    if !field.is_serialized() || field.serde.with || field.attrs.custom.is_some() {
        return None;
    }
    properties
        .iter()
        .find(|property| property.name == field.wire_name)
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
    // Whether a rule fits the field's type is the rule's trait's to say (`Presence`,
    // `Length`, `Number`, `Text`): the syntax of a type cannot tell an alias or a
    // wrapper from what it holds. Only the bounds are checked here.
    for rule in rules {
        let (key, min, max) = match &rule.kind {
            RuleKind::Length { min, max } => (
                "length",
                min.as_ref().map(|min| (min.value as f64, min.span)),
                max.as_ref().map(|max| max.value as f64),
            ),
            RuleKind::Range { min, max } => (
                "range",
                min.as_ref().map(|min| (min.value, min.span)),
                max.as_ref().map(|max| max.value),
            ),
            _ => continue,
        };
        let example = if key == "length" {
            "`length(min = 1)`, `length(max = 100)` or `length(min = 1, max = 100)`"
        } else {
            "`range(min = 0)`, `range(max = 100)` or `range(min = 0, max = 100)`"
        };
        match (min, max) {
            (None, None) => cx.error(
                rule.span,
                format_args!("`{key}` needs at least one bound: {example}"),
            ),
            (Some((min, span)), Some(max)) if min > max => cx.error(
                span,
                format_args!(
                    "`{key}` has `min` {min} above `max` {max}, so no value fits: swap the bounds"
                ),
            ),
            _ => {}
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

fn spec_properties(cx: &Ctxt, container: &Container, what: &str, properties: &[PropertySpec]) {
    for field in &container.fields {
        if !field.is_serialized()
            || field.attrs.custom.is_some()
            || properties
                .iter()
                .any(|property| property.name == field.wire_name)
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
        let names = properties.iter().map(|property| property.name);
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
                "{what} has no property `{wire}`{origin}: {hint} If `{wire}` is a \
                 property of your own, mark the field `#[semantic_event(custom)]`"
            ),
        );
    }
}
