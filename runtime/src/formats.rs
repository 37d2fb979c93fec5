//! OData primitive formats that JSON carries as strings.
//!
//! Each type checks its text when it is decoded or built, and keeps that text: Graph writes
//! the same instant as `2022-02-11T20:00:34Z` or `2022-02-11T20:00:34.000Z`, and a client that
//! re-emits a payload should not rewrite values it was only passing through.

use std::fmt::{self, Write as _};
use std::str::FromStr;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::{Serialize, Serializer};

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

/// Implements reading a format type from text: `FromStr`, and serde support that reads a
/// string through the type's own `parse`. Every format type has it, whatever it keeps.
macro_rules! parsed_from_text {
    ($name:ident, $expecting:literal) => {
        impl FromStr for $name {
            type Err = FormatError;
            fn from_str(text: &str) -> Result<Self, FormatError> {
                Self::parse(text)
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

/// Implements the rest for the format types that keep their text in a `text` field: text
/// access, `Display` and `Serialize` write that text back as it was read or built.
macro_rules! text_format {
    ($name:ident, $expecting:literal) => {
        parsed_from_text!($name, $expecting);

        impl $name {
            /// The text exactly as it was read or built.
            pub fn as_str(&self) -> &str {
                &self.text
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
    };
}

/// An `Edm.DateTimeOffset`: an RFC 3339 timestamp such as `2021-12-14T11:15:43.207Z`.
///
/// Kept compact rather than as text: the local date and time and the offset, plus how the
/// text was spelled (the `T`, the number of fraction digits, `Z` or an offset), from which
/// the exact text is written again. So a value costs no allocation and 24 bytes instead of
/// a `String` beside the instant, and still re-emits `2022-02-11T20:00:34.000Z` as it came.
/// Only fraction digits past the ninth (below a nanosecond) are kept as text, in a box.
///
/// Equal values have equal text: `01:00+01:00` and `00:00Z` name the same instant but are
/// not equal (compare [`DateTime::instant`]s for that).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct DateTime {
    local: time::PrimitiveDateTime,
    offset: time::UtcOffset,
    spelling: Spelling,
    /// Fraction digits past the ninth, when the text had more than nine. Boxed twice on
    /// purpose: one word where a `String` takes three, for a field that is almost always
    /// `None`.
    #[allow(clippy::box_collection)]
    finer_digits: Option<Box<String>>,
}

/// How a timestamp's text was written, beyond the instant it names, in one byte (so that a
/// `DateTime` stays at three words): bits 0-3 the fraction digits written (0 to 9), bits 4-5
/// the date-time separator, bits 6-7 the zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Spelling(u8);

/// The character between the date and the time, which RFC 3339 lets vary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Separator {
    UpperT = 0,
    LowerT = 1,
    Space = 2,
}

/// How the offset was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Zone {
    UpperZ = 0,
    LowerZ = 1,
    /// `+HH:MM` or `-HH:MM`, the sign that of the offset (`+00:00` for zero).
    Numeric = 2,
    /// `-00:00`, which RFC 3339 gives a meaning of its own (local offset unknown).
    NegativeZero = 3,
}

impl Spelling {
    fn new(separator: Separator, fraction_digits: u8, zone: Zone) -> Self {
        Spelling(fraction_digits.min(9) | (separator as u8) << 4 | (zone as u8) << 6)
    }

    fn fraction_digits(self) -> usize {
        usize::from(self.0 & 0x0f)
    }

    fn separator(self) -> Separator {
        match (self.0 >> 4) & 0b11 {
            0 => Separator::UpperT,
            1 => Separator::LowerT,
            _ => Separator::Space,
        }
    }

    fn zone(self) -> Zone {
        match self.0 >> 6 {
            0 => Zone::UpperZ,
            1 => Zone::LowerZ,
            2 => Zone::Numeric,
            _ => Zone::NegativeZero,
        }
    }
}

impl DateTime {
    /// Checks and wraps an RFC 3339 timestamp.
    pub fn parse(text: &str) -> Result<Self, FormatError> {
        parse_rfc3339(text.as_bytes())
            .map(|(instant, spelling, finer)| DateTime {
                local: time::PrimitiveDateTime::new(instant.date(), instant.time()),
                offset: instant.offset(),
                spelling,
                // The parser stops only at ASCII digits, so `finer` is on a char boundary.
                finer_digits: finer
                    .and_then(|range| text.get(range))
                    .map(|digits| Box::new(digits.to_owned())),
            })
            .map_err(|reason| FormatError::new("RFC 3339 date-time", text, reason))
    }

    /// The instant this timestamp names.
    pub fn instant(&self) -> time::OffsetDateTime {
        self.local.assume_offset(self.offset)
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DateTime({self})")
    }
}

impl TryFrom<time::OffsetDateTime> for DateTime {
    type Error = FormatError;
    /// Spells the instant as RFC 3339 does canonically: `T`, the fewest fraction digits that
    /// keep its nanoseconds, `Z` for UTC. Fails only for years RFC 3339 can't write (before
    /// 0 or after 9999).
    fn try_from(instant: time::OffsetDateTime) -> Result<Self, FormatError> {
        if !(0..=9999).contains(&instant.year()) {
            return Err(FormatError::new(
                "RFC 3339 date-time",
                &instant.to_string(),
                "RFC 3339 writes years 0000 to 9999 only",
            ));
        }
        let mut fraction_digits = 9;
        let mut nanoseconds = instant.nanosecond();
        // Drop trailing zeros: 250_000_000 ns is written `.25`. (`is_multiple_of` needs Rust
        // 1.87; the workspace supports 1.80.)
        #[allow(clippy::manual_is_multiple_of)]
        while fraction_digits > 0 && nanoseconds % 10 == 0 {
            nanoseconds /= 10;
            fraction_digits -= 1;
        }
        let zone = if instant.offset().is_utc() {
            Zone::UpperZ
        } else {
            Zone::Numeric
        };
        Ok(DateTime {
            local: time::PrimitiveDateTime::new(instant.date(), instant.time()),
            offset: instant.offset(),
            spelling: Spelling::new(Separator::UpperT, fraction_digits, zone),
            finer_digits: None,
        })
    }
}

impl fmt::Display for DateTime {
    /// Writes the text exactly as it was read (or canonically, for a value built from an
    /// instant).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let instant = self.local;
        let separator = match self.spelling.separator() {
            Separator::UpperT => 'T',
            Separator::LowerT => 't',
            Separator::Space => ' ',
        };
        write!(
            f,
            "{:04}-{:02}-{:02}{separator}{:02}:{:02}:{:02}",
            instant.year(),
            u8::from(instant.month()),
            instant.day(),
            instant.hour(),
            instant.minute(),
            instant.second()
        )?;
        let digits = self.spelling.fraction_digits();
        if digits > 0 {
            let mut nanoseconds = [b'0'; 9];
            let mut rest = instant.nanosecond();
            for digit in nanoseconds.iter_mut().rev() {
                *digit = b'0' + (rest % 10) as u8;
                rest /= 10;
            }
            f.write_char('.')?;
            for digit in nanoseconds.iter().take(digits) {
                f.write_char(char::from(*digit))?;
            }
            f.write_str(self.finer_digits.as_deref().map_or("", String::as_str))?;
        }
        let offset = self.offset;
        match self.spelling.zone() {
            Zone::UpperZ => f.write_str("Z"),
            Zone::LowerZ => f.write_str("z"),
            Zone::NegativeZero => f.write_str("-00:00"),
            Zone::Numeric => {
                let (hours, minutes, _) = offset.as_hms();
                let sign = if offset.is_negative() { '-' } else { '+' };
                write!(
                    f,
                    "{sign}{:02}:{:02}",
                    hours.unsigned_abs(),
                    minutes.unsigned_abs()
                )
            }
        }
    }
}

// DateTime keeps no text: it is written again from its parts (`Display` above).
parsed_from_text!(DateTime, "an RFC 3339 date-time string");

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)` by position. Every page of
/// decisions carries a few timestamps per item; this is several times faster than `time`'s
/// general format-description parser, and builds the value with `time`'s own checked
/// constructors, so an impossible date or time is still an error.
/// Also returns how the text was spelled, and where its fraction digits past the ninth are,
/// if it has any.
type Parsed = (
    time::OffsetDateTime,
    Spelling,
    Option<std::ops::Range<usize>>,
);

fn parse_rfc3339(bytes: &[u8]) -> Result<Parsed, &'static str> {
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
    let separator = match bytes[10] {
        b'T' => Separator::UpperT,
        b't' => Separator::LowerT,
        _ => Separator::Space,
    };
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
    let mut fraction_digits = 0u8;
    let mut finer = None;
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
        // At most 9: what the nanoseconds hold; any more are kept apart.
        fraction_digits = (at - start).min(9) as u8;
        if at - start > 9 {
            finer = Some(start + 9..at);
        }
    }
    let time = time::Time::from_hms_nano(hour as u8, minute as u8, second as u8, nanosecond)
        .map_err(|_| "the time is out of range")?;
    let (offset, zone) = match bytes.get(at) {
        Some(b'Z') if at + 1 == bytes.len() => (time::UtcOffset::UTC, Zone::UpperZ),
        Some(b'z') if at + 1 == bytes.len() => (time::UtcOffset::UTC, Zone::LowerZ),
        Some(sign @ (b'+' | b'-')) if at + 6 == bytes.len() => {
            expect(bytes, at + 3, b":")?;
            let hours = digits(bytes, at + 1..at + 3)? as i8;
            let minutes = digits(bytes, at + 4..at + 6)? as i8;
            let (hours, minutes) = if *sign == b'-' {
                (-hours, -minutes)
            } else {
                (hours, minutes)
            };
            let offset = time::UtcOffset::from_hms(hours, minutes, 0)
                .map_err(|_| "the offset is out of range")?;
            let zone = if *sign == b'-' && offset.is_utc() {
                Zone::NegativeZero
            } else {
                Zone::Numeric
            };
            (offset, zone)
        }
        _ => return Err("the time zone (Z or +HH:MM) is missing or followed by more text"),
    };
    let spelling = Spelling::new(separator, fraction_digits, zone);
    Ok((
        time::PrimitiveDateTime::new(date, time).assume_offset(offset),
        spelling,
        finer,
    ))
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
    use time::format_description::well_known::Rfc3339;

    #[test]
    fn date_time_keeps_its_text() {
        for text in [
            "2022-02-11T20:00:34Z",
            "2022-02-11T20:00:34.000Z",
            "2021-12-14T11:15:43.207Z",
            "2021-02-10T00:35:53.0932233+01:00",
            "2021-02-10t00:35:53.5z",
            "2021-02-10 00:35:53-00:00",
            "2021-02-10T00:35:53+00:00",
            "2021-02-10T00:35:53-00:30",
            "2021-02-10T00:35:53.123456789-05:30",
            "2021-02-10T00:35:53.1234567890123456789Z",
            "0000-01-01T00:00:00.000000000Z",
            "9999-12-31T23:59:59.9+14:00",
        ] {
            let parsed: DateTime = serde_json::from_value(serde_json::json!(text)).unwrap();
            assert_eq!(parsed.to_string(), text);
            assert_eq!(
                serde_json::to_value(&parsed).unwrap(),
                serde_json::json!(text)
            );
        }
        let seven_digits = DateTime::parse("2021-02-10T00:35:53.0932233Z").unwrap();
        assert_eq!(seven_digits.instant().nanosecond(), 93_223_300);
    }

    #[test]
    fn equal_date_times_have_equal_text() {
        let a = DateTime::parse("2024-01-01T01:00:00+01:00").unwrap();
        let b = DateTime::parse("2024-01-01T00:00:00Z").unwrap();
        assert_eq!(a.instant(), b.instant());
        assert_ne!(a, b, "the same instant written two ways");
        let c = DateTime::parse("2024-01-01T00:00:00.0Z").unwrap();
        assert_ne!(b, c);
        assert_eq!(c, DateTime::parse("2024-01-01T00:00:00.0Z").unwrap());
        let fine = DateTime::parse("2024-01-01T00:00:00.1234567891Z").unwrap();
        assert_ne!(
            fine,
            DateTime::parse("2024-01-01T00:00:00.1234567892Z").unwrap()
        );
    }

    #[test]
    fn a_date_time_is_small() {
        assert_eq!(std::mem::size_of::<DateTime>(), 24);
        assert_eq!(
            std::mem::size_of::<crate::Nullable<DateTime>>(),
            std::mem::size_of::<DateTime>()
        );
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
            let parsed = parse_rfc3339(text.as_bytes()).map(|(instant, _, _)| instant);
            assert_eq!(parsed, Ok(expected), "{text}");
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
        assert_eq!(stamp.to_string(), "2024-03-07T10:00:00Z");
        let stamp =
            DateTime::try_from(time::macros::datetime!(2024-03-07 10:00:00.25 -1:30)).unwrap();
        assert_eq!(stamp.to_string(), "2024-03-07T10:00:00.25-01:30");
        let too_early = time::macros::datetime!(-0001-01-01 0:00 UTC);
        assert!(DateTime::try_from(too_early).is_err());
        assert_eq!(
            Uuid::from(uuid::Uuid::nil()).as_str(),
            "00000000-0000-0000-0000-000000000000"
        );
    }
}
