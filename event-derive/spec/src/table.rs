//! The tables themselves, transcribed from `ecommerce-events.json` and
//! `reserved-traits.json` beside this crate.

use crate::JsonType::{self, FilterArray, Number, ProductArray, SortArray, String};
use crate::{EventSpec, PropertySpec, TraitSpec, TraitType};

const fn t(name: &'static str, json_type: TraitType) -> TraitSpec {
    TraitSpec { name, json_type }
}

/// The reserved traits of a person, sent in an identify call's `traits`: the Segment
/// Spec's, which Customer.io's Data Pipelines follows, then the reserved attributes
/// Customer.io gives a person (`created_at` is a Unix timestamp in seconds there,
/// `createdAt` an ISO-8601 date in the Segment Spec: both are reserved).
pub const PERSON_TRAITS: &[TraitSpec] = &[
    t("address", TraitType::Object),
    t("age", TraitType::Number),
    t("avatar", TraitType::String),
    t("birthday", TraitType::Date),
    t("company", TraitType::Object),
    t("createdAt", TraitType::Date),
    t("description", TraitType::String),
    t("email", TraitType::String),
    t("firstName", TraitType::String),
    t("gender", TraitType::String),
    t("id", TraitType::String),
    t("lastName", TraitType::String),
    t("name", TraitType::String),
    t("phone", TraitType::String),
    t("title", TraitType::String),
    t("username", TraitType::String),
    t("website", TraitType::String),
    t("anonymous_id", TraitType::String),
    t("created_at", TraitType::Integer),
    t("unsubscribed", TraitType::Boolean),
    t("cio_subscription_preferences", TraitType::Object),
];

/// The reserved traits of a group, sent in a group call's `traits` (Segment Spec).
pub const GROUP_TRAITS: &[TraitSpec] = &[
    t("address", TraitType::Object),
    t("avatar", TraitType::String),
    t("createdAt", TraitType::Date),
    t("description", TraitType::String),
    t("email", TraitType::String),
    t("employees", TraitType::Number),
    t("id", TraitType::String),
    t("industry", TraitType::String),
    t("name", TraitType::String),
    t("phone", TraitType::String),
    t("plan", TraitType::String),
    t("website", TraitType::String),
];

const fn p(name: &'static str, json_type: JsonType) -> PropertySpec {
    PropertySpec { name, json_type }
}

/// The properties of one product object (`products[]` items and product events).
pub const PRODUCT_PROPERTIES: &[PropertySpec] = &[
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

/// The properties of one filter object (`filters[]` items): `{"type": .., "value": ..}`.
pub const FILTER_PROPERTIES: &[PropertySpec] = &[p("type", String), p("value", String)];

/// The properties of one sort object (`sorts[]` items): `{"type": .., "value": ..}`.
pub const SORT_PROPERTIES: &[PropertySpec] = &[p("type", String), p("value", String)];

/// Event names Customer.io gives a meaning of its own: `User Deleted` deletes the
/// person. The derive refuses them unless the struct says `custom`.
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

/// The ecommerce semantic events, in the specification's order.
pub const EVENTS: &[EventSpec] = &[
    EventSpec {
        name: "Products Searched",
        group: "Browsing",
        properties: &[p("query", String)],
    },
    EventSpec {
        name: "Product List Viewed",
        group: "Browsing",
        properties: &[
            p("list_id", String),
            p("category", String),
            p("products", ProductArray),
        ],
    },
    EventSpec {
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
    EventSpec {
        name: "Promotion Viewed",
        group: "Promotions",
        properties: &[
            p("promotion_id", String),
            p("creative", String),
            p("name", String),
            p("position", String),
        ],
    },
    EventSpec {
        name: "Promotion Clicked",
        group: "Promotions",
        properties: &[
            p("promotion_id", String),
            p("creative", String),
            p("name", String),
            p("position", String),
        ],
    },
    EventSpec {
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
    EventSpec {
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
    EventSpec {
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
    EventSpec {
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
    EventSpec {
        name: "Cart Viewed",
        group: "Core Ordering",
        properties: &[p("cart_id", String), p("products", ProductArray)],
    },
    EventSpec {
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
    EventSpec {
        name: "Checkout Step Viewed",
        group: "Core Ordering",
        properties: &[
            p("checkout_id", String),
            p("step", Number),
            p("shipping_method", String),
            p("payment_method", String),
        ],
    },
    EventSpec {
        name: "Checkout Step Completed",
        group: "Core Ordering",
        properties: &[
            p("checkout_id", String),
            p("step", Number),
            p("shipping_method", String),
            p("payment_method", String),
        ],
    },
    EventSpec {
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
    EventSpec {
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
    EventSpec {
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
    EventSpec {
        name: "Order Refunded",
        group: "Core Ordering",
        properties: &[
            p("order_id", String),
            p("total", Number),
            p("currency", String),
            p("products", ProductArray),
        ],
    },
    EventSpec {
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
    EventSpec {
        name: "Coupon Entered",
        group: "Coupons",
        properties: &[
            p("order_id", String),
            p("cart_id", String),
            p("coupon_id", String),
        ],
    },
    EventSpec {
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
    EventSpec {
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
    EventSpec {
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
    EventSpec {
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
    EventSpec {
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
    EventSpec {
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
    EventSpec {
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
    EventSpec {
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
    EventSpec {
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
