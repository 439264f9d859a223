//! Browsing: searching, listing and filtering products.
//!
//! Every property is optional, as in the spec; see the [module docs](super) for the
//! conventions shared by all events.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Filter, Product, Sort};
use crate::SemanticEvent;

/// `Products Searched`: a visitor searched for products.
///
/// Customer.io types `query` as a string (the Segment spec also allows an object; send
/// an object through [`EcommerceEvent::Custom`](super::EcommerceEvent::Custom) if you must).
///
/// ```
/// use event_core::Validate;
/// use event_core::ecommerce::ProductsSearched;
///
/// let event = ProductsSearched::new("blue hotpants");
/// assert!(event.validate().is_ok());
/// assert_eq!(serde_json::to_value(&event)?, serde_json::json!({"query": "blue hotpants"}));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, SemanticEvent)]
#[semantic_event(name = "Products Searched")]
pub struct ProductsSearched {
    /// What the visitor searched for, such as `"blue hotpants"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// Additional properties beyond the spec, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ProductsSearched {
    /// A search for `query`.
    pub fn new(query: impl Into<String>) -> Self {
        ProductsSearched {
            query: Some(query.into()),
            ..Self::default()
        }
    }
}

/// `Product List Viewed`: a visitor viewed a product list or category.
///
/// ```
/// use event_core::Validate;
/// use event_core::ecommerce::{Product, ProductListViewed};
///
/// let event = ProductListViewed {
///     category: Some("Deals".into()),
///     ..ProductListViewed::new("hot_deals_1", vec![Product::new("507f1f77bcf86cd799439011", "Monopoly: 3rd Edition", 19)])
/// };
/// assert!(event.validate().is_ok());
/// let json = serde_json::to_value(&event)?;
/// assert_eq!(json["products"][0]["price"], 19);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, SemanticEvent)]
#[semantic_event(name = "Product List Viewed")]
pub struct ProductListViewed {
    /// The id of the product list, such as `"hot_deals_1"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_id: Option<String>,
    /// The category of the list, such as `"Deals"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The products shown in the list. `None` is left out of the JSON; `Some(vec![])` is sent as `[]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub products: Option<Vec<Product>>,
    /// Additional properties beyond the spec, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ProductListViewed {
    /// The list `list_id`, showing `products`.
    pub fn new(list_id: impl Into<String>, products: Vec<Product>) -> Self {
        ProductListViewed {
            list_id: Some(list_id.into()),
            products: Some(products),
            ..Self::default()
        }
    }
}

/// `Product List Filtered`: a visitor filtered or sorted a product list or category.
///
/// ```
/// use event_core::Validate;
/// use event_core::ecommerce::{Filter, ProductListFiltered, Sort};
///
/// let event = ProductListFiltered::new(
///     "todays_deals_may_11_2019",
///     vec![Filter::new("department", "beauty"), Filter::new("price", "under-$25")],
///     vec![Sort::new("price", "desc")],
/// );
/// assert!(event.validate().is_ok());
/// let json = serde_json::to_value(&event)?;
/// assert_eq!(json["filters"][1], serde_json::json!({"type": "price", "value": "under-$25"}));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, SemanticEvent)]
#[semantic_event(name = "Product List Filtered")]
pub struct ProductListFiltered {
    /// The id of the product list, such as `"hot_deals_1"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_id: Option<String>,
    /// The category of the list, such as `"Deals"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The filters applied to the list, each a `type` and a `value`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<Vec<Filter>>,
    /// The sorts applied to the list, each a `type` and a `value` (`"desc"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sorts: Option<Vec<Sort>>,
    /// The products shown after filtering. `None` is left out of the JSON; `Some(vec![])` is sent as `[]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub products: Option<Vec<Product>>,
    /// Additional properties beyond the spec, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ProductListFiltered {
    /// The list `list_id`, filtered by `filters` and sorted by `sorts`.
    pub fn new(list_id: impl Into<String>, filters: Vec<Filter>, sorts: Vec<Sort>) -> Self {
        ProductListFiltered {
            list_id: Some(list_id.into()),
            filters: Some(filters),
            sorts: Some(sorts),
            ..Self::default()
        }
    }
}
