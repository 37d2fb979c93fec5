//! Request paths built one segment at a time.

use super::{path_segment, Error};

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
}
