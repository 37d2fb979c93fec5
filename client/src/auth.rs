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

    /// A new token that satisfies a claims challenge, or `None` when this provider cannot
    /// answer one (the default, so providers written before this method keep working).
    ///
    /// The client asks for it when the service answers `401` with
    /// `WWW-Authenticate: Bearer ... error="insufficient_claims", claims="..."` (Conditional
    /// Access asking for a stronger sign-in, or a token revoked early), then sends the
    /// request once more with the new token; a second `401` is returned as it is.
    /// `claims` is the challenge's JSON, already decoded from base64. A provider that caches
    /// tokens should not answer from its cache here, and should keep the new token.
    fn token_for_claims(&self, claims: &str) -> Option<TokenFuture<'_>> {
        let _ = claims;
        None
    }
}

impl<T: TokenProvider + ?Sized> TokenProvider for Arc<T> {
    fn token(&self) -> TokenFuture<'_> {
        (**self).token()
    }

    fn token_for_claims(&self, claims: &str) -> Option<TokenFuture<'_>> {
        (**self).token_for_claims(claims)
    }
}

impl<T: TokenProvider + ?Sized> TokenProvider for Box<T> {
    fn token(&self) -> TokenFuture<'_> {
        (**self).token()
    }

    fn token_for_claims(&self, claims: &str) -> Option<TokenFuture<'_>> {
        (**self).token_for_claims(claims)
    }
}

/// The claims of a claims challenge, from a `401` answer's `WWW-Authenticate` header: the
/// `claims` parameter of a `Bearer` challenge, decoded from base64 (padded or not; a value
/// that is not base64 is taken as it stands). `None` when the header has no claims.
pub(crate) fn claims_challenge(www_authenticate: &str) -> Option<String> {
    use base64::Engine as _;
    let value = auth_parameter(www_authenticate, "claims")?;
    if value.is_empty() {
        return None;
    }
    let trimmed = value.trim_end_matches('=');
    let decoded = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(trimmed)
        .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(trimmed))
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok());
    Some(decoded.unwrap_or(value))
}

/// The value of one `name=value` or `name="value"` parameter of a `WWW-Authenticate`
/// header (names compare case-insensitively; a quoted value may hold commas).
fn auth_parameter(header: &str, name: &str) -> Option<String> {
    let mut rest = header;
    while !rest.is_empty() {
        // Skip to the start of the next parameter name.
        let start = rest.find(|c: char| c.is_ascii_alphanumeric() || c == '_')?;
        rest = &rest[start..];
        let name_end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        let found = &rest[..name_end];
        rest = rest[name_end..].trim_start();
        let Some(after_equals) = rest.strip_prefix('=') else {
            // A scheme name such as `Bearer`, not a parameter.
            continue;
        };
        let after_equals = after_equals.trim_start();
        let (value, remainder) = if let Some(quoted) = after_equals.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = quoted.char_indices();
            let mut end = quoted.len();
            while let Some((at, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, escaped)) = chars.next() {
                            value.push(escaped);
                        }
                    }
                    '"' => {
                        end = at + 1;
                        break;
                    }
                    other => value.push(other),
                }
            }
            (value, &quoted[end.min(quoted.len())..])
        } else {
            let end = after_equals.find([',', ' ']).unwrap_or(after_equals.len());
            (after_equals[..end].to_owned(), &after_equals[end..])
        };
        if found.eq_ignore_ascii_case(name) {
            return Some(value);
        }
        rest = remainder;
    }
    None
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

    #[test]
    fn a_claims_challenge_is_found_and_decoded() {
        // {"access_token":{"nbf":{"essential":true,"value":"1"}}} in base64, padded.
        let encoded =
            "eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwidmFsdWUiOiIxIn19fQ==";
        let header = format!(
            r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="{encoded}""#
        );
        assert_eq!(
            claims_challenge(&header).as_deref(),
            Some(r#"{"access_token":{"nbf":{"essential":true,"value":"1"}}}"#)
        );
        assert_eq!(
            claims_challenge(r#"Bearer claims="not base64!", error=x"#).as_deref(),
            Some("not base64!")
        );
        for none in [
            r#"Bearer realm="a, claims=b""#,
            "Bearer error=invalid_token",
            r#"Bearer claims="""#,
            "",
        ] {
            assert_eq!(claims_challenge(none), None, "{none}");
        }
    }

    #[tokio::test]
    async fn a_static_token_gives_its_secret() {
        let provider: Arc<dyn TokenProvider> = Arc::new(StaticToken::new("abc"));
        let token = provider.token().await;
        assert_eq!(token.map(|t| t.secret().to_owned()), Ok("abc".to_owned()));
    }
}
