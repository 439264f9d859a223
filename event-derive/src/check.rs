//! Every compile-time check of a parsed [`Container`] that the syntax can decide: the
//! event name, rule bounds, duplicate wire names, and the ecommerce spec's property
//! names, of a known event or of a product, filter or sort object. Whether a type fits a rule or a property is left to the runtime's traits,
//! which the emitted code requires.
//!
//! Each check records its errors in the [`Ctxt`] and goes on, so one compile shows
//! every mistake of a struct.

use std::path::PathBuf;

use event_spec::EventSpec;
use event_spec::plan::{PlanType, PlannedEvent, TrackingPlan};
use event_spec::suggest;
use syn::ext::IdentExt as _;
use syn::spanned::Spanned as _;

use crate::ctxt::Ctxt;
use crate::model::{Container, Derive, Field, RuleKind, Spanned, TraitsOf};

/// What the struct is checked against: an event of its tracking plan, a known
/// ecommerce event (the built-in plan), or a product, filter or sort object.
pub struct Planned {
    /// The event or object.
    pub event: PlannedEvent,
    /// How messages name it, such as `the ecommerce event "Order Completed"`.
    pub what: String,
    /// The plan file, absolute, when the struct names one: the crate rebuilds when it
    /// changes.
    pub file: Option<String>,
}

/// Finds what the struct is checked against, reading its plan file if it names one;
/// an unreadable plan or an event the plan lacks is recorded in `cx`.
pub fn planned(cx: &Ctxt, container: &Container) -> Option<Planned> {
    if let Some(plan) = &container.attrs.plan {
        if container.derive != Derive::SemanticEvent {
            return None;
        }
        if let Some(custom) = container.attrs.custom {
            cx.error(
                custom,
                "`custom` turns off the checks that `plan` asks for: remove `custom` to check the \
                 struct against its plan, or `plan` to define an event of your own",
            );
            return None;
        }
        let name = container.attrs.name.as_ref()?;
        let (file, plan_doc) = read_plan(cx, plan)?;
        let Some(event) = plan_doc.event(&name.value) else {
            let names = plan_doc.events.iter().map(|event| event.name.as_str());
            let hint = match suggest::closest(&name.value, names.clone()) {
                Some(candidate) => format!("did you mean {candidate:?}?"),
                None if plan_doc.events.is_empty() => "the plan has no events.".to_owned(),
                None => format!(
                    "its events are {}.",
                    suggest::list(names).replace(" or ", " and ")
                ),
            };
            cx.error(
                name.span,
                format_args!(
                    "the tracking plan {:?} has no event {:?}: {hint} Add the event to the plan, \
                     or fix the name",
                    plan.value, name.value
                ),
            );
            return None;
        };
        return Some(Planned {
            event: event.clone(),
            what: format!("the event {:?} of the plan {:?}", name.value, plan.value),
            file: Some(file),
        });
    }
    if let Some(event) = known_event(container) {
        return Some(Planned {
            event: PlannedEvent::ecommerce(event),
            what: format!("the ecommerce event {:?}", event.name),
            file: None,
        });
    }
    if let Some(traits_of) = container.traits_of() {
        return Some(Planned {
            event: PlannedEvent::from_traits(traits_of.what(), traits_of.traits()),
            what: traits_of.what().to_owned(),
            file: None,
        });
    }
    let object = container.attrs.object.as_ref()?;
    let key = object.value.key();
    Some(Planned {
        event: PlannedEvent::from_properties(key, object.value.properties()),
        what: format!("the ecommerce {key} object"),
        file: None,
    })
}

/// Reads and parses the plan file, relative to the crate's manifest directory.
fn read_plan(cx: &Ctxt, plan: &Spanned<String>) -> Option<(String, TrackingPlan)> {
    let base = std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(PathBuf::new, PathBuf::from);
    let path = base.join(&plan.value);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            cx.error(
                plan.span,
                format_args!(
                    "cannot read the tracking plan {:?}: {error}. The path is relative to the \
                     directory of the crate's Cargo.toml",
                    plan.value
                ),
            );
            return None;
        }
    };
    match TrackingPlan::parse(&text) {
        Ok(parsed) => Some((path.to_string_lossy().into_owned(), parsed)),
        Err(error) => {
            cx.error(
                plan.span,
                format_args!("the tracking plan {:?} cannot be used: {error}", plan.value),
            );
            None
        }
    }
}

