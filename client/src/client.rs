//! The client: a [`Transport`] on reqwest.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use graph_runtime::http::{retry_after, Error, Method, Request, Response, SendFuture, Transport};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, LOCATION};
use reqwest::Url;

use crate::auth::{claims_challenge, StaticToken, TokenProvider};
use crate::retry::RetryPolicy;

/// The Microsoft Graph v1.0 service root in the global cloud. National clouds and the beta
/// endpoint are other base URLs (such as `https://graph.microsoft.us/v1.0` or
/// `https://graph.microsoft.com/beta`).
pub const DEFAULT_BASE_URL: &str = "https://graph.microsoft.com/v1.0";

/// How long one attempt may take, from sending the request to the end of the body, unless
/// set otherwise. An attempt never gets more than what is left of the call's time budget
/// ([`RetryPolicy::max_elapsed`], 2 minutes by default).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(100);

/// The largest response body the client reads, unless set otherwise: 64 MiB.
///
/// Graph pages its collections: a page holds at most 999 items (the largest `$top` Graph
/// collections accept; access review lists page far smaller by default), and even 999 of
/// the largest access review objects (decision items with their principal, resource and
/// insights, a few kilobytes each) stay within a few megabytes. Single objects and error
/// envelopes are far smaller. 64 MiB leaves more than ten times that headroom, while
/// bounding what a faulty or hostile server can make the client hold in memory.
pub const DEFAULT_MAX_BODY_SIZE: u64 = 64 * 1024 * 1024;

/// The most redirects followed (within the base URL's origin) for one attempt.
const MAX_REDIRECTS: usize = 10;

/// The most body buffer reserved before any of the body has arrived.
const PREALLOCATE_AT_MOST: u64 = 4 * 1024 * 1024;

const CLIENT_REQUEST_ID: &str = "client-request-id";
const SDK_VERSION_HEADER: &str = "sdkversion";

/// The value of the `SdkVersion` header the client sends on every request (unless
/// [`ClientBuilder::sdk_version_header`] turns it off): `graph-rust-access-reviews/` and
/// this crate's version. The official Graph SDKs send the same header as
/// `graph-<language>/<version>`, which lets the service tell callers apart; this value
/// names these bindings rather than pretend to be one of those SDKs.
pub const SDK_VERSION: &str = concat!("graph-rust-access-reviews/", env!("CARGO_PKG_VERSION"));
const DEFAULT_USER_AGENT: &str = concat!("graph_client/", env!("CARGO_PKG_VERSION"));

/// An async Microsoft Graph client: authenticates, identifies, times out and retries the
/// requests that generated code sends through [`Transport`].
///
/// Cloning is cheap (the state is shared behind an `Arc`); clones share the connection
/// pool. Build one with [`Client::builder`]. Its `Debug` does not show the access token.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    base_url: String,
    origin: Origin,
    http: reqwest::Client,
    tokens: Arc<dyn TokenProvider>,
    timeout: Duration,
    retry: RetryPolicy,
    max_body_size: u64,
    sdk_version_header: bool,
}

/// Scheme, host and port: where the access token may be sent.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Origin {
    scheme: String,
    host: String,
    port: Option<u16>,
}

