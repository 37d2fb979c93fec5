//! Decoding support called by the generated `Deserialize` impls.
//!
//! Generated structs implement [`FromMap`]: one loop over the object's keys that matches
//! each key against the schema's property names and keeps the rest. Polymorphic base types
//! implement [`Polymorphic`]: when the object names its type in its first key (Graph writes
//! `@odata.type` first) the rest is decoded straight into the derived type; otherwise the
//! object is decoded as the base type while watching for the discriminator, and only if it
//! turns up is the base re-read as the type it names.
//!
//! **Duplicate keys are an error**, on every path: a property named twice in one object
//! (the discriminator included) fails to decode, rather than one of its values being kept
//! silently. The fast and the buffered path would otherwise disagree on which one wins.
//! Inside the value of an unknown property, duplicates are kept as written (see
//! [`RawJson`]).

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::{AdditionalProperties, Nullable, RawJson};

/// A type decoded from the entries of a JSON object.
pub trait FromMap: Sized {
    /// What the decoder expected, for error messages ("an accessReviewInstance object").
    const EXPECTING: &'static str;

    /// Decodes the remaining entries of `map`. `discriminator` is the value of the
    /// discriminator property when a polymorphic parent has already read it (`null`
    /// included), and absent otherwise.
    fn from_map<'de, A: MapAccess<'de>>(
        map: A,
        discriminator: Nullable<String>,
    ) -> Result<Self, A::Error>;
}

/// A base type whose objects name their concrete type in a discriminator property.
pub trait Polymorphic: Sized {
    /// The discriminator property, `@odata.type` for Graph.
    const DISCRIMINATOR: &'static str;
    /// What the decoder expected, for error messages.
    const EXPECTING: &'static str;

    /// Decodes the rest of an object whose discriminator value is `tag` (absent when the
    /// object has none).
    fn from_tagged_map<'de, A: MapAccess<'de>>(
        tag: Nullable<String>,
        map: A,
    ) -> Result<Self, A::Error>;
}

/// Decodes a [`FromMap`] type from a JSON object.
pub fn deserialize_object<'de, D: Deserializer<'de>, T: FromMap>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor::<T>(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: FromMap> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map, Nullable::Absent)
    }
}

/// Decodes a [`Polymorphic`] type from a JSON object.
pub fn deserialize_polymorphic<'de, D: Deserializer<'de>, T: Polymorphic + serde::Serialize>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(PolymorphicVisitor::<T>(PhantomData))
}

struct PolymorphicVisitor<T>(PhantomData<T>);

impl<'de, T: Polymorphic + serde::Serialize> Visitor<'de> for PolymorphicVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        match map.next_key_seed(FirstKeySeed(T::DISCRIMINATOR))? {
            None => T::from_tagged_map(Nullable::Absent, map),
            Some(FirstKey::Discriminator) => {
                let tag: Nullable<String> = map.next_value()?;
                T::from_tagged_map(tag, map)
            }
            Some(FirstKey::Other(first_key)) => {
                // The type is not named first. Most such objects (Graph omits `@odata.type`
                // when the value is of the declared type) never name it: decode them as the
                // base type straight from the input, watching for the discriminator. Only
                // if it turns up later is the base (which kept every property) re-read as
                // the type it names.
                let mut saw_discriminator = false;
                let watched = WatchDiscriminator {
                    first_key: Some(first_key),
                    inner: map,
                    discriminator: T::DISCRIMINATOR,
                    seen: &mut saw_discriminator,
                };
                let base = T::from_tagged_map(Nullable::Absent, watched)?;
                if !saw_discriminator {
                    return Ok(base);
                }
                redecode(&base)
            }
        }
    }
}

/// Reads a base-type value again as the type its discriminator names. The value is encoded
/// to JSON text and each property kept as raw text, so nothing is rounded on the way (a
/// `serde_json::Value` would round large numbers in unknown properties); the discriminator
/// is taken out first, so the derived type's decoder sees it exactly as on the fast path.
fn redecode<T: Polymorphic + serde::Serialize, E: de::Error>(base: &T) -> Result<T, E> {
    let text = serde_json::to_string(base).map_err(E::custom)?;
    let mut entries: BTreeMap<String, &RawValue> =
        serde_json::from_str(&text).map_err(E::custom)?;
    let tag = match entries.remove(T::DISCRIMINATOR) {
        Some(raw) => serde_json::from_str::<Nullable<String>>(raw.get()).map_err(E::custom)?,
        None => Nullable::Absent,
    };
    let map = de::value::MapDeserializer::<_, serde_json::Error>::new(entries.into_iter());
    T::from_tagged_map(tag, map).map_err(E::custom)
}

