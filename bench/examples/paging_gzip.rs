//! Paging throughput of `graph_client` against a loopback server that answers gzip, and one
//! that answers the same pages uncompressed: both servers run in this process (wiremock on
//! 127.0.0.1), and each run pages through [`PAGES`] pages of [`bench::PAGE_SIZE`] decision
//! items with the generated `decisions().list().stream()`, decoding every item. Runs
//! alternate between the two servers, round after round, so load on a shared machine falls
//! on both alike; the medians, their ratio and the bytes each run moves are printed.
//!
//! ```sh
//! cargo run --release -p bench --example paging_gzip [ROUNDS]
//! ```
//!
//! Loopback has no bandwidth limit, so this measures what compression costs the client
//! (inflating) against what it saves in bytes; on a real network the saving in transfer
//! time comes on top.

use std::io::Write;
use std::time::{Duration, Instant};

use access_reviews_models::AccessReviewInstanceDecisionItem;
use access_reviews_requests::Api as _;
use flate2::write::GzEncoder;
use flate2::Compression;
use futures::TryStreamExt;
use graph_client::{Client, RetryPolicy};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Pages per run.
const PAGES: usize = 20;
const DECISIONS: &str = "/identityGovernance/accessReviews/definitions/d/instances/i/decisions";
const NEXT_LINK: &[u8] = br#""@odata.nextLink":""#;

type Failure = Box<dyn std::error::Error>;

/// The fixture page with its `@odata.nextLink` pointing at `next` on the loopback server,
/// or without one (the last page).
fn page(template: &[u8], next: Option<&str>) -> Result<Vec<u8>, Failure> {
    let start = template
        .windows(NEXT_LINK.len())
        .position(|window| window == NEXT_LINK)
        .ok_or("the fixture page has no @odata.nextLink")?;
    let value = start + NEXT_LINK.len();
    let end = value
        + template[value..]
            .iter()
            .position(|&byte| byte == b'"')
            .ok_or("the @odata.nextLink is not closed")?;
    let mut page = template[..start].to_vec();
    match next {
        Some(next) => {
            page.extend_from_slice(NEXT_LINK);
            page.extend_from_slice(next.as_bytes());
            page.extend_from_slice(&template[end..]);
        }
        // Drop the member and the comma after it.
        None => page.extend_from_slice(&template[end + 2..]),
    }
    Ok(page)
}

fn gzip(bytes: &[u8]) -> Result<Vec<u8>, Failure> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}

/// Answers `?$skip=N` with page `N / PAGE_SIZE` (no `$skip`: the first page).
struct Pages {
    bodies: Vec<Vec<u8>>,
    gzip: bool,
}

impl Respond for Pages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let skip = request
            .url
            .query_pairs()
            .find(|(name, _)| name == "$skip")
            .and_then(|(_, value)| value.parse::<usize>().ok())
            .unwrap_or(0);
        match self.bodies.get(skip / bench::PAGE_SIZE) {
            Some(body) if self.gzip => ResponseTemplate::new(200)
                .insert_header("Content-Encoding", "gzip")
                .set_body_raw(body.clone(), "application/json"),
            Some(body) => ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"),
            None => ResponseTemplate::new(404),
        }
    }
}

/// A server with the run's pages, gzipped or not, and the bytes of body one run sends.
async fn serve(gzip_pages: bool) -> Result<(MockServer, Client, u64), Failure> {
    let server = MockServer::start().await;
    let template = bench::decisions_page();
    let mut bodies = Vec::with_capacity(PAGES);
    for index in 0..PAGES {
        let next = (index + 1 < PAGES).then(|| {
            format!(
                "{}{DECISIONS}?$skip={}",
                server.uri(),
                (index + 1) * bench::PAGE_SIZE
            )
        });
        let body = page(&template, next.as_deref())?;
        bodies.push(if gzip_pages { gzip(&body)? } else { body });
    }
    let bytes = bodies.iter().map(|body| body.len() as u64).sum();
    Mock::given(wiremock::matchers::path(DECISIONS))
        .respond_with(Pages {
            bodies,
            gzip: gzip_pages,
        })
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("t0ken")
        .retry_policy(RetryPolicy::none())
        .build()?;
    Ok((server, client, bytes))
}

/// One run: every page, every item decoded. Returns how long it took.
async fn run(client: &Client) -> Result<Duration, Failure> {
    let started = Instant::now();
    let items: Vec<AccessReviewInstanceDecisionItem> = client
        .definitions()
        .by_id("d")
        .instances()
        .by_id("i")
        .decisions()
        .list()
        .stream()
        .try_collect()
        .await?;
    let took = started.elapsed();
    if items.len() != PAGES * bench::PAGE_SIZE {
        return Err(format!("a run gave {} items", items.len()).into());
    }
    Ok(took)
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Failure> {
    let rounds: usize = match std::env::args().nth(1) {
        Some(text) => text.parse()?,
        None => 31,
    };
    let (_plain_server, plain, plain_bytes) = serve(false).await?;
    let (_gzip_server, gzipped, gzip_bytes) = serve(true).await?;
    // Warm up: connections made, code paged in.
    run(&plain).await?;
    run(&gzipped).await?;
    let (mut plain_times, mut gzip_times) = (Vec::new(), Vec::new());
    for _ in 0..rounds.max(1) {
        plain_times.push(run(&plain).await?);
        gzip_times.push(run(&gzipped).await?);
    }
    let (plain_median, gzip_median) = (median(&mut plain_times), median(&mut gzip_times));
    let items = (PAGES * bench::PAGE_SIZE) as f64;
    println!(
        "{PAGES} pages of {} decision items, {} rounds, medians of one run:",
        bench::PAGE_SIZE,
        rounds.max(1)
    );
    for (name, time, bytes) in [
        ("uncompressed", plain_median, plain_bytes),
        ("gzip", gzip_median, gzip_bytes),
    ] {
        println!(
            "  {name:<12} {:>8.2} ms  {:>9.0} items/s  {:>9} body bytes on the wire ({} a page)",
            time.as_secs_f64() * 1e3,
            items / time.as_secs_f64(),
            bytes,
            bytes / PAGES as u64,
        );
    }
    println!(
        "  gzip / uncompressed: time {:.2}x, bytes {:.3}x",
        gzip_median.as_secs_f64() / plain_median.as_secs_f64(),
        gzip_bytes as f64 / plain_bytes as f64
    );
    Ok(())
}
