//! The fault matrix: the client against servers on 127.0.0.1 that misbehave on purpose
//! (throttling, resets, hangs, malformed bodies, foreign links), each case asserting the
//! typed error the caller gets and how many times the request went out.
//!
//! wiremock serves the well-formed HTTP answers. What wiremock can't do (reset a
//! connection, hang, stream a body without end) comes from the few lines of raw TCP in
//! [`raw`]. Delays are milliseconds, so the whole matrix runs in about a second.

use std::time::{Duration, Instant, SystemTime};

use access_reviews_requests::Api as _;
use futures::{StreamExt, TryStreamExt};
use graph_client::{Client, RetryPolicy};
use graph_runtime::http::{decode_json, pages, Error, Method, Request, Response, Transport};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The `review` example, compiled into this test so that it runs against the servers here
/// (its `main` is unused: the tests call [`review::cli`] with the arguments instead).
#[path = "../examples/review.rs"]
#[allow(dead_code)]
mod review;

const SECRET: &str = "eyJ0eXAi.f4ult-m4trix-s3cret.sig";
/// The part of the secret no output may contain.
const SECRET_PART: &str = "f4ult-m4trix-s3cret";
const INSTANCE: &str = "/identityGovernance/accessReviews/definitions/d1/instances/i1";

/// Backoffs of a millisecond or so.
fn fast() -> RetryPolicy {
    RetryPolicy::default()
        .with_base_delay(Duration::from_millis(1))
        .with_max_delay(Duration::from_millis(4))
}

fn client_at(base: &str, policy: RetryPolicy) -> Client {
    Client::builder()
        .base_url(base)
        .bearer_token(SECRET)
        .retry_policy(policy)
        .build()
        .unwrap()
}

fn request(client: &Client, method: Method, path: &str) -> Request {
    Request::new(method, format!("{}{path}", client.base_url()))
}

async fn received(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap()
}

/// Mounts `first` for the first `times` requests to `at`, `then` for the rest.
async fn answer_then(
    server: &MockServer,
    at: &str,
    times: u64,
    first: ResponseTemplate,
    then: ResponseTemplate,
) {
    Mock::given(path(at))
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(path(at)).respond_with(then).mount(server).await;
}

/// A short account of a result, for assertion messages (bodies can be large).
fn outcome(result: &Result<Response, Error>) -> String {
    match result {
        Ok(response) => format!(
            "HTTP {} with {} body bytes after {} attempt(s)",
            response.status,
            response.body.len(),
            response.attempts
        ),
        Err(error) => format!("{error:?}"),
    }
}

fn assert_no_secret(texts: &[String]) {
    for text in texts {
        assert!(!text.contains(SECRET_PART), "the secret is in {text}");
    }
}

