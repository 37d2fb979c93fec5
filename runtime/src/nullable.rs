use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A property that may be absent, explicitly `null`, or hold a value.
///
/// `Option<T>` cannot tell "not sent" from "sent as null"; Graph gives them different
/// meanings (a PATCH with `"justification": null` clears the field, leaving it out keeps it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Nullable<T> {
    /// The property is not in the payload.
    #[default]
    Absent,
    /// The property is in the payload with the value `null`.
    Null,
    /// The property holds a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// True when the property is not in the payload.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// True when the property is explicitly `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// True when the property holds a value.
    pub fn is_value(&self) -> bool {
        matches!(self, Nullable::Value(_))
    }

    /// The value, if there is one (absent and `null` both give `None`).
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// A mutable reference to the value, if there is one.
    pub fn value_mut(&mut self) -> Option<&mut T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, if there is one, dropping the difference between absent and `null`.
    pub fn into_value(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// `Some` becomes a value and `None` an explicit `null`: the property is set either way.
    pub fn from_option(value: Option<T>) -> Self {
        match value {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        }
    }

    /// Borrows the value inside.
    pub fn as_ref(&self) -> Nullable<&T> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(value) => Nullable::Value(value),
        }
    }

    /// The value seen through [`Deref`](std::ops::Deref), such as a `&str` for a
    /// `Nullable<String>`, if there is one.
    pub fn as_deref(&self) -> Option<&T::Target>
    where
        T: std::ops::Deref,
    {
        self.value().map(|value| &**value)
    }

    /// Applies `f` to the value, keeping absent and `null` as they are.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nullable<U> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(value) => Nullable::Value(f(value)),
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

/// `"Approve".into()` as a `Nullable<String>` property: the generic `From<T>` would need a
/// `String`, and string literals are the common case in request bodies.
impl From<&str> for Nullable<String> {
    fn from(value: &str) -> Self {
        Nullable::Value(value.to_owned())
    }
}

/// A property equals a plain value when it holds that value; absent and `null` equal no
/// value.
impl<T: PartialEq> PartialEq<T> for Nullable<T> {
    fn eq(&self, other: &T) -> bool {
        self.value() == Some(other)
    }
}

/// `item.decision == "NotReviewed"`: true only when the property holds that text.
impl PartialEq<&str> for Nullable<String> {
    fn eq(&self, other: &&str) -> bool {
        self.as_deref() == Some(*other)
    }
}

/// The same comparison with an unsized `str`.
impl PartialEq<str> for Nullable<String> {
    fn eq(&self, other: &str) -> bool {
        self.as_deref() == Some(other)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(value) => value.serialize(serializer),
            // Absent fields are skipped by the containing object; if one is serialized on
            // its own, `null` is the only faithful JSON for "no value".
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    /// Decodes `null` or a value; "absent" is decided by the containing object, which starts
    /// every field as [`Nullable::Absent`].
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Nullable::from_option)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_and_value_decode_apart() {
        let null: Nullable<String> = serde_json::from_str("null").unwrap();
        let value: Nullable<String> = serde_json::from_str("\"x\"").unwrap();
        assert_eq!(null, Nullable::Null);
        assert_eq!(value, Nullable::Value("x".to_owned()));
        assert_eq!(serde_json::to_string(&null).unwrap(), "null");
        assert_eq!(serde_json::to_string(&value).unwrap(), "\"x\"");
    }

    #[test]
    fn accessors_treat_absent_and_null_as_no_value() {
        assert!(Nullable::<u8>::Absent.is_absent());
        assert!(Nullable::<u8>::Null.is_null());
        assert_eq!(Nullable::<u8>::Null.value(), None);
        assert_eq!(Nullable::Value(3u8).map(|v| v * 2).into_value(), Some(6));
        assert_eq!(Nullable::from_option(None::<u8>), Nullable::Null);
        assert_eq!(Nullable::Value("id".to_owned()).as_deref(), Some("id"));
        assert!(Nullable::Value(1).is_value() && !Nullable::<u8>::Null.is_value());
    }

    #[test]
    fn plain_values_convert_in_and_compare() {
        // The write: a literal becomes a value, through either `From`.
        let text: Nullable<String> = "Approve".into();
        let owned: Nullable<String> = String::from("Approve").into();
        let number: Nullable<i32> = 7.into();
        assert_eq!(text, Nullable::Value("Approve".to_owned()));
        assert_eq!(owned, text);
        assert_eq!(number, Nullable::Value(7));

        // The read: equal only when the property holds that value.
        assert!(text == "Approve");
        assert!(text != "Deny");
        assert!(text == *"Approve");
        let approve = String::from("Approve");
        assert!(text == approve);
        assert!(number == 7 && number != 8);
        for empty in [Nullable::<String>::Absent, Nullable::Null] {
            assert!(empty != "");
            assert!(empty != String::new());
        }
        assert!(Nullable::<i32>::Null != 0);

        // Comparing two properties still works as before.
        assert_eq!(Nullable::<u8>::Absent, Nullable::Absent);
        assert_ne!(Nullable::<u8>::Absent, Nullable::Null);
        assert_eq!(text.as_ref(), Nullable::Value(&"Approve".to_owned()));
    }
}