impl Origin {
    fn of(url: &Url) -> Self {
        Origin {
            scheme: url.scheme().to_owned(),
            host: url.host_str().unwrap_or_default().to_ascii_lowercase(),
            port: url.port_or_known_default(),
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme, self.host)?;
        if let Some(port) = self.port {
            write!(f, ":{port}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("max_body_size", &self.inner.max_body_size)
            .field("sdk_version_header", &self.inner.sdk_version_header)
            .finish_non_exhaustive()
    }
}

/// Settings of a [`Client`]. Only the token provider is required.
pub struct ClientBuilder {
    base_url: String,
    tokens: Option<Tokens>,
    timeout: Duration,
    retry: RetryPolicy,
    max_body_size: u64,
    sdk_version_header: bool,
    http: Option<reqwest::Client>,
}

/// Where the builder's tokens come from: a provider, or an Azure credential whose provider
/// is made when the base URL is known (its scope depends on it).
enum Tokens {
    Provider(Arc<dyn TokenProvider>),
    #[cfg(feature = "azure-identity")]
    Credential {
        credential: Arc<dyn crate::azure::TokenCredential>,
        scope: Option<String>,
    },
}

impl Tokens {
    /// The provider the client asks for tokens.
    // Only a credential needs the base URL (for its scope).
    #[cfg_attr(not(feature = "azure-identity"), allow(unused_variables))]
    fn into_provider(self, base_url: &str) -> Result<Arc<dyn TokenProvider>, Error> {
        match self {
            Tokens::Provider(provider) => Ok(provider),
            #[cfg(feature = "azure-identity")]
            Tokens::Credential { credential, scope } => {
                let scope = match scope {
                    Some(scope) => scope,
                    None => crate::azure::graph_scope(base_url)?,
                };
                Ok(Arc::new(crate::azure::CredentialTokens::new(
                    credential, scope,
                )))
            }
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &redacted(&self.base_url))
            .field("has_token_provider", &self.tokens.is_some())
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("max_body_size", &self.max_body_size)
            .field("sdk_version_header", &self.sdk_version_header)
            .field("custom_http_client", &self.http.is_some())
            .finish()
    }
}

impl ClientBuilder {
    /// The service root requests are built against ([`DEFAULT_BASE_URL`] unless set). A
    /// trailing `/` is ignored. The access token is only sent to this URL's scheme, host
    /// and port (its origin), and redirects are only followed within it.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Where bearer tokens come from (required; an `Arc` of a provider works too).
    pub fn token_provider(mut self, provider: impl TokenProvider + 'static) -> Self {
        self.tokens = Some(Tokens::Provider(Arc::new(provider)));
        self
    }

    /// Authenticates with an Azure Identity credential (feature `azure-identity`), such as
    /// `azure_identity::AzureCliCredential::new(None)?`: its tokens are cached and renewed
    /// 5 minutes before they expire ([`CredentialTokens`](crate::azure::CredentialTokens)),
    /// for the scope of the base URL's cloud ([`graph_scope`](crate::azure::graph_scope):
    /// `https://graph.microsoft.com/.default` for the global cloud). Replaces an earlier
    /// token provider.
    #[cfg(feature = "azure-identity")]
    pub fn token_credential(mut self, credential: Arc<dyn crate::azure::TokenCredential>) -> Self {
        self.tokens = Some(Tokens::Credential {
            credential,
            scope: None,
        });
        self
    }

    /// [`token_credential`](Self::token_credential) with a scope of your choosing rather
    /// than the one derived from the base URL (for a proxy in front of Graph, say).
    #[cfg(feature = "azure-identity")]
    pub fn token_credential_with_scope(
        mut self,
        credential: Arc<dyn crate::azure::TokenCredential>,
        scope: impl Into<String>,
    ) -> Self {
        self.tokens = Some(Tokens::Credential {
            credential,
            scope: Some(scope.into()),
        });
        self
    }

    /// Authenticates with a fixed bearer token: `token_provider(StaticToken::new(secret))`.
    pub fn bearer_token(self, secret: impl Into<String>) -> Self {
        self.token_provider(StaticToken::new(secret))
    }

    /// How long one attempt may take, from sending to the end of the body
    /// ([`DEFAULT_TIMEOUT`] unless set), and never more than what is left of the retry
    /// policy's time budget ([`RetryPolicy::max_elapsed`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// When to retry ([`RetryPolicy::default`] unless set).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The largest response body, in bytes, the client reads ([`DEFAULT_MAX_BODY_SIZE`]
    /// unless set). A larger body is [`Error::BodyTooLarge`], and is not retried: a
    /// `Content-Length` over the limit is refused before reading, and a body without one
    /// is read piece by piece and dropped as soon as it goes over, so no more than the
    /// limit is ever held.
    ///
    /// For a compressed (gzip) answer the limit applies to the inflated body, what
    /// the client would hold, not to the bytes on the wire.
    pub fn max_body_size(mut self, bytes: u64) -> Self {
        self.max_body_size = bytes;
        self
    }

    /// Whether every request carries `SdkVersion: `[`SDK_VERSION`] (on unless set to
    /// `false`). A request that already has an `SdkVersion` header keeps its own value
    /// either way, and an HTTP client given to [`http_client`](Self::http_client) does not
    /// change this.
    pub fn sdk_version_header(mut self, send: bool) -> Self {
        self.sdk_version_header = send;
        self
    }

    /// Sends through this `reqwest` client (for proxies, custom root certificates, connection
    /// pool settings, a `User-Agent`) instead of a default one, which sends
    /// `User-Agent: graph_client/<version>` and asks for gzip. The client's own timeout, if
    /// any, also applies, and so does its choice of compression (reqwest asks for gzip
    /// unless told `.gzip(false)`).
    ///
    /// **Redirects.** The default client follows a redirect only within the base URL's
    /// origin, and stops at any other: that is [`Error::Redirect`], naming the `Location`.
    /// A client given here keeps its own redirect policy, which this crate cannot change,
    /// so the answer is checked when it arrives instead: one that came from another origin
    /// is [`Error::Redirect`] with that answer's URL as `location` and its status (the
    /// redirect's own status is not known then), and its body is not read. The request
    /// did reach that origin, though without the token (reqwest drops `Authorization` on
    /// a redirect to another host). To keep requests home, give the client
    /// `reqwest::redirect::Policy::none()`: every redirect then comes back, and one that
    /// leaves the origin is [`Error::Redirect`] with its own status.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The client, or [`Error::Build`] when no token provider was given, the base URL is
    /// not an absolute `http`/`https` URL or has credentials (`user:password@`), a query or
    /// a fragment, or the default HTTP client can't be made. The error shows the base URL
    /// with its credentials, query and fragment hidden.
    pub fn build(self) -> Result<Client, Error> {
        let tokens = self
            .tokens
            .ok_or_else(|| Error::Build("the client has no token provider".to_owned()))?;
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        let shown = redacted(&base_url);
        let refuse = |why: &str| Err(Error::Build(format!("the base URL {shown:?} {why}")));
        let parsed = match Url::parse(&base_url) {
            Ok(parsed) => parsed,
            Err(e) => return refuse(&format!("is not a URL: {e}")),
        };
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return refuse("is not an http or https URL");
        }
        if has_userinfo(&parsed) {
            return refuse(
                "carries credentials (user:password@): give them to the builder as a token",
            );
        }
        if parsed.query().is_some() {
            return refuse("has a query: request paths and options are added to it");
        }
        if parsed.fragment().is_some() {
            return refuse("has a fragment: request paths would be added to the fragment");
        }
        let origin = Origin::of(&parsed);
        let tokens = tokens.into_provider(&base_url)?;
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(DEFAULT_USER_AGENT)
                // Sends `Accept-Encoding: gzip` and inflates a gzip answer as it is read.
                .gzip(true)
                .redirect(redirect_policy(origin.clone()))
                .build()
                .map_err(|e| Error::Build(format!("cannot make the HTTP client: {}", chain(&e))))?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                base_url,
                origin,
                http,
                tokens,
                timeout: self.timeout,
                retry: self.retry,
                max_body_size: self.max_body_size,
                sdk_version_header: self.sdk_version_header,
            }),
        })
    }
}

