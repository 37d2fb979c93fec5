//! Properties a schema does not name, kept exactly as they were read.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// The JSON value of a property the schema does not name, kept as its exact text.
///
/// Keeping the text rather than a [`serde_json::Value`] is what makes a round trip exact: a
/// `Value` turns `123456789012345678901234567890` or `0.10000000000000000001` into the
/// nearest `f64`, and so would write back a different number.
#[derive(Clone)]
pub struct RawJson(Box<RawValue>);

impl RawJson {
    /// The JSON text, as read (or as written by [`RawJson::from_value`]).
    pub fn get(&self) -> &str {
        self.0.get()
    }

    /// Decodes the text as `T`.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.0.get())
    }

    /// The value as a [`serde_json::Value`] (numbers beyond `f64` become their nearest `f64`).
    pub fn to_value(&self) -> Result<serde_json::Value, serde_json::Error> {
        self.parse()
    }

    /// Encodes `value` as JSON text.
    pub fn from_value<T: Serialize + ?Sized>(value: &T) -> Result<Self, serde_json::Error> {
        serde_json::value::to_raw_value(value).map(RawJson)
    }
}

impl From<serde_json::Value> for RawJson {
    fn from(value: serde_json::Value) -> Self {
        // A `Value` always encodes: its map keys are strings and its numbers finite.
        match serde_json::value::to_raw_value(&value) {
            Ok(raw) => RawJson(raw),
            Err(_) => RawJson(RawValue::NULL.to_owned()),
        }
    }
}

/// Two values are equal when their JSON text is: `1.0` and `1` differ, as they do on the wire.
impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get())
    }
}

impl Serialize for RawJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Box::<RawValue>::deserialize(deserializer).map(RawJson)
    }
}

/// Properties of an object that its schema does not name, kept so that reading and writing
/// a payload loses nothing (`@odata.context`, `insights@odata.context`, newer fields). Keys
/// are sorted; each value keeps its exact JSON text.
pub type AdditionalProperties = BTreeMap<String, RawJson>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_text() {
        for text in [
            "123456789012345678901234567890",
            "-0.100000000000000000000000001",
            "1e400",
            "1.0",
            "{\"a\": [1, 2.50]}",
        ] {
            let raw: RawJson = serde_json::from_str(text).unwrap();
            assert_eq!(raw.get(), text);
            assert_eq!(serde_json::to_string(&raw).unwrap(), text);
        }
    }

    #[test]
    fn values_convert_both_ways() {
        let raw = RawJson::from(serde_json::json!({"k": [true, null]}));
        assert_eq!(raw.get(), r#"{"k":[true,null]}"#);
        assert_eq!(
            raw.to_value().unwrap(),
            serde_json::json!({"k": [true, null]})
        );
        assert_ne!(
            serde_json::from_str::<RawJson>("1").unwrap(),
            serde_json::from_str::<RawJson>("1.0").unwrap()
        );
    }
}
