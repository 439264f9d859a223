//! How the catalogue writes its `f64` numbers: integral values without a fraction.
//!
//! `serde_json` writes `1.0_f64` as `1.0`, which a JSON reader may see as a different
//! value from the `1` the payload carried (`serde_json::Value` does). JavaScript, and
//! every official Customer.io client, write an integral number as `1`. So do we: a
//! value with no fractional part whose magnitude is at most 2^53 (every integer up to
//! it is exact in `f64`) is written as an integer, anything else as a float. A payload
//! read and written back is then the same JSON.

use serde::Serializer;
use serde_json::Value;

/// The largest magnitude up to which every integer is exact in `f64`: 2^53.
const MAX_EXACT: f64 = 9_007_199_254_740_992.0;

/// The value as an integer, when it is one that `f64` holds exactly.
#[allow(clippy::cast_possible_truncation)] // range checked just before
fn as_integer(value: f64) -> Option<i64> {
    (value.is_finite() && value.fract() == 0.0 && value.abs() <= MAX_EXACT).then_some(value as i64)
}

/// Writes `value`, as an integer when it is integral.
pub(crate) fn serialize<S: Serializer>(value: f64, serializer: S) -> Result<S::Ok, S::Error> {
    match as_integer(value) {
        Some(integer) => match u64::try_from(integer) {
            Ok(unsigned) => serializer.serialize_u64(unsigned),
            Err(_) => serializer.serialize_i64(integer),
        },
        None => serializer.serialize_f64(value),
    }
}

/// `serialize_with` for `Option<f64>` fields (skipped when `None` by the field's
/// `skip_serializing_if`).
#[allow(clippy::ref_option)] // serde's `serialize_with` passes `&Option<f64>`
pub(crate) fn option<S: Serializer>(value: &Option<f64>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => serialize(*value, serializer),
        None => serializer.serialize_none(),
    }
}

/// The JSON value of `value`, written as [`serialize`] writes it.
pub(crate) fn to_value(value: f64) -> Value {
    match as_integer(value) {
        Some(integer) => Value::from(integer),
        // Non-finite numbers have no JSON form; `null` is what serde_json writes too,
        // and validation reports them before sending.
        None => serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(value: f64) -> String {
        let mut out = Vec::new();
        let mut serializer = serde_json::Serializer::new(&mut out);
        let result = serialize(value, &mut serializer);
        assert!(result.is_ok());
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn integral_values_are_written_as_integers() {
        assert_eq!(written(1.0), "1");
        assert_eq!(written(-3.0), "-3");
        assert_eq!(written(0.0), "0");
        assert_eq!(written(-0.0), "0");
        assert_eq!(written(139.99), "139.99");
        assert_eq!(written(1.5), "1.5");
        assert_eq!(written(MAX_EXACT), "9007199254740992");
        assert_eq!(written(1e20), "1e+20");
        assert_eq!(to_value(2.0), serde_json::json!(2));
        assert_eq!(to_value(2.5), serde_json::json!(2.5));
    }

    #[test]
    fn round_trips_through_value() {
        for text in ["1", "0", "-7", "139.99", "1.5", "0.1", "1e20", "-2.25"] {
            let parsed: Value = serde_json::from_str(text).unwrap_or_default();
            let number = parsed.as_f64().unwrap_or(f64::NAN);
            assert_eq!(to_value(number), parsed, "{text}");
        }
    }
}
