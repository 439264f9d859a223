//! Core ordering: from a product click to a completed, refunded or cancelled order.
//!
//! Every property is optional, as in the spec; see the [module docs](super) for the
//! conventions shared by all events.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Product;
use super::number;
use super::product_event::product_event;
use crate::SemanticEvent;

product_event! {
    /// `Product Clicked`: a visitor clicked a product, in a list or in search results.
    ///
    /// ```
    /// use event_core::Validate;
    /// use event_core::ecommerce::{Product, ProductClicked};
    ///
    /// let event = ProductClicked {
    ///     position: Some(3.0),
    ///     ..ProductClicked::new(Product::new("507f1f77bcf86cd799439011", "Monopoly: 3rd Edition", 18.99))
    /// };
    /// assert!(event.validate().is_ok());
    /// assert_eq!(serde_json::to_value(&event)?["position"], 3); // integral numbers are written as integers
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, SemanticEvent)]
    #[semantic_event(name = "Product Clicked")]
    pub struct ProductClicked {
        product_id, sku, category, name, brand, variant, price, quantity, coupon, position, url,
        image_url,
    }
    /// The event about `product`; the same as `From<Product>`.
    pub fn new();
}

product_event! {
    /// `Product Viewed`: a visitor viewed a product's details.
    ///
    /// `value` is the product's price with discounts and coupons added in.
    ///
    /// ```
    /// use event_core::Validate;
    /// use event_core::ecommerce::{Product, ProductViewed};
    ///
    /// let event = ProductViewed {
    ///     currency: Some("USD".into()),
    ///     value: Some(18.99),
    ///     ..ProductViewed::new(Product::new("507f1f77bcf86cd799439011", "Monopoly: 3rd Edition", 18.99))
    /// };
    /// assert!(event.validate().is_ok());
    ///
    /// let wrong = ProductViewed { currency: Some("dollars".into()), ..event };
    /// assert_eq!(wrong.validate().unwrap_err().iter().next().map(|e| e.code().as_str()), Some("currency"));
    /// ```
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, SemanticEvent)]
    #[semantic_event(name = "Product Viewed")]
    pub struct ProductViewed {
        product_id, sku, category, name, brand, variant,
        /// The price of one unit, in [`currency`](Self::currency) units when the event has one.
        price,
        quantity, coupon,
        /// The ISO-4217 currency code of the money fields, such as `"USD"`; validated.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[semantic_event(currency)]
        pub currency: Option<String>,
        position,
        /// The value of the product: its price with discounts and coupons added in.
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            serialize_with = "number::option"
        )]
        pub value: Option<f64>,
        url, image_url,
    }
    /// The event about `product`; the same as `From<Product>`.
    pub fn new();
}

product_event! {
    /// `Product Added`: a visitor added a product to their cart.
    ///
    /// ```
    /// use event_core::Validate;
    /// use event_core::ecommerce::{Product, ProductAdded};
    ///
    /// let event = ProductAdded {
    ///     quantity: Some(1.5), // fractional quantities are kept: 1.5 kg of coffee
    ///     ..ProductAdded::new("skdjsidjsdkdj29j", Product::new("coffee-1kg", "House Blend", 12.5))
    /// };
    /// assert!(event.validate().is_ok());
    /// assert_eq!(serde_json::to_value(&event)?["quantity"], 1.5);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, SemanticEvent)]
    #[semantic_event(name = "Product Added")]
    pub struct ProductAdded {
        /// The id of the cart.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub cart_id: Option<String>,
        product_id, sku, category, name, brand, variant, price, quantity, coupon, position, url,
        image_url,
    }
    /// The event about `product`, in cart `cart_id`.
    pub fn new(cart_id);
}

