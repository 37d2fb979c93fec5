//! Azure Identity credentials as the client's token provider (feature `azure-identity`),
//! with a credential of the tests' own that counts its calls, against a server on
//! 127.0.0.1 (wiremock). No network, no Azure.
#![cfg(feature = "azure-identity")]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use graph_client::azure::{
    graph_scope, ClaimsChallenge, CredentialTokens, TokenCredential, DEFAULT_REFRESH_MARGIN,
};
use graph_client::azure_core::credentials::{AccessToken, TokenRequestOptions};
use graph_client::azure_core::time::OffsetDateTime;
use graph_client::{Client, RetryPolicy, TokenProvider};
use graph_runtime::http::{Method, Request, Transport};
use wiremock::matchers::{header, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Issues `token-1`, `token-2`, ... each valid for `lifetime`, after `delay` (so that
/// concurrent callers overlap), and keeps the scopes and claims of every call.
#[derive(Debug)]
struct CountingCredential {
    calls: AtomicUsize,
    lifetime: Duration,
    delay: Duration,
    scopes: Mutex<Vec<Vec<String>>>,
    claims: Mutex<Vec<Option<String>>>,
}

impl CountingCredential {
    fn new(lifetime: Duration) -> Arc<Self> {
        Arc::new(CountingCredential {
            calls: AtomicUsize::new(0),
            lifetime,
            delay: Duration::from_millis(50),
            scopes: Mutex::new(Vec::new()),
            claims: Mutex::new(Vec::new()),
        })
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

#[async_trait::async_trait]
impl TokenCredential for CountingCredential {
    async fn get_token(
        &self,
        scopes: &[&str],
        options: Option<TokenRequestOptions<'_>>,
    ) -> graph_client::azure_core::Result<AccessToken> {
        let number = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        self.scopes
            .lock()
            .unwrap()
            .push(scopes.iter().map(|s| s.to_string()).collect());
        let claims = options.as_ref().and_then(|options| {
            options
                .method_options
                .context
                .value::<ClaimsChallenge>()
                .map(|claims| claims.0.clone())
        });
        self.claims.lock().unwrap().push(claims);
        tokio::time::sleep(self.delay).await;
        let lifetime = graph_client::azure_core::time::Duration::try_from(self.lifetime).unwrap();
        Ok(AccessToken::new(
            format!("token-{number}"),
            OffsetDateTime::now_utc() + lifetime,
        ))
    }
}

async fn ok_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/x"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer, credential: Arc<CountingCredential>) -> Client {
    Client::builder()
        .base_url(format!("{}/v1.0", server.uri()))
        .token_credential(credential)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

fn get(client: &Client) -> Request {
    Request::new(Method::Get, format!("{}/x", client.base_url()))
}

/// The bearer tokens of every request the server saw.
async fn tokens_sent(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter_map(|r| r.headers.get("authorization"))
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect()
}

#[tokio::test]
async fn concurrent_requests_share_one_token_from_the_credential() {
    let server = ok_server().await;
    let credential = CountingCredential::new(Duration::from_secs(3600));
    let client = client(&server, credential.clone());
    let requests = (0..10).map(|_| client.send(get(&client)));
    for response in futures::future::join_all(requests).await {
        assert_eq!(response.unwrap().status, 200);
    }
    for _ in 0..5 {
        client.send(get(&client)).await.unwrap();
    }
    assert_eq!(credential.calls(), 1);
    assert_eq!(tokens_sent(&server).await, vec!["Bearer token-1"; 15]);
    // The scope came from the base URL's host.
    assert_eq!(
        *credential.scopes.lock().unwrap(),
        [["https://127.0.0.1/.default"]]
    );
}

#[tokio::test]
async fn a_token_within_the_refresh_margin_is_replaced() {
    let server = ok_server().await;
    // Valid for 4 minutes: already inside the default 5-minute margin, so never reused.
    let short = CountingCredential::new(DEFAULT_REFRESH_MARGIN - Duration::from_secs(60));
    let client = client(&server, short.clone());
    for _ in 0..3 {
        client.send(get(&client)).await.unwrap();
    }
    assert_eq!(short.calls(), 3);

    // Valid for 2 s with a 1 s margin: reused at first, replaced once the margin is reached.
    let credential = CountingCredential::new(Duration::from_secs(2));
    let tokens = CredentialTokens::new(credential.clone(), "https://graph.microsoft.com/.default")
        .with_refresh_margin(Duration::from_secs(1));
    let first = tokens.token().await.unwrap();
    let again = tokens.token().await.unwrap();
    assert_eq!((first.secret(), again.secret()), ("token-1", "token-1"));
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(tokens.token().await.unwrap().secret(), "token-2");
    assert_eq!(credential.calls(), 2);
}

#[tokio::test]
async fn each_cloud_gets_its_scope_and_an_explicit_scope_wins() {
    for (base_url, scope) in [
        (
            "https://graph.microsoft.com/v1.0",
            "https://graph.microsoft.com/.default",
        ),
        (
            "https://graph.microsoft.us/v1.0",
            "https://graph.microsoft.us/.default",
        ),
        (
            "https://dod-graph.microsoft.us/beta",
            "https://dod-graph.microsoft.us/.default",
        ),
        (
            "https://microsoftgraph.chinacloudapi.cn/v1.0",
            "https://microsoftgraph.chinacloudapi.cn/.default",
        ),
    ] {
        assert_eq!(graph_scope(base_url).unwrap(), scope);
        let credential = CountingCredential::new(Duration::from_secs(3600));
        let tokens = CredentialTokens::for_base_url(credential.clone(), base_url).unwrap();
        tokens.token().await.unwrap();
        assert_eq!(*credential.scopes.lock().unwrap(), [[scope]], "{base_url}");
    }

    let server = ok_server().await;
    let credential = CountingCredential::new(Duration::from_secs(3600));
    let client = Client::builder()
        .base_url(format!("{}/v1.0", server.uri()))
        .token_credential_with_scope(credential.clone(), "api://my-proxy/.default")
        .build()
        .unwrap();
    client.send(get(&client)).await.unwrap();
    assert_eq!(
        *credential.scopes.lock().unwrap(),
        [["api://my-proxy/.default"]]
    );
}

#[tokio::test]
async fn a_claims_challenge_gets_one_fresh_token_with_the_claims() {
    // {"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}
    let claims_json = r#"{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}"#;
    let claims_b64 =
        "eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwidmFsdWUiOiIxNzAwMDAwMDAwIn19fQ";
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/x"))
        .and(header("authorization", "Bearer token-1"))
        .respond_with(
            ResponseTemplate::new(401).insert_header(
                "WWW-Authenticate",
                format!(r#"Bearer realm="", error="insufficient_claims", claims="{claims_b64}""#)
                    .as_str(),
            ),
        )
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/x"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    let credential = CountingCredential::new(Duration::from_secs(3600));
    let client = client(&server, credential.clone());
    let response = client.send(get(&client)).await.unwrap();
    assert_eq!((response.status, response.attempts), (200, 2));
    // The token got for the claims replaced the cached one.
    client.send(get(&client)).await.unwrap();
    assert_eq!(credential.calls(), 2);
    assert_eq!(
        *credential.claims.lock().unwrap(),
        [None, Some(claims_json.to_owned())]
    );
    assert_eq!(
        tokens_sent(&server).await,
        ["Bearer token-1", "Bearer token-2", "Bearer token-2"]
    );
}

#[tokio::test]
async fn a_second_401_after_the_fresh_token_is_returned() {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/x"))
        .respond_with(ResponseTemplate::new(401).insert_header(
            "WWW-Authenticate",
            r#"Bearer error="insufficient_claims", claims="e30=""#,
        ))
        .mount(&server)
        .await;
    let credential = CountingCredential::new(Duration::from_secs(3600));
    let client = client(&server, credential.clone());
    let response = client.send(get(&client)).await.unwrap();
    assert_eq!((response.status, response.attempts), (401, 2));
    assert_eq!(credential.calls(), 2);
    assert_eq!(
        *credential.claims.lock().unwrap(),
        [None, Some("{}".to_owned())]
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[test]
fn the_provider_shows_no_token() {
    let credential = CountingCredential::new(Duration::from_secs(3600));
    let tokens = CredentialTokens::new(credential, "https://graph.microsoft.com/.default");
    let shown = format!("{tokens:?}");
    assert!(shown.contains("graph.microsoft.com/.default"), "{shown}");
    assert!(!shown.contains("token-"), "{shown}");
}