/// A server that speaks just enough HTTP/1.1 by hand to misbehave in ways a real server
/// library won't: resets, hangs, bodies without end.
mod raw {
    use std::future::Future;
    use std::io;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};

    /// A listening server; each connection is handed to the handler in its own task.
    pub struct Server {
        /// `http://127.0.0.1:PORT`
        pub base: String,
        connections: Arc<AtomicUsize>,
    }

    impl Server {
        /// How many connections were accepted so far.
        pub fn connections(&self) -> usize {
            self.connections.load(Ordering::SeqCst)
        }
    }

    /// Starts a server; `handler` gets the connection's number (from 0) and the stream.
    pub async fn serve<F, Fut>(handler: F) -> Server
    where
        F: Fn(usize, TcpStream) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = io::Result<()>> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let connections = Arc::new(AtomicUsize::new(0));
        let counter = connections.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let number = counter.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(handler(number, stream));
            }
        });
        Server { base, connections }
    }

    /// Reads one request: the head, then as many body bytes as its Content-Length says.
    /// Returns the head.
    pub async fn read_request(stream: &mut TcpStream) -> io::Result<String> {
        let mut data = Vec::new();
        let mut buffer = [0u8; 4096];
        loop {
            if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&data[..end]).into_owned();
                let length = head
                    .lines()
                    .filter_map(|line| line.split_once(':'))
                    .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
                    .and_then(|(_, value)| value.trim().parse::<usize>().ok())
                    .unwrap_or(0);
                while data.len() < end + 4 + length {
                    let read = stream.read(&mut buffer).await?;
                    if read == 0 {
                        break;
                    }
                    data.extend_from_slice(&buffer[..read]);
                }
                return Ok(head);
            }
            let read = stream.read(&mut buffer).await?;
            if read == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            data.extend_from_slice(&buffer[..read]);
        }
    }

    /// Writes a whole response with a Content-Length, then closes the connection.
    pub async fn answer(
        mut stream: TcpStream,
        status: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> io::Result<()> {
        let mut head = format!(
            "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body).await?;
        stream.shutdown().await
    }

    /// Aborts the connection with a TCP reset (not an orderly close).
    pub fn reset(stream: TcpStream) {
        let _ = stream.set_zero_linger();
        drop(stream);
    }

    /// Never answers, holding the connection open.
    pub async fn hang(stream: TcpStream) -> io::Result<()> {
        std::future::pending::<()>().await;
        drop(stream);
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Throttling and unavailability: retried for every method, within bounds.

#[tokio::test]
async fn a_429_with_retry_after_in_seconds_is_waited_out() {
    let server = MockServer::start().await;
    answer_then(
        &server,
        "/x",
        1,
        ResponseTemplate::new(429).insert_header("Retry-After", "1"),
        ResponseTemplate::new(200).set_body_json(json!({"ok": true})),
    )
    .await;
    // One second asked, shortened to 80 ms; the backoff alone would be about 1 ms, so a
    // wait of 80 ms shows the header was read.
    let policy = fast().with_max_retry_after(Some(Duration::from_millis(80)));
    let client = client_at(&server.uri(), policy);

    let started = Instant::now();
    let response = client
        .send(request(&client, Method::Get, "/x"))
        .await
        .unwrap();

    assert_eq!((response.status, response.attempts), (200, 2));
    assert!(started.elapsed() >= Duration::from_millis(80));
}

#[tokio::test]
async fn a_429_with_retry_after_as_an_http_date_is_waited_out() {
    let server = MockServer::start().await;
    let in_an_hour = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
    answer_then(
        &server,
        "/x",
        1,
        ResponseTemplate::new(429).insert_header("Retry-After", in_an_hour.as_str()),
        ResponseTemplate::new(204),
    )
    .await;
    let policy = fast().with_max_retry_after(Some(Duration::from_millis(80)));
    let client = client_at(&server.uri(), policy);

    let started = Instant::now();
    let response = client
        .send(request(&client, Method::Post, "/x"))
        .await
        .unwrap();

    assert_eq!((response.status, response.attempts), (204, 2));
    assert!(started.elapsed() >= Duration::from_millis(80));
}

#[tokio::test]
async fn a_429_storm_ends_after_max_attempts() {
    let server = MockServer::start().await;
    Mock::given(path("/x"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .mount(&server)
        .await;
    let client = client_at(&server.uri(), fast().with_max_attempts(6));

    let started = Instant::now();
    let response = client
        .send(request(&client, Method::Get, "/x"))
        .await
        .unwrap();

    assert_eq!((response.status, response.attempts), (429, 6));
    assert_eq!(received(&server).await.len(), 6);
    assert!(started.elapsed() < Duration::from_secs(1));
    let Err(Error::Status(status)) = decode_json::<serde_json::Value>(&response) else {
        panic!("expected a status error");
    };
    assert_eq!(
        (status.status, status.attempts, status.retry_after),
        (429, 6, Some(Duration::ZERO))
    );
}

#[tokio::test]
async fn a_503_is_retried_whatever_the_method() {
    let server = MockServer::start().await;
    let methods = [
        Method::Get,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
    ];
    for m in methods {
        answer_then(
            &server,
            &format!("/{}", m.as_str()),
            1,
            ResponseTemplate::new(503),
            ResponseTemplate::new(204),
        )
        .await;
    }
    let client = client_at(&server.uri(), fast());

    for m in methods {
        let response = client
            .send(request(&client, m, &format!("/{}", m.as_str())))
            .await
            .unwrap();
        assert_eq!((response.status, response.attempts), (204, 2), "{m:?}");
    }
    assert_eq!(received(&server).await.len(), 10);
}

#[tokio::test]
async fn a_post_or_patch_answered_504_is_sent_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(504))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(504))
        .mount(&server)
        .await;
    answer_then(
        &server,
        "/get",
        1,
        ResponseTemplate::new(504),
        ResponseTemplate::new(204),
    )
    .await;
    let client = client_at(&server.uri(), fast());

    // The gateway gave up waiting, but the service may have acted: not sent again.
    for m in [Method::Post, Method::Patch] {
        let response = client.send(request(&client, m, "/x")).await.unwrap();
        let sent = received(&server).await;
        let sent = sent.iter().filter(|r| r.method.as_str() == m.as_str());
        assert_eq!(sent.count(), 1, "{m:?} was sent again");
        assert_eq!((response.status, response.attempts), (504, 1), "{m:?}");
    }
    // A GET is safe to repeat.
    let response = client
        .send(request(&client, Method::Get, "/get"))
        .await
        .unwrap();
    assert_eq!((response.status, response.attempts), (204, 2));
}

#[tokio::test]
async fn opted_in_ambiguous_retries_send_a_post_again() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(504))
        .mount(&server)
        .await;
    let resets = raw::serve(|_, mut stream| async move {
        raw::read_request(&mut stream).await?;
        raw::reset(stream);
        Ok(())
    })
    .await;
    let policy = fast().with_max_attempts(3).with_ambiguous_retries(true);
    let client = client_at(&server.uri(), policy.clone());
    let resetting = client_at(&resets.base, policy);

    let response = client
        .send(request(&client, Method::Post, "/x"))
        .await
        .unwrap();
    assert_eq!((response.status, response.attempts), (504, 3));
    assert_eq!(received(&server).await.len(), 3);

    let lost = resetting
        .send(request(&resetting, Method::Patch, "/x"))
        .await;
    assert!(matches!(lost, Err(Error::Transport(_))), "{lost:?}");
    assert_eq!(resets.connections(), 3);
}

