//! OData primitive formats that JSON carries as strings.
//!
//! Each type checks its text when it is decoded or built, and keeps that text: Graph writes
//! the same instant as `2022-02-11T20:00:34Z` or `2022-02-11T20:00:34.000Z`, and a client that
//! re-emits a payload should not rewrite values it was only passing through.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::{Serialize, Serializer};
use time::format_description::well_known::Rfc3339;

/// A string that does not hold a value of the expected format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatError {
    format: &'static str,
    text: String,
    reason: String,
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a valid {}: {}",
            self.text, self.format, self.reason
        )
    }
}

impl std::error::Error for FormatError {}

impl FormatError {
    fn new(format: &'static str, text: &str, reason: impl fmt::Display) -> Self {
        FormatError {
            format,
            text: text.to_owned(),
            reason: reason.to_string(),
        }
    }
}

/// Implements the parts every format type shares: text access, `FromStr`, `Display`, and
/// serde support that reads a string through `parse` and writes the kept text.
macro_rules! text_format {
    ($name:ident, $expecting:literal) => {
        impl $name {
            /// The text exactly as it was read or built.
            pub fn as_str(&self) -> &str {
                &self.text
            }
        }

        impl FromStr for $name {
            type Err = FormatError;
            fn from_str(text: &str) -> Result<Self, FormatError> {
                Self::parse(text)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.text)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.text)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct TextVisitor;
                impl Visitor<'_> for TextVisitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: de::Error>(self, text: &str) -> Result<$name, E> {
                        $name::parse(text).map_err(E::custom)
                    }
                }
                deserializer.deserialize_str(TextVisitor)
            }
        }
    };
}

/// An `Edm.DateTimeOffset`: an RFC 3339 timestamp such as `2021-12-14T11:15:43.207Z`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DateTime {
    text: String,
    instant: time::OffsetDateTime,
}

impl DateTime {
    /// Checks and wraps an RFC 3339 timestamp.
    pub fn parse(text: &str) -> Result<Self, FormatError> {
        let instant = parse_rfc3339(text.as_bytes())
            .map_err(|reason| FormatError::new("RFC 3339 date-time", text, reason))?;
        Ok(DateTime {
            text: text.to_owned(),
            instant,
        })
    }

    /// The instant this timestamp names.
    pub fn instant(&self) -> time::OffsetDateTime {
        self.instant
    }
}

impl TryFrom<time::OffsetDateTime> for DateTime {
    type Error = FormatError;
    /// Formats the instant as RFC 3339; fails only for years RFC 3339 can't write (before 0 or after 9999).
    fn try_from(instant: time::OffsetDateTime) -> Result<Self, FormatError> {
        let text = instant
            .format(&Rfc3339)
            .map_err(|e| FormatError::new("RFC 3339 date-time", &instant.to_string(), e))?;
        Ok(DateTime { text, instant })
    }
}

