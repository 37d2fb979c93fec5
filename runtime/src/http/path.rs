//! Request paths built one segment at a time.

use super::{path_segment, Error};
use crate::Nullable;

/// What `by_id(..)` accepts: anything that may hold the key of one item, as a user holds it.
///
/// A key is text (`&str`, `String`), a property that may hold text (`Nullable<String>`,
/// `Option<String>`), or a generated model that has an `id`, so that an item read from one
/// call addresses the next (`decisions().by_id(&item)`). [`Key::key`] answers `None` when
/// there is no key to use: the property is absent or `null`. A missing key, like an empty
/// one, makes the path invalid ([`Error::InvalidKey`]) rather than leaving its segment out.
pub trait Key {
    /// The key's text, or `None` when it has none.
    fn key(&self) -> Option<&str>;
}

impl Key for str {
    fn key(&self) -> Option<&str> {
        Some(self)
    }
}

impl Key for String {
    fn key(&self) -> Option<&str> {
        Some(self)
    }
}

impl<T: Key + ?Sized> Key for &T {
    fn key(&self) -> Option<&str> {
        (**self).key()
    }
}

impl<T: Key + ?Sized> Key for Box<T> {
    fn key(&self) -> Option<&str> {
        (**self).key()
    }
}

impl Key for std::borrow::Cow<'_, str> {
    fn key(&self) -> Option<&str> {
        Some(self)
    }
}

impl<T: Key> Key for Option<T> {
    fn key(&self) -> Option<&str> {
        self.as_ref().and_then(Key::key)
    }
}

impl<T: Key> Key for Nullable<T> {
    fn key(&self) -> Option<&str> {
        self.value().and_then(Key::key)
    }
}

/// The path of a request under the service root, as the generated builders build it: the
/// literal parts of a path template, and keys (ids, function calls) encoded as one segment
/// each.
///
/// A key that can't stand as a segment (see [`path_segment`]) doesn't stop the chain of
/// builder calls; it makes the path invalid, and every request built from it is then
/// [`Error::InvalidKey`], before anything is sent. `to_request()` and `send()` read the same
/// path, so a request shown offline is the request that would go on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlPath {
    encoded: String,
    invalid_key: Option<String>,
}

impl UrlPath {
    /// A path from text that is already encoded, such as a path template's literal start
    /// (`/identityGovernance/accessReviews/definitions`).
    pub fn from_encoded(text: impl Into<String>) -> Self {
        UrlPath {
            encoded: text.into(),
            invalid_key: None,
        }
    }

    /// This path followed by `/` and `literal`, which is already encoded (a template's
    /// literal segments, such as `instances` or `$count`).
    pub fn literal(&self, literal: &str) -> Self {
        let mut next = self.clone();
        next.encoded.push('/');
        next.encoded.push_str(literal);
        next
    }

    /// This path followed by `/` and `key`, encoded as one segment. A key that can't be one
    /// makes the path invalid (the first such key is the one reported).
    pub fn key(&self, key: &str) -> Self {
        let mut next = self.clone();
        match path_segment(key) {
            Ok(segment) => {
                next.encoded.push('/');
                next.encoded.push_str(&segment);
            }
            Err(_) => {
                next.invalid_key.get_or_insert_with(|| key.to_owned());
            }
        }
        next
    }

    /// This path followed by `/` and the key `key` holds (see [`UrlPath::key`]); a key
    /// that holds none (an absent or `null` id) makes the path invalid like an empty one.
    pub fn key_of(&self, key: &(impl Key + ?Sized)) -> Self {
        self.key(key.key().unwrap_or_default())
    }

    /// The encoded path, or the error for the first key that could not be a segment.
    pub fn encoded(&self) -> Result<&str, Error> {
        match &self.invalid_key {
            None => Ok(&self.encoded),
            Some(value) => Err(Error::InvalidKey {
                value: value.clone(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_encoded_and_bad_ones_poison_the_path() {
        let root = UrlPath::from_encoded("/a");
        let good = root.literal("items").key("x/y").literal("$count");
        assert_eq!(good.encoded().ok(), Some("/a/items/x%2Fy/$count"));
        let bad = root.literal("items").key("..").key("").literal("reset");
        match bad.encoded() {
            Err(Error::InvalidKey { value }) => assert_eq!(value, ".."),
            other => panic!("expected an invalid key, got {other:?}"),
        }
    }

    #[test]
    fn keys_come_from_what_a_user_holds() {
        let root = UrlPath::from_encoded("/a");
        let owned = String::from("b c");
        let id: Nullable<String> = Nullable::Value("x/y".to_owned());
        assert_eq!(root.key_of("k").encoded().ok(), Some("/a/k"));
        assert_eq!(root.key_of(&owned).encoded().ok(), Some("/a/b%20c"));
        assert_eq!(root.key_of(&id).encoded().ok(), Some("/a/x%2Fy"));
        assert_eq!(root.key_of(&Some("z")).encoded().ok(), Some("/a/z"));
        let missing: [&dyn Key; 4] = [
            &Nullable::<String>::Absent,
            &Nullable::<String>::Null,
            &None::<String>,
            &"",
        ];
        for key in missing {
            let path = root.key_of(key).literal("stop");
            assert!(
                matches!(path.encoded(), Err(Error::InvalidKey { ref value }) if value.is_empty()),
                "{:?}",
                path.encoded()
            );
        }
    }
}