product_event! {
    /// `Product Removed`: a visitor removed a product from their cart.
    ///
    /// ```
    /// use event_core::Validate;
    /// use event_core::ecommerce::{Product, ProductRemoved};
    ///
    /// let event = ProductRemoved::new("skdjsidjsdkdj29j", Product::new("507f1f77bcf86cd799439011", "Monopoly: 3rd Edition", 18.99));
    /// assert!(event.validate().is_ok());
    /// assert_eq!(event.cart_id.as_deref(), Some("skdjsidjsdkdj29j"));
    /// ```
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, SemanticEvent)]
    #[semantic_event(name = "Product Removed")]
    pub struct ProductRemoved {
        /// The id of the cart.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub cart_id: Option<String>,
        product_id, sku, category, name, brand, variant, price, quantity, coupon, position, url,
        image_url,
    }
    /// The event about `product`, in cart `cart_id`.
    pub fn new(cart_id);
}

/// `Cart Viewed`: a visitor viewed their cart.
///
/// ```
/// use event_core::Validate;
/// use event_core::ecommerce::{CartViewed, Product};
///
/// let event = CartViewed::new("skdjsidjsdkdj29j", vec![
///     Product { quantity: Some(2.0), ..Product::new("507f1f77bcf86cd799439011", "Monopoly: 3rd Edition", 19) },
///     Product::new("505bd76785ebb509fc183733", "Uno Card Game", 3),
/// ]);
/// assert!(event.validate().is_ok());
/// assert_eq!(serde_json::to_value(&event)?["products"][0]["quantity"], 2);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, SemanticEvent)]
#[semantic_event(name = "Cart Viewed")]
pub struct CartViewed {
    /// The id of the cart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cart_id: Option<String>,
    /// The products in the cart. `None` is left out of the JSON; `Some(vec![])` is sent as `[]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub products: Option<Vec<Product>>,
    /// Additional properties beyond the spec, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CartViewed {
    /// The cart `cart_id`, holding `products`.
    pub fn new(cart_id: impl Into<String>, products: Vec<Product>) -> Self {
        CartViewed {
            cart_id: Some(cart_id.into()),
            products: Some(products),
            ..Self::default()
        }
    }
}

/// `Checkout Started`: a user began the checkout.
///
/// `revenue` includes discounts and excludes shipping and tax; `value` is revenue with
/// discounts and coupons added in.
///
/// ```
/// use event_core::Validate;
/// use event_core::ecommerce::{CheckoutStarted, Product};
///
/// let event = CheckoutStarted {
///     value: Some(30.0),
///     revenue: Some(25.0),
///     shipping: Some(3.0),
///     tax: Some(2.0),
///     discount: Some(2.5),
///     coupon: Some("hasbros".into()),
///     ..CheckoutStarted::new("50314b8e9bcf000000000000", "USD", vec![Product::new("507f1f77bcf86cd799439011", "Monopoly: 3rd Edition", 19)])
/// };
/// assert!(event.validate().is_ok());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, SemanticEvent)]
#[semantic_event(name = "Checkout Started")]
pub struct CheckoutStarted {
    /// The id of the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// The store or affiliation the order came from, such as `"Google Store"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    /// The value of the order: revenue with discounts and coupons added in.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number::option"
    )]
    pub value: Option<f64>,
    /// The revenue: includes discounts, excludes shipping and tax.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number::option"
    )]
    pub revenue: Option<f64>,
    /// The shipping cost.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number::option"
    )]
    pub shipping: Option<f64>,
    /// The total tax.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number::option"
    )]
    pub tax: Option<f64>,
    /// The total discount.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number::option"
    )]
    pub discount: Option<f64>,
    /// The coupon code redeemed with the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coupon: Option<String>,
    /// The ISO-4217 currency code of the money fields, such as `"USD"`; validated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[semantic_event(currency)]
    pub currency: Option<String>,
    /// The products in the order. `None` is left out of the JSON; `Some(vec![])` is sent as `[]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub products: Option<Vec<Product>>,
    /// Additional properties beyond the spec, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CheckoutStarted {
    /// The order `order_id` in `currency`, holding `products`; set the money fields by struct update.
    pub fn new(
        order_id: impl Into<String>,
        currency: impl Into<String>,
        products: Vec<Product>,
    ) -> Self {
        CheckoutStarted {
            order_id: Some(order_id.into()),
            currency: Some(currency.into()),
            products: Some(products),
            ..Self::default()
        }
    }
}

