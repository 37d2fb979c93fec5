//! Microsoft Graph access reviews, in one dependency.
//!
//! This crate gathers what a program needs to call the access reviews API: the v1.0 models
//! ([`models`]), the request builders that follow the URL ([`requests`]), an async
//! [`Client`] with retries and timeouts (built on `graph_client`), and the runtime types the
//! models use ([`Nullable`], [`DateTime`], the errors in [`http`]).
//!
//! Chains start on the [`Client`] with inherent methods, so no trait has to be imported:
//!
//! ```no_run
//! use access_reviews::prelude::*;
//!
//! # async fn run() -> Result<(), access_reviews::Error> {
//! let client = Client::builder().bearer_token("eyJ0eXAi...").build()?;
//! let definitions: Vec<_> = client.definitions().list().top(10).stream().try_collect().await?;
//! for definition in &definitions {
//!     println!("{}", definition.display_name.as_deref().unwrap_or("?"));
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Up to 20 operations go in one JSON batch (`POST $batch`), each answer decoded as its
//! operation's, each failure that item's own ([`Batch`] has the rules):
//!
//! ```no_run
//! use access_reviews::prelude::*;
//!
//! # async fn run(client: Client) -> Result<(), access_reviews::Error> {
//! let instance = client.definitions().by_id("DEFINITION-ID").instances().by_id("INSTANCE-ID");
//! let mut batch = client.batch();
//! let pending = batch.add(instance.decisions().count())?;
//! let stop = batch.add_with(instance.stop(), ItemOptions::new().id("stop").depends_on(&pending))?;
//! let definitions = batch.add(client.definitions().list().top(5))?;
//! let answers = batch.send().await?;
//! let pending: i64 = answers.get(&pending)?;
//! answers.get(&stop)?;
//! let page = answers.get(&definitions)?;
//! # let _ = (pending, page);
//! # Ok(())
//! # }
//! ```
//!
//! The [`prelude`] holds the client, [`ItemOptions`], [`Nullable`], [`Error`] and the
//! stream traits that collecting a paged list takes. With the `beta` feature, `access_reviews::beta` holds the
//! same for the beta endpoint; without it, no beta code is compiled.

#![deny(missing_docs)]

/// The v1.0 models: one struct per schema, `Any…` enums for polymorphic properties, open
/// enums (the `access-reviews-models` crate).
pub use access_reviews_models as models;
/// The v1.0 request builders, one module per path (the `access-reviews-requests` crate).
/// Their `Api` trait starts chains on any transport, such as [`http::Offline`].
pub use access_reviews_requests as requests;
/// The HTTP client underneath [`Client`]: token providers, retry policy, defaults.
pub use graph_client as client;
/// Requests, responses, errors, paging and the `Transport` trait, without any I/O.
pub use graph_runtime::http;

/// Azure Identity credentials as token providers (feature `azure-identity`): the
/// `graph_client::azure` module, and the Azure SDK crates it builds on.
#[cfg(feature = "azure-identity")]
pub use graph_client::{azure, azure_core, azure_identity};
pub use graph_client::{
    Batch, BatchItem, BatchResponses, ItemOptions, RetryPolicy, StaticToken, Token, TokenError,
    TokenProvider, MAX_BATCH_REQUESTS,
};
pub use graph_runtime::http::{Error, Key};
pub use graph_runtime::{Date, DateTime, Duration, Nullable, RawJson, Uuid};

