//! The examples check: documented examples against the spec and the generated crates.
//!
//! This is the one crate that links the generated crates (with their `conformance`
//! feature), so that the codegen tool links nothing it generates: `cargo xtask examples
//! --check DIR` runs this crate's binary (`cargo run -p conformance -- check DIR`). The
//! tests of the generated crates live here too.
//!
//! Every example is either passed or failed, never skipped: every property a body shows
//! must be one the spec declares on its type (a failure kind of its own,
//! [`Failure::UndeclaredProperties`], since the round trip keeps unknown properties and so
//! can't see them), a body is decoded into its generated type and encoded back (compared as
//! JSON values), a resource-page example (placeholder values) is checked for shape, and a
//! body-less response is checked against the documented status codes. A directory without
//! examples is an error. Docs defects are tolerated only through the one lenient
//! pre-pass (`docs_tools::lenient`) or the errata list (`spec/errata.yaml`), and each tolerated
//! defect is printed.

#![deny(missing_docs)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use graph_runtime::schema::TypeInfo;
use openapiv3::{OpenAPI, ReferenceOr};
use serde::Deserialize;
use serde_json::Value;

use docs_tools::layout::{self, Example, ExampleKind};
use docs_tools::lenient;

mod undeclared;

use undeclared::Shape;
pub use undeclared::Undeclared;

/// The project's v1.0 spec, relative to the workspace root.
pub const V1_SPEC: &str = "spec/v1.0/access-reviews.yaml";

/// The project's beta spec, relative to the workspace root.
pub const BETA_SPEC: &str = "spec/beta/access-reviews.yaml";

/// The workspace root (the parent of conformance/), where spec/ is.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// One entry of `spec/errata.yaml`.
#[derive(Debug, Clone, Deserialize)]
pub struct Erratum {
    /// `<version>/<page>/<n>-<kind>`.
    pub example: String,
    /// A short name for the defect.
    pub defect: String,
    /// Why the example is accepted anyway.
    pub reason: String,
    /// The schema the example is of, when its annotation or operation doesn't say it right.
    #[serde(default, rename = "type")]
    pub type_name: Option<String>,
    /// Properties the example shows that the spec does not declare, accepted wherever they
    /// appear in it (any kind of example).
    #[serde(default)]
    pub extra_properties: Vec<String>,
    /// Values to correct before the round trip, by JSON pointer into the body as written.
    #[serde(default)]
    pub replace: BTreeMap<String, Value>,
    /// Members the example leaves out, added before the round trip: a JSON pointer whose
    /// parent object is in the body and whose last key is not.
    #[serde(default)]
    pub add: BTreeMap<String, Value>,
    /// The URL the request line should have written.
    #[serde(default)]
    pub request_url: Option<String>,
}

/// The errata list, keyed by example id; an example may have several entries, one per
/// defect, in the order the list gives them.
pub fn load_errata(path: &Path) -> Result<BTreeMap<String, Vec<Erratum>>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let list: Vec<Erratum> =
        serde_yaml_ng::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let mut errata: BTreeMap<String, Vec<Erratum>> = BTreeMap::new();
    for erratum in list {
        errata
            .entry(erratum.example.clone())
            .or_default()
            .push(erratum);
    }
    Ok(errata)
}

/// One example's errata as one correction: properties, replacements and additions together.
/// Two entries that set the type or the URL, or touch the same pointer, contradict each
/// other, and that is an error in the list.
fn merge_errata(entries: &[Erratum]) -> Result<Erratum> {
    let Some((first, rest)) = entries.split_first() else {
        anyhow::bail!("no errata to merge");
    };
    let mut merged = first.clone();
    for entry in rest {
        let id = &entry.example;
        if let Some(type_name) = &entry.type_name {
            if merged.type_name.replace(type_name.clone()).is_some() {
                anyhow::bail!("errata for {id}: more than one entry sets the type");
            }
        }
        if let Some(url) = &entry.request_url {
            if merged.request_url.replace(url.clone()).is_some() {
                anyhow::bail!("errata for {id}: more than one entry sets the request URL");
            }
        }
        merged
            .extra_properties
            .extend(entry.extra_properties.iter().cloned());
        for pointer in entry.replace.keys().chain(entry.add.keys()) {
            if merged.replace.contains_key(pointer) || merged.add.contains_key(pointer) {
                anyhow::bail!("errata for {id}: more than one entry changes {pointer}");
            }
        }
        merged.replace.extend(entry.replace.clone());
        merged.add.extend(entry.add.clone());
    }
    Ok(merged)
}

/// What the spec says about one operation's bodies.
struct Operation {
    method: String,
    template: String,
    request: Body,
    response: Body,
    statuses: Vec<String>,
}

