//! The sans-I/O core of the requests crate: requests and responses as plain values, the
//! encoding of paths and query options, decoding of responses and Graph errors, and the
//! [`Transport`] trait an HTTP client implements to send them.
//!
//! A generated operation builds a [`Request`] without touching the network, and decodes a
//! [`Response`] from status, headers and body bytes; anything that can send a request (the
//! `graph_client` crate, or a test double) plugs in through [`Transport`].

mod body;
mod error;
mod operation;
mod paging;
mod path;
mod query;

use std::future::Future;
use std::pin::Pin;

use serde::de::DeserializeOwned;
use serde::Serialize;

pub use body::{
    decode_bytes, decode_text, form_urlencode, Binary, EncodeBody, EncodedBody, Form, Multipart,
    Text,
};
pub use error::{retry_after, Error, GraphError, InnerError, StatusError};
pub use futures::Stream;
pub use operation::{
    options, Bytes, Call, CountText, Decode, Endpoint, Json, JsonOrNoContent, NoContent, Parts,
    PlainText,
};
pub use paging::{pages, pages_with, Page, Paging};
pub use path::{Key, UrlPath};
pub use query::{match_template, odata_string, path_segment, Query};

/// An HTTP method Graph uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method name as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// A request ready to send: everything a transport needs, nothing it must compute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The method.
    pub method: Method,
    /// The full URL, path and query encoded.
    pub url: String,
    /// Headers, in the order they were added.
    pub headers: Vec<(String, String)>,
    /// The body, for methods that send one.
    pub body: Option<Vec<u8>>,
}

impl Request {
    /// A request without headers or body.
    pub fn new(method: Method, url: String) -> Self {
        Request {
            method,
            url,
            headers: Vec::new(),
            body: None,
        }
    }

    /// Adds a JSON body (and its `Content-Type`).
    pub fn with_json<T: Serialize + ?Sized>(self, body: &T) -> Result<Self, Error> {
        self.with_body(body, "application/json")
    }

    /// Adds a body encoded as its type says (see [`EncodeBody`]) for the media type the
    /// operation declares, and the `Content-Type` it is sent with.
    pub fn with_body<B: EncodeBody + ?Sized>(
        mut self,
        body: &B,
        declared: &str,
    ) -> Result<Self, Error> {
        let encoded = body.encode(declared)?;
        self.headers
            .push(("Content-Type".to_owned(), encoded.content_type));
        self.body = Some(encoded.bytes);
        Ok(self)
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &str, value: String) -> Self {
        self.headers.push((name.to_owned(), value));
        self
    }

    /// The first value of a header (names compare case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// A response as received: status, headers and body bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// The HTTP status code.
    pub status: u16,
    /// Headers as received.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
    /// How many times the request was sent to get this response (retries included).
    pub attempts: u32,
}

impl Response {
    /// A response to a request sent once.
    pub fn new(status: u16, headers: Vec<(String, String)>, body: Vec<u8>) -> Self {
        Response {
            status,
            headers,
            body,
            attempts: 1,
        }
    }

    /// The first value of a header (names compare case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// True for 2xx statuses.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

fn find_header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

/// A future returned by a [`Transport`].
pub type SendFuture<'t> = Pin<Box<dyn Future<Output = Result<Response, Error>> + Send + 't>>;

/// Something that can send a [`Request`] and return the final [`Response`] (after whatever
/// retries it does). Non-2xx responses are returned, not turned into errors: the operation
/// that built the request decodes them.
pub trait Transport: Send + Sync {
    /// The service root requests are built against, such as `https://graph.microsoft.com/v1.0`.
    fn base_url(&self) -> &str;

    /// Sends the request.
    fn send(&self, request: Request) -> SendFuture<'_>;
}

/// A transport that only builds requests: [`Transport::send`] always fails. Useful to build
/// and inspect requests without any network.
#[derive(Clone, Debug)]
pub struct Offline {
    base_url: String,
}

impl Offline {
    /// Builds requests against `base_url` (trailing `/` ignored).
    pub fn new(base_url: &str) -> Self {
        Offline {
            base_url: base_url.trim_end_matches('/').to_owned(),
        }
    }
}

impl Transport for Offline {
    fn base_url(&self) -> &str {
        &self.base_url
    }

    fn send(&self, _request: Request) -> SendFuture<'_> {
        Box::pin(async {
            Err(Error::Transport(
                "the offline transport does not send requests".to_owned(),
            ))
        })
    }
}

