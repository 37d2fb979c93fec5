//! JSON batching against a server on 127.0.0.1 (wiremock) whose `$batch` endpoint answers as
//! Graph's does: it reads the `requests` array, runs each request (a request whose
//! `dependsOn` failed gets `424`), and answers `{"responses": [...]}`, in reverse order, so
//! that the client has to match answers by id.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use access_reviews_models::{
    AccessReviewDecisionValue, AccessReviewInstanceDecisionItem, InstancesBatchRecordDecisionsBody,
};
use access_reviews_requests::Api as _;
use graph_client::{Client, ItemOptions, RetryPolicy, MAX_BATCH_REQUESTS};
use graph_runtime::http::Error;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// How the fake service answers one request of a batch: `(status, headers, body)`, given
/// the request and the number of the `$batch` call (1 for the first).
type Answer = fn(&Value, usize) -> (u16, Value, Value);

/// A `$batch` endpoint: keeps every batch body it receives, answers each request with
/// `answer`, and a request whose dependency did not succeed with `424`.
#[derive(Clone)]
struct BatchEndpoint {
    answer: Answer,
    seen: Arc<Mutex<Vec<Value>>>,
}

impl Respond for BatchEndpoint {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
            return ResponseTemplate::new(400).set_body_string("not JSON");
        };
        let round = {
            let mut seen = self.seen.lock().unwrap();
            seen.push(body.clone());
            seen.len()
        };
        let requests = body["requests"].as_array().cloned().unwrap_or_default();
        let mut statuses: Vec<(String, u16)> = Vec::new();
        let mut responses = Vec::new();
        for item in &requests {
            let id = item["id"].as_str().unwrap_or_default().to_owned();
            let failed_dependency = item["dependsOn"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|dep| {
                    statuses
                        .iter()
                        .any(|(done, status)| Some(done.as_str()) == dep.as_str() && *status >= 300)
                });
            let (status, headers, body) = if failed_dependency {
                (
                    424,
                    json!({"Content-Type": "application/json"}),
                    json!({"error": {"code": "FailedDependency", "message": "a dependency failed"}}),
                )
            } else {
                (self.answer)(item, round)
            };
            statuses.push((id.clone(), status));
            let mut response = json!({"id": id, "status": status, "headers": headers});
            if !body.is_null() {
                response["body"] = body;
            }
            responses.push(response);
        }
        responses.reverse();
        ResponseTemplate::new(200).set_body_json(json!({ "responses": responses }))
    }
}

async fn serve(answer: Answer) -> (MockServer, Arc<Mutex<Vec<Value>>>) {
    let server = MockServer::start().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    Mock::given(method("POST"))
        .and(path("/v1.0/$batch"))
        .respond_with(BatchEndpoint {
            answer,
            seen: seen.clone(),
        })
        .mount(&server)
        .await;
    (server, seen)
}

fn client(server: &MockServer, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(format!("{}/v1.0", server.uri()))
        .bearer_token("t0ken")
        .retry_policy(retry)
        .build()
        .unwrap()
}

fn json_headers() -> Value {
    json!({"Content-Type": "application/json"})
}

/// Answers like Graph for the requests of the mixed batch, by method and URL.
fn graph_like(item: &Value, _round: usize) -> (u16, Value, Value) {
    let method = item["method"].as_str().unwrap_or_default();
    let url = item["url"].as_str().unwrap_or_default();
    let page =
        |ids: &[&str]| json!({"value": ids.iter().map(|id| json!({"id": id})).collect::<Vec<_>>()});
    if url.ends_with("/$count") {
        // Graph answers $count in text/plain, which a batch carries as base64: "3".
        return (200, json!({"Content-Type": "text/plain"}), json!("Mw=="));
    }
    let route = url.split('?').next().unwrap_or_default();
    let last_segment = route.rsplit('/').next().unwrap_or_default();
    let is_collection = [
        "definitions",
        "instances",
        "decisions",
        "stages",
        "contactedReviewers",
        "historyDefinitions",
    ]
    .contains(&last_segment);
    match method {
        "DELETE" | "PATCH" => (204, json!({}), Value::Null),
        "POST" => (204, json!({}), Value::Null),
        _ if route == "/identityGovernance/accessReviews/definitions" => {
            (200, json_headers(), page(&["d1", "d2"]))
        }
        _ if is_collection => (200, json_headers(), page(&["x"])),
        _ if url.contains("/decisions/") => (
            200,
            json_headers(),
            json!({"id": "dec-1", "decision": "NotReviewed"}),
        ),
        _ if url.contains("/instances/") => (
            200,
            json_headers(),
            json!({"id": "inst-1", "status": "InProgress"}),
        ),
        _ if url.contains("/definitions/d1?") || url.ends_with("/definitions/d1") => (
            200,
            json_headers(),
            json!({"id": "d1", "displayName": "Quarterly review"}),
        ),
        _ => (
            404,
            json_headers(),
            json!({"error": {"code": "NotFound", "message": url}}),
        ),
    }
}