#[derive(Clone)]
enum Body {
    None,
    Schema(String),
    Collection(String),
    Inline(Vec<String>),
}

/// The operations of a spec, for matching documented requests.
pub struct SpecIndex {
    operations: Vec<Operation>,
}

impl SpecIndex {
    /// Indexes the operations of `spec`: method, path template, bodies and 2xx statuses.
    pub fn new(spec: &OpenAPI) -> Self {
        let mut operations = Vec::new();
        for (path, item) in spec.paths.paths.iter() {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            for (method, operation) in item.iter() {
                let request = operation
                    .request_body
                    .as_ref()
                    .map(|body| match body {
                        ReferenceOr::Item(body) => body_of(
                            spec,
                            body.content
                                .get("application/json")
                                .and_then(|m| m.schema.as_ref()),
                        ),
                        ReferenceOr::Reference { .. } => Body::None,
                    })
                    .unwrap_or(Body::None);
                let mut response = Body::None;
                let mut statuses = Vec::new();
                for (status, reply) in operation.responses.responses.iter() {
                    let status = status.to_string();
                    if !status.starts_with('2') {
                        continue;
                    }
                    statuses.push(status);
                    let reply = match reply {
                        ReferenceOr::Item(reply) => Some(reply),
                        ReferenceOr::Reference { reference } => reference
                            .strip_prefix("#/components/responses/")
                            .and_then(|name| spec.components.as_ref()?.responses.get(name))
                            .and_then(|r| r.as_item()),
                    };
                    if let Some(schema) = reply
                        .and_then(|r| r.content.get("application/json"))
                        .and_then(|m| m.schema.as_ref())
                    {
                        response = body_of(spec, Some(schema));
                    }
                }
                operations.push(Operation {
                    method: method.to_uppercase(),
                    template: path.clone(),
                    request,
                    response,
                    statuses,
                });
            }
        }
        SpecIndex { operations }
    }

    /// The operation a documented request line names, if the spec has it.
    fn find(&self, method: &str, url: &str) -> Option<&Operation> {
        let path = request_path(url);
        self.operations.iter().find(|op| {
            op.method.eq_ignore_ascii_case(method)
                && graph_runtime::http::match_template(&op.template, &path).is_some()
        })
    }
}

/// What the check needs of one API version: its spec's operations and its generated crates.
pub struct Bindings {
    index: SpecIndex,
    type_info: fn(&str) -> Option<&'static TypeInfo>,
    roundtrip: fn(&str, Value) -> Option<Result<Value, serde_json::Error>>,
    rebuild: Rebuild,
}

type Rebuild = fn(
    &str,
    &str,
    &str,
    &[(String, String)],
    Option<Value>,
) -> Option<Result<graph_runtime::http::Request, graph_runtime::http::Error>>;

impl Bindings {
    /// The v1.0 spec and crates.
    pub fn v1(root: &Path) -> Result<Self> {
        Ok(Bindings {
            index: SpecIndex::new(&load(root, V1_SPEC)?),
            type_info: access_reviews_models::schema::type_info,
            roundtrip: access_reviews_models::schema::roundtrip,
            rebuild: access_reviews_requests::routes::rebuild,
        })
    }

    /// The beta spec and crates.
    pub fn beta(root: &Path) -> Result<Self> {
        Ok(Bindings {
            index: SpecIndex::new(&load(root, BETA_SPEC)?),
            type_info: access_reviews_beta_models::schema::type_info,
            roundtrip: access_reviews_beta_models::schema::roundtrip,
            rebuild: access_reviews_beta_requests::routes::rebuild,
        })
    }
}

fn load(root: &Path, spec: &str) -> Result<OpenAPI> {
    generator::load_spec(&root.join(spec)).map_err(|e| anyhow::anyhow!("{e}"))
}

/// Both versions and the errata: everything a check run reads besides the examples.
pub struct Checker {
    v1: Bindings,
    beta: Bindings,
    /// Every entry, to print each tolerated defect with its own reason.
    errata: BTreeMap<String, Vec<Erratum>>,
    /// Each example's entries merged into the one correction the check applies.
    corrections: BTreeMap<String, Erratum>,
}

impl Checker {
    /// Loads the specs and errata of the workspace at `root`.
    pub fn load(root: &Path) -> Result<Self> {
        let errata = load_errata(&root.join("spec/errata.yaml"))?;
        Ok(Checker {
            v1: Bindings::v1(root)?,
            beta: Bindings::beta(root)?,
            corrections: errata
                .iter()
                .map(|(id, entries)| Ok((id.clone(), merge_errata(entries)?)))
                .collect::<Result<_>>()?,
            errata,
        })
    }

