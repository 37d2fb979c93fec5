//! Decoding support called by the generated `Deserialize` impls.
//!
//! Generated structs implement [`FromMap`]: one loop over the object's keys that matches
//! each key against the schema's property names and keeps the rest. Polymorphic base types
//! implement [`Polymorphic`]: when the object names its type in its first key (Graph writes
//! `@odata.type` first) the rest is decoded straight into the derived type; otherwise the
//! object is buffered once, the type read from the buffer, and decoding continues from there.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, Visitor};
use serde_json::Value;

/// A type decoded from the entries of a JSON object.
pub trait FromMap: Sized {
    /// What the decoder expected, for error messages ("an accessReviewInstance object").
    const EXPECTING: &'static str;

    /// Decodes the remaining entries of `map`. `discriminator` is the value of the
    /// discriminator property when a polymorphic parent has already read it.
    fn from_map<'de, A: MapAccess<'de>>(
        map: A,
        discriminator: Option<String>,
    ) -> Result<Self, A::Error>;
}

/// A base type whose objects name their concrete type in a discriminator property.
pub trait Polymorphic: Sized {
    /// The discriminator property, `@odata.type` for Graph.
    const DISCRIMINATOR: &'static str;
    /// What the decoder expected, for error messages.
    const EXPECTING: &'static str;

    /// Decodes the rest of an object whose discriminator value is `tag` (if it had one).
    fn from_tagged_map<'de, A: MapAccess<'de>>(
        tag: Option<String>,
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
        T::from_map(map, None)
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
            None => from_buffer(serde_json::Map::new()),
            Some(FirstKey::Discriminator) => {
                let tag: Option<String> = map.next_value()?;
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
                let base = T::from_tagged_map(None, watched)?;
                if !saw_discriminator {
                    return Ok(base);
                }
                match serde_json::to_value(&base).map_err(de::Error::custom)? {
                    Value::Object(object) => from_buffer(object),
                    _ => Err(de::Error::custom(
                        "a polymorphic value did not encode as an object",
                    )),
                }
            }
        }
    }
}

/// Decodes a buffered object, taking the discriminator out first so that the derived type's
/// decoder sees it exactly as on the fast path.
fn from_buffer<T: Polymorphic, E: de::Error>(
    mut object: serde_json::Map<String, Value>,
) -> Result<T, E> {
    let tag = match object.remove(T::DISCRIMINATOR) {
        Some(Value::String(tag)) => Some(tag),
        Some(other) => {
            // Not a string: leave it for the base type to keep as an unknown property.
            object.insert(T::DISCRIMINATOR.to_owned(), other);
            None
        }
        None => None,
    };
    let entries = serde::de::value::MapDeserializer::<_, serde_json::Error>::new(
        object
            .into_iter()
            .map(|(key, value)| (key, value.into_deserializer())),
    );
    T::from_tagged_map(tag, entries).map_err(E::custom)
}

/// A map that first yields a key already read, then the rest of `inner`, noting whether the
/// discriminator property appears among the keys.
struct WatchDiscriminator<'s, A> {
    first_key: Option<String>,
    inner: A,
    discriminator: &'static str,
    seen: &'s mut bool,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for WatchDiscriminator<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        if let Some(first_key) = self.first_key.take() {
            let key = de::value::StringDeserializer::<A::Error>::new(first_key);
            return seed.deserialize(key).map(Some);
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
        match key {
            Key::Borrowed(text) => self
                .seed
                .deserialize(de::value::BorrowedStrDeserializer::<D::Error>::new(text)),
            Key::Owned(text) => self
                .seed
                .deserialize(de::value::StringDeserializer::<D::Error>::new(text)),
        }
    }
}

/// The type name in a discriminator value, without the `#` OData puts in front.
pub fn type_name(tag: &str) -> &str {
    tag.strip_prefix('#').unwrap_or(tag)
}

/// The first key of a polymorphic object: the discriminator or anything else.
enum FirstKey {
    Discriminator,
    Other(String),
}

struct FirstKeySeed(&'static str);

impl<'de> DeserializeSeed<'de> for FirstKeySeed {
    type Value = FirstKey;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<FirstKey, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for FirstKeySeed {
    type Value = FirstKey;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<FirstKey, E> {
        Ok(if key == self.0 {
            FirstKey::Discriminator
        } else {
            FirstKey::Other(key.to_owned())
        })
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<FirstKey, E> {
        Ok(if key == self.0 {
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
