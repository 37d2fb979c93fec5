//! JSON batching: up to 20 operations in one `POST {base}/$batch`.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::time::{Instant, SystemTime};

use base64::Engine as _;
use graph_runtime::http::{
    decode_body, retry_after, Call, Error, Method, Request, Response, Transport,
};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;

use crate::client::{random_unit, Client};

/// The most requests one `$batch` call may carry: Graph's limit.
pub const MAX_BATCH_REQUESTS: usize = 20;

/// Operations to send together in one JSON batch (`POST {base}/$batch`): made by
/// [`Client::batch`], filled with [`add`](Self::add), sent with [`send`](Self::send).
///
/// Each operation is added as it would be sent alone, any generated operation builder
/// (`client.definitions().list().top(5)`), and [`add`](Self::add) gives back a
/// [`BatchItem`] typed with what that operation's answer decodes to; the
/// [`BatchResponses`] decode each answer with the operation's own decoder. A batch holds
/// at most [`MAX_BATCH_REQUESTS`]: adding one more is [`Error::BatchTooLarge`], before
/// anything is sent (a batch is not split behind the caller's back, since `dependsOn`
/// cannot cross batches).
///
/// Graph runs the requests of a batch in any order, unless one `dependsOn` others
/// ([`ItemOptions::depends_on`]); a request whose dependency failed is answered `424`.
///
/// **Retries.** The `$batch` call itself is retried as any `POST` is. Inside a successful
/// batch, the requests answered with a status the client's [`RetryPolicy`](crate::RetryPolicy)
/// retries for their method (`429` and `503` always) are sent again in a follow-up batch
/// that holds only them, after the longest `Retry-After` among their answers (else the
/// policy's backoff), within the policy's attempts and time budget; so are the requests
/// that got `424` because one of those failed, with their `dependsOn` kept among the
/// requests sent again. What is still failing when the policy gives up is that request's
/// answer, and decodes as its error.
pub struct Batch<'c> {
    client: &'c Client,
    entries: Vec<Entry>,
}

impl fmt::Debug for Batch<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Batch")
            .field("requests", &self.entries.len())
            .finish_non_exhaustive()
    }
}

/// One request of a batch, as it goes into the `requests` array.
#[derive(Clone, Debug)]
struct Entry {
    id: String,
    method: Method,
    /// Relative to the service root, such as `/identityGovernance/accessReviews/definitions`.
    url: String,
    headers: Vec<(String, String)>,
    body: Option<Box<RawValue>>,
    depends_on: Vec<String>,
}

/// The id and `dependsOn` of a request added with [`Batch::add_with`].
#[derive(Clone, Debug, Default)]
pub struct ItemOptions {
    id: Option<String>,
    depends_on: Vec<String>,
}

impl ItemOptions {
    /// No id of its own (the batch numbers it) and no dependency.
    pub fn new() -> Self {
        ItemOptions::default()
    }

    /// The request's id in the batch (unique within it, not empty).
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Runs the request only after the one with this id (a [`BatchItem`] or its id) has
    /// succeeded; it must have been added to the batch before. May be given more than once.
    pub fn depends_on(mut self, id: impl AsRef<str>) -> Self {
        self.depends_on.push(id.as_ref().to_owned());
        self
    }
}

/// A request's place in a batch, typed with what its answer decodes to: redeem it on the
/// [`BatchResponses`] with [`BatchResponses::get`].
pub struct BatchItem<T> {
    id: String,
    decode: fn(&Response) -> Result<T, Error>,
}

impl<T> BatchItem<T> {
    /// The request's id in the batch.
    pub fn id(&self) -> &str {
        &self.id
    }
}

impl<T> AsRef<str> for BatchItem<T> {
    fn as_ref(&self) -> &str {
        &self.id
    }
}

impl<T> fmt::Debug for BatchItem<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchItem").field("id", &self.id).finish()
    }
}

impl<T> Clone for BatchItem<T> {
    fn clone(&self) -> Self {
        BatchItem {
            id: self.id.clone(),
            decode: self.decode,
        }
    }
}

impl Client {
    /// An empty JSON batch sent through this client (see [`Batch`]).
    pub fn batch(&self) -> Batch<'_> {
        Batch {
            client: self,
            entries: Vec::new(),
        }
    }
}

