//! The decoders that `benches/decode.rs` (criterion) and `examples/decode_loop.rs`
//! (interleaved rounds) both time, in one list, so the two always compare the same things.
//! Each of them includes this file with `#[path]`: it needs the generated models, which are
//! only dev-dependencies of the bench crate, so it cannot live in the crate's library.

use std::hint::black_box;

use access_reviews_models::AccessReviewInstanceDecisionItemCollectionResponse;
use bench::NaivePage;
use graph_runtime::http::decode_body;

/// What one decoder's run returns: nothing, or why it could not decode the page.
pub type Outcome = Result<(), Box<dyn std::error::Error>>;

/// A named way to decode one page of decisions.
pub struct Decoder {
    pub name: &'static str,
    pub decode: fn(&[u8]) -> Outcome,
}

/// `generated` decodes as operations do, through `graph_runtime::http::decode_body` (one
/// UTF-8 check of the whole body, then decoding as text). `generated_from_slice` and
/// `naive_from_str` swap the entry points, to tell the types' part from the entry point's.
/// The first four are in the order the ratios are reported in.
pub const DECODERS: [Decoder; 6] = [
    Decoder {
        name: "generated",
        decode: |page| {
            black_box(decode_body::<
                AccessReviewInstanceDecisionItemCollectionResponse,
            >(page)?);
            Ok(())
        },
    },
    Decoder {
        name: "value",
        decode: |page| {
            black_box(serde_json::from_slice::<serde_json::Value>(page)?);
            Ok(())
        },
    },
    Decoder {
        name: "naive",
        decode: |page| {
            black_box(serde_json::from_slice::<NaivePage>(page)?);
            Ok(())
        },
    },
    Decoder {
        name: "ignored_any",
        decode: |page| {
            black_box(serde_json::from_slice::<serde::de::IgnoredAny>(page)?);
            Ok(())
        },
    },
    Decoder {
        name: "generated_from_slice",
        decode: |page| {
            black_box(serde_json::from_slice::<
                AccessReviewInstanceDecisionItemCollectionResponse,
            >(page)?);
            Ok(())
        },
    },
    Decoder {
        name: "naive_from_str",
        decode: |page| {
            black_box(decode_body::<NaivePage>(page)?);
            Ok(())
        },
    },
];
