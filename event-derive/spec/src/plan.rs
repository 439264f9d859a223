//! Tracking plans: the events a team defines, each with a JSON Schema of its
//! properties, in the layout of Segment Protocols' tracking plans:
//!
//! ```json
//! {"display_name": "My plan", "rules": {"events": [
//!   {"name": "Signup Completed", "description": "...", "version": 1, "rules": {
//!     "$schema": "http://json-schema.org/draft-07/schema#",
//!     "type": "object",
//!     "properties": {"properties": {
//!       "type": "object",
//!       "properties": {"plan": {"type": "string"}},
//!       "required": ["plan"]}}}}]}}
//! ```
//!
//! The derive reads a plan with [`TrackingPlan::parse`] and checks a struct against one
//! of its events; the ecommerce events are the same model ([`PlannedEvent::ecommerce`]),
//! checked by the same code.
//!
//! Only a subset of JSON Schema can be checked against a Rust type; a schema that uses
//! another keyword is refused with the keyword's name. The subset is [`KEYWORDS`].

use crate::json::{self, Json};
use crate::{EventSpec, JsonType, PropertySpec, TraitSpec, TraitType};

/// The JSON Schema keywords a plan may use. `type`, `properties`, `required`, `items`
/// and `additionalProperties` are checked against the struct while compiling; the
/// others (formats, bounds, patterns, enums) are left to validation at run time
/// (`cio-events validate --plan`).
pub const KEYWORDS: &[&str] = &[
    "$schema",
    "$id",
    "$comment",
    "title",
    "description",
    "type",
    "properties",
    "required",
    "items",
    "additionalProperties",
    "enum",
    "const",
    "format",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "default",
    "examples",
    "readOnly",
    "writeOnly",
];

/// The JSON type a plan gives a property, as far as a Rust type can be checked for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanType {
    /// `"string"`
    String,
    /// `"number"`: an integer or a fraction.
    Number,
    /// `"integer"`
    Integer,
    /// `"boolean"`
    Boolean,
    /// `"object"`
    Object,
    /// `"array"`, with the type of its items.
    Array(Box<PlanType>),
    /// An ecommerce product object (items of `products`).
    Product,
    /// An ecommerce filter object (items of `filters`).
    Filter,
    /// An ecommerce sort object (items of `sorts`).
    Sort,
    /// No single type (none given, several, or only `null`): anything fits.
    Any,
}

impl PlanType {
    /// The plan's word for it, for messages.
    pub fn name(&self) -> String {
        match self {
            PlanType::String => "string".into(),
            PlanType::Number => "number".into(),
            PlanType::Integer => "integer".into(),
            PlanType::Boolean => "boolean".into(),
            PlanType::Object => "object".into(),
            PlanType::Array(item) => format!("array of {}", item.name()),
            PlanType::Product => "product object".into(),
            PlanType::Filter => "filter object".into(),
            PlanType::Sort => "sort object".into(),
            PlanType::Any => "any value".into(),
        }
    }

    fn from_spec(json_type: JsonType) -> PlanType {
        match json_type {
            JsonType::String => PlanType::String,
            JsonType::Number => PlanType::Number,
            JsonType::ProductArray => PlanType::Array(Box::new(PlanType::Product)),
            JsonType::FilterArray => PlanType::Array(Box::new(PlanType::Filter)),
            JsonType::SortArray => PlanType::Array(Box::new(PlanType::Sort)),
        }
    }
}

impl PlanType {
    /// The plan type a reserved trait's value must have: a date is a string.
    pub fn from_trait(json_type: TraitType) -> PlanType {
        match json_type {
            TraitType::String | TraitType::Date => PlanType::String,
            TraitType::Number => PlanType::Number,
            TraitType::Integer => PlanType::Integer,
            TraitType::Boolean => PlanType::Boolean,
            TraitType::Object => PlanType::Object,
        }
    }
}

/// One property of a planned event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedProperty {
    /// The wire name.
    pub name: String,
    /// Its JSON type.
    pub json_type: PlanType,
    /// Whether the plan requires it in every call.
    pub required: bool,
}

/// One event of a plan: its name and properties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedEvent {
    /// The event name.
    pub name: String,
    /// Its properties, in the plan's order.
    pub properties: Vec<PlannedProperty>,
    /// Whether properties beyond these are allowed (`additionalProperties` is not `false`).
    pub additional_properties: bool,
}

impl PlannedEvent {
    /// The property called exactly `name`, if the event has one.
    pub fn property(&self, name: &str) -> Option<&PlannedProperty> {
        self.properties
            .iter()
            .find(|property| property.name == name)
    }

