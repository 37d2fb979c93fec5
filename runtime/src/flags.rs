use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::{Serialize, Serializer};

/// The value of a flags enum (`x-ms-enum-flags`): a set of members written as one
/// comma-separated string, such as `"monday,friday"`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Flags<T>(pub Vec<T>);

impl<T> Flags<T> {
    /// The members, in the order they were written.
    pub fn members(&self) -> &[T] {
        &self.0
    }
}

impl<T: AsRef<str>> Serialize for Flags<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let joined: Vec<&str> = self.0.iter().map(AsRef::as_ref).collect();
        serializer.serialize_str(&joined.join(","))
    }
}

impl<'de, T: for<'a> From<&'a str>> Deserialize<'de> for Flags<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FlagsVisitor<T>(std::marker::PhantomData<T>);
        impl<T: for<'a> From<&'a str>> Visitor<'_> for FlagsVisitor<T> {
            type Value = Flags<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a comma-separated list of enum members")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Flags<T>, E> {
                let members = text
                    .split(',')
                    .map(str::trim)
                    .filter(|member| !member.is_empty())
                    .map(T::from)
                    .collect();
                Ok(Flags(members))
            }
        }
        deserializer.deserialize_str(FlagsVisitor(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Day(String);
    impl From<&str> for Day {
        fn from(text: &str) -> Self {
            Day(text.to_owned())
        }
    }
    impl AsRef<str> for Day {
        fn as_ref(&self) -> &str {
            &self.0
        }
    }

    #[test]
    fn flags_split_and_join() {
        let flags: Flags<Day> = serde_json::from_str("\"monday, friday\"").unwrap();
        assert_eq!(
            flags.members(),
            &[Day("monday".into()), Day("friday".into())]
        );
        assert_eq!(serde_json::to_string(&flags).unwrap(), "\"monday,friday\"");
    }
}
