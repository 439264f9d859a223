//! [`EcommerceEvent`]: any ecommerce event, chosen by its name when read off the wire.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::*;
use crate::validate::{FieldPath, Validate, ValidationErrors};
use crate::{DeserializeEvent, TrackEvent};

macro_rules! catalogue {
    ($($variant:ident),* $(,)?) => {
        /// Any ecommerce semantic event, or any other event under its own name.
        ///
        /// `Track<EcommerceEvent>` reads a payload whatever its event: the `"event"` name
        /// picks the variant, and a known event's properties must have the spec's types.
        /// A string `price` on `Product Viewed` is an error, not a silent fall-back to
        /// [`Custom`](Self::Custom); read with [`from_json`](crate::from_json) and the
        /// error names the event and the field path. Any other name becomes
        /// [`Custom`](Self::Custom), with its properties as they are. Either way the event
        /// serializes back to the same properties.
        ///
        /// ```
        /// use event_core::ecommerce::EcommerceEvent;
        /// use event_core::{Track, TrackEvent};
        ///
        /// let json = br#"{"userId": "u1", "type": "track", "event": "Order Completed",
        ///                 "properties": {"order_id": "50314b8e9bcf000000000000", "total": 27.5}}"#;
        /// let track: Track<EcommerceEvent> = event_core::from_json(json)?;
        /// let EcommerceEvent::OrderCompleted(order) = &track.event else { panic!("not an order") };
        /// assert_eq!(order.total, Some(27.5));
        /// assert_eq!(track.event.event_name(), "Order Completed");
        ///
        /// let json = br#"{"userId": "u1", "event": "Gift Card Redeemed", "properties": {"amount": 50}}"#;
        /// let track: Track<EcommerceEvent> = event_core::from_json(json)?;
        /// assert!(matches!(&track.event, EcommerceEvent::Custom { name, .. } if name == "Gift Card Redeemed"));
        ///
        /// let json = br#"{"userId": "u1", "event": "Order Completed", "properties": {"total": "27.50"}}"#;
        /// let error = event_core::from_json::<Track<EcommerceEvent>>(json).unwrap_err();
        /// assert_eq!(error.event(), Some("Order Completed"));
        /// assert_eq!(error.path(), "properties.total");
        /// # Ok::<(), event_core::ParseError>(())
        /// ```
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum EcommerceEvent {
            $(
                #[doc = concat!("A [`", stringify!($variant), "`] event.")]
                $variant($variant),
            )*
            /// Any other event: its name and its properties, as they are.
            Custom {
                /// The event name.
                name: String,
                /// The event's properties.
                properties: Map<String, Value>,
            },
        }

        impl EcommerceEvent {
            /// The names of the 28 ecommerce semantic events, in the spec's order.
            pub const NAMES: &'static [&'static str] = &[$($variant::EVENT_NAME),*];

            /// The event name sent as the payload's `"event"`.
            pub fn name(&self) -> &str {
                match self {
                    $(EcommerceEvent::$variant(_) => $variant::EVENT_NAME,)*
                    EcommerceEvent::Custom { name, .. } => name,
                }
            }

            /// Whether `name` is one of the 28 ecommerce semantic events.
            pub fn is_known(name: &str) -> bool {
                Self::NAMES.contains(&name)
            }

            /// Reads the properties of the event called `name`: the typed event when the
            /// name is known, else [`Custom`](Self::Custom).
            ///
            /// # Errors
            ///
            /// When `name` is a known event and `properties` do not fit its type. The
            /// error is the deserializer's own, so that its position and path survive;
            /// [`from_json`](crate::from_json) adds the event name.
            fn read<'de, D: Deserializer<'de>>(name: &str, properties: D) -> Result<Self, D::Error> {
                $(
                    if name == $variant::EVENT_NAME {
                        return $variant::deserialize(properties).map(EcommerceEvent::$variant);
                    }
                )*
                Map::deserialize(properties).map(|properties| EcommerceEvent::Custom {
                    name: name.to_owned(),
                    properties,
                })
            }
        }

        impl Serialize for EcommerceEvent {
            /// Writes the event's properties (the payload's `"properties"` object).
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $(EcommerceEvent::$variant(event) => event.serialize(serializer),)*
                    EcommerceEvent::Custom { properties, .. } => properties.serialize(serializer),
                }
            }
        }

        impl Validate for EcommerceEvent {
            /// Validates a known event as its type does; a custom event has nothing to
            /// check (its JSON numbers are finite by construction).
            fn validate_at(&self, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
                match self {
                    $(EcommerceEvent::$variant(event) => event.validate_at(path, errors),)*
                    EcommerceEvent::Custom { .. } => {}
                }
            }

            // Validated on its own, the event reports its paths under `properties`, as
            // the catalogue structs do.
            const ROOT_FIELD: &'static str = "properties";
        }

        $(
            impl From<$variant> for EcommerceEvent {
                fn from(event: $variant) -> Self {
                    EcommerceEvent::$variant(event)
                }
            }
        )*
    };
}

