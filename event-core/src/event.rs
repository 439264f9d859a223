//! What an event is: a name, properties, and validation.

use serde::Deserializer;

use crate::validate::Validate;

/// An event with a fixed name, sent as a `"type": "track"` call.
///
/// Derive it on your own struct; the struct's fields become the call's `properties`:
///
/// ```
/// use event_core::SemanticEvent;
/// use serde::Serialize;
///
/// #[derive(Serialize, SemanticEvent)]
/// #[semantic_event(name = "Product List Viewed")]
/// struct ListViewed {
///     list_id: Option<String>,
///     category: Option<String>,
/// }
///
/// assert_eq!(ListViewed::EVENT_NAME, "Product List Viewed");
/// assert_eq!(<ListViewed as SemanticEvent>::EVENT_TYPE, "track");
/// ```
pub trait SemanticEvent: Validate {
    /// The event name sent as the payload's `"event"`.
    const EVENT_NAME: &'static str;
    /// The payload's `"type"`: always `"track"`.
    const EVENT_TYPE: &'static str = "track";

    /// The schema of the properties as the derive writes it: JSON text with
    /// placeholders (see `SCHEMA_PARTS`).
    #[doc(hidden)]
    const SCHEMA_JSON: &'static str = crate::plan::SchemaTemplate::EMPTY.json;

    /// The schemas of the placeholders of `SCHEMA_JSON`, for fields of types the derive
    /// cannot see through; none in most events, so the derive leaves this out.
    #[doc(hidden)]
    const SCHEMA_PARTS: &'static [fn() -> serde_json::Value] = &[];

    /// The JSON Schema (draft-07) of a whole track call of this event, its properties
    /// under `properties.properties`, as a tracking plan holds it (see
    /// [`plan`](crate::plan)).
    ///
    /// ```
    /// use event_core::SemanticEvent;
    /// use event_core::ecommerce::CartViewed;
    ///
    /// let schema = CartViewed::json_schema();
    /// let properties = &schema["properties"]["properties"]["properties"];
    /// assert_eq!(properties["cart_id"]["type"], serde_json::json!(["string", "null"]));
    /// assert_eq!(properties["products"]["items"]["properties"]["price"]["type"], serde_json::json!(["number", "null"]));
    /// ```
    fn json_schema() -> serde_json::Value {
        crate::plan::event_schema::<Self>()
    }
}

/// Anything that can ride in a [`Track`](crate::Track) call: it knows its event name.
///
/// Every [`SemanticEvent`] is one; so is [`EcommerceEvent`](crate::ecommerce::EcommerceEvent),
/// whose name depends on the variant.
pub trait TrackEvent {
    /// The event name sent as the payload's `"event"`.
    fn event_name(&self) -> &str;
}

impl<E: SemanticEvent> TrackEvent for E {
    fn event_name(&self) -> &str {
        E::EVENT_NAME
    }
}

/// An event that can be read back from a payload, given the payload's `"event"` name.
///
/// For a [`SemanticEvent`] the name must be its `EVENT_NAME`; other implementations
/// choose a type by the name.
pub trait DeserializeEvent<'de>: Sized {
    /// Reads the `properties` of an event called `event_name`.
    ///
    /// # Errors
    ///
    /// When the name is not one this type accepts, or the properties do not fit.
    fn deserialize_event<D: Deserializer<'de>>(
        event_name: &str,
        properties: D,
    ) -> Result<Self, D::Error>;

    /// Whether this type accepts events called `event_name`.
    fn accepts_event_name(event_name: &str) -> bool;

    /// The names this type accepts, for error messages.
    fn expected_event_names() -> &'static str;

    /// Why a name this type accepts is still refused when read: [`EcommerceEvent`]
    /// refuses near misses of the ecommerce events and reserved names, unless the read
    /// allows them (see [`ReadOptions`](crate::ReadOptions)). `None` by default.
    ///
    /// [`EcommerceEvent`]: crate::ecommerce::EcommerceEvent
    fn refused_event_name(event_name: &str) -> Option<String> {
        let _ = event_name;
        None
    }
}

impl<'de, E: SemanticEvent + serde::Deserialize<'de>> DeserializeEvent<'de> for E {
    fn deserialize_event<D: Deserializer<'de>>(
        event_name: &str,
        properties: D,
    ) -> Result<Self, D::Error> {
        if !Self::accepts_event_name(event_name) {
            return Err(serde::de::Error::custom(format_args!(
                "expected event {:?}, found {event_name:?}",
                E::EVENT_NAME
            )));
        }
        E::deserialize(properties)
    }

    fn accepts_event_name(event_name: &str) -> bool {
        event_name == E::EVENT_NAME
    }

    fn expected_event_names() -> &'static str {
        E::EVENT_NAME
    }
}
