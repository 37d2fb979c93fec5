//! Mutation test of the whole generator: the project's v1.0 spec, broken in a few hundred
//! random ways, must never make the generator panic, and every error must say where in the
//! document it is (a JSON pointer).
//!
//! Each mutant is the parsed spec with a few structural changes applied to its JSON value
//! (a key removed, a type changed, a `$ref` pointed nowhere, a path parameter renamed, an
//! operation moved to HEAD, a value nested 100 to 300 deep...). It is written out as JSON or YAML
//! text and goes through the public pipeline in process: `parse_spec`, `resolve`, the
//! emitters and `format::rust_file` (which parses the emitted tokens as Rust). Only the
//! rustfmt pass is left out: it is a subprocess, too slow for hundreds of runs, and it sees
//! only what `rust_file` has already parsed. The random choices come from a xorshift
//! generator with a fixed seed, so a failure reproduces exactly; its message names the
//! mutant and the mutations applied.

use std::panic::{catch_unwind, AssertUnwindSafe};

use generator::emit::CrateDocs;
use generator::{format, operations, resolve, Error};
use serde_json::{json, Value};

/// How many mutants to try: enough to reach every mutation many times over, few enough to
/// run in seconds in a debug build. `GENERATOR_MUTANTS=5000 cargo test` tries more.
const MUTANTS: usize = 250;

fn mutants() -> usize {
    std::env::var("GENERATOR_MUTANTS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(MUTANTS)
}

/// About one mutant in this many also has its emitted files parsed as Rust.
const FORMAT_EVERY: usize = 25;

/// Fixed, so every run tries the same mutants.
const SEED: u64 = 0x9e37_79b9_7f4a_7c15;

/// Marsaglia's xorshift64: small, fast, and good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..bound` (`bound` > 0).
    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// The way down to one node: object keys and array indexes.
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

/// Every node of `value` with the way to it, outermost first.
fn all_paths(value: &Value) -> Vec<Vec<Step>> {
    let mut out = Vec::new();
    let mut pending = vec![(Vec::new(), value)];
    while let Some((path, node)) = pending.pop() {
        match node {
            Value::Object(map) => {
                for (key, child) in map {
                    let mut next = path.clone();
                    next.push(Step::Key(key.clone()));
                    pending.push((next, child));
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    let mut next = path.clone();
                    next.push(Step::Index(index));
                    pending.push((next, child));
                }
            }
            _ => {}
        }
        out.push(path);
    }
    out
}

fn node<'v>(value: &'v Value, path: &[Step]) -> Option<&'v Value> {
    let mut current = value;
    for step in path {
        current = match (step, current) {
            (Step::Key(key), Value::Object(map)) => map.get(key)?,
            (Step::Index(index), Value::Array(items)) => items.get(*index)?,
            _ => return None,
        };
    }
    Some(current)
}

fn node_mut<'v>(value: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    let mut current = value;
    for step in path {
        current = match (step, current) {
            (Step::Key(key), Value::Object(map)) => map.get_mut(key)?,
            (Step::Index(index), Value::Array(items)) => items.get_mut(*index)?,
            _ => return None,
        };
    }
    Some(current)
}

/// Paths to the nodes that are objects holding `key`.
fn holders(value: &Value, paths: &[Vec<Step>], key: &str) -> Vec<Vec<Step>> {
    paths
        .iter()
        .filter(|path| node(value, path).is_some_and(|n| n.get(key).is_some()))
        .cloned()
        .collect()
}

/// Where mutations can apply, found once in the unmutated spec. A mutant's earlier
/// mutations may have moved or removed a node; a way that no longer leads anywhere makes
/// that mutation a no-op.
struct Targets {
    all: Vec<Vec<Step>>,
    objects: Vec<Vec<Step>>,
    types: Vec<Vec<Step>>,
    refs: Vec<Vec<Step>>,
    parameters: Vec<Vec<Step>>,
    enums: Vec<Vec<Step>>,
    properties: Vec<Vec<Step>>,
}

impl Targets {
    fn of(spec: &Value) -> Self {
        let all = all_paths(spec);
        let objects = all
            .iter()
            .filter(|p| matches!(node(spec, p), Some(Value::Object(m)) if !m.is_empty()))
            .cloned()
            .collect();
        Targets {
            objects,
            types: holders(spec, &all, "type"),
            refs: holders(spec, &all, "$ref"),
            parameters: holders(spec, &all, "in"),
            enums: holders(spec, &all, "enum"),
            properties: holders(spec, &all, "properties"),
            all,
        }
    }
}

