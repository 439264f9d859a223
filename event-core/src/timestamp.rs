//! When an event happened: an RFC 3339 date-time that keeps the precision it was given.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

use crate::validate::{ErrorCode, FieldPath, Param, Validate, ValidationError, ValidationErrors};

/// An instant, written as RFC 3339 (`2024-01-15T10:30:00.000Z`).
///
/// Built on the [`time`] crate. A timestamp read from a payload is written back with
/// the same fractional digits and offset, so a payload survives a round trip
/// unchanged; one made here ([`Timestamp::now`], `From<OffsetDateTime>`) is written
/// with milliseconds, as JavaScript's `toISOString` does.
///
/// ```
/// use event_core::Timestamp;
///
/// let at: Timestamp = "2024-01-15T10:30:00.000Z".parse().unwrap();
/// assert_eq!(at.to_string(), "2024-01-15T10:30:00.000Z");
/// let offset: Timestamp = "2024-01-15T12:30:00+02:00".parse().unwrap();
/// assert_eq!(offset.to_string(), "2024-01-15T12:30:00+02:00");
/// assert_eq!(at, offset);
/// assert!("15/01/2024".parse::<Timestamp>().is_err());
/// ```
#[derive(Clone, Copy)]
pub struct Timestamp {
    at: OffsetDateTime,
    fraction_digits: u8,
    zulu: bool,
}

/// The years a timestamp on the wire may have: RFC 3339 writes four digits, and the
/// API refuses year 0000.
const WIRE_YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

fn out_of_years(year: i32) -> String {
    format!("the year {year} is outside 0001 to 9999, the years the API accepts")
}

/// Longest output: `-9999-12-31T23:59:59.999999999+23:59` is under 40 bytes.
const MAX_LEN: usize = 40;

impl Timestamp {
    /// The current time, in UTC, to the millisecond.
    pub fn now() -> Self {
        let now = OffsetDateTime::now_utc();
        let millis = now.millisecond();
        Timestamp {
            at: now.replace_millisecond(millis).unwrap_or(now),
            fraction_digits: 3,
            zulu: true,
        }
    }

    /// The instant as a [`time::OffsetDateTime`].
    pub fn as_offset_date_time(&self) -> OffsetDateTime {
        self.at
    }

    /// Writes the RFC 3339 text into `buffer` and returns it, without allocating.
    fn write<'b>(&self, buffer: &'b mut [u8; MAX_LEN]) -> &'b str {
        let mut out = Writer { buffer, len: 0 };
        let at = self.at;
        let year = at.year();
        if year < 0 {
            out.push(b'-');
        }
        out.digits(year.unsigned_abs(), 4);
        out.push(b'-');
        out.digits(u8::from(at.month()).into(), 2);
        out.push(b'-');
        out.digits(at.day().into(), 2);
        out.push(b'T');
        out.digits(at.hour().into(), 2);
        out.push(b':');
        out.digits(at.minute().into(), 2);
        out.push(b':');
        out.digits(at.second().into(), 2);
        if self.fraction_digits > 0 {
            out.push(b'.');
            let digits = u32::from(self.fraction_digits.min(9));
            out.digits(at.nanosecond() / 10_u32.pow(9 - digits), digits as usize);
        }
        let offset = at.offset();
        if self.zulu && offset.is_utc() {
            out.push(b'Z');
        } else {
            let (hours, minutes, _) = offset.as_hms();
            out.push(if offset.is_negative() { b'-' } else { b'+' });
            out.digits(hours.unsigned_abs().into(), 2);
            out.push(b':');
            out.digits(minutes.unsigned_abs().into(), 2);
        }
        let len = out.len;
        // Only ASCII digits and punctuation were written.
        std::str::from_utf8(&buffer[..len]).unwrap_or_default()
    }
}

struct Writer<'b> {
    buffer: &'b mut [u8; MAX_LEN],
    len: usize,
}

impl Writer<'_> {
    fn push(&mut self, byte: u8) {
        if let Some(slot) = self.buffer.get_mut(self.len) {
            *slot = byte;
            self.len += 1;
        }
    }

    fn digits(&mut self, mut value: u32, width: usize) {
        let mut scratch = [b'0'; 10];
        let mut used = 0;
        while value > 0 || used < width {
            scratch[scratch.len() - 1 - used] = b'0' + (value % 10) as u8;
            value /= 10;
            used += 1;
            if used == scratch.len() {
                break;
            }
        }
        for &byte in &scratch[scratch.len() - used..] {
            self.push(byte);
        }
    }
}

impl From<OffsetDateTime> for Timestamp {
    fn from(at: OffsetDateTime) -> Self {
        let nanos = at.nanosecond();
        let fraction_digits = if nanos % 1_000_000 == 0 {
            3
        } else if nanos % 1_000 == 0 {
            6
        } else {
            9
        };
        Timestamp {
            at,
            fraction_digits,
            zulu: at.offset() == UtcOffset::UTC,
        }
    }
}

impl From<Timestamp> for OffsetDateTime {
    fn from(timestamp: Timestamp) -> Self {
        timestamp.at
    }
}

impl std::str::FromStr for Timestamp {
    type Err = TimestampError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let refuse = |reason: String| TimestampError {
            text: text.chars().take(64).collect(),
            reason,
        };
        // `time` reads second 60 as 59: the instant would be silently changed.
        if text.get(17..19) == Some("60") {
            return Err(refuse(
                "a leap second (:60) is refused rather than silently rewritten to :59; \
                 write :59.999 or the next minute's :00"
                    .to_owned(),
            ));
        }
        let at =
            OffsetDateTime::parse(text, &Rfc3339).map_err(|error| refuse(error.to_string()))?;
        if !WIRE_YEARS.contains(&at.year()) {
            return Err(refuse(out_of_years(at.year())));
        }
        // `YYYY-MM-DDTHH:MM:SS` is 19 bytes; RFC 3339 fixes its width.
        let fraction_digits = match text.as_bytes().get(19) {
            Some(b'.') => text.as_bytes()[20..]
                .iter()
                .take_while(|byte| byte.is_ascii_digit())
                .count()
                .min(9) as u8,
            _ => 0,
        };
        let zulu = text.ends_with(['Z', 'z']);
        Ok(Timestamp {
            at,
            fraction_digits,
            zulu,
        })
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.write(&mut [0; MAX_LEN]))
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({self})")
    }
}

