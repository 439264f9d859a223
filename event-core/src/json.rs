//! Reading payloads from JSON with errors that say where the problem is, and writing
//! them with nothing JSON would carry wrongly.

use std::cell::RefCell;
use std::fmt;

use serde::de::DeserializeOwned;
use serde::ser::{self, Serialize, Serializer};

use crate::client::ClientError;
use crate::validate::{ErrorCode, FieldPath, Param, ValidationError, ValidationErrors};

/// Parses `json` into `T`, reporting the path of a wrong field.
///
/// Use it to read [`Track`](crate::Track) payloads and batch bodies: the error names
/// the field (`properties.products[0].price`) and, when the payload has one, the event.
///
/// ```
/// use event_core::{SemanticEvent, Track};
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Debug, Serialize, Deserialize, SemanticEvent)]
/// #[semantic_event(name = "Coupon Applied")]
/// struct CouponApplied {
///     discount: Option<f64>,
/// }
///
/// let json = r#"{"userId": "u1", "event": "Coupon Applied", "properties": {"discount": "10"}}"#;
/// let error = event_core::from_json::<Track<CouponApplied>>(json.as_bytes()).unwrap_err();
/// assert_eq!(error.path(), "properties.discount");
/// assert_eq!(error.event(), Some("Coupon Applied"));
/// assert!(error.to_string().starts_with("event \"Coupon Applied\": properties.discount: invalid type"));
/// ```
///
/// # Errors
///
/// [`ParseError`] when `json` is not valid JSON or does not fit `T`.
pub fn from_json<T: DeserializeOwned>(json: &[u8]) -> Result<T, ParseError> {
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        ParseError::new(json, path, error.into_inner())
    })?;
    // Trailing characters after the document.
    deserializer
        .end()
        .map_err(|error| ParseError::new(json, String::new(), error))?;
    Ok(value)
}

/// What the reader lets through that it refuses by default, as the derive does.
///
/// Reading a [`Track`](crate::Track)`<`[`EcommerceEvent`](crate::EcommerceEvent)`>` (with
/// [`from_json`], or any serde reader) refuses two kinds of event name that the
/// [`SemanticEvent`](derive@crate::SemanticEvent) derive refuses at compile time unless
/// the event says `custom`:
///
/// - a **near miss** of an ecommerce semantic event: the same but for letter case or
///   whitespace, or at most 2 letters away (`Product List Veiwed`), which would be sent
///   as a custom event that no destination treats as ecommerce;
/// - a **reserved** name (`User Deleted`, ...) on which Customer.io acts, such as
///   deleting the person.
///
/// Any other custom name (`Gift Card Redeemed`) is read as it is. Allow either kind
/// here when it is deliberate:
///
/// ```
/// use event_core::{EcommerceEvent, ReadOptions, Track};
///
/// let json = br#"{"userId": "u1", "event": "Product List Veiwed", "properties": {}}"#;
/// let error = event_core::from_json::<Track<EcommerceEvent>>(json).unwrap_err();
/// assert_eq!(error.path(), "event");
/// assert!(error.message().contains("did you mean \"Product List Viewed\"?"));
///
/// let track: Track<EcommerceEvent> = ReadOptions::new()
///     .allow_near_miss_names(true)
///     .from_json(json)?;
/// assert_eq!(track.event_name(), "Product List Veiwed");
/// # Ok::<(), event_core::ParseError>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadOptions {
    allow_near_miss_names: bool,
    allow_reserved: bool,
}

thread_local! {
    /// The options of the [`ReadOptions::from_json`] running on this thread: serde gives
    /// a `Deserialize` impl no other way to receive them.
    static READ_OPTIONS: std::cell::Cell<ReadOptions> =
        const { std::cell::Cell::new(ReadOptions::new()) };
}

impl ReadOptions {
    /// The defaults: near misses and reserved names are refused.
    pub const fn new() -> Self {
        ReadOptions {
            allow_near_miss_names: false,
            allow_reserved: false,
        }
    }

    /// Reads event names that are near misses of ecommerce events as custom events.
    pub const fn allow_near_miss_names(mut self, allow: bool) -> Self {
        self.allow_near_miss_names = allow;
        self
    }