text_format!(DateTime, "an RFC 3339 date-time string");

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)` by position. Every page of
/// decisions carries a few timestamps per item; this is several times faster than `time`'s
/// general format-description parser, and builds the value with `time`'s own checked
/// constructors, so an impossible date or time is still an error.
fn parse_rfc3339(bytes: &[u8]) -> Result<time::OffsetDateTime, &'static str> {
    fn digits(bytes: &[u8], range: std::ops::Range<usize>) -> Result<u32, &'static str> {
        let slice = bytes.get(range).ok_or("it is too short")?;
        slice.iter().try_fold(0u32, |total, byte| match byte {
            b'0'..=b'9' => Ok(total * 10 + u32::from(byte - b'0')),
            _ => Err("a digit is expected"),
        })
    }
    fn expect(bytes: &[u8], at: usize, wanted: &[u8]) -> Result<(), &'static str> {
        match bytes.get(at) {
            Some(byte) if wanted.contains(byte) => Ok(()),
            _ => Err("a separator is missing"),
        }
    }
    expect(bytes, 4, b"-")?;
    expect(bytes, 7, b"-")?;
    expect(bytes, 10, b"Tt ")?;
    expect(bytes, 13, b":")?;
    expect(bytes, 16, b":")?;
    let year = digits(bytes, 0..4)? as i32;
    let month = time::Month::try_from(digits(bytes, 5..7)? as u8)
        .map_err(|_| "the month is out of range")?;
    let day = digits(bytes, 8..10)? as u8;
    let date = time::Date::from_calendar_date(year, month, day).map_err(|_| "no such day")?;
    let (hour, minute, second) = (
        digits(bytes, 11..13)?,
        digits(bytes, 14..16)?,
        digits(bytes, 17..19)?,
    );
    let mut at = 19;
    let mut nanosecond = 0u32;
    if bytes.get(at) == Some(&b'.') {
        at += 1;
        let start = at;
        while bytes.get(at).is_some_and(u8::is_ascii_digit) {
            if at - start < 9 {
                nanosecond = nanosecond * 10 + u32::from(bytes[at] - b'0');
            }
            at += 1;
        }
        if at == start {
            return Err("the fraction has no digits");
        }
        for _ in (at - start)..9 {
            nanosecond *= 10;
        }
    }
    let time = time::Time::from_hms_nano(hour as u8, minute as u8, second as u8, nanosecond)
        .map_err(|_| "the time is out of range")?;
    let offset = match bytes.get(at) {
        Some(b'Z' | b'z') if at + 1 == bytes.len() => time::UtcOffset::UTC,
        Some(sign @ (b'+' | b'-')) if at + 6 == bytes.len() => {
            expect(bytes, at + 3, b":")?;
            let hours = digits(bytes, at + 1..at + 3)? as i8;
            let minutes = digits(bytes, at + 4..at + 6)? as i8;
            let (hours, minutes) = if *sign == b'-' {
                (-hours, -minutes)
            } else {
                (hours, minutes)
            };
            time::UtcOffset::from_hms(hours, minutes, 0)
                .map_err(|_| "the offset is out of range")?
        }
        _ => return Err("the time zone (Z or +HH:MM) is missing or followed by more text"),
    };
    Ok(time::PrimitiveDateTime::new(date, time).assume_offset(offset))
}

/// An `Edm.Date`: a calendar date written `YYYY-MM-DD`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Date {
    text: String,
    date: time::Date,
}

const DATE_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

impl Date {
    /// Checks and wraps a `YYYY-MM-DD` date.
    pub fn parse(text: &str) -> Result<Self, FormatError> {
        let date = time::Date::parse(text, DATE_FORMAT)
            .map_err(|e| FormatError::new("YYYY-MM-DD date", text, e))?;
        Ok(Date {
            text: text.to_owned(),
            date,
        })
    }

    /// The calendar date.
    pub fn date(&self) -> time::Date {
        self.date
    }
}

impl From<time::Date> for Date {
    fn from(date: time::Date) -> Self {
        let text = format!(
            "{:04}-{:02}-{:02}",
            date.year(),
            u8::from(date.month()),
            date.day()
        );
        Date { text, date }
    }
}

text_format!(Date, "a YYYY-MM-DD date string");

/// An `Edm.Duration`: an ISO 8601 duration such as `P30D` or `PT1H30M`.
#[derive(Clone, Debug, PartialEq)]
pub struct Duration {
    text: String,
    negative: bool,
    years: f64,
    months: f64,
    weeks: f64,
    days: f64,
    hours: f64,
    minutes: f64,
    seconds: f64,
}

impl Duration {
    /// Checks and wraps an ISO 8601 duration (`[-]P[nY][nM][nW][nD][T[nH][nM][nS]]`).
    pub fn parse(text: &str) -> Result<Self, FormatError> {
        let invalid = |reason: &str| FormatError::new("ISO 8601 duration", text, reason);
        let (negative, rest) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let rest = rest
            .strip_prefix('P')
            .ok_or_else(|| invalid("it must start with P"))?;
        let (date_part, time_part) = match rest.split_once('T') {
            Some((date, time)) if time.is_empty() => (date, Some(time)),
            Some((date, time)) => (date, Some(time)),
            None => (rest, None),
        };
        let mut duration = Duration {
            text: text.to_owned(),
            negative,
            years: 0.0,
            months: 0.0,
            weeks: 0.0,
            days: 0.0,
            hours: 0.0,
            minutes: 0.0,
            seconds: 0.0,
        };
        let mut any_component = false;
        for (number, unit) in components(date_part).map_err(|reason| invalid(&reason))? {
            any_component = true;
            match unit {
                'Y' => duration.years = number,
                'M' => duration.months = number,
                'W' => duration.weeks = number,
                'D' => duration.days = number,
                other => return Err(invalid(&format!("unexpected date unit {other:?}"))),
            }
        }
        if let Some(time_part) = time_part {
            if time_part.is_empty() {
                return Err(invalid("T must be followed by hours, minutes or seconds"));
            }
            for (number, unit) in components(time_part).map_err(|reason| invalid(&reason))? {
                any_component = true;
                match unit {
                    'H' => duration.hours = number,
                    'M' => duration.minutes = number,
                    'S' => duration.seconds = number,
                    other => return Err(invalid(&format!("unexpected time unit {other:?}"))),
                }
            }
        }
        if !any_component {
            return Err(invalid("it names no component"));
        }
        Ok(duration)
    }

    /// The length as a fixed span, or `None` when it counts years or months, whose length
    /// depends on the calendar.
    pub fn to_time_duration(&self) -> Option<time::Duration> {
        if self.years != 0.0 || self.months != 0.0 {
            return None;
        }
        let days = self.weeks * 7.0 + self.days;
        let seconds = ((days * 24.0 + self.hours) * 60.0 + self.minutes) * 60.0 + self.seconds;
        let span = time::Duration::checked_seconds_f64(seconds)?;
        Some(if self.negative { -span } else { span })
    }
}

/// Splits `12D3.5H` style text into (number, unit) pairs.
fn components(text: &str) -> Result<Vec<(f64, char)>, String> {
    let mut parts = Vec::new();
    let mut number_start = 0;
    for (index, ch) in text.char_indices() {
        if ch.is_ascii_digit() || ch == '.' || ch == ',' {
            continue;
        }
        let number_text = &text[number_start..index];
        if number_text.is_empty() {
            return Err(format!("unit {ch:?} has no number before it"));
        }
        let number = number_text
            .replace(',', ".")
            .parse::<f64>()
            .map_err(|_| format!("{number_text:?} is not a number"))?;
        parts.push((number, ch));
        number_start = index + ch.len_utf8();
    }
    if number_start != text.len() {
        return Err("a number at the end has no unit".to_owned());
    }
    Ok(parts)
}

text_format!(Duration, "an ISO 8601 duration string");

/// An `Edm.Guid`, such as `2dca8959-b716-4b4c-a93d-a535c01eb6e0`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Uuid {
    text: String,
    uuid: uuid::Uuid,
}

impl Uuid {
    /// Checks and wraps a UUID in any of the usual text forms.
    pub fn parse(text: &str) -> Result<Self, FormatError> {
        let uuid = uuid::Uuid::parse_str(text).map_err(|e| FormatError::new("UUID", text, e))?;
        Ok(Uuid {
            text: text.to_owned(),
            uuid,
        })
    }

    /// The UUID value.
    pub fn uuid(&self) -> uuid::Uuid {
        self.uuid
    }
}

impl From<uuid::Uuid> for Uuid {
    fn from(uuid: uuid::Uuid) -> Self {
        Uuid {
            text: uuid.hyphenated().to_string(),
            uuid,
        }
    }
}

text_format!(Uuid, "a UUID string");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_time_keeps_its_text() {
        for text in [
            "2022-02-11T20:00:34Z",
            "2021-12-14T11:15:43.207Z",
            "2021-02-10T00:35:53.0932233+01:00",
        ] {
            let parsed: DateTime = serde_json::from_value(serde_json::json!(text)).unwrap();
            assert_eq!(
                serde_json::to_value(&parsed).unwrap(),
                serde_json::json!(text)
            );
        }
        let seven_digits = DateTime::parse("2021-02-10T00:35:53.0932233Z").unwrap();
        assert_eq!(seven_digits.instant().nanosecond(), 93_223_300);
    }

    #[test]
    fn the_fast_parser_agrees_with_time() {
        for text in [
            "2022-02-11T20:00:34Z",
            "2021-12-14T11:15:43.207Z",
            "2021-02-10T00:35:53.0932233+01:00",
            "0001-01-01T00:00:00Z",
            "2024-02-29T23:59:59.999999999-05:30",
            "2024-02-29t23:59:59.1234567891z",
        ] {
            let expected = time::OffsetDateTime::parse(text, &Rfc3339).unwrap();
            assert_eq!(parse_rfc3339(text.as_bytes()), Ok(expected), "{text}");
        }
        for bad in [
            "2023-02-29T00:00:00Z",
            "2022-13-01T00:00:00Z",
            "2022-01-01T24:00:00Z",
            "2022-01-01T00:00:00",
            "2022-01-01T00:00:00.Z",
            "2022-01-01T00:00:00Zjunk",
            "2022-01-01T00:00:00+1:00",
            "22-01-01T00:00:00Z",
            "",
        ] {
            assert!(
                parse_rfc3339(bad.as_bytes()).is_err(),
                "{bad:?} should be rejected"
            );
        }
    }

    #[test]
    fn bad_formats_are_errors_not_panics() {
        assert!(DateTime::parse("String (timestamp)").is_err());
        assert!(Date::parse("2022-13-01").is_err());
        assert!(Uuid::parse("not-a-uuid").is_err());
        for bad in ["", "P", "PT", "30D", "P3", "PXD", "P1H"] {
            assert!(Duration::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        let error = serde_json::from_str::<DateTime>("\"yesterday\"").unwrap_err();
        assert!(error.to_string().contains("yesterday"));
    }

    #[test]
    fn durations_convert_when_fixed() {
        let d = Duration::parse("P1DT2H30M").unwrap();
        assert_eq!(
            d.to_time_duration(),
            Some(time::Duration::minutes(24 * 60 + 150))
        );
        assert_eq!(Duration::parse("P1M").unwrap().to_time_duration(), None);
        assert_eq!(
            Duration::parse("-PT0.5S").unwrap().to_time_duration(),
            Some(time::Duration::milliseconds(-500))
        );
        assert_eq!(Duration::parse("P30D").unwrap().as_str(), "P30D");
    }

    #[test]
    fn constructed_values_format_canonically() {
        let date = Date::from(time::macros::date!(2024 - 03 - 07));
        assert_eq!(date.as_str(), "2024-03-07");
        let stamp = DateTime::try_from(time::macros::datetime!(2024-03-07 10:00 UTC)).unwrap();
        assert_eq!(stamp.as_str(), "2024-03-07T10:00:00Z");
        assert_eq!(
            Uuid::from(uuid::Uuid::nil()).as_str(),
            "00000000-0000-0000-0000-000000000000"
        );
    }
}
