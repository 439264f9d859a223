//! The single source of truth: Customer.io's ecommerce semantic events.
//!
//! Transcribed from `shared/spec/ecommerce-events.json` (which mirrors the Segment
//! Ecommerce v2 spec). The derive checks event definitions against this table, and
//! `event_core::spec` exposes the very same table at run time through the hidden
//! `__ecommerce_events!`, `__product_properties!` and `__reserved_event_names!`
//! macros, so the two can never disagree. A test in `tests/` compares it with the
//! JSON file.

/// The JSON type the specification gives a property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    /// `string`
    String,
    /// `number`
    Number,
    /// `product[]`
    ProductArray,
    /// `filter[]`
    FilterArray,
    /// `sort[]`
    SortArray,
}

impl JsonType {
    /// The variant name of `event_core::spec::JsonType`.
    pub fn variant(self) -> &'static str {
        match self {
            JsonType::String => "String",
            JsonType::Number => "Number",
            JsonType::ProductArray => "ProductArray",
            JsonType::FilterArray => "FilterArray",
            JsonType::SortArray => "SortArray",
        }
    }

    /// The name of the `event_core::__private` assertion that a Rust type fits.
    pub fn assertion(self) -> &'static str {
        match self {
            JsonType::String => "assert_json_string",
            JsonType::Number => "assert_json_number",
            JsonType::ProductArray => "assert_product_array",
            JsonType::FilterArray => "assert_filter_array",
            JsonType::SortArray => "assert_sort_array",
        }
    }
}

/// One property: its wire name and JSON type.
#[derive(Debug, Clone, Copy)]
pub struct Property {
    /// The wire name, such as `product_id`.
    pub name: &'static str,
    /// Its JSON type.
    pub ty: JsonType,
}

/// One ecommerce semantic event.
#[derive(Debug, Clone, Copy)]
pub struct Event {
    /// The exact event name.
    pub name: &'static str,
    /// The group of the specification it belongs to.
    pub group: &'static str,
    /// Its properties (none is required by the spec).
    pub properties: &'static [Property],
}

impl Event {
    /// The property called `name`, if the event has one.
    pub fn property(&self, name: &str) -> Option<&'static Property> {
        self.properties
            .iter()
            .find(|property| property.name == name)
    }
}

/// The known event called exactly `name`.
pub fn event(name: &str) -> Option<&'static Event> {
    EVENTS.iter().find(|event| event.name == name)
}

const fn p(name: &'static str, ty: JsonType) -> Property {
    Property { name, ty }
}

use JsonType::{FilterArray, Number, ProductArray, SortArray, String};

/// The properties of one product object.
pub const PRODUCT_PROPERTIES: &[Property] = &[
    p("product_id", String),
    p("sku", String),
    p("category", String),
    p("name", String),
    p("brand", String),
    p("variant", String),
    p("price", Number),
    p("quantity", Number),
    p("coupon", String),
    p("position", Number),
    p("url", String),
    p("image_url", String),
];

/// Names Customer.io gives a meaning of its own (`User Deleted` deletes the person).
pub const RESERVED_EVENT_NAMES: &[&str] = &[
    "Device Created or Updated",
    "Device Deleted",
    "User Deleted",
    "User Suppressed",
    "User Unsuppressed",
    "Relationship Deleted",
    "Object Deleted",
    "Report Delivery Event",
];

