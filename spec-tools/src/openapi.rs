//! Reading an OpenAPI document as a plain tree: the helpers every tool of this crate shares.
//!
//! The tools read documents as [`serde_yaml_ng::Value`] trees rather than as typed structs, so
//! that every schema form (an `allOf` mixed with other keywords, an `anyOf` that only adds
//! nullability) is seen exactly as written, nothing the structs do not model is lost, and
//! mapping order (the author's order) is kept.
//!
//! What is here: loading a document, the operations of a path item, mapping entries,
//! references (`$ref`) and following them, the `allOf` structure of a schema and the properties
//! it declares, enum members, and [`describe`], which says what type a property schema holds
//! and whether it may be null.

use std::collections::BTreeSet;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde_yaml_ng::Value;

use crate::error::{Error, Result, SyntaxError};

/// The operation keys of a path item, in the order the OpenAPI specification lists them (the
/// item's other keys are parameters, summary, servers, ...).
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// What every reference to a component starts with.
pub const COMPONENTS_PREFIX: &str = "#/components/";

/// What a reference to a component schema starts with.
pub const SCHEMAS_PREFIX: &str = "#/components/schemas/";

/// How deep the tools follow `allOf` parts and chained references. Real inheritance chains
/// are a few levels deep; a longer one can only be a reference cycle.
pub const MAX_DEPTH: usize = 32;

// ---- loading ----

/// Whether a file is read and written as JSON: its name ends in `.json`, in any case. Every
/// other file is YAML.
pub fn is_json(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("json"))
}

/// Parses a document's text as JSON or as YAML 1.2 (in which `on`, `yes` and `no` are
/// strings, as in JSON, rather than booleans).
pub fn parse_document<T: DeserializeOwned>(text: &str, json: bool) -> Result<T, SyntaxError> {
    if json {
        Ok(serde_json::from_str(text)?)
    } else {
        Ok(serde_yaml_ng::from_str(text)?)
    }
}

/// Reads a file as JSON or YAML, chosen by [`is_json`], into a tree or any deserializable
/// type.
pub fn read_document<T: DeserializeOwned>(path: &Path) -> Result<T> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    parse_document(&text, is_json(path)).map_err(|source| Error::Parse {
        what: path.display().to_string(),
        source,
    })
}

/// Writes a tree to a file as JSON (pretty, ending in a newline) or YAML, chosen by
/// [`is_json`].
pub fn write_document(path: &Path, document: &Value) -> Result<()> {
    let text = if is_json(path) {
        serde_json::to_string_pretty(document)
            .map(|text| text + "\n")
            .map_err(|source| Error::Encode {
                format: "JSON",
                source: source.into(),
            })?
    } else {
        serde_yaml_ng::to_string(document).map_err(|source| Error::Encode {
            format: "YAML",
            source: source.into(),
        })?
    };
    std::fs::write(path, text).map_err(|source| Error::Write {
        path: path.to_owned(),
        source,
    })
}

// ---- mappings and operations ----

/// A scalar as text: strings as they are, numbers and booleans as written, null as `null`.
/// Mappings and sequences have no such text.
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Null => Some("null".to_owned()),
        _ => None,
    }
}

/// The entries of a mapping, with each key as text (YAML lets an author write a response
/// code as the number `200`), in the document's order. Anything but a mapping has none.
pub fn entries(mapping: Option<&Value>) -> impl Iterator<Item = (String, &Value)> {
    mapping
        .and_then(Value::as_mapping)
        .into_iter()
        .flatten()
        .filter_map(|(key, value)| Some((scalar_text(key)?, value)))
}

/// The operations of a path item: each method it has (lower case, in [`METHODS`] order) with
/// its operation object.
pub fn operations(item: &Value) -> impl Iterator<Item = (&'static str, &Value)> {
    METHODS
        .into_iter()
        .filter_map(move |method| Some((method, item.get(method)?)))
}

/// The document's component schemas, by name, in the document's order.
pub fn schemas(document: &Value) -> impl Iterator<Item = (String, &Value)> {
    entries(document.get("components").and_then(|c| c.get("schemas")))
}

// ---- references ----

/// The `$ref` of a node, when it is one.
pub fn reference(node: &Value) -> Option<&str> {
    node.get("$ref")?.as_str()
}

/// The schema a reference names: `#/components/schemas/a.b` → `a.b`. Any other reference is
/// returned whole, so that it still names something in messages.
pub fn schema_name(reference: &str) -> &str {
    reference.strip_prefix(SCHEMAS_PREFIX).unwrap_or(reference)
}

