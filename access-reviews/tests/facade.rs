//! The facade without a network: chains start on its client with no trait imported, keys
//! come from what a user holds, PUT is named after the docs' verb, and the prelude's
//! conveniences read and write properties in one expression.

// Deliberately no `use access_reviews::prelude::*`: the client's entry points are inherent.
use access_reviews::http::{Error, Method};
use access_reviews::models::{
    AccessReviewDecisionValue as Decision, AccessReviewInstanceDecisionItem,
    AccessReviewRecommendationValue as Recommendation, AccessReviewScheduleDefinition,
};
use access_reviews::{Client, Nullable};

const BASE: &str = "https://graph.example.test/v1.0";
const DEFINITIONS: &str =
    "https://graph.example.test/v1.0/identityGovernance/accessReviews/definitions";

fn client() -> Client {
    match Client::builder().base_url(BASE).bearer_token("t").build() {
        Ok(client) => client,
        Err(error) => panic!("the client should build: {error}"),
    }
}

fn url(request: Result<access_reviews::http::Request, Error>) -> String {
    match request {
        Ok(request) => request.url,
        Err(error) => panic!("the request should build: {error}"),
    }
}

#[test]
fn chains_start_on_the_client_without_a_trait() {
    let client = client();
    let request = client
        .definitions()
        .by_id("d1")
        .instances()
        .list()
        .top(5)
        .to_request();
    assert_eq!(url(request), format!("{DEFINITIONS}/d1/instances?$top=5"));
    assert_eq!(
        url(client.access_reviews().get().to_request()),
        format!("{BASE}/identityGovernance/accessReviews")
    );
}

#[test]
fn the_default_base_url_is_the_v1_endpoint() {
    let client = match Client::builder().bearer_token("t").build() {
        Ok(client) => client,
        Err(error) => panic!("{error}"),
    };
    assert_eq!(
        access_reviews::http::Transport::base_url(&client),
        "https://graph.microsoft.com/v1.0"
    );
}

#[test]
fn by_id_takes_text_an_id_property_or_a_model() {
    let client = client();
    let decisions = client
        .definitions()
        .by_id("d1")
        .instances()
        .by_id("i1")
        .decisions();
    let item = AccessReviewInstanceDecisionItem {
        id: "x/1".into(),
        ..Default::default()
    };
    let owned = String::from("x/1");
    let expected = format!("{DEFINITIONS}/d1/instances/i1/decisions/x%2F1");
    assert_eq!(url(decisions.by_id("x/1").get().to_request()), expected);
    assert_eq!(url(decisions.by_id(&owned).get().to_request()), expected);
    assert_eq!(
        url(decisions.by_id(owned.clone()).get().to_request()),
        expected
    );
    assert_eq!(url(decisions.by_id(&item.id).get().to_request()), expected);
    assert_eq!(url(decisions.by_id(&item).get().to_request()), expected);
}

#[test]
fn a_missing_or_empty_id_is_an_error_not_an_empty_segment() {
    let client = client();
    let decisions = client
        .definitions()
        .by_id("d1")
        .instances()
        .by_id("i1")
        .decisions();
    let missing = AccessReviewInstanceDecisionItem::default();
    let null = AccessReviewInstanceDecisionItem {
        id: Nullable::Null,
        ..Default::default()
    };
    let body = AccessReviewInstanceDecisionItem {
        decision: Decision::Approve.into(),
        ..Default::default()
    };
    for request in [
        decisions.by_id(&missing).update(body.clone()).to_request(),
        decisions.by_id(&null.id).update(body.clone()).to_request(),
        decisions.by_id("").update(body.clone()).to_request(),
    ] {
        match request {
            Err(Error::InvalidKey { value }) => assert_eq!(value, ""),
            other => panic!("expected InvalidKey, got {other:?}"),
        }
    }
}

#[test]
fn put_is_update_where_the_docs_say_update() {
    let client = client();
    let body = AccessReviewScheduleDefinition {
        display_name: "Quarterly guests".into(),
        ..Default::default()
    };
    let request = match client.definitions().by_id("d1").update(body).to_request() {
        Ok(request) => request,
        Err(error) => panic!("{error}"),
    };
    assert_eq!(request.method, Method::Put);
    assert_eq!(request.url, format!("{DEFINITIONS}/d1"));
    assert_eq!(
        request.body.as_deref(),
        Some(br#"{"displayName":"Quarterly guests"}"#.as_slice())
    );
}

#[test]
fn properties_read_and_write_in_one_expression() {
    let item = AccessReviewInstanceDecisionItem {
        decision: Decision::NotReviewed.into(),
        justification: "because".into(),
        principal_link: String::from("https://graph.microsoft.com/v1.0/users/u1").into(),
        ..Default::default()
    };
    assert!(item.decision == Decision::NotReviewed);
    assert!(item.decision != Decision::Approve);
    assert!(item.justification == "because");
    assert!(item.principal_link != "https://graph.microsoft.com/v1.0/users/u2");
    assert!(
        item.recommendation != Recommendation::Approve,
        "absent equals no value"
    );
    assert!(item.recommendation.is_absent());
    assert_eq!(item.justification.as_deref(), Some("because"));
    assert_eq!(
        item.decision.value().map(Decision::as_str),
        Some("NotReviewed")
    );
}

#[cfg(feature = "beta")]
mod beta {
    use access_reviews::beta::models::AccessReviewInstance;
    use access_reviews::beta::Client;
    use access_reviews::http::{Method, Transport};

    #[test]
    fn the_beta_client_starts_chains_on_the_beta_endpoint() {
        let client = match Client::builder().bearer_token("t").build() {
            Ok(client) => client,
            Err(error) => panic!("{error}"),
        };
        assert_eq!(client.base_url(), "https://graph.microsoft.com/beta");
        let instance = client.definitions().by_id("d1").instances().by_id("i1");
        // This path has both PATCH and PUT: PATCH keeps `update`, PUT is `replace`.
        let patch = instance
            .update(AccessReviewInstance::default())
            .to_request();
        let put = instance
            .replace(AccessReviewInstance::default())
            .to_request();
        let method = |request: Result<access_reviews::http::Request, _>| match request {
            Ok(request) => request.method,
            Err(error) => panic!("{error:?}"),
        };
        assert_eq!(method(patch), Method::Patch);
        assert_eq!(method(put), Method::Put);
    }
}