    /// Beta examples are checked against the beta crates, the rest against v1.0.
    fn bindings(&self, example: &Example) -> &Bindings {
        match example.meta.version.as_deref() {
            Some("beta") => &self.beta,
            _ => &self.v1,
        }
    }
}

fn body_of(spec: &OpenAPI, schema: Option<&ReferenceOr<openapiv3::Schema>>) -> Body {
    match schema {
        None => Body::None,
        Some(ReferenceOr::Reference { reference }) => {
            match reference.strip_prefix("#/components/schemas/") {
                Some(key) => {
                    // A collection response component: check its items as their own type.
                    let item = spec
                        .components
                        .as_ref()
                        .and_then(|c| c.schemas.get(key))
                        .and_then(|s| s.as_item())
                        .and_then(collection_item);
                    match item {
                        Some(item) => Body::Collection(item),
                        None => Body::Schema(key.to_owned()),
                    }
                }
                None => Body::None,
            }
        }
        Some(ReferenceOr::Item(schema)) => match collection_item(schema) {
            Some(item) => Body::Collection(item),
            None => Body::Inline(object_properties(schema)),
        },
    }
}

/// The item schema of a `{value: [X]}` collection schema (directly or through allOf).
fn collection_item(schema: &openapiv3::Schema) -> Option<String> {
    let value = match &schema.schema_kind {
        openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) => {
            object.properties.get("value").cloned()
        }
        openapiv3::SchemaKind::AllOf { all_of } => all_of
            .iter()
            .filter_map(|part| part.as_item())
            .find_map(|part| match &part.schema_kind {
                openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) => {
                    object.properties.get("value").cloned()
                }
                _ => None,
            }),
        openapiv3::SchemaKind::Any(any) => any.properties.get("value").cloned(),
        _ => None,
    }?;
    let value = value.as_item()?;
    let items = match &value.schema_kind {
        openapiv3::SchemaKind::Type(openapiv3::Type::Array(array)) => array.items.clone()?,
        _ => return None,
    };
    match items {
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/schemas/")
            .map(str::to_owned),
        ReferenceOr::Item(_) => None,
    }
}

fn object_properties(schema: &openapiv3::Schema) -> Vec<String> {
    match &schema.schema_kind {
        openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) => {
            object.properties.keys().cloned().collect()
        }
        openapiv3::SchemaKind::Any(any) => any.properties.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// The path of a documented URL: without scheme, host, version and query. OData allows a
/// bound action or function with or without its namespace, so `microsoft.graph.` is dropped.
fn request_path(url: &str) -> String {
    let without_query = url.split('?').next().unwrap_or(url);
    let path = match without_query.find("://") {
        Some(scheme_end) => {
            let after = &without_query[scheme_end + 3..];
            after.find('/').map(|slash| &after[slash..]).unwrap_or("/")
        }
        None => without_query,
    };
    let path = ["/v1.0", "/beta"]
        .iter()
        .find_map(|prefix| path.strip_prefix(prefix))
        .unwrap_or(path);
    path.split('/')
        .map(|segment| segment.strip_prefix("microsoft.graph.").unwrap_or(segment))
        .collect::<Vec<_>>()
        .join("/")
}

/// Why an example failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The example shows properties the spec doesn't declare on their type: a misspelling,
    /// a property renamed or added since the spec was written, or one of another API
    /// version. Every such property is listed.
    UndeclaredProperties(Vec<Undeclared>),
    /// The example disagrees with the spec or the generated crates in another way (status,
    /// request line, a value that doesn't decode, a payload the round trip changes, ...).
    Mismatch(String),
}

impl Failure {
    /// One line per problem, as the check prints them after `FAIL <id>: `.
    pub fn lines(&self) -> Vec<String> {
        match self {
            Failure::UndeclaredProperties(found) => found.iter().map(|u| u.to_string()).collect(),
            Failure::Mismatch(message) => vec![message.clone()],
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.lines().join("; "))
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure::Mismatch(message)
    }
}

impl From<&str> for Failure {
    fn from(message: &str) -> Self {
        Failure::Mismatch(message.to_owned())
    }
}

/// The result of checking one example.
pub struct Outcome {
    /// `<version>/<page>/<n>-<kind>`.
    pub id: String,
    /// The example's file: its body, or its HTTP text when it has no body.
    pub file: PathBuf,
    /// Why the example failed; `None` when it passed.
    pub failure: Option<Failure>,
    /// The docs defects tolerated on the way (lenient repairs and errata), one line each.
    pub tolerated: Vec<String>,
}

/// Counts and lines of a whole check run.
pub struct Report {
    /// One outcome per example, in the order the layout loads them.
    pub outcomes: Vec<Outcome>,
}

