//! The body of a batch call: `{"batch": [...], "sentAt": "..."}`.

use serde::{Deserialize, Serialize};

use crate::timestamp::Timestamp;

/// The body of `POST /v1/batch`: several calls and the time the request was sent.
///
/// Every item carries its own `"type"`, since the endpoint cannot imply it; a
/// [`Track`](crate::Track) always writes `"type": "track"`, so `Batch<Track<E>>` is a
/// valid body. `sentAt` is set when the request is sent ([`Batch::new`] uses the current
/// time); the server uses it to correct the clock skew of the items' timestamps.
///
/// The API takes at most 500 KB per batch and 32 KB per item; keeping under those
/// limits is the sender's job (the client splits batches).
///
/// ```
/// use event_core::batch::Batch;
/// use event_core::ecommerce::{CouponEntered, EcommerceEvent, ProductsSearched};
/// use event_core::{Identity, Timestamp, Track};
///
/// let user = Identity::user("user_12345")?;
/// let sent_at: Timestamp = "2024-01-15T10:30:05.000Z".parse()?;
/// let batch = Batch::with_sent_at(
///     vec![
///         Track::new(user.clone(), EcommerceEvent::from(ProductsSearched::new("shoes"))),
///         Track::new(user, EcommerceEvent::from(CouponEntered::new("NEWUSER20"))),
///     ],
///     sent_at,
/// );
/// let json = serde_json::to_value(&batch)?;
/// assert_eq!(json["sentAt"], "2024-01-15T10:30:05.000Z");
/// assert_eq!(json["batch"][0]["type"], "track");
/// assert_eq!(json["batch"][1]["event"], "Coupon Entered");
///
/// let read: Batch<Track<EcommerceEvent>> = event_core::from_json(&serde_json::to_vec(&json)?)?;
/// assert_eq!(read, batch);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Batch<T> {
    /// The calls, each with its own `"type"`.
    pub batch: Vec<T>,
    /// When the request was sent (`sentAt`).
    #[serde(rename = "sentAt")]
    pub sent_at: Timestamp,
}

impl<T> Batch<T> {
    /// A batch of `items`, sent now.
    pub fn new(items: Vec<T>) -> Self {
        Batch::with_sent_at(items, Timestamp::now())
    }

    /// A batch of `items`, sent at `sent_at`.
    pub fn with_sent_at(items: Vec<T>, sent_at: Timestamp) -> Self {
        Batch {
            batch: items,
            sent_at,
        }
    }

    /// How many calls the batch holds.
    pub fn len(&self) -> usize {
        self.batch.len()
    }

    /// Whether the batch holds no call.
    pub fn is_empty(&self) -> bool {
        self.batch.is_empty()
    }

    /// The calls, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.batch.iter()
    }
}

impl<T> IntoIterator for Batch<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.batch.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Batch<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.batch.iter()
    }
}