    /// Reads the event names Customer.io reserves (`User Deleted`, ...).
    pub const fn allow_reserved(mut self, allow: bool) -> Self {
        self.allow_reserved = allow;
        self
    }

    /// [`from_json`] with these options.
    ///
    /// # Errors
    ///
    /// As [`from_json`].
    pub fn from_json<T: DeserializeOwned>(self, json: &[u8]) -> Result<T, ParseError> {
        struct Restore(ReadOptions);
        impl Drop for Restore {
            fn drop(&mut self) {
                let _ = READ_OPTIONS.try_with(|cell| cell.set(self.0));
            }
        }
        let previous = READ_OPTIONS.with(|cell| cell.replace(self));
        let _restore = Restore(previous);
        from_json(json)
    }

    /// The options reads on this thread use now: the defaults, or those of the
    /// [`ReadOptions::from_json`] running.
    pub fn current() -> Self {
        READ_OPTIONS
            .try_with(std::cell::Cell::get)
            .unwrap_or_default()
    }

    /// Whether these options let an event called `name` be read.
    ///
    /// ```
    /// use event_core::ReadOptions;
    ///
    /// let error = ReadOptions::new().check_event_name("user deleted").unwrap_err();
    /// assert_eq!(error.known_name(), "User Deleted");
    /// assert!(error.is_reserved());
    /// assert!(ReadOptions::new().allow_reserved(true).check_event_name("user deleted").is_ok());
    /// assert!(ReadOptions::new().check_event_name("Gift Card Redeemed").is_ok());
    /// ```
    ///
    /// # Errors
    ///
    /// [`EventNameError`] for a reserved name or a near miss these options refuse.
    pub fn check_event_name(self, name: &str) -> Result<(), EventNameError> {
        if crate::spec::event(name).is_some() {
            return Ok(());
        }
        if let Some(reserved) = crate::spec::reserved(name) {
            if self.allow_reserved {
                return Ok(());
            }
            return Err(EventNameError {
                name: name.to_owned(),
                refusal: NameRefusal::Reserved(reserved),
            });
        }
        match crate::spec::near_miss(name) {
            Some(miss) if !self.allow_near_miss_names => Err(EventNameError {
                name: name.to_owned(),
                refusal: NameRefusal::NearMiss(miss),
            }),
            _ => Ok(()),
        }
    }
}

/// An event name refused by [`ReadOptions`]: a near miss of an ecommerce event, or a
/// reserved name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventNameError {
    name: String,
    refusal: NameRefusal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NameRefusal {
    Reserved(&'static str),
    NearMiss(crate::spec::NearMiss),
}

impl EventNameError {
    /// The name as read.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The known name it is, or almost is: the reserved name, or the ecommerce event.
    pub fn known_name(&self) -> &'static str {
        match self.refusal {
            NameRefusal::Reserved(name) => name,
            NameRefusal::NearMiss(miss) => miss.event.name,
        }
    }

    /// Whether the name is reserved (else it is a near miss of an ecommerce event).
    pub fn is_reserved(&self) -> bool {
        matches!(self.refusal, NameRefusal::Reserved(_))
    }

    /// What is wrong, without how to allow it: for messages that say it their own way
    /// (a command-line flag).
    pub fn reason(&self) -> String {
        let name = &self.name;
        match self.refusal {
            NameRefusal::Reserved(reserved) => {
                let written = if reserved == name {
                    format!("{reserved:?} is")
                } else {
                    format!("{name:?} is, but for case or spacing, {reserved:?},")
                };
                format!(
                    "{written} an event name Customer.io reserves for itself: a track call \
                     named {reserved:?} {}",
                    crate::spec::reserved_effect(reserved)
                )
            }
            NameRefusal::NearMiss(miss) => {
                let (event, how) = (miss.event.name, miss.difference);
                format!(
                    "event name {name:?} {how} the ecommerce semantic event {event:?}: did you \
                     mean {event:?}?"
                )
            }
        }
    }
}

