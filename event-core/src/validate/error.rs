//! Validation failures: one flat list, every failure with its wire path.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;
use serde::ser::SerializeStruct;

use super::FieldPath;

/// What kind of rule a value broke: a stable, machine-readable code.
///
/// [`ErrorCode::as_str`] gives the code as it appears in logs and JSON output; those
/// strings never change between releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// `required`: an `Option` field is `None`.
    Required,
    /// `non_empty`: a string or collection is empty.
    NonEmpty,
    /// `length(min, max)`: a string's character count or a collection's size is out of bounds.
    Length,
    /// `range(min, max)`: a number is out of bounds.
    Range,
    /// `url`: a string is not an absolute URL.
    Url,
    /// `email`: a string is not an email address.
    Email,
    /// `currency`: a string is not an ISO-4217 currency code.
    Currency,
    /// Always checked: a floating-point number is NaN or infinite, which JSON cannot carry.
    NotFinite,
    /// Always checked when serialized: a JSON object would hold the same key twice, such
    /// as a flattened `extra` map repeating a declared field. Readers keep only one of
    /// the two (which one depends on the reader), so such a payload is never sent.
    DuplicateKey,
    /// Always checked: a date-time the API refuses (year 0000, a leap second, or a text
    /// that is not RFC 3339).
    Timestamp,
    /// Always checked: the traits or properties of a call do not serialize to a JSON
    /// object (the API takes nothing else there).
    NotAnObject,
    /// A rule of the application's own (`custom = path::to::fn`), with its code.
    Custom(&'static str),
}

impl ErrorCode {
    /// The stable code, such as `"not_finite"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            ErrorCode::Required => "required",
            ErrorCode::NonEmpty => "non_empty",
            ErrorCode::Length => "length",
            ErrorCode::Range => "range",
            ErrorCode::Url => "url",
            ErrorCode::Email => "email",
            ErrorCode::Currency => "currency",
            ErrorCode::NotFinite => "not_finite",
            ErrorCode::DuplicateKey => "duplicate_key",
            ErrorCode::Timestamp => "timestamp",
            ErrorCode::NotAnObject => "not_object",
            ErrorCode::Custom(code) => code,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A parameter of a failed rule, such as the `max` of a `length` rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Param {
    /// A count or a bound given as an integer.
    Integer(i64),
    /// A number, such as a range bound or the offending value.
    Number(f64),
    /// A text, such as an offending currency code.
    Text(String),
}

impl fmt::Display for Param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Param::Integer(value) => write!(f, "{value}"),
            Param::Number(value) => write!(f, "{value}"),
            Param::Text(value) => write!(f, "{value:?}"),
        }
    }
}

/// One value that broke one rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationError {
    path: String,
    code: ErrorCode,
    params: Vec<(&'static str, Param)>,
    message: Cow<'static, str>,
}

impl ValidationError {
    /// A failure of `code` at `path`, with a message for people.
    pub fn new(
        path: &FieldPath<'_>,
        code: ErrorCode,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        ValidationError {
            path: path.to_string(),
            code,
            params: Vec::new(),
            message: message.into(),
        }
    }

    /// Adds a parameter of the rule, such as `("max", Param::Integer(10))`.
    #[must_use]
    pub fn with_param(mut self, name: &'static str, value: Param) -> Self {
        self.params.push((name, value));
        self
    }

    /// Where the value is, in wire names: `properties.products[2].price`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Which rule was broken.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The rule's parameters, such as its bounds and the value found.
    pub fn params(&self) -> &[(&'static str, Param)] {
        &self.params
    }

    /// The parameter called `name`, if the rule has one.
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value)
    }

    /// What is wrong, for people: `must be a finite number`.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for ValidationError {}

impl Serialize for ValidationError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Params<'a>(&'a [(&'static str, Param)]);
        impl Serialize for Params<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_map(self.0.iter().map(|(key, value)| (*key, value)))
            }
        }
        let mut out = serializer.serialize_struct("ValidationError", 4)?;
        out.serialize_field("path", &self.path)?;
        out.serialize_field("code", self.code.as_str())?;
        out.serialize_field("params", &Params(&self.params))?;
        out.serialize_field("message", &self.message)?;
        out.end()
    }
}

/// Every rule an event broke, in the order the fields were checked.
///
/// `Display` prints one line per error. An empty list allocates nothing, so validating
/// a valid event costs no heap allocation.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct ValidationErrors {
    errors: Vec<ValidationError>,
}

impl ValidationErrors {
    /// An empty list.
    pub const fn new() -> Self {
        ValidationErrors { errors: Vec::new() }
    }

    /// Records one failure.
    pub fn push(&mut self, error: ValidationError) {
        self.errors.push(error);
    }

    /// Whether no failure was recorded.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// How many failures were recorded.
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// The failures, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, ValidationError> {
        self.errors.iter()
    }

    /// The failures as a slice.
    pub fn as_slice(&self) -> &[ValidationError] {
        &self.errors
    }

    /// `Ok(())` when nothing was recorded, else `Err(self)`.
    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, error) in self.errors.iter().enumerate() {
            if index > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

impl IntoIterator for ValidationErrors {
    type Item = ValidationError;
    type IntoIter = std::vec::IntoIter<ValidationError>;
    fn into_iter(self) -> Self::IntoIter {
        self.errors.into_iter()
    }
}

impl<'a> IntoIterator for &'a ValidationErrors {
    type Item = &'a ValidationError;
    type IntoIter = std::slice::Iter<'a, ValidationError>;
    fn into_iter(self) -> Self::IntoIter {
        self.errors.iter()
    }
}

/// The failure a `custom = path::to::fn` rule returns: a code of its own and a message.
///
/// ```
/// use event_core::validate::CustomError;
///
/// fn even(value: &Option<f64>) -> Result<(), CustomError> {
///     match value {
///         Some(v) if v % 2.0 != 0.0 => Err(CustomError::new("even", "must be even")),
///         _ => Ok(()),
///     }
/// }
/// assert!(even(&Some(3.0)).is_err());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CustomError {
    code: &'static str,
    message: Cow<'static, str>,
    params: Vec<(&'static str, Param)>,
}

impl CustomError {
    /// A failure with a stable `code` (snake_case by convention) and a message for people.
    pub fn new(code: &'static str, message: impl Into<Cow<'static, str>>) -> Self {
        CustomError {
            code,
            message: message.into(),
            params: Vec::new(),
        }
    }

    /// Adds a parameter that explains the failure.
    #[must_use]
    pub fn with_param(mut self, name: &'static str, value: Param) -> Self {
        self.params.push((name, value));
        self
    }

    /// Places the failure at `path`.
    pub fn at(self, path: &FieldPath<'_>) -> ValidationError {
        let mut error = ValidationError::new(path, ErrorCode::Custom(self.code), self.message);
        error.params = self.params;
        error
    }
}

impl fmt::Display for CustomError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for CustomError {}