#[tokio::test]
async fn twenty_mixed_operations_round_trip_in_one_batch() {
    let (server, seen) = serve(graph_like).await;
    let client = client(&server, RetryPolicy::none());
    let definitions = client.definitions();
    let definition = definitions.by_id("d1");
    let instance = definition.instances().by_id("inst-1");
    let mut batch = client.batch();

    let list = batch.add(definitions.list().top(5)).unwrap();
    let get_definition = batch
        .add(definition.get().select(["id", "displayName"]))
        .unwrap();
    let get_instance = batch.add(instance.get()).unwrap();
    let record = batch
        .add(
            instance.batch_record_decisions(InstancesBatchRecordDecisionsBody {
                decision: AccessReviewDecisionValue::Approve.into(),
                justification: "still needed".into(),
                ..Default::default()
            }),
        )
        .unwrap();
    let accept = batch.add(instance.accept_recommendations()).unwrap();
    let apply = batch.add(instance.apply_decisions()).unwrap();
    let reset = batch.add(instance.reset_decisions()).unwrap();
    let remind = batch.add(instance.send_reminder()).unwrap();
    let stop_instance = batch.add(instance.stop()).unwrap();
    let stop_definition = batch.add(definition.stop()).unwrap();
    let count_definitions = batch.add(definitions.count()).unwrap();
    let count_decisions = batch.add(instance.decisions().count()).unwrap();
    let pending = batch
        .add(
            instance
                .decisions()
                .list()
                .filter("decision eq 'NotReviewed'"),
        )
        .unwrap();
    let decision = batch
        .add(instance.decisions().by_id("dec-1").get())
        .unwrap();
    let update = batch
        .add(
            instance
                .decisions()
                .by_id("dec-1")
                .update(AccessReviewInstanceDecisionItem {
                    decision: AccessReviewDecisionValue::Deny.into(),
                    ..Default::default()
                }),
        )
        .unwrap();
    let instances = batch.add(definition.instances().list()).unwrap();
    let stages = batch.add(instance.stages().list()).unwrap();
    let reviewers = batch.add(instance.contacted_reviewers().list()).unwrap();
    let history = batch.add(client.history_definitions().list()).unwrap();
    let delete = batch.add(definitions.by_id("d2").delete()).unwrap();
    assert_eq!(batch.len(), MAX_BATCH_REQUESTS);

    let answers = batch.send().await.unwrap();
    assert_eq!(answers.len(), 20);

    // One $batch call carried all twenty, relative to the version root, numbered in order.
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    let requests = seen[0]["requests"].as_array().unwrap();
    let ids: Vec<&str> = requests.iter().filter_map(|r| r["id"].as_str()).collect();
    let expected_ids: Vec<String> = (1..=20).map(|n| n.to_string()).collect();
    assert_eq!(ids, expected_ids);
    assert_eq!(
        requests[0],
        json!({"id": "1", "method": "GET", "url": "/identityGovernance/accessReviews/definitions?$top=5"})
    );
    assert_eq!(
        requests[3],
        json!({
            "id": "4",
            "method": "POST",
            "url": "/identityGovernance/accessReviews/definitions/d1/instances/inst-1/batchRecordDecisions",
            "headers": {"Content-Type": "application/json"},
            "body": {"decision": "Approve", "justification": "still needed"},
        })
    );
    assert_eq!(requests[19]["method"], "DELETE");
    assert_eq!(
        requests[19]["url"],
        "/identityGovernance/accessReviews/definitions/d2"
    );

    // Each answer decodes into its own operation's type.
    let page = answers.get(&list).unwrap();
    let listed: Vec<Option<&str>> = page.value.iter().map(|d| d.id.as_deref()).collect();
    assert_eq!(listed, [Some("d1"), Some("d2")]);
    let got = answers.get(&get_definition).unwrap();
    assert_eq!(got.display_name, "Quarterly review");
    assert_eq!(answers.get(&get_instance).unwrap().id, "inst-1");
    for action in [
        &record,
        &accept,
        &apply,
        &reset,
        &remind,
        &stop_instance,
        &stop_definition,
    ] {
        answers.get(action).unwrap();
    }
    assert_eq!(answers.get(&count_definitions).unwrap(), 3);
    assert_eq!(answers.get(&count_decisions).unwrap(), 3);
    assert_eq!(answers.get(&pending).unwrap().value.len(), 1);
    assert_eq!(
        answers.get(&decision).unwrap().decision,
        AccessReviewDecisionValue::NotReviewed
    );
    answers.get(&update).unwrap();
    for page in [
        answers.get(&instances).map(|p| p.value.len()),
        answers.get(&stages).map(|p| p.value.len()),
        answers.get(&reviewers).map(|p| p.value.len()),
        answers.get(&history).map(|p| p.value.len()),
    ] {
        assert_eq!(page.unwrap(), 1);
    }
    answers.get(&delete).unwrap();
    assert_eq!(answers.response(&delete).map(|r| r.status), Some(204));
}

