//! Turns an OpenAPI 3.0 document into a Rust models crate.
//!
//! The pipeline reads top-down, one module per step:
//! [`parse`] (YAML or JSON text into `openapiv3`), [`resolve`] (into the [`ir`]: references,
//! inheritance, discriminators and names decided once), [`emit`] (IR into token streams),
//! [`format`](mod@format) (token streams into formatted source). The caller writes the files: this crate
//! does no I/O beyond reading the spec it is pointed at.
//!
//! Emitting and formatting go one file at a time ([`generate_crates_with`]): each file's
//! tokens are made, formatted and handed to the caller, on a few threads, in a fixed order,
//! so memory does not grow with the size of the output.

pub mod emit;
pub mod emit_requests;
pub mod error;
pub mod format;
pub mod ir;
pub mod media;
pub mod naming;
pub mod operations;
pub mod parse;
pub mod resolve;
mod stream;
mod view;

use std::collections::BTreeMap;

pub use error::{Error, ErrorKind, Errors};
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

/// Which of the two generated crates a file belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Crate {
    /// The models crate.
    Models,
    /// The requests crate.
    Requests,
}

/// One generated file, as [`generate_crates_with`] hands it over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// The crate it belongs to.
    pub krate: Crate,
    /// Its path relative to the crate directory, with `/` between components.
    pub path: String,
    /// Its contents.
    pub text: String,
}

/// Generates the models crate and the requests crate for `spec`, resolving it once.
pub fn generate_crates(
    spec: &openapiv3::OpenAPI,
    options: &Options,
    requests: &RequestsOptions,
) -> Result<(Files, Files), Error> {
    let mut models = Files::new();
    let mut request_files = Files::new();
    generate_crates_with(spec, options, requests, |file| {
        match file.krate {
            Crate::Models => models.insert(file.path, file.text),
            Crate::Requests => request_files.insert(file.path, file.text),
        };
        Ok::<(), Error>(())
    })?;
    Ok((models, request_files))
}

/// Generates the models crate and the requests crate for `spec` one file at a time, handing
/// each file to `sink` as soon as it is formatted and keeping none of them: memory holds the
/// spec, its IR and a bounded number of files in flight, whatever the size of the output
/// (to drop the spec first, use [`resolve_crates`] and [`Resolved::generate`]).
///
/// Files are emitted and formatted on up to [`default_threads`] threads, and come to `sink`
/// in one fixed order whatever the thread count: the models crate's files, then the requests
/// crate's, each sorted by path component by component (the order of [`std::path::Path`]),
/// so that a caller can hash or compare them as they come. Every error in the spec is found
/// before the first file is handed over; an error from `sink` stops generation and is
/// returned.
pub fn generate_crates_with<E: From<Error>>(
    spec: &openapiv3::OpenAPI,
    options: &Options,
    requests: &RequestsOptions,
    sink: impl FnMut(GeneratedFile) -> Result<(), E>,
) -> Result<(), E> {
    resolve_crates(spec)
        .map_err(Errors::into_first)?
        .generate(options, requests, sink)
}

/// [`generate_crates_with`] on `threads` threads (1: all on the calling thread). The files
/// and their order are the same for every thread count.
pub fn generate_crates_on<E: From<Error>>(
    threads: usize,
    spec: &openapiv3::OpenAPI,
    options: &Options,
    requests: &RequestsOptions,
    sink: impl FnMut(GeneratedFile) -> Result<(), E>,
) -> Result<(), E> {
    resolve_crates(spec)
        .map_err(Errors::into_first)?
        .generate_on(threads, options, requests, sink)
}

/// A spec resolved for both crates: every error in it found, nothing emitted yet. It keeps
/// what generation needs and nothing of the document itself, so the caller can drop the
/// document before generating (for the whole Graph description, the parsed document is
/// most of the memory).
pub struct Resolved {
    info: openapiv3::Info,
    model: ir::Model,
    api: operations::Api,
}

/// Resolves `spec` for [`Resolved::generate`], or reports every error in it that one run
/// finds (see [`resolve::resolve_reporting_all`]).
pub fn resolve_crates(spec: &openapiv3::OpenAPI) -> Result<Resolved, Errors> {
    let model = resolve::resolve_reporting_all(spec)?;
    let api = operations::resolve_operations(spec, &model)?;
    Ok(Resolved {
        info: spec.info.clone(),
        model,
        api,
    })
}

impl Resolved {
    /// [`generate_crates_with`] for the resolved spec.
    pub fn generate<E: From<Error>>(
        &self,
        options: &Options,
        requests: &RequestsOptions,
        sink: impl FnMut(GeneratedFile) -> Result<(), E>,
    ) -> Result<(), E> {
        self.generate_on(default_threads(), options, requests, sink)
    }

    /// [`generate_crates_on`] for the resolved spec.
    pub fn generate_on<E: From<Error>>(
        &self,
        threads: usize,
        options: &Options,
        requests: &RequestsOptions,
        sink: impl FnMut(GeneratedFile) -> Result<(), E>,
    ) -> Result<(), E> {
        let docs = crate_docs(&self.info, options);
        let header = format::header(&options.source_label);
        let models = emit::emit_models(&self.model, &docs);
        let models_lib = requests.models_crate_name.replace('-', "_");
        let request_files =
            emit_requests::emit_requests(&self.api, &self.model, &docs, &models_lib);
        let mut jobs = stream::models_jobs(&self.info, options, &header, &models);
        jobs.extend(stream::requests_jobs(
            &self.info,
            options,
            requests,
            &header,
            &request_files,
        ));
        let emitters = stream::Emitters {
            header: &header,
            models: &models,
            requests: Some(&request_files),
        };
        stream::run(threads, &jobs, &emitters, sink)
    }
}

/// How many threads [`generate_crates_with`] emits and formats on: the machine's parallelism,
/// at most 8 (one caller writes what they make, so more would mostly wait).
pub fn default_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(8)
}

/// Generates the models crate for `spec`.
pub fn generate_models(spec: &openapiv3::OpenAPI, options: &Options) -> Result<Files, Error> {
    let model = resolve::resolve(spec)?;
    let docs = crate_docs(&spec.info, options);
    let header = format::header(&options.source_label);
    let models = emit::emit_models(&model, &docs);
    let jobs = stream::models_jobs(&spec.info, options, &header, &models);
    let emitters = stream::Emitters {
        header: &header,
        models: &models,
        requests: None,
    };
    let mut files = Files::new();
    stream::run(default_threads(), &jobs, &emitters, |file| {
        files.insert(file.path, file.text);
        Ok::<(), Error>(())
    })?;
    Ok(files)
}

fn crate_docs<'a>(info: &'a openapiv3::Info, options: &'a Options) -> emit::CrateDocs<'a> {
    emit::CrateDocs {
        title: &info.title,
        version: &info.version,
        source: &options.source_label,
    }
}
