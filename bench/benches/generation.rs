//! How long the generator takes, for the project's spec and for the upstream
//! identity-governance document (about 3 MB of YAML), broken into:
//!
//! - `parse`: YAML text into `openapiv3` ([`generator::parse_spec`]);
//! - `generate_models`: resolve, emit and format the models crate (all in process: there is
//!   no formatter subprocess);
//! - `generate_crates`: the models and the requests crate, as `cargo xtask codegen` makes
//!   them (without writing files);
//! - `end_to_end`: `parse` then `generate_crates`.
//!
//! The upstream document is read from `$SHARED_DIR/graph/upstream/` (default: the `shared`
//! directory next to the workspace) and skipped with a note when it is missing. Whole
//! commands, file writing included, are measured by `bench/vs-progenitor.sh` and
//! `bench/graph-all.sh`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode};
use generator::{Options, RequestsOptions};

struct Spec {
    name: &'static str,
    label: &'static str,
    text: String,
}

fn specs() -> Vec<Spec> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ours = manifest.join("../spec/v1.0/access-reviews.yaml");
    let mut specs = vec![Spec {
        name: "access_reviews",
        label: "spec/v1.0/access-reviews.yaml",
        text: std::fs::read_to_string(&ours)
            .unwrap_or_else(|e| panic!("reading {}: {e}", ours.display())),
    }];
    let shared = std::env::var_os("SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../../shared"));
    let upstream = shared.join("graph/upstream/identity-governance.v1.0.yaml");
    match std::fs::read_to_string(&upstream) {
        Ok(text) => specs.push(Spec {
            name: "identity_governance",
            label: "identity-governance.v1.0.yaml",
            text,
        }),
        Err(e) => eprintln!(
            "note: skipping the identity-governance benchmarks: cannot read {} ({e}); set SHARED_DIR to the directory holding graph/upstream/",
            upstream.display()
        ),
    }
    specs
}

fn generation(c: &mut Criterion) {
    let mut group = c.benchmark_group("generation");
    // Runs take milliseconds to seconds: ten samples of a fixed iteration count each.
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_secs(1));
    for spec in specs() {
        let options = Options {
            crate_name: "access-reviews-models".to_owned(),
            runtime_dependency: "{ path = \"../../../runtime\" }".to_owned(),
            source_label: spec.label.to_owned(),
            standalone: false,
        };
        let requests = RequestsOptions {
            crate_name: "access-reviews-requests".to_owned(),
            models_crate_name: "access-reviews-models".to_owned(),
            models_dependency: "{ path = \"../models\" }".to_owned(),
        };
        let parsed = generator::parse_spec(&spec.text, false).expect("the spec parses");
        let (models, requests_files) =
            generator::generate_crates(&parsed, &options, &requests).expect("the spec generates");
        eprintln!(
            "{}: {} bytes of YAML, {} + {} generated files",
            spec.name,
            spec.text.len(),
            models.len(),
            requests_files.len()
        );

        group.bench_function(BenchmarkId::new("parse", spec.name), |b| {
            b.iter(|| generator::parse_spec(black_box(&spec.text), false).unwrap())
        });
        group.bench_function(BenchmarkId::new("generate_models", spec.name), |b| {
            b.iter(|| generator::generate_models(black_box(&parsed), &options).unwrap())
        });
        group.bench_function(BenchmarkId::new("generate_crates", spec.name), |b| {
            b.iter(|| generator::generate_crates(black_box(&parsed), &options, &requests).unwrap())
        });
        group.bench_function(BenchmarkId::new("end_to_end", spec.name), |b| {
            b.iter(|| {
                let parsed = generator::parse_spec(black_box(&spec.text), false).unwrap();
                generator::generate_crates(&parsed, &options, &requests).unwrap()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, generation);
criterion_main!(benches);
