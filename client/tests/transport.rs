//! The client against a real HTTP server on 127.0.0.1 (wiremock).

use std::time::{Duration, Instant, SystemTime};

use futures::StreamExt;
use graph_client::{Client, RetryPolicy, TokenError, TokenFuture, TokenProvider};
use graph_runtime::http::{decode_json, pages, Error, Method, Request, Response, Transport};
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

const SECRET: &str = "eyJ0eXAiOiJKV1Qi.s3cr3t-t0ken.sig";

/// Retries after a millisecond or so, so the tests stay fast.
fn fast() -> RetryPolicy {
    RetryPolicy::default()
        .with_base_delay(Duration::from_millis(2))
        .with_max_delay(Duration::from_millis(20))
}

fn client(server: &MockServer, policy: RetryPolicy) -> Client {
    Client::builder()
        .base_url(format!("{}/", server.uri()))
        .bearer_token(SECRET)
        .retry_policy(policy)
        .build()
        .unwrap()
}

fn get(client: &Client, path: &str) -> Request {
    Request::new(Method::Get, format!("{}{path}", client.base_url()))
}

/// Answers the first `times` requests to `at` (later ones fall through to other mocks).
async fn answer_first(server: &MockServer, at: &str, times: u64, response: impl Respond + 'static) {
    Mock::given(path(at))
        .respond_with(response)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
}

async fn answer(server: &MockServer, at: &str, response: impl Respond + 'static) {
    Mock::given(path(at))
        .respond_with(response)
        .mount(server)
        .await;
}

async fn received(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap()
}

fn header_of<'r>(request: &'r wiremock::Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// Echoes the request's `client-request-id`, as Graph does.
struct Echo(ResponseTemplate);

impl Respond for Echo {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        match header_of(request, "client-request-id") {
            Some(id) => self.0.clone().insert_header("client-request-id", id),
            None => self.0.clone(),
        }
    }
}

#[tokio::test]
async fn throttling_with_retry_after_seconds_is_waited_out() {
    let server = MockServer::start().await;
    answer_first(
        &server,
        "/x",
        1,
        ResponseTemplate::new(429).insert_header("Retry-After", "1"),
    )
    .await;
    answer(
        &server,
        "/x",
        ResponseTemplate::new(200).set_body_json(json!({"id": "a"})),
    )
    .await;
    let client = client(&server, fast());

    let started = Instant::now();
    let response = client.send(get(&client, "/x")).await.unwrap();
    let waited = started.elapsed();

    assert_eq!(response.status, 200);
    assert_eq!(response.attempts, 2);
    assert!(waited >= Duration::from_secs(1), "waited only {waited:?}");
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let server = MockServer::start().await;
    let in_an_hour = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
    answer_first(
        &server,
        "/x",
        1,
        ResponseTemplate::new(429).insert_header("Retry-After", in_an_hour.as_str()),
    )
    .await;
    answer(&server, "/x", ResponseTemplate::new(200)).await;
    // The hour is shortened to 150 ms; a backoff (2 ms) would be much shorter, so a wait of
    // at least 150 ms shows the date was read.
    let policy = fast().with_max_retry_after(Some(Duration::from_millis(150)));
    let client = client(&server, policy);

    let started = Instant::now();
    let response = client.send(get(&client, "/x")).await.unwrap();
    let waited = started.elapsed();

    assert_eq!((response.status, response.attempts), (200, 2));
    assert!(
        waited >= Duration::from_millis(150),
        "waited only {waited:?}"
    );
    assert!(waited < Duration::from_secs(5), "waited {waited:?}");
}

#[tokio::test]
async fn a_retry_after_beyond_the_budget_gives_up_at_once() {
    let server = MockServer::start().await;
    let in_an_hour = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
    answer(
        &server,
        "/x",
        ResponseTemplate::new(429).insert_header("Retry-After", in_an_hour.as_str()),
    )
    .await;
    let client = client(&server, fast());

    let started = Instant::now();
    let response = client.send(get(&client, "/x")).await.unwrap();

    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!((response.status, response.attempts), (429, 1));
    let Err(Error::Status(error)) = decode_json::<serde_json::Value>(&response) else {
        panic!("expected a status error");
    };
    let asked = error.retry_after.unwrap();
    assert!(asked > Duration::from_secs(3500) && asked <= Duration::from_secs(3600));
}

#[tokio::test]
async fn unavailability_is_retried_until_attempts_run_out() {
    let server = MockServer::start().await;
    answer(
        &server,
        "/x",
        ResponseTemplate::new(503).set_body_string("busy"),
    )
    .await;
    let client = client(&server, fast().with_max_attempts(3));

    let response = client.send(get(&client, "/x")).await.unwrap();

    assert_eq!((response.status, response.attempts), (503, 3));
    assert_eq!(received(&server).await.len(), 3);
    let error = decode_json::<serde_json::Value>(&response).unwrap_err();
    assert_eq!(error.to_string(), "HTTP 503 after 3 attempts");
    let Error::Status(status) = error else {
        panic!("expected a status error")
    };
    assert_eq!((status.status, status.attempts), (503, 3));
    assert_eq!(status.body.as_deref(), Some("busy"));
}