/// Two timestamps are equal when they name the same instant, however written.
impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        self.at == other.at
    }
}

impl Eq for Timestamp {}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.at.cmp(&other.at)
    }
}

impl std::hash::Hash for Timestamp {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.at.unix_timestamp_nanos().hash(state);
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.write(&mut [0; MAX_LEN]))
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 date-time such as \"2024-01-15T10:30:00.000Z\"")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Timestamp, E> {
                text.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// A timestamp made from a [`time::OffsetDateTime`] may hold a year the wire cannot
/// carry (before 0001); parsed ones never do.
impl Validate for Timestamp {
    fn validate_at(&self, path: &FieldPath<'_>, errors: &mut ValidationErrors) {
        let year = self.at.year();
        if !WIRE_YEARS.contains(&year) {
            errors.push(
                ValidationError::new(path, ErrorCode::Timestamp, out_of_years(year))
                    .with_param("value", Param::Text(self.to_string())),
            );
        }
    }
}

/// Checks a date-time kept as JSON (such as `originalTimestamp` or `sentAt` in
/// [`Track::extra`](crate::Track::extra)) as the API does: an RFC 3339 string, years
/// 0001 to 9999, no leap second.
pub(crate) fn validate_json_timestamp(
    value: &serde_json::Value,
    path: &FieldPath<'_>,
    errors: &mut ValidationErrors,
) {
    let problem = match value {
        serde_json::Value::String(text) => match text.parse::<Timestamp>() {
            Ok(_) => return,
            Err(error) => error.to_string(),
        },
        other => format!(
            "must be an RFC 3339 date-time string such as \"2024-01-15T10:30:00.000Z\", found {}",
            kind_of(other)
        ),
    };
    let shown: String = value.to_string().chars().take(64).collect();
    errors.push(
        ValidationError::new(path, ErrorCode::Timestamp, problem)
            .with_param("value", Param::Text(shown)),
    );
}

/// What kind of JSON value `value` is, for messages: "a string", "null", ...
pub(crate) fn kind_of(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// A text that is not an RFC 3339 date-time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError {
    text: String,
    reason: String,
}

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not an RFC 3339 date-time such as \"2024-01-15T10:30:00.000Z\" ({})",
            self.text, self.reason
        )
    }
}

impl std::error::Error for TimestampError {}

#[cfg(feature = "chrono")]
mod chrono_conversions {
    use super::{Timestamp, TimestampError};
    use chrono::Offset;
    use time::OffsetDateTime;

    impl<Tz: chrono::TimeZone> TryFrom<chrono::DateTime<Tz>> for Timestamp {
        type Error = TimestampError;

        /// Converts a `chrono` date-time (feature `chrono`).
        fn try_from(at: chrono::DateTime<Tz>) -> Result<Self, Self::Error> {
            let out_of_range = || TimestampError {
                text: at.to_rfc3339(),
                reason: "outside the years -9999 to 9999".to_owned(),
            };
            let nanos = at.timestamp_nanos_opt().ok_or_else(out_of_range)?;
            let utc = OffsetDateTime::from_unix_timestamp_nanos(i128::from(nanos))
                .map_err(|_| out_of_range())?;
            let offset = time::UtcOffset::from_whole_seconds(at.offset().fix().local_minus_utc())
                .map_err(|_| out_of_range())?;
            Ok(Timestamp::from(utc.to_offset(offset)))
        }
    }

    impl From<Timestamp> for chrono::DateTime<chrono::FixedOffset> {
        /// Converts to a `chrono` date-time (feature `chrono`).
        fn from(timestamp: Timestamp) -> Self {
            let at = timestamp.as_offset_date_time();
            // `time` offsets stay within ±26 hours, which chrono accepts.
            let offset = chrono::FixedOffset::east_opt(at.offset().whole_seconds())
                .unwrap_or_else(|| chrono::Utc.fix());
            let utc = chrono::DateTime::from_timestamp(at.unix_timestamp(), at.nanosecond())
                .unwrap_or_default();
            utc.with_timezone(&offset)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_the_written_form() {
        for text in [
            "2024-01-15T10:30:00.000Z",
            "2024-01-15T10:30:00Z",
            "2024-01-15T10:30:00.5Z",
            "2024-01-15T10:30:00.123456789Z",
            "2024-01-15T10:30:00+00:00",
            "2024-01-15T10:30:00.120-05:30",
            "0001-01-01T00:00:00Z",
        ] {
            let parsed: Timestamp = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(parsed.to_string(), text);
        }
    }

    #[test]
    fn refuses_what_is_not_rfc_3339() {
        for text in [
            "",
            "2024-01-15",
            "2024-01-15T10:30:00",
            "yesterday",
            "2024-13-01T00:00:00Z",
        ] {
            assert!(text.parse::<Timestamp>().is_err(), "{text}");
        }
    }

    #[test]
    fn now_has_milliseconds_and_zulu() {
        let text = Timestamp::now().to_string();
        assert_eq!(text.len(), "2024-01-15T10:30:00.000Z".len(), "{text}");
        assert!(text.ends_with('Z'));
    }
}