impl Report {
    /// How many examples passed.
    pub fn passed(&self) -> usize {
        self.outcomes.iter().filter(|o| o.failure.is_none()).count()
    }
    /// How many examples failed.
    pub fn failed(&self) -> usize {
        self.outcomes.len() - self.passed()
    }
}

/// Checks every example under `dir`; a directory without any example is an error, so a
/// wrong path can't pass as "0 passed, 0 failed".
pub fn check_dir(dir: &Path, checker: &Checker) -> Result<Report> {
    let examples = layout::load_examples(dir)?;
    if examples.is_empty() {
        anyhow::bail!(
            "no examples under {}: expected <version>/<page>/<n>-<kind>.meta.json files",
            dir.display()
        );
    }
    // A response documents the operation of the request with the same page and number.
    let mut operations: BTreeMap<(PathBuf, u32), Option<&Operation>> = BTreeMap::new();
    for example in examples.iter().filter(|e| e.kind == ExampleKind::Request) {
        let index = &checker.bindings(example).index;
        let op = example
            .http
            .as_deref()
            .and_then(layout::parse_request_line)
            .and_then(|line| index.find(&line.method, &line.url));
        operations.insert((example.dir.clone(), example.index), op);
    }
    let mut outcomes = Vec::new();
    for example in &examples {
        let id = example_id(example);
        let erratum = checker.corrections.get(&id);
        let operation = operations
            .get(&(example.dir.clone(), example.index))
            .copied()
            .flatten();
        let mut tolerated = Vec::new();
        for entry in checker.errata.get(&id).into_iter().flatten() {
            tolerated.push(format!("{} (errata: {})", entry.defect, entry.reason));
        }
        let bindings = checker.bindings(example);
        let failure = check_example(bindings, example, operation, erratum, &mut tolerated).err();
        let extension = if example.json_text.is_some() {
            "json"
        } else {
            "http"
        };
        let file = example.dir.join(format!(
            "{}-{}.{extension}",
            example.index,
            example.kind.as_str()
        ));
        outcomes.push(Outcome {
            id,
            file,
            failure,
            tolerated,
        });
    }
    Ok(Report { outcomes })
}

/// `<version>/<page>/<n>-<kind>`, the id errata use.
pub fn example_id(example: &Example) -> String {
    let version = example
        .meta
        .version
        .clone()
        .unwrap_or_else(|| "unknown".to_owned());
    format!(
        "{version}/{}/{}-{}",
        example.page,
        example.index,
        example.kind.as_str()
    )
}

fn check_example(
    bindings: &Bindings,
    example: &Example,
    operation: Option<&Operation>,
    erratum: Option<&Erratum>,
    tolerated: &mut Vec<String>,
) -> Result<(), Failure> {
    if example.kind == ExampleKind::Response {
        let status = example
            .http
            .as_deref()
            .and_then(layout::parse_status_line)
            .ok_or("no status line")?;
        if let Some(op) = operation {
            let code = status.code.to_string();
            let documented = op
                .statuses
                .iter()
                .any(|s| s == &code || (s.ends_with("XX") && code.starts_with(&s[..1])));
            if !documented {
                return Err(format!(
                    "status {code} is not among the operation's responses {:?}",
                    op.statuses
                )
                .into());
            }
        }
    }
    let body = match example.json_text.as_deref() {
        Some(text) => Some(parse_body(text, erratum, tolerated)?),
        None => None,
    };
    let shape = shape_of(example, operation, erratum);
    let accepted = erratum
        .map(|e| e.extra_properties.as_slice())
        .unwrap_or(&[]);
    if example.kind == ExampleKind::Request {
        let mut line = example
            .http
            .as_deref()
            .and_then(layout::parse_request_line)
            .ok_or("no request line")?;
        if let Some(url) = erratum.and_then(|e| e.request_url.clone()) {
            line.url = url;
        }
        // The rebuilt request keeps unknown properties, so it can't see them: scan first.
        if let Some(value) = &body {
            check_declared(bindings, &shape, value, accepted)?;
        }
        if let Some(rebuilt) = check_rebuilt(bindings, &line, body.as_ref()) {
            return rebuilt.map_err(Failure::from);
        }
        if erratum.and_then(|e| e.type_name.as_ref()).is_none() {
            return Err(format!(
                "no operation in the spec matches {} {}",
                line.method,
                request_path(&line.url)
            )
            .into());
        }
    }
    let Some(value) = body else {
        return Ok(()); // No body: the request line or status line was the example.
    };
    let (type_name, collection) = match &shape {
        Shape::Typed { name, collection } => (name.clone(), *collection),
        Shape::Inline(_) => return check_declared(bindings, &shape, &value, accepted),
        Shape::Unknown => return Err("neither the example nor its operation names a type".into()),
    };
    if (bindings.type_info)(&type_name).is_none() {
        return Err(format!("type {type_name} is not in the spec").into());
    }
    if example.kind == ExampleKind::Resource {
        check_declared(bindings, &shape, &value, accepted)?;
        return check_shape(bindings, &value, &type_name, "$").map_err(Failure::from);
    }
    let (value, wrapper) = lenient::unwrap_value_wrapper(value, collection);
    if let Some(defect) = wrapper {
        tolerated.push(format!("{} ({})", defect.name(), defect.reason()));
    }
    check_declared(bindings, &shape, &value, accepted)?;
    if collection {
        let items = value
            .get("value")
            .and_then(Value::as_array)
            .ok_or("a collection without a `value` array")?;
        for (position, item) in items.iter().enumerate() {
            roundtrip(bindings, &type_name, item).map_err(|e| format!("value[{position}]: {e}"))?;
        }
        Ok(())
    } else {
        Ok(roundtrip(bindings, &type_name, &value)?)
    }
}