// ---------------------------------------------------------------------------------------
// Connections that fail: retried when the request never arrived or is idempotent.

#[tokio::test]
async fn a_connect_failure_is_retried_even_for_a_post() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = client_at(&base, fast().with_max_attempts(3));

    let Err(Error::Transport(message)) = client.send(request(&client, Method::Post, "/x")).await
    else {
        panic!("expected a transport error");
    };
    assert!(message.contains("3 attempts"), "{message}");
}

#[tokio::test]
async fn a_reset_before_the_headers_retries_a_get() {
    let server = raw::serve(|number, mut stream| async move {
        raw::read_request(&mut stream).await?;
        if number < 2 {
            raw::reset(stream);
            return Ok(());
        }
        raw::answer(
            stream,
            "200 OK",
            &[("Content-Type", "application/json")],
            b"{\"ok\":true}",
        )
        .await
    })
    .await;
    let client = client_at(&server.base, fast());

    let response = client
        .send(request(&client, Method::Get, "/x"))
        .await
        .unwrap();

    assert_eq!((response.status, response.attempts), (200, 3));
    assert_eq!(server.connections(), 3);
}

#[tokio::test]
async fn a_reset_before_the_headers_is_not_resent_for_a_post() {
    let server = raw::serve(|_, mut stream| async move {
        raw::read_request(&mut stream).await?;
        raw::reset(stream);
        Ok(())
    })
    .await;
    let client = client_at(&server.base, fast());

    let result = client.send(request(&client, Method::Post, "/x")).await;

    assert!(matches!(result, Err(Error::Transport(_))), "{result:?}");
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn a_reset_in_the_middle_of_the_body_is_a_transport_error() {
    let server = raw::serve(|_, mut stream| async move {
        use tokio::io::AsyncWriteExt;
        raw::read_request(&mut stream).await?;
        stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"value\": [")
            .await?;
        stream.flush().await?;
        tokio::time::sleep(Duration::from_millis(5)).await;
        raw::reset(stream);
        Ok(())
    })
    .await;
    let client = client_at(&server.base, fast().with_max_attempts(3));

    let get = client.send(request(&client, Method::Get, "/x")).await;
    assert!(matches!(get, Err(Error::Transport(_))), "{get:?}");
    assert_eq!(server.connections(), 3, "a GET is sent again");

    let post = client.send(request(&client, Method::Post, "/x")).await;
    assert!(matches!(post, Err(Error::Transport(_))), "{post:?}");
    assert_eq!(server.connections(), 4, "a POST is sent once");
}

#[tokio::test]
async fn a_hanging_server_times_out_and_only_a_get_is_sent_again() {
    let server = raw::serve(|_, mut stream| async move {
        raw::read_request(&mut stream).await?;
        raw::hang(stream).await
    })
    .await;
    let client = Client::builder()
        .base_url(&server.base)
        .bearer_token(SECRET)
        .timeout(Duration::from_millis(60))
        .retry_policy(fast().with_max_attempts(2))
        .build()
        .unwrap();

    let started = Instant::now();
    let Err(Error::Transport(message)) = client.send(request(&client, Method::Get, "/x")).await
    else {
        panic!("expected a transport error");
    };
    assert!(message.contains("timed out"), "{message}");
    assert_eq!(server.connections(), 2);

    let post = client.send(request(&client, Method::Post, "/x")).await;
    assert!(matches!(post, Err(Error::Transport(_))), "{post:?}");
    assert_eq!(server.connections(), 3);
    assert!(started.elapsed() < Duration::from_secs(1));
}

// ---------------------------------------------------------------------------------------
// The time budget bounds the whole call, the attempt in flight included.

async fn hanging_server() -> raw::Server {
    raw::serve(|_, mut stream| async move {
        raw::read_request(&mut stream).await?;
        raw::hang(stream).await
    })
    .await
}

#[tokio::test]
async fn the_time_budget_ends_an_attempt_in_flight() {
    let server = hanging_server().await;
    // Each attempt may take 400 ms, the whole call 500 ms: the second attempt is cut short.
    let client = Client::builder()
        .base_url(&server.base)
        .bearer_token(SECRET)
        .timeout(Duration::from_millis(400))
        .retry_policy(fast().with_max_elapsed(Duration::from_millis(500)))
        .build()
        .unwrap();

    let started = Instant::now();
    let result = client.send(request(&client, Method::Get, "/x")).await;
    let took = started.elapsed();

    let Err(Error::Transport(message)) = &result else {
        panic!("expected a transport error, got {}", outcome(&result));
    };
    assert!(message.contains("time budget of 500ms"), "{message}");
    assert!(message.contains("2 attempts"), "{message}");
    assert!(took < Duration::from_millis(700), "the call took {took:?}");
    assert!(took >= Duration::from_millis(500), "the call took {took:?}");
    assert_eq!(server.connections(), 2);
}

