//! gzip, against a server on 127.0.0.1 (wiremock) that answers with bodies compressed
//! before the test starts and `Content-Encoding: gzip`.

use std::io::Write;

use access_reviews_models::AccessReviewInstanceDecisionItem;
use access_reviews_requests::Api as _;
use flate2::write::GzEncoder;
use flate2::Compression;
use futures::TryStreamExt;
use graph_client::{Client, RetryPolicy};
use graph_runtime::http::{Error, Method, Request, Transport};
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const DECISIONS: &str = "/identityGovernance/accessReviews/definitions/d1/instances/i1/decisions";

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// A 200 whose body is `body` gzipped, labelled as such.
fn gzipped(body: &[u8]) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("Content-Encoding", "gzip")
        .set_body_raw(gzip(body), "application/json")
}

fn client(server: &MockServer, max_body_size: u64) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("t0ken")
        .retry_policy(RetryPolicy::none())
        .max_body_size(max_body_size)
        .build()
        .unwrap()
}

#[tokio::test]
async fn requests_ask_for_gzip() {
    let server = MockServer::start().await;
    Mock::given(path("/x"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    let client = client(&server, 1 << 20);
    let request = Request::new(Method::Get, format!("{}/x", client.base_url()));
    assert_eq!(client.send(request).await.unwrap().status, 200);
    let requests = server.received_requests().await.unwrap();
    let asked = requests[0]
        .headers
        .get("accept-encoding")
        .and_then(|value| value.to_str().ok());
    assert!(
        asked.is_some_and(|asked| asked.split(',').any(|coding| coding.trim() == "gzip")),
        "Accept-Encoding: {asked:?}"
    );
}

#[tokio::test]
async fn compressed_pages_decode_and_the_next_link_is_followed() {
    let server = MockServer::start().await;
    let page = |ids: &[&str], next: Option<String>| {
        let mut body = json!({
            "value": ids.iter().map(|id| json!({"id": id, "decision": "NotReviewed"})).collect::<Vec<_>>(),
        });
        if let Some(next) = next {
            body["@odata.nextLink"] = json!(next);
        }
        gzipped(body.to_string().as_bytes())
    };
    let next = format!("{}{DECISIONS}?$skiptoken=2", server.uri());
    Mock::given(method("GET"))
        .and(path(DECISIONS))
        .and(query_param("$skiptoken", "2"))
        .respond_with(page(&["c"], None))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(DECISIONS))
        .respond_with(page(&["a", "b"], Some(next)))
        .mount(&server)
        .await;
    let client = client(&server, 1 << 20);
    let items: Vec<AccessReviewInstanceDecisionItem> = client
        .definitions()
        .by_id("d1")
        .instances()
        .by_id("i1")
        .decisions()
        .list()
        .stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = items.iter().map(|item| item.id.as_deref()).collect();
    assert_eq!(ids, [Some("a"), Some("b"), Some("c")]);
}

#[tokio::test]
async fn a_response_keeps_the_inflated_body_without_the_encoding_headers() {
    let server = MockServer::start().await;
    let body = br#"{"id":"d1","displayName":"Quarterly review"}"#;
    Mock::given(path("/x"))
        .respond_with(gzipped(body))
        .mount(&server)
        .await;
    let client = client(&server, 1 << 20);
    let request = Request::new(Method::Get, format!("{}/x", client.base_url()));
    let response = client.send(request).await.unwrap();
    assert_eq!(response.body, body);
    // The headers describe the body as held: not gzip, and not the wire's length.
    assert_eq!(response.header("content-encoding"), None);
    assert_eq!(response.header("content-length"), None);
}

/// A body of `size` bytes of JSON that gzip shrinks to a small fraction of it.
fn compressible(size: usize) -> Vec<u8> {
    let mut body = b"{\"value\":\"".to_vec();
    body.resize(size - 2, b'a');
    body.extend_from_slice(b"\"}");
    body
}

#[tokio::test]
async fn the_limit_counts_inflated_bytes_so_a_small_gzip_body_cannot_inflate_past_it() {
    const LIMIT: u64 = 64 * 1024;
    let server = MockServer::start().await;
    // 16 MiB inflated, some 16 KiB on the wire: under the limit as sent, 256 times over
    // it as read.
    let bomb = compressible(16 << 20);
    let on_the_wire = gzip(&bomb).len() as u64;
    assert!(on_the_wire < LIMIT, "{on_the_wire} bytes compressed");
    Mock::given(path("/bomb"))
        .respond_with(gzipped(&bomb))
        .mount(&server)
        .await;
    // Just within the limit once inflated: read in full.
    let fits = compressible(LIMIT as usize);
    Mock::given(path("/fits"))
        .respond_with(gzipped(&fits))
        .mount(&server)
        .await;
    let client = client(&server, LIMIT);
    let get = |at: &str| Request::new(Method::Get, format!("{}{at}", client.base_url()));

    let result = client.send(get("/bomb")).await;
    assert!(
        matches!(result, Err(Error::BodyTooLarge { limit: LIMIT })),
        "{:?}",
        result.map(|response| response.body.len())
    );
    let response = client.send(get("/fits")).await.unwrap();
    assert_eq!(response.body, fits);
}

#[tokio::test]
async fn a_corrupt_gzip_body_is_a_transport_error() {
    let server = MockServer::start().await;
    let mut body = gzip(&compressible(4096));
    let middle = body.len() / 2;
    body[middle..].iter_mut().for_each(|byte| *byte ^= 0x5a);
    Mock::given(path("/x"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Content-Encoding", "gzip")
                .set_body_raw(body, "application/json"),
        )
        .mount(&server)
        .await;
    let client = client(&server, 1 << 20);
    let request = Request::new(Method::Get, format!("{}/x", client.base_url()));
    let result = client.send(request).await;
    assert!(matches!(result, Err(Error::Transport(_))), "{result:?}");
}