impl<'c> Batch<'c> {
    /// Adds an operation, numbered by the batch (`"1"`, `"2"`, ... skipping ids already
    /// taken). See [`add_with`](Self::add_with) for the errors.
    pub fn add<O: Call>(&mut self, operation: O) -> Result<BatchItem<O::Output>, Error> {
        self.add_with(operation, ItemOptions::new())
    }

    /// Adds an operation with an id and dependencies of your choosing.
    ///
    /// Fails, adding nothing, with [`Error::BatchTooLarge`] when the batch already holds
    /// [`MAX_BATCH_REQUESTS`]; with the operation's own error when it can't build its
    /// request ([`Error::InvalidKey`]); and with [`Error::Batch`] for an id that is empty or
    /// taken, a `dependsOn` naming no request added before, a request whose URL is not
    /// under the client's base URL, or a body that is not JSON.
    pub fn add_with<O: Call>(
        &mut self,
        operation: O,
        options: ItemOptions,
    ) -> Result<BatchItem<O::Output>, Error> {
        if self.entries.len() >= MAX_BATCH_REQUESTS {
            return Err(Error::BatchTooLarge {
                limit: MAX_BATCH_REQUESTS,
            });
        }
        let request = operation.to_request()?;
        let id = match options.id {
            Some(id) => id,
            None => self.next_free_id(),
        };
        let refuse = |message: String| Error::Batch {
            id: Some(id.clone()),
            message,
        };
        if id.is_empty() {
            return Err(refuse("a batch request's id must not be empty".to_owned()));
        }
        if self.has_id(&id) {
            return Err(refuse(
                "another request of the batch has this id".to_owned(),
            ));
        }
        if let Some(unknown) = options.depends_on.iter().find(|dep| !self.has_id(dep)) {
            return Err(refuse(format!(
                "dependsOn names {unknown:?}, which is not a request added before"
            )));
        }
        let url = relative_url(&request.url, self.client.base_url()).ok_or_else(|| {
            refuse("the request's URL is not under the client's base URL".to_owned())
        })?;
        let body = match &request.body {
            Some(bytes) => Some(
                serde_json::from_slice::<Box<RawValue>>(bytes)
                    .map_err(|e| refuse(format!("the request body is not JSON: {e}")))?,
            ),
            None => None,
        };
        let mut depends_on = options.depends_on;
        depends_on.dedup();
        self.entries.push(Entry {
            id: id.clone(),
            method: request.method,
            url,
            headers: request.headers,
            body,
            depends_on,
        });
        Ok(BatchItem {
            id,
            decode: O::decode,
        })
    }

    /// How many requests the batch holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the batch holds no request.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn has_id(&self, id: &str) -> bool {
        self.entries.iter().any(|entry| entry.id == id)
    }

    fn next_free_id(&self) -> String {
        (self.entries.len() + 1..)
            .map(|number| number.to_string())
            .find(|id| !self.has_id(id))
            .unwrap_or_default()
    }

    /// Sends the batch, then the follow-up batches the retry policy asks for (see
    /// [`Batch`]), and returns every request's answer. An empty batch sends nothing.
    ///
    /// The error is the `$batch` call's own: it could not be sent, it was answered with a
    /// non-2xx status ([`Error::Status`]), or its body is not a batch answer
    /// ([`Error::Decode`]). A request that failed inside the batch is not an error here:
    /// its answer decodes as one.
    pub async fn send(self) -> Result<BatchResponses, Error> {
        let client = self.client;
        let policy = client.retry_policy().clone();
        let url = format!("{}/$batch", client.base_url());
        let started = Instant::now();
        let mut answers: HashMap<String, Answer> = HashMap::new();
        let mut pending: Vec<&Entry> = self.entries.iter().collect();
        let mut round = 0u32;
        while !pending.is_empty() {
            round += 1;
            let request = Request::new(Method::Post, url.clone()).with_json(&envelope(&pending))?;
            let response = client.send(request).await?;
            if !response.is_success() {
                return Err(Error::from_status(&response));
            }
            let answered: BatchAnswer = decode_body(&response.body)
                .map_err(|e| Error::decode(&response, &format!("not a $batch answer: {e}")))?;
            let mut this_round: HashMap<String, Answer> = answered
                .responses
                .into_iter()
                .map(|item| {
                    let id = item.id.clone();
                    (id, item.into_answer(round))
                })
                .collect();
            for entry in &pending {
                let answer = this_round.remove(&entry.id).unwrap_or_else(|| {
                    Answer::Unusable("the batch answer has no response with this id".to_owned())
                });
                answers.insert(entry.id.clone(), answer);
            }

            // What to send again: the requests answered with a status the policy retries,
            // and those that failed only because one of these did (424). Entries come in
            // the order added, and a dependency is always added before, so one pass sees
            // every dependency's fate before its dependents.
            let mut again: Vec<&Entry> = Vec::new();
            let mut again_ids: HashSet<&str> = HashSet::new();
            for entry in &pending {
                let Some(Answer::Response(response)) = answers.get(&entry.id) else {
                    continue;
                };
                let retried = policy.retries_status(entry.method, response.status)
                    || (response.status == 424
                        && entry
                            .depends_on
                            .iter()
                            .any(|dep| again_ids.contains(dep.as_str())));
                if retried {
                    again.push(entry);
                    again_ids.insert(entry.id.as_str());
                }
            }
            if again.is_empty() || round >= policy.max_attempts() {
                break;
            }
            let now = SystemTime::now();
            let asked = again
                .iter()
                .filter_map(|entry| match answers.get(&entry.id) {
                    Some(Answer::Response(response)) => retry_after(response, now),
                    _ => None,
                })
                .max()
                .map(|asked| policy.honoured_retry_after(asked));
            let wait = asked.unwrap_or_else(|| policy.backoff(round, random_unit()));
            let ends = started.elapsed().checked_add(wait);
            if ends.is_none_or(|ends| ends >= policy.max_elapsed()) {
                break;
            }
            tokio::time::sleep(wait).await;
            pending = again;
        }
        Ok(BatchResponses { answers })
    }
}