catalogue!(
    ProductsSearched,
    ProductListViewed,
    ProductListFiltered,
    PromotionViewed,
    PromotionClicked,
    ProductClicked,
    ProductViewed,
    ProductAdded,
    ProductRemoved,
    CartViewed,
    CheckoutStarted,
    CheckoutStepViewed,
    CheckoutStepCompleted,
    PaymentInfoEntered,
    OrderUpdated,
    OrderCompleted,
    OrderRefunded,
    OrderCancelled,
    CouponEntered,
    CouponApplied,
    CouponDenied,
    CouponRemoved,
    ProductAddedToWishlist,
    ProductRemovedFromWishlist,
    WishlistProductAddedToCart,
    ProductShared,
    CartShared,
    ProductReviewed,
);

impl EcommerceEvent {
    /// A custom event called `name` with `properties`.
    ///
    /// A name of a known event is allowed here, and read back as that event.
    pub fn custom(name: impl Into<String>, properties: Map<String, Value>) -> Self {
        EcommerceEvent::Custom {
            name: name.into(),
            properties,
        }
    }

    /// The spec's group of a known event (`"Core Ordering"`); `None` for a custom one.
    pub fn group(&self) -> Option<&'static str> {
        match self {
            EcommerceEvent::Custom { .. } => None,
            known => crate::spec::event(known.name()).map(|spec| spec.group),
        }
    }
}

impl fmt::Display for EcommerceEvent {
    /// The event name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl TrackEvent for EcommerceEvent {
    fn event_name(&self) -> &str {
        self.name()
    }
}

impl<'de> DeserializeEvent<'de> for EcommerceEvent {
    fn deserialize_event<D: Deserializer<'de>>(
        event_name: &str,
        properties: D,
    ) -> Result<Self, D::Error> {
        EcommerceEvent::read(event_name, properties)
    }

    fn accepts_event_name(_event_name: &str) -> bool {
        true
    }

    fn expected_event_names() -> &'static str {
        "any event (an ecommerce semantic event or a custom one)"
    }

    /// A near miss of a known event (`Product List Veiwed`) or a reserved name (`User
    /// Deleted`), unless the read allows it: see [`ReadOptions`](crate::ReadOptions).
    fn refused_event_name(event_name: &str) -> Option<String> {
        crate::ReadOptions::current()
            .check_event_name(event_name)
            .err()
            .map(|error| error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_every_name_of_the_spec_once() {
        assert_eq!(EcommerceEvent::NAMES.len(), crate::spec::EVENTS.len());
        let mut names = EcommerceEvent::NAMES.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), crate::spec::EVENTS.len());
        assert!(EcommerceEvent::is_known("Order Completed"));
        assert!(!EcommerceEvent::is_known("order completed"));
    }

    #[test]
    fn each_name_reads_into_its_own_variant() {
        let empty = serde_json::json!({});
        for name in EcommerceEvent::NAMES {
            let event = EcommerceEvent::deserialize_event(name, &empty);
            let event = event.unwrap_or_else(|error| panic!("{name}: {error}"));
            assert_eq!(event.name(), *name);
            assert!(!matches!(event, EcommerceEvent::Custom { .. }), "{name}");
            assert!(event.group().is_some(), "{name}");
        }
    }

    #[test]
    fn a_wrong_type_on_a_known_event_is_an_error_not_a_custom_event() {
        let properties = serde_json::json!({"price": "18.99"});
        let error = EcommerceEvent::deserialize_event("Product Viewed", &properties);
        let message = error.expect_err("a string price").to_string();
        assert!(
            message.starts_with("invalid type: string \"18.99\", expected f64"),
            "{message}"
        );
    }

    #[test]
    fn a_custom_event_keeps_its_properties() {
        let properties = serde_json::json!({"amount": 50, "nested": {"a": [1, null]}});
        let event = EcommerceEvent::deserialize_event("Gift Card Redeemed", &properties);
        let event = event.expect("any properties fit a custom event");
        assert_eq!(event.group(), None);
        assert!(event.validate().is_ok());
        assert_eq!(serde_json::to_value(&event).ok(), Some(properties));
    }
}
