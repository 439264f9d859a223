//! The `integrations` of a call: which destinations receive the event.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// `{"All": false, "Mixpanel": true}`: which destinations receive the event.
///
/// By default (nothing set) every enabled destination does.
///
/// ```
/// use event_core::Integrations;
///
/// let only_mixpanel = Integrations::none().enable("Mixpanel");
/// let json = serde_json::to_value(&only_mixpanel).unwrap();
/// assert_eq!(json, serde_json::json!({"All": false, "Mixpanel": true}));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Integrations {
    /// `All`: the default for destinations not named.
    #[serde(rename = "All", default, skip_serializing_if = "Option::is_none")]
    pub all: Option<bool>,
    /// Per-destination switches, by destination name.
    #[serde(flatten)]
    pub destinations: BTreeMap<String, bool>,
}

impl Integrations {
    /// Every destination (`{"All": true}`).
    pub fn all() -> Self {
        Integrations {
            all: Some(true),
            destinations: BTreeMap::new(),
        }
    }

    /// No destination unless enabled by name (`{"All": false}`).
    pub fn none() -> Self {
        Integrations {
            all: Some(false),
            destinations: BTreeMap::new(),
        }
    }

    /// Sends the event to `destination`.
    #[must_use]
    pub fn enable(mut self, destination: impl Into<String>) -> Self {
        self.destinations.insert(destination.into(), true);
        self
    }

    /// Keeps the event from `destination`.
    #[must_use]
    pub fn disable(mut self, destination: impl Into<String>) -> Self {
        self.destinations.insert(destination.into(), false);
        self
    }

    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        self.all.is_none() && self.destinations.is_empty()
    }
}