/// The request URL relative to the service root (`/identityGovernance/...?$top=5`), or
/// `None` when it is not under `base_url`.
fn relative_url(url: &str, base_url: &str) -> Option<String> {
    let rest = url.strip_prefix(base_url)?;
    if rest.is_empty() {
        return Some("/".to_owned());
    }
    rest.starts_with(['/', '?']).then(|| {
        if rest.starts_with('?') {
            format!("/{rest}")
        } else {
            rest.to_owned()
        }
    })
}

/// The `$batch` request body for these entries; a `dependsOn` keeps only the ids among
/// them (in a follow-up batch, the dependencies that already succeeded are left out).
fn envelope<'a>(entries: &[&'a Entry]) -> BatchRequest<'a> {
    let ids: HashSet<&str> = entries.iter().map(|entry| entry.id.as_str()).collect();
    BatchRequest {
        requests: entries
            .iter()
            .map(|entry| ItemRequest {
                id: &entry.id,
                method: entry.method.as_str(),
                url: &entry.url,
                headers: entry
                    .headers
                    .iter()
                    .map(|(name, value)| (name.clone(), Value::from(value.as_str())))
                    .collect(),
                body: entry.body.as_deref(),
                depends_on: entry
                    .depends_on
                    .iter()
                    .map(String::as_str)
                    .filter(|dep| ids.contains(dep))
                    .collect(),
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct BatchRequest<'a> {
    requests: Vec<ItemRequest<'a>>,
}

#[derive(Serialize)]
struct ItemRequest<'a> {
    id: &'a str,
    method: &'static str,
    url: &'a str,
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    headers: serde_json::Map<String, Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<&'a RawValue>,
    #[serde(rename = "dependsOn", skip_serializing_if = "Vec::is_empty")]
    depends_on: Vec<&'a str>,
}

#[derive(Deserialize)]
struct BatchAnswer {
    responses: Vec<ItemAnswer>,
}

#[derive(Deserialize)]
struct ItemAnswer {
    id: String,
    status: u16,
    #[serde(default)]
    headers: HashMap<String, Value>,
    #[serde(default)]
    body: Option<Value>,
}

/// What the batch answered one request.
#[derive(Clone, Debug)]
enum Answer {
    /// The request's answer, as if it had been sent alone.
    Response(Response),
    /// An answer that can't be decoded, and why.
    Unusable(String),
}

impl ItemAnswer {
    /// The answer as a [`Response`], its body as bytes: a JSON body as JSON text, and a
    /// string body of an answer that is not JSON (its `Content-Type` says otherwise) decoded
    /// from base64, which is how Graph carries such bodies.
    fn into_answer(self, attempts: u32) -> Answer {
        let headers: Vec<(String, String)> = self
            .headers
            .into_iter()
            .map(|(name, value)| {
                let value = match value {
                    Value::String(text) => text,
                    other => other.to_string(),
                };
                (name, value)
            })
            .collect();
        let is_json = headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            .is_none_or(|(_, value)| value.to_ascii_lowercase().contains("json"));
        let body = match self.body {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::String(text)) if !is_json => {
                match base64::engine::general_purpose::STANDARD.decode(text.trim()) {
                    Ok(bytes) => bytes,
                    Err(e) => {
                        return Answer::Unusable(format!(
                            "the body of a non-JSON answer is not base64: {e}"
                        ))
                    }
                }
            }
            Some(value) => match serde_json::to_vec(&value) {
                Ok(bytes) => bytes,
                Err(e) => return Answer::Unusable(format!("the body does not encode: {e}")),
            },
        };
        let mut response = Response::new(self.status, headers, body);
        response.attempts = attempts;
        Answer::Response(response)
    }
}

