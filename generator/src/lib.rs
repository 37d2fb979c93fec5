//! Turns an OpenAPI 3.0 document into a Rust models crate.
//!
//! The pipeline reads top-down, one module per step:
//! [`parse`] (YAML or JSON text into `openapiv3`), [`resolve`] (into the [`ir`]: references,
//! inheritance, discriminators and names decided once), [`emit`] (IR into token streams),
//! [`format`](mod@format) (token streams into formatted source). The caller writes the files: this crate
//! does no I/O beyond reading the spec it is pointed at.

pub mod emit;
pub mod emit_requests;
pub mod error;
pub mod format;
pub mod ir;
pub mod naming;
pub mod operations;
pub mod parse;
pub mod resolve;
mod view;

use std::collections::BTreeMap;

pub use error::{Error, ErrorKind};
pub use parse::{load_spec, parse_spec};

/// The generator's version, recorded with what it generates.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// How to name and link the generated crate.
#[derive(Debug, Clone)]
pub struct Options {
    /// The models crate's package name, such as `access-reviews-models`.
    pub crate_name: String,
    /// The `graph_runtime` dependency as a Cargo.toml value, such as `{ path = "../../../runtime" }`.
    pub runtime_dependency: String,
    /// How the spec is named in headers (a path relative to the workspace, or a file name):
    /// it must not depend on the machine, so that output is the same everywhere.
    pub source_label: String,
    /// Write `[workspace]` into the crate's Cargo.toml, for crates outside any workspace.
    pub standalone: bool,
}

/// The generated files: path relative to the crate directory -> contents.
pub type Files = BTreeMap<String, String>;

/// How to name and link the requests crate.
#[derive(Debug, Clone)]
pub struct RequestsOptions {
    /// The requests crate's package name, such as `access-reviews-requests`.
    pub crate_name: String,
    /// The models crate's package name (its library name is this with `-` as `_`).
    pub models_crate_name: String,
    /// The models crate dependency as a Cargo.toml value, such as `{ path = "../models" }`.
    pub models_dependency: String,
}

/// Generates the models crate and the requests crate for `spec`, resolving it once.
pub fn generate_crates(
    spec: &openapiv3::OpenAPI,
    options: &Options,
    requests: &RequestsOptions,
) -> Result<(Files, Files), Error> {
    let model = resolve::resolve(spec)?;
    let models = models_files(spec, options, &model)?;
    let api = operations::resolve_operations(spec, &model)?;
    let docs = emit::CrateDocs {
        title: &spec.info.title,
        version: &spec.info.version,
        source: &options.source_label,
    };
    let models_lib = requests.models_crate_name.replace('-', "_");
    let emitted = emit_requests::emit_requests(&api, &model, &docs, &models_lib);
    let header = format::header(&options.source_label);
    let mut files = Files::new();
    files.insert(
        "Cargo.toml".to_owned(),
        format::requests_cargo_toml(options, requests, &spec.info, &header),
    );
    files.insert(
        "src/lib.rs".to_owned(),
        format::rust_file(&header, emitted.lib, "src/lib.rs")?,
    );
    for (module, tokens) in emitted.modules {
        let path = format!("src/{module}.rs");
        let text = format::rust_file(&header, tokens, &path)?;
        files.insert(path, text);
    }
    files.insert("rustfmt.toml".to_owned(), format::rustfmt_toml(&header));
    Ok((models, files))
}

/// Generates the models crate for `spec`.
pub fn generate_models(spec: &openapiv3::OpenAPI, options: &Options) -> Result<Files, Error> {
    let model = resolve::resolve(spec)?;
    models_files(spec, options, &model)
}

fn models_files(
    spec: &openapiv3::OpenAPI,
    options: &Options,
    model: &ir::Model,
) -> Result<Files, Error> {
    let docs = emit::CrateDocs {
        title: &spec.info.title,
        version: &spec.info.version,
        source: &options.source_label,
    };
    let emitted = emit::emit_models(model, &docs);
    let header = format::header(&options.source_label);
    let mut files = Files::new();
    files.insert(
        "Cargo.toml".to_owned(),
        format::cargo_toml(options, &spec.info, &header),
    );
    files.insert(
        "src/lib.rs".to_owned(),
        format::rust_file(&header, emitted.lib, "src/lib.rs")?,
    );
    files.insert(
        "src/schema.rs".to_owned(),
        format::rust_file(&header, emitted.schema, "src/schema.rs")?,
    );
    for (module, tokens) in emitted.modules {
        let path = format!("src/{module}.rs");
        let text = format::rust_file(&header, tokens, &path)?;
        files.insert(path, text);
    }
    files.insert("rustfmt.toml".to_owned(), format::rustfmt_toml(&header));
    Ok(files)
}