/// Decodes a JSON pointer segment: `~1` is `/` and `~0` is `~`.
pub fn unescape_segment(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// The component a reference points into, as its section and name:
/// `#/components/schemas/a~1b/properties/x` → `("schemas", "a/b")`. `None` for a reference
/// that is not into `#/components/<section>/<name>` of the same document.
pub fn component_ref(reference: &str) -> Option<(String, String)> {
    let rest = reference.strip_prefix(COMPONENTS_PREFIX)?;
    let mut segments = rest.split('/');
    let section = segments.next()?;
    let name = segments.next()?;
    (!section.is_empty() && !name.is_empty())
        .then(|| (unescape_segment(section), unescape_segment(name)))
}

/// Follows a local reference (any JSON pointer into `document`, chains included) to what it
/// points at. A node that is no local reference, or whose target is missing, is returned as
/// it is; so is the last node reached when a chain is longer than [`MAX_DEPTH`].
pub fn follow<'a>(document: &'a Value, node: &'a Value) -> &'a Value {
    let mut current = node;
    for _ in 0..MAX_DEPTH {
        let Some(pointer) = reference(current).and_then(|r| r.strip_prefix("#/")) else {
            return current;
        };
        let target = pointer.split('/').try_fold(document, |node, segment| {
            node.get(unescape_segment(segment))
        });
        match target {
            Some(target) => current = target,
            None => return current,
        }
    }
    current
}

// ---- allOf and properties ----

/// The items of the sequence under `key` (none when it is absent or not a sequence).
fn sequence<'a>(node: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    node.get(key)
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
}

/// The parts of a schema's `allOf`, in order.
pub fn all_of(schema: &Value) -> impl Iterator<Item = &Value> {
    sequence(schema, "allOf")
}

/// The schemas a schema's `allOf` refers to, by name (see [`schema_name`]).
pub fn base_names(schema: &Value) -> impl Iterator<Item = &str> {
    all_of(schema).filter_map(reference).map(schema_name)
}

/// The schemas whose `properties` (and `required`) make up `schema`'s, each once per time it
/// is reached, in the order in which later ones override earlier ones: the parts reached
/// through `allOf`, depth first and in order, then `schema` itself last.
///
/// An inline `allOf` part is always walked into. A part that is a reference is walked into
/// when `resolve` returns the schema it stands for, and contributes nothing when `resolve`
/// returns `None`: so a tool chooses whether inherited properties count as a schema's own.
/// Nothing below [`MAX_DEPTH`] levels of `allOf` is reached, which stops reference cycles.
pub fn property_layers<'a>(
    schema: &'a Value,
    resolve: &dyn Fn(&'a Value) -> Option<&'a Value>,
) -> Vec<&'a Value> {
    let mut layers = Vec::new();
    add_layers(schema, resolve, 0, &mut layers);
    layers
}

fn add_layers<'a>(
    schema: &'a Value,
    resolve: &dyn Fn(&'a Value) -> Option<&'a Value>,
    depth: usize,
    layers: &mut Vec<&'a Value>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    for part in all_of(schema) {
        let target = match reference(part) {
            Some(_) => resolve(part),
            None => Some(part),
        };
        if let Some(target) = target {
            add_layers(target, resolve, depth + 1, layers);
        }
    }
    layers.push(schema);
}

/// The property names a schema lists under `required`.
pub fn required_names(schema: &Value) -> impl Iterator<Item = &str> {
    sequence(schema, "required").filter_map(Value::as_str)
}

/// The members of a schema's `enum` as text, or `None` when it has no `enum`. Scalars are
/// written as [`scalar_text`] writes them, and a mapping or sequence member as compact JSON.
pub fn enum_members(schema: &Value) -> Option<BTreeSet<String>> {
    let members = schema.get("enum")?.as_sequence()?;
    Some(
        members
            .iter()
            .filter_map(|member| scalar_text(member).or_else(|| serde_json::to_string(member).ok()))
            .collect(),
    )
}

// ---- what a property holds ----