/// `Checkout Step Viewed`: a user viewed a step of the checkout.
///
/// ```
/// use event_core::Validate;
/// use event_core::ecommerce::CheckoutStepViewed;
///
/// let event = CheckoutStepViewed {
///     shipping_method: Some("Fedex".into()),
///     ..CheckoutStepViewed::new("50314b8e9bcf000000000000", 2)
/// };
/// assert!(event.validate().is_ok());
/// assert_eq!(serde_json::to_value(&event)?["step"], 2);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, SemanticEvent)]
#[semantic_event(name = "Checkout Step Viewed")]
pub struct CheckoutStepViewed {
    /// The id of the checkout session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkout_id: Option<String>,
    /// The number of the checkout step.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number::option"
    )]
    pub step: Option<f64>,
    /// The shipping method chosen, such as `"FedEx"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_method: Option<String>,
    /// The payment method chosen, such as `"Visa"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method: Option<String>,
    /// Additional properties beyond the spec, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CheckoutStepViewed {
    /// Step `step` of the checkout `checkout_id`.
    pub fn new(checkout_id: impl Into<String>, step: impl Into<f64>) -> Self {
        CheckoutStepViewed {
            checkout_id: Some(checkout_id.into()),
            step: Some(step.into()),
            ..Self::default()
        }
    }
}

/// `Checkout Step Completed`: a user completed a step of the checkout.
///
/// ```
/// use event_core::Validate;
/// use event_core::ecommerce::CheckoutStepCompleted;
///
/// let event = CheckoutStepCompleted {
///     shipping_method: Some("Fedex".into()),
///     ..CheckoutStepCompleted::new("50314b8e9bcf000000000000", 2)
/// };
/// assert!(event.validate().is_ok());
/// assert_eq!(serde_json::to_value(&event)?["step"], 2);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, SemanticEvent)]
#[semantic_event(name = "Checkout Step Completed")]
pub struct CheckoutStepCompleted {
    /// The id of the checkout session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkout_id: Option<String>,
    /// The number of the checkout step.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number::option"
    )]
    pub step: Option<f64>,
    /// The shipping method chosen, such as `"FedEx"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_method: Option<String>,
    /// The payment method chosen, such as `"Visa"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method: Option<String>,
    /// Additional properties beyond the spec, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CheckoutStepCompleted {
    /// Step `step` of the checkout `checkout_id`.
    pub fn new(checkout_id: impl Into<String>, step: impl Into<f64>) -> Self {
        CheckoutStepCompleted {
            checkout_id: Some(checkout_id.into()),
            step: Some(step.into()),
            ..Self::default()
        }
    }
}

/// `Payment Info Entered`: a user entered their payment information.
///
/// ```
/// use event_core::Validate;
/// use event_core::ecommerce::PaymentInfoEntered;
///
/// let event = PaymentInfoEntered {
///     order_id: Some("50314b8e9bcf000000000000".into()),
///     step: Some(4.0),
///     ..PaymentInfoEntered::new("39f39fj39f3jf93fj9fj39fj3f", "Visa")
/// };
/// assert!(event.validate().is_ok());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, SemanticEvent)]
#[semantic_event(name = "Payment Info Entered")]
pub struct PaymentInfoEntered {
    /// The id of the checkout session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkout_id: Option<String>,
    /// The id of the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// The number of the checkout step.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number::option"
    )]
    pub step: Option<f64>,
    /// The shipping method chosen, such as `"FedEx"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_method: Option<String>,
    /// The payment method chosen, such as `"Visa"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method: Option<String>,
    /// Additional properties beyond the spec, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl PaymentInfoEntered {
    /// Payment with `payment_method` in the checkout `checkout_id`.
    pub fn new(checkout_id: impl Into<String>, payment_method: impl Into<String>) -> Self {
        PaymentInfoEntered {
            checkout_id: Some(checkout_id.into()),
            payment_method: Some(payment_method.into()),
            ..Self::default()
        }
    }
}