impl fmt::Display for EventNameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason())?;
        if self.is_reserved() {
            f.write_str(
                ". If that is what you mean, read it with \
                 `ReadOptions::new().allow_reserved(true)`",
            )
        } else {
            f.write_str(
                " If the name is deliberate, read it with \
                 `ReadOptions::new().allow_near_miss_names(true)`",
            )
        }
    }
}

impl std::error::Error for EventNameError {}

/// Why a JSON payload could not be read: where, in which event, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    path: String,
    event: Option<String>,
    message: String,
    line: usize,
    column: usize,
}

impl ParseError {
    fn new(json: &[u8], path: String, inner: serde_json::Error) -> Self {
        // serde_path_to_error writes the root as ".".
        let path = if path == "." { String::new() } else { path };
        let (line, column) = (inner.line(), inner.column());
        let mut message = inner.to_string();
        let position = format!(" at line {line} column {column}");
        if let Some(stripped) = message.strip_suffix(&position) {
            message.truncate(stripped.len());
        }
        // A field left out is named by the path too, as a wrong one is.
        let missing = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.strip_suffix('`'));
        let path = match missing {
            Some(field) if path.is_empty() => field.to_owned(),
            Some(field) => format!("{path}.{field}"),
            None => path,
        };
        ParseError {
            path,
            event: event_name_of(json),
            message,
            line,
            column,
        }
    }

    /// The path of the offending field, such as `properties.products[0].price`; empty
    /// when the problem is the document itself.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The payload's `"event"`, when it could be read.
    pub fn event(&self) -> Option<&str> {
        self.event.as_deref()
    }

    /// What is wrong, without the position.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The line of the input where the problem was found (1-based; 0 when unknown).
    pub fn line(&self) -> usize {
        self.line
    }

    /// The column of the input where the problem was found (1-based; 0 when unknown).
    pub fn column(&self) -> usize {
        self.column
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(event) = &self.event {
            write!(f, "event {event:?}: ")?;
        }
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)?;
        if self.line > 0 {
            write!(f, " (line {}, column {})", self.line, self.column)?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseError {}

/// A JSON value read like [`serde_json::Value`], except that an object holding a key
/// twice is an error: serde_json keeps the last, while other readers keep the first or
/// refuse the payload, so the value would mean different things to different readers.
pub(crate) struct UniqueValue(pub(crate) serde_json::Value);

impl<'de> serde::Deserialize<'de> for UniqueValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(UniqueVisitor).map(UniqueValue)
    }
}

struct UniqueVisitor;

impl<'de> serde::de::Visitor<'de> for UniqueVisitor {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<serde_json::Value, E> {
        Ok(v.into())
    }

    fn visit_i64<E>(self, v: i64) -> Result<serde_json::Value, E> {
        Ok(v.into())
    }

    fn visit_u64<E>(self, v: u64) -> Result<serde_json::Value, E> {
        Ok(v.into())
    }

    fn visit_f64<E>(self, v: f64) -> Result<serde_json::Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, Into::into))
    }

    fn visit_str<E>(self, v: &str) -> Result<serde_json::Value, E> {
        Ok(v.into())
    }

    fn visit_string<E>(self, v: String) -> Result<serde_json::Value, E> {
        Ok(v.into())
    }

    fn visit_unit<E>(self) -> Result<serde_json::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_none<E>(self) -> Result<serde_json::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<serde_json::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> Result<serde_json::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(UniqueValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(serde_json::Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> Result<serde_json::Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(duplicate_key(&key));
            }
            let UniqueValue(value) = map.next_value()?;
            object.insert(key, value);
        }
        Ok(serde_json::Value::Object(object))
    }
}

/// The error for a key found twice in one object.
pub(crate) fn duplicate_key<E: serde::de::Error>(key: &str) -> E {
    E::custom(format_args!(
        "duplicate key {key:?}: an object must hold each key once (readers disagree on which \
         of the two counts); keep one"
    ))
}

/// The top-level `"event"` of a payload, read on the error path only.
fn event_name_of(json: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct EventOnly {
        event: Option<String>,
    }
    serde_json::from_slice::<EventOnly>(json).ok()?.event
}

