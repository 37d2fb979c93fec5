//! Errors of sending a request and decoding its response.

use std::fmt;
use std::time::{Duration, SystemTime};

use serde::Deserialize;

use super::Response;

/// How much of an undecodable body an error keeps.
const BODY_LIMIT: usize = 2048;

/// Why an operation failed.
///
/// New kinds of failure may be added, so a `match` needs a `_` arm.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be built (a body that does not encode, a bad base URL).
    Build(String),
    /// A key given for a path segment (an id, an OData function argument) would address
    /// another resource if sent: it is empty or missing (an id that is absent or `null`),
    /// or URL parsing would read it as `.` or `..`.
    /// Raised before anything is sent, and by `to_request()` alike.
    InvalidKey {
        /// The key as given.
        value: String,
    },
    /// The request could not be sent or no response arrived (connection, TLS, timeout).
    Transport(String),
    /// The service answered with a status that is not 2xx.
    Status(Box<StatusError>),
    /// A 2xx response whose body does not decode as the operation's type.
    Decode {
        /// The HTTP status.
        status: u16,
        /// What the decoder said.
        message: String,
        /// The start of the body (at most 2 KiB).
        body: String,
    },
    /// The response body is larger than the client's limit. Reading stopped at the limit.
    BodyTooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// The service redirected the request outside the base URL's origin (scheme, host and
    /// port). The redirect was not followed.
    Redirect {
        /// The redirect status (301, 302, 303, 307 or 308); or, when an HTTP client given
        /// by the caller followed the redirect itself, the status the other origin answered.
        status: u16,
        /// Where the service pointed: the `Location` sent, or the URL that answered.
        location: String,
    },
    /// A collection's `@odata.nextLink` pointed at a page that was already fetched, so
    /// following it would never end.
    NextLinkLoop {
        /// The repeated URL.
        url: String,
    },
    /// A collection had more pages than the limit the stream was given.
    TooManyPages {
        /// The limit, in pages.
        limit: usize,
    },
    /// A JSON batch was given more requests than one `$batch` call may carry. Raised when
    /// the request that goes over is added, before anything is sent.
    BatchTooLarge {
        /// The most requests a batch holds.
        limit: usize,
    },
    /// A JSON batch could not be put together (an id used twice, a `dependsOn` naming no
    /// earlier request, a request outside the client's base URL), or the batch answer has
    /// nothing usable for one of its requests (no answer with its id, a body that is
    /// neither JSON nor base64).
    Batch {
        /// The id of the request concerned, when there is one.
        id: Option<String>,
        /// What is wrong.
        message: String,
    },
}

/// A non-2xx answer, with everything Graph says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusError {
    /// The HTTP status.
    pub status: u16,
    /// Graph's error envelope, when the body is one.
    pub error: Option<GraphError>,
    /// The `Retry-After` the service asked for, if any.
    pub retry_after: Option<Duration>,
    /// The start of the body (at most 2 KiB) when it is not a Graph error envelope.
    pub body: Option<String>,
    /// How many times the request was sent (retries included).
    pub attempts: u32,
    /// The `client-request-id` header of the response, for support requests.
    pub client_request_id: Option<String>,
    /// The `request-id` header of the response, for support requests.
    pub request_id: Option<String>,
}

/// Graph's error envelope: `{"error": {"code", "message", "innerError": {...}}}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GraphError {
    /// A machine-readable code, such as `Request_ResourceNotFound`.
    #[serde(default)]
    pub code: String,
    /// A human-readable message.
    #[serde(default)]
    pub message: String,
    /// Diagnostic details.
    #[serde(rename = "innerError", alias = "innererror", default)]
    pub inner_error: Option<InnerError>,
}

/// The diagnostic part of a Graph error.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct InnerError {
    /// The service's id of the request.
    #[serde(rename = "request-id", default)]
    pub request_id: Option<String>,
    /// When the error happened.
    #[serde(default)]
    pub date: Option<String>,
    /// The id the client sent in `client-request-id`.
    #[serde(rename = "client-request-id", default)]
    pub client_request_id: Option<String>,
}

#[derive(Deserialize)]
struct Envelope {
    error: GraphError,
}

impl Error {
    /// The error for a non-2xx response.
    pub fn from_status(response: &Response) -> Self {
        let error = serde_json::from_slice::<Envelope>(&response.body)
            .ok()
            .map(|envelope| envelope.error);
        let body = if error.is_some() {
            None
        } else {
            Some(truncated(&response.body))
        };
        Error::Status(Box::new(StatusError {
            status: response.status,
            error,
            retry_after: retry_after(response, SystemTime::now()),
            body,
            attempts: response.attempts,
            client_request_id: response.header("client-request-id").map(str::to_owned),
            request_id: response.header("request-id").map(str::to_owned),
        }))
    }

    /// The error for a 2xx body that does not decode.
    pub fn decode(response: &Response, message: &str) -> Self {
        Error::Decode {
            status: response.status,
            message: message.to_owned(),
            body: truncated(&response.body),
        }
    }

