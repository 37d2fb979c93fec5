//! Collections that arrive in pages linked by `@odata.nextLink`.

use futures::stream::{self, Stream, StreamExt};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::{decode_json, Error, Method, Request, Transport};

/// One page of a collection.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
pub struct Page<T> {
    /// The items of this page.
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    /// The URL of the next page, when there is one.
    #[serde(rename = "@odata.nextLink", default)]
    pub next_link: Option<String>,
    /// The size of the whole collection, when `$count=true` was asked.
    #[serde(rename = "@odata.count", default)]
    pub count: Option<i64>,
}

/// Every item of a collection, following `@odata.nextLink` to the end. At most one page is
/// held in memory; the next page is requested when this one is used up. `first` is the
/// request for the first page; later pages repeat its headers.
pub fn pages<'t, T, C>(
    transport: &'t C,
    first: Request,
) -> impl Stream<Item = Result<T, Error>> + 't
where
    T: DeserializeOwned + Send + 't,
    C: Transport + ?Sized,
{
    enum State {
        Next(Request),
        Done,
    }
    let pages = stream::unfold(State::Next(first), move |state| async move {
        let State::Next(request) = state else {
            return None;
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
        let next = match page.next_link {
            Some(url) => State::Next(Request {
                method: Method::Get,
                url,
                headers,
                body: None,
            }),
            None => State::Done,
        };
        Some((Ok(page.value), next))
    });
    pages.flat_map(|page: Result<Vec<T>, Error>| match page {
        Ok(items) => stream::iter(items.into_iter().map(Ok).collect::<Vec<_>>()).left_stream(),
        Err(error) => stream::iter(vec![Err(error)]).right_stream(),
    })
}