/// Writes `value` as JSON at the end of `buffer`, refusing what JSON cannot carry
/// faithfully: a NaN or infinite `f32`/`f64` anywhere (serde_json would write `null`,
/// and the value would silently vanish), and a key written twice in one object (a
/// flattened `extra` map repeating a declared field: readers disagree on which of the
/// two wins).
///
/// This is how the clients serialize every event, so these checks cover every shape a
/// `Serialize` type can take: plain structs, tuples, maps, enums, at any depth. On an
/// error `buffer` is left as it was.
///
/// ```
/// use std::collections::BTreeMap;
///
/// let mut buffer = Vec::new();
/// event_core::write_json(&mut buffer, &BTreeMap::from([("weight", (1.5, 2.0))]))?;
/// assert_eq!(buffer, br#"{"weight":[1.5,2.0]}"#);
///
/// let error = event_core::write_json(&mut buffer, &BTreeMap::from([("weight", (1.5, f64::NAN))]))
///     .unwrap_err();
/// assert!(error.to_string().starts_with("weight[1]: must be a finite number, found NaN"));
/// assert_eq!(buffer, br#"{"weight":[1.5,2.0]}"#);
/// # Ok::<(), event_core::WriteError>(())
/// ```
///
/// # Errors
///
/// [`WriteError::Invalid`] for a non-finite number or a repeated key, with its path;
/// [`WriteError::Json`] when serde_json refuses the value (a map key that is not a
/// string, or a `Serialize` implementation that fails).
pub fn write_json<T: Serialize + ?Sized>(
    buffer: &mut Vec<u8>,
    value: &T,
) -> Result<(), WriteError> {
    let start = buffer.len();
    let result = with_state(|state| {
        let mut serializer = serde_json::Serializer::new(&mut *buffer);
        let outcome = value.serialize(Checked {
            inner: &mut serializer,
            state,
        });
        outcome.map_err(|error| match state.take_refusal() {
            Some(refusal) => WriteError::Invalid(refusal.into_error()),
            None => WriteError::Json(error.to_string()),
        })
    });
    if result.is_err() {
        buffer.truncate(start);
    }
    result
}

/// Why [`write_json`] wrote nothing.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum WriteError {
    /// A value JSON cannot carry faithfully: a NaN or infinite number
    /// ([`ErrorCode::NotFinite`]) or a key twice in one object
    /// ([`ErrorCode::DuplicateKey`]), at its path in the payload.
    Invalid(ValidationError),
    /// serde_json refused the value: a map key that is not a string, or a `Serialize`
    /// implementation that failed.
    Json(String),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Invalid(error) => write!(f, "{error}"),
            WriteError::Json(error) => write!(f, "cannot be written as JSON: {error}"),
        }
    }
}

impl std::error::Error for WriteError {}

impl WriteError {
    /// The client's error for it: an invalid event, or one serde_json refused.
    pub(crate) fn into_client_error(self) -> ClientError {
        match self {
            WriteError::Invalid(error) => {
                let mut errors = ValidationErrors::new();
                errors.push(error);
                ClientError::Invalid(errors)
            }
            WriteError::Json(error) => ClientError::Serialize(error),
        }
    }
}

/// The bookkeeping of one [`write_json`] call: the keys of the objects being written
/// (to find a repeated one) and, once something is refused, what and where.
#[derive(Default)]
struct State {
    inner: RefCell<StateInner>,
}

#[derive(Default)]
struct StateInner {
    /// The keys of the open objects, one after another.
    text: String,
    /// Where each key of the open objects lies in `text`; `None` for a key that is not
    /// text (serde_json refuses most of those itself).
    keys: Vec<Option<(usize, usize)>>,
    refusal: Option<Refusal>,
}

impl State {
    fn refuse<E: ser::Error>(&self, refusal: Refusal) -> E {
        self.inner.borrow_mut().refusal = Some(refusal);
        E::custom("refused: a value JSON cannot carry")
    }

    /// Adds where the refused value sits, as the error goes up through its parents.
    fn locate<T, E>(
        &self,
        result: Result<T, E>,
        segment: impl FnOnce() -> Segment,
    ) -> Result<T, E> {
        if result.is_err() && self.inner.borrow().refusal.is_some() {
            // Made first: it may read the state.
            let segment = segment();
            if let Some(refusal) = &mut self.inner.borrow_mut().refusal {
                refusal.segments.push(segment);
            }
        }
        result
    }

