//! Claims challenges (`401` with `WWW-Authenticate: Bearer ... claims="..."`), against a
//! server on 127.0.0.1 (wiremock): answered once with the token the provider gives for the
//! claims, whatever the retry policy; a second `401` is returned; a provider that can't
//! answer one (the default) gets the `401` at once.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use graph_client::{Client, RetryPolicy, Token, TokenFuture, TokenProvider};
use graph_runtime::http::{Method, Request, Transport};
use wiremock::matchers::{header, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// `{"access_token":{"acrs":{"essential":true,"value":"c1"}}}`, base64 as Graph sends it.
const CLAIMS_B64: &str =
    "eyJhY2Nlc3NfdG9rZW4iOnsiYWNycyI6eyJlc3NlbnRpYWwiOnRydWUsInZhbHVlIjoiYzEifX19";
const CLAIMS_JSON: &str = r#"{"access_token":{"acrs":{"essential":true,"value":"c1"}}}"#;

fn challenge() -> ResponseTemplate {
    ResponseTemplate::new(401).insert_header(
        "WWW-Authenticate",
        format!(
            r#"Bearer authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="{CLAIMS_B64}""#
        )
        .as_str(),
    )
}

/// Gives `plain` normally and `stepped-up` for a claims challenge, counting both and
/// keeping the claims it was given.
#[derive(Default)]
struct SteppingUp {
    plain: AtomicUsize,
    claims: Mutex<Vec<String>>,
}

impl TokenProvider for SteppingUp {
    fn token(&self) -> TokenFuture<'_> {
        self.plain.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok(Token::new("plain")) })
    }

    fn token_for_claims(&self, claims: &str) -> Option<TokenFuture<'_>> {
        self.claims.lock().unwrap().push(claims.to_owned());
        Some(Box::pin(async { Ok(Token::new("stepped-up")) }))
    }
}

fn client(server: &MockServer, provider: impl TokenProvider + 'static) -> Client {
    Client::builder()
        .base_url(server.uri())
        .token_provider(provider)
        // Retries off: a claims challenge is answered all the same.
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

fn get(client: &Client) -> Request {
    Request::new(Method::Get, format!("{}/x", client.base_url()))
}

#[tokio::test]
async fn a_claims_challenge_is_answered_once_with_a_token_for_those_claims() {
    let server = MockServer::start().await;
    Mock::given(path("/x"))
        .and(header("authorization", "Bearer stepped-up"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    Mock::given(path("/x"))
        .and(header("authorization", "Bearer plain"))
        .respond_with(challenge())
        .mount(&server)
        .await;
    let provider = Arc::new(SteppingUp::default());
    let client = client(&server, provider.clone());
    let response = client.send(get(&client)).await.unwrap();
    assert_eq!((response.status, response.attempts), (200, 2));
    assert_eq!(provider.plain.load(Ordering::SeqCst), 1);
    assert_eq!(*provider.claims.lock().unwrap(), [CLAIMS_JSON]);
}

#[tokio::test]
async fn a_second_challenge_is_returned_as_it_is() {
    let server = MockServer::start().await;
    Mock::given(path("/x"))
        .respond_with(challenge())
        .mount(&server)
        .await;
    let provider = Arc::new(SteppingUp::default());
    let client = client(&server, provider.clone());
    let response = client.send(get(&client)).await.unwrap();
    assert_eq!((response.status, response.attempts), (401, 2));
    assert_eq!(provider.claims.lock().unwrap().len(), 1);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn without_claims_support_or_without_claims_a_401_comes_back_at_once() {
    let server = MockServer::start().await;
    Mock::given(path("/x"))
        .respond_with(challenge())
        .mount(&server)
        .await;
    Mock::given(path("/plain-401"))
        .respond_with(
            ResponseTemplate::new(401)
                .insert_header("WWW-Authenticate", "Bearer error=\"invalid_token\""),
        )
        .mount(&server)
        .await;
    let fixed = Client::builder()
        .base_url(server.uri())
        .bearer_token("fixed")
        .build()
        .unwrap();
    assert_eq!(fixed.send(get(&fixed)).await.unwrap().status, 401);

    let provider = Arc::new(SteppingUp::default());
    let stepping = client(&server, provider.clone());
    let request = Request::new(Method::Get, format!("{}/plain-401", stepping.base_url()));
    assert_eq!(stepping.send(request).await.unwrap().attempts, 1);
    assert!(provider.claims.lock().unwrap().is_empty());
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}