/// What the body of `example` should be: the type its erratum or annotation names, else the
/// body its operation declares.
fn shape_of(example: &Example, operation: Option<&Operation>, erratum: Option<&Erratum>) -> Shape {
    let declared = erratum
        .and_then(|e| e.type_name.clone())
        .or_else(|| example.meta.odata_type.clone());
    if let Some(name) = declared {
        let (inner, collection) = match name
            .strip_prefix("Collection(")
            .and_then(|n| n.strip_suffix(')'))
        {
            Some(inner) => (inner.to_owned(), true),
            None => (name, example.meta.is_collection.unwrap_or(false)),
        };
        let name = inner.trim_start_matches('#').to_owned();
        return Shape::Typed { name, collection };
    }
    let body = match example.kind {
        ExampleKind::Request => operation.map(|op| op.request.clone()),
        ExampleKind::Response => operation.map(|op| op.response.clone()),
        ExampleKind::Resource => None,
    };
    match body.unwrap_or(Body::None) {
        Body::Schema(name) => Shape::Typed {
            name,
            collection: false,
        },
        Body::Collection(name) => Shape::Typed {
            name,
            collection: true,
        },
        Body::Inline(properties) => Shape::Inline(properties),
        Body::None => Shape::Unknown,
    }
}

/// Fails with every documented property the spec doesn't declare (see [`Undeclared`]),
/// except those `accepted` by the example's erratum.
fn check_declared(
    bindings: &Bindings,
    shape: &Shape,
    value: &Value,
    accepted: &[String],
) -> Result<(), Failure> {
    let found = undeclared::scan(bindings.type_info, shape, value, accepted);
    if found.is_empty() {
        Ok(())
    } else {
        Err(Failure::UndeclaredProperties(found))
    }
}

/// Parses a documented body through the lenient pre-pass and the errata's corrections,
/// noting every tolerated defect.
fn parse_body(
    text: &str,
    erratum: Option<&Erratum>,
    tolerated: &mut Vec<String>,
) -> Result<Value, String> {
    let (mut value, defects) = lenient::parse_lenient(text)?;
    if let Some(erratum) = erratum {
        for (pointer, corrected) in &erratum.replace {
            let slot = value
                .pointer_mut(pointer)
                .ok_or_else(|| format!("errata pointer {pointer} is not in the body"))?;
            *slot = corrected.clone();
        }
        for (pointer, added) in &erratum.add {
            let (parent, key) = pointer
                .rsplit_once('/')
                .ok_or_else(|| format!("errata pointer {pointer} has no parent"))?;
            let key = key.replace("~1", "/").replace("~0", "~");
            let object = value
                .pointer_mut(parent)
                .and_then(Value::as_object_mut)
                .ok_or_else(|| format!("errata pointer {pointer}: no object at {parent}"))?;
            if object.contains_key(&key) {
                return Err(format!("errata pointer {pointer} is in the body already"));
            }
            object.insert(key, added.clone());
        }
    }
    for defect in &defects {
        tolerated.push(format!(
            "{} at {} ({})",
            defect.name(),
            defect.location(),
            defect.reason()
        ));
    }
    Ok(value)
}

/// Rebuilds a documented request with the generated builders and compares method, path,
/// query options and body with the documentation. `None` when no operation matches.
fn check_rebuilt(
    bindings: &Bindings,
    line: &layout::RequestLine,
    body: Option<&Value>,
) -> Option<Result<(), String>> {
    let (base, path, query) = split_url(&line.url);
    let documented_query = query_pairs(query);
    let rebuilt = (bindings.rebuild)(base, &line.method, path, &documented_query, body.cloned())?;
    let request = match rebuilt {
        Ok(request) => request,
        Err(error) => {
            return Some(Err(format!(
                "the builders cannot make this request: {error}"
            )))
        }
    };
    Some(compare_request(
        line,
        &request,
        path,
        documented_query,
        body,
    ))
}