    fn take_refusal(&self) -> Option<Refusal> {
        self.inner.borrow_mut().refusal.take()
    }

    /// The key at `index` of the open objects' keys, for a path.
    fn key_at(&self, index: usize) -> Segment {
        let inner = self.inner.borrow();
        match inner.keys.get(index) {
            Some(Some((start, end))) => Segment::Key(inner.text[*start..*end].to_owned()),
            _ => Segment::Key("?".to_owned()),
        }
    }

    fn open_object(&self) -> (usize, usize) {
        let inner = self.inner.borrow();
        (inner.keys.len(), inner.text.len())
    }

    /// Records a key of the object whose keys start at `first`; returns its index, or
    /// the key's text when the object already has it.
    ///
    /// `seen` holds one bit per key hash of the object, so a key is compared with the
    /// others only when its bit is already set: no sorting, and no comparison at all for
    /// most keys.
    fn push_key<K: Serialize + ?Sized>(
        &self,
        key: &K,
        first: usize,
        seen: &mut u128,
    ) -> Result<usize, String> {
        let inner = &mut *self.inner.borrow_mut();
        let start = inner.text.len();
        let span = match key.serialize(KeyText(&mut inner.text)) {
            Ok(()) => Some((start, inner.text.len())),
            Err(NotText) => {
                inner.text.truncate(start);
                None
            }
        };
        if let Some((start, end)) = span {
            let text = &inner.text[start..end];
            let bit = 1u128 << (key_hash(text) % 128);
            if *seen & bit != 0 {
                let earlier = inner.keys.get(first..).unwrap_or_default();
                if earlier
                    .iter()
                    .flatten()
                    .any(|&(a, b)| &inner.text[a..b] == text)
                {
                    return Err(text.to_owned());
                }
            }
            *seen |= bit;
        }
        inner.keys.push(span);
        Ok(inner.keys.len() - 1)
    }

    /// Forgets the keys of the object whose keys start at `first`.
    fn close_object(&self, (first, text_len): (usize, usize)) {
        let inner = &mut *self.inner.borrow_mut();
        inner.keys.truncate(first);
        inner.text.truncate(text_len);
    }
}

/// A hash of a key from its length and its first and last bytes: cheap, and enough to
/// tell apart most keys of one object (a shared bit only costs a comparison).
fn key_hash(text: &str) -> u32 {
    let bytes = text.as_bytes();
    let first = bytes.first().copied().unwrap_or(0);
    let last = bytes.last().copied().unwrap_or(0);
    (bytes.len() as u32)
        .wrapping_mul(31)
        .wrapping_add(u32::from(first))
        .wrapping_add(u32::from(last).wrapping_mul(7))
}

thread_local! {
    /// Reused by every [`write_json`] call on the thread, so a warm one allocates nothing.
    static STATE: RefCell<Option<State>> = const { RefCell::new(None) };
}

fn with_state<R>(f: impl FnOnce(&State) -> R) -> R {
    // Taken out while in use: a `Serialize` impl that itself calls `write_json` gets a
    // state of its own.
    let state = STATE
        .try_with(|cell| cell.try_borrow_mut().ok().and_then(|mut slot| slot.take()))
        .ok()
        .flatten()
        .unwrap_or_default();
    let result = f(&state);
    {
        let mut inner = state.inner.borrow_mut();
        inner.text.clear();
        inner.keys.clear();
        inner.refusal = None;
    }
    let _ = STATE.try_with(|cell| {
        if let Ok(mut slot) = cell.try_borrow_mut() {
            *slot = Some(state);
        }
    });
    result
}

/// What was refused, and where: `segments` run from the value up to the root.
struct Refusal {
    segments: Vec<Segment>,
    code: ErrorCode,
    message: String,
    param: (&'static str, Param),
}

enum Segment {
    Field(&'static str),
    Index(usize),
    Key(String),
}

impl Refusal {
    fn not_finite(value: f64) -> Refusal {
        Refusal {
            segments: Vec::new(),
            code: ErrorCode::NotFinite,
            message: format!(
                "must be a finite number, found {value}: JSON has no NaN or infinity and \
                 serde_json would send null; use a finite number, or leave the value out"
            ),
            param: ("value", Param::Text(value.to_string())),
        }
    }