impl Client {
    /// A builder with the defaults: [`DEFAULT_BASE_URL`], [`DEFAULT_TIMEOUT`],
    /// [`RetryPolicy::default`], [`DEFAULT_MAX_BODY_SIZE`], and no token provider yet.
    pub fn builder() -> ClientBuilder {
        ClientBuilder {
            base_url: DEFAULT_BASE_URL.to_owned(),
            tokens: None,
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            max_body_size: DEFAULT_MAX_BODY_SIZE,
            sdk_version_header: true,
            http: None,
        }
    }

    /// The timeout of one attempt.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The largest response body, in bytes, the client reads.
    pub fn max_body_size(&self) -> u64 {
        self.inner.max_body_size
    }

    /// Sends a request, retrying as the policy says; see [`Transport::send`].
    async fn execute(&self, request: Request) -> Result<Response, Error> {
        let inner = &*self.inner;
        let url = Url::parse(&request.url)
            .map_err(|e| Error::Build(format!("{:?} is not a URL: {e}", redacted(&request.url))))?;
        if has_userinfo(&url) {
            return Err(Error::Build(format!(
                "refusing {:?}: a request URL must not carry credentials",
                redacted(&request.url)
            )));
        }
        let origin = Origin::of(&url);
        if origin != inner.origin {
            return Err(Error::Build(format!(
                "refusing to send the access token to {origin}: the client only sends it to {}",
                inner.origin
            )));
        }
        let method = reqwest_method(request.method);
        let headers = request_headers(&request, inner.sdk_version_header)?;
        let description = format!("{} {url}", request.method.as_str());

        let started = Instant::now();
        let budget = inner.retry.max_elapsed();
        let spent = |attempt: u32| {
            Failure::BudgetSpent(format!(
                "the time budget of {budget:?} was spent during attempt {attempt}"
            ))
        };
        let mut attempt = 0u32;
        // A claims challenge is answered once per call: the fresh token it asked for, to be
        // used by the next attempt, and whether one was asked for already.
        let mut challenge_token = None;
        let mut challenged = false;
        loop {
            attempt += 1;
            let left = budget.saturating_sub(started.elapsed());
            let next_token = challenge_token
                .take()
                .unwrap_or_else(|| inner.tokens.token());
            let token = match tokio::time::timeout(left, next_token).await {
                Ok(token) => token.map_err(|e| Error::Transport(e.to_string()))?,
                Err(_) => return Err(spent(attempt).into_error(&description, attempt)),
            };
            let mut authorization = HeaderValue::from_str(&format!("Bearer {}", token.secret()))
                .map_err(|_| {
                    Error::Build("the access token is not a valid header value".to_owned())
                })?;
            authorization.set_sensitive(true);
            let mut attempt_headers = headers.clone();
            attempt_headers.insert(AUTHORIZATION, authorization);

            let mut builder = inner
                .http
                .request(method.clone(), url.clone())
                .headers(attempt_headers);
            if let Some(body) = &request.body {
                builder = builder.body(body.clone());
            }
            // The attempt gets its timeout, or what is left of the budget if that is less.
            let left = budget.saturating_sub(started.elapsed());
            let cut_by_budget = left <= inner.timeout;
            let sending = send_once(builder, &inner.origin, inner.max_body_size);
            let outcome = match tokio::time::timeout(left.min(inner.timeout), sending).await {
                Ok(outcome) => outcome,
                Err(_) if cut_by_budget => Err(spent(attempt)),
                Err(_) => Err(Failure::TimedOut(format!(
                    "timed out after {:?}",
                    inner.timeout
                ))),
            };

            match outcome {
                Ok(mut response) => {
                    response.attempts = attempt;
                    if response.status == 401 && !challenged {
                        challenged = true;
                        if let Some(fresh) = claims_of(&response)
                            .and_then(|claims| inner.tokens.token_for_claims(&claims))
                        {
                            // Sent again at once with the new token, whatever the retry
                            // policy: the service said what it needs, and it is asked once.
                            challenge_token = Some(fresh);
                            continue;
                        }
                    }
                    if !inner.retry.retries_status(request.method, response.status) {
                        return Ok(response);
                    }
                    let asked = retry_after(&response, SystemTime::now())
                        .map(|asked| inner.retry.honoured_retry_after(asked));
                    match self.wait_before_retry(attempt, started, asked) {
                        Some(wait) => tokio::time::sleep(wait).await,
                        None => return Ok(response),
                    }
                }
                Err(failure) => {
                    let wait = if failure.is_retryable(&inner.retry, request.method) {
                        self.wait_before_retry(attempt, started, None)
                    } else {
                        None
                    };
                    match wait {
                        Some(wait) => tokio::time::sleep(wait).await,
                        None => return Err(failure.into_error(&description, attempt)),
                    }
                }
            }
        }
    }

