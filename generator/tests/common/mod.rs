//! Helpers shared by the generator's integration tests: small inline specs in, generated
//! files or IR out.

#![allow(dead_code)] // Each test crate uses a different subset.

use generator::ir::{FieldDef, Model, StructDef, TypeDef, TypeKind};
use generator::{Files, Options, RequestsOptions};

/// The lines every test document starts with; tests add `components:` (and `paths:` entries
/// when they need them) after it.
const PREAMBLE: &str = "openapi: 3.0.3\ninfo:\n  title: Test API\n  version: '1.0'\n";

/// A whole YAML document: the preamble, an empty `paths` unless `body` declares one, then
/// `body` (which must start at column 0).
pub fn document(body: &str) -> String {
    let body = body.trim_start_matches('\n');
    if body.lines().any(|line| line.starts_with("paths:")) {
        format!("{PREAMBLE}{body}")
    } else {
        format!("{PREAMBLE}paths: {{}}\n{body}")
    }
}

/// Options that do not depend on the machine.
pub fn options() -> Options {
    Options {
        crate_name: "test-models".to_owned(),
        runtime_dependency: "{ path = \"../runtime\" }".to_owned(),
        source_label: "test.yaml".to_owned(),
        standalone: false,
    }
}

/// Parses `body` (see [`document`]) as YAML, panicking with the error if it is rejected.
pub fn spec(body: &str) -> openapiv3::OpenAPI {
    let text = document(body);
    generator::parse_spec(&text, false)
        .unwrap_or_else(|error| panic!("test spec does not parse: {error}\n{text}"))
}

/// Generates the models crate for `body`, panicking with the error if generation fails.
pub fn generate(body: &str) -> Files {
    let spec = spec(body);
    generator::generate_models(&spec, &options())
        .unwrap_or_else(|error| panic!("generation failed: {error}"))
}

/// Resolves `body` into the IR, panicking with the error if resolution fails.
pub fn resolve(body: &str) -> Model {
    generator::resolve::resolve(&spec(body))
        .unwrap_or_else(|error| panic!("resolution failed: {error}"))
}

/// The named generated files, each under a `==> path <==` line, for one snapshot.
pub fn render(files: &Files, paths: &[&str]) -> String {
    let mut out = String::new();
    for path in paths {
        let text = files.get(*path).unwrap_or_else(|| {
            panic!(
                "no generated file {path}; files: {:?}",
                files.keys().collect::<Vec<_>>()
            )
        });
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("==> {path} <==\n{text}"));
    }
    out
}

/// The type generated for schema `key` (or inline key).
pub fn type_def<'m>(model: &'m Model, key: &str) -> &'m TypeDef {
    model
        .types
        .iter()
        .find(|def| def.key == key)
        .unwrap_or_else(|| {
            panic!(
                "no type for key {key}; keys: {:?}",
                model.types.iter().map(|d| &d.key).collect::<Vec<_>>()
            )
        })
}

/// The type whose Rust name is `name`.
pub fn type_named<'m>(model: &'m Model, name: &str) -> &'m TypeDef {
    model
        .types
        .iter()
        .find(|def| def.name == name)
        .unwrap_or_else(|| {
            panic!(
                "no type named {name}; names: {:?}",
                model.types.iter().map(|d| &d.name).collect::<Vec<_>>()
            )
        })
}

/// The struct generated for schema `key`.
pub fn struct_def<'m>(model: &'m Model, key: &str) -> &'m StructDef {
    match &type_def(model, key).kind {
        TypeKind::Struct(def) => def,
        other => panic!("{key} is not a struct: {other:?}"),
    }
}

/// The field with JSON name `json_name` of the struct for schema `key`.
pub fn field<'m>(model: &'m Model, key: &str, json_name: &str) -> &'m FieldDef {
    struct_def(model, key)
        .fields
        .iter()
        .find(|field| field.json_name == json_name)
        .unwrap_or_else(|| panic!("{key} has no field {json_name}"))
}

/// The JSON names of a struct's fields, in order.
pub fn json_names(model: &Model, key: &str) -> Vec<String> {
    struct_def(model, key)
        .fields
        .iter()
        .map(|field| field.json_name.clone())
        .collect()
}

/// The Rust names of a struct's fields, in order.
pub fn rust_names(model: &Model, key: &str) -> Vec<String> {
    struct_def(model, key)
        .fields
        .iter()
        .map(|field| field.rust_name.clone())
        .collect()
}

/// Requests-crate options that go with [`options`].
pub fn requests_options() -> RequestsOptions {
    RequestsOptions {
        crate_name: "test-requests".to_owned(),
        models_crate_name: "test-models".to_owned(),
        models_dependency: "{ path = \"../models\" }".to_owned(),
    }
}

/// Generates the models crate and the requests crate for `body`, panicking with the error
/// if generation fails.
pub fn generate_both(body: &str) -> (Files, Files) {
    generator::generate_crates(&spec(body), &options(), &requests_options())
        .unwrap_or_else(|error| panic!("generation failed: {error}"))
}