#[tokio::test]
async fn the_time_budget_bounds_the_retries() {
    let server = MockServer::start().await;
    answer(&server, "/x", ResponseTemplate::new(503)).await;
    // Backoffs of at least 100 ms, in a budget of 50 ms: no retry fits.
    let policy = RetryPolicy::default()
        .with_base_delay(Duration::from_millis(200))
        .with_max_elapsed(Duration::from_millis(50));
    let client = client(&server, policy);

    let response = client.send(get(&client, "/x")).await.unwrap();

    assert_eq!((response.status, response.attempts), (503, 1));
}

#[tokio::test]
async fn a_gateway_timeout_is_retried() {
    let server = MockServer::start().await;
    answer_first(&server, "/x", 1, ResponseTemplate::new(504)).await;
    answer(
        &server,
        "/x",
        ResponseTemplate::new(200).set_body_json(json!({"ok": true})),
    )
    .await;
    let client = client(&server, fast());

    let response = client.send(get(&client, "/x")).await.unwrap();

    assert_eq!((response.status, response.attempts), (200, 2));
    let body: serde_json::Value = decode_json(&response).unwrap();
    assert_eq!(body, json!({"ok": true}));
}

#[tokio::test]
async fn not_found_is_not_retried() {
    let server = MockServer::start().await;
    answer(&server, "/x", ResponseTemplate::new(404)).await;
    let client = client(&server, fast());

    let response = client.send(get(&client, "/x")).await.unwrap();

    assert_eq!((response.status, response.attempts), (404, 1));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn the_token_and_one_client_request_id_are_sent_on_every_attempt() {
    let server = MockServer::start().await;
    answer_first(&server, "/x", 2, ResponseTemplate::new(429)).await;
    Mock::given(path("/x"))
        .and(header("authorization", format!("Bearer {SECRET}").as_str()))
        .respond_with(Echo(ResponseTemplate::new(204)))
        .mount(&server)
        .await;
    let client = client(&server, fast());

    let response = client.send(get(&client, "/x")).await.unwrap();
    assert_eq!((response.status, response.attempts), (204, 3));

    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    let id = header_of(&requests[0], "client-request-id")
        .unwrap()
        .to_owned();
    let parsed = uuid_version(&id);
    assert_eq!(parsed, Some(4), "{id} is not a UUID v4");
    for request in &requests {
        assert_eq!(
            header_of(request, "authorization"),
            Some(format!("Bearer {SECRET}").as_str())
        );
        assert_eq!(header_of(request, "client-request-id"), Some(id.as_str()));
        assert!(header_of(request, "user-agent").is_some());
    }
    assert_eq!(response.header("client-request-id"), Some(id.as_str()));

    // Another request gets another id; a request's own id is kept.
    client.send(get(&client, "/x")).await.unwrap();
    let mine = get(&client, "/x").with_header("client-request-id", "my-own-id".to_owned());
    client.send(mine).await.unwrap();
    let requests = received(&server).await;
    let second = header_of(&requests[3], "client-request-id").unwrap();
    assert_ne!(second, id);
    assert_eq!(
        header_of(&requests[4], "client-request-id"),
        Some("my-own-id")
    );
}

/// The version digit of a UUID in its hyphenated form, if it is one.
fn uuid_version(text: &str) -> Option<u32> {
    let groups: Vec<&str> = text.split('-').collect();
    let lengths: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    let hex = groups
        .iter()
        .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()));
    if lengths != [8, 4, 4, 4, 12] || !hex {
        return None;
    }
    groups[2].chars().next()?.to_digit(16)
}

#[tokio::test]
async fn a_slow_answer_times_out_and_only_idempotent_requests_are_retried() {
    let server = MockServer::start().await;
    answer(
        &server,
        "/slow",
        ResponseTemplate::new(200).set_delay(Duration::from_secs(3)),
    )
    .await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token(SECRET)
        .timeout(Duration::from_millis(100))
        .retry_policy(fast().with_max_attempts(2))
        .build()
        .unwrap();

    let started = Instant::now();
    let Err(Error::Transport(message)) = client.send(get(&client, "/slow")).await else {
        panic!("expected a transport error");
    };
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(message.starts_with("timed out after 100ms"), "{message}");
    assert!(message.contains("GET http://127.0.0.1:"), "{message}");
    assert!(message.contains("2 attempts"), "{message}");
    assert_eq!(received(&server).await.len(), 2);

    let post = Request::new(Method::Post, format!("{}/slow", client.base_url()));
    let Err(Error::Transport(message)) = client.send(post).await else {
        panic!("expected a transport error");
    };
    assert!(message.starts_with("timed out after 100ms"), "{message}");
    assert!(!message.contains("attempts"), "{message}");
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn pages_follow_the_next_link() {
    let server = MockServer::start().await;
    let next = format!("{}/items/page2?$skiptoken=abc", server.uri());
    Mock::given(method("GET"))
        .and(path("/items"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"value": [1, 2], "@odata.nextLink": next})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/items/page2"))
        .and(query_param("$skiptoken", "abc"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [3]})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server, fast());

    let items: Vec<Result<i64, Error>> = pages(&client, get(&client, "/items")).collect().await;

    let items: Vec<i64> = items.into_iter().map(Result::unwrap).collect();
    assert_eq!(items, [1, 2, 3]);
    for request in received(&server).await {
        assert_eq!(
            header_of(&request, "authorization"),
            Some(format!("Bearer {SECRET}").as_str())
        );
    }
}