#[tokio::test]
async fn the_time_budget_cuts_the_default_timeout_short() {
    let server = hanging_server().await;
    // The default timeout (100 s) with a 200 ms budget, as a 3 s timeout with a 4 s
    // budget, scaled down.
    let client = client_at(
        &server.base,
        fast().with_max_elapsed(Duration::from_millis(200)),
    );

    let started = Instant::now();
    let bounded = tokio::time::timeout(
        Duration::from_secs(3),
        client.send(request(&client, Method::Post, "/x")),
    )
    .await;
    let took = started.elapsed();

    let Ok(Err(Error::Transport(message))) = &bounded else {
        panic!("expected a transport error within 3 s, after {took:?}");
    };
    assert!(message.contains("time budget"), "{message}");
    assert!(took < Duration::from_millis(400), "the call took {took:?}");
    assert_eq!(server.connections(), 1);
}

#[test]
fn a_base_url_with_credentials_a_query_or_a_fragment_is_refused_unprinted() {
    for url in [
        "https://reviewer:pa55w0rd@graph.microsoft.com/v1.0",
        "https://pa55w0rd@graph.microsoft.com/v1.0",
        "https://graph.microsoft.com/v1.0?code=pa55w0rd",
        "https://graph.microsoft.com/v1.0#pa55w0rd",
        "https://reviewer:pa55w0rd@graph.microsoft.com:99999/v1.0",
    ] {
        let builder = Client::builder().bearer_token(SECRET).base_url(url);
        let shown = format!("{builder:?}");
        let result = builder.build();
        let Err(Error::Build(message)) = &result else {
            panic!("{url} was accepted: {result:?}");
        };
        for text in [shown, message.clone(), format!("{result:?}")] {
            assert!(!text.contains("pa55w0rd"), "{url}: {text}");
            assert!(!text.contains(SECRET_PART), "{url}: {text}");
        }
        assert!(message.contains("graph.microsoft.com"), "{message}");
    }
}

// ---------------------------------------------------------------------------------------
// Answers that are not what the operation expects: typed errors, nothing retried.

#[tokio::test]
async fn malformed_json_is_a_typed_decode_error() {
    let server = MockServer::start().await;
    Mock::given(path(format!("{INSTANCE}/decisions/x1")))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(&b"{\"id\": \"x1\", "[..], "application/json"),
        )
        .mount(&server)
        .await;
    let client = client_at(&server.uri(), fast());

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

    let Error::Decode { status, body, .. } = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!((*status, body.as_str()), (200, "{\"id\": \"x1\", "));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn an_html_502_is_a_status_error_that_keeps_the_body() {
    let server = MockServer::start().await;
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    Mock::given(path(INSTANCE))
        .respond_with(ResponseTemplate::new(502).set_body_raw(page.as_bytes(), "text/html"))
        .mount(&server)
        .await;
    let client = client_at(&server.uri(), fast());

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
        panic!("expected a status error, got {error:?}");
    };
    assert_eq!((status.status, status.attempts), (502, 1));
    assert_eq!(status.error, None);
    assert_eq!(status.body.as_deref(), Some(page));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn the_401_and_403_graph_envelopes_are_typed_status_errors() {
    let server = MockServer::start().await;
    for (status, code, message, at) in [
        (
            401,
            "InvalidAuthenticationToken",
            "Access token has expired or is not yet valid.",
            "/identityGovernance/accessReviews/definitions/expired",
        ),
        (
            403,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
            "/identityGovernance/accessReviews/definitions/denied",
        ),
    ] {
        Mock::given(path(at))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("request-id", "r-7")
                    .set_body_json(json!({"error": {
                        "code": code,
                        "message": message,
                        "innerError": {"date": "2024-05-01T10:00:00", "request-id": "r-7"}
                    }})),
            )
            .mount(&server)
            .await;
    }
    let client = client_at(&server.uri(), fast());

    for (id, status, code) in [
        ("expired", 401, "InvalidAuthenticationToken"),
        ("denied", 403, "Authorization_RequestDenied"),
    ] {
        let error = client
            .definitions()
            .by_id(id)
            .get()
            .send()
            .await
            .unwrap_err();
        let Error::Status(details) = &error else {
            panic!("expected a status error, got {error:?}");
        };
        assert_eq!((details.status, details.attempts), (status, 1));
        assert_eq!(details.error.as_ref().map(|e| e.code.as_str()), Some(code));
        assert_eq!(details.request_id.as_deref(), Some("r-7"));
        assert!(error.to_string().contains(code), "{error}");
        assert_no_secret(&[format!("{error}"), format!("{error:?}")]);
    }
    assert_eq!(received(&server).await.len(), 2);
}