    fn duplicate(key: String) -> Refusal {
        Refusal {
            segments: vec![Segment::Key(key.clone())],
            code: ErrorCode::DuplicateKey,
            message: "is written twice in the same JSON object, and readers keep only one of \
                      the two: remove it from the flattened map (such as `extra`) or rename it"
                .to_owned(),
            param: ("key", Param::Text(key)),
        }
    }

    fn into_error(self) -> ValidationError {
        fn at(segments: &[Segment], path: &FieldPath<'_>, refusal: &Refusal) -> ValidationError {
            match segments.split_last() {
                None => ValidationError::new(path, refusal.code, refusal.message.clone())
                    .with_param(refusal.param.0, refusal.param.1.clone()),
                Some((Segment::Field(name), rest)) => at(rest, &path.field(name), refusal),
                Some((Segment::Index(index), rest)) => at(rest, &path.index(*index), refusal),
                Some((Segment::Key(key), rest)) => at(rest, &path.key(key), refusal),
            }
        }
        at(&self.segments, &FieldPath::ROOT, &self)
    }
}

/// A serializer that forwards to `inner` (serde_json's) and refuses non-finite floats
/// and repeated object keys on the way.
struct Checked<'s, S> {
    inner: S,
    state: &'s State,
}

/// A value to be written through [`Checked`].
struct Wrap<'s, T: ?Sized> {
    value: &'s T,
    state: &'s State,
}

impl<T: Serialize + ?Sized> Serialize for Wrap<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(Checked {
            inner: serializer,
            state: self.state,
        })
    }
}

/// An array, object or variant being written through [`Checked`].
struct Compound<'s, C> {
    inner: C,
    state: &'s State,
    index: usize,
    variant: Option<&'static str>,
    /// For an object: where its keys start.
    object: (usize, usize),
    /// For an object: the index of the key whose value is being written.
    key: usize,
    /// For an object: one bit per hash of its keys so far.
    seen: u128,
}

impl<'s, C> Compound<'s, C> {
    fn new(inner: C, state: &'s State, variant: Option<&'static str>) -> Self {
        Compound {
            inner,
            state,
            index: 0,
            variant,
            object: (0, 0),
            key: 0,
            seen: 0,
        }
    }

    fn wrap<'v, T: ?Sized>(&self, value: &'v T) -> Wrap<'v, T>
    where
        's: 'v,
    {
        Wrap {
            value,
            state: self.state,
        }
    }

    /// Locates an error of the element just written, then of the variant around it.
    fn locate<T, E>(
        &mut self,
        result: Result<T, E>,
        segment: impl FnOnce() -> Segment,
    ) -> Result<T, E> {
        let result = self.state.locate(result, segment);
        match self.variant {
            Some(variant) => self.state.locate(result, || Segment::Field(variant)),
            None => result,
        }
    }

    fn element<T: Serialize + ?Sized, E>(
        &mut self,
        value: &T,
        write: impl FnOnce(&mut C, &Wrap<'_, T>) -> Result<(), E>,
    ) -> Result<(), E> {
        let index = self.index;
        self.index += 1;
        let wrapped = Wrap {
            value,
            state: self.state,
        };
        let result = write(&mut self.inner, &wrapped);
        self.locate(result, || Segment::Index(index))
    }
}

macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {$(
        fn $method(self, $($arg: $ty),*) -> Result<S::Ok, S::Error> {
            self.inner.$method($($arg),*)
        }
    )*};
}