fn compare_request(
    line: &layout::RequestLine,
    request: &graph_runtime::http::Request,
    documented_path: &str,
    mut documented_query: Vec<(String, String)>,
    body: Option<&Value>,
) -> Result<(), String> {
    if !request.method.as_str().eq_ignore_ascii_case(&line.method) {
        return Err(format!(
            "rebuilt as {} instead of {}",
            request.method.as_str(),
            line.method
        ));
    }
    let (_, rebuilt_path, rebuilt_query) = split_url(&request.url);
    if decode(rebuilt_path) != decode(documented_path) {
        return Err(format!(
            "rebuilt path {rebuilt_path} differs from {documented_path}"
        ));
    }
    let mut rebuilt_query = query_pairs(rebuilt_query);
    rebuilt_query.sort();
    documented_query.sort();
    if rebuilt_query != documented_query {
        return Err(format!(
            "rebuilt query {rebuilt_query:?} differs from {documented_query:?}"
        ));
    }
    let sent = match &request.body {
        Some(bytes) => Some(
            serde_json::from_slice::<Value>(bytes)
                .map_err(|e| format!("rebuilt body is not JSON: {e}"))?,
        ),
        None => None,
    };
    match (body, sent.as_ref()) {
        (None, None) => Ok(()),
        (Some(documented), Some(sent)) => match first_difference(documented, sent, "$") {
            None => Ok(()),
            Some(difference) => Err(format!("rebuilt body differs: {difference}")),
        },
        (Some(_), None) => Err("the documented body was not sent".to_owned()),
        (None, Some(_)) => Err("the rebuilt request has a body the documentation lacks".to_owned()),
    }
}

/// Splits a documented URL into the service root (`https://host/v1.0`), the path after it,
/// and the raw query.
fn split_url(url: &str) -> (&str, &str, &str) {
    let (without_query, query) = url.split_once('?').unwrap_or((url, ""));
    let after_scheme = without_query.find("://").map_or(0, |at| at + 3);
    let path_start = without_query[after_scheme..]
        .find('/')
        .map_or(without_query.len(), |at| at + after_scheme);
    // The first path segment is the version (`/v1.0`, `/beta`): it belongs to the root.
    let version_end = without_query[path_start..]
        .get(1..)
        .and_then(|rest| rest.find('/'))
        .map_or(without_query.len(), |at| path_start + 1 + at);
    (
        &without_query[..version_end],
        &without_query[version_end..],
        query,
    )
}

/// Query options as decoded name/value pairs.
fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// Decodes `value` as the generated type for `type_name`, encodes it back and compares.
fn roundtrip(bindings: &Bindings, type_name: &str, value: &Value) -> Result<(), String> {
    let back = (bindings.roundtrip)(type_name, value.clone())
        .ok_or_else(|| format!("type {type_name} is not in the spec"))?
        .map_err(|e| format!("does not decode as {type_name}: {e}"))?;
    match first_difference(value, &back, "$") {
        None => Ok(()),
        Some(difference) => Err(format!(
            "round trip through {type_name} changed the payload: {difference}"
        )),
    }
}

fn first_difference(expected: &Value, actual: &Value, path: &str) -> Option<String> {
    match (expected, actual) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                match b.get(key) {
                    None => return Some(format!("{path}.{key} was dropped")),
                    Some(other) => {
                        if let Some(d) = first_difference(value, other, &format!("{path}.{key}")) {
                            return Some(d);
                        }
                    }
                }
            }
            b.keys()
                .find(|key| !a.contains_key(*key))
                .map(|key| format!("{path}.{key} was added"))
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| first_difference(x, y, &format!("{path}[{i}]"))),
        _ if expected == actual => None,
        _ => Some(format!("{path}: {expected} became {actual}")),
    }
}

