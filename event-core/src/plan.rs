//! Tracking plans: the JSON Schema of every event, written out of the code, in the
//! layout of Segment Protocols' tracking plans that other tools import.
//!
//! Every [`SemanticEvent`] knows the schema of its call
//! ([`SemanticEvent::json_schema`]): the derive writes it while compiling, from the wire
//! names after serde's renames, the JSON types of the fields (`Option` is not
//! required, and may be `null`), nested objects and arrays, and the field rules as
//! keywords (`range` as `minimum`/`maximum`, `length` as `minLength`/`maxLength` or
//! `minItems`/`maxItems`, `non_empty` as a minimum length of 1, `email` and `url` as
//! `format`, `currency` as a `pattern`, `required` in `required`). A [`Plan`] gathers
//! events into one document:
//!
//! ```
//! use event_core::SemanticEvent;
//! use event_core::ecommerce::OrderCompleted;
//! use event_core::plan::Plan;
//!
//! /// A visitor finished signing up.
//! #[derive(serde::Serialize, SemanticEvent)]
//! #[semantic_event(name = "Signup Completed")]
//! struct SignupCompleted {
//!     /// The plan chosen.
//!     plan: String,
//!     #[semantic_event(email)]
//!     email: Option<String>,
//! }
//!
//! let plan = Plan::named("Shop").event::<OrderCompleted>().event::<SignupCompleted>();
//! let json = plan.to_json();
//! let signup = &json["rules"]["events"][1];
//! assert_eq!(signup["name"], "Signup Completed");
//! assert_eq!(signup["description"], "A visitor finished signing up.");
//! let properties = &signup["rules"]["properties"]["properties"];
//! assert_eq!(properties["properties"]["plan"]["type"], "string");
//! assert_eq!(properties["properties"]["email"]["format"], "email");
//! assert_eq!(properties["required"], serde_json::json!(["plan"]));
//! ```
//!
//! The same document read back with `#[semantic_event(plan = "...")]` checks structs
//! against it while compiling (see [`attributes`](crate::attributes)), and
//! `cio-events validate --plan` checks files of events against it.
//!
//! A field of a type of your own gets that type's [`PropertySchema`]: the derives
//! implement it (`#[derive(Validate)]` for an object), and a type that has none
//! contributes `{}`, which allows any value.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::marker::PhantomData;
use std::rc::Rc;
use std::sync::Arc;

use serde_json::{Map, json};

use crate::SemanticEvent;

#[doc(no_inline)]
pub use serde_json::Value;

/// The `$schema` of every event schema: JSON Schema draft-07, as Protocols uses.
pub const DRAFT_07: &str = "http://json-schema.org/draft-07/schema#";

/// A type that knows the JSON Schema of the values it serializes to.
///
/// Implemented for strings, numbers, booleans, `Option`, sequences, maps, the
/// catalogue's [`Product`](crate::Product), `Filter` and `Sort`, and by
/// `#[derive(Validate)]` for structs. Implement it for a type of your own that
/// serializes by hand.
pub trait PropertySchema {
    /// The schema of one value of this type.
    fn property_schema() -> Value;
}

macro_rules! schema {
    ($schema:expr => $($ty:ty),*) => {$(
        impl PropertySchema for $ty {
            fn property_schema() -> Value {
                $schema
            }
        }
    )*};
}
schema!(json!({"type": "string"}) => str, String, char, Cow<'_, str>);
schema!(json!({"type": "boolean"}) => bool);
schema!(json!({"type": "integer"}) => i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);
schema!(json!({"type": "number"}) => f32, f64);
schema!(json!({}) => Value);
schema!(json!({"type": "object"}) => Map<String, Value>);
schema!(json!({"type": "string", "format": "date-time"}) => crate::Timestamp);

impl<T: PropertySchema> PropertySchema for Option<T> {
    fn property_schema() -> Value {
        nullable(T::property_schema())
    }
}

macro_rules! through {
    ($($ty:ty),*) => {$(
        impl<T: PropertySchema + ?Sized> PropertySchema for $ty {
            fn property_schema() -> Value {
                T::property_schema()
            }
        }
    )*};
}
through!(&T, Box<T>, Rc<T>, Arc<T>);

impl<T: PropertySchema> PropertySchema for crate::spec::Unchecked<T> {
    fn property_schema() -> Value {
        T::property_schema()
    }
}

macro_rules! sequence {
    ($($ty:ty),*) => {$(
        impl<T: PropertySchema> PropertySchema for $ty {
            fn property_schema() -> Value {
                json!({"type": "array", "items": T::property_schema()})
            }
        }
    )*};
}
sequence!([T], Vec<T>, VecDeque<T>, BTreeSet<T>, HashSet<T>);

impl<T: PropertySchema, const N: usize> PropertySchema for [T; N] {
    fn property_schema() -> Value {
        json!({"type": "array", "items": T::property_schema()})
    }
}

impl<K, V: PropertySchema, S> PropertySchema for HashMap<K, V, S> {
    fn property_schema() -> Value {
        json!({"type": "object", "additionalProperties": V::property_schema()})
    }
}

impl<K, V: PropertySchema> PropertySchema for BTreeMap<K, V> {
    fn property_schema() -> Value {
        json!({"type": "object", "additionalProperties": V::property_schema()})
    }
}

/// `schema` that also allows `null`.
fn nullable(mut schema: Value) -> Value {
    if let Some(object) = schema.as_object_mut() {
        match object.get_mut("type") {
            Some(Value::String(name)) => {
                let name = std::mem::take(name);
                object.insert("type".into(), json!([name, "null"]));
            }
            Some(Value::Array(names)) if !names.iter().any(|name| name == "null") => {
                names.push("null".into());
            }
            // No type: any value, `null` included.
            _ => {}
        }
    }
    schema
}

/// The schema of a struct's properties as the derive writes it: a JSON text with a
/// placeholder `{"$part": N}` for each field whose type the syntax cannot see
/// through, and the functions that give those types' schemas.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct SchemaTemplate {
    /// The JSON text.
    pub json: &'static str,
    /// The schemas of the placeholders, by index.
    pub parts: &'static [fn() -> Value],
}