#[tokio::test]
async fn a_malformed_body_is_a_decode_error() {
    let server = MockServer::start().await;
    answer(
        &server,
        "/x",
        ResponseTemplate::new(200).set_body_raw(&b"{\"id\": "[..], "application/json"),
    )
    .await;
    let client = client(&server, fast());

    let response = client.send(get(&client, "/x")).await.unwrap();

    match decode_json::<serde_json::Value>(&response) {
        Err(Error::Decode { status, body, .. }) => {
            assert_eq!(status, 200);
            assert_eq!(body, "{\"id\": ");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_graph_error_is_a_status_error_with_its_code_and_request_id() {
    let server = MockServer::start().await;
    let body = json!({"error": {
        "code": "Request_ResourceNotFound",
        "message": "Resource 'x' does not exist.",
        "innerError": {"date": "2024-05-01T10:00:00", "request-id": "r-42", "client-request-id": "c-1"}
    }});
    answer(
        &server,
        "/x",
        Echo(
            ResponseTemplate::new(404)
                .insert_header("request-id", "r-42")
                .set_body_json(body),
        ),
    )
    .await;
    let client = client(&server, fast());
    let request = get(&client, "/x").with_header("client-request-id", "c-1".to_owned());

    let response = client.send(request).await.unwrap();
    let error = decode_json::<serde_json::Value>(&response).unwrap_err();

    assert_eq!(
        error.to_string(),
        "HTTP 404 Request_ResourceNotFound: Resource 'x' does not exist. (request-id r-42)"
    );
    let Error::Status(status) = error else {
        panic!("expected a status error")
    };
    let graph = status.error.as_ref().unwrap();
    assert_eq!(graph.code, "Request_ResourceNotFound");
    assert_eq!(status.request_id.as_deref(), Some("r-42"));
    assert_eq!(status.client_request_id.as_deref(), Some("c-1"));
    assert_eq!(status.attempts, 1);
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let client = Client::builder()
        .base_url(format!("http://{address}"))
        .bearer_token(SECRET)
        .retry_policy(fast().with_max_attempts(2))
        .build()
        .unwrap();

    let request = Request::new(Method::Post, format!("http://{address}/x"));
    let Err(Error::Transport(message)) = client.send(request).await else {
        panic!("expected a transport error");
    };
    // Nothing was sent, so even a POST is retried.
    assert!(message.contains("2 attempts"), "{message}");
    assert!(
        message.contains(&format!("POST http://{address}/x")),
        "{message}"
    );
    assert!(!message.contains(SECRET));
}

#[tokio::test]
async fn the_token_is_not_sent_to_another_host() {
    let server = MockServer::start().await;
    let client = client(&server, fast());

    let elsewhere = Request::new(Method::Get, "https://example.com/v1.0/x".to_owned());
    let Err(Error::Build(message)) = client.send(elsewhere).await else {
        panic!("expected a build error");
    };
    assert!(message.contains("example.com"), "{message}");
    assert!(received(&server).await.is_empty());
}

struct FailingProvider;

impl TokenProvider for FailingProvider {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async { Err(TokenError::new("the refresh token has expired")) })
    }
}

#[tokio::test]
async fn a_token_failure_is_a_transport_error_and_nothing_is_sent() {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .token_provider(FailingProvider)
        .build()
        .unwrap();

    let result = client.send(get(&client, "/x")).await;

    let Err(Error::Transport(message)) = result else {
        panic!("expected a transport error");
    };
    assert_eq!(
        message,
        "cannot get an access token: the refresh token has expired"
    );
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn the_secret_appears_in_no_debug_output_or_error() {
    let server = MockServer::start().await;
    answer(&server, "/x", ResponseTemplate::new(401)).await;
    let client = client(&server, fast());
    let builder = Client::builder().bearer_token(SECRET);
    let response: Response = client.send(get(&client, "/x")).await.unwrap();
    let status_error = decode_json::<serde_json::Value>(&response).unwrap_err();
    let bad_token = Client::builder()
        .base_url(server.uri())
        .bearer_token(format!("{SECRET}\n"))
        .build()
        .unwrap();
    let header_error = bad_token.send(get(&client, "/x")).await.unwrap_err();

    let secret_part = "s3cr3t-t0ken";
    for text in [
        format!("{client:?}"),
        format!("{builder:?}"),
        format!("{status_error}"),
        format!("{status_error:?}"),
        format!("{header_error}"),
        format!("{header_error:?}"),
    ] {
        assert!(!text.contains(secret_part), "the secret is in {text}");
    }
    assert!(matches!(header_error, Error::Build(_)));
}