/// Whether a member of an `anyOf`/`oneOf` only says "or null", the way Microsoft's converter
/// writes a nullable reference: `anyOf: [{$ref: X}, {type: object, nullable: true}]`.
///
/// The rule: the member is `nullable: true`, its `type` is absent or `object`, and it has no
/// keyword that describes a value: no `$ref`, `properties`, `items`, `allOf`, `anyOf`, `oneOf`
/// or `enum`. An `enum` counts because it limits the value to its members, so a nullable
/// inline enum in a union is an alternative of its own and dropping it would hide a type from
/// the comparison. The generator reads unions by the same rule, so the tools and the
/// generated code agree on what a union holds.
pub fn is_null_placeholder(schema: &Value) -> bool {
    const VALUE_KEYWORDS: [&str; 7] = [
        "$ref",
        "properties",
        "items",
        "allOf",
        "anyOf",
        "oneOf",
        "enum",
    ];
    let nullable = schema.get("nullable").and_then(Value::as_bool) == Some(true);
    let shapeless = VALUE_KEYWORDS.iter().all(|key| schema.get(*key).is_none());
    let object_or_untyped = matches!(
        schema.get("type").and_then(Value::as_str),
        None | Some("object")
    );
    nullable && shapeless && object_or_untyped
}

/// A property schema's type and whether it may be null (`nullable: true` on it, or a null
/// placeholder or nullable member in its union).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Described {
    /// What the value is when it is not null.
    pub shape: Shape,
    /// Whether `null` is allowed.
    pub nullable: bool,
}

/// What a schema holds, with the spellings that mean the same thing made one: a reference,
/// `anyOf: [reference, null placeholder]` and `allOf: [reference]` are all [`Shape::Ref`].
/// Each tool renders shapes in its own words, and may ignore what it does not compare.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Shape {
    /// A reference, by schema name (see [`schema_name`]).
    Ref(String),
    /// `type: array`, with its items when it declares them.
    Array(Option<Box<Described>>),
    /// Several different alternatives of an `anyOf`/`oneOf`, sorted, without duplicates and
    /// without null placeholders. A union with only one alternative is that alternative.
    Union(Vec<Shape>),
    /// Anything else: the `type` keyword (absent for "any value"), its `format`, and the
    /// inline `properties`, in order, when the schema declares any.
    Plain {
        /// The `type` keyword.
        kind: Option<String>,
        /// The `format` keyword.
        format: Option<String>,
        /// The inline properties (`properties:` present, even if empty), by name.
        properties: Option<Vec<(String, Described)>>,
    },
}

impl Shape {
    /// A schema that says nothing about its value.
    pub fn any() -> Shape {
        Shape::Plain {
            kind: None,
            format: None,
            properties: None,
        }
    }
}

/// What a property schema holds. No reference is followed: a reference is described by the
/// name it points at.
pub fn describe(schema: &Value) -> Described {
    let nullable = schema.get("nullable").and_then(Value::as_bool) == Some(true);
    let or_null = |inner: Described| Described {
        shape: inner.shape,
        nullable: nullable || inner.nullable,
    };
    if let Some(target) = reference(schema) {
        return or_null(Described {
            shape: Shape::Ref(schema_name(target).to_owned()),
            nullable: false,
        });
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(members) = schema.get(key).and_then(Value::as_sequence) {
            return or_null(describe_union(members));
        }
    }
    // `allOf: [$ref]` alone is another common spelling of a (nullable) reference.
    if let Some([only]) = schema
        .get("allOf")
        .and_then(Value::as_sequence)
        .map(Vec::as_slice)
    {
        return or_null(describe(only));
    }
    let text = |key: &str| schema.get(key).and_then(Value::as_str).map(str::to_owned);
    let kind = text("type");
    let shape = if kind.as_deref() == Some("array") {
        Shape::Array(schema.get("items").map(|items| Box::new(describe(items))))
    } else {
        Shape::Plain {
            kind,
            format: text("format"),
            properties: schema.get("properties").map(|properties| {
                entries(Some(properties))
                    .map(|(name, property)| (name, describe(property)))
                    .collect()
            }),
        }
    };
    Described { shape, nullable }
}