// ---------------------------------------------------------------------------------------
// Bodies too large to hold: refused at the limit, with or without a Content-Length.

const LIMIT: u64 = 64 * 1024;

fn limited_client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .bearer_token(SECRET)
        .retry_policy(fast())
        .max_body_size(LIMIT)
        .timeout(Duration::from_millis(800))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_body_over_the_limit_with_a_content_length_is_refused() {
    let server = MockServer::start().await;
    let size = usize::try_from(LIMIT).unwrap();
    Mock::given(path("/at-limit"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![b' '; size], "text/plain"))
        .mount(&server)
        .await;
    Mock::given(path("/over"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![b' '; size + 1], "text/plain"))
        .mount(&server)
        .await;
    // Announces a gibibyte, sends 4 KiB, then waits: only a check of the Content-Length
    // ends this quickly.
    let announcing = raw::serve(|_, mut stream| async move {
        use tokio::io::AsyncWriteExt;
        raw::read_request(&mut stream).await?;
        stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\n\r\n")
            .await?;
        stream.write_all(&[b' '; 4096]).await?;
        raw::hang(stream).await
    })
    .await;
    let client = limited_client(&server.uri());
    let announced = limited_client(&announcing.base);

    let at_limit = client
        .send(request(&client, Method::Get, "/at-limit"))
        .await
        .unwrap();
    assert_eq!(at_limit.body.len(), size);
    let over = client.send(request(&client, Method::Get, "/over")).await;
    assert!(
        matches!(over, Err(Error::BodyTooLarge { limit: LIMIT })),
        "{}",
        outcome(&over)
    );
    assert_eq!(received(&server).await.len(), 2, "not retried");

    let started = Instant::now();
    let result = announced.send(request(&announced, Method::Get, "/x")).await;
    assert!(
        matches!(result, Err(Error::BodyTooLarge { limit: LIMIT })),
        "{}",
        outcome(&result)
    );
    assert!(started.elapsed() < Duration::from_millis(500));
    assert_eq!(announcing.connections(), 1);
}

#[tokio::test]
async fn a_body_over_the_limit_without_a_content_length_is_dropped_at_the_limit() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use tokio::io::AsyncWriteExt;

    // Streams 16 KiB pieces until 64 MiB are out (or the client goes away), chunked or
    // delimited by closing the connection: neither announces a length.
    const ENOUGH: usize = 64 * 1024 * 1024;
    for chunked in [true, false] {
        let written = Arc::new(AtomicUsize::new(0));
        let counter = written.clone();
        let server = raw::serve(move |_, mut stream| {
            let counter = counter.clone();
            async move {
                raw::read_request(&mut stream).await?;
                let framing = if chunked {
                    "Transfer-Encoding: chunked\r\n"
                } else {
                    "Connection: close\r\n"
                };
                let head = format!("HTTP/1.1 200 OK\r\n{framing}\r\n");
                stream.write_all(head.as_bytes()).await?;
                let piece = [b' '; 16 * 1024];
                while counter.load(Ordering::SeqCst) < ENOUGH {
                    if chunked {
                        stream.write_all(b"4000\r\n").await?;
                    }
                    stream.write_all(&piece).await?;
                    if chunked {
                        stream.write_all(b"\r\n").await?;
                    }
                    counter.fetch_add(piece.len(), Ordering::SeqCst);
                }
                raw::hang(stream).await
            }
        })
        .await;
        let client = limited_client(&server.base);

        let result = client.send(request(&client, Method::Get, "/x")).await;

        assert!(
            matches!(result, Err(Error::BodyTooLarge { limit: LIMIT })),
            "chunked: {chunked}: {}",
            outcome(&result)
        );
        assert_eq!(server.connections(), 1, "not retried");
        // The client stopped reading at the limit; what the server got out beyond that sat
        // in socket buffers, far below the 64 MiB it would have sent.
        let out = written.load(Ordering::SeqCst);
        assert!(
            out < ENOUGH / 2,
            "chunked: {chunked}: the server wrote {out} bytes"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Redirects: followed at home, refused elsewhere.

#[tokio::test]
async fn a_redirect_within_the_origin_is_followed_with_the_token() {
    let server = MockServer::start().await;
    Mock::given(path("/old"))
        .respond_with(ResponseTemplate::new(301).insert_header("Location", "/new"))
        .mount(&server)
        .await;
    Mock::given(path("/new"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"moved": true})))
        .mount(&server)
        .await;
    let client = client_at(&server.uri(), fast());

    let response = client
        .send(request(&client, Method::Get, "/old"))
        .await
        .unwrap();

    assert_eq!(response.status, 200);
    let sent = received(&server).await;
    assert_eq!(sent.len(), 2);
    let bearer = format!("Bearer {SECRET}");
    let token = sent[1].headers.get("authorization").map(|v| v.as_bytes());
    assert_eq!(token, Some(bearer.as_bytes()));
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_a_typed_error_and_not_followed() {
    let home = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    let target = format!("{}/x", elsewhere.uri());
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", target.as_str()))
        .mount(&home)
        .await;
    // A scheme-relative Location names another host too.
    Mock::given(path("/relative"))
        .respond_with(ResponseTemplate::new(308).insert_header("Location", "//other.invalid/x"))
        .with_priority(1)
        .mount(&home)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(307).insert_header("Location", target.as_str()))
        .mount(&home)
        .await;
    Mock::given(path("/x"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"from": "elsewhere"})))
        .mount(&elsewhere)
        .await;
    let client = client_at(&home.uri(), fast());

    for (m, at, status, to) in [
        (Method::Get, "/x", 302, target.as_str()),
        (Method::Post, "/x", 307, target.as_str()),
        (Method::Get, "/relative", 308, "//other.invalid/x"),
    ] {
        let result = client.send(request(&client, m, at)).await;
        match &result {
            Err(Error::Redirect {
                status: got,
                location,
            }) => assert_eq!((*got, location.as_str()), (status, to)),
            _ => panic!("{m:?}: expected a redirect error, got {}", outcome(&result)),
        }
    }
    assert!(received(&elsewhere).await.is_empty());
    assert_eq!(received(&home).await.len(), 3, "not retried");
}