    /// The wait before the next attempt, or `None` to give up: attempts are used up, or the
    /// wait would leave no time of the budget for the attempt. `asked` is the honoured
    /// `Retry-After`, if any.
    fn wait_before_retry(
        &self,
        attempt: u32,
        started: Instant,
        asked: Option<Duration>,
    ) -> Option<Duration> {
        let policy = &self.inner.retry;
        if attempt >= policy.max_attempts() {
            return None;
        }
        let wait = asked.unwrap_or_else(|| policy.backoff(attempt, random_unit()));
        let ends = started.elapsed().checked_add(wait)?;
        (ends < policy.max_elapsed()).then_some(wait)
    }
}

impl Transport for Client {
    fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    fn send(&self, request: Request) -> SendFuture<'_> {
        Box::pin(self.execute(request))
    }
}

/// Why an attempt got no response.
enum Failure {
    /// No connection was made: the request never reached the service.
    Connect(String),
    /// The attempt took too long.
    TimedOut(String),
    /// Anything else (connection lost, a body that could not be read).
    Other(String),
    /// The call's time budget ran out while waiting for a token or an answer.
    BudgetSpent(String),
    /// An error that ends the call at once, whatever the method: the answer is unusable,
    /// and asking again would get the same.
    Fatal(Error),
}