/// What the document's paths look like, for the mutations that target them.
const PATH_KEYS: &[&str] = &[
    "/x/{undeclared}",
    "/{}",
    "/x/../y",
    "/./x",
    "/x//y",
    "/x?$top=1",
    "/x#f",
    "/x/{a}/{a}",
    "/x/{open",
    "/x/close}",
    "/x/%2E%2e",
    "/x/f(a='{a}')",
    "/x/{a}{b}",
    "/",
    "/x/",
];

const TYPES: &[&str] = &[
    "object", "string", "integer", "number", "boolean", "array", "file", "null", "",
];

const REFS: &[&str] = &[
    "#/components/schemas/missing.type",
    "#/components/parameters/missing",
    "#/components/responses/missing",
    "#/components/requestBodies/missing",
    "#/paths/~1x",
    "other.yaml#/components/schemas/a",
    "#/components/schemas/",
    "not a reference",
    "#",
    "",
];

/// Applies one random mutation to `spec`; returns what it did, for the failure message.
fn mutate(spec: &mut Value, targets: &Targets, rng: &mut Rng) -> String {
    match rng.below(12) {
        // Remove a key.
        0 => {
            let path = rng.pick(&targets.objects);
            if let Some(Value::Object(map)) = node_mut(spec, path) {
                let keys: Vec<String> = map.keys().cloned().collect();
                if keys.is_empty() {
                    return "nothing".into();
                }
                let key = rng.pick(&keys).clone();
                map.remove(&key);
                return format!("removed {key} at {path:?}");
            }
            "nothing".into()
        }
        // Replace any node with a value of another shape.
        1 => {
            let path = rng.pick(&targets.all);
            let replacement = match rng.below(7) {
                0 => Value::Null,
                1 => json!(-1),
                2 => json!(1.5e300),
                3 => json!(true),
                4 => json!([]),
                5 => json!({}),
                _ => json!("\u{0}#/~1{}"),
            };
            if let Some(node) = node_mut(spec, path) {
                *node = replacement.clone();
            }
            format!("replaced {path:?} with {replacement}")
        }
        // Change a schema's type.
        2 => {
            let path = rng.pick(&targets.types);
            let ty = *rng.pick(TYPES);
            if let Some(Value::Object(map)) = node_mut(spec, path) {
                map.insert("type".into(), json!(ty));
            }
            format!("type {ty} at {path:?}")
        }
        // Point a $ref somewhere else: nowhere, or at another component.
        3 => {
            let path = rng.pick(&targets.refs);
            let target = if rng.chance(50) {
                let schemas: Vec<String> = spec["components"]["schemas"]
                    .as_object()
                    .map(|m| m.keys().cloned().collect())
                    .unwrap_or_default();
                format!("#/components/schemas/{}", rng.pick(&schemas))
            } else {
                (*rng.pick(REFS)).to_owned()
            };
            if let Some(Value::Object(map)) = node_mut(spec, path) {
                map.insert("$ref".into(), json!(target));
            }
            format!("$ref {target} at {path:?}")
        }
        // Rename a path key.
        4 => {
            let Some(map) = spec["paths"].as_object_mut() else {
                return "nothing".into();
            };
            let keys: Vec<String> = map.keys().cloned().collect();
            let old = rng.pick(&keys).clone();
            let new = match rng.below(3) {
                0 => (*rng.pick(PATH_KEYS)).to_owned(),
                1 => format!("{old}{}", rng.pick(PATH_KEYS)),
                _ => old.replacen('{', "{x", 1),
            };
            if let Some(item) = map.remove(&old) {
                map.insert(new.clone(), item);
            }
            format!("path {old} -> {new}")
        }
        // Rename, relocate or duplicate a parameter.
        5 => {
            let path = rng.pick(&targets.parameters);
            let how = rng.below(4);
            if how == 3 {
                // Duplicate it within its list.
                let (last, list_path) = match path.split_last() {
                    Some((Step::Index(last), rest)) => (*last, rest.to_vec()),
                    _ => return "nothing".into(),
                };
                if let Some(Value::Array(items)) = node_mut(spec, &list_path) {
                    if let Some(copy) = items.get(last).cloned() {
                        items.push(copy);
                    }
                }
                return format!("duplicated parameter {path:?}");
            }
            if let Some(Value::Object(map)) = node_mut(spec, path) {
                match how {
                    0 => {
                        map.insert("name".into(), json!("renamed"));
                    }
                    1 => {
                        let place = *rng.pick(&["path", "query", "header", "cookie", "body", ""]);
                        map.insert("in".into(), json!(place));
                    }
                    _ => {
                        map.remove("schema");
                    }
                }
            }
            format!("parameter change {how} at {path:?}")
        }
        // Move an operation to another method, HEAD, OPTIONS and TRACE included.
        6 => {
            let Some(map) = spec["paths"].as_object_mut() else {
                return "nothing".into();
            };
            let keys: Vec<String> = map.keys().cloned().collect();
            let key = rng.pick(&keys).clone();
            let Some(Value::Object(item)) = map.get_mut(&key) else {
                return "nothing".into();
            };
            let methods: Vec<String> = item
                .keys()
                .filter(|k| ["get", "post", "put", "patch", "delete"].contains(&k.as_str()))
                .cloned()
                .collect();
            if methods.is_empty() {
                return "nothing".into();
            }
            let from = rng.pick(&methods).clone();
            let to = *rng.pick(&["head", "options", "trace", "get", "post", "put", "delete"]);
            if let Some(operation) = item.remove(&from) {
                item.insert(to.to_owned(), operation);
            }
            format!("{key}: {from} -> {to}")
        }
        // Copy a component schema under a key that differs only in case or punctuation.
        7 => {
            let Some(schemas) = spec["components"]["schemas"].as_object_mut() else {
                return "nothing".into();
            };
            let keys: Vec<String> = schemas.keys().cloned().collect();
            let key = rng.pick(&keys).clone();
            let new = match rng.below(3) {
                0 => key.to_uppercase(),
                1 => key.replace('.', "_"),
                _ => format!("{key}.Self"),
            };
            if let Some(copy) = schemas.get(&key).cloned() {
                schemas.insert(new.clone(), copy);
            }
            format!("copied schema {key} to {new}")
        }
        // Make a schema refer to itself, directly or through allOf.
        8 => {
            let Some(schemas) = spec["components"]["schemas"].as_object_mut() else {
                return "nothing".into();
            };
            let keys: Vec<String> = schemas.keys().cloned().collect();
            let key = rng.pick(&keys).clone();
            let own = json!({ "$ref": format!("#/components/schemas/{key}") });
            let new = if rng.chance(50) {
                own
            } else {
                json!({ "allOf": [own, { "type": "object" }] })
            };
            schemas.insert(key.clone(), new);
            format!("{key} refers to itself")
        }
        // Nest a value far deeper than any spec.
        9 => {
            let path = rng.pick(&targets.all);
            let depth = 100 + rng.below(200);
            let mut deep = json!(1);
            for _ in 0..depth {
                deep = json!([deep]);
            }
            if let Some(node) = node_mut(spec, path) {
                *node = deep;
            }
            format!("nested {depth} deep at {path:?}")
        }
        // Enum members of other types, or none.
        10 => {
            let path = rng.pick(&targets.enums);
            let members = rng
                .pick(&[json!([]), json!([1, 2]), json!([null]), json!(["", ""])])
                .clone();
            if let Some(Value::Object(map)) = node_mut(spec, path) {
                map.insert("enum".into(), members.clone());
            }
            format!("enum {members} at {path:?}")
        }
        // Add combinators and discriminators where there were none.
        _ => {
            let path = rng.pick(&targets.properties);
            let key = *rng.pick(&["anyOf", "oneOf", "allOf", "not", "discriminator", "items"]);
            let value = match key {
                "discriminator" => {
                    json!({ "propertyName": "missing", "mapping": { "#x": "#/components/schemas/x" } })
                }
                "not" | "items" => json!({ "type": "string" }),
                _ => json!([{ "type": "object" }, { "type": "string" }]),
            };
            if let Some(Value::Object(map)) = node_mut(spec, path) {
                map.insert(key.into(), value);
            }
            format!("added {key} at {path:?}")
        }
    }
}