#[tokio::test]
async fn a_given_http_client_redirected_elsewhere_is_a_typed_error() {
    let home = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    let target = format!("{}/x", elsewhere.uri());
    Mock::given(path("/x"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", target.as_str()))
        .mount(&home)
        .await;
    Mock::given(path("/x"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"from": "elsewhere"})))
        .mount(&elsewhere)
        .await;

    // A client that follows every redirect: the answer from elsewhere is refused.
    let following = Client::builder()
        .base_url(home.uri())
        .bearer_token(SECRET)
        .http_client(reqwest::Client::new())
        .build()
        .unwrap();
    let result = following.send(request(&following, Method::Get, "/x")).await;
    match &result {
        Err(Error::Redirect { location, .. }) => assert_eq!(location, &target),
        _ => panic!("expected a redirect error, got {}", outcome(&result)),
    }
    // reqwest itself dropped the token on the way to the other origin.
    let there = received(&elsewhere).await;
    assert_eq!(there.len(), 1);
    assert!(there[0].headers.get("authorization").is_none());

    // A client that follows none: the redirect comes back, and is refused the same.
    let stopping = Client::builder()
        .base_url(home.uri())
        .bearer_token(SECRET)
        .http_client(
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let result = stopping.send(request(&stopping, Method::Get, "/x")).await;
    match &result {
        Err(Error::Redirect { status, location }) => {
            assert_eq!((*status, location.as_str()), (302, target.as_str()))
        }
        _ => panic!("expected a redirect error, got {}", outcome(&result)),
    }
    assert_eq!(received(&elsewhere).await.len(), 1);
}

// ---------------------------------------------------------------------------------------
// The token stays home.

#[tokio::test]
async fn a_next_link_to_another_origin_is_refused_before_sending() {
    let home = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    let foreign = format!("{}{INSTANCE}/decisions?$skiptoken=2", elsewhere.uri());
    Mock::given(method("GET"))
        .and(path(format!("{INSTANCE}/decisions")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "1"}, {"id": "2"}],
            "@odata.nextLink": foreign,
        })))
        .mount(&home)
        .await;
    Mock::given(path(format!("{INSTANCE}/decisions")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .mount(&elsewhere)
        .await;
    let client = client_at(&home.uri(), fast());
    let decisions = client
        .definitions()
        .by_id("d1")
        .instances()
        .by_id("i1")
        .decisions();

    // Through the generated stream: the items of the first page, then the refusal.
    let items: Vec<_> = decisions.list().stream().collect().await;
    assert_eq!(items.len(), 3);
    assert!(items[..2].iter().all(Result::is_ok));
    let Err(Error::Build(message)) = &items[2] else {
        panic!("expected a build error, got {:?}", items[2]);
    };
    assert!(message.contains(&elsewhere.uri()), "{message}");
    assert_no_secret(std::slice::from_ref(message));

    // Through graph_runtime's pages, and try_collect stops at the refusal.
    let first = request(&client, Method::Get, &format!("{INSTANCE}/decisions"));
    let all: Result<Vec<serde_json::Value>, Error> = pages(&client, first).try_collect().await;
    assert!(matches!(all, Err(Error::Build(_))), "{all:?}");

    assert!(received(&elsewhere).await.is_empty());
    assert_eq!(received(&home).await.len(), 2);
}

#[tokio::test]
async fn the_token_is_never_printed() {
    let server = MockServer::start().await;
    Mock::given(path("/unauthorized"))
        .respond_with(ResponseTemplate::new(401).set_body_string("no"))
        .mount(&server)
        .await;
    Mock::given(path("/garbled"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{"))
        .mount(&server)
        .await;
    Mock::given(path("/moved"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", "https://example.com/x"))
        .mount(&server)
        .await;
    Mock::given(path("/big"))
        .respond_with(ResponseTemplate::new(200).set_body_string("x".repeat(100)))
        .mount(&server)
        .await;
    let resets = raw::serve(|_, mut stream| async move {
        raw::read_request(&mut stream).await?;
        raw::reset(stream);
        Ok(())
    })
    .await;
    let client = client_at(&server.uri(), fast());
    let resetting = client_at(&resets.base, fast().with_max_attempts(2));

    let status = client
        .send(request(&client, Method::Get, "/unauthorized"))
        .await
        .and_then(|r| decode_json::<serde_json::Value>(&r))
        .unwrap_err();
    let decode = client
        .send(request(&client, Method::Get, "/garbled"))
        .await
        .and_then(|r| decode_json::<serde_json::Value>(&r))
        .unwrap_err();
    let foreign = client
        .send(Request::new(
            Method::Get,
            "https://example.com/x".to_owned(),
        ))
        .await
        .unwrap_err();
    let transport = resetting
        .send(request(&resetting, Method::Get, "/x"))
        .await
        .unwrap_err();
    let redirect = client
        .send(request(&client, Method::Get, "/moved"))
        .await
        .unwrap_err();
    let limited = Client::builder()
        .base_url(server.uri())
        .bearer_token(SECRET)
        .max_body_size(10)
        .build()
        .unwrap();
    let too_large = limited
        .send(request(&limited, Method::Get, "/big"))
        .await
        .unwrap_err();
    let hanging = hanging_server().await;
    let out_of_time = client_at(
        &hanging.base,
        fast().with_max_elapsed(Duration::from_millis(50)),
    );
    let spent = out_of_time
        .send(request(&out_of_time, Method::Get, "/x"))
        .await
        .unwrap_err();
    let builder = Client::builder().bearer_token(SECRET);

    let mut texts = vec![
        format!("{client:?}"),
        format!("{resetting:?}"),
        format!("{builder:?}"),
    ];
    let errors = [
        &status, &decode, &foreign, &transport, &redirect, &too_large, &spent,
    ];
    for error in errors {
        texts.push(format!("{error}"));
        texts.push(format!("{error:?}"));
    }
    assert_no_secret(&texts);
    assert!(matches!(status, Error::Status(_)));
    assert!(matches!(decode, Error::Decode { .. }));
    assert!(matches!(foreign, Error::Build(_)));
    assert!(matches!(transport, Error::Transport(_)));
    assert!(matches!(redirect, Error::Redirect { status: 302, .. }));
    assert!(matches!(too_large, Error::BodyTooLarge { limit: 10 }));
    assert!(matches!(spent, Error::Transport(_)));
    // The secret was sent, just never shown.
    let sent = received(&server).await;
    assert!(sent
        .iter()
        .all(|r| r.headers.get("authorization").is_some()));
}

// ---------------------------------------------------------------------------------------
// The `review` example under the same faults: typed messages and exit codes, no panics.

/// A Graph stand-in for the example's three steps: two decisions (one pending), then 204s.
async fn review_service() -> MockServer {
    let server = MockServer::start().await;
    let decision = |id: &str, decision: &str| {
        json!({
            "id": id,
            "decision": decision,
            "principal": {"@odata.type": "#microsoft.graph.userIdentity", "userPrincipalName": format!("{id}@contoso.com")}
        })
    };
    Mock::given(method("GET"))
        .and(path(format!(
            "{INSTANCE}/decisions/filterByCurrentUser(on='reviewer')"
        )))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [decision("1", "Approve"), decision("2", "NotReviewed")]
        })))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(format!("{INSTANCE}/decisions/2")))
        .and(wiremock::matchers::body_partial_json(
            json!({"decision": "Approve"}),
        ))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{INSTANCE}/resetDecisions")))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

/// Runs the example on these arguments: its exit code, stdout and stderr.
async fn run_review(base_url: &str, extra: &[&str]) -> (std::process::ExitCode, String, String) {
    let mut argv = vec![
        "review",
        "--base-url",
        base_url,
        "--definition",
        "d1",
        "--instance",
        "i1",
    ];
    argv.extend_from_slice(extra);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = review::cli(argv, Some(SECRET.to_owned()), &mut out, &mut err).await;
    let text = |bytes: Vec<u8>| String::from_utf8_lossy(&bytes).into_owned();
    (code, text(out), text(err))
}

#[tokio::test]
async fn the_review_example_approves_and_resets() {
    let server = review_service().await;

    let (code, out, err) = run_review(&server.uri(), &[]).await;

    assert_eq!(code, std::process::ExitCode::SUCCESS, "{err}");
    assert!(
        out.contains("2 decision(s) for you on instance i1"),
        "{out}"
    );
    assert!(out.contains("2@contoso.com"), "{out}");
    assert!(out.contains("approved decision 2"), "{out}");
    assert!(out.contains("reset the decisions of instance i1"), "{out}");
    assert_eq!(err, "");
    let methods: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| r.method.to_string())
        .collect();
    assert_eq!(methods, ["GET", "PATCH", "POST"]);
}

#[tokio::test]
async fn the_review_example_fails_with_a_typed_message_under_faults() {
    let elsewhere = MockServer::start().await;
    // What each fault is, where it strikes, and what the error line must say.
    let faults = [
        (
            "POST",
            "resetDecisions",
            ResponseTemplate::new(504),
            "error: HTTP 504",
        ),
        (
            "GET",
            "decisions/filterByCurrentUser(on='reviewer')",
            ResponseTemplate::new(401).set_body_json(json!({"error": {
                "code": "InvalidAuthenticationToken",
                "message": "Access token has expired or is not yet valid."
            }})),
            "error: HTTP 401 InvalidAuthenticationToken: Access token has expired",
        ),
        (
            "PATCH",
            "decisions/2",
            ResponseTemplate::new(307).insert_header(
                "Location",
                format!("{}/elsewhere", elsewhere.uri()).as_str(),
            ),
            "refusing to follow a redirect outside the service's origin",
        ),
        (
            "GET",
            "decisions/filterByCurrentUser(on='reviewer')",
            ResponseTemplate::new(200).set_body_raw(&b"{\"value\": [{"[..], "application/json"),
            "error: HTTP 200: the body does not decode",
        ),
    ];
    for (verb, at, answer, says) in faults {
        let server = review_service().await;
        Mock::given(method(verb))
            .and(path(format!("{INSTANCE}/{at}")))
            .respond_with(answer)
            .with_priority(1)
            .mount(&server)
            .await;

        let (code, out, err) = run_review(&server.uri(), &[]).await;

        assert_eq!(code, std::process::ExitCode::FAILURE, "{verb} {at}: {out}");
        assert!(
            err.starts_with("error: ") && err.contains(says),
            "{verb} {at}: {err}"
        );
        assert_no_secret(&[out, err]);
        let sent = received(&server).await;
        let struck = sent.iter().filter(|r| r.method.as_str() == verb).count();
        assert_eq!(struck, 1, "{verb} {at} was sent {struck} times");
    }
    assert!(received(&elsewhere).await.is_empty());
}

#[tokio::test]
async fn the_review_example_reports_a_lost_connection_and_a_bad_base_url() {
    // The listing works, the POST that resets the decisions loses its connection.
    let server = raw::serve(|_, mut stream| async move {
        let head = raw::read_request(&mut stream).await?;
        if head.starts_with("GET ") {
            let page = b"{\"value\": []}";
            return raw::answer(
                stream,
                "200 OK",
                &[("Content-Type", "application/json")],
                page,
            )
            .await;
        }
        raw::reset(stream);
        Ok(())
    })
    .await;
    let (code, out, err) = run_review(&server.base, &[]).await;
    assert_eq!(code, std::process::ExitCode::FAILURE);
    assert!(out.contains("no decision is waiting for review"), "{out}");
    assert!(
        err.starts_with("error: cannot reach the service: "),
        "{err}"
    );
    assert!(err.contains("POST http://127.0.0.1:"), "{err}");
    assert_eq!(server.connections(), 2, "the POST is sent once");
    assert_no_secret(&[out, err]);

    // Credentials in the base URL: refused before anything is sent, and not printed.
    let (code, out, err) = run_review("https://me:pa55w0rd@graph.microsoft.com/v1.0", &[]).await;
    assert_eq!(code, std::process::ExitCode::FAILURE);
    assert!(
        err.starts_with("error: cannot build the request: the base URL"),
        "{err}"
    );
    assert!(!format!("{out}{err}").contains("pa55w0rd"), "{err}");

    // Arguments missing: a usage error, status 2.
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = review::cli(["review"], Some("t".to_owned()), &mut out, &mut err).await;
    assert_eq!(code, std::process::ExitCode::from(2));
    assert!(String::from_utf8_lossy(&err).contains("--definition"));

    // No token in the environment: a usage error too, and no request is made.
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let argv = ["review", "--definition", "d1", "--instance", "i1"];
    let code = review::cli(argv, None, &mut out, &mut err).await;
    assert_eq!(code, std::process::ExitCode::from(2));
    assert!(String::from_utf8_lossy(&err).contains("GRAPH_TOKEN"));

    // A token on the command line is refused: --token is not an option any more.
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let argv = [
        "review",
        "--token",
        "t",
        "--definition",
        "d1",
        "--instance",
        "i1",
    ];
    let code = review::cli(argv, Some("t".to_owned()), &mut out, &mut err).await;
    assert_eq!(code, std::process::ExitCode::from(2));
}