    /// An ecommerce event of the built-in table, as a planned event: no property is
    /// required and additional properties are allowed.
    ///
    /// ```
    /// let event = event_spec::plan::PlannedEvent::ecommerce(event_spec::event("Cart Viewed").unwrap());
    /// assert_eq!(event.property("cart_id").unwrap().json_type, event_spec::plan::PlanType::String);
    /// ```
    pub fn ecommerce(event: &EventSpec) -> PlannedEvent {
        Self::from_properties(event.name, event.properties)
    }

    /// A product, filter or sort object's properties (such as
    /// [`PRODUCT_PROPERTIES`](crate::PRODUCT_PROPERTIES)), as a planned object.
    pub fn from_properties(name: &str, properties: &[PropertySpec]) -> PlannedEvent {
        PlannedEvent {
            name: name.to_owned(),
            properties: properties
                .iter()
                .map(|property| PlannedProperty {
                    name: property.name.to_owned(),
                    json_type: PlanType::from_spec(property.json_type),
                    required: false,
                })
                .collect(),
            additional_properties: true,
        }
    }
}

impl PlannedEvent {
    /// The reserved traits of a person or a group (such as
    /// [`PERSON_TRAITS`](crate::PERSON_TRAITS)), as a planned object: none is required,
    /// and traits of the application's own are allowed.
    ///
    /// ```
    /// use event_spec::plan::{PlanType, PlannedEvent};
    /// let person = PlannedEvent::from_traits("person traits", event_spec::PERSON_TRAITS);
    /// assert_eq!(person.property("created_at").unwrap().json_type, PlanType::Integer);
    /// ```
    pub fn from_traits(name: &str, traits: &[TraitSpec]) -> PlannedEvent {
        PlannedEvent {
            name: name.to_owned(),
            properties: traits
                .iter()
                .map(|known| PlannedProperty {
                    name: known.name.to_owned(),
                    json_type: PlanType::from_trait(known.json_type),
                    required: false,
                })
                .collect(),
            additional_properties: true,
        }
    }
}

/// A tracking plan: its events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackingPlan {
    /// The plan's `display_name`, if it has one.
    pub display_name: Option<String>,
    /// Its events, in the plan's order.
    pub events: Vec<PlannedEvent>,
}

/// Why a plan file cannot be read, with the place in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanError {
    /// What is wrong and what to do.
    pub message: String,
}

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PlanError {}

fn fail<T>(message: String) -> Result<T, PlanError> {
    Err(PlanError { message })
}

impl TrackingPlan {
    /// The built-in plan: the ecommerce events of the table.
    pub fn ecommerce() -> TrackingPlan {
        TrackingPlan {
            display_name: Some("Customer.io ecommerce semantic events".into()),
            events: crate::EVENTS.iter().map(PlannedEvent::ecommerce).collect(),
        }
    }

    /// The event called exactly `name`, if the plan has one.
    pub fn event(&self, name: &str) -> Option<&PlannedEvent> {
        self.events.iter().find(|event| event.name == name)
    }

    /// Reads a plan in the layout of Segment Protocols' tracking plans (see the
    /// [module docs](self)).
    ///
    /// ```
    /// let plan = event_spec::plan::TrackingPlan::parse(r#"{"rules": {"events": [
    ///     {"name": "Signup Completed", "rules": {"type": "object", "properties": {"properties": {
    ///         "type": "object", "properties": {"plan": {"type": "string"}}, "required": ["plan"]}}}}]}}"#).unwrap();
    /// let event = plan.event("Signup Completed").unwrap();
    /// assert!(event.property("plan").unwrap().required);
    /// ```
    ///
    /// # Errors
    ///
    /// When the text is not JSON, is not laid out as a plan, repeats an event, or a
    /// schema uses a keyword outside [`KEYWORDS`]; the message names the place.
    pub fn parse(text: &str) -> Result<TrackingPlan, PlanError> {
        let root = json::parse(text).map_err(|error| PlanError {
            message: format!("the plan is not valid JSON: {error}"),
        })?;
        let display_name = root
            .get("display_name")
            .and_then(Json::as_str)
            .map(str::to_owned);
        let Some(events) = root.get("rules").and_then(|rules| rules.get("events")) else {
            return fail(
                "the plan has no `rules.events`: write it as {\"rules\": {\"events\": [{\"name\": \"...\", \"rules\": {...}}]}}"
                    .into(),
            );
        };
        let Json::Array(events) = events else {
            return fail(format!(
                "`rules.events` is {}, expected an array of events",
                events.kind()
            ));
        };
        let mut out: Vec<PlannedEvent> = Vec::new();
        for (index, event) in events.iter().enumerate() {
            let place = format!("rules.events[{index}]");
            let Some(name) = event.get("name").and_then(Json::as_str) else {
                return fail(format!("{place} has no string `name`"));
            };
            if out.iter().any(|other| other.name == name) {
                return fail(format!(
                    "{place}: the event {name:?} appears twice in the plan"
                ));
            }
            let planned = match event.get("rules") {
                None => PlannedEvent {
                    name: name.to_owned(),
                    properties: Vec::new(),
                    additional_properties: true,
                },
                Some(rules) => event_rules(name, rules, &format!("{place}.rules"))?,
            };
            out.push(planned);
        }
        Ok(TrackingPlan {
            display_name,
            events: out,
        })
    }
}