/// `Order Updated`: an order changed after it was placed.
///
/// ```
/// use event_core::Validate;
/// use event_core::ecommerce::{OrderUpdated, Product};
///
/// let event = OrderUpdated {
///     total: Some(27.5),
///     revenue: Some(25.0),
///     ..OrderUpdated::new("50314b8e9bcf000000000000", "USD", vec![Product::new("507f1f77bcf86cd799439011", "Monopoly: 3rd Edition", 19)])
/// };
/// assert!(event.validate().is_ok());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, SemanticEvent)]
#[semantic_event(name = "Order Updated")]
pub struct OrderUpdated {
    /// The id of the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// The store or affiliation the order came from, such as `"Google Store"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    /// The total: revenue with shipping and tax added, less discounts.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number::option"
    )]
    pub total: Option<f64>,
    /// The revenue: includes discounts, excludes shipping and tax.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number::option"
    )]
    pub revenue: Option<f64>,
    /// The shipping cost.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number::option"
    )]
    pub shipping: Option<f64>,
    /// The total tax.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number::option"
    )]
    pub tax: Option<f64>,
    /// The total discount.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number::option"
    )]
    pub discount: Option<f64>,
    /// The coupon code redeemed with the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coupon: Option<String>,
    /// The ISO-4217 currency code of the money fields, such as `"USD"`; validated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[semantic_event(currency)]
    pub currency: Option<String>,
    /// The products in the order. `None` is left out of the JSON; `Some(vec![])` is sent as `[]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub products: Option<Vec<Product>>,
    /// Additional properties beyond the spec, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl OrderUpdated {
    /// The order `order_id` in `currency`, holding `products`; set the money fields by struct update.
    pub fn new(
        order_id: impl Into<String>,
        currency: impl Into<String>,
        products: Vec<Product>,
    ) -> Self {
        OrderUpdated {
            order_id: Some(order_id.into()),
            currency: Some(currency.into()),
            products: Some(products),
            ..Self::default()
        }
    }
}

/// `Order Completed`: an order was completed: the purchase. Most destinations take revenue from this event.
///
/// `subtotal` is after discounts and before tax and shipping; `total` adds shipping and
/// tax; `revenue` includes discounts but excludes shipping and tax.
///
/// ```
/// use event_core::Validate;
/// use event_core::ecommerce::{OrderCompleted, Product};
///
/// let event = OrderCompleted {
///     checkout_id: Some("fksdjfsdjfisjf9sdfjsd9f".into()),
///     subtotal: Some(22.5),
///     total: Some(27.5),
///     revenue: Some(25.0),
///     shipping: Some(3.0),
///     tax: Some(2.0),
///     discount: Some(2.5),
///     ..OrderCompleted::new("50314b8e9bcf000000000000", "USD", vec![Product::new("507f1f77bcf86cd799439011", "Monopoly: 3rd Edition", 19)])
/// };
/// assert!(event.validate().is_ok());
///
/// let nan = OrderCompleted { total: Some(f64::NAN), ..event };
/// assert_eq!(nan.validate().unwrap_err().to_string(), "properties.total: must be a finite number");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, SemanticEvent)]
#[semantic_event(name = "Order Completed")]
pub struct OrderCompleted {
    /// The id of the checkout session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkout_id: Option<String>,
    /// The id of the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// The store or affiliation the order came from, such as `"Google Store"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    /// The subtotal: after discounts, before tax and shipping.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number::option"
    )]
    pub subtotal: Option<f64>,
    /// The total: revenue with shipping and tax added, less discounts.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number::option"
    )]
    pub total: Option<f64>,
    /// The revenue: includes discounts, excludes shipping and tax.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number::option"
    )]
    pub revenue: Option<f64>,
    /// The shipping cost.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number::option"
    )]
    pub shipping: Option<f64>,
    /// The total tax.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number::option"
    )]
    pub tax: Option<f64>,
    /// The total discount.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number::option"
    )]
    pub discount: Option<f64>,
    /// The coupon code redeemed with the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coupon: Option<String>,
    /// The ISO-4217 currency code of the money fields, such as `"USD"`; validated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[semantic_event(currency)]
    pub currency: Option<String>,
    /// The products in the order. `None` is left out of the JSON; `Some(vec![])` is sent as `[]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub products: Option<Vec<Product>>,
    /// Additional properties beyond the spec, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl OrderCompleted {
    /// The order `order_id` in `currency`, holding `products`; set the money fields by struct update.
    pub fn new(
        order_id: impl Into<String>,
        currency: impl Into<String>,
        products: Vec<Product>,
    ) -> Self {
        OrderCompleted {
            order_id: Some(order_id.into()),
            currency: Some(currency.into()),
            products: Some(products),
            ..Self::default()
        }
    }
}

