//! Request bodies of every media type an operation can declare, and the two response
//! decoders that are not JSON.
//!
//! An [`Endpoint`](super::Endpoint) names its body type and the media type the spec declares
//! for it ([`Endpoint::CONTENT_TYPE`](super::Endpoint::CONTENT_TYPE)); the body type turns
//! itself into bytes through [`EncodeBody`]. Any `Serialize` type is sent as JSON, so a JSON
//! body is the plain model type. The other media types have a wrapper each, none of which is
//! `Serialize`, so that a wrapper can never be sent as JSON by mistake:
//!
//! | declared media type | body type |
//! |---|---|
//! | `application/json`, `*+json` | the model type itself |
//! | `application/x-www-form-urlencoded` | [`Form<T>`]: a model struct, sent as `name=value&...` |
//! | `multipart/form-data` | [`Multipart`]: named text and file parts |
//! | `text/plain` | [`Text`] |
//! | anything else (`application/octet-stream`, `image/png`, ...) | [`Binary`] |

use serde::Serialize;

use super::{Error, Response};

/// A request body ready to send: its bytes and the `Content-Type` header that goes with them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedBody {
    /// The `Content-Type` header value.
    pub content_type: String,
    /// The body bytes.
    pub bytes: Vec<u8>,
}

/// How a request body becomes bytes. `declared` is the media type the spec declares for the
/// operation; the encoding may refine it (a multipart body adds its boundary).
pub trait EncodeBody {
    /// The bytes to send and their `Content-Type`.
    fn encode(&self, declared: &str) -> Result<EncodedBody, Error>;
}

/// Every serializable type is a JSON body: the generated models, `serde_json::Value`, and `()`
/// (which operations without a body name and never send).
impl<T: Serialize + ?Sized> EncodeBody for T {
    fn encode(&self, declared: &str) -> Result<EncodedBody, Error> {
        let bytes = serde_json::to_vec(self)
            .map_err(|e| Error::Build(format!("encoding the body: {e}")))?;
        Ok(EncodedBody {
            content_type: declared.to_owned(),
            bytes,
        })
    }
}

/// A body sent as `application/x-www-form-urlencoded`: the properties of `T`, in the order
/// `T` serializes them, as `name=value` pairs joined by `&`.
///
/// A property that is absent or `null` is left out; a number or a boolean is written as its
/// JSON text; an array repeats the name once per element (`tag=a&tag=b`). A property that is an
/// object, or an array holding one, has no form encoding and is an [`Error::Build`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Form<T>(pub T);

impl<T: Serialize> EncodeBody for Form<T> {
    fn encode(&self, declared: &str) -> Result<EncodedBody, Error> {
        let value = serde_json::to_value(&self.0)
            .map_err(|e| Error::Build(format!("encoding the form body: {e}")))?;
        let serde_json::Value::Object(fields) = value else {
            return Err(Error::Build(
                "a form body must be an object of named fields".to_owned(),
            ));
        };
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (name, value) in fields {
            match value {
                serde_json::Value::Array(items) => {
                    for item in items {
                        if let Some(text) = form_scalar(&name, item)? {
                            pairs.push((name.clone(), text));
                        }
                    }
                }
                other => {
                    if let Some(text) = form_scalar(&name, other)? {
                        pairs.push((name, text));
                    }
                }
            }
        }
        Ok(EncodedBody {
            content_type: declared.to_owned(),
            bytes: form_urlencode(&pairs).into_bytes(),
        })
    }
}

/// The text of one form value; `None` for `null`, which is left out.
fn form_scalar(name: &str, value: serde_json::Value) -> Result<Option<String>, Error> {
    match value {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::String(text) => Ok(Some(text)),
        serde_json::Value::Bool(flag) => Ok(Some(flag.to_string())),
        serde_json::Value::Number(number) => Ok(Some(number.to_string())),
        serde_json::Value::Array(_) | serde_json::Value::Object(_) => Err(Error::Build(format!(
            "the form field {name} holds a nested value, which a form can't carry"
        ))),
    }
}

/// `name=value&...` as the WHATWG URL standard's `application/x-www-form-urlencoded`
/// serializer writes it: ASCII letters, digits and `*-._` stay, a space is `+`, every other
/// byte of the UTF-8 text is `%XX`.
pub fn form_urlencode(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    for (index, (name, value)) in pairs.iter().enumerate() {
        if index > 0 {
            out.push('&');
        }
        form_escape_into(name, &mut out);
        out.push('=');
        form_escape_into(value, &mut out);
    }
    out
}

fn form_escape_into(text: &str, out: &mut String) {
    for byte in text.bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
}

/// A `multipart/form-data` body (RFC 7578): named parts, each a text field or a file with
/// its bytes, file name and content type, sent in the order they were added.
///
/// The boundary is chosen when the body is encoded: the first of `graph-boundary-0`,
/// `graph-boundary-1`, ... that occurs in no part, so the same parts always give the same
/// bytes and a part can never end the body early.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Multipart {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    bytes: Vec<u8>,
}

impl Multipart {
    /// A body without parts.
    pub fn new() -> Self {
        Multipart::default()
    }