impl Failure {
    fn from_reqwest(error: reqwest::Error) -> Self {
        let (connect, timeout, builder) =
            (error.is_connect(), error.is_timeout(), error.is_builder());
        let message = chain(&error.without_url());
        if builder {
            // The request itself is wrong: sending it again would fail the same way.
            return Failure::Fatal(Error::Build(message));
        }
        if connect {
            Failure::Connect(message)
        } else if timeout {
            Failure::TimedOut(format!("timed out: {message}"))
        } else {
            Failure::Other(message)
        }
    }

    /// Whether the policy sends the request again (see [`RetryPolicy`]): after a failed
    /// connection always, as nothing was sent; otherwise the outcome is ambiguous.
    fn is_retryable(&self, policy: &RetryPolicy, method: Method) -> bool {
        match self {
            Failure::Connect(_) => true,
            Failure::TimedOut(_) | Failure::Other(_) => policy.retries_ambiguous(method),
            Failure::BudgetSpent(_) | Failure::Fatal(_) => false,
        }
    }

    /// The error to return: a fatal one as it is, else a transport error naming the request
    /// (`description`) and how many attempts were made.
    fn into_error(self, description: &str, attempts: u32) -> Error {
        let message = match self {
            Failure::Fatal(error) => return error,
            Failure::Connect(message)
            | Failure::TimedOut(message)
            | Failure::Other(message)
            | Failure::BudgetSpent(message) => message,
        };
        let mut text = format!("{message} ({description}");
        if attempts > 1 {
            text.push_str(&format!(", {attempts} attempts"));
        }
        text.push(')');
        Error::Transport(text)
    }
}

