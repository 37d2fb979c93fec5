//! Decoding one page of 100 access review decision items (a List decisions response) from
//! bytes, with the generated models and with three points of comparison: an untyped
//! `serde_json::Value`, a naive derived struct tree, and `IgnoredAny` (validation only).
//!
//! `generated` decodes the way every operation does, through `graph_runtime::http::decode_body`
//! (one UTF-8 check of the whole body, then decoding as text); `generated_from_slice` and
//! `naive_from_str` separate what the types do from what that entry point does: the
//! generated types through `serde_json::from_slice` like the other decoders, and the naive
//! types through the same whole-body check as `generated`.

use std::hint::black_box;

use access_reviews_models::AccessReviewInstanceDecisionItemCollectionResponse;
use bench::{decisions_page, PAGE_SIZE};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde_json::Value;

#[path = "../shared/decoders.rs"]
mod decoders;
use decoders::DECODERS;

/// Checks, before timing anything, that the generated decoder reads the whole page and
/// writes it back unchanged, so that the benchmark measures a correct decoder.
fn check_round_trip(page: &[u8]) {
    let decoded: AccessReviewInstanceDecisionItemCollectionResponse =
        serde_json::from_slice(page).expect("the generated models decode the page");
    assert_eq!(decoded.value.value().map(Vec::len), Some(PAGE_SIZE));
    let expected: Value = serde_json::from_slice(page).expect("the page is JSON");
    let encoded = serde_json::to_value(&decoded).expect("the generated models encode");
    assert_eq!(encoded, expected, "the generated models changed the page");
}

fn decode(c: &mut Criterion) {
    let page = decisions_page();
    check_round_trip(&page);

    let mut group = c.benchmark_group("decode_decisions_page");
    group.throughput(Throughput::Bytes(page.len() as u64));
    for decoder in &DECODERS {
        group.bench_function(decoder.name, |b| {
            b.iter(|| (decoder.decode)(black_box(&page)).expect("the page decodes"))
        });
    }
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
