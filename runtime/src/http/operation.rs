//! What every generated operation shares, written once.
//!
//! A generated operation states only its own facts, as an [`Endpoint`]: the HTTP method, the
//! body type, how the response decodes, and which query options it takes (one marker trait
//! from [`options`] each). Everything else (building the request, setting options, decoding,
//! sending, streaming a collection) lives here, in [`Parts`] and in the builder type that
//! [`operation_builder!`](crate::operation_builder) defines once in each generated crate.
//!
//! The builder type is defined in the generated crate rather than here so that the crate can
//! add inherent setters for options only it knows (a query parameter such as
//! `startDateTime`): Rust allows inherent methods only on a crate's own types, and inherent
//! methods need no trait in scope.

use std::marker::PhantomData;

use futures::stream::{self, Stream, StreamExt};
use serde::de::DeserializeOwned;

use super::{
    decode_bytes, decode_count, decode_empty, decode_json, decode_json_or_empty, decode_text,
    pages_with, EncodeBody, Error, Method, Paging, Query, Request, Response, Transport, UrlPath,
};

/// How a response to an operation decodes.
pub trait Decode {
    /// What a success response decodes into.
    type Output;

    /// Decodes `response`; a non-2xx status is [`Error::Status`].
    fn decode(response: &Response) -> Result<Self::Output, Error>;
}

/// A JSON body of type `T`.
pub struct Json<T>(PhantomData<fn() -> T>);

impl<T: DeserializeOwned> Decode for Json<T> {
    type Output = T;

    fn decode(response: &Response) -> Result<T, Error> {
        decode_json(response)
    }
}

/// A JSON body of type `T`, or no body at all: Graph answers many updates and actions with
/// either the object or `204 No Content`.
pub struct JsonOrNoContent<T>(PhantomData<fn() -> T>);

impl<T: DeserializeOwned> Decode for JsonOrNoContent<T> {
    type Output = Option<T>;

    fn decode(response: &Response) -> Result<Option<T>, Error> {
        decode_json_or_empty(response)
    }
}

/// Any 2xx response, its body ignored.
pub struct NoContent;

impl Decode for NoContent {
    type Output = ();

    fn decode(response: &Response) -> Result<(), Error> {
        decode_empty(response)
    }
}

/// The plain-text integer that a `$count` segment answers with.
pub struct CountText;

impl Decode for CountText {
    type Output = i64;

    fn decode(response: &Response) -> Result<i64, Error> {
        decode_count(response)
    }
}

/// A body of any media type, as its raw bytes (`application/octet-stream`, `image/png`, or
/// a type the generator doesn't read).
pub struct Bytes;

impl Decode for Bytes {
    type Output = Vec<u8>;

    fn decode(response: &Response) -> Result<Vec<u8>, Error> {
        decode_bytes(response)
    }
}

/// A `text/plain` body (other than a `$count`), as UTF-8 text.
pub struct PlainText;

impl Decode for PlainText {
    type Output = String;

    fn decode(response: &Response) -> Result<String, Error> {
        decode_text(response)
    }
}

/// The facts of one operation (a path and an HTTP method), which is all a generated operation
/// states. The path itself is built by the chain of builders that leads to the operation.
pub trait Endpoint {
    /// The HTTP method.
    const METHOD: Method;
    /// The names on the wire of the query options it declares (`$select`, `startDateTime`):
    /// the ones [`Parts::set_query_text`] accepts.
    const QUERY: &'static [&'static str];
    /// The media type of the request body the spec declares; JSON unless the operation says
    /// otherwise.
    const CONTENT_TYPE: &'static str = "application/json";
    /// The request body: a JSON model type, or one of the wrappers of
    /// [`EncodeBody`] for other media types; `()` for operations without one.
    type Body: EncodeBody;
    /// How its response decodes.
    type Response: Decode;
}

/// An operation that is ready to send, seen from outside its generated crate: the request it
/// builds and how its answer decodes. Every generated `Operation<'_, C, E>` implements it
/// (its inherent `to_request` and `decode` are the same functions), so that code written
/// once, such as a JSON batch, can take operations of any endpoint and still decode each
/// answer into that operation's own type.
pub trait Call {
    /// What a success answer decodes into.
    type Output;

    /// The request, built without any network.
    fn to_request(&self) -> Result<Request, Error>;

    /// Decodes an answer to this operation; a non-2xx status is an error.
    fn decode(response: &Response) -> Result<Self::Output, Error>;
}

/// Marker traits: an [`Endpoint`] that implements one takes that OData option or header, and
/// its builder then has the setter. They are the standard options, whose meaning and value
/// type are the same on every operation, so their setters are written once.
pub mod options {
    use super::Endpoint;

