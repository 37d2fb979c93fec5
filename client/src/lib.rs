//! The async HTTP client for the Microsoft Graph bindings.
//!
//! [`Client`] implements [`graph_runtime::http::Transport`] on `reqwest` (with rustls) and
//! `tokio`: generated request builders, and [`graph_runtime::http::pages`], send their
//! [`Request`](graph_runtime::http::Request)s through it. It
//!
//! - authenticates every request with a bearer token from a [`TokenProvider`] (asked once
//!   per attempt, so a provider that refreshes tokens is honoured across long retries);
//! - gives every request a `client-request-id` (a fresh UUID v4 unless the request carries
//!   one), the same for all attempts of that request;
//! - names itself in an `SdkVersion` header ([`SDK_VERSION`]), as the official Graph SDKs
//!   do, unless [`ClientBuilder::sdk_version_header`] turns it off;
//! - retries throttled (`429`) and unavailable (`503`) answers for every method, honouring
//!   `Retry-After`, and sends `POST` and `PATCH` again only when the service cannot have
//!   acted on them: [`RetryPolicy`] writes down every rule and its bounds;
//! - bounds each attempt by a timeout, and the whole call (the attempt in flight included)
//!   by the policy's time budget;
//! - asks for gzip (`Accept-Encoding: gzip`) and inflates compressed answers as it reads
//!   them;
//! - follows redirects only within the base URL's origin, and fails with
//!   [`Error::Redirect`](graph_runtime::http::Error::Redirect) at any other;
//! - reads at most [`ClientBuilder::max_body_size`] bytes of a response body
//!   ([`DEFAULT_MAX_BODY_SIZE`] by default), failing with
//!   [`Error::BodyTooLarge`](graph_runtime::http::Error::BodyTooLarge) beyond (counting
//!   the inflated bytes of a compressed body).
//!
//! Non-2xx answers are returned as [`Response`](graph_runtime::http::Response)s, for the
//! operation to decode into [`Error::Status`](graph_runtime::http::Error::Status); failures
//! to get an answer are [`Error::Transport`](graph_runtime::http::Error::Transport).
//!
//! ```no_run
//! use graph_client::{Client, RetryPolicy};
//! use graph_runtime::http::{decode_json, Method, Request, Transport};
//!
//! # async fn run() -> Result<(), graph_runtime::http::Error> {
//! let client = Client::builder()
//!     .bearer_token("eyJ0eXAi...")
//!     .retry_policy(RetryPolicy::default().with_max_attempts(3))
//!     .build()?;
//! let url = format!("{}/identityGovernance/accessReviews/definitions", client.base_url());
//! let response = client.send(Request::new(Method::Get, url)).await?;
//! let body: serde_json::Value = decode_json(&response)?;
//! # Ok(())
//! # }
//! ```
//!
//! The client needs a tokio runtime with the time driver enabled (as `#[tokio::main]` has).
//! The access token never appears in a `Debug` or `Display` output of this crate's types,
//! nor in an error message.

#![deny(missing_docs)]

mod auth;
#[cfg(feature = "azure-identity")]
pub mod azure;
mod batch;
mod client;
mod retry;

pub use auth::{StaticToken, Token, TokenError, TokenFuture, TokenProvider};
pub use batch::{Batch, BatchItem, BatchResponses, ItemOptions, MAX_BATCH_REQUESTS};
pub use client::{
    Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_MAX_BODY_SIZE, DEFAULT_TIMEOUT, SDK_VERSION,
};
pub use retry::RetryPolicy;

/// The Azure SDK crates the `azure-identity` feature builds on, for making credentials
/// (`graph_client::azure_identity::AzureCliCredential::new(None)`) without depending on
/// them directly (and on the same versions).
#[cfg(feature = "azure-identity")]
pub use {azure_core, azure_identity};