/// A value of a derived type read as its base type `T`, for the `From<Any…>` conversions:
/// the value is encoded and decoded again as `T`, so the properties `T` declares land in
/// its fields and the rest in its unknown properties, and the result encodes to the same
/// JSON object.
///
/// The generator writes the conversion only where every variant has each of the base's
/// properties with the base's type and the base has a default, so re-reading cannot fail:
/// the encoders of generated types don't fail, and the base's fields read what the derived
/// type's identical fields wrote. The default is there to avoid a panic, not a case that
/// occurs.
pub fn reread_as_base<T: FromMap + Default, V: serde::Serialize>(value: &V) -> T {
    let Ok(text) = serde_json::to_string(value) else {
        return T::default();
    };
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    deserialize_object(&mut deserializer).unwrap_or_default()
}

/// Where a decoder keeps one property while it reads an object: it tells whether the
/// property was already seen, so that a duplicate key is caught.
pub trait Slot {
    /// The property's value type.
    type Value;
    /// True once the property has been read.
    fn is_set(&self) -> bool;
    /// Stores the value read.
    fn set(&mut self, value: Self::Value);
}

impl<T> Slot for Nullable<T> {
    type Value = Nullable<T>;
    fn is_set(&self) -> bool {
        !self.is_absent()
    }
    fn set(&mut self, value: Nullable<T>) {
        *self = value;
    }
}

impl<T> Slot for Option<T> {
    type Value = T;
    fn is_set(&self) -> bool {
        self.is_some()
    }
    fn set(&mut self, value: T) {
        *self = Some(value);
    }
}

/// Reads the value of a named property into its slot; a second occurrence of the same key
/// is an error.
pub fn read_property<'de, A, S>(
    map: &mut A,
    slot: &mut S,
    key: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    S: Slot,
    S::Value: de::Deserialize<'de>,
{
    if slot.is_set() {
        return Err(de::Error::duplicate_field(key));
    }
    slot.set(map.next_value()?);
    Ok(())
}

/// Reads the value of a property the schema does not name and keeps it; a second
/// occurrence of the same key is an error.
pub fn read_unknown<'de, A: MapAccess<'de>>(
    map: &mut A,
    unknown: &mut AdditionalProperties,
    key: Key<'de>,
) -> Result<(), A::Error> {
    let value: RawJson = map.next_value()?;
    let name = key.into_string();
    if unknown.get(&name).is_some() {
        return Err(de::Error::custom(format_args!(
            "duplicate property `{name}`"
        )));
    }
    unknown.insert_new(name, value);
    Ok(())
}

/// The start value of a required discriminator property, from what a polymorphic parent
/// read: `None` until read, an error if it was `null`.
pub fn required_tag<E: de::Error>(
    tag: Nullable<String>,
    key: &'static str,
) -> Result<Option<String>, E> {
    match tag {
        Nullable::Absent => Ok(None),
        Nullable::Value(tag) => Ok(Some(tag)),
        Nullable::Null => Err(E::custom(format_args!("`{key}` is null"))),
    }
}

/// The start value of a required, nullable discriminator property: `None` until read.
pub fn required_nullable_tag(tag: Nullable<String>) -> Option<Option<String>> {
    match tag {
        Nullable::Absent => None,
        Nullable::Null => Some(None),
        Nullable::Value(tag) => Some(Some(tag)),
    }
}

/// A map that first yields a key already read, then the rest of `inner`, noting whether the
/// discriminator property appears among the keys.
struct WatchDiscriminator<'s, 'de, A> {
    first_key: Option<Key<'de>>,
    inner: A,
    discriminator: &'static str,
    seen: &'s mut bool,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for WatchDiscriminator<'_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        if let Some(first_key) = self.first_key.take() {
            return first_key.into_seed(seed).map(Some);
        }
        self.inner.next_key_seed(WatchKey {
            seed,
            discriminator: self.discriminator,
            seen: self.seen,
        })
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.inner.next_value_seed(seed)
    }
}

/// Reads one key (borrowed when the input allows), notes whether it is the discriminator,
/// and hands it on to the real key seed.
struct WatchKey<'s, K> {
    seed: K,
    discriminator: &'static str,
    seen: &'s mut bool,
}

impl<'de, K: DeserializeSeed<'de>> DeserializeSeed<'de> for WatchKey<'_, K> {
    type Value = K::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<K::Value, D::Error> {
        let key = <Key<'de> as de::Deserialize<'de>>::deserialize(deserializer)?;
        if key.as_str() == self.discriminator {
            *self.seen = true;
        }
        key.into_seed(self.seed)
    }
}

