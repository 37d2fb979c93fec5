//! What can go wrong: the one error type of this crate.
//!
//! Each error says what was being done (`reading spec/v1.0/access-reviews.yaml`) and keeps the
//! cause as its [`source`](std::error::Error::source), so that a caller printing the chain
//! (anyhow's `{:#}`) shows both.

use std::path::PathBuf;

/// A failure of one of the tools.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read.
    #[error("reading {}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A file could not be written.
    #[error("writing {}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A document is not YAML or JSON, or not of the form expected of it.
    #[error("parsing {what}")]
    Parse {
        /// The document: a file name, or `REV:PATH`.
        what: String,
        /// The parser's message.
        #[source]
        source: SyntaxError,
    },
    /// A document could not be encoded as YAML or JSON.
    #[error("encoding {format}")]
    Encode {
        /// `YAML` or `JSON`.
        format: &'static str,
        /// The encoder's message.
        #[source]
        source: SyntaxError,
    },
    /// A CSDL metadata document is not well-formed XML.
    #[error("scanning {}", path.display())]
    Csdl {
        /// The file.
        path: PathBuf,
        /// The XML parser's message.
        #[source]
        source: roxmltree::Error,
    },
    /// A document's root is not a mapping, so it has no paths or components.
    #[error("the document is not a mapping")]
    NotAMapping,
    /// A spec named on the command line is neither a file nor `REV:PATH`.
    #[error("{spec}: no such file, and not of the form REV:PATH")]
    NoSuchSpec {
        /// The name as given.
        spec: String,
    },
    /// git could not be started.
    #[error("running git show")]
    GitUnavailable(#[source] std::io::Error),
    /// `git show REV:PATH` failed.
    #[error("git show {object}: {message}")]
    Git {
        /// `REV:PATH`.
        object: String,
        /// What git printed on its error output.
        message: String,
    },
    /// The file git showed is not UTF-8 text.
    #[error("{object} is not UTF-8")]
    NotUtf8 {
        /// `REV:PATH`.
        object: String,
        /// Where the text stops being UTF-8.
        #[source]
        source: std::string::FromUtf8Error,
    },
    /// `spec-check` was asked for a version it does not know.
    #[error("unknown version {name}; expected one of {expected}")]
    UnknownVersion {
        /// The name as given.
        name: String,
        /// The names it knows, comma-separated.
        expected: String,
    },
}

/// A YAML or JSON parser's or encoder's error.
#[derive(Debug, thiserror::Error)]
pub enum SyntaxError {
    /// From the YAML parser or encoder.
    #[error(transparent)]
    Yaml(#[from] serde_yaml_ng::Error),
    /// From the JSON parser or encoder.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

/// The result of the tools' fallible functions.
pub type Result<T, E = Error> = std::result::Result<T, E>;