/// Refuses a keyword outside the subset.
fn keywords(schema: &Json, place: &str) -> Result<(), PlanError> {
    let Json::Object(entries) = schema else {
        if matches!(schema, Json::Bool(true)) {
            return Ok(());
        }
        return fail(format!(
            "{place} is {}, expected a JSON Schema object such as {{\"type\": \"string\"}}",
            schema.kind()
        ));
    };
    for (key, _) in entries {
        if !KEYWORDS.contains(&key.as_str()) {
            return fail(format!(
                "{place} uses the JSON Schema keyword `{key}`, which the derive cannot check against a Rust type: \
                 the supported keywords are {}",
                KEYWORDS.join(", ")
            ));
        }
    }
    Ok(())
}

fn event_rules(name: &str, rules: &Json, place: &str) -> Result<PlannedEvent, PlanError> {
    keywords(rules, place)?;
    let Some(top) = rules.get("properties") else {
        return Ok(PlannedEvent {
            name: name.to_owned(),
            properties: Vec::new(),
            additional_properties: true,
        });
    };
    let top_place = format!("{place}.properties");
    let Json::Object(top_entries) = top else {
        return fail(format!("{top_place} is {}, expected an object", top.kind()));
    };
    for (key, schema) in top_entries {
        keywords(schema, &format!("{top_place}.{key}"))?;
    }
    let Some(properties) = top.get("properties") else {
        return Ok(PlannedEvent {
            name: name.to_owned(),
            properties: Vec::new(),
            additional_properties: true,
        });
    };
    let place = format!("{top_place}.properties");
    let (properties, additional_properties) = object(properties, &place)?;
    Ok(PlannedEvent {
        name: name.to_owned(),
        properties,
        additional_properties,
    })
}

/// The properties of an object schema, and whether it allows others.
fn object(schema: &Json, place: &str) -> Result<(Vec<PlannedProperty>, bool), PlanError> {
    keywords(schema, place)?;
    let required: Vec<&str> = match schema.get("required") {
        None => Vec::new(),
        Some(Json::Array(names)) => {
            let mut out = Vec::new();
            for name in names {
                match name.as_str() {
                    Some(name) => out.push(name),
                    None => {
                        return fail(format!(
                            "{place}.required holds {}, expected property names",
                            name.kind()
                        ));
                    }
                }
            }
            out
        }
        Some(other) => {
            return fail(format!(
                "{place}.required is {}, expected an array of property names",
                other.kind()
            ));
        }
    };
    let mut properties = Vec::new();
    match schema.get("properties") {
        None => {}
        Some(Json::Object(entries)) => {
            for (name, property) in entries {
                let place = format!("{place}.properties.{name}");
                properties.push(PlannedProperty {
                    name: name.clone(),
                    json_type: plan_type(property, &place)?,
                    required: required.contains(&name.as_str()),
                });
            }
        }
        Some(other) => {
            return fail(format!(
                "{place}.properties is {}, expected an object",
                other.kind()
            ));
        }
    }
    for name in &required {
        if !properties.iter().any(|property| property.name == *name) {
            properties.push(PlannedProperty {
                name: (*name).to_owned(),
                json_type: PlanType::Any,
                required: true,
            });
        }
    }
    let additional = !matches!(schema.get("additionalProperties"), Some(Json::Bool(false)));
    Ok((properties, additional))
}