/// `Order Refunded`: an order was refunded, fully or in part.
///
/// The spec's property table names only `order_id`; its reference example also sends
/// `total`, `currency` and `products`, so they are here too.
///
/// ```
/// use event_core::Validate;
/// use event_core::ecommerce::{OrderRefunded, Product};
///
/// // A full refund names the order only; a partial one lists the refunded products.
/// let full = OrderRefunded::new("50314b8e9bcf000000000000");
/// assert_eq!(serde_json::to_value(&full)?, serde_json::json!({"order_id": "50314b8e9bcf000000000000"}));
///
/// let partial = OrderRefunded {
///     total: Some(19.0),
///     currency: Some("USD".into()),
///     products: Some(vec![Product::new("507f1f77bcf86cd799439011", "Monopoly: 3rd Edition", 19)]),
///     ..OrderRefunded::new("50314b8e9bcf000000000000")
/// };
/// assert!(partial.validate().is_ok());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, SemanticEvent)]
#[semantic_event(name = "Order Refunded")]
pub struct OrderRefunded {
    /// The id of the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// The total: revenue with shipping and tax added, less discounts.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number::option"
    )]
    pub total: Option<f64>,
    /// The ISO-4217 currency code of the money fields, such as `"USD"`; validated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[semantic_event(currency)]
    pub currency: Option<String>,
    /// The products refunded; left out for a full refund. `None` is left out of the JSON; `Some(vec![])` is sent as `[]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub products: Option<Vec<Product>>,
    /// Additional properties beyond the spec, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl OrderRefunded {
    /// A refund of the order `order_id`.
    pub fn new(order_id: impl Into<String>) -> Self {
        OrderRefunded {
            order_id: Some(order_id.into()),
            ..Self::default()
        }
    }
}

/// `Order Cancelled`: an order was cancelled.
///
/// ```
/// use event_core::Validate;
/// use event_core::ecommerce::{OrderCancelled, Product};
///
/// let event = OrderCancelled {
///     total: Some(27.5),
///     affiliation: Some("Google Store".into()),
///     ..OrderCancelled::new("50314b8e9bcf000000000000", "USD", vec![Product::new("507f1f77bcf86cd799439011", "Monopoly: 3rd Edition", 19)])
/// };
/// assert!(event.validate().is_ok());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, SemanticEvent)]
#[semantic_event(name = "Order Cancelled")]
pub struct OrderCancelled {
    /// The id of the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// The store or affiliation the order came from, such as `"Google Store"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    /// The total: revenue with shipping and tax added, less discounts.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number::option"
    )]
    pub total: Option<f64>,
    /// The revenue: includes discounts, excludes shipping and tax.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number::option"
    )]
    pub revenue: Option<f64>,
    /// The shipping cost.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number::option"
    )]
    pub shipping: Option<f64>,
    /// The total tax.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number::option"
    )]
    pub tax: Option<f64>,
    /// The total discount.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "number::option"
    )]
    pub discount: Option<f64>,
    /// The coupon code redeemed with the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coupon: Option<String>,
    /// The ISO-4217 currency code of the money fields, such as `"USD"`; validated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[semantic_event(currency)]
    pub currency: Option<String>,
    /// The products in the order. `None` is left out of the JSON; `Some(vec![])` is sent as `[]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub products: Option<Vec<Product>>,
    /// Additional properties beyond the spec, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl OrderCancelled {
    /// The order `order_id` in `currency`, holding `products`; set the money fields by struct update.
    pub fn new(
        order_id: impl Into<String>,
        currency: impl Into<String>,
        products: Vec<Product>,
    ) -> Self {
        OrderCancelled {
            order_id: Some(order_id.into()),
            currency: Some(currency.into()),
            products: Some(products),
            ..Self::default()
        }
    }
}