    macro_rules! markers {
        ($($(#[$doc:meta])* $name:ident;)*) => {
            $($(#[$doc])* pub trait $name: Endpoint {})*
        };
    }

    markers! {
        /// `$select`: the properties to return.
        Select;
        /// `$expand`: navigation properties to include inline.
        Expand;
        /// `$filter`: an OData filter expression.
        Filter;
        /// `$orderby`: properties to sort by.
        OrderBy;
        /// `$search`: a search expression.
        Search;
        /// `$top`: a page size.
        Top;
        /// `$skip`: items to skip.
        Skip;
        /// `$count=true`: include the collection's size.
        Count;
        /// The `If-Match` header: an ETag the object must still have.
        IfMatch;
        /// The `ConsistencyLevel` header (`eventual`, for advanced queries).
        ConsistencyLevel;
    }
}

/// The state of an operation before it is sent: where it goes, its options, headers and body.
/// The generated builder type wraps one, and each of its methods is one call here.
pub struct Parts<'c, C: ?Sized, B> {
    client: &'c C,
    path: UrlPath,
    query: Query,
    headers: Vec<(&'static str, String)>,
    body: Option<B>,
    paging: Paging,
}

impl<C: ?Sized, B> std::fmt::Debug for Parts<'_, C, B> {
    // The client and the body are left out: the client may hold credentials, and the body
    // type need not be `Debug`. What is shown is what identifies the request.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Operation")
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &self.headers)
            .field("has_body", &self.body.is_some())
            .finish()
    }
}

impl<'c, C: Transport + ?Sized, B: EncodeBody> Parts<'c, C, B> {
    /// An operation on `path`, sent through `client`, with `body` if it takes one.
    pub fn new(client: &'c C, path: UrlPath, body: Option<B>) -> Self {
        Parts {
            client,
            path,
            query: Query::new(),
            headers: Vec::new(),
            body,
            paging: Paging::new(),
        }
    }

    /// Sets a query option, replacing an earlier value.
    pub fn set_query(&mut self, name: &'static str, value: String) {
        self.query.set(name, value);
    }

    /// Sets a list-valued query option (`$select=a,b`).
    pub fn set_list<I, S>(&mut self, name: &'static str, values: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut joined = String::new();
        for (index, value) in values.into_iter().enumerate() {
            if index > 0 {
                joined.push(',');
            }
            joined.push_str(value.as_ref());
        }
        self.query.set(name, joined);
    }

    /// Adds a header.
    pub fn add_header(&mut self, name: &'static str, value: String) {
        self.headers.push((name, value));
    }

    /// Caps the pages a stream fetches (see [`Paging::max_pages`]).
    pub fn max_pages(&mut self, pages: usize) {
        self.paging = self.paging.max_pages(pages);
    }

    /// Sets a query option from its text form, by its name on the wire, as a documented
    /// request writes it: tooling for rebuilding documented requests. A name the operation
    /// doesn't declare (`accepted`), or a value its option can't hold, is an error.
    pub fn set_query_text(
        &mut self,
        accepted: &'static [&'static str],
        name: &str,
        value: &str,
    ) -> Result<(), Error> {
        let Some(&name) = accepted.iter().find(|accepted| **accepted == name) else {
            return Err(Error::Build(format!(
                "the operation has no query option {name}"
            )));
        };
        match name {
            "$top" | "$skip" => {
                let number: i64 = value.parse().map_err(|_| {
                    Error::Build(format!("{name} must be a whole number, not {value:?}"))
                })?;
                self.set_query(name, number.to_string());
            }
            "$count" => {
                let flag: bool = value.parse().map_err(|_| {
                    Error::Build(format!("{name} must be true or false, not {value:?}"))
                })?;
                self.set_query(name, flag.to_string());
            }
            "$select" | "$expand" | "$orderby" => {
                self.set_list(name, value.split(',').map(str::trim));
            }
            _ => self.set_query(name, value.to_owned()),
        }
        Ok(())
    }

    /// The request, built without any network, its body encoded for the media type
    /// `content_type`; [`Error::InvalidKey`] when a key in the path can't stand as a segment.
    pub fn to_request(&self, method: Method, content_type: &str) -> Result<Request, Error> {
        let url = format!(
            "{}{}{}",
            self.client.base_url(),
            self.path.encoded()?,
            self.query.to_query_string()
        );
        let mut request = Request::new(method, url);
        for (name, value) in &self.headers {
            request = request.with_header(name, value.clone());
        }
        match &self.body {
            Some(body) => request.with_body(body, content_type),
            None => Ok(request),
        }
    }