/// Runs every check.
pub fn container(cx: &Ctxt, container: &Container, planned: Option<&Planned>) {
    if container.derive == Derive::SemanticEvent {
        event_name(cx, container);
    }
    for field in &container.fields {
        field_rules(cx, field);
    }
    duplicate_wire_names(cx, container);
    if let Some(traits_of) = container.traits_of() {
        // Any name is a trait, so only a near miss of a reserved one is refused.
        trait_names(cx, container, traits_of);
    } else if let Some(planned) = planned {
        spec_properties(cx, container, &planned.what, &planned.event);
        required_properties(cx, container, &planned.what, &planned.event);
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

/// The planned type of a field, when the derive should assert that the field's Rust
/// type produces it.
pub fn asserted_type<'p>(field: &Field, planned: &'p PlannedEvent) -> Option<&'p PlanType> {
    if !field.is_serialized() || field.serde.with || field.attrs.custom.is_some() {
        return None;
    }
    planned
        .property(&field.wire_name)
        .map(|property| &property.json_type)
        .filter(|json_type| **json_type != PlanType::Any)
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
    let planned = container.attrs.plan.is_some();
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
    // With a plan, the plan decides which names exist.
    if planned {
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

fn spec_properties(cx: &Ctxt, container: &Container, what: &str, planned: &PlannedEvent) {
    let properties = &planned.properties;
    for field in &container.fields {
        if !field.is_serialized() || planned.property(&field.wire_name).is_some() {
            continue;
        }
        if let Some(custom) = field.attrs.custom {
            if !planned.additional_properties {
                cx.error(
                    custom,
                    format_args!(
                        "{what} allows no property beyond its own (`additionalProperties: false`), \
                         so `{}` cannot be a property of your own: add it to the plan, or remove the field",
                        field.wire_name
                    ),
                );
            }
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
        let names = properties.iter().map(|property| property.name.as_str());
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

/// Each serialized field named almost as a reserved trait, and not marked `custom`:
/// `firstname` for `firstName`, `emial` for `email`.
fn trait_names(cx: &Ctxt, container: &Container, traits_of: TraitsOf) {
    for field in &container.fields {
        if !field.is_serialized() || field.attrs.custom.is_some() {
            continue;
        }
        let wire = &field.wire_name;
        let Some(miss) = event_spec::near_trait(wire, traits_of.traits()) else {
            continue;
        };
        let known = miss.known.name;
        let rust_name = field.ident.unraw().to_string();
        let fix = if field.serde.rename.is_some() {
            format!("write `#[serde(rename = \"{known}\")]`")
        } else if *wire != rust_name {
            format!(
                "`{rust_name}` serializes as `{wire}`; rename it with `#[serde(rename = \"{known}\")]`"
            )
        } else if syn::parse_str::<syn::Ident>(known).is_ok()
            && known.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        {
            format!("name the field `{known}`")
        } else {
            format!("add `#[serde(rename = \"{known}\")]` to the field")
        };
        cx.error(
            field.wire_span,
            format_args!(
                "the trait `{wire}` {} `{known}`, one of {}: did you mean `{known}`? To send it as \
                 the reserved trait, {fix}. If `{wire}` is a trait of your own, mark the field \
                 `#[semantic_event(custom)]`",
                miss.difference,
                traits_of.what(),
            ),
        );
    }
}

/// The plan's required properties: each must be a field that every value writes.
fn required_properties(cx: &Ctxt, container: &Container, what: &str, planned: &PlannedEvent) {
    for property in planned
        .properties
        .iter()
        .filter(|property| property.required)
    {
        let field = container
            .fields
            .iter()
            .find(|field| field.is_serialized() && field.wire_name == property.name);
        let Some(field) = field else {
            cx.error(
                container.ident.span(),
                format_args!(
                    "{what} requires the property `{}`, and `{}` has no field that serializes as `{}`: \
                     add one, such as `{}: {}`",
                    property.name,
                    container.ident,
                    property.name,
                    property.name,
                    rust_type_hint(&property.json_type),
                ),
            );
            continue;
        };
        if crate::schema::is_required(field) {
            continue;
        }
        let (why, fix) = if field.serde.skip_if {
            (
                "`#[serde(skip_serializing_if)]` leaves it out",
                "remove `skip_serializing_if`",
            )
        } else {
            (
                "an `Option` may be `None`",
                "make the field's type not optional",
            )
        };
        cx.error(
            field.ty.span(),
            format_args!(
                "{what} requires the property `{}`, and {why}: {fix}, \
                 or add `#[semantic_event(required)]` so that validation refuses a missing value",
                property.name,
            ),
        );
    }
}

/// A Rust type that produces the planned type, for messages.
fn rust_type_hint(json_type: &PlanType) -> String {
    match json_type {
        PlanType::String => "String".into(),
        PlanType::Number => "f64".into(),
        PlanType::Integer => "i64".into(),
        PlanType::Boolean => "bool".into(),
        PlanType::Object => "serde_json::Map<String, serde_json::Value>".into(),
        PlanType::Array(item) => format!("Vec<{}>", rust_type_hint(item)),
        PlanType::Product => "event_core::Product".into(),
        PlanType::Filter => "event_core::ecommerce::Filter".into(),
        PlanType::Sort => "event_core::ecommerce::Sort".into(),
        PlanType::Any => "serde_json::Value".into(),
    }
}
