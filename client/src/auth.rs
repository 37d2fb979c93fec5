//! Bearer tokens and where they come from.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A bearer access token. Its `Debug` and `Display` never show the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    secret: String,
}

impl Token {
    /// A token with the given secret (the part after `Bearer `).
    pub fn new(secret: impl Into<String>) -> Self {
        Token {
            secret: secret.into(),
        }
    }

    /// The secret, to put in an `Authorization` header. Never log it.
    pub fn secret(&self) -> &str {
        &self.secret
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted token>")
    }
}

/// Why a [`TokenProvider`] could not give a token. The message must not contain a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenError {
    message: String,
}

impl TokenError {
    /// An error with a message (without any secret in it).
    pub fn new(message: impl Into<String>) -> Self {
        TokenError {
            message: message.into(),
        }
    }

    /// What went wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot get an access token: {}", self.message)
    }
}

impl std::error::Error for TokenError {}

/// The future a [`TokenProvider`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Token, TokenError>> + Send + 'a>>;

/// Something that gives bearer tokens: a fixed token, or a credential flow that caches and
/// refreshes them. The client asks once per attempt, so a provider should answer from its
/// cache while its token is valid.
pub trait TokenProvider: Send + Sync {
    /// A token valid for the next request.
    fn token(&self) -> TokenFuture<'_>;
}

impl<T: TokenProvider + ?Sized> TokenProvider for Arc<T> {
    fn token(&self) -> TokenFuture<'_> {
        (**self).token()
    }
}

impl<T: TokenProvider + ?Sized> TokenProvider for Box<T> {
    fn token(&self) -> TokenFuture<'_> {
        (**self).token()
    }
}

/// A token provider that always gives the same token (one obtained elsewhere, such as from
/// `az account get-access-token`). Its `Debug` does not show the secret.
#[derive(Clone, Debug)]
pub struct StaticToken {
    token: Token,
}

impl StaticToken {
    /// A provider of this secret.
    pub fn new(secret: impl Into<String>) -> Self {
        StaticToken {
            token: Token::new(secret),
        }
    }
}

impl TokenProvider for StaticToken {
    fn token(&self) -> TokenFuture<'_> {
        let token = self.token.clone();
        Box::pin(async move { Ok(token) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_is_never_shown() {
        let token = Token::new("s3cr3t-value");
        assert_eq!(token.secret(), "s3cr3t-value");
        for text in [
            format!("{token:?}"),
            format!("{token}"),
            format!("{:?}", StaticToken::new("s3cr3t-value")),
        ] {
            assert!(!text.contains("s3cr3t"), "{text}");
        }
    }

    #[tokio::test]
    async fn a_static_token_gives_its_secret() {
        let provider: Arc<dyn TokenProvider> = Arc::new(StaticToken::new("abc"));
        let token = provider.token().await;
        assert_eq!(token.map(|t| t.secret().to_owned()), Ok("abc".to_owned()));
    }
}