/// What one mutant did.
enum Outcome {
    Generated,
    Rejected(Error),
    Panicked,
}

/// Everything generation does but rustfmt: parse, resolve, emit both crates and, when
/// `format` is set, parse every emitted file as Rust.
fn generate(text: &str, is_json: bool, format: bool) -> Result<(), Error> {
    let spec = generator::parse_spec(text, is_json)?;
    let model = resolve::resolve(&spec)?;
    let docs = CrateDocs {
        title: &spec.info.title,
        version: &spec.info.version,
        source: "mutant.yaml",
    };
    let models = generator::emit::emit_models(&model, &docs);
    let api =
        operations::resolve_operations(&spec, &model).map_err(generator::Errors::into_first)?;
    let requests = generator::emit_requests::emit_requests(&api, &model, &docs, "mutant_models");
    let header = format::header("mutant.yaml");
    let rust = |tokens, path: &str| -> Result<(), Error> {
        if format {
            format::rust_file(&header, tokens, path)?;
        }
        Ok(())
    };
    rust(models.lib(), "src/lib.rs")?;
    rust(models.schema(), "src/schema.rs")?;
    for module in models.modules() {
        rust(models.module(module), &format!("src/{module}.rs"))?;
    }
    requests.with_emitter(|emitter| {
        for module in requests.modules() {
            rust(emitter.module(module), &format!("src/{module}.rs"))?;
        }
        rust(emitter.lib(), "src/lib.rs")
    })
}

