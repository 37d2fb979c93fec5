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

/// Every error found in one run, in the order found, each once: never empty. The resolver
/// goes on past a component or an operation that fails, so one run reports them all; it
/// stops at the end of the step that found them, since the next step would read what failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Errors {
    first: Error,
    rest: Vec<Error>,
}

impl Errors {
    /// The errors of `found`, in order and without repeats, or `None` if there are none.
    pub fn from_vec(found: Vec<Error>) -> Option<Self> {
        let mut unique: Vec<Error> = Vec::with_capacity(found.len());
        for error in found {
            if !unique.contains(&error) {
                unique.push(error);
            }
        }
        let mut errors = unique.into_iter();
        let first = errors.next()?;
        Some(Errors {
            first,
            rest: errors.collect(),
        })
    }

    /// The first error found: the one a caller that stops at the first would have seen.
    pub fn first(&self) -> &Error {
        &self.first
    }

    /// The first error found, dropping the others.
    pub fn into_first(self) -> Error {
        self.first
    }

    /// How many errors there are (at least one).
    #[allow(clippy::len_without_is_empty)] // Never empty: there is nothing to ask.
    pub fn len(&self) -> usize {
        1 + self.rest.len()
    }

    /// The errors in the order found.
    pub fn iter(&self) -> impl Iterator<Item = &Error> {
        std::iter::once(&self.first).chain(&self.rest)
    }
}

impl From<Error> for Errors {
    fn from(error: Error) -> Self {
        Errors {
            first: error,
            rest: Vec::new(),
        }
    }
}

/// One error per line.
impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, error) in self.iter().enumerate() {
            if index > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

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
