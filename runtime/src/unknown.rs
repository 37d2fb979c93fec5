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
///
/// Most objects have none, so an empty set costs one word and no allocation: every generated
/// struct carries one, and a page of items is copied around at the items' size.
#[derive(Clone, Default, PartialEq)]
// The box is the point: a `BTreeMap` is three words even when empty, the box one.
#[allow(clippy::box_collection)]
pub struct AdditionalProperties(Option<Box<BTreeMap<String, RawJson>>>);

impl AdditionalProperties {
    /// No properties.
    pub fn new() -> Self {
        AdditionalProperties(None)
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |map| map.len())
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value of property `name`.
    pub fn get(&self, name: &str) -> Option<&RawJson> {
        self.0.as_ref()?.get(name)
    }

    /// True when property `name` is there.
    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Sets property `name`, returning its earlier value.
    pub fn insert(&mut self, name: String, value: RawJson) -> Option<RawJson> {
        self.0.get_or_insert_with(Box::default).insert(name, value)
    }

    /// Removes property `name`, returning its value.
    pub fn remove(&mut self, name: &str) -> Option<RawJson> {
        let map = self.0.as_mut()?;
        let removed = map.remove(name);
        if map.is_empty() {
            self.0 = None;
        }
        removed
    }

    /// The properties in key order.
    pub fn iter(&self) -> std::collections::btree_map::Iter<'_, String, RawJson> {
        static EMPTY: BTreeMap<String, RawJson> = BTreeMap::new();
        self.0.as_deref().unwrap_or(&EMPTY).iter()
    }

    /// Inserts `name` unless it is there already; false (and nothing changed) when it was.
    pub(crate) fn insert_new(&mut self, name: String, value: RawJson) -> bool {
        match self.0.get_or_insert_with(Box::default).entry(name) {
            std::collections::btree_map::Entry::Vacant(entry) => {
                entry.insert(value);
                true
            }
            std::collections::btree_map::Entry::Occupied(_) => false,
        }
    }
}

impl fmt::Debug for AdditionalProperties {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<'a> IntoIterator for &'a AdditionalProperties {
    type Item = (&'a String, &'a RawJson);
    type IntoIter = std::collections::btree_map::Iter<'a, String, RawJson>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl FromIterator<(String, RawJson)> for AdditionalProperties {
    fn from_iter<I: IntoIterator<Item = (String, RawJson)>>(entries: I) -> Self {
        let map: BTreeMap<String, RawJson> = entries.into_iter().collect();
        if map.is_empty() {
            AdditionalProperties(None)
        } else {
            AdditionalProperties(Some(Box::new(map)))
        }
    }
}

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
    fn an_empty_set_is_one_word_and_stays_empty_after_removal() {
        assert_eq!(
            std::mem::size_of::<AdditionalProperties>(),
            std::mem::size_of::<usize>()
        );
        let mut unknown = AdditionalProperties::new();
        assert!(unknown.is_empty());
        assert!(unknown.insert_new("a".into(), RawJson::from(serde_json::json!(1))));
        assert!(!unknown.insert_new("a".into(), RawJson::from(serde_json::json!(2))));
        assert_eq!(unknown.get("a").map(RawJson::get), Some("1"));
        assert_eq!(unknown.len(), 1);
        assert_eq!(
            unknown.remove("a").map(|v| v.get().to_owned()).as_deref(),
            Some("1")
        );
        assert_eq!(unknown, AdditionalProperties::new());
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
