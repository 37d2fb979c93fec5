//! Where requests go, checked on the server's side: a key can't move a request to another
//! resource, and a collection whose `@odata.nextLink` loops can't keep the client busy
//! forever. Each test runs the generated builders through the real client against a
//! server on 127.0.0.1.

use std::time::Duration;

use access_reviews_models::AccessReviewInstanceDecisionItem;
use access_reviews_requests::Api as _;
use futures::StreamExt;
use graph_client::{Client, RetryPolicy};
use graph_runtime::http::Error;
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const DEFINITION: &str = "/identityGovernance/accessReviews/definitions/d1";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("t0ken")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

/// The paths the server received, as it received them.
async fn received_paths(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|request| request.url.path().to_owned())
        .collect()
}

#[tokio::test]
async fn a_key_that_would_be_a_dot_segment_or_nothing_is_never_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server);
    for id in ["..", ".", ""] {
        let reset = client
            .definitions()
            .by_id("d1")
            .instances()
            .by_id(id)
            .reset_decisions();
        // Offline and online agree: neither builds a URL for this key.
        match reset.to_request() {
            Err(Error::InvalidKey { value }) => assert_eq!(value, id),
            other => panic!("to_request() with id {id:?} gave {other:?}"),
        }
        match reset.send().await {
            Err(Error::InvalidKey { value }) => assert_eq!(value, id),
            other => panic!("send() with id {id:?} gave {other:?}"),
        }
    }
    assert_eq!(received_paths(&server).await, Vec::<String>::new());
}

#[tokio::test]
async fn keys_that_look_like_escapes_or_paths_stay_one_segment() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server);
    for id in ["%2e%2e", "%2E", "../d2", "a?b#c"] {
        let reset = client
            .definitions()
            .by_id("d1")
            .instances()
            .by_id(id)
            .reset_decisions();
        let shown = reset.to_request().unwrap().url;
        reset.send().await.unwrap();
        let received = received_paths(&server).await.pop().unwrap_or_default();
        // What to_request() shows is what the server gets.
        assert!(shown.ends_with(&received), "{shown} vs {received}");
        let segments: Vec<&str> = received.split('/').collect();
        assert_eq!(
            segments[1..],
            [
                "identityGovernance",
                "accessReviews",
                "definitions",
                "d1",
                "instances",
                segments[6],
                "resetDecisions"
            ],
            "id {id:?} reached {received}"
        );
        assert_ne!(segments[6].to_ascii_lowercase().replace("%2e", "."), "..");
    }
}

fn decision(id: &str) -> serde_json::Value {
    json!({"id": id, "decision": "NotReviewed"})
}

#[tokio::test]
async fn a_next_link_back_to_a_fetched_page_ends_the_stream_with_an_error() {
    let server = MockServer::start().await;
    let decisions = format!("{DEFINITION}/instances/i1/decisions");
    let page2 = format!("{}{decisions}?$skiptoken=2", server.uri());
    Mock::given(method("GET"))
        .and(path(decisions.clone()))
        .and(query_param("$skiptoken", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [decision("b")],
            "@odata.nextLink": page2,
        })))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(decisions))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [decision("a")],
            "@odata.nextLink": page2,
        })))
        .mount(&server)
        .await;
    let client = client(&server);
    let stream = client
        .definitions()
        .by_id("d1")
        .instances()
        .by_id("i1")
        .decisions()
        .list()
        .stream();
    // Before the fix this never ended; the timeout turns a hang into a failure.
    let items: Vec<Result<AccessReviewInstanceDecisionItem, Error>> =
        tokio::time::timeout(Duration::from_secs(10), stream.take(100).collect())
            .await
            .expect("the stream must end");
    assert_eq!(items.len(), 3, "{items:?}");
    let ids: Vec<_> = items[..2]
        .iter()
        .map(|item| item.as_ref().ok().and_then(|d| d.id.as_deref()))
        .collect();
    assert_eq!(ids, [Some("a"), Some("b")]);
    match &items[2] {
        Err(Error::NextLinkLoop { url }) => assert_eq!(url, &page2),
        other => panic!("expected a loop error, got {other:?}"),
    }
    assert_eq!(received_paths(&server).await.len(), 2);
}

#[tokio::test]
async fn max_pages_cuts_a_long_collection_with_an_error_not_silently() {
    let server = MockServer::start().await;
    let decisions = format!("{DEFINITION}/instances/i1/decisions");
    // Every page links to a next one, a new one each time: only the cap ends it.
    for page in 1..=5 {
        let next = format!("{}{decisions}?$skiptoken={}", server.uri(), page + 1);
        let mock = Mock::given(method("GET")).and(path(decisions.clone()));
        let mock = if page == 1 {
            mock
        } else {
            mock.and(query_param("$skiptoken", page.to_string()))
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [decision(&format!("d{page}"))],
            "@odata.nextLink": next,
        })))
        .with_priority(if page == 1 { 5 } else { 1 })
        .mount(&server)
        .await;
    }
    let client = client(&server);
    let items: Vec<Result<AccessReviewInstanceDecisionItem, Error>> = client
        .definitions()
        .by_id("d1")
        .instances()
        .by_id("i1")
        .decisions()
        .list()
        .max_pages(2)
        .stream()
        .collect()
        .await;
    let ids: Vec<_> = items
        .iter()
        .filter_map(|item| item.as_ref().ok().and_then(|d| d.id.as_deref()))
        .collect();
    assert_eq!(ids, ["d1", "d2"]);
    assert!(
        matches!(items.last(), Some(Err(Error::TooManyPages { limit: 2 }))),
        "{items:?}"
    );
    assert_eq!(received_paths(&server).await.len(), 2);
}