/// The UTF-8 byte order mark, which some servers and proxies put before a body.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// The body without a leading byte order mark.
fn without_bom(body: &[u8]) -> &[u8] {
    body.strip_prefix(BOM).unwrap_or(body)
}

/// Decodes a JSON body as `T`, skipping a leading UTF-8 byte order mark: how every
/// operation reads its response.
///
/// The body is checked as UTF-8 once, whole, and then decoded as text. Decoding bytes
/// directly would check each string on its own as it is read, which for a page of
/// decisions (hundreds of short strings) costs about a sixth of the decoding time. A body
/// that isn't UTF-8 is decoded as bytes after all, for serde_json's own error and position.
pub fn decode_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, serde_json::Error> {
    let body = without_bom(body);
    match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(body),
    }
}

/// Decodes a 2xx JSON body as `T` (a leading UTF-8 byte order mark is skipped); any other
/// status becomes [`Error::Status`].
pub fn decode_json<T: DeserializeOwned>(response: &Response) -> Result<T, Error> {
    if !response.is_success() {
        return Err(Error::from_status(response));
    }
    decode_body(&response.body).map_err(|e| Error::decode(response, &e.to_string()))
}

/// Decodes a 2xx JSON body as `T`, or `None` when the response has no body (`204 No
/// Content`): Graph answers many updates with either the updated object or nothing.
pub fn decode_json_or_empty<T: DeserializeOwned>(response: &Response) -> Result<Option<T>, Error> {
    if response.is_success()
        && without_bom(&response.body)
            .iter()
            .all(u8::is_ascii_whitespace)
    {
        return Ok(None);
    }
    decode_json(response).map(Some)
}

/// Accepts any 2xx response and ignores its body (`204 No Content` operations).
pub fn decode_empty(response: &Response) -> Result<(), Error> {
    if response.is_success() {
        Ok(())
    } else {
        Err(Error::from_status(response))
    }
}

/// Decodes a `$count` response: a plain-text integer.
pub fn decode_count(response: &Response) -> Result<i64, Error> {
    if !response.is_success() {
        return Err(Error::from_status(response));
    }
    let text = std::str::from_utf8(without_bom(&response.body))
        .map_err(|e| Error::decode(response, &e.to_string()))?
        .trim();
    text.parse()
        .map_err(|_| Error::decode(response, "a $count response is not an integer"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_and_empty_responses_decode() {
        let ok = Response::new(200, vec![], b"\xef\xbb\xbf42".to_vec());
        assert_eq!(decode_count(&ok).unwrap(), 42);
        assert!(decode_count(&Response::new(200, vec![], b"many".to_vec())).is_err());
        assert!(decode_empty(&Response::new(204, vec![], Vec::new())).is_ok());
    }

    #[test]
    fn a_byte_order_mark_before_json_is_skipped() {
        let response = Response::new(200, vec![], b"\xef\xbb\xbf{\"id\": \"x\"}".to_vec());
        let value: serde_json::Value = decode_json(&response).map_err(|e| e.to_string()).unwrap();
        assert_eq!(value, serde_json::json!({"id": "x"}));
        let empty = Response::new(204, vec![], b"\xef\xbb\xbf".to_vec());
        assert_eq!(
            decode_json_or_empty::<serde_json::Value>(&empty).ok(),
            Some(None)
        );
    }

    #[test]
    fn a_json_body_that_does_not_decode_is_a_typed_error() {
        let response = Response::new(200, vec![], b"{\"id\": ".to_vec());
        match decode_json::<serde_json::Value>(&response) {
            Err(Error::Decode {
                status: 200, body, ..
            }) => assert_eq!(body, "{\"id\": "),
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    #[test]
    fn a_body_that_is_not_utf8_is_a_decode_error_with_a_position() {
        let response = Response::new(200, vec![], b"{\"id\": \"caf\xe9\"}".to_vec());
        match decode_json::<serde_json::Value>(&response) {
            Err(Error::Decode { message, .. }) => {
                assert!(message.contains("column"), "{message}")
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
        let text: serde_json::Value = decode_body("{\"id\": \"café\"}".as_bytes()).unwrap();
        assert_eq!(text, serde_json::json!({"id": "café"}));
    }

    #[test]
    fn offline_builds_but_never_sends() {
        let offline = Offline::new("https://graph.microsoft.com/v1.0/");
        assert_eq!(offline.base_url(), "https://graph.microsoft.com/v1.0");
        let result =
            futures::executor::block_on(offline.send(Request::new(Method::Get, "x".into())));
        assert!(matches!(result, Err(Error::Transport(_))));
    }
}