impl SchemaTemplate {
    /// The schema of an event the derive did not write: any properties.
    pub const EMPTY: SchemaTemplate = SchemaTemplate {
        json: "{\"type\":\"object\"}",
        parts: &[],
    };

    /// The object schema, placeholders filled.
    pub fn object_schema(&self) -> Value {
        SchemaTemplate::fill(self.json, self.parts)
    }

    /// The schema of the text `json`, its placeholders filled from `parts`.
    pub fn fill(json: &str, parts: &[fn() -> Value]) -> Value {
        // The derive writes the text; a mistake there is a bug, shown as any value
        // rather than a panic.
        let mut schema = serde_json::from_str(json).unwrap_or_else(|_| json!({}));
        fill_parts(&mut schema, parts);
        schema
    }
}

fn fill_parts(value: &mut Value, parts: &[fn() -> Value]) {
    match value {
        Value::Object(object) => {
            if let Some(index) = object.remove("$part") {
                let nulls = object.remove("$nullable").is_some();
                let part = index
                    .as_u64()
                    .and_then(|index| parts.get(usize::try_from(index).ok()?))
                    .map_or_else(|| json!({}), |part| part());
                let mut part = if nulls { nullable(part) } else { part };
                if let Value::Object(filled) = &mut part {
                    let is_array = match filled.get("type") {
                        Some(Value::String(name)) => name == "array",
                        Some(Value::Array(names)) => names.iter().any(|name| name == "array"),
                        _ => false,
                    };
                    // The field's rules and description, over the type's own.
                    for (key, rule) in std::mem::take(object) {
                        let key = match key.as_str() {
                            "minLength" if is_array => "minItems".to_owned(),
                            "maxLength" if is_array => "maxItems".to_owned(),
                            _ => key,
                        };
                        filled.insert(key, rule);
                    }
                }
                *value = part;
                return;
            }
            for child in object.values_mut() {
                fill_parts(child, parts);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| fill_parts(item, parts)),
        _ => {}
    }
}

/// Keeps a closure's type out of the template: it becomes a function pointer.
#[doc(hidden)]
pub const fn part(schema: fn() -> Value) -> fn() -> Value {
    schema
}

/// Names a field's type for the schema probe.
#[doc(hidden)]
pub struct SchemaProbe<T: ?Sized>(PhantomData<fn() -> Box<T>>);

impl<T: ?Sized> SchemaProbe<T> {
    /// The probe of `T`.
    pub const NEW: Self = SchemaProbe(PhantomData);
}

/// The schema of a type that has one.
#[doc(hidden)]
pub trait ViaSchema {
    fn property_schema(&self) -> Value;
}

impl<T: PropertySchema + ?Sized> ViaSchema for &SchemaProbe<T> {
    fn property_schema(&self) -> Value {
        T::property_schema()
    }
}

/// Any value, for a type that has no schema.
#[doc(hidden)]
pub trait ViaNothing {
    fn property_schema(&self) -> Value;
}

impl<T: ?Sized> ViaNothing for SchemaProbe<T> {
    fn property_schema(&self) -> Value {
        json!({})
    }
}

/// The schema of a whole track call of an event whose properties have the schema
/// `properties`: Protocols' layout, the properties under `properties.properties`.
fn call_schema(mut properties: Value) -> Value {
    if let Some(object) = properties.as_object_mut() {
        object.remove("description");
    }
    json!({
        "$schema": DRAFT_07,
        "type": "object",
        "properties": {
            "context": {},
            "traits": {},
            "properties": properties,
        },
    })
}

/// The schema of the whole call of `E`.
pub(crate) fn event_schema<E: SemanticEvent + ?Sized>() -> Value {
    call_schema(SchemaTemplate::fill(E::SCHEMA_JSON, E::SCHEMA_PARTS))
}

/// One event of a plan.
#[derive(Debug, Clone, PartialEq)]
struct PlanEvent {
    name: String,
    description: String,
    rules: Value,
}

/// A tracking plan assembled from event types, written as one JSON document in the
/// layout of Segment Protocols' tracking plans (see the [module docs](self)).
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    display_name: String,
    events: Vec<PlanEvent>,
}