/// Shape check for resource-page examples, whose values are placeholders: every nested
/// `@odata.type` names a type the spec has that is the declared type or derives from it.
/// (Properties the schema lacks are the undeclared-property scan's to report.)
fn check_shape(
    bindings: &Bindings,
    value: &Value,
    type_name: &str,
    path: &str,
) -> Result<(), String> {
    let Some(info) = (bindings.type_info)(type_name) else {
        return Err(format!("{path}: type {type_name} is not in the spec"));
    };
    let object = match value {
        Value::Object(object) => object,
        Value::Array(items) => {
            for (position, item) in items.iter().enumerate() {
                check_shape(bindings, item, type_name, &format!("{path}[{position}]"))?;
            }
            return Ok(());
        }
        _ => return Ok(()),
    };
    let mut actual_type = info;
    if let Some(named) = object.get("@odata.type").and_then(Value::as_str) {
        let named = named.trim_start_matches('#');
        let Some(named_info) = (bindings.type_info)(named) else {
            return Err(format!(
                "{path}.@odata.type: {named} is not a type in the spec"
            ));
        };
        if named != type_name && !info.derived.contains(&named) {
            return Err(format!(
                "{path}.@odata.type: {named} does not derive from {type_name}"
            ));
        }
        actual_type = named_info;
    }
    for (key, nested) in object {
        let Some(property) = actual_type.property(key) else {
            continue;
        };
        if let Some(nested_type) = property.type_name {
            if nested.is_object() || nested.is_array() {
                if let Some(nested_info) = (bindings.type_info)(nested_type) {
                    if nested_info.kind == graph_runtime::schema::SchemaKind::Object {
                        check_shape(bindings, nested, nested_type, &format!("{path}.{key}"))?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// `conformance check DIR` (`cargo xtask examples --check DIR`): checks every example and
/// prints the report, as text or as JSON ([`Format`]); true when none failed.
///
/// The text leads with `N passed, N failed`, then one `FAIL` line per problem; the docs
/// defects tolerated on the way (`tolerated` lines) only with `verbose`, since on the docs
/// there are dozens and they would bury the failures.
pub fn run_check(dir: &Path, verbose: bool, format: Format) -> Result<bool> {
    let checker = Checker::load(&workspace_root())?;
    let report = check_dir(dir, &checker)?;
    match format {
        Format::Human => {
            println!("{} passed, {} failed", report.passed(), report.failed());
            for outcome in &report.outcomes {
                if let Some(failure) = &outcome.failure {
                    for line in failure.lines() {
                        println!("FAIL {}: {line}", outcome.id);
                    }
                }
            }
            if verbose {
                for outcome in &report.outcomes {
                    for note in &outcome.tolerated {
                        println!("tolerated {}: {note}", outcome.id);
                    }
                }
            }
        }
        Format::Json => {
            let text = serde_json::to_string_pretty(&report.to_json(dir))
                .context("writing the JSON report")?;
            println!("{text}");
        }
    }
    Ok(report.failed() == 0)
}

/// How the check prints its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Lines for a person: the summary, then the failures.
    Human,
    /// One JSON document, [`docs_tools::report::ExamplesReport`].
    Json,
}

impl Report {
    /// The machine-readable form of this report, for the check of `dir`.
    pub fn to_json(&self, dir: &Path) -> docs_tools::report::ExamplesReport {
        use docs_tools::report::{ExampleFailure, ExamplesReport, ToleratedDefect, SCHEMA};
        let failures = self
            .outcomes
            .iter()
            .filter_map(|outcome| {
                let failure = outcome.failure.as_ref()?;
                Some(ExampleFailure {
                    example: outcome.id.clone(),
                    file: outcome.file.display().to_string(),
                    messages: failure.lines(),
                })
            })
            .collect();
        let tolerated = self
            .outcomes
            .iter()
            .flat_map(|outcome| {
                outcome.tolerated.iter().map(|defect| ToleratedDefect {
                    example: outcome.id.clone(),
                    defect: defect.clone(),
                })
            })
            .collect();
        ExamplesReport {
            schema: SCHEMA.to_owned(),
            dir: dir.display().to_string(),
            passed: self.passed(),
            failed: self.failed(),
            failures,
            tolerated,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The seed pages' examples, extracted into spec/fixtures, all go through the generated
    /// types and back unchanged (or fail only for a defect the errata name).
    #[test]
    fn seed_fixtures_round_trip() {
        let root = workspace_root();
        let checker = Checker::load(&root).unwrap();
        let report = check_dir(&root.join("spec/fixtures"), &checker).unwrap();
        let failures: Vec<String> = report
            .outcomes
            .iter()
            .filter_map(|o| o.failure.as_ref().map(|f| format!("{}: {f}", o.id)))
            .collect();
        assert!(failures.is_empty(), "{failures:#?}");
        assert_eq!(
            report.outcomes.len(),
            14,
            "the five seed pages hold 14 examples"
        );
    }

    #[test]
    fn a_changed_payload_is_reported_with_its_path() {
        // The generated types lose nothing, so the difference is made by hand here.
        let sent = serde_json::json!({"id": "x", "insights": null, "scopes": [{"q": 1}]});
        let dropped = serde_json::json!({"id": "x", "scopes": [{"q": 1}]});
        assert_eq!(
            first_difference(&sent, &dropped, "$").as_deref(),
            Some("$.insights was dropped")
        );
        let changed = serde_json::json!({"id": "x", "insights": null, "scopes": [{"q": 2}]});
        let difference = first_difference(&sent, &changed, "$").unwrap_or_default();
        assert!(difference.starts_with("$.scopes[0].q"), "{difference}");
        // Payloads go through unchanged: explicit nulls (on a collection too) and unknown
        // properties included.
        let v1 = Bindings::v1(&workspace_root()).unwrap();
        for value in [
            serde_json::json!({"id": "x", "insights": null, "decision": null}),
            serde_json::json!({"id": null, "@odata.type": null, "newerProperty": [1, 2]}),
        ] {
            roundtrip(
                &v1,
                "microsoft.graph.accessReviewInstanceDecisionItem",
                &value,
            )
            .unwrap();
        }
    }

    #[test]
    fn documented_requests_are_rebuilt_with_the_builders() {
        let v1 = Bindings::v1(&workspace_root()).unwrap();
        let line = |method: &str, url: &str| layout::RequestLine {
            method: method.to_owned(),
            url: url.to_owned(),
            headers: Vec::new(),
        };
        let base = "https://graph.microsoft.com/v1.0/identityGovernance/accessReviews/definitions/d/instances/i";
        let patch = line("PATCH", &format!("{base}/decisions/x"));
        let body = serde_json::json!({"decision": "Approve", "justification": "still needed"});
        assert_eq!(check_rebuilt(&v1, &patch, Some(&body)), Some(Ok(())));
        // A body that doesn't decode as the operation's body type is caught.
        let body = serde_json::json!({"decision": 5});
        assert!(matches!(
            check_rebuilt(&v1, &patch, Some(&body)),
            Some(Err(_))
        ));
        let list = line(
            "GET",
            &format!("{base}/decisions?$top=5&$filter=decision eq 'Deny'"),
        );
        assert_eq!(check_rebuilt(&v1, &list, None), Some(Ok(())));
        let bad = line("GET", &format!("{base}/decisions?$top=five"));
        assert!(
            matches!(check_rebuilt(&v1, &bad, None), Some(Err(error)) if error.contains("$top"))
        );
        let unknown = line("GET", &format!("{base}/nothingHere"));
        assert_eq!(check_rebuilt(&v1, &unknown, None), None);
        let function = line(
            "GET",
            &format!("{base}/decisions/filterByCurrentUser(on='reviewer')"),
        );
        assert_eq!(check_rebuilt(&v1, &function, None), Some(Ok(())));
    }

    fn erratum(yaml: &str) -> Erratum {
        serde_yaml_ng::from_str(yaml).expect("an erratum")
    }

    #[test]
    fn several_errata_of_one_example_apply_together() {
        let misnamed = erratum(
            "{example: v1.0/p/1-response, defect: a, reason: r, extra_properties: [count]}",
        );
        let dated = erratum(
            "{example: v1.0/p/1-response, defect: b, reason: r, replace: {/d: x}, add: {/o/@odata.type: t}}",
        );
        let merged = merge_errata(&[misnamed.clone(), dated.clone()]).expect("merges");
        assert_eq!(merged.extra_properties, ["count"]);
        assert_eq!(merged.replace.len() + merged.add.len(), 2);
        let again = merge_errata(&[dated.clone(), dated]).expect_err("contradicts");
        assert!(again.to_string().contains("/d"), "{again}");

        let mut tolerated = Vec::new();
        let body =
            parse_body(r#"{"d": 1, "o": {}}"#, Some(&merged), &mut tolerated).expect("applies");
        assert_eq!(
            body,
            serde_json::json!({"d": "x", "o": {"@odata.type": "t"}})
        );
        // An addition must add: a member already there, or no parent object, is an error.
        let present = parse_body(
            r#"{"d": 1, "o": {"@odata.type": "u"}}"#,
            Some(&merged),
            &mut tolerated,
        );
        assert!(present.is_err());
        let orphan = parse_body(r#"{"d": 1}"#, Some(&merged), &mut tolerated);
        assert!(orphan.is_err());
    }

    #[test]
    fn urls_split_into_root_path_and_query() {
        assert_eq!(
            split_url("https://graph.microsoft.com/v1.0/a/b?$top=1"),
            ("https://graph.microsoft.com/v1.0", "/a/b", "$top=1")
        );
        assert_eq!(split_url("https://h/beta"), ("https://h/beta", "", ""));
        assert_eq!(
            query_pairs("$filter=a%20eq%20'b'&$top=2"),
            [
                ("$filter".to_owned(), "a eq 'b'".to_owned()),
                ("$top".to_owned(), "2".to_owned())
            ]
        );
    }

    #[test]
    fn documented_urls_lose_host_version_query_and_namespace() {
        assert_eq!(
            request_path("https://graph.microsoft.com/v1.0/a/b/microsoft.graph.stop?$top=1"),
            "/a/b/stop"
        );
    }
}