/// The type name in a discriminator value, without the `#` OData puts in front.
pub fn type_name(tag: &str) -> &str {
    tag.strip_prefix('#').unwrap_or(tag)
}

/// The first key of a polymorphic object: the discriminator or anything else (borrowed
/// from the input when it can be, so that an object that doesn't start with its type costs
/// no allocation for that).
enum FirstKey<'de> {
    Discriminator,
    Other(Key<'de>),
}

struct FirstKeySeed(&'static str);

impl<'de> DeserializeSeed<'de> for FirstKeySeed {
    type Value = FirstKey<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<FirstKey<'de>, D::Error> {
        let key = <Key<'de> as de::Deserialize<'de>>::deserialize(deserializer)?;
        Ok(if key.as_str() == self.0 {
            FirstKey::Discriminator
        } else {
            FirstKey::Other(key)
        })
    }
}

/// An object key, borrowed from the input when the input allows it, so that matching a
/// known property name allocates nothing.
pub enum Key<'de> {
    /// Borrowed from the input.
    Borrowed(&'de str),
    /// Copied (the input had escapes, or was not a string slice).
    Owned(String),
}

impl Key<'_> {
    /// The key text.
    pub fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(key) => key,
            Key::Owned(key) => key,
        }
    }

    /// The key as an owned string, for keeping it as an unknown property.
    pub fn into_string(self) -> String {
        match self {
            Key::Borrowed(key) => key.to_owned(),
            Key::Owned(key) => key,
        }
    }
}

impl<'de> Key<'de> {
    /// Hands the key to `seed` as a key deserializer would, borrowed if it was.
    fn into_seed<K: DeserializeSeed<'de>, E: de::Error>(self, seed: K) -> Result<K::Value, E> {
        match self {
            Key::Borrowed(text) => {
                seed.deserialize(de::value::BorrowedStrDeserializer::<E>::new(text))
            }
            Key::Owned(text) => seed.deserialize(de::value::StringDeserializer::<E>::new(text)),
        }
    }
}

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a property name")
            }
            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(key))
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(key.to_owned()))
            }
            fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(key))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// The value of the discriminator `property` of a union's JSON, when the JSON is an object
/// whose `property` is a string.
pub fn union_tag<'v>(value: &'v serde_json::Value, property: &str) -> Option<&'v str> {
    value.get(property)?.as_str()
}

/// Decodes the variant a union's discriminator selected. An error here is an error of the
/// whole value: the object says what it is and isn't that.
pub fn union_variant<T: de::DeserializeOwned, E: de::Error>(
    value: serde_json::Value,
) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}

/// `value` as a `T`, if `T` accepts it and encodes it back to the same JSON (numbers
/// compared by value, so `1` read as a float still counts): the test a variant of a union
/// without discriminator must pass, so that choosing it loses nothing.
pub fn union_candidate<T: de::DeserializeOwned + serde::Serialize>(
    value: &serde_json::Value,
) -> Option<T> {
    let candidate = T::deserialize(value).ok()?;
    let encoded = serde_json::to_value(&candidate).ok()?;
    same_json(&encoded, value).then_some(candidate)
}

/// Keeps `candidate` as a union's choice if it is the first, or if it kept fewer
/// `unknown` properties than the choice so far (the earlier one wins a tie).
pub fn prefer<T>(best: &mut Option<(usize, T)>, unknown: usize, candidate: T) {
    if best.as_ref().is_none_or(|(so_far, _)| unknown < *so_far) {
        *best = Some((unknown, candidate));
    }
}

/// JSON equality with numbers compared by value: `1` and `1.0` are the same number.
fn same_json(left: &serde_json::Value, right: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (left, right) {
        (Value::Number(a), Value::Number(b)) => {
            a == b || matches!((a.as_f64(), b.as_f64()), (Some(x), Some(y)) if x == y)
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, x)| b.get(key).is_some_and(|y| same_json(x, y)))
        }
        _ => left == right,
    }
}

/// The error for a required property that the object lacks.
pub fn missing<E: de::Error>(property: &'static str) -> E {
    E::missing_field(property)
}

/// Decodes a string enum: every string is accepted, unknown ones kept as they are.
pub fn deserialize_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    struct EnumVisitor<T>(PhantomData<T>);
    impl<T: for<'a> From<&'a str>> Visitor<'_> for EnumVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an enum member name")
        }
        fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
            Ok(T::from(text))
        }
    }
    deserializer.deserialize_str(EnumVisitor(PhantomData))
}
