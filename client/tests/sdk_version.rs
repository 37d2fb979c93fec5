//! The `SdkVersion` header, against a server on 127.0.0.1 (wiremock).

use graph_client::{Client, ClientBuilder, SDK_VERSION};
use graph_runtime::http::{Method, Request, Transport};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("t0ken")
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/x"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    server
}

/// The `SdkVersion` values of every request the server saw, one list per request.
async fn sdk_versions(server: &MockServer) -> Vec<Vec<String>> {
    let requests = server.received_requests().await.unwrap_or_default();
    requests
        .iter()
        .map(|request| {
            request
                .headers
                .get_all("sdkversion")
                .iter()
                .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
                .collect()
        })
        .collect()
}

#[test]
fn the_value_names_this_client_and_its_version() {
    assert_eq!(
        SDK_VERSION,
        format!("graph-rust-access-reviews/{}", env!("CARGO_PKG_VERSION"))
    );
}

#[tokio::test]
async fn every_request_names_the_client_once() {
    let server = server().await;
    let client = builder(&server).build().unwrap();
    for method in [Method::Get, Method::Post, Method::Delete] {
        let request = Request::new(method, format!("{}/x", client.base_url()));
        assert_eq!(client.send(request).await.unwrap().status, 200);
    }
    assert_eq!(
        sdk_versions(&server).await,
        vec![vec![SDK_VERSION.to_owned()]; 3]
    );
}

#[tokio::test]
async fn the_builder_turns_it_off() {
    let server = server().await;
    let client = builder(&server).sdk_version_header(false).build().unwrap();
    let request = Request::new(Method::Get, format!("{}/x", client.base_url()));
    assert_eq!(client.send(request).await.unwrap().status, 200);
    assert_eq!(sdk_versions(&server).await, vec![Vec::<String>::new()]);
}

#[tokio::test]
async fn a_request_with_its_own_value_keeps_it() {
    let server = server().await;
    let client = builder(&server).build().unwrap();
    let request = Request::new(Method::Get, format!("{}/x", client.base_url()))
        .with_header("SdkVersion", "my-app/2.0".to_owned());
    assert_eq!(client.send(request).await.unwrap().status, 200);
    assert_eq!(
        sdk_versions(&server).await,
        vec![vec!["my-app/2.0".to_owned()]]
    );
}

#[tokio::test]
async fn a_given_http_client_still_sends_it() {
    let server = server().await;
    let client = builder(&server)
        .http_client(reqwest::Client::new())
        .build()
        .unwrap();
    let request = Request::new(Method::Get, format!("{}/x", client.base_url()));
    assert_eq!(client.send(request).await.unwrap().status, 200);
    assert_eq!(
        sdk_versions(&server).await,
        vec![vec![SDK_VERSION.to_owned()]]
    );
}
