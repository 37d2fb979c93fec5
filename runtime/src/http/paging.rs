//! Collections that arrive in pages linked by `@odata.nextLink`.

use std::collections::HashSet;
use std::hash::BuildHasher;

use futures::stream::{self, Stream, StreamExt};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::{decode_json, Error, Method, Request, Transport};

/// One page of a collection.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
pub struct Page<T> {
    /// The items of this page (none when the service sends `"value": null`).
    #[serde(default = "Vec::new", deserialize_with = "null_as_empty")]
    pub value: Vec<T>,
    /// The URL of the next page, when there is one.
    #[serde(rename = "@odata.nextLink", default)]
    pub next_link: Option<String>,
    /// The size of the whole collection, when `$count=true` was asked.
    #[serde(rename = "@odata.count", default)]
    pub count: Option<i64>,
}

fn null_as_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: DeserializeOwned,
{
    Option::<Vec<T>>::deserialize(deserializer).map(Option::unwrap_or_default)
}

/// How a collection's pages are followed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Paging {
    max_pages: Option<usize>,
}

impl Paging {
    /// Follows `@odata.nextLink` to the end (the default).
    pub fn new() -> Self {
        Paging::default()
    }

    /// Fetches at most `pages` pages (at least 1); a collection that goes on past them ends
    /// the stream with [`Error::TooManyPages`], so a cut-short result is never mistaken for
    /// the whole collection.
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.max_pages = Some(pages.max(1));
        self
    }
}

/// Every item of a collection, following `@odata.nextLink` to the end; see [`pages_with`].
pub fn pages<'t, T, C>(
    transport: &'t C,
    first: Request,
) -> impl Stream<Item = Result<T, Error>> + 't
where
    T: DeserializeOwned + Send + 't,
    C: Transport + ?Sized,
{
    pages_with(transport, first, Paging::new())
}

/// Every item of a collection, following `@odata.nextLink` as `paging` allows. At most one
/// page is held in memory; the next page is requested when this one is used up. `first` is
/// the request for the first page; later pages repeat its headers.
///
/// A `nextLink` to a page already fetched would never end, so it ends the stream with
/// [`Error::NextLinkLoop`] instead. Only a hash of each URL is remembered (8 bytes a page),
/// so memory stays flat however long the collection.
pub fn pages_with<'t, T, C>(
    transport: &'t C,
    first: Request,
    paging: Paging,
) -> impl Stream<Item = Result<T, Error>> + 't
where
    T: DeserializeOwned + Send + 't,
    C: Transport + ?Sized,
{
    enum State {
        Next(Request, Visited),
        Failed(Error),
        Done,
    }
    let mut visited = Visited::default();
    visited.insert(&first.url);
    let pages = stream::unfold(State::Next(first, visited), move |state| async move {
        let (request, mut visited) = match state {
            State::Next(request, visited) => (request, visited),
            State::Failed(error) => return Some((Err(error), State::Done)),
            State::Done => return None,
        };
        let headers = request.headers.clone();
        let page = match transport
            .send(request)
            .await
            .and_then(|response| decode_json::<Page<T>>(&response))
        {
            Ok(page) => page,
            Err(error) => return Some((Err(error), State::Done)),
        };
        let Some(url) = page.next_link else {
            return Some((Ok(page.value), State::Done));
        };
        let next = if let Some(limit) = paging.max_pages.filter(|&limit| visited.pages() >= limit) {
            Err(Error::TooManyPages { limit })
        } else if !visited.insert(&url) {
            Err(Error::NextLinkLoop { url })
        } else {
            Ok(Request {
                method: Method::Get,
                url,
                headers,
                body: None,
            })
        };
        // The items of this page come first; the error, if any, follows them.
        Some(match next {
            Ok(request) => (Ok(page.value), State::Next(request, visited)),
            Err(error) => (Ok(page.value), State::Failed(error)),
        })
    });
    pages.flat_map(|page: Result<Vec<T>, Error>| match page {
        Ok(items) => stream::iter(items.into_iter().map(Ok).collect::<Vec<_>>()).left_stream(),
        Err(error) => stream::iter(vec![Err(error)]).right_stream(),
    })
}

/// Hashes of the URLs fetched so far (one per page).
#[derive(Default)]
struct Visited {
    hashes: HashSet<u64>,
}

impl Visited {
    /// Records `url`; false when it was fetched before.
    fn insert(&mut self, url: &str) -> bool {
        self.hashes.insert(self.hashes.hasher().hash_one(url))
    }

    /// How many pages were fetched or asked for.
    fn pages(&self) -> usize {
        self.hashes.len()
    }
}
