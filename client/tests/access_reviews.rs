//! The generated v1.0 request builders sent through the client to a real HTTP server on
//! 127.0.0.1: the operations a reviewer's automation runs, and the failures it must survive.

use std::time::Duration;

use access_reviews_models::{
    AccessReviewInstanceDecisionItem,
    AccessReviewInstanceDecisionItemFilterByCurrentUserOptions as On, AnyIdentity,
};
use access_reviews_requests::Api as _;
use futures::TryStreamExt;
use graph_client::{Client, RetryPolicy};
use graph_runtime::http::Error;
use graph_runtime::Nullable;
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const INSTANCE: &str = "/identityGovernance/accessReviews/definitions/d1/instances/i1";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("t0ken")
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(3)
                .with_base_delay(Duration::from_millis(2))
                .with_max_delay(Duration::from_millis(10)),
        )
        .build()
        .unwrap()
}

fn decision(id: &str, decision: &str) -> serde_json::Value {
    json!({
        "id": id,
        "decision": decision,
        "principal": {"@odata.type": "#microsoft.graph.userIdentity", "id": format!("u-{id}"), "userPrincipalName": format!("{id}@contoso.com")}
    })
}

#[tokio::test]
async fn list_decisions_over_two_pages_through_the_stream() {
    let server = MockServer::start().await;
    let next = format!("{}{INSTANCE}/decisions?$skiptoken=page2", server.uri());
    Mock::given(method("GET"))
        .and(path(format!("{INSTANCE}/decisions")))
        .and(query_param("$skiptoken", "page2"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"value": [decision("3", "Deny")]})),
        )
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{INSTANCE}/decisions")))
        .and(query_param("$top", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.nextLink": next,
            "value": [decision("1", "NotReviewed"), decision("2", "Approve")]
        })))
        .mount(&server)
        .await;
    let client = client(&server);
    let items: Vec<AccessReviewInstanceDecisionItem> = client
        .definitions()
        .by_id("d1")
        .instances()
        .by_id("i1")
        .decisions()
        .list()
        .top(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = items
        .iter()
        .filter_map(|item| item.id.clone().into_value())
        .collect();
    assert_eq!(ids, ["1", "2", "3"]);
    assert!(matches!(
        items[0].principal.as_deref(),
        Some(AnyIdentity::UserIdentity(_))
    ));
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn patch_a_decision_answered_with_204() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(format!("{INSTANCE}/decisions/x1")))
        .and(header("content-type", "application/json"))
        .and(body_json(
            json!({"decision": "Approve", "justification": "still on the team"}),
        ))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let body = AccessReviewInstanceDecisionItem {
        decision: Nullable::Value("Approve".into()),
        justification: Nullable::Value("still on the team".into()),
        ..Default::default()
    };
    let client = client(&server);
    let updated = client
        .definitions()
        .by_id("d1")
        .instances()
        .by_id("i1")
        .decisions()
        .by_id("x1")
        .update(body)
        .send()
        .await
        .unwrap();
    assert_eq!(updated, None, "a 204 carries no object");
}

#[tokio::test]
async fn reset_decisions() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("{INSTANCE}/resetDecisions")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    client
        .definitions()
        .by_id("d1")
        .instances()
        .by_id("i1")
        .reset_decisions()
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn filter_by_current_user_as_reviewer() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!(
            "{INSTANCE}/decisions/filterByCurrentUser(on='reviewer')"
        )))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"value": [decision("7", "NotReviewed")]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let page = client
        .definitions()
        .by_id("d1")
        .instances()
        .by_id("i1")
        .decisions()
        .filter_by_current_user(On::Reviewer)
        .send()
        .await
        .unwrap();
    assert_eq!(page.value.len(), 1);
    assert_eq!(
        page.value[0].decision,
        Nullable::Value("NotReviewed".into())
    );
}

#[tokio::test]
async fn throttled_with_retry_after_then_success() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("{INSTANCE}/stop")))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{INSTANCE}/stop")))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server);
    let started = std::time::Instant::now();
    client
        .definitions()
        .by_id("d1")
        .instances()
        .by_id("i1")
        .stop()
        .send()
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was not honoured"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn unavailable_until_retries_are_exhausted() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("{INSTANCE}/sendReminder")))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = client(&server);
    let error = client
        .definitions()
        .by_id("d1")
        .instances()
        .by_id("i1")
        .send_reminder()
        .send()
        .await
        .unwrap_err();
    let Error::Status(status) = error else {
        panic!("expected a status error")
    };
    assert_eq!((status.status, status.attempts), (503, 3));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn malformed_json_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{INSTANCE}/decisions/x1")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(b"{\"id\": \"x1\", ".to_vec(), "application/json"),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let error = client
        .definitions()
        .by_id("d1")
        .instances()
        .by_id("i1")
        .decisions()
        .by_id("x1")
        .get()
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Decode { status: 200, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn graph_error_body_is_a_typed_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(INSTANCE))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"error": {
            "code": "ResourceNotFound",
            "message": "The instance does not exist.",
            "innerError": {"request-id": "req-9", "date": "2024-05-01T10:00:00", "client-request-id": "c-9"}
        }})))
        .mount(&server)
        .await;
    let client = client(&server);
    let error = client
        .definitions()
        .by_id("d1")
        .instances()
        .by_id("i1")
        .get()
        .send()
        .await
        .unwrap_err();
    let Error::Status(status) = &error else {
        panic!("expected a status error, got {error:?}")
    };
    let graph = status.error.as_ref().unwrap();
    assert_eq!(graph.code, "ResourceNotFound");
    assert_eq!(
        graph
            .inner_error
            .as_ref()
            .and_then(|inner| inner.request_id.as_deref()),
        Some("req-9")
    );
    assert_eq!(status.attempts, 1);
    assert!(!format!("{error:?}{error}").contains("t0ken"));
}
