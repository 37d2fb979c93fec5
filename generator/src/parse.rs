//! Step 1: read an OpenAPI 3.0 document from YAML or JSON text.

use std::path::Path;

use openapiv3::OpenAPI;

use crate::error::{Error, ErrorKind};

mod depth;
mod split;

/// YAML documents at least this large are read in two halves at once (see `split`).
const SPLIT_BYTES: usize = 1 << 20;

/// The deepest nesting of collections accepted in a document. serde_json and serde_yaml_ng
/// give up at this depth too; real specs nest about a dozen levels.
pub const MAX_DEPTH: usize = 128;

/// Reads and parses the document at `path` (YAML, or JSON when the name ends in `.json`).
pub fn load_spec(path: &Path) -> Result<OpenAPI, Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::new(path.display().to_string(), ErrorKind::Io(e.to_string())))?;
    let is_json = path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
    parse_spec(&text, is_json).map_err(|mut error| {
        error.location = format!("{}: {}", path.display(), error.location);
        error
    })
}

/// Parses document text. YAML is read with a YAML 1.2 core-schema parser, so a parameter
/// named `on` stays the string "on" (a YAML 1.1 parser would turn it into `true`).
/// On a shape error, the location is the JSON pointer of the offending node. Text that nests
/// deeper than [`MAX_DEPTH`] is rejected by a linear scan before either parser runs.
pub fn parse_spec(text: &str, is_json: bool) -> Result<OpenAPI, Error> {
    let scanned = if is_json {
        depth::scan_json(text, MAX_DEPTH)
    } else {
        depth::scan_yaml(text, MAX_DEPTH)
    };
    if let Err(at) = scanned {
        return Err(Error::new(
            crate::error::Pointer::root().to_string(),
            ErrorKind::TooDeep {
                limit: MAX_DEPTH,
                line: at.line,
                column: at.column,
            },
        ));
    }
    if !is_json && text.len() >= SPLIT_BYTES {
        if let Some(spec) = split::parse_in_two(text) {
            return check_version(spec);
        }
    }
    let result = if is_json {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut deserializer)
            .map_err(|e| located(e.path(), e.inner().to_string()))
    } else {
        let deserializer = serde_yaml_ng::Deserializer::from_str(text);
        serde_path_to_error::deserialize(deserializer)
            .map_err(|e| located(e.path(), e.inner().to_string()))
    };
    match result {
        Ok(spec) => check_version(spec),
        // A document of another OpenAPI version usually fails to parse on some construct
        // of its own; saying which version it is explains more than that construct does.
        Err(error) => match other_version(text, is_json) {
            Some(version_error) => Err(version_error),
            None => reread(text, is_json, error),
        },
    }
}

/// A second reading of a 3.0 document that did not parse, done only then (so it costs a
/// well-formed document nothing), as a JSON value tree:
///
/// - `type: [X, 'null']`, the JSON Schema spelling of "X or null" that some 3.0
///   documents borrow, is read as `type: X` with `nullable: true`, which is what it means
///   (the tree's maps are sorted, so such a document's properties come in key order);
/// - if the document still does not parse and the first error was only located at
///   `#/paths` (openapiv3 buffers the path map, so the pointer can go no deeper), each
///   path item is read on its own, and the error names the item and the member at fault.
///
/// Otherwise the first error stands.
fn reread(text: &str, is_json: bool, first: Error) -> Result<OpenAPI, Error> {
    let tree: Result<serde_json::Value, String> = if is_json {
        serde_json::from_str(text).map_err(|e| e.to_string())
    } else {
        serde_yaml_ng::from_str(text).map_err(|e| e.to_string())
    };
    let Ok(mut tree) = tree else {
        return Err(first);
    };
    let rewritten = nullable_type_lists(&mut tree);
    if rewritten {
        if let Ok(spec) = serde_path_to_error::deserialize::<_, OpenAPI>(&tree) {
            return check_version(spec);
        }
    }
    let paths_pointer = crate::error::Pointer::root().push("paths");
    if first.location != paths_pointer.to_string() {
        return Err(first);
    }
    let Some(paths) = tree.get("paths").and_then(serde_json::Value::as_object) else {
        return Err(first);
    };
    for (path, item) in paths {
        if path.starts_with("x-") {
            continue;
        }
        if let Some(error) = locate_in_path_item(item, &paths_pointer.push(path)) {
            return Err(error);
        }
    }
    Err(first)
}

