//! Customer.io's ecommerce semantic events (names, groups, properties and JSON types),
//! the reserved traits of a person and of a group, and the logic that tells a
//! misspelled event, property or trait name from a deliberate one.
//!
//! This crate has no dependencies. `event-derive` checks event definitions against it
//! while compiling, and `event-core` re-exports it as `event_core::spec`, so the
//! compile-time checks and the run-time table are one table. A test of the workspace
//! compares it with `ecommerce-events.json`, the specification kept beside this crate.
//!
//! ```
//! let event = event_spec::event("Order Completed").unwrap();
//! assert_eq!(event.group, "Core Ordering");
//! assert_eq!(
//!     event.property("revenue").map(|p| p.json_type),
//!     Some(event_spec::JsonType::Number)
//! );
//! ```

pub mod json;
mod near;
pub mod plan;
pub mod suggest;
mod table;

pub use near::{
    Difference, NearMiss, TraitDifference, TraitMiss, near_miss, near_trait, reserved,
    reserved_effect,
};
pub use table::{
    EVENTS, FILTER_PROPERTIES, GROUP_TRAITS, PERSON_TRAITS, PRODUCT_PROPERTIES,
    RESERVED_EVENT_NAMES, SORT_PROPERTIES,
};

/// The JSON type the specification gives a property.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JsonType {
    /// A JSON string.
    String,
    /// A finite JSON number, integer or fractional.
    Number,
    /// A JSON array of product objects.
    ProductArray,
    /// A JSON array of `{"type": string, "value": string}` filters.
    FilterArray,
    /// A JSON array of `{"type": string, "value": string}` sorts.
    SortArray,
}

impl JsonType {
    /// The name the specification file uses: `string`, `number`, `product[]`, ...
    pub fn spec_name(self) -> &'static str {
        match self {
            JsonType::String => "string",
            JsonType::Number => "number",
            JsonType::ProductArray => "product[]",
            JsonType::FilterArray => "filter[]",
            JsonType::SortArray => "sort[]",
        }
    }
}

/// One property of an event, with its wire name and JSON type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PropertySpec {
    /// The wire name, such as `product_id`.
    pub name: &'static str,
    /// The JSON type of its value.
    pub json_type: JsonType,
}

/// The JSON type of a reserved trait of a person (identify) or a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TraitType {
    /// A JSON string.
    String,
    /// A finite JSON number, integer or fractional.
    Number,
    /// A JSON integer, such as a Unix timestamp in seconds.
    Integer,
    /// A JSON boolean.
    Boolean,
    /// A JSON object, such as an address.
    Object,
    /// A JSON string holding an ISO-8601 date or date-time.
    Date,
}

impl TraitType {
    /// The name the specification file uses: `string`, `integer`, `date`, ...
    pub fn spec_name(self) -> &'static str {
        match self {
            TraitType::String => "string",
            TraitType::Number => "number",
            TraitType::Integer => "integer",
            TraitType::Boolean => "boolean",
            TraitType::Object => "object",
            TraitType::Date => "date",
        }
    }
}

/// One reserved trait, with its wire name and JSON type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TraitSpec {
    /// The wire name, such as `firstName` or `created_at`.
    pub name: &'static str,
    /// The JSON type of its value.
    pub json_type: TraitType,
}

/// The reserved trait of a person ([`PERSON_TRAITS`]) called exactly `name`.
///
/// ```
/// use event_spec::{TraitType, person_trait};
/// assert_eq!(person_trait("created_at").map(|t| t.json_type), Some(TraitType::Integer));
/// assert_eq!(person_trait("createdAt").map(|t| t.json_type), Some(TraitType::Date));
/// assert!(person_trait("favourite_colour").is_none());
/// ```
pub fn person_trait(name: &str) -> Option<&'static TraitSpec> {
    PERSON_TRAITS.iter().find(|known| known.name == name)
}

/// The reserved trait of a group ([`GROUP_TRAITS`]) called exactly `name`.
///
/// ```
/// assert!(event_spec::group_trait("employees").is_some());
/// assert!(event_spec::group_trait("firstName").is_none());
/// ```
pub fn group_trait(name: &str) -> Option<&'static TraitSpec> {
    GROUP_TRAITS.iter().find(|known| known.name == name)
}

/// One ecommerce semantic event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventSpec {
    /// The event name, such as `Product List Viewed`.
    pub name: &'static str,
    /// The group it belongs to, such as `Browsing`.
    pub group: &'static str,
    /// Its properties; none is required.
    pub properties: &'static [PropertySpec],
}

impl EventSpec {
    /// The property called exactly `name`, if the event has one.
    ///
    /// ```
    /// let viewed = event_spec::event("Promotion Viewed").unwrap();
    /// assert!(viewed.property("position").is_some());
    /// assert!(viewed.property("sku").is_none());
    /// ```
    pub fn property(&self, name: &str) -> Option<&'static PropertySpec> {
        self.properties
            .iter()
            .find(|property| property.name == name)
    }
}

/// The ecommerce event called exactly `name`, if there is one.
///
/// ```
/// assert!(event_spec::event("Order Completed").is_some());
/// assert!(event_spec::event("order completed").is_none());
/// ```
pub fn event(name: &str) -> Option<&'static EventSpec> {
    EVENTS.iter().find(|event| event.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique() {
        for (index, event) in EVENTS.iter().enumerate() {
            assert!(
                EVENTS[..index].iter().all(|other| other.name != event.name),
                "{}",
                event.name
            );
            for (index, property) in event.properties.iter().enumerate() {
                assert!(
                    event.properties[..index]
                        .iter()
                        .all(|other| other.name != property.name),
                    "{} {}",
                    event.name,
                    property.name
                );
            }
        }
        assert!(
            RESERVED_EVENT_NAMES
                .iter()
                .all(|name| event(name).is_none())
        );
        for traits in [PERSON_TRAITS, GROUP_TRAITS] {
            for (index, known) in traits.iter().enumerate() {
                assert!(
                    traits[..index].iter().all(|other| other.name != known.name),
                    "{}",
                    known.name
                );
            }
        }
    }

    #[test]
    fn the_specs_quirks() {
        let json_type = |event_name, property| {
            event(event_name)
                .and_then(|e| e.property(property))
                .map(|p| p.json_type)
        };
        assert_eq!(
            json_type("Product Reviewed", "rating"),
            Some(JsonType::String)
        );
        assert_eq!(
            json_type("Promotion Viewed", "position"),
            Some(JsonType::String)
        );
        assert_eq!(
            json_type("Product Clicked", "position"),
            Some(JsonType::Number)
        );
    }
}