/// The redirect policy of the default HTTP client: follow redirects within `home` (up to
/// [`MAX_REDIRECTS`]), stop at any other, so that [`leaves_home`] sees it.
fn redirect_policy(home: Origin) -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() <= MAX_REDIRECTS && Origin::of(attempt.url()) == home {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// The error for an answer that points or came from outside `home`: a redirect elsewhere
/// that was not followed (a 3xx whose `Location` resolves to another origin, or to no URL
/// at all), or an answer from another origin (an HTTP client given to the builder followed
/// the redirect itself; that answer's status is all that is known then).
fn leaves_home(response: &reqwest::Response, home: &Origin) -> Option<Error> {
    let status = response.status();
    if Origin::of(response.url()) != *home {
        return Some(Error::Redirect {
            status: status.as_u16(),
            location: response.url().to_string(),
        });
    }
    if !status.is_redirection() {
        return None;
    }
    let location = response.headers().get(LOCATION)?;
    let location = String::from_utf8_lossy(location.as_bytes()).into_owned();
    match response.url().join(&location) {
        Ok(target) if Origin::of(&target) == *home => None,
        _ => Some(Error::Redirect {
            status: status.as_u16(),
            location,
        }),
    }
}

/// One attempt: send, check that the answer stays within `home`, then read the body, up to
/// `max_body_size` bytes.
///
/// A gzip answer reaches this function already being inflated: reqwest drops its
/// `Content-Encoding` and `Content-Length` and hands out inflated chunks, so the limit
/// counts the bytes the body decodes to, and a small compressed body that would inflate
/// past the limit is dropped as soon as it goes over, one chunk at a time.
async fn send_once(
    builder: reqwest::RequestBuilder,
    home: &Origin,
    max_body_size: u64,
) -> Result<Response, Failure> {
    let mut response = builder.send().await.map_err(Failure::from_reqwest)?;
    if let Some(error) = leaves_home(&response, home) {
        return Err(Failure::Fatal(error));
    }
    let too_large = || {
        Failure::Fatal(Error::BodyTooLarge {
            limit: max_body_size,
        })
    };
    let announced = response.content_length();
    if announced.is_some_and(|length| length > max_body_size) {
        return Err(too_large());
    }
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    // Room for what the server announced (within the limit), but not more than a few
    // megabytes up front: a Content-Length is only a promise.
    let reserve = announced
        .unwrap_or(0)
        .min(max_body_size)
        .min(PREALLOCATE_AT_MOST);
    let mut body = Vec::with_capacity(usize::try_from(reserve).unwrap_or(0));
    while let Some(chunk) = response.chunk().await.map_err(Failure::from_reqwest)? {
        let total = u64::try_from(body.len().saturating_add(chunk.len())).unwrap_or(u64::MAX);
        if total > max_body_size {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Response::new(status, headers, body))
}

/// The claims of a claims challenge in a `401` answer's `WWW-Authenticate` headers.
fn claims_of(response: &Response) -> Option<String> {
    response
        .headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("www-authenticate"))
        .find_map(|(_, value)| claims_challenge(value))
}

/// The request's headers for the wire, with its `client-request-id` (or a new one) and,
/// when `sdk_version` is set and the request has none, `SdkVersion:` [`SDK_VERSION`]. An
/// `Authorization` header of the request is dropped: the client sets it.
fn request_headers(request: &Request, sdk_version: bool) -> Result<HeaderMap, Error> {
    let mut headers = HeaderMap::new();
    for (name, value) in &request.headers {
        if name.eq_ignore_ascii_case(AUTHORIZATION.as_str()) {
            continue;
        }
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::Build(format!("{name:?} is not a valid header name")))?;
        let value = HeaderValue::from_str(value)
            .map_err(|_| Error::Build(format!("the value of header {name} is not valid")))?;
        headers.append(name, value);
    }
    let id_name = HeaderName::from_static(CLIENT_REQUEST_ID);
    if !headers.contains_key(&id_name) {
        let id = uuid::Uuid::new_v4().to_string();
        let value = HeaderValue::from_str(&id)
            .map_err(|_| Error::Build("a client-request-id is not a valid header".to_owned()))?;
        headers.insert(id_name, value);
    }
    let sdk_name = HeaderName::from_static(SDK_VERSION_HEADER);
    if sdk_version && !headers.contains_key(&sdk_name) {
        headers.insert(sdk_name, HeaderValue::from_static(SDK_VERSION));
    }
    Ok(headers)
}

