//! How long the generator takes, for the project's spec and for the upstream
//! identity-governance document (about 3 MB of YAML), broken into:
//!
//! - `parse`: YAML text into `openapiv3` ([`generator::parse_spec`]);
//! - `in_process`: resolve, emit and format each file with prettyplease, the part of
//!   [`generator::generate_models`] that runs in this process;
//! - `generate_models`: all of [`generator::generate_models`], including its final rustfmt
//!   subprocess over scratch files;
//! - `end_to_end`: `parse` then `generate_models`, what `cargo xtask codegen` does per spec.
//!
//! The upstream document is read from `$SHARED_DIR/graph/upstream/` (default: the `shared`
//! directory next to the workspace) and skipped with a note when it is missing.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode};
use generator::{emit, format, resolve, Files, Options};

/// The same composition as [`generator::generate_models`] without its rustfmt pass.
fn generate_in_process(spec: &openapiv3::OpenAPI, options: &Options) -> Files {
    let model = resolve::resolve(spec).expect("the spec resolves");
    let docs = emit::CrateDocs {
        title: &spec.info.title,
        version: &spec.info.version,
        source: &options.source_label,
    };
    let emitted = emit::emit_models(&model, &docs);
    let header = format::header(&options.source_label);
    let mut files = Files::new();
    files.insert(
        "Cargo.toml".to_owned(),
        format::cargo_toml(options, &spec.info, &header),
    );
    let rust = |tokens, path: &str| format::rust_file(&header, tokens, path).expect("formats");
    files.insert("src/lib.rs".to_owned(), rust(emitted.lib(), "src/lib.rs"));
    files.insert(
        "src/schema.rs".to_owned(),
        rust(emitted.schema(), "src/schema.rs"),
    );
    for module in emitted.modules() {
        let path = format!("src/{module}.rs");
        let text = rust(emitted.module(module), &path);
        files.insert(path, text);
    }
    files
}

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
        let parsed = generator::parse_spec(&spec.text, false).expect("the spec parses");
        // The in-process part must make the same files as the whole pipeline.
        let full = generator::generate_models(&parsed, &options).expect("the spec generates");
        let partial = generate_in_process(&parsed, &options);
        assert!(
            full.keys().eq(partial.keys()),
            "the in-process composition no longer matches generate_models"
        );
        eprintln!(
            "{}: {} bytes of YAML, {} generated files",
            spec.name,
            spec.text.len(),
            full.len()
        );

        group.bench_function(BenchmarkId::new("parse", spec.name), |b| {
            b.iter(|| generator::parse_spec(black_box(&spec.text), false).unwrap())
        });
        group.bench_function(BenchmarkId::new("in_process", spec.name), |b| {
            b.iter(|| generate_in_process(black_box(&parsed), &options))
        });
        group.bench_function(BenchmarkId::new("generate_models", spec.name), |b| {
            b.iter(|| generator::generate_models(black_box(&parsed), &options).unwrap())
        });
        group.bench_function(BenchmarkId::new("end_to_end", spec.name), |b| {
            b.iter(|| {
                let parsed = generator::parse_spec(black_box(&spec.text), false).unwrap();
                generator::generate_models(&parsed, &options).unwrap()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, generation);
criterion_main!(benches);