/// The type of one property's schema; nested object schemas are checked for keywords too.
fn plan_type(schema: &Json, place: &str) -> Result<PlanType, PlanError> {
    keywords(schema, place)?;
    let names: Vec<&str> = match schema.get("type") {
        None => Vec::new(),
        Some(Json::String(name)) => vec![name],
        Some(Json::Array(names)) => names.iter().filter_map(Json::as_str).collect(),
        Some(other) => {
            return fail(format!(
                "{place}.type is {}, expected a type name or an array of them",
                other.kind()
            ));
        }
    };
    let known = [
        "string", "number", "integer", "boolean", "object", "array", "null",
    ];
    if let Some(unknown) = names.iter().find(|name| !known.contains(name)) {
        return fail(format!(
            "{place}.type has {unknown:?}, which is not a JSON Schema type: use one of {}",
            known.join(", ")
        ));
    }
    let non_null: Vec<&str> = names.into_iter().filter(|name| *name != "null").collect();
    if let Some(items) = schema.get("items") {
        if !matches!(items, Json::Object(_) | Json::Bool(true)) {
            return fail(format!(
                "{place}.items is {}, expected one schema for every item (a tuple of schemas cannot be checked)",
                items.kind()
            ));
        }
    }
    let json_type = match non_null.as_slice() {
        ["string"] => PlanType::String,
        ["number"] => PlanType::Number,
        ["integer"] => PlanType::Integer,
        ["boolean"] => PlanType::Boolean,
        ["object"] => {
            object(schema, place)?;
            PlanType::Object
        }
        ["array"] => match schema.get("items") {
            Some(items @ Json::Object(_)) => {
                PlanType::Array(Box::new(plan_type(items, &format!("{place}.items"))?))
            }
            _ => PlanType::Array(Box::new(PlanType::Any)),
        },
        _ => PlanType::Any,
    };
    Ok(json_type)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn plan(properties: &str) -> Result<TrackingPlan, PlanError> {
        TrackingPlan::parse(&format!(
            r#"{{"rules": {{"events": [{{"name": "E", "rules": {{"type": "object", "properties": {{"properties": {properties}}}}}}}]}}}}"#
        ))
    }

    #[test]
    fn reads_types_and_required() {
        let plan = plan(
            r#"{"type": "object", "properties": {"a": {"type": ["string", "null"]}, "b": {"type": "array", "items": {"type": "integer"}}},
               "required": ["b"], "additionalProperties": false}"#,
        )
        .unwrap();
        let event = plan.event("E").unwrap();
        assert_eq!(event.property("a").unwrap().json_type, PlanType::String);
        assert!(!event.property("a").unwrap().required);
        let b = event.property("b").unwrap();
        assert_eq!(b.json_type, PlanType::Array(Box::new(PlanType::Integer)));
        assert!(b.required);
        assert!(!event.additional_properties);
    }

    #[test]
    fn unsupported_keywords_are_named() {
        let error =
            plan(r#"{"type": "object", "properties": {"a": {"oneOf": [{"type": "string"}]}}}"#)
                .unwrap_err();
        assert!(error.message.contains("`oneOf`"), "{error}");
        assert!(error.message.contains("properties.a"), "{error}");
        let error =
            plan(r#"{"type": "object", "properties": {"a": {"type": "strin"}}}"#).unwrap_err();
        assert!(error.message.contains("\"strin\""), "{error}");
    }

    #[test]
    fn the_builtin_plan_is_the_table() {
        let plan = TrackingPlan::ecommerce();
        assert_eq!(plan.events.len(), crate::EVENTS.len());
        let cart = plan.event("Cart Viewed").unwrap();
        assert_eq!(
            cart.property("products").unwrap().json_type,
            PlanType::Array(Box::new(PlanType::Product))
        );
    }

    /// A plan file is the application's own input to the derive: whatever its bytes,
    /// reading it gives a plan or an error, never a panic (a panic in a derive is an
    /// unhelpful compile error). Every prefix of a real plan, and every one-byte change
    /// to it, is read.
    #[test]
    fn any_plan_text_gives_a_plan_or_an_error() {
        let text = include_str!("../../../tests/ui/plans/shop.json");
        for end in (0..=text.len()).filter(|&end| text.is_char_boundary(end)) {
            let _ = TrackingPlan::parse(&text[..end]);
        }
        let bytes = text.as_bytes();
        for at in 0..bytes.len() {
            for replacement in [
                b'{', b'}', b'[', b']', b'"', b'\\', b',', b':', b'0', b'-', b'e', b' ',
            ] {
                let mut changed = bytes.to_vec();
                changed[at] = replacement;
                if let Ok(changed) = std::str::from_utf8(&changed) {
                    let _ = TrackingPlan::parse(changed);
                }
            }
        }
        let deep = "[".repeat(100_000);
        assert!(TrackingPlan::parse(&deep).is_err());
    }
}
