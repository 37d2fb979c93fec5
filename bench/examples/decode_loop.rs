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

use std::time::{Duration, Instant};

use bench::decisions_page;

#[path = "../shared/decoders.rs"]
mod decoders;
use decoders::{Decoder, Outcome, DECODERS};

/// Decodes `page` with `decoder`, `times` times.
fn decode(decoder: &Decoder, page: &[u8], times: usize) -> Outcome {
    for _ in 0..times {
        (decoder.decode)(std::hint::black_box(page))?;
    }
    Ok(())
}

/// The decoder called `name`.
fn named(name: &str) -> Result<&'static Decoder, String> {
    DECODERS
        .iter()
        .find(|decoder| decoder.name == name)
        .ok_or_else(|| format!("unknown decoder {name:?}"))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let page = decisions_page();
    if args.first().map(String::as_str) == Some("profile") {
        let decoder = named(args.get(1).map_or("generated", String::as_str))?;
        let runs = args.get(2).map_or(Ok(1000), |n| n.parse())?;
        return decode(decoder, &page, runs);
    }
    let rounds: usize = args.first().map_or(Ok(400), |n| n.parse())?;
    const PER_ROUND: usize = 20;
    let mut times: Vec<Vec<Duration>> = vec![Vec::with_capacity(rounds); DECODERS.len()];
    for decoder in &DECODERS {
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
        println!("  {:<20} {median:8.1} µs", decoder.name);
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
