//! Times the decoders of the decode benchmark interleaved: round after round, each decoder
//! decodes the page a few times, and the median of each decoder's rounds is reported with
//! its ratio to the others. On a shared machine, load that comes and goes then falls on all
//! decoders alike, where criterion (one decoder after another) can credit it to one of them.
//!
//! ```sh
//! cargo run --release -p bench --example decode_loop [ROUNDS]
//! ```
//!
//! With `profile DECODER RUNS`, it decodes with one decoder only, for a profiler.

use std::hint::black_box;
use std::time::{Duration, Instant};

use access_reviews_models::AccessReviewInstanceDecisionItemCollectionResponse;
use bench::{decisions_page, NaivePage};
use graph_runtime::http::decode_body;

/// As in `benches/decode.rs`: `generated` decodes as operations do, through
/// `graph_runtime::http::decode_body`; `generated_from_slice` and `naive_from_str` swap
/// the entry points, to tell the types' part from the entry point's.
const DECODERS: [&str; 6] = [
    "generated",
    "value",
    "naive",
    "ignored_any",
    "generated_from_slice",
    "naive_from_str",
];

/// Decodes `page` with `decoder`, `times` times.
fn decode(decoder: &str, page: &[u8], times: usize) -> Result<(), Box<dyn std::error::Error>> {
    for _ in 0..times {
        match decoder {
            "generated" => {
                black_box(decode_body::<
                    AccessReviewInstanceDecisionItemCollectionResponse,
                >(black_box(page))?);
            }
            "generated_from_slice" => {
                black_box(serde_json::from_slice::<
                    AccessReviewInstanceDecisionItemCollectionResponse,
                >(black_box(page))?);
            }
            "naive_from_str" => {
                black_box(decode_body::<NaivePage>(black_box(page))?);
            }
            "value" => {
                black_box(serde_json::from_slice::<serde_json::Value>(black_box(
                    page,
                ))?);
            }
            "naive" => {
                black_box(serde_json::from_slice::<NaivePage>(black_box(page))?);
            }
            "ignored_any" => {
                black_box(serde_json::from_slice::<serde::de::IgnoredAny>(black_box(
                    page,
                ))?);
            }
            other => return Err(format!("unknown decoder {other:?}").into()),
        }
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let page = decisions_page();
    if args.first().map(String::as_str) == Some("profile") {
        let decoder = args.get(1).map_or("generated", String::as_str);
        let runs = args.get(2).map_or(Ok(1000), |n| n.parse())?;
        return decode(decoder, &page, runs);
    }
    let rounds: usize = args.first().map_or(Ok(400), |n| n.parse())?;
    const PER_ROUND: usize = 20;
    let mut times: Vec<Vec<Duration>> = vec![Vec::with_capacity(rounds); DECODERS.len()];
    for decoder in DECODERS {
        decode(decoder, &page, 50)?; // warm up
    }
    for _ in 0..rounds {
        for (index, decoder) in DECODERS.iter().enumerate() {
            let start = Instant::now();
            decode(decoder, &page, PER_ROUND)?;
            times[index].push(start.elapsed() / PER_ROUND as u32);
        }
    }
    let medians: Vec<f64> = times
        .iter_mut()
        .map(|rounds| {
            rounds.sort();
            rounds[rounds.len() / 2].as_secs_f64() * 1e6
        })
        .collect();
    println!(
        "{} rounds of {PER_ROUND} decodes per decoder, interleaved; medians:",
        rounds
    );
    for (decoder, median) in DECODERS.iter().zip(&medians) {
        println!("  {decoder:<12} {median:8.1} µs");
    }
    let (generated, value, naive, ignored) = (medians[0], medians[1], medians[2], medians[3]);
    println!(
        "value / generated       = {:.2} (goal >= 2)",
        value / generated
    );
    println!(
        "generated / naive       = {:.2} (goal <= 1)",
        generated / naive
    );
    println!(
        "ignored_any / generated = {:.2} (stretch goal >= 0.25)",
        ignored / generated
    );
    println!(
        "generated_from_slice / naive = {:.2}; generated / naive_from_str = {:.2} (the types alone)",
        medians[4] / naive,
        generated / medians[5]
    );
    Ok(())
}