fn one_fails(item: &Value, _round: usize) -> (u16, Value, Value) {
    match item["id"].as_str() {
        Some("missing") => (
            404,
            json_headers(),
            json!({"error": {"code": "NotFound", "message": "no such definition"}}),
        ),
        Some("throttled") => (
            429,
            json!({"Content-Type": "application/json", "Retry-After": "7"}),
            json!({"error": {"code": "TooManyRequests", "message": "slow down"}}),
        ),
        _ => (200, json_headers(), json!({"id": "d1"})),
    }
}

#[tokio::test]
async fn a_rejected_request_fails_alone_with_its_own_typed_error() {
    let (server, seen) = serve(one_fails).await;
    let client = client(&server, RetryPolicy::none());
    let mut batch = client.batch();
    let ok = batch.add(client.definitions().by_id("d1").get()).unwrap();
    let missing = batch
        .add_with(
            client.definitions().by_id("nope").get(),
            ItemOptions::new().id("missing"),
        )
        .unwrap();
    let throttled = batch
        .add_with(
            client.definitions().by_id("d3").get(),
            ItemOptions::new().id("throttled"),
        )
        .unwrap();
    let answers = batch.send().await.unwrap();

    assert_eq!(answers.get(&ok).unwrap().id, "d1");
    match answers.get(&missing) {
        Err(Error::Status(status)) => {
            assert_eq!(status.status, 404);
            assert_eq!(status.error.map(|e| e.code).as_deref(), Some("NotFound"));
        }
        other => panic!("expected a 404, got {other:?}"),
    }
    // Retries are off: the 429 is that item's answer, with the Retry-After it carried.
    match answers.get(&throttled) {
        Err(Error::Status(status)) => {
            assert_eq!(status.status, 429);
            assert_eq!(status.retry_after, Some(Duration::from_secs(7)));
            assert_eq!(status.attempts, 1);
        }
        other => panic!("expected a 429, got {other:?}"),
    }
    assert_eq!(seen.lock().unwrap().len(), 1);
}

/// The first batch throttles `b`; `c` depends on `b` and so fails with 424; the follow-up
/// batch succeeds.
fn throttled_once(item: &Value, round: usize) -> (u16, Value, Value) {
    if round == 1 && item["id"] == "b" {
        return (
            429,
            json!({"Retry-After": "0", "Content-Type": "application/json"}),
            json!({"error": {"code": "TooManyRequests", "message": "slow down"}}),
        );
    }
    let id = item["id"].as_str().unwrap_or_default();
    (200, json_headers(), json!({ "id": id }))
}

#[tokio::test]
async fn throttled_requests_and_their_dependents_are_retried_in_a_follow_up_batch() {
    let (server, seen) = serve(throttled_once).await;
    let client = client(&server, RetryPolicy::default());
    let definitions = client.definitions();
    let mut batch = client.batch();
    let a = batch
        .add_with(definitions.by_id("a").get(), ItemOptions::new().id("a"))
        .unwrap();
    let b = batch
        .add_with(definitions.by_id("b").get(), ItemOptions::new().id("b"))
        .unwrap();
    let c = batch
        .add_with(
            definitions.by_id("c").get(),
            ItemOptions::new().id("c").depends_on(&b).depends_on(&a),
        )
        .unwrap();
    let answers = batch.send().await.unwrap();

    for (item, id) in [(&a, "a"), (&b, "b"), (&c, "c")] {
        assert_eq!(answers.get(item).unwrap().id, id);
    }
    assert_eq!(answers.response(&a).map(|r| r.attempts), Some(1));
    assert_eq!(answers.response(&b).map(|r| r.attempts), Some(2));
    assert_eq!(answers.response(&c).map(|r| r.attempts), Some(2));

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "{seen:?}");
    let shape = |batch: &Value| -> Vec<(String, Value)> {
        batch["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["id"].as_str().unwrap().to_owned(), r["dependsOn"].clone()))
            .collect()
    };
    assert_eq!(
        shape(&seen[0]),
        [
            ("a".to_owned(), Value::Null),
            ("b".to_owned(), Value::Null),
            ("c".to_owned(), json!(["b", "a"])),
        ]
    );
    // Only the throttled request and its dependent went again; `a` already succeeded, so
    // it is no longer a dependency.
    assert_eq!(
        shape(&seen[1]),
        [
            ("b".to_owned(), Value::Null),
            ("c".to_owned(), json!(["b"]))
        ]
    );
}