/// The alternatives of an `anyOf`/`oneOf`: null placeholders make it nullable, and so does a
/// nullable alternative.
fn describe_union(members: &[Value]) -> Described {
    let mut nullable = false;
    let mut shapes = BTreeSet::new();
    for member in members {
        if is_null_placeholder(member) {
            nullable = true;
        } else {
            let described = describe(member);
            nullable |= described.nullable;
            shapes.insert(described.shape);
        }
    }
    let mut shapes: Vec<Shape> = shapes.into_iter().collect();
    let shape = match shapes.len() {
        0 => Shape::any(),
        1 => shapes.remove(0),
        _ => Shape::Union(shapes),
    };
    Described { shape, nullable }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        parse_document(text, false).expect("test YAML parses")
    }

    fn reference_to(name: &str) -> Shape {
        Shape::Ref(name.to_owned())
    }

    #[test]
    fn null_placeholders() {
        for placeholder in [
            "{nullable: true}",
            "{type: object, nullable: true}",
            // Keywords that say nothing about the value do not matter.
            "{type: object, nullable: true, description: x, additionalProperties: {type: object}}",
        ] {
            assert!(is_null_placeholder(&yaml(placeholder)), "{placeholder}");
        }
        for real in [
            "{type: object}",
            "{nullable: false}",
            "{type: string, nullable: true}",
            "{$ref: '#/components/schemas/a', nullable: true}",
            "{type: object, nullable: true, properties: {}}",
            "{type: array, nullable: true, items: {type: string}}",
            "{nullable: true, allOf: [{$ref: '#/components/schemas/a'}]}",
            "{nullable: true, anyOf: [{type: string}]}",
            "{nullable: true, oneOf: [{type: string}]}",
            // An enum limits the value to its members: an alternative of its own.
            "{nullable: true, enum: [low, high]}",
            "{type: object, nullable: true, enum: [{}]}",
        ] {
            assert!(!is_null_placeholder(&yaml(real)), "{real}");
        }
    }

    #[test]
    fn a_nullable_enum_stays_in_its_union() {
        let described = describe(&yaml(
            "anyOf: [{$ref: '#/components/schemas/a'}, {nullable: true, enum: [x]}]",
        ));
        assert!(described.nullable);
        assert_eq!(
            described.shape,
            Shape::Union(vec![reference_to("a"), Shape::any()])
        );
    }

    #[test]
    fn nullable_forms_of_a_reference_are_one_shape() {
        let plain = describe(&yaml("$ref: '#/components/schemas/a'"));
        assert_eq!(
            plain,
            Described {
                shape: reference_to("a"),
                nullable: false
            }
        );
        for nullable in [
            "anyOf: [{$ref: '#/components/schemas/a'}, {type: object, nullable: true}]",
            "allOf: [{$ref: '#/components/schemas/a'}]\nnullable: true",
            "oneOf: [{$ref: '#/components/schemas/a', nullable: true}]",
        ] {
            let described = describe(&yaml(nullable));
            assert_eq!(described.shape, plain.shape, "{nullable}");
            assert!(described.nullable, "{nullable}");
        }
        // A reference to something other than a schema keeps its whole text.
        assert_eq!(
            describe(&yaml("$ref: 'other.yaml#/a'")).shape,
            reference_to("other.yaml#/a")
        );
    }

    #[test]
    fn unions_are_sorted_and_deduplicated() {
        let described = describe(&yaml(
            "oneOf: [{type: string}, {type: number, format: double}, {type: string}, {nullable: true}]",
        ));
        let number = Shape::Plain {
            kind: Some("number".to_owned()),
            format: Some("double".to_owned()),
            properties: None,
        };
        let string = Shape::Plain {
            kind: Some("string".to_owned()),
            format: None,
            properties: None,
        };
        assert_eq!(described.shape, Shape::Union(vec![number, string]));
        assert!(described.nullable);
        let only_null = describe(&yaml("anyOf: [{nullable: true}]"));
        assert_eq!((only_null.shape, only_null.nullable), (Shape::any(), true));
    }

    #[test]
    fn arrays_and_inline_objects() {
        let described = describe(&yaml(
            "type: object\nproperties:\n  value: {type: array, items: {type: string, nullable: true}}\n  next: {type: string, nullable: true}",
        ));
        let Shape::Plain {
            kind, properties, ..
        } = described.shape
        else {
            panic!("not plain: {described:?}");
        };
        assert_eq!(kind.as_deref(), Some("object"));
        let properties = properties.expect("inline properties");
        let names: Vec<&str> = properties.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["value", "next"]);
        let Shape::Array(Some(items)) = &properties[0].1.shape else {
            panic!("not an array with items: {properties:?}");
        };
        assert!(items.nullable);
        assert_eq!(describe(&yaml("type: array")).shape, Shape::Array(None));
    }

    #[test]
    fn references_are_parsed_and_followed() {
        assert_eq!(
            component_ref("#/components/schemas/a~1b/properties/x"),
            Some(("schemas".to_owned(), "a/b".to_owned()))
        );
        assert_eq!(component_ref("#/paths/x"), None);
        assert_eq!(component_ref("#/components/schemas/"), None);
        assert_eq!(component_ref("other.yaml#/components/schemas/x"), None);
        let document = yaml(
            "components:\n  schemas:\n    a: {$ref: '#/components/schemas/b'}\n    b: {type: string}\n    loop: {$ref: '#/components/schemas/loop'}",
        );
        let to_a = yaml("$ref: '#/components/schemas/a'");
        assert_eq!(follow(&document, &to_a), &yaml("type: string"));
        let dangling = yaml("$ref: '#/components/schemas/none'");
        assert_eq!(follow(&document, &dangling), &dangling);
        let to_loop = yaml("$ref: '#/components/schemas/loop'");
        assert!(reference(follow(&document, &to_loop)).is_some());
    }

    #[test]
    fn property_layers_put_the_schema_itself_last() {
        let document = yaml(
            r"
components:
  schemas:
    base: {properties: {id: {type: string}}}
    loop: {allOf: [{$ref: '#/components/schemas/loop'}]}
    thing:
      properties: {own: {type: string}}
      allOf:
        - $ref: '#/components/schemas/base'
        - properties: {part: {type: string}}
",
        );
        let schema = |name: &str| &document["components"]["schemas"][name];
        let own_names = |layers: Vec<&Value>| -> Vec<String> {
            layers
                .into_iter()
                .flat_map(|layer| entries(layer.get("properties")).map(|(name, _)| name))
                .collect()
        };
        assert_eq!(
            own_names(property_layers(schema("thing"), &|part| Some(follow(
                &document, part
            )))),
            ["id", "part", "own"]
        );
        assert_eq!(
            own_names(property_layers(schema("thing"), &|_| None)),
            ["part", "own"]
        );
        // A cycle ends at the depth bound.
        assert_eq!(
            property_layers(schema("loop"), &|part| Some(follow(&document, part))).len(),
            MAX_DEPTH + 1
        );
    }

    #[test]
    fn mapping_keys_operations_and_enum_members_as_text() {
        let responses = yaml("200: {description: ok}\n'204': {description: none}");
        let codes: Vec<String> = entries(Some(&responses)).map(|(code, _)| code).collect();
        assert_eq!(codes, ["200", "204"]);
        let item = yaml("parameters: []\npost: {}\nget: {}\nsummary: s");
        let methods: Vec<&str> = operations(&item).map(|(method, _)| method).collect();
        assert_eq!(methods, ["get", "post"]);
        let members = enum_members(&yaml("enum: [a, 1, true, null, {b: 2}]")).expect("enum");
        assert_eq!(
            members,
            ["1", "a", "null", "true", r#"{"b":2}"#]
                .map(str::to_owned)
                .into()
        );
        assert_eq!(enum_members(&yaml("type: string")), None);
    }

    #[test]
    fn documents_are_read_as_json_or_yaml_by_name() {
        assert!(is_json(Path::new("a/b.JSON")) && !is_json(Path::new("a/b.yaml")));
        let yaml_tree: Value = parse_document("on: yes", false).expect("YAML");
        assert_eq!(yaml_tree.get("on").and_then(Value::as_str), Some("yes"));
        let json_tree: Value = parse_document(r#"{"on": "yes"}"#, true).expect("JSON");
        assert_eq!(json_tree, yaml_tree);
        assert!(parse_document::<Value>("{", true).is_err());
    }

    #[test]
    fn errors_say_what_was_being_done_and_why() {
        let chain = |error: &dyn std::error::Error| {
            let mut text = error.to_string();
            let mut source = error.source();
            while let Some(cause) = source {
                text.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            text
        };
        let missing = read_document::<Value>(Path::new("/no/such/spec.yaml"))
            .expect_err("a missing file is an error");
        assert!(
            chain(&missing).starts_with("reading /no/such/spec.yaml: "),
            "{missing}"
        );
        let dir = tempfile::tempdir().expect("scratch directory");
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, "{").expect("writes");
        let error = read_document::<Value>(&bad).expect_err("bad JSON is an error");
        assert!(matches!(error, Error::Parse { .. }));
        assert!(chain(&error).starts_with(&format!("parsing {}: EOF", bad.display())));
        let written = dir.path().join("out.json");
        write_document(&written, &yaml("{b: [1], a: x}")).expect("writes");
        let text = std::fs::read_to_string(&written).expect("reads");
        assert_eq!(text, "{\n  \"b\": [\n    1\n  ],\n  \"a\": \"x\"\n}\n");
    }
}