/// The error in one path item, located as deep as its parts can be read one by one: each
/// operation, then the item's own parameters and servers, then the item as a whole.
fn locate_in_path_item(item: &serde_json::Value, pointer: &crate::error::Pointer) -> Option<Error> {
    fn read<T: serde::de::DeserializeOwned>(
        value: &serde_json::Value,
        pointer: &crate::error::Pointer,
    ) -> Option<Error> {
        let error = serde_path_to_error::deserialize::<_, T>(value).err()?;
        let mut error = located(error.path(), error.inner().to_string());
        let below = error
            .location
            .strip_prefix('#')
            .unwrap_or(&error.location)
            .to_owned();
        error.location = format!("{pointer}{below}");
        Some(error)
    }
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    if let Some(map) = item.as_object() {
        for (key, value) in map {
            let at = pointer.push(key);
            let error = if METHODS.contains(&key.as_str()) {
                read::<openapiv3::Operation>(value, &at)
            } else if key == "parameters" {
                read::<Vec<openapiv3::ReferenceOr<openapiv3::Parameter>>>(value, &at)
            } else if key == "servers" {
                read::<Vec<openapiv3::Server>>(value, &at)
            } else {
                None
            };
            if error.is_some() {
                return error;
            }
        }
    }
    read::<openapiv3::ReferenceOr<openapiv3::PathItem>>(item, pointer)
}

/// Rewrites every `type: [X, 'null']` (or `['null', X]`) in `tree` as `type: X, nullable:
/// true`; true if there was one. Example values and extensions are left alone: they are
/// data, not schemas.
fn nullable_type_lists(tree: &mut serde_json::Value) -> bool {
    let mut rewritten = false;
    let mut stack = vec![tree];
    while let Some(node) = stack.pop() {
        match node {
            serde_json::Value::Object(map) => {
                let single = match map.get("type").and_then(serde_json::Value::as_array) {
                    Some(types) if types.len() == 2 => {
                        let names: Vec<Option<&str>> =
                            types.iter().map(serde_json::Value::as_str).collect();
                        match names.as_slice() {
                            [Some("null"), Some(other)] | [Some(other), Some("null")]
                                if *other != "null" =>
                            {
                                Some((*other).to_owned())
                            }
                            _ => None,
                        }
                    }
                    _ => None,
                };
                if let Some(single) = single {
                    map.insert("type".to_owned(), serde_json::Value::String(single));
                    map.insert("nullable".to_owned(), serde_json::Value::Bool(true));
                    rewritten = true;
                }
                for (key, value) in map.iter_mut() {
                    if !matches!(key.as_str(), "example" | "examples" | "default" | "enum")
                        && !key.starts_with("x-")
                    {
                        stack.push(value);
                    }
                }
            }
            serde_json::Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
    rewritten
}

/// What the generator reads, for messages about other versions.
const SUPPORTED: &str = "this generator reads OpenAPI 3.0.x documents";

/// Accepts a parsed document only if it says it is OpenAPI 3.0: a 3.1 document may parse as
/// 3.0 and still mean something else (`type: [string, 'null']`, `examples`, JSON Schema
/// 2020-12 keywords), so it is refused rather than read wrongly.
fn check_version(spec: OpenAPI) -> Result<OpenAPI, Error> {
    let version = spec.openapi.trim();
    if version == "3.0" || version.starts_with("3.0.") {
        return Ok(spec);
    }
    Err(Error::unsupported(
        &crate::error::Pointer::root().push("openapi"),
        format!("OpenAPI version {version:?}: {SUPPORTED}"),
    ))
}

/// For a document that did not parse: an error naming its version, if it is a Swagger 2.0
/// document or names an OpenAPI version other than 3.0. Reads only the top-level keys.
fn other_version(text: &str, is_json: bool) -> Option<Error> {
    #[derive(serde::Deserialize)]
    struct TopLevel {
        swagger: Option<serde_json::Value>,
        openapi: Option<serde_json::Value>,
    }
    let top: TopLevel = if is_json {
        serde_json::from_str(text).ok()?
    } else {
        serde_yaml_ng::from_str(text).ok()?
    };
    let text_of = |value: serde_json::Value| match value {
        serde_json::Value::String(text) => text.trim().to_owned(),
        other => other.to_string(),
    };
    let root = crate::error::Pointer::root();
    if let Some(swagger) = top.swagger {
        return Some(Error::unsupported(
            &root.push("swagger"),
            format!(
                "a Swagger {} document: {SUPPORTED}; convert it to OpenAPI 3.0 first",
                text_of(swagger)
            ),
        ));
    }
    let version = text_of(top.openapi?);
    (version != "3.0" && !version.starts_with("3.0.")).then(|| {
        Error::unsupported(
            &root.push("openapi"),
            format!("OpenAPI version {version:?}: {SUPPORTED}"),
        )
    })
}

fn located(path: &serde_path_to_error::Path, message: String) -> Error {
    let mut pointer = crate::error::Pointer::root();
    for segment in path.iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => pointer = pointer.push(index),
            serde_path_to_error::Segment::Map { key } => pointer = pointer.push(key),
            serde_path_to_error::Segment::Enum { variant } => pointer = pointer.push(variant),
            serde_path_to_error::Segment::Unknown => pointer = pointer.push("?"),
        }
    }
    Error::new(pointer.to_string(), ErrorKind::Syntax(message))
}
