//! Facts about the schemas of a generated crate, for tools that check payloads against the
//! spec (the examples check reads these to check documentation examples for shape).

use serde::de::DeserializeOwned;
use serde::Serialize;

/// What kind of schema a type came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaKind {
    /// An object with properties.
    Object,
    /// A string enum.
    Enum,
    /// Another type under a new name.
    Alias,
}

/// One component schema.
#[derive(Debug)]
pub struct TypeInfo {
    /// The schema key, such as `microsoft.graph.accessReviewInstance`.
    pub name: &'static str,
    /// The generated Rust type.
    pub rust_name: &'static str,
    /// What kind of schema it is.
    pub kind: SchemaKind,
    /// The properties, inherited ones included.
    pub properties: &'static [PropertyInfo],
    /// Schema keys of every type deriving from this one, directly or not.
    pub derived: &'static [&'static str],
    /// Enum members, for enums.
    pub members: &'static [&'static str],
}

impl TypeInfo {
    /// The property with this JSON name.
    pub fn property(&self, name: &str) -> Option<&'static PropertyInfo> {
        self.properties
            .iter()
            .find(|property| property.name == name)
    }
}

/// One property of an object schema.
#[derive(Debug)]
pub struct PropertyInfo {
    /// The JSON name.
    pub name: &'static str,
    /// The schema key of its (item) type, when that is a component schema.
    pub type_name: Option<&'static str>,
    /// True for arrays.
    pub collection: bool,
}

/// Finds `name` in a table sorted by name.
pub fn find(table: &'static [TypeInfo], name: &str) -> Option<&'static TypeInfo> {
    table
        .binary_search_by(|info| info.name.cmp(name))
        .ok()
        .map(|index| &table[index])
}

/// Decodes `value` as `T` and encodes it back, to check that nothing is lost.
pub fn roundtrip<T: DeserializeOwned + Serialize>(
    value: serde_json::Value,
) -> Result<serde_json::Value, serde_json::Error> {
    let typed: T = serde_json::from_value(value)?;
    serde_json::to_value(&typed)
}