    /// Adds a text field.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts.push(Part {
            name: name.into(),
            file_name: None,
            content_type: None,
            bytes: value.into().into_bytes(),
        });
        self
    }

    /// Adds a file part: its bytes, the file name the server sees, and its content type
    /// (`application/octet-stream` when in doubt).
    pub fn file(
        mut self,
        name: impl Into<String>,
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        bytes: impl Into<Vec<u8>>,
    ) -> Self {
        self.parts.push(Part {
            name: name.into(),
            file_name: Some(file_name.into()),
            content_type: Some(content_type.into()),
            bytes: bytes.into(),
        });
        self
    }

    /// The boundary [`encode`](EncodeBody::encode) uses: the first candidate that occurs in
    /// no part's bytes, name, file name or content type.
    pub fn boundary(&self) -> String {
        (0u64..)
            .map(|n| format!("graph-boundary-{n}"))
            .find(|candidate| {
                let needle = candidate.as_bytes();
                !self.parts.iter().any(|part| {
                    contains(&part.bytes, needle)
                        || part.name.contains(candidate.as_str())
                        || part
                            .file_name
                            .as_deref()
                            .is_some_and(|f| f.contains(candidate.as_str()))
                        || part
                            .content_type
                            .as_deref()
                            .is_some_and(|c| c.contains(candidate.as_str()))
                })
            })
            .unwrap_or_default()
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// A name or file name inside a quoted `Content-Disposition` parameter: `"`, `\r` and `\n`
/// are percent-encoded, as the HTML standard's form submission does, so no value can end the
/// quoted string or the header line.
fn disposition_quote(text: &str) -> String {
    text.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

impl EncodeBody for Multipart {
    fn encode(&self, declared: &str) -> Result<EncodedBody, Error> {
        let boundary = self.boundary();
        let mut bytes = Vec::new();
        for part in &self.parts {
            if let Some(content_type) = &part.content_type {
                if content_type.contains(['\r', '\n']) {
                    return Err(Error::Build(format!(
                        "the content type of part {} has a line break",
                        part.name
                    )));
                }
            }
            bytes.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let mut disposition = format!(
                "Content-Disposition: form-data; name=\"{}\"",
                disposition_quote(&part.name)
            );
            if let Some(file_name) = &part.file_name {
                disposition.push_str(&format!("; filename=\"{}\"", disposition_quote(file_name)));
            }
            bytes.extend_from_slice(disposition.as_bytes());
            bytes.extend_from_slice(b"\r\n");
            if let Some(content_type) = &part.content_type {
                bytes.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
            }
            bytes.extend_from_slice(b"\r\n");
            bytes.extend_from_slice(&part.bytes);
            bytes.extend_from_slice(b"\r\n");
        }
        bytes.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        // The declared type may carry parameters of its own; the boundary is the one that
        // matters, so it replaces them.
        let media = declared.split(';').next().unwrap_or(declared).trim();
        Ok(EncodedBody {
            content_type: format!("{media}; boundary={boundary}"),
            bytes,
        })
    }
}

/// A body of raw bytes, sent with the media type the operation declares
/// (`application/octet-stream`, `image/png`, ...).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Binary(pub Vec<u8>);

impl EncodeBody for Binary {
    fn encode(&self, declared: &str) -> Result<EncodedBody, Error> {
        Ok(EncodedBody {
            content_type: declared.to_owned(),
            bytes: self.0.clone(),
        })
    }
}

/// A `text/plain` body, sent as UTF-8.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text(pub String);

impl EncodeBody for Text {
    fn encode(&self, declared: &str) -> Result<EncodedBody, Error> {
        Ok(EncodedBody {
            content_type: declared.to_owned(),
            bytes: self.0.clone().into_bytes(),
        })
    }
}

/// Decodes a 2xx response as its raw body bytes.
pub fn decode_bytes(response: &Response) -> Result<Vec<u8>, Error> {
    if !response.is_success() {
        return Err(Error::from_status(response));
    }
    Ok(response.body.clone())
}

/// Decodes a 2xx response as UTF-8 text (a leading byte order mark is skipped); text that is
/// not UTF-8 is an [`Error::Decode`].
pub fn decode_text(response: &Response) -> Result<String, Error> {
    if !response.is_success() {
        return Err(Error::from_status(response));
    }
    let body = super::without_bom(&response.body);
    std::str::from_utf8(body)
        .map(str::to_owned)
        .map_err(|e| Error::decode(response, &format!("the body is not UTF-8 text: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Login {
        user: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        remember: Option<bool>,
        tries: i64,
        tags: Vec<String>,
        note: Option<String>,
    }

    #[test]
    fn a_form_escapes_reserved_bytes_and_writes_spaces_as_plus() {
        let body = Form(Login {
            user: "a b&c=d/é".to_owned(),
            remember: Some(true),
            tries: 3,
            tags: vec!["x".to_owned(), "y+z".to_owned()],
            note: None,
        });
        let encoded = body.encode("application/x-www-form-urlencoded").unwrap();
        assert_eq!(encoded.content_type, "application/x-www-form-urlencoded");
        let text = String::from_utf8(encoded.bytes).unwrap();
        // serde_json orders an object's keys, so the pairs come sorted by name; the null
        // `note` is left out and the array repeats its name.
        assert_eq!(
            text,
            "remember=true&tags=x&tags=y%2Bz&tries=3&user=a+b%26c%3Dd%2F%C3%A9"
        );
    }

    #[test]
    fn a_form_field_holding_an_object_is_an_error_not_a_guess() {
        let body = Form(serde_json::json!({"outer": {"inner": 1}}));
        match body.encode("application/x-www-form-urlencoded") {
            Err(Error::Build(message)) => assert!(message.contains("outer"), "{message}"),
            other => panic!("expected a build error, got {other:?}"),
        }
        let not_an_object = Form(vec![1, 2]);
        assert!(matches!(
            not_an_object.encode("application/x-www-form-urlencoded"),
            Err(Error::Build(_))
        ));
    }

    #[test]
    fn a_multipart_body_has_its_parts_headers_and_a_closing_boundary() {
        let body = Multipart::new().text("title", "cat").file(
            "photo",
            "cat.png",
            "image/png",
            vec![0u8, 159, 146, 150],
        );
        let encoded = body.encode("multipart/form-data").unwrap();
        assert_eq!(
            encoded.content_type,
            "multipart/form-data; boundary=graph-boundary-0"
        );
        let mut expected = b"--graph-boundary-0\r\n\
Content-Disposition: form-data; name=\"title\"\r\n\r\ncat\r\n\
--graph-boundary-0\r\n\
Content-Disposition: form-data; name=\"photo\"; filename=\"cat.png\"\r\n\
Content-Type: image/png\r\n\r\n"
            .to_vec();
        expected.extend_from_slice(&[0, 159, 146, 150]);
        expected.extend_from_slice(b"\r\n--graph-boundary-0--\r\n");
        assert_eq!(encoded.bytes, expected);
    }

    #[test]
    fn a_multipart_boundary_never_occurs_in_a_part() {
        let body = Multipart::new()
            .text("a", "contains graph-boundary-0 and graph-boundary-1")
            .file("b", "graph-boundary-2.txt", "text/plain", "x");
        assert_eq!(body.boundary(), "graph-boundary-3");
        let encoded = body.encode("multipart/form-data; charset=utf-8").unwrap();
        assert_eq!(
            encoded.content_type,
            "multipart/form-data; boundary=graph-boundary-3"
        );
    }

    #[test]
    fn multipart_names_cannot_break_out_of_their_header() {
        let body = Multipart::new().file("a\"b", "evil\r\nX-Injected: 1.txt", "text/plain", "");
        let encoded = body.encode("multipart/form-data").unwrap();
        let text = String::from_utf8(encoded.bytes).unwrap();
        assert!(text.contains(
            "Content-Disposition: form-data; name=\"a%22b\"; filename=\"evil%0D%0AX-Injected: 1.txt\"\r\n"
        ));
        assert!(!text.contains("\r\nX-Injected"));
        let bad = Multipart::new().file("a", "a", "text/plain\r\nX: 1", "");
        assert!(matches!(
            bad.encode("multipart/form-data"),
            Err(Error::Build(_))
        ));
    }

    #[test]
    fn binary_and_text_bodies_are_sent_as_they_are_with_the_declared_type() {
        let binary = Binary(vec![1, 2, 255])
            .encode("application/octet-stream")
            .unwrap();
        assert_eq!(binary.bytes, vec![1, 2, 255]);
        assert_eq!(binary.content_type, "application/octet-stream");
        let text = Text("héllo".to_owned())
            .encode("text/plain; charset=utf-8")
            .unwrap();
        assert_eq!(text.bytes, "héllo".as_bytes());
        assert_eq!(text.content_type, "text/plain; charset=utf-8");
    }

    #[test]
    fn json_bodies_keep_the_declared_media_type() {
        let encoded = serde_json::json!({"a": 1})
            .encode("application/merge-patch+json")
            .unwrap();
        assert_eq!(encoded.bytes, br#"{"a":1}"#);
        assert_eq!(encoded.content_type, "application/merge-patch+json");
    }

    #[test]
    fn bytes_and_text_responses_decode_and_errors_stay_errors() {
        let ok = Response::new(200, Vec::new(), vec![0xEF, 0xBB, 0xBF, b'h', b'i']);
        assert_eq!(decode_text(&ok).unwrap(), "hi");
        assert_eq!(
            decode_bytes(&ok).unwrap(),
            vec![0xEF, 0xBB, 0xBF, b'h', b'i']
        );
        let not_utf8 = Response::new(200, Vec::new(), vec![0xFF, 0xFE]);
        assert!(matches!(decode_text(&not_utf8), Err(Error::Decode { .. })));
        assert_eq!(decode_bytes(&not_utf8).unwrap(), vec![0xFF, 0xFE]);
        let failed = Response::new(404, Vec::new(), b"nope".to_vec());
        assert!(matches!(decode_bytes(&failed), Err(Error::Status(_))));
        assert!(matches!(decode_text(&failed), Err(Error::Status(_))));
    }
}