    /// Sends the request and decodes the response with `D`.
    pub async fn send<D: Decode>(
        self,
        method: Method,
        content_type: &str,
    ) -> Result<D::Output, Error> {
        let request = self.to_request(method, content_type)?;
        let response = self.client.send(request).await?;
        D::decode(&response)
    }

    /// Every item of the collection, page by page (see [`pages_with`]); an error building the
    /// first request is the stream's only item.
    pub fn stream<T>(self, method: Method) -> impl Stream<Item = Result<T, Error>> + 'c
    where
        T: DeserializeOwned + Send + 'c,
    {
        // A collection is fetched with GET, which sends no body, so no media type applies.
        match self.to_request(method, "application/json") {
            Ok(request) => pages_with(self.client, request, self.paging).left_stream(),
            Err(error) => stream::iter([Err(error)]).right_stream(),
        }
    }
}

/// Defines `Operation<'c, C, E>`, the builder of every operation of a generated requests
/// crate, in that crate. Each of its methods is a call into [`Parts`]; the option setters are
/// there only for endpoints that implement the matching [`options`] marker.
///
/// Generated crates invoke it once at their root. It is a macro rather than a type of this
/// crate because Rust allows inherent methods only on a crate's own types: defined in the
/// generated crate, the builder can have inherent setters for options only that crate knows
/// (a query parameter such as `startDateTime`), and inherent methods need no trait in scope.
#[macro_export]
macro_rules! operation_builder {
    () => {
        /// An operation, ready to send: built by the chain of request builders, it holds the
        /// path, the options set so far and the body. `E` is the operation itself (its
        /// method, body and response); see its docs for what it does.
        ///
        /// [`to_request`](Self::to_request) builds the request without any network,
        /// [`decode`](Self::decode) reads a response, and [`send`](Self::send) does both
        /// through the client.
        #[must_use = "an operation does nothing until it is sent"]
        pub struct Operation<'c, C: ?Sized, E: $crate::http::Endpoint> {
            parts: $crate::http::Parts<'c, C, E::Body>,
        }

        impl<C: ?Sized, E: $crate::http::Endpoint> ::std::fmt::Debug for Operation<'_, C, E> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&self.parts, f)
            }
        }

        impl<'c, C, E> Operation<'c, C, E>
        where
            C: $crate::http::Transport + ?Sized,
            E: $crate::http::Endpoint,
        {
            /// The operation on `path`, sent through `client`; the request builders call this.
            #[doc(hidden)]
            pub fn new(
                client: &'c C,
                path: $crate::http::UrlPath,
                body: ::std::option::Option<E::Body>,
            ) -> Self {
                Operation { parts: $crate::http::Parts::new(client, path, body) }
            }

            /// The request, built without any network;
            /// [`InvalidKey`]($crate::http::Error::InvalidKey) when a key in the path can't
            /// stand as a segment.
            pub fn to_request(
                &self,
            ) -> ::std::result::Result<$crate::http::Request, $crate::http::Error> {
                self.parts.to_request(E::METHOD, E::CONTENT_TYPE)
            }

            /// Decodes a response to this operation; a non-2xx status is an error.
            pub fn decode(
                response: &$crate::http::Response,
            ) -> ::std::result::Result<
                <E::Response as $crate::http::Decode>::Output,
                $crate::http::Error,
            > {
                <E::Response as $crate::http::Decode>::decode(response)
            }

            /// Sends the request and decodes the response.
            pub async fn send(
                self,
            ) -> ::std::result::Result<
                <E::Response as $crate::http::Decode>::Output,
                $crate::http::Error,
            > {
                self.parts.send::<E::Response>(E::METHOD, E::CONTENT_TYPE).await
            }

            /// Sets a query option: what the crate's own setters call.
            #[doc(hidden)]
            pub fn with_query(mut self, name: &'static str, value: ::std::string::String) -> Self {
                self.parts.set_query(name, value);
                self
            }

            /// Adds a header: what the crate's own setters call.
            #[doc(hidden)]
            pub fn with_header(mut self, name: &'static str, value: ::std::string::String) -> Self {
                self.parts.add_header(name, value);
                self
            }

            /// Rebuilds a documented request: sets each query option from its text form,
            /// then builds the request. Tooling for the project's examples check, compiled
            /// only with the `conformance` feature.
            #[cfg(feature = "conformance")]
            #[doc(hidden)]
            pub fn rebuild(
                mut self,
                query: &[(::std::string::String, ::std::string::String)],
            ) -> ::std::result::Result<$crate::http::Request, $crate::http::Error> {
                for (name, value) in query {
                    self.parts.set_query_text(E::QUERY, name, value)?;
                }
                self.to_request()
            }
        }

        impl<'c, C, E> $crate::http::Call for Operation<'c, C, E>
        where
            C: $crate::http::Transport + ?Sized,
            E: $crate::http::Endpoint,
        {
            type Output = <E::Response as $crate::http::Decode>::Output;

            fn to_request(
                &self,
            ) -> ::std::result::Result<$crate::http::Request, $crate::http::Error> {
                self.parts.to_request(E::METHOD, E::CONTENT_TYPE)
            }

            fn decode(
                response: &$crate::http::Response,
            ) -> ::std::result::Result<Self::Output, $crate::http::Error> {
                <E::Response as $crate::http::Decode>::decode(response)
            }
        }

        impl<'c, C, E, T> Operation<'c, C, E>
        where
            C: $crate::http::Transport + ?Sized,
            E: $crate::http::Endpoint<Response = $crate::http::Json<$crate::http::Page<T>>>,
            T: $crate::__private::DeserializeOwned + ::std::marker::Send + 'c,
        {
            /// Fetches at most `pages` pages in [`stream`](Self::stream); a longer collection
            /// ends the stream with [`TooManyPages`]($crate::http::Error::TooManyPages).
            pub fn max_pages(mut self, pages: usize) -> Self {
                self.parts.max_pages(pages);
                self
            }

            /// Every item of the collection, following `@odata.nextLink` page by page (at
            /// most one page is held in memory; a link back to a page already fetched ends
            /// the stream with an error).
            pub fn stream(
                self,
            ) -> impl $crate::http::Stream<
                Item = ::std::result::Result<T, $crate::http::Error>,
            > + 'c {
                self.parts.stream(E::METHOD)
            }
        }

        $crate::operation_builder!(@list Select select "$select"
            "The properties to return; the others are left out of the response.");
        $crate::operation_builder!(@list Expand expand "$expand"
            "Navigation properties to include inline in the response.");
        $crate::operation_builder!(@list OrderBy orderby "$orderby"
            "Properties to sort by, each optionally followed by ` asc` or ` desc`.");
        $crate::operation_builder!(@text Filter filter "$filter"
            "Only the items that match this OData filter expression.");
        $crate::operation_builder!(@text Search search "$search"
            "Only the items that match this search expression.");
        $crate::operation_builder!(@value Top top "$top" i64,
            "At most this many items per page.");
        $crate::operation_builder!(@value Skip skip "$skip" i64,
            "Skips this many items.");
        $crate::operation_builder!(@value Count include_count "$count" bool,
            "With `true`, the response carries the collection's size (`@odata.count`).");
        $crate::operation_builder!(@header IfMatch if_match "If-Match"
            "Only succeeds if the object still has this ETag.");
        $crate::operation_builder!(@header ConsistencyLevel consistency_level "ConsistencyLevel"
            "The consistency level; `eventual` enables advanced queries such as `$search` and `$count` on directory objects.");
    };
    (@list $marker:ident $setter:ident $wire:literal $doc:literal) => {
        impl<'c, C, E> Operation<'c, C, E>
        where
            C: $crate::http::Transport + ?Sized,
            E: $crate::http::options::$marker,
        {
            #[doc = $doc]
            #[doc = ""]
            #[doc = concat!("(`", $wire, "`)")]
            pub fn $setter<I, S>(mut self, values: I) -> Self
            where
                I: ::std::iter::IntoIterator<Item = S>,
                S: ::std::convert::AsRef<str>,
            {
                self.parts.set_list($wire, values);
                self
            }
        }
    };
    (@text $marker:ident $setter:ident $wire:literal $doc:literal) => {
        impl<'c, C, E> Operation<'c, C, E>
        where
            C: $crate::http::Transport + ?Sized,
            E: $crate::http::options::$marker,
        {
            #[doc = $doc]
            #[doc = ""]
            #[doc = concat!("(`", $wire, "`)")]
            pub fn $setter(self, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.with_query($wire, value.into())
            }
        }
    };
    (@value $marker:ident $setter:ident $wire:literal $ty:ty, $doc:literal) => {
        impl<'c, C, E> Operation<'c, C, E>
        where
            C: $crate::http::Transport + ?Sized,
            E: $crate::http::options::$marker,
        {
            #[doc = $doc]
            #[doc = ""]
            #[doc = concat!("(`", $wire, "`)")]
            pub fn $setter(self, value: $ty) -> Self {
                self.with_query($wire, value.to_string())
            }
        }
    };
    (@header $marker:ident $setter:ident $wire:literal $doc:literal) => {
        impl<'c, C, E> Operation<'c, C, E>
        where
            C: $crate::http::Transport + ?Sized,
            E: $crate::http::options::$marker,
        {
            #[doc = $doc]
            #[doc = ""]
            #[doc = concat!("(`", $wire, "` header)")]
            pub fn $setter(self, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.with_header($wire, value.into())
            }
        }
    };
}
