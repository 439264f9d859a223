//! Whether traits or properties serialize to a JSON object, found without writing
//! them: the probe stops at the first thing the value serializes.

use std::fmt;

use serde::Serialize;
use serde::ser::{self, Impossible};

use crate::validate::{ErrorCode, FieldPath, Validate, ValidationError, ValidationErrors};

/// Validates a call's `traits` or `properties` (`field`): a JSON object, and valid by its
/// own rules, under `path.field(field)`.
pub(crate) fn validate_object<T: Serialize + Validate + ?Sized>(
    value: &T,
    path: &FieldPath<'_>,
    field: &'static str,
    errors: &mut ValidationErrors,
) {
    require_object(value, path, field, errors);
    value.validate_at(&path.field(field), errors);
}

/// Records an error at `path.field(field)` unless `value` serializes to a JSON object
/// (a struct with named fields, a map, or either behind a newtype or `Some`).
fn require_object<T: Serialize + ?Sized>(
    value: &T,
    path: &FieldPath<'_>,
    field: &'static str,
    errors: &mut ValidationErrors,
) {
    let found = match value.serialize(Probe) {
        Err(Found::Object) => return,
        Err(Found::Other(kind)) => kind,
        // `Probe` never returns `Ok`; a `Serialize` impl that returns `Ok` without
        // writing anything writes nothing at all.
        Ok(()) => "nothing",
    };
    errors.push(ValidationError::new(
        &path.field(field),
        ErrorCode::NotAnObject,
        format!(
            "must serialize to a JSON object (a struct with named fields, or a map), not \
             {found}: wrap the value in a struct or a map"
        ),
    ));
}

/// What the probed value turned out to be; an `Err` so that serde stops at once.
#[derive(Debug)]
enum Found {
    Object,
    Other(&'static str),
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::Object => f.write_str("an object"),
            Found::Other(kind) => f.write_str(kind),
        }
    }
}

impl std::error::Error for Found {}

impl ser::Error for Found {
    fn custom<T: fmt::Display>(_: T) -> Self {
        // The value's own `Serialize` failed before saying what it is; writing it will
        // report that failure.
        Found::Object
    }
}

struct Probe;

macro_rules! other {
    ($($method:ident($($arg:ty),*) => $kind:literal;)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<Self::Ok, Found> {
            Err(Found::Other($kind))
        })*
    };
}

impl ser::Serializer for Probe {
    type Ok = ();
    type Error = Found;
    type SerializeSeq = Impossible<(), Found>;
    type SerializeTuple = Impossible<(), Found>;
    type SerializeTupleStruct = Impossible<(), Found>;
    type SerializeTupleVariant = Impossible<(), Found>;
    type SerializeMap = Impossible<(), Found>;
    type SerializeStruct = Impossible<(), Found>;
    type SerializeStructVariant = Impossible<(), Found>;

    other! {
        serialize_bool(bool) => "a boolean";
        serialize_i8(i8) => "a number";
        serialize_i16(i16) => "a number";
        serialize_i32(i32) => "a number";
        serialize_i64(i64) => "a number";
        serialize_i128(i128) => "a number";
        serialize_u8(u8) => "a number";
        serialize_u16(u16) => "a number";
        serialize_u32(u32) => "a number";
        serialize_u64(u64) => "a number";
        serialize_u128(u128) => "a number";
        serialize_f32(f32) => "a number";
        serialize_f64(f64) => "a number";
        serialize_char(char) => "a string";
        serialize_str(&str) => "a string";
        serialize_bytes(&[u8]) => "an array";
        serialize_none() => "null";
        serialize_unit() => "null";
        serialize_unit_struct(&'static str) => "null";
        serialize_unit_variant(&'static str, u32, &'static str) => "a string";
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Found> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Found> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Found> {
        // `{"Variant": value}`: an object, but with one key naming the variant, which
        // is almost never meant as traits; still an object on the wire.
        Err(Found::Object)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Found> {
        Err(Found::Other("an array"))
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Found> {
        Err(Found::Other("an array"))
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Found> {
        Err(Found::Other("an array"))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Found> {
        Err(Found::Object)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Found> {
        Err(Found::Object)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Found> {
        Err(Found::Object)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Found> {
        Err(Found::Object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn refusal<T: Serialize>(value: &T) -> Option<String> {
        let mut errors = ValidationErrors::new();
        require_object(value, &FieldPath::ROOT, "traits", &mut errors);
        errors.iter().next().map(|error| error.to_string())
    }

    #[test]
    fn objects_pass_and_everything_else_is_named() {
        #[derive(Serialize)]
        struct Traits {
            email: &'static str,
        }
        #[derive(Serialize)]
        struct Wrapper(Traits);
        assert_eq!(refusal(&Traits { email: "a@b.co" }), None);
        assert_eq!(refusal(&Wrapper(Traits { email: "a@b.co" })), None);
        assert_eq!(refusal(&json!({"a": 1})), None);
        assert_eq!(refusal(&Some(json!({}))), None);
        let cases: [(serde_json::Value, &str); 5] = [
            (json!("ada"), "not a string"),
            (json!([1]), "not an array"),
            (json!(null), "not null"),
            (json!(1.5), "not a number"),
            (json!(true), "not a boolean"),
        ];
        for (value, expected) in cases {
            let message = refusal(&value).unwrap_or_default();
            assert!(message.contains(expected), "{value}: {message}");
            assert!(message.starts_with("traits"), "{message}");
        }
        assert!(refusal(&()).is_some_and(|m| m.contains("not null")));
        assert!(refusal(&vec![1, 2]).is_some_and(|m| m.contains("not an array")));
    }
}