/// The 28 ecommerce semantic events, in the specification's order.
pub const EVENTS: &[Event] = &[
    Event {
        name: "Products Searched",
        group: "Browsing",
        properties: &[p("query", String)],
    },
    Event {
        name: "Product List Viewed",
        group: "Browsing",
        properties: &[
            p("list_id", String),
            p("category", String),
            p("products", ProductArray),
        ],
    },
    Event {
        name: "Product List Filtered",
        group: "Browsing",
        properties: &[
            p("list_id", String),
            p("category", String),
            p("filters", FilterArray),
            p("sorts", SortArray),
            p("products", ProductArray),
        ],
    },
    Event {
        name: "Promotion Viewed",
        group: "Promotions",
        properties: &[
            p("promotion_id", String),
            p("creative", String),
            p("name", String),
            p("position", String),
        ],
    },
    Event {
        name: "Promotion Clicked",
        group: "Promotions",
        properties: &[
            p("promotion_id", String),
            p("creative", String),
            p("name", String),
            p("position", String),
        ],
    },
    Event {
        name: "Product Clicked",
        group: "Core Ordering",
        properties: &[
            p("product_id", String),
            p("sku", String),
            p("category", String),
            p("name", String),
            p("brand", String),
            p("variant", String),
            p("price", Number),
            p("quantity", Number),
            p("coupon", String),
            p("position", Number),
            p("url", String),
            p("image_url", String),
        ],
    },
    Event {
        name: "Product Viewed",
        group: "Core Ordering",
        properties: &[
            p("product_id", String),
            p("sku", String),
            p("category", String),
            p("name", String),
            p("brand", String),
            p("variant", String),
            p("price", Number),
            p("quantity", Number),
            p("coupon", String),
            p("currency", String),
            p("position", Number),
            p("value", Number),
            p("url", String),
            p("image_url", String),
        ],
    },
    Event {
        name: "Product Added",
        group: "Core Ordering",
        properties: &[
            p("cart_id", String),
            p("product_id", String),
            p("sku", String),
            p("category", String),
            p("name", String),
            p("brand", String),
            p("variant", String),
            p("price", Number),
            p("quantity", Number),
            p("coupon", String),
            p("position", Number),
            p("url", String),
            p("image_url", String),
        ],
    },
    Event {
        name: "Product Removed",
        group: "Core Ordering",
        properties: &[
            p("cart_id", String),
            p("product_id", String),
            p("sku", String),
            p("category", String),
            p("name", String),
            p("brand", String),
            p("variant", String),
            p("price", Number),
            p("quantity", Number),
            p("coupon", String),
            p("position", Number),
            p("url", String),
            p("image_url", String),
        ],
    },
    Event {
        name: "Cart Viewed",
        group: "Core Ordering",
        properties: &[p("cart_id", String), p("products", ProductArray)],
    },
    Event {
        name: "Checkout Started",
        group: "Core Ordering",
        properties: &[
            p("order_id", String),
            p("affiliation", String),
            p("value", Number),
            p("revenue", Number),
            p("shipping", Number),
            p("tax", Number),
            p("discount", Number),
            p("coupon", String),
            p("currency", String),
            p("products", ProductArray),
        ],
    },
    Event {
        name: "Checkout Step Viewed",
        group: "Core Ordering",
        properties: &[
            p("checkout_id", String),
            p("step", Number),
            p("shipping_method", String),
            p("payment_method", String),
        ],
    },
    Event {
        name: "Checkout Step Completed",
        group: "Core Ordering",
        properties: &[
            p("checkout_id", String),
            p("step", Number),
            p("shipping_method", String),
            p("payment_method", String),
        ],
    },
    Event {
        name: "Payment Info Entered",
        group: "Core Ordering",
        properties: &[
            p("checkout_id", String),
            p("order_id", String),
            p("step", Number),
            p("shipping_method", String),
            p("payment_method", String),
        ],
    },
    Event {
        name: "Order Updated",
        group: "Core Ordering",
        properties: &[
            p("order_id", String),
            p("affiliation", String),
            p("total", Number),
            p("revenue", Number),
            p("shipping", Number),
            p("tax", Number),
            p("discount", Number),
            p("coupon", String),
            p("currency", String),
            p("products", ProductArray),
        ],
    },
    Event {
        name: "Order Completed",
        group: "Core Ordering",
        properties: &[
            p("checkout_id", String),
            p("order_id", String),
            p("affiliation", String),
            p("subtotal", Number),
            p("total", Number),
            p("revenue", Number),
            p("shipping", Number),
            p("tax", Number),
            p("discount", Number),
            p("coupon", String),
            p("currency", String),
            p("products", ProductArray),
        ],
    },
    Event {
        name: "Order Refunded",
        group: "Core Ordering",
        properties: &[
            p("order_id", String),
            p("total", Number),
            p("currency", String),
            p("products", ProductArray),
        ],
    },
    Event {
        name: "Order Cancelled",
        group: "Core Ordering",
        properties: &[
            p("order_id", String),
            p("affiliation", String),
            p("total", Number),
            p("revenue", Number),
            p("shipping", Number),
            p("tax", Number),
            p("discount", Number),
            p("coupon", String),
            p("currency", String),
            p("products", ProductArray),
        ],
    },
    Event {
        name: "Coupon Entered",
        group: "Coupons",
        properties: &[
            p("order_id", String),
            p("cart_id", String),
            p("coupon_id", String),
        ],
    },
    Event {
        name: "Coupon Applied",
        group: "Coupons",
        properties: &[
            p("order_id", String),
            p("cart_id", String),
            p("coupon_id", String),
            p("coupon_name", String),
            p("discount", Number),
        ],
    },
    Event {
        name: "Coupon Denied",
        group: "Coupons",
        properties: &[
            p("order_id", String),
            p("cart_id", String),
            p("coupon_id", String),
            p("coupon_name", String),
            p("reason", String),
        ],
    },
    Event {
        name: "Coupon Removed",
        group: "Coupons",
        properties: &[
            p("order_id", String),
            p("cart_id", String),
            p("coupon_id", String),
            p("coupon_name", String),
            p("discount", Number),
        ],
    },
    Event {
        name: "Product Added to Wishlist",
        group: "Wishlisting",
        properties: &[
            p("wishlist_id", String),
            p("wishlist_name", String),
            p("product_id", String),
            p("sku", String),
            p("category", String),
            p("name", String),
            p("brand", String),
            p("variant", String),
            p("price", Number),
            p("quantity", Number),
            p("coupon", String),
            p("position", Number),
            p("url", String),
            p("image_url", String),
        ],
    },
    Event {
        name: "Product Removed from Wishlist",
        group: "Wishlisting",
        properties: &[
            p("wishlist_id", String),
            p("wishlist_name", String),
            p("product_id", String),
            p("sku", String),
            p("category", String),
            p("name", String),
            p("brand", String),
            p("variant", String),
            p("price", Number),
            p("quantity", Number),
            p("coupon", String),
            p("position", Number),
            p("url", String),
            p("image_url", String),
        ],
    },
    Event {
        name: "Wishlist Product Added to Cart",
        group: "Wishlisting",
        properties: &[
            p("wishlist_id", String),
            p("wishlist_name", String),
            p("cart_id", String),
            p("product_id", String),
            p("sku", String),
            p("category", String),
            p("name", String),
            p("brand", String),
            p("variant", String),
            p("price", Number),
            p("quantity", Number),
            p("coupon", String),
            p("position", Number),
            p("url", String),
            p("image_url", String),
        ],
    },
    Event {
        name: "Product Shared",
        group: "Sharing",
        properties: &[
            p("share_via", String),
            p("share_message", String),
            p("recipient", String),
            p("product_id", String),
            p("sku", String),
            p("category", String),
            p("name", String),
            p("brand", String),
            p("variant", String),
            p("price", Number),
            p("url", String),
            p("image_url", String),
        ],
    },
    Event {
        name: "Cart Shared",
        group: "Sharing",
        properties: &[
            p("share_via", String),
            p("share_message", String),
            p("recipient", String),
            p("cart_id", String),
            p("products", ProductArray),
        ],
    },
    Event {
        name: "Product Reviewed",
        group: "Reviewing",
        properties: &[
            p("product_id", String),
            p("review_id", String),
            p("review_body", String),
            p("rating", String),
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_shape() {
        assert_eq!(EVENTS.len(), 28);
        assert_eq!(PRODUCT_PROPERTIES.len(), 12);
        assert_eq!(RESERVED_EVENT_NAMES.len(), 8);
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
        assert_eq!(
            event("Product Reviewed")
                .and_then(|e| e.property("rating"))
                .map(|p| p.ty),
            Some(JsonType::String)
        );
        assert_eq!(
            event("Promotion Viewed")
                .and_then(|e| e.property("position"))
                .map(|p| p.ty),
            Some(JsonType::String)
        );
        assert_eq!(
            event("Product Clicked")
                .and_then(|e| e.property("position"))
                .map(|p| p.ty),
            Some(JsonType::Number)
        );
    }
}