impl Default for Plan {
    fn default() -> Self {
        Plan::new()
    }
}

impl Plan {
    /// An empty plan called "Tracking plan".
    pub fn new() -> Plan {
        Plan::named("Tracking plan")
    }

    /// An empty plan with this display name.
    pub fn named(display_name: impl Into<String>) -> Plan {
        Plan {
            display_name: display_name.into(),
            events: Vec::new(),
        }
    }

    /// Adds the event `E`, replacing an event of the same name.
    #[must_use]
    pub fn event<E: SemanticEvent>(mut self) -> Plan {
        let mut properties = SchemaTemplate::fill(E::SCHEMA_JSON, E::SCHEMA_PARTS);
        let description = properties
            .as_object_mut()
            .and_then(|object| object.remove("description"))
            .and_then(|text| text.as_str().map(str::to_owned))
            .unwrap_or_default();
        let event = PlanEvent {
            name: E::EVENT_NAME.to_owned(),
            description,
            rules: call_schema(properties),
        };
        match self
            .events
            .iter_mut()
            .find(|other| other.name == event.name)
        {
            Some(other) => *other = event,
            None => self.events.push(event),
        }
        self
    }

    /// The plan of the 28 ecommerce events of the catalogue, in the spec's order.
    pub fn ecommerce() -> Plan {
        use crate::ecommerce::*;
        let mut plan = Plan::named("Customer.io ecommerce semantic events")
            .event::<ProductsSearched>()
            .event::<ProductListViewed>()
            .event::<ProductListFiltered>()
            .event::<PromotionViewed>()
            .event::<PromotionClicked>()
            .event::<ProductClicked>()
            .event::<ProductViewed>()
            .event::<ProductAdded>()
            .event::<ProductRemoved>()
            .event::<CartViewed>()
            .event::<CheckoutStarted>()
            .event::<CheckoutStepViewed>()
            .event::<CheckoutStepCompleted>()
            .event::<PaymentInfoEntered>()
            .event::<OrderUpdated>()
            .event::<OrderCompleted>()
            .event::<OrderRefunded>()
            .event::<OrderCancelled>()
            .event::<CouponEntered>()
            .event::<CouponApplied>()
            .event::<CouponDenied>()
            .event::<CouponRemoved>()
            .event::<ProductAddedToWishlist>()
            .event::<ProductRemovedFromWishlist>()
            .event::<WishlistProductAddedToCart>()
            .event::<ProductShared>()
            .event::<CartShared>()
            .event::<ProductReviewed>();
        let order = |event: &PlanEvent| {
            crate::spec::EVENTS
                .iter()
                .position(|spec| spec.name == event.name)
        };
        plan.events.sort_by_key(order);
        plan
    }

    /// The names of its events, in order.
    pub fn event_names(&self) -> impl Iterator<Item = &str> {
        self.events.iter().map(|event| event.name.as_str())
    }

    /// The plan as JSON: `{"display_name": .., "rules": {"events": [{"name": ..,
    /// "description": .., "version": 1, "rules": SCHEMA}]}}`.
    pub fn to_json(&self) -> Value {
        let events: Vec<Value> = self
            .events
            .iter()
            .map(|event| {
                json!({
                    "name": event.name,
                    "description": event.description,
                    "version": 1,
                    "rules": event.rules,
                })
            })
            .collect();
        json!({"display_name": self.display_name, "rules": {"events": events}})
    }

    /// The plan as pretty-printed JSON text, ending with a line break: what to write to
    /// the plan file.
    pub fn to_json_pretty(&self) -> String {
        let mut text = serde_json::to_string_pretty(&self.to_json()).unwrap_or_default();
        text.push('\n');
        text
    }
}
