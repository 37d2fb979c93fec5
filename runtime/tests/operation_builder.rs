//! The operation builder as a generated crate uses it: defined by `operation_builder!`, with
//! endpoints written by hand the way the generator writes them, including a setter for an
//! option the runtime doesn't know.

use graph_runtime::http::{self, Endpoint, Method, Offline, Request, Response, Transport, UrlPath};

graph_runtime::operation_builder!();

/// A collection with standard options and one of its own.
enum ListThings {}

impl Endpoint for ListThings {
    const METHOD: Method = Method::Get;
    const QUERY: &'static [&'static str] = &["$top", "$select", "$count", "startDateTime"];
    type Body = ();
    type Response = http::Json<http::Page<serde_json::Value>>;
}

impl http::options::Top for ListThings {}
impl http::options::Select for ListThings {}
impl http::options::Count for ListThings {}

impl<C: Transport + ?Sized> Operation<'_, C, ListThings> {
    /// An option only this operation has.
    fn start_date_time(self, value: impl Into<String>) -> Self {
        self.with_query("startDateTime", value.into())
    }
}

/// An update that sends a body and takes `If-Match`.
enum UpdateThing {}

impl Endpoint for UpdateThing {
    const METHOD: Method = Method::Patch;
    const QUERY: &'static [&'static str] = &[];
    type Body = serde_json::Value;
    type Response = http::JsonOrNoContent<serde_json::Value>;
}

impl http::options::IfMatch for UpdateThing {}

fn list(client: &Offline) -> Operation<'_, Offline, ListThings> {
    Operation::new(client, UrlPath::from_encoded("/things"), None)
}

#[test]
fn options_land_in_the_query_in_the_order_they_were_set() {
    let client = Offline::new("https://example.test/v1.0");
    let request = list(&client)
        .top(5)
        .select(["id", "displayName"])
        .start_date_time("2026-01-01T00:00:00Z")
        .include_count(true)
        .top(7)
        .to_request()
        .unwrap();
    assert_eq!(request.method, Method::Get);
    assert_eq!(
        request.url,
        "https://example.test/v1.0/things?$top=7&$select=id,displayName&startDateTime=2026-01-01T00:00:00Z&$count=true"
    );
    assert_eq!(request.body, None);
}

#[test]
fn a_body_and_a_header_are_sent_with_the_endpoints_method() {
    let client = Offline::new("https://example.test");
    let operation: Operation<'_, Offline, UpdateThing> = Operation::new(
        &client,
        UrlPath::from_encoded("/things").key("a/b"),
        Some(serde_json::json!({"name": null})),
    );
    let request = operation.if_match("W/\"1\"").to_request().unwrap();
    assert_eq!(request.method, Method::Patch);
    assert_eq!(request.url, "https://example.test/things/a%2Fb");
    assert_eq!(request.header("if-match"), Some("W/\"1\""));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.body.as_deref(), Some(&b"{\"name\":null}"[..]));
}

#[test]
fn decoding_follows_the_endpoints_response_kind() {
    type Update<'c> = Operation<'c, Offline, UpdateThing>;
    assert_eq!(
        Update::decode(&Response::new(204, vec![], Vec::new())).unwrap(),
        None
    );
    assert_eq!(
        Update::decode(&Response::new(200, vec![], b"{\"a\":1}".to_vec())).unwrap(),
        Some(serde_json::json!({"a": 1}))
    );
    assert_eq!(
        Update::decode(&Response::new(412, vec![], Vec::new()))
            .unwrap_err()
            .status(),
        Some(412)
    );
}

#[test]
fn an_invalid_key_fails_both_offline_and_on_send() {
    let client = Offline::new("https://example.test");
    let operation: Operation<'_, Offline, ListThings> =
        Operation::new(&client, UrlPath::from_encoded("/things").key(".."), None);
    assert!(matches!(
        operation.to_request(),
        Err(http::Error::InvalidKey { .. })
    ));
    let sent = futures::executor::block_on(operation.send());
    assert!(matches!(sent, Err(http::Error::InvalidKey { .. })));
}

/// A transport that answers every request with the same page, recording what it was sent.
struct OnePage(std::sync::Mutex<Vec<Request>>);

impl Transport for OnePage {
    fn base_url(&self) -> &str {
        "https://example.test"
    }

    fn send(&self, request: Request) -> http::SendFuture<'_> {
        self.0.lock().unwrap().push(request);
        Box::pin(async {
            Ok(Response::new(
                200,
                vec![],
                br#"{"value": [{"id": "1"}, {"id": "2"}]}"#.to_vec(),
            ))
        })
    }
}

#[test]
fn a_collection_streams_its_items_through_the_transport() {
    use futures::StreamExt as _;
    let transport = OnePage(std::sync::Mutex::new(Vec::new()));
    let operation: Operation<'_, OnePage, ListThings> =
        Operation::new(&transport, UrlPath::from_encoded("/things"), None);
    let items: Vec<_> =
        futures::executor::block_on(operation.top(2).max_pages(1).stream().collect());
    let ids: Vec<_> = items
        .into_iter()
        .map(|item| item.unwrap()["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["1", "2"]);
    let sent = transport.0.lock().unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].url, "https://example.test/things?$top=2");
}

#[cfg(feature = "conformance")]
#[test]
fn rebuilding_accepts_only_declared_options_with_values_of_their_type() {
    let client = Offline::new("https://example.test");
    let query = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect()
    };
    let request = list(&client)
        .rebuild(&query(&[
            ("$select", "id, displayName"),
            ("$top", "3"),
            ("startDateTime", "x"),
        ]))
        .unwrap();
    assert_eq!(
        request.url,
        "https://example.test/things?$select=id,displayName&$top=3&startDateTime=x"
    );
    for bad in [
        &[("$filter", "a eq 1")][..],
        &[("$top", "three")][..],
        &[("$count", "yes")][..],
    ] {
        assert!(
            matches!(
                list(&client).rebuild(&query(bad)),
                Err(http::Error::Build(_))
            ),
            "{bad:?}"
        );
    }
}
