//! Errors that name the place in the input where generation went wrong.

use std::fmt;

/// Why generation failed, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Where in the input: a JSON pointer into the document (`#/components/schemas/x`), or a
    /// file path for I/O and syntax errors.
    pub location: String,
    /// What is wrong there.
    pub kind: ErrorKind,
}

/// The kinds of failure, so that callers and tests can tell them apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The file could not be read.
    Io(String),
    /// The text is not a valid OpenAPI 3.0 document (YAML or JSON syntax, or wrong shape).
    Syntax(String),
    /// A `$ref` points at something the document does not define.
    MissingReference(String),
    /// The document uses a construct the generator does not support.
    Unsupported(String),
    /// The document is inconsistent (an inheritance cycle, a discriminator mapping to a type
    /// that does not derive from the base, ...).
    Invalid(String),
    /// The text nests collections deeper than the generator reads; found by a scan of the
    /// text before any parser builds a tree, so rejecting it takes time linear in its size.
    TooDeep {
        /// The most levels of nesting accepted.
        limit: usize,
        /// The 1-based line where nesting first went past the limit.
        line: usize,
        /// The 1-based column (in characters) on that line.
        column: usize,
    },
}

impl Error {
    pub(crate) fn new(location: impl Into<String>, kind: ErrorKind) -> Self {
        Error {
            location: location.into(),
            kind,
        }
    }

    pub(crate) fn unsupported(location: &Pointer, what: impl Into<String>) -> Self {
        Error::new(location.to_string(), ErrorKind::Unsupported(what.into()))
    }

    pub(crate) fn invalid(location: &Pointer, what: impl Into<String>) -> Self {
        Error::new(location.to_string(), ErrorKind::Invalid(what.into()))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::Io(message) => write!(f, "{}: cannot read: {message}", self.location),
            ErrorKind::Syntax(message) => write!(
                f,
                "{}: not a valid OpenAPI document: {message}",
                self.location
            ),
            ErrorKind::MissingReference(target) => {
                write!(f, "{}: $ref target {target} is not defined", self.location)
            }
            ErrorKind::Unsupported(what) => write!(f, "{}: unsupported: {what}", self.location),
            ErrorKind::Invalid(what) => write!(f, "{}: invalid: {what}", self.location),
            ErrorKind::TooDeep {
                limit,
                line,
                column,
            } => write!(
                f,
                "{}: nesting deeper than {limit} levels at line {line} column {column}; \
                 the generator reads at most {limit} levels",
                self.location
            ),
        }
    }
}

impl std::error::Error for Error {}

/// A JSON pointer into the document, built up as the resolver descends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pointer(String);

impl Pointer {
    /// The document root, `#`.
    pub fn root() -> Self {
        Pointer("#".to_owned())
    }

    /// The pointer one level down, escaping `~` and `/` as RFC 6901 requires.
    pub fn push(&self, segment: impl fmt::Display) -> Self {
        let segment = segment.to_string().replace('~', "~0").replace('/', "~1");
        Pointer(format!("{}/{}", self.0, segment))
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
