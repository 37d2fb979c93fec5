//! Building requests with the generated v1.0 request builders, without any network.

use access_reviews_models::{
    AccessReviewDecisionValue, AccessReviewInstanceDecisionItem,
    AccessReviewInstanceDecisionItemFilterByCurrentUserOptions,
};
use access_reviews_requests::Api as _;
use graph_runtime::http::{Method, Offline, Response};
use graph_runtime::Nullable;

const V1: &str = "https://graph.microsoft.com/v1.0";

#[test]
fn reset_decisions_is_a_post_on_the_instance() {
    let client = Offline::new(V1);
    let request = client
        .definitions()
        .by_id("8564a649-4f67-4e09-88e7-55def6530e88")
        .instances()
        .by_id("1234a649-4f67-1234-88e7-55def6530e88")
        .reset_decisions()
        .to_request()
        .unwrap();
    assert_eq!(request.method, Method::Post);
    assert_eq!(
        request.url,
        "https://graph.microsoft.com/v1.0/identityGovernance/accessReviews/definitions/8564a649-4f67-4e09-88e7-55def6530e88/instances/1234a649-4f67-1234-88e7-55def6530e88/resetDecisions"
    );
    assert_eq!(request.body, None);
}

#[test]
fn list_decisions_with_query_options() {
    let client = Offline::new(V1);
    let request = client
        .definitions()
        .by_id("d")
        .instances()
        .by_id("i")
        .decisions()
        .list()
        .expand(["insights"])
        .filter("decision eq 'NotReviewed'")
        .top(50)
        .to_request()
        .unwrap();
    assert_eq!(
        request.url,
        "https://graph.microsoft.com/v1.0/identityGovernance/accessReviews/definitions/d/instances/i/decisions?$expand=insights&$filter=decision%20eq%20'NotReviewed'&$top=50"
    );
}

#[test]
fn ids_are_encoded_so_they_cannot_change_the_path() {
    let client = Offline::new(V1);
    let request = client
        .definitions()
        .by_id("../x?y#z%")
        .get()
        .to_request()
        .unwrap();
    assert_eq!(
        request.url,
        "https://graph.microsoft.com/v1.0/identityGovernance/accessReviews/definitions/..%2Fx%3Fy%23z%25"
    );
    // `..` (and `.`, and an empty id) can't be encoded so that URL parsing keeps them as a
    // segment: they are refused, offline as online.
    for id in ["..", ".", ""] {
        match client.definitions().by_id(id).get().to_request() {
            Err(graph_runtime::http::Error::InvalidKey { value }) => assert_eq!(value, id),
            other => panic!("{id:?} gave {other:?}"),
        }
    }
}

#[test]
fn function_parameters_are_odata_literals() {
    let client = Offline::new(V1);
    let request = client
        .definitions()
        .by_id("d")
        .instances()
        .by_id("i")
        .decisions()
        .filter_by_current_user(
            AccessReviewInstanceDecisionItemFilterByCurrentUserOptions::Reviewer,
        )
        .to_request()
        .unwrap();
    assert!(
        request
            .url
            .ends_with("/decisions/filterByCurrentUser(on='reviewer')"),
        "{}",
        request.url
    );
    let odd = AccessReviewInstanceDecisionItemFilterByCurrentUserOptions::from("o'brien/x");
    let request = client
        .definitions()
        .by_id("d")
        .instances()
        .by_id("i")
        .decisions()
        .filter_by_current_user(odd)
        .to_request()
        .unwrap();
    assert!(
        request
            .url
            .ends_with("/filterByCurrentUser(on='o''brien%2Fx')"),
        "{}",
        request.url
    );
}

#[test]
fn patch_body_keeps_null_apart_from_absent() {
    let client = Offline::new(V1);
    let body = AccessReviewInstanceDecisionItem {
        decision: Nullable::Value(AccessReviewDecisionValue::Approve),
        justification: Nullable::Null,
        ..Default::default()
    };
    let request = client
        .definitions()
        .by_id("d")
        .instances()
        .by_id("i")
        .decisions()
        .by_id("x")
        .update(body)
        .to_request()
        .unwrap();
    assert_eq!(request.method, Method::Patch);
    assert_eq!(request.header("content-type"), Some("application/json"));
    let sent: serde_json::Value = serde_json::from_slice(&request.body.unwrap()).unwrap();
    assert_eq!(
        sent,
        serde_json::json!({"decision": "Approve", "justification": null})
    );
}

#[test]
fn responses_decode_without_network() {
    use access_reviews_requests::Operation;
    type Update<'c> = Operation<
        'c,
        Offline,
        access_reviews_requests::DefinitionsItemInstancesItemDecisionsItemUpdate,
    >;
    assert!(Update::decode(&Response::new(204, vec![], Vec::new())).is_ok());
    type Count<'c> = Operation<'c, Offline, access_reviews_requests::DefinitionsCount>;
    assert_eq!(
        Count::decode(&Response::new(200, vec![], b"17".to_vec())).unwrap(),
        17
    );
    type List<'c> =
        Operation<'c, Offline, access_reviews_requests::DefinitionsItemInstancesItemDecisionsList>;
    let page = List::decode(&Response::new(
        200,
        vec![],
        br#"{"value": [{"id": "1", "decision": "NotReviewed"}], "@odata.nextLink": "https://next"}"#.to_vec(),
    ))
    .unwrap();
    assert_eq!(page.value.len(), 1);
    assert_eq!(page.next_link.as_deref(), Some("https://next"));
    let error = List::decode(&Response::new(
        403,
        vec![],
        br#"{"error": {"code": "Forbidden", "message": "no", "innerError": {"request-id": "r"}}}"#
            .to_vec(),
    ))
    .unwrap_err();
    assert_eq!(error.status(), Some(403));
    assert!(error.to_string().contains("Forbidden"), "{error}");
}
