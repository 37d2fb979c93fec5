//! Azure Identity credentials as token providers (the `azure-identity` feature).
//!
//! Any credential of the Azure SDK for Rust, that is anything implementing
//! [`TokenCredential`] (Azure CLI, client secret, managed identity, workload identity,
//! a credential of your own), becomes the client's [`TokenProvider`] through
//! [`CredentialTokens`], which caches the token and asks for a new one a margin before it
//! expires. [`ClientBuilder::token_credential`](crate::ClientBuilder::token_credential) does
//! this with the scope taken from the client's base URL.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use azure_core::credentials::{AccessToken, TokenRequestOptions};
use azure_core::http::{ClientMethodOptions, Context};
use graph_runtime::http::Error;
use reqwest::Url;
use tokio::sync::Mutex;

use crate::auth::{Token, TokenError, TokenFuture, TokenProvider};

pub use azure_core::credentials::TokenCredential;

/// How long before its expiry a cached token is replaced, unless set otherwise: 5 minutes,
/// so a token never runs out during a request, its retries included, nor because the
/// clocks of this machine and the service drift apart a little.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// The claims of a claims challenge, handed to the credential in the
/// [`Context`] of [`TokenRequestOptions`] when the client asks for a token that satisfies
/// one (`options.method_options.context.value::<ClaimsChallenge>()`).
///
/// azure_core 1.x's `TokenRequestOptions` has no field for claims, so this is the only way
/// a credential can see them; the credentials of `azure_identity` 1.0 do not look for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimsChallenge(pub String);

/// The OAuth scope that grants a Microsoft Graph token for the service at `base_url`: the
/// service's host with `/.default`, over `https`.
///
/// Each cloud's Graph is its own resource, named by its host: `graph.microsoft.com` (the
/// global cloud), `graph.microsoft.us` (US Government L4), `dod-graph.microsoft.us` (US
/// Government L5, DoD), `microsoftgraph.chinacloudapi.cn` (operated by 21Vianet). So
/// `https://graph.microsoft.us/v1.0` gives `https://graph.microsoft.us/.default`; the
/// scheme is always `https` (the scope is a resource name, not an address to call) and the
/// port is left out. A base URL that is not an `http` or `https` URL with a host is
/// [`Error::Build`].
pub fn graph_scope(base_url: &str) -> Result<String, Error> {
    let url = Url::parse(base_url).map_err(|e| {
        Error::Build(format!(
            "no token scope for a base URL that is not a URL: {e}"
        ))
    })?;
    let host = match url.host_str() {
        Some(host) if matches!(url.scheme(), "http" | "https") => host.to_ascii_lowercase(),
        _ => {
            return Err(Error::Build(
                "no token scope for a base URL without an http(s) host".to_owned(),
            ))
        }
    };
    Ok(format!("https://{host}/.default"))
}

/// A [`TokenProvider`] on a [`TokenCredential`]: asks the credential for a token of its
/// scopes, keeps it, and answers from it until it is within the refresh margin of its
/// expiry ([`DEFAULT_REFRESH_MARGIN`] unless set).
///
/// Concurrent requests share one refresh: the first to find the token stale asks the
/// credential, the others wait for its answer rather than asking too. A failed refresh is
/// not kept: the next request asks again. Its `Debug` shows the scopes, not the token.
pub struct CredentialTokens {
    credential: Arc<dyn TokenCredential>,
    scopes: Vec<String>,
    refresh_margin: Duration,
    cache: Mutex<Option<AccessToken>>,
}

impl fmt::Debug for CredentialTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialTokens")
            .field("credential", &self.credential)
            .field("scopes", &self.scopes)
            .field("refresh_margin", &self.refresh_margin)
            .finish_non_exhaustive()
    }
}

impl CredentialTokens {
    /// Tokens from `credential` for `scope` (such as [`graph_scope`]'s).
    pub fn new(credential: Arc<dyn TokenCredential>, scope: impl Into<String>) -> Self {
        CredentialTokens {
            credential,
            scopes: vec![scope.into()],
            refresh_margin: DEFAULT_REFRESH_MARGIN,
            cache: Mutex::new(None),
        }
    }