fn reqwest_method(method: Method) -> reqwest::Method {
    match method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Patch => reqwest::Method::PATCH,
        Method::Delete => reqwest::Method::DELETE,
    }
}

/// True when a URL carries a user name or password.
fn has_userinfo(url: &Url) -> bool {
    !url.username().is_empty() || url.password().is_some()
}

/// A URL (or text meant as one) fit to show: what stands before an `@` after the scheme
/// (credentials) becomes `***`, and a query or fragment becomes `…`. It errs on the side
/// of hiding, and needs no successful parse, so text that is not quite a URL is covered.
fn redacted(url: &str) -> String {
    let start = url.find("://").map_or(0, |at| at + 3);
    let mut text = url.to_owned();
    if let Some(at) = url.rfind('@').filter(|&at| at >= start) {
        text.replace_range(start..at, "***");
    }
    if let Some(cut) = text.find(['?', '#']) {
        text.truncate(cut + 1);
        text.push('…');
    }
    text
}

/// An error and its causes, `: `-separated (reqwest's own message is often just "error
/// sending request", with the useful part in a cause).
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// A number uniform in `[0, 1)` for backoff jitter, from the 53 low bits of a random UUID
/// (whose bits there are all random), so no other random source is needed.
pub(crate) fn random_unit() -> f64 {
    let bits = (uuid::Uuid::new_v4().as_u128() as u64) & ((1u64 << 53) - 1);
    bits as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_units_are_in_range() {
        for _ in 0..100 {
            let value = random_unit();
            assert!((0.0..1.0).contains(&value));
        }
    }

    #[test]
    fn a_request_keeps_its_own_id_and_loses_its_authorization() {
        let request = Request::new(Method::Get, "https://x/y".to_owned())
            .with_header("Client-Request-Id", "mine".to_owned())
            .with_header("Authorization", "Bearer other".to_owned())
            .with_header("ConsistencyLevel", "eventual".to_owned());
        let headers = request_headers(&request, true).map_err(|e| e.to_string());
        let headers = headers.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(headers.get_all(CLIENT_REQUEST_ID).iter().count(), 1);
        assert_eq!(
            headers.get(CLIENT_REQUEST_ID).map(HeaderValue::as_bytes),
            Some(&b"mine"[..])
        );
        assert!(headers.get(AUTHORIZATION).is_none());
        assert!(headers.get("consistencylevel").is_some());
    }

    #[test]
    fn redaction_hides_credentials_query_and_fragment() {
        for (url, shown) in [
            (
                "https://graph.microsoft.com/v1.0",
                "https://graph.microsoft.com/v1.0",
            ),
            ("https://me:pa55@host/v1.0", "https://***@host/v1.0"),
            ("https://me@host", "https://***@host"),
            ("https://me:p@ss@host/x", "https://***@host/x"),
            ("https://me:pa/55@host/x", "https://***@host/x"),
            ("https://host/v1.0?key=pa55", "https://host/v1.0?…"),
            ("https://host/v1.0#pa55", "https://host/v1.0#…"),
            ("me:pa55@host", "***@host"),
        ] {
            assert_eq!(redacted(url), shown, "{url}");
        }
    }

    #[test]
    fn the_base_url_is_checked_and_trimmed() {
        let build = |url: &str| Client::builder().bearer_token("t").base_url(url).build();
        assert!(matches!(build("not a url"), Err(Error::Build(_))));
        assert!(matches!(build("ftp://host/x"), Err(Error::Build(_))));
        let client = build("https://graph.microsoft.com/beta/").map_err(|e| e.to_string());
        assert_eq!(
            client.as_ref().map(|c| c.base_url()),
            Ok("https://graph.microsoft.com/beta")
        );
        let default = Client::builder().bearer_token("t").build();
        assert_eq!(
            default.as_ref().map(|c| c.base_url()).ok(),
            Some(DEFAULT_BASE_URL)
        );
        assert!(matches!(Client::builder().build(), Err(Error::Build(_))));
    }
}