/// The answers of a sent [`Batch`], one per request, by id.
#[derive(Clone, Debug)]
pub struct BatchResponses {
    answers: HashMap<String, Answer>,
}

impl BatchResponses {
    /// The item's answer, decoded with its operation's own decoder: its output, or its
    /// error ([`Error::Status`] for a non-2xx answer, `424` when a dependency failed), or
    /// [`Error::Batch`] when the batch gave nothing usable for it. Its
    /// [`Response::attempts`] (and the `attempts` of its status error) counts the batches
    /// it was sent in.
    pub fn get<T>(&self, item: &BatchItem<T>) -> Result<T, Error> {
        match self.answers.get(&item.id) {
            Some(Answer::Response(response)) => (item.decode)(response),
            Some(Answer::Unusable(message)) => Err(Error::Batch {
                id: Some(item.id.clone()),
                message: message.clone(),
            }),
            None => Err(Error::Batch {
                id: Some(item.id.clone()),
                message: "no request of the batch has this id".to_owned(),
            }),
        }
    }

    /// The item's answer as received (status, headers, body bytes), when it has one.
    pub fn response<T>(&self, item: &BatchItem<T>) -> Option<&Response> {
        match self.answers.get(&item.id) {
            Some(Answer::Response(response)) => Some(response),
            _ => None,
        }
    }

    /// How many requests were answered.
    pub fn len(&self) -> usize {
        self.answers.len()
    }

    /// Whether the batch had no request.
    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_made_relative_to_the_service_root() {
        let base = "https://graph.microsoft.com/v1.0";
        for (url, relative) in [
            (
                "https://graph.microsoft.com/v1.0/identityGovernance/accessReviews/definitions?$top=5",
                Some("/identityGovernance/accessReviews/definitions?$top=5"),
            ),
            ("https://graph.microsoft.com/v1.0", Some("/")),
            ("https://graph.microsoft.com/v1.0?$x=1", Some("/?$x=1")),
            ("https://graph.microsoft.com/v1.0beta/x", None),
            ("https://graph.microsoft.com/beta/x", None),
            ("https://elsewhere.example/v1.0/x", None),
        ] {
            assert_eq!(relative_url(url, base).as_deref(), relative, "{url}");
        }
    }

    #[test]
    fn a_non_json_body_is_read_from_base64_and_a_bad_one_is_unusable() {
        let answer = |content_type: &str, body: Value| ItemAnswer {
            id: "1".to_owned(),
            status: 200,
            headers: HashMap::from([("Content-Type".to_owned(), Value::from(content_type))]),
            body: Some(body),
        };
        let text = answer("text/plain", Value::from("NDI=")).into_answer(1);
        assert!(
            matches!(&text, Answer::Response(r) if r.body == b"42"),
            "{text:?}"
        );
        let json = answer("application/json", Value::from("NDI=")).into_answer(1);
        assert!(
            matches!(&json, Answer::Response(r) if r.body == b"\"NDI=\""),
            "{json:?}"
        );
        let number = answer("text/plain", Value::from(42)).into_answer(1);
        assert!(
            matches!(&number, Answer::Response(r) if r.body == b"42"),
            "{number:?}"
        );
        let broken = answer("image/png", Value::from("not base64!")).into_answer(1);
        assert!(matches!(broken, Answer::Unusable(_)), "{broken:?}");
    }
}