#[tokio::test]
async fn a_request_throttled_until_attempts_run_out_keeps_its_429() {
    fn always_throttled(item: &Value, _round: usize) -> (u16, Value, Value) {
        if item["id"] == "1" {
            return (503, json!({"Retry-After": "0"}), Value::Null);
        }
        (200, json_headers(), json!({"id": "fine"}))
    }
    let (server, seen) = serve(always_throttled).await;
    let client = client(&server, RetryPolicy::default().with_max_attempts(3));
    let mut batch = client.batch();
    let throttled = batch.add(client.definitions().by_id("x").get()).unwrap();
    let fine = batch.add(client.definitions().by_id("y").get()).unwrap();
    let answers = batch.send().await.unwrap();
    match answers.get(&throttled) {
        Err(Error::Status(status)) => assert_eq!((status.status, status.attempts), (503, 3)),
        other => panic!("expected a 503, got {other:?}"),
    }
    assert_eq!(answers.get(&fine).unwrap().id, "fine");
    let sizes: Vec<usize> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|b| b["requests"].as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(sizes, [2, 1, 1]);
}

#[tokio::test]
async fn more_than_twenty_requests_are_refused_before_sending() {
    let (server, seen) = serve(graph_like).await;
    let client = client(&server, RetryPolicy::none());
    let mut batch = client.batch();
    for _ in 0..MAX_BATCH_REQUESTS {
        batch.add(client.definitions().list()).unwrap();
    }
    match batch.add(client.definitions().list()) {
        Err(Error::BatchTooLarge { limit: 20 }) => {}
        other => panic!("expected BatchTooLarge, got {other:?}"),
    }
    assert_eq!(batch.len(), 20);
    assert!(seen.lock().unwrap().is_empty());
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn ids_and_dependencies_are_checked_when_added() {
    let (server, _seen) = serve(graph_like).await;
    let client = client(&server, RetryPolicy::none());
    let definitions = client.definitions();
    let mut batch = client.batch();
    let first = batch
        .add_with(definitions.list(), ItemOptions::new().id("2"))
        .unwrap();
    // The batch's own numbering skips the id taken.
    assert_eq!(batch.add(definitions.list()).unwrap().id(), "3");
    let refused = [
        batch.add_with(definitions.list(), ItemOptions::new().id("2")),
        batch.add_with(definitions.list(), ItemOptions::new().id("")),
        batch.add_with(definitions.list(), ItemOptions::new().depends_on("later")),
    ];
    for result in refused {
        assert!(matches!(result, Err(Error::Batch { .. })), "{result:?}");
    }
    // A key that would address another resource is the operation's own error.
    assert!(matches!(
        batch.add(definitions.by_id("..").get()),
        Err(Error::InvalidKey { .. })
    ));
    // An operation built against another service root can't go into this batch.
    let elsewhere = graph_runtime::http::Offline::new("https://graph.microsoft.com/v1.0");
    assert!(matches!(
        batch.add(elsewhere.definitions().list()),
        Err(Error::Batch { .. })
    ));
    assert_eq!(batch.len(), 2);
    assert_eq!(first.id(), "2");
}

#[tokio::test]
async fn an_answer_missing_or_undecodable_is_that_items_batch_error() {
    fn odd(item: &Value, _round: usize) -> (u16, Value, Value) {
        match item["id"].as_str() {
            Some("png") => (200, json!({"Content-Type": "image/png"}), json!("%%%")),
            _ => (200, json_headers(), json!({"id": "d1"})),
        }
    }
    let (server, _seen) = serve(odd).await;
    let client = client(&server, RetryPolicy::none());
    let mut batch = client.batch();
    let png = batch
        .add_with(
            client.definitions().by_id("a").get(),
            ItemOptions::new().id("png"),
        )
        .unwrap();
    let ok = batch.add(client.definitions().by_id("b").get()).unwrap();
    let answers = batch.send().await.unwrap();
    assert!(matches!(
        answers.get(&png),
        Err(Error::Batch { id: Some(id), .. }) if id == "png"
    ));
    assert_eq!(answers.get(&ok).unwrap().id, "d1");
}

#[tokio::test]
async fn a_batch_answer_that_is_not_one_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/$batch"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"value\": []}"))
        .mount(&server)
        .await;
    let client = client(&server, RetryPolicy::none());
    let mut batch = client.batch();
    batch.add(client.definitions().list()).unwrap();
    assert!(matches!(batch.send().await, Err(Error::Decode { .. })));
}
