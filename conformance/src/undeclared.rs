//! The undeclared-property scan: every property a documented body shows must be one the spec
//! declares on the body's type (or on the derived type its `@odata.type` names), at every
//! depth the schema table types.
//!
//! The round trip can't see these: the generated types keep unknown properties and write
//! them back, so a misspelled, renamed or newer documented property would pass it. That is
//! exactly what the check exists to catch when the docs change, so it is a failure kind of
//! its own.

use std::fmt;

use graph_runtime::schema::{SchemaKind, TypeInfo};
use serde_json::{Map, Value};

/// A documented property the spec doesn't declare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undeclared {
    /// Where it stands in the body, as a JSON path (`$.value[0].target`).
    pub path: String,
    /// What lacks it: a schema key, `Collection(<key>)` for a collection's wrapper, or the
    /// operation's parameters for an action body the spec declares inline.
    pub owner: String,
}

impl fmt::Display for Undeclared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "undeclared property {}: {} declares no such property",
            self.path, self.owner
        )
    }
}

/// What a body is expected to be.
pub(crate) enum Shape {
    /// An object of this schema (or a collection of them, in `{"value": [...]}`).
    Typed {
        /// The schema key.
        name: String,
        /// A collection response.
        collection: bool,
    },
    /// An object whose properties the operation declares inline (an action's parameters).
    Inline(Vec<String>),
    /// Nothing says what it is.
    Unknown,
}

/// The schema table of one API version.
pub(crate) type Lookup = fn(&str) -> Option<&'static TypeInfo>;

/// Every undeclared property of `value`, in document order. `tolerated` names properties an
/// erratum accepts wherever they appear. Instance annotations (`@odata.context`,
/// `decisions@odata.nextLink`) are not properties and are never reported.
pub(crate) fn scan(
    lookup: Lookup,
    shape: &Shape,
    value: &Value,
    tolerated: &[String],
) -> Vec<Undeclared> {
    let mut found = Vec::new();
    let skip = |key: &str| key.contains('@') || tolerated.iter().any(|t| t == key);
    match shape {
        Shape::Typed {
            name,
            collection: true,
        } => {
            let Some(wrapper) = value.as_object() else {
                return found;
            };
            for key in wrapper.keys().filter(|key| *key != "value" && !skip(key)) {
                found.push(Undeclared {
                    path: child("$", key),
                    owner: format!("Collection({name})"),
                });
            }
            if let Some(items) = wrapper.get("value").and_then(Value::as_array) {
                for (position, item) in items.iter().enumerate() {
                    let path = format!("$.value[{position}]");
                    walk(lookup, item, name, &path, &skip, &mut found);
                }
            }
        }
        Shape::Typed { name, .. } => walk(lookup, value, name, "$", &skip, &mut found),
        Shape::Inline(parameters) => {
            if let Some(object) = value.as_object() {
                for key in object.keys().filter(|key| !skip(key)) {
                    if !parameters.contains(key) {
                        found.push(Undeclared {
                            path: child("$", key),
                            owner: "the operation's parameters".to_owned(),
                        });
                    }
                }
            }
        }
        Shape::Unknown => {}
    }
    found
}

fn walk(
    lookup: Lookup,
    value: &Value,
    type_name: &str,
    path: &str,
    skip: &dyn Fn(&str) -> bool,
    found: &mut Vec<Undeclared>,
) {
    match value {
        Value::Array(items) => {
            for (position, item) in items.iter().enumerate() {
                let path = format!("{path}[{position}]");
                walk(lookup, item, type_name, &path, skip, found);
            }
        }
        Value::Object(object) => {
            let Some(info) = lookup(type_name).filter(|info| info.kind == SchemaKind::Object)
            else {
                return;
            };
            let info = named_type(lookup, info, object).unwrap_or(info);
            for (key, nested) in object {
                if skip(key) {
                    continue;
                }
                let path = child(path, key);
                match info.property(key) {
                    None => found.push(Undeclared {
                        path,
                        owner: info.name.to_owned(),
                    }),
                    Some(property) => {
                        if let Some(nested_type) = property.type_name {
                            walk(lookup, nested, nested_type, &path, skip, found);
                        }
                    }
                }
            }
        }
        _ => {}
    }
}

/// The derived type an object's `@odata.type` names, when that is `declared` or derives from
/// it; otherwise the declared type is what the payload decodes as (and the shape check or
/// the round trip reports the type name).
fn named_type(
    lookup: Lookup,
    declared: &'static TypeInfo,
    object: &Map<String, Value>,
) -> Option<&'static TypeInfo> {
    let named = object.get("@odata.type")?.as_str()?.trim_start_matches('#');
    let fits = named == declared.name || declared.derived.contains(&named);
    fits.then(|| lookup(named)).flatten()
}

/// `$.a` for plain keys, `$["a.b"]` for keys a dotted path would misread.
fn child(path: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if plain {
        format!("{path}.{key}")
    } else {
        format!("{path}[{key:?}]")
    }
}