/// Defines a client type and its builder, for one API version's entry points.
macro_rules! client_type {
    ($requests:ident, $default_base_url:expr, $version:literal) => {
        /// The async client for the
        #[doc = $version]
        /// endpoint: chains start on it (`client.definitions()`) with no trait in scope.
        ///
        /// It wraps a [`graph_client::Client`] and sends through it, with its retries,
        /// timeouts and limits. It is cheap to clone: clones share one connection pool.
        #[derive(Clone, Debug)]
        pub struct Client {
            http: ::graph_client::Client,
        }

        impl Client {
            /// A builder whose base URL is the
            #[doc = $version]
            /// endpoint of the global cloud (`.base_url(..)` sets another).
            pub fn builder() -> ClientBuilder {
                ClientBuilder {
                    inner: ::graph_client::Client::builder().base_url($default_base_url),
                }
            }

            /// The HTTP client underneath, for requests the builders don't make.
            pub fn http(&self) -> &::graph_client::Client {
                &self.http
            }

            /// An empty JSON batch: up to 20 operations built on this client, sent in one
            /// `POST $batch`, each answer decoded as its operation's (see
            /// [`graph_client::Batch`]).
            pub fn batch(&self) -> ::graph_client::Batch<'_> {
                self.http.batch()
            }
        }

        impl ::std::convert::From<::graph_client::Client> for Client {
            fn from(http: ::graph_client::Client) -> Self {
                Client { http }
            }
        }

        impl ::graph_runtime::http::Transport for Client {
            fn base_url(&self) -> &str {
                ::graph_runtime::http::Transport::base_url(&self.http)
            }

            fn send(
                &self,
                request: ::graph_runtime::http::Request,
            ) -> ::graph_runtime::http::SendFuture<'_> {
                ::graph_runtime::http::Transport::send(&self.http, request)
            }
        }

        $requests::entry_points!(Client);

        /// Settings of a [`Client`]; each is the same as on [`graph_client::ClientBuilder`].
        /// Only a token (or token provider) is required.
        #[derive(Debug)]
        pub struct ClientBuilder {
            inner: ::graph_client::ClientBuilder,
        }

        impl ClientBuilder {
            /// The service root, such as a national cloud's (a trailing `/` is ignored).
            pub fn base_url(self, url: impl ::std::convert::Into<::std::string::String>) -> Self {
                ClientBuilder {
                    inner: self.inner.base_url(url),
                }
            }

            /// Where bearer tokens come from, asked once per attempt.
            pub fn token_provider(self, provider: impl $crate::TokenProvider + 'static) -> Self {
                ClientBuilder {
                    inner: self.inner.token_provider(provider),
                }
            }

            /// Authenticates with an Azure Identity credential (feature `azure-identity`),
            /// its tokens cached and renewed before they expire, for the scope of the base
            /// URL's cloud (see [`graph_client::ClientBuilder::token_credential`]).
            #[cfg(feature = "azure-identity")]
            pub fn token_credential(
                self,
                credential: ::std::sync::Arc<dyn ::graph_client::azure::TokenCredential>,
            ) -> Self {
                ClientBuilder {
                    inner: self.inner.token_credential(credential),
                }
            }

            /// Authenticates with an Azure Identity credential for a scope of your choosing
            /// (feature `azure-identity`).
            #[cfg(feature = "azure-identity")]
            pub fn token_credential_with_scope(
                self,
                credential: ::std::sync::Arc<dyn ::graph_client::azure::TokenCredential>,
                scope: impl ::std::convert::Into<::std::string::String>,
            ) -> Self {
                ClientBuilder {
                    inner: self.inner.token_credential_with_scope(credential, scope),
                }
            }

            /// Authenticates with a fixed bearer token.
            pub fn bearer_token(
                self,
                secret: impl ::std::convert::Into<::std::string::String>,
            ) -> Self {
                ClientBuilder {
                    inner: self.inner.bearer_token(secret),
                }
            }

            /// How long one attempt may take.
            pub fn timeout(self, timeout: ::std::time::Duration) -> Self {
                ClientBuilder {
                    inner: self.inner.timeout(timeout),
                }
            }

            /// When to retry.
            pub fn retry_policy(self, policy: $crate::RetryPolicy) -> Self {
                ClientBuilder {
                    inner: self.inner.retry_policy(policy),
                }
            }

            /// The largest response body, in bytes, the client reads.
            pub fn max_body_size(self, bytes: u64) -> Self {
                ClientBuilder {
                    inner: self.inner.max_body_size(bytes),
                }
            }

            /// The client, or [`Error::Build`](crate::Error::Build) when no token was given
            /// or the base URL is refused (see [`graph_client::ClientBuilder::build`]).
            pub fn build(self) -> ::std::result::Result<Client, $crate::Error> {
                self.inner.build().map(Client::from)
            }
        }
    };
}

client_type!(
    access_reviews_requests,
    ::graph_client::DEFAULT_BASE_URL,
    "v1.0"
);

/// What most programs import: `use access_reviews::prelude::*;`.
///
/// The [`Client`], [`Nullable`] and
/// [`Error`]; the requests crate's `Api` trait, unnamed, so that chains also
/// start on other transports (such as [`http::Offline`]); and the
/// `futures` stream traits, unnamed, for `.stream().try_collect()` and friends.
pub mod prelude {
    pub use crate::{Client, Error, ItemOptions, Nullable};
    pub use access_reviews_requests::Api as _;
    pub use futures::{StreamExt as _, TryStreamExt as _};
}

/// The beta endpoint (with the `beta` feature): its models, request builders, client and
/// prelude, shaped as the v1.0 ones at the crate root are.
#[cfg(feature = "beta")]
pub mod beta {
    /// The beta models (the `access-reviews-beta-models` crate).
    pub use access_reviews_beta_models as models;
    /// The beta request builders (the `access-reviews-beta-requests` crate).
    pub use access_reviews_beta_requests as requests;

    /// The beta service root of the global cloud.
    pub const DEFAULT_BASE_URL: &str = "https://graph.microsoft.com/beta";

    client_type!(access_reviews_beta_requests, DEFAULT_BASE_URL, "beta");

    /// `use access_reviews::beta::prelude::*;`: the beta [`Client`] and the rest of the
    /// crate's prelude.
    pub mod prelude {
        pub use super::Client;
        pub use crate::{Error, Nullable};
        pub use access_reviews_beta_requests::Api as _;
        pub use futures::{StreamExt as _, TryStreamExt as _};
    }
}