impl<'s, S: Serializer> Serializer for Checked<'s, S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Compound<'s, S::SerializeSeq>;
    type SerializeTuple = Compound<'s, S::SerializeTuple>;
    type SerializeTupleStruct = Compound<'s, S::SerializeTupleStruct>;
    type SerializeTupleVariant = Compound<'s, S::SerializeTupleVariant>;
    type SerializeMap = Compound<'s, S::SerializeMap>;
    type SerializeStruct = Compound<'s, S::SerializeStruct>;
    type SerializeStructVariant = Compound<'s, S::SerializeStructVariant>;

    forward! {
        serialize_bool(v: bool);
        serialize_i8(v: i8);
        serialize_i16(v: i16);
        serialize_i32(v: i32);
        serialize_i64(v: i64);
        serialize_i128(v: i128);
        serialize_u8(v: u8);
        serialize_u16(v: u16);
        serialize_u32(v: u32);
        serialize_u64(v: u64);
        serialize_u128(v: u128);
        serialize_char(v: char);
        serialize_str(v: &str);
        serialize_bytes(v: &[u8]);
        serialize_none();
        serialize_unit();
        serialize_unit_struct(name: &'static str);
        serialize_unit_variant(name: &'static str, index: u32, variant: &'static str);
    }

    fn serialize_f32(self, v: f32) -> Result<S::Ok, S::Error> {
        if v.is_finite() {
            self.inner.serialize_f32(v)
        } else {
            Err(self.state.refuse(Refusal::not_finite(f64::from(v))))
        }
    }

    fn serialize_f64(self, v: f64) -> Result<S::Ok, S::Error> {
        if v.is_finite() {
            self.inner.serialize_f64(v)
        } else {
            Err(self.state.refuse(Refusal::not_finite(v)))
        }
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<S::Ok, S::Error> {
        self.inner.serialize_some(&Wrap {
            value,
            state: self.state,
        })
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        self.inner.serialize_newtype_struct(
            name,
            &Wrap {
                value,
                state: self.state,
            },
        )
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        let state = self.state;
        let result =
            self.inner
                .serialize_newtype_variant(name, index, variant, &Wrap { value, state });
        state.locate(result, || Segment::Field(variant))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        Ok(Compound::new(
            self.inner.serialize_seq(len)?,
            self.state,
            None,
        ))
    }

    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, S::Error> {
        Ok(Compound::new(
            self.inner.serialize_tuple(len)?,
            self.state,
            None,
        ))
    }

    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, S::Error> {
        let inner = self.inner.serialize_tuple_struct(name, len)?;
        Ok(Compound::new(inner, self.state, None))
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        let inner = self
            .inner
            .serialize_tuple_variant(name, index, variant, len)?;
        Ok(Compound::new(inner, self.state, Some(variant)))
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        let mut compound = Compound::new(self.inner.serialize_map(len)?, self.state, None);
        compound.object = self.state.open_object();
        Ok(compound)
    }

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        Ok(Compound::new(
            self.inner.serialize_struct(name, len)?,
            self.state,
            None,
        ))
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        let inner = self
            .inner
            .serialize_struct_variant(name, index, variant, len)?;
        Ok(Compound::new(inner, self.state, Some(variant)))
    }

    fn collect_str<T: fmt::Display + ?Sized>(self, value: &T) -> Result<S::Ok, S::Error> {
        self.inner.collect_str(value)
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

macro_rules! sequence {
    ($($trait:ident, $method:ident;)*) => {$(
        impl<C: ser::$trait> ser::$trait for Compound<'_, C> {
            type Ok = C::Ok;
            type Error = C::Error;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), C::Error> {
                self.element(value, |inner, value| inner.$method(value))
            }

            fn end(self) -> Result<C::Ok, C::Error> {
                self.inner.end()
            }
        }
    )*};
}

sequence! {
    SerializeSeq, serialize_element;
    SerializeTuple, serialize_element;
    SerializeTupleStruct, serialize_field;
    SerializeTupleVariant, serialize_field;
}

impl<C: ser::SerializeMap> ser::SerializeMap for Compound<'_, C> {
    type Ok = C::Ok;
    type Error = C::Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), C::Error> {
        match self.state.push_key(key, self.object.0, &mut self.seen) {
            Ok(index) => self.key = index,
            Err(repeated) => return Err(self.state.refuse(Refusal::duplicate(repeated))),
        }
        self.inner.serialize_key(key)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), C::Error> {
        let result = self.inner.serialize_value(&self.wrap(value));
        let (state, key) = (self.state, self.key);
        self.locate(result, || state.key_at(key))
    }

    fn end(self) -> Result<C::Ok, C::Error> {
        self.state.close_object(self.object);
        self.inner.end()
    }
}