    /// Tokens from `credential` for the Microsoft Graph at `base_url` (see [`graph_scope`]).
    pub fn for_base_url(
        credential: Arc<dyn TokenCredential>,
        base_url: &str,
    ) -> Result<Self, Error> {
        Ok(CredentialTokens::new(credential, graph_scope(base_url)?))
    }

    /// Replaces a cached token once it has `margin` or less left before it expires.
    pub fn with_refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// The scopes tokens are asked for.
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }

    /// Whether `token` is still good for more than the refresh margin.
    fn is_fresh(&self, token: &AccessToken) -> bool {
        let expires = SystemTime::from(token.expires_on);
        expires
            .duration_since(SystemTime::now())
            .is_ok_and(|left| left > self.refresh_margin)
    }

    /// Asks the credential for a token (with the claims of a challenge, if any).
    async fn fetch(&self, claims: Option<&str>) -> Result<AccessToken, TokenError> {
        let scopes: Vec<&str> = self.scopes.iter().map(String::as_str).collect();
        let options = claims.map(|claims| TokenRequestOptions {
            method_options: ClientMethodOptions {
                context: Context::new().with_value(ClaimsChallenge(claims.to_owned())),
            },
        });
        self.credential
            .get_token(&scopes, options)
            .await
            .map_err(|e| TokenError::new(format!("the Azure credential failed: {e}")))
    }

    async fn cached_or_fetched(&self) -> Result<Token, TokenError> {
        // Held across the fetch, so that concurrent callers wait for one refresh.
        let mut cache = self.cache.lock().await;
        if let Some(token) = cache.as_ref().filter(|token| self.is_fresh(token)) {
            return Ok(Token::new(token.token.secret()));
        }
        let token = self.fetch(None).await?;
        let secret = Token::new(token.token.secret());
        *cache = Some(token);
        Ok(secret)
    }

    async fn fetched_for_claims(&self, claims: String) -> Result<Token, TokenError> {
        let mut cache = self.cache.lock().await;
        let token = self.fetch(Some(&claims)).await?;
        let secret = Token::new(token.token.secret());
        // The new token is what the service asked for: later requests use it too.
        *cache = Some(token);
        Ok(secret)
    }
}

impl TokenProvider for CredentialTokens {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(self.cached_or_fetched())
    }

    fn token_for_claims(&self, claims: &str) -> Option<TokenFuture<'_>> {
        Some(Box::pin(self.fetched_for_claims(claims.to_owned())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cloud_has_its_own_scope() {
        for (base_url, scope) in [
            (
                "https://graph.microsoft.com/v1.0",
                "https://graph.microsoft.com/.default",
            ),
            (
                "https://graph.microsoft.com/beta/",
                "https://graph.microsoft.com/.default",
            ),
            (
                "https://graph.microsoft.us/v1.0",
                "https://graph.microsoft.us/.default",
            ),
            (
                "https://dod-graph.microsoft.us/v1.0",
                "https://dod-graph.microsoft.us/.default",
            ),
            (
                "https://microsoftgraph.chinacloudapi.cn/v1.0",
                "https://microsoftgraph.chinacloudapi.cn/.default",
            ),
            (
                "https://Graph.Example.org:8443/v1.0",
                "https://graph.example.org/.default",
            ),
            ("http://127.0.0.1:4000/v1.0", "https://127.0.0.1/.default"),
        ] {
            assert_eq!(
                graph_scope(base_url).map_err(|e| e.to_string()).as_deref(),
                Ok(scope),
                "{base_url}"
            );
        }
        for refused in ["not a url", "mailto:someone@example.org", "file:///tmp"] {
            assert!(
                matches!(graph_scope(refused), Err(Error::Build(_))),
                "{refused}"
            );
        }
    }
}