    /// The HTTP status, for errors that have one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Status(error) => Some(error.status),
            Error::Decode { status, .. } => Some(*status),
            Error::Redirect { status, .. } => Some(*status),
            Error::Build(_)
            | Error::InvalidKey { .. }
            | Error::Transport(_)
            | Error::BodyTooLarge { .. }
            | Error::NextLinkLoop { .. }
            | Error::TooManyPages { .. }
            | Error::BatchTooLarge { .. }
            | Error::Batch { .. } => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Build(message) => write!(f, "cannot build the request: {message}"),
            Error::InvalidKey { value } if value.is_empty() => write!(
                f,
                "the key is empty or missing: without it the request would address the collection, not one item"
            ),
            Error::InvalidKey { value } => write!(
                f,
                "the key {value:?} cannot stand as a path segment: it would address another resource"
            ),
            Error::Transport(message) => write!(f, "cannot reach the service: {message}"),
            Error::BodyTooLarge { limit } => {
                write!(f, "the response body is larger than the limit of {limit} bytes")
            }
            Error::Redirect { status, location } => write!(
                f,
                "HTTP {status}: refusing to follow a redirect outside the service's origin, to {location}"
            ),
            Error::NextLinkLoop { url } => write!(
                f,
                "the collection's @odata.nextLink points back at a page already fetched: {url}"
            ),
            Error::TooManyPages { limit } => {
                write!(f, "the collection has more than {limit} pages, the limit given")
            }
            Error::BatchTooLarge { limit } => {
                write!(f, "a JSON batch holds at most {limit} requests")
            }
            Error::Batch { id: Some(id), message } => {
                write!(f, "batch request {id:?}: {message}")
            }
            Error::Batch { id: None, message } => write!(f, "JSON batch: {message}"),
            Error::Decode {
                status, message, ..
            } => write!(f, "HTTP {status}: the body does not decode: {message}"),
            Error::Status(error) => {
                write!(f, "HTTP {}", error.status)?;
                if let Some(graph) = &error.error {
                    write!(f, " {}: {}", graph.code, graph.message)?;
                    if let Some(id) = graph
                        .inner_error
                        .as_ref()
                        .and_then(|inner| inner.request_id.as_deref())
                    {
                        write!(f, " (request-id {id})")?;
                    }
                }
                if error.attempts > 1 {
                    write!(f, " after {} attempts", error.attempts)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {}

/// The body as text, cut at 2 KiB (on a character boundary).
fn truncated(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if text.len() <= BODY_LIMIT {
        return text.into_owned();
    }
    let mut end = BODY_LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// The delay a response's `Retry-After` asks for: either seconds or an HTTP date (relative
/// to `now`; a date in the past means "now").
pub fn retry_after(response: &Response, now: SystemTime) -> Option<Duration> {
    let value = response.header("Retry-After")?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> Response {
        Response::new(
            status,
            headers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            body.as_bytes().to_vec(),
        )
    }

    #[test]
    fn graph_envelope_is_decoded() {
        let body = r#"{"error": {"code": "Request_ResourceNotFound", "message": "gone",
            "innerError": {"date": "2024-01-01T00:00:00", "request-id": "r-1", "client-request-id": "c-1"}}}"#;
        let Error::Status(error) =
            Error::from_status(&response(404, &[("request-id", "r-1")], body))
        else {
            panic!("expected a status error");
        };
        let graph = error.error.as_ref().unwrap();
        assert_eq!(graph.code, "Request_ResourceNotFound");
        assert_eq!(
            graph.inner_error.as_ref().unwrap().request_id.as_deref(),
            Some("r-1")
        );
        assert_eq!(
            graph
                .inner_error
                .as_ref()
                .unwrap()
                .client_request_id
                .as_deref(),
            Some("c-1")
        );
        assert_eq!(error.body, None);
        assert_eq!(error.request_id.as_deref(), Some("r-1"));
    }

    #[test]
    fn a_body_that_is_not_an_envelope_is_kept_truncated() {
        let long = "x".repeat(10_000);
        let Error::Status(error) = Error::from_status(&response(502, &[], &long)) else {
            panic!()
        };
        let body = error.body.unwrap();
        assert!(body.len() < 2100 && body.ends_with('…'));
    }

    #[test]
    fn retry_after_in_seconds_and_as_a_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            retry_after(&response(429, &[("Retry-After", "7")], ""), now),
            Some(Duration::from_secs(7))
        );
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(
            retry_after(&response(503, &[("retry-after", &later)], ""), now),
            Some(Duration::from_secs(30))
        );
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(
            retry_after(&response(503, &[("Retry-After", &earlier)], ""), now),
            Some(Duration::ZERO)
        );
        assert_eq!(
            retry_after(&response(503, &[("Retry-After", "soon")], ""), now),
            None
        );
    }
}
