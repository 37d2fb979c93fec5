//! The `triage` example against a Graph stand-in on 127.0.0.1: the requests it sends (paths,
//! query options, bodies, in order) and what it prints from the answers.

use serde_json::json;
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The example, compiled into this test (its `main` is unused here).
#[path = "../examples/triage.rs"]
#[allow(dead_code)]
mod triage;

const DEFINITION: &str = "/identityGovernance/accessReviews/definitions/d%201";
const INSTANCE: &str = "/identityGovernance/accessReviews/definitions/d%201/instances/i1";

fn args(base_url: &str) -> triage::Args {
    triage::Args {
        base_url: base_url.to_owned(),
        auth: triage::Auth::Token,
        definition: "d 1".to_owned(),
        instance: "i1".to_owned(),
        top: 2,
        justification: "still on the team".to_owned(),
    }
}

/// Connects as `main` does, with `GRAPH_TOKEN=t0ken` as the whole environment, and runs.
async fn connect_and_run(
    args: &triage::Args,
    out: &mut Vec<u8>,
) -> Result<(), Box<dyn std::error::Error>> {
    let env = |name: &str| (name == "GRAPH_TOKEN").then(|| "t0ken".to_owned());
    let client = triage::connect(args, &env)?;
    triage::triage(&client, args, out).await
}

#[test]
fn secrets_come_from_the_environment() {
    let base = "https://graph.microsoft.com/v1.0";
    let nothing = |_: &str| None;
    let missing = triage::connect(&args(base), &nothing)
        .map(|_| ())
        .map_err(|e| e.to_string());
    assert_eq!(
        missing,
        Err("--auth token needs GRAPH_TOKEN set".to_owned())
    );
    let mut secret = args(base);
    secret.auth = triage::Auth::ClientSecret;
    let partial =
        |name: &str| (name == "AZURE_TENANT_ID").then(|| "contoso.onmicrosoft.com".to_owned());
    let error = triage::connect(&secret, &partial)
        .map(|_| ())
        .map_err(|e| e.to_string());
    let error = error.expect_err("a client secret without its variables must fail");
    if cfg!(feature = "azure-identity") {
        assert!(error.contains("AZURE_CLIENT_ID"), "{error}");
    } else {
        assert!(error.contains("--features azure-identity"), "{error}");
    }
}

fn decision(id: &str, decision: &str, name: &str) -> serde_json::Value {
    json!({
        "id": id,
        "decision": decision,
        "principal": {"@odata.type": "#microsoft.graph.userIdentity", "displayName": name}
    })
}

/// Two pages of pending decisions (one item of the second page already decided, which the
/// example must not count), then 204s for the actions, then the definition.
async fn service(scope: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    let next = format!("{}{INSTANCE}/decisions?$skiptoken=p2", server.uri());
    Mock::given(method("GET"))
        .and(path(format!("{INSTANCE}/decisions")))
        .and(query_param("$skiptoken", "p2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [decision("3", "NotReviewed", "Carol"), decision("4", "Deny", "Dan")]
        })))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{INSTANCE}/decisions")))
        .and(query_param("$filter", "decision eq 'NotReviewed'"))
        .and(query_param("$top", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.nextLink": next,
            "value": [decision("1", "NotReviewed", "Alice"), decision("2", "NotReviewed", "Bob")]
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{INSTANCE}/batchRecordDecisions")))
        .and(body_json(
            json!({"decision": "Approve", "justification": "still on the team"}),
        ))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{INSTANCE}/stop")))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(DEFINITION))
        .and(query_param("$select", "displayName,reviewers,scope"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "d 1",
            "displayName": "Guests of Sales",
            "reviewers": [
                {"query": "/users/u1", "queryType": "MicrosoftGraph"},
                {"query": "./manager", "queryType": "MicrosoftGraph", "queryRoot": "decisions"}
            ],
            "scope": scope
        })))
        .mount(&server)
        .await;
    server
}

async fn run(server: &MockServer) -> String {
    let mut out = Vec::new();
    let result = connect_and_run(&args(&server.uri()), &mut out).await;
    let out = String::from_utf8_lossy(&out).into_owned();
    if let Err(error) = result {
        panic!("triage failed: {error}\n{out}");
    }
    out
}

async fn sent(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.unwrap_or_default();
    requests
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect()
}

#[tokio::test]
async fn approves_the_pending_decisions_in_one_call_stops_and_shows_the_definition() {
    let server = service(json!({
        "@odata.type": "#microsoft.graph.accessReviewInactiveUsersQueryScope",
        "query": "/groups/g1/members",
        "queryType": "MicrosoftGraph",
        "inactiveDuration": "P30D"
    }))
    .await;

    let out = run(&server).await;

    assert_eq!(
        out,
        "pending 1 (Alice)\npending 2 (Bob)\npending 3 (Carol)\n\
         approved 3 decision(s)\n\
         stopped instance i1\n\
         definition Guests of Sales\n  reviewer /users/u1 (MicrosoftGraph)\n  reviewer ./manager (MicrosoftGraph)\n\
         \x20 scope: inactive for P30D among /groups/g1/members\n"
    );
    assert_eq!(
        sent(&server).await,
        [
            format!("GET {INSTANCE}/decisions"),
            format!("GET {INSTANCE}/decisions"),
            format!("POST {INSTANCE}/batchRecordDecisions"),
            format!("POST {INSTANCE}/stop"),
            format!("GET {DEFINITION}"),
        ]
    );
}

#[tokio::test]
async fn prints_the_fields_of_a_memberships_scope() {
    let server = service(json!({
        "@odata.type": "#microsoft.graph.principalResourceMembershipsScope",
        "principalScopes": [
            {"@odata.type": "#microsoft.graph.accessReviewQueryScope", "query": "/users", "queryType": "MicrosoftGraph"}
        ],
        "resourceScopes": [
            {"@odata.type": "#microsoft.graph.accessReviewQueryScope", "query": "/groups/g2", "queryType": "MicrosoftGraph"}
        ]
    }))
    .await;

    let out = run(&server).await;

    assert!(
        out.ends_with("  scope: principals [\"/users\"]\n  scope: resources [\"/groups/g2\"]\n"),
        "{out}"
    );
}

#[tokio::test]
async fn nothing_pending_sends_no_batch() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{INSTANCE}/decisions")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{INSTANCE}/stop")))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(DEFINITION))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"displayName": "Empty"})))
        .mount(&server)
        .await;

    let out = run(&server).await;

    assert_eq!(
        out,
        "nothing to approve\nstopped instance i1\ndefinition Empty\n  scope: not given\n"
    );
    assert!(!sent(&server)
        .await
        .iter()
        .any(|r| r.contains("batchRecordDecisions")));
}

#[tokio::test]
async fn a_graph_error_stops_the_program_with_its_message() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({
            "error": {"code": "Forbidden", "message": "Not a reviewer of this instance."}
        })))
        .mount(&server)
        .await;

    let mut out = Vec::new();
    let result = connect_and_run(&args(&server.uri()), &mut out).await;

    let message = match result {
        Err(error) => error.to_string(),
        Ok(()) => panic!("expected the 403 to stop the program"),
    };
    assert!(message.contains("403"), "{message}");
    assert!(message.contains("Not a reviewer"), "{message}");
    assert_eq!(
        sent(&server).await.len(),
        1,
        "nothing is sent after the error"
    );
}