macro_rules! structure {
    ($($trait:ident;)*) => {$(
        impl<C: ser::$trait> ser::$trait for Compound<'_, C> {
            type Ok = C::Ok;
            type Error = C::Error;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), C::Error> {
                let result = self.inner.serialize_field(key, &self.wrap(value));
                self.locate(result, || Segment::Field(key))
            }

            fn skip_field(&mut self, key: &'static str) -> Result<(), C::Error> {
                self.inner.skip_field(key)
            }

            fn end(self) -> Result<C::Ok, C::Error> {
                self.inner.end()
            }
        }
    )*};
}

structure! {
    SerializeStruct;
    SerializeStructVariant;
}

/// Reads a map key as the text serde_json writes for it; `NotText` for keys that are
/// not plain text (floats, and what serde_json refuses).
struct KeyText<'a>(&'a mut String);

#[derive(Debug)]
struct NotText;

impl fmt::Display for NotText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a text key")
    }
}

impl std::error::Error for NotText {}

impl ser::Error for NotText {
    fn custom<T: fmt::Display>(_: T) -> Self {
        NotText
    }
}

macro_rules! key_as_display {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method(self, v: $ty) -> Result<(), NotText> {
            use fmt::Write;
            write!(self.0, "{v}").map_err(|_| NotText)
        }
    )*};
}

macro_rules! key_refused {
    ($($method:ident($($ty:ty),*);)*) => {$(
        fn $method(self, $(_: $ty),*) -> Result<(), NotText> {
            Err(NotText)
        }
    )*};
}

impl Serializer for KeyText<'_> {
    type Ok = ();
    type Error = NotText;
    type SerializeSeq = ser::Impossible<(), NotText>;
    type SerializeTuple = ser::Impossible<(), NotText>;
    type SerializeTupleStruct = ser::Impossible<(), NotText>;
    type SerializeTupleVariant = ser::Impossible<(), NotText>;
    type SerializeMap = ser::Impossible<(), NotText>;
    type SerializeStruct = ser::Impossible<(), NotText>;
    type SerializeStructVariant = ser::Impossible<(), NotText>;

    key_as_display!(
        serialize_bool: bool, serialize_char: char,
        serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_u128: u128
    );

    key_refused! {
        serialize_f32(f32);
        serialize_f64(f64);
        serialize_bytes(&[u8]);
        serialize_none();
        serialize_unit();
        serialize_unit_struct(&'static str);
    }

    fn serialize_str(self, v: &str) -> Result<(), NotText> {
        self.0.push_str(v);
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), NotText> {
        self.0.push_str(variant);
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), NotText> {
        value.serialize(self)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), NotText> {
        Err(NotText)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), NotText> {
        Err(NotText)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NotText> {
        Err(NotText)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotText> {
        Err(NotText)
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, NotText> {
        Err(NotText)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, NotText> {
        Err(NotText)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NotText> {
        Err(NotText)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, NotText> {
        Err(NotText)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, NotText> {
        Err(NotText)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys whose hash bits are equal (same length, same first and last bytes) are told
    /// apart by their text; only a key truly written twice is refused.
    #[test]
    fn only_a_key_truly_repeated_is_refused() {
        struct Entries(&'static [&'static str]);
        impl Serialize for Entries {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_map(self.0.iter().map(|key| (key, 1)))
            }
        }
        assert_eq!(key_hash("abc") % 128, key_hash("axc") % 128);

        let mut buffer = Vec::new();
        write_json(&mut buffer, &Entries(&["abc", "axc", "ayc", "b"])).expect("distinct keys");
        assert_eq!(buffer, br#"{"abc":1,"axc":1,"ayc":1,"b":1}"#);

        let error = write_json(&mut buffer, &Entries(&["abc", "axc", "b", "axc"]))
            .expect_err("a repeated key");
        assert!(
            error.to_string().starts_with("axc: is written twice"),
            "{error}"
        );
        assert_eq!(
            buffer, br#"{"abc":1,"axc":1,"ayc":1,"b":1}"#,
            "nothing written"
        );
    }
}