/// Builds mutant `index` and runs it; the mutations applied come back for the report.
fn run_mutant(original: &Value, targets: &Targets, index: usize) -> (Outcome, String) {
    // Each mutant has its own stream of choices, so the threads can take them in any order.
    let mut rng = Rng((SEED ^ (index as u64).wrapping_mul(0x2545_f491_4f6c_dd1d)) | 1);
    for _ in 0..4 {
        rng.next();
    }
    let mut spec = original.clone();
    let count = 1 + rng.below(3);
    let applied: Vec<String> = (0..count)
        .map(|_| mutate(&mut spec, targets, &mut rng))
        .collect();
    // JSON text is written and parsed about five times faster than YAML in a debug build;
    // one mutant in ten is YAML.
    let as_json = rng.below(10) != 0;
    let text = if as_json {
        serde_json::to_string(&spec).expect("a JSON value serializes")
    } else {
        serde_yaml_ng::to_string(&spec).expect("a JSON value serializes as YAML")
    };
    // Parsing the emitted Rust costs more than the rest together, so about one mutant in
    // FORMAT_EVERY does it.
    let format = rng.below(FORMAT_EVERY) == 0;
    let outcome = match catch_unwind(AssertUnwindSafe(|| generate(&text, as_json, format))) {
        Ok(Ok(())) => Outcome::Generated,
        Ok(Err(error)) => Outcome::Rejected(error),
        Err(_) => Outcome::Panicked,
    };
    (
        outcome,
        format!(
            "mutant {index} ({}): {applied:?}",
            if as_json { "JSON" } else { "YAML" }
        ),
    )
}

#[test]
fn mutated_specs_never_panic_and_every_error_has_a_pointer() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/v1.0/access-reviews.yaml");
    let text = std::fs::read_to_string(&path).expect("the project spec");
    let original: Value = serde_yaml_ng::from_str(&text).expect("the project spec is YAML");
    let unmutated = serde_json::to_string(&original).expect("serializes");
    assert!(
        generate(&unmutated, true, false).is_ok(),
        "the unmutated spec generates"
    );
    let targets = Targets::of(&original);

    // A panic's message would interleave with the report; the test collects them instead.
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let total = mutants();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let results: Vec<(Outcome, String)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|worker| {
                let (original, targets) = (&original, &targets);
                scope.spawn(move || {
                    (worker..total)
                        .step_by(threads)
                        .map(|index| run_mutant(original, targets, index))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().expect("a worker thread"))
            .collect()
    });
    std::panic::set_hook(quiet);

    let (mut generated, mut rejected) = (0, 0);
    let (mut panics, mut unlocated) = (Vec::new(), Vec::new());
    for (outcome, what) in results {
        match outcome {
            Outcome::Generated => generated += 1,
            Outcome::Rejected(error) => {
                rejected += 1;
                if !error.location.starts_with('#') {
                    unlocated.push(format!("{what}: {error}"));
                }
            }
            Outcome::Panicked => panics.push(what),
        }
    }
    println!(
        "{total} mutants: {generated} generated, {rejected} rejected, {} panicked",
        panics.len()
    );
    assert!(panics.is_empty(), "panics: {panics:#?}");
    assert!(
        unlocated.is_empty(),
        "errors without a pointer: {unlocated:#?}"
    );
    // The mutations must reach both outcomes, or the test proves little.
    assert!(
        generated >= total / 10 && rejected >= total / 10,
        "{generated} generated, {rejected} rejected"
    );
}
