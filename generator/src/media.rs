//! Which of the media types a body declares the generated code uses, and how it encodes.
//!
//! The rule, for request and response bodies alike: JSON first (`application/json`, with or
//! without parameters, or any `+json` type), then `application/x-www-form-urlencoded`, then
//! `multipart/form-data`, then `text/plain`, then any other concrete type as bytes; between
//! two types of the same rank, the one the document lists first. A type that names no
//! concrete media type (`*/*`, `image/*`) can still be a response (its bytes), but a request
//! body needs a `Content-Type` to send, so a request that declares only such types is an
//! error, as is a media type that is not `type/subtype` at all.

use openapiv3::{Content, MediaType};

use crate::error::{Error, Pointer};
use crate::ir::BodyEncoding;

/// How a media type is sent and read; `None` for a range (`*/*`, `image/*`).
pub fn encoding_of(media: &str) -> Option<BodyEncoding> {
    let essence = media
        .split(';')
        .next()
        .unwrap_or(media)
        .trim()
        .to_ascii_lowercase();
    let (kind, subtype) = essence.split_once('/')?;
    if kind.is_empty() || subtype.is_empty() || kind == "*" || subtype == "*" {
        return None;
    }
    Some(match (kind, subtype) {
        ("application", "json") => BodyEncoding::Json,
        (_, subtype) if subtype.ends_with("+json") => BodyEncoding::Json,
        ("application", "x-www-form-urlencoded") => BodyEncoding::Form,
        ("multipart", "form-data") => BodyEncoding::Multipart,
        ("text", "plain") => BodyEncoding::Text,
        _ => BodyEncoding::Bytes,
    })
}

fn rank(encoding: BodyEncoding) -> u8 {
    match encoding {
        BodyEncoding::Json => 0,
        BodyEncoding::Form => 1,
        BodyEncoding::Multipart => 2,
        BodyEncoding::Text => 3,
        BodyEncoding::Bytes => 4,
    }
}

/// The media type chosen from a body's `content`.
pub struct Chosen<'c> {
    /// The media type as the document writes it (the key under `content`).
    pub media: &'c str,
    /// What the document says of it.
    pub body: &'c MediaType,
    /// How it is encoded.
    pub encoding: BodyEncoding,
    /// The pointer to `content/<media>`.
    pub pointer: Pointer,
}

/// The media type of a request body, by the rule of this module; `content_pointer` points
/// at the body's `content`. `Ok(None)` when nothing is declared.
pub fn choose_request<'c>(
    content: &'c Content,
    content_pointer: &Pointer,
) -> Result<Option<Chosen<'c>>, Error> {
    let best = choose(content, content_pointer, None)?;
    if best.is_none() {
        if let Some((media, _)) = content.iter().next() {
            return Err(Error::unsupported(
                &content_pointer.push(media),
                format!(
                    "a request body of media type `{media}`, which names no concrete type to \
                     send as its Content-Type"
                ),
            ));
        }
    }
    Ok(best)
}

/// The media type of a response body: as [`choose_request`], except that a range
/// (`*/*`) is read as bytes.
pub fn choose_response<'c>(
    content: &'c Content,
    content_pointer: &Pointer,
) -> Result<Option<Chosen<'c>>, Error> {
    choose(content, content_pointer, Some(BodyEncoding::Bytes))
}

/// The best-ranked entry of `content` (the first of equal rank). A range such as `*/*` is
/// read as `range`, or passed over when that is `None`; a key that is not `type/subtype`
/// is an error.
fn choose<'c>(
    content: &'c Content,
    content_pointer: &Pointer,
    range: Option<BodyEncoding>,
) -> Result<Option<Chosen<'c>>, Error> {
    let mut best: Option<Chosen<'c>> = None;
    for (media, body) in content.iter() {
        let pointer = content_pointer.push(media);
        if !media.contains('/') {
            return Err(Error::invalid(
                &pointer,
                format!("`{media}` is not a media type (type/subtype)"),
            ));
        }
        let Some(encoding) = encoding_of(media).or(range) else {
            continue;
        };
        if best
            .as_ref()
            .is_none_or(|b| rank(encoding) < rank(b.encoding))
        {
            best = Some(Chosen {
                media,
                body,
                encoding,
                pointer,
            });
        }
    }
    Ok(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_map_to_their_encoding() {
        let cases = [
            ("application/json", Some(BodyEncoding::Json)),
            ("application/json; charset=utf-8", Some(BodyEncoding::Json)),
            ("Application/JSON", Some(BodyEncoding::Json)),
            ("application/merge-patch+json", Some(BodyEncoding::Json)),
            (
                "application/x-www-form-urlencoded",
                Some(BodyEncoding::Form),
            ),
            ("multipart/form-data", Some(BodyEncoding::Multipart)),
            ("text/plain; charset=utf-8", Some(BodyEncoding::Text)),
            ("application/octet-stream", Some(BodyEncoding::Bytes)),
            ("image/png", Some(BodyEncoding::Bytes)),
            ("application/xml", Some(BodyEncoding::Bytes)),
            ("*/*", None),
            ("image/*", None),
            ("nonsense", None),
        ];
        for (media, expected) in cases {
            assert_eq!(encoding_of(media), expected, "{media}");
        }
    }
}
