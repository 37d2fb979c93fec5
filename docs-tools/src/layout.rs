//! The on-disk layout of documented examples, shared by our own fixtures and by the reference
//! docs examples: `<version>/<page>/<n>-<kind>.http|.json|.meta.json`.
//!
//! `.http` holds the start line and headers (the reference files also repeat the body there;
//! readers only look at the part before the first blank line), `.json` holds the body exactly as
//! documented (possibly invalid JSON), and `.meta.json` holds what the page says about the
//! example.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::Serialize;
use serde_json::Value;

/// Which part of a page an example is. The declaration order is the sort order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExampleKind {
    /// A documented HTTP request: start line, headers, optional body.
    Request,
    /// The documented answer to the request of the same number: status line, headers, body.
    Response,
    /// A resource page's JSON representation of a type, with placeholder values.
    Resource,
}

impl ExampleKind {
    /// The kind as it appears in file names and annotations (`request`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ExampleKind::Request => "request",
            ExampleKind::Response => "response",
            ExampleKind::Resource => "resource",
        }
    }

    /// The kind an annotation's `blockType` names; `None` for other block types.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "request" => Some(ExampleKind::Request),
            "response" => Some(ExampleKind::Response),
            "resource" => Some(ExampleKind::Resource),
            _ => None,
        }
    }
}

/// The documented HTTP request template an example exercises, e.g.
/// `GET /identityGovernance/.../{accessReviewInstanceId}/decisions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperationRef {
    /// The HTTP method in upper case.
    pub method: String,
    /// The path template relative to the service root, `{...}` for each key.
    pub path: String,
}

/// What is known about an example besides its text. Every field is optional because the
/// reference meta files are heterogeneous; reading never fails on a missing or odd field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExampleMeta {
    /// `request`, `response` or `resource`, as the page annotates it.
    pub block_type: Option<String>,
    /// The type the example is of, e.g. `Collection(microsoft.graph.accessReviewInstance)`.
    pub odata_type: Option<String>,
    /// The page says the example is shortened.
    pub truncated: Option<bool>,
    /// The page says the example is a collection of `odata_type`.
    pub is_collection: Option<bool>,
    /// The documented request template the example matches (written by our extractor only).
    pub operation: Option<OperationRef>,
    /// Where the example came from.
    pub source: Option<String>,
    /// 1-based line of the example in its source.
    pub line: Option<u32>,
    /// `v1.0` or `beta`.
    pub version: Option<String>,
    /// Repairs the extractor made to the text before writing it (e.g. `scrape-lost-braces`).
    pub repairs: Vec<String>,
    /// The source lines as scraped, kept when a repair rewrote them.
    pub original_lines: Option<Vec<String>>,
}

/// One example on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// The page directory.
    pub dir: PathBuf,
    /// The page directory's name, e.g. `accessreviewinstance-list-decisions`.
    pub page: String,
    /// The example's number on its page; a response shares its request's number.
    pub index: u32,
    /// Request, response or resource.
    pub kind: ExampleKind,
    /// Contents of `<n>-<kind>.http`.
    pub http: Option<String>,
    /// Raw contents of `<n>-<kind>.json`; may be invalid JSON.
    pub json_text: Option<String>,
    /// What the page (or the `.meta.json` file) says about the example.
    pub meta: ExampleMeta,
}

/// An example produced by an extractor, before it is written to disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractedExample {
    /// The page slug, e.g. `accessreviewinstance-list-decisions`.
    pub page: String,
    /// The example's number on its page; a response shares its request's number.
    pub index: u32,
    /// Request, response or resource.
    pub kind: ExampleKind,
    /// The start line and headers (requests and responses).
    pub http: Option<String>,
    /// The body as the page writes it (defects included), re-indented.
    pub json_text: Option<String>,
    /// What the page (or the `.meta.json` file) says about the example.
    pub meta: ExampleMeta,
}

// ---- reading meta ----

impl ExampleMeta {
    /// Reads a `.meta.json` document leniently: unknown fields are ignored, known fields of an
    /// unexpected shape are treated as absent.
    pub fn from_json(meta: &Value) -> Self {
        let annotation = meta.get("annotation").filter(|a| a.is_object());
        // The page annotation is authoritative; a top-level field is our own shorthand.
        let field = |name: &str| {
            annotation
                .and_then(|a| a.get(name))
                .or_else(|| meta.get(name))
        };
        ExampleMeta {
            block_type: field("blockType").and_then(as_string),
            odata_type: field("@odata.type").and_then(as_string),
            truncated: field("truncated").and_then(as_flag),
            is_collection: field("isCollection").and_then(as_flag),
            operation: meta.get("operation").and_then(as_operation),
            source: meta.get("source").and_then(as_string),
            line: meta
                .get("line")
                .and_then(Value::as_u64)
                .and_then(|n| u32::try_from(n).ok()),
            version: meta.get("version").and_then(as_string),
            repairs: meta
                .get("repairs")
                .and_then(Value::as_array)
                .map(|items| items.iter().filter_map(as_string).collect())
                .unwrap_or_default(),
            original_lines: meta
                .get("original_lines")
                .and_then(Value::as_array)
                .map(|items| items.iter().filter_map(as_string).collect()),
        }
    }
}

pub(crate) fn as_string(value: &Value) -> Option<String> {
    value.as_str().map(str::to_owned)
}

/// Annotations write flags both as booleans and as the strings `"true"`/`"false"`.
pub(crate) fn as_flag(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(flag) => Some(*flag),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

fn as_operation(value: &Value) -> Option<OperationRef> {
    Some(OperationRef {
        method: as_string(value.get("method")?)?,
        path: as_string(value.get("path")?)?,
    })
}

/// `v1.0` or `beta` when a component of `dir` names the version.
fn version_from_path(dir: &Path) -> Option<String> {
    dir.components()
        .filter_map(|c| c.as_os_str().to_str())
        .find(|name| matches!(*name, "v1.0" | "beta"))
        .map(str::to_owned)
}

// ---- writing meta ----

/// The `.meta.json` document, in the shape of the reference meta files (the page's annotation
/// under `annotation`) plus our own fields. Field order here is the key order on disk.
#[derive(Serialize)]
struct MetaFile<'a> {
    #[serde(rename = "blockType", skip_serializing_if = "Option::is_none")]
    block_type: Option<&'a str>,
    annotation: Annotation<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    operation: Option<&'a OperationRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    repairs: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    original_lines: Option<&'a [String]>,
}

#[derive(Serialize)]
struct Annotation<'a> {
    #[serde(rename = "blockType", skip_serializing_if = "Option::is_none")]
    block_type: Option<&'a str>,
    #[serde(rename = "@odata.type", skip_serializing_if = "Option::is_none")]
    odata_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    truncated: Option<bool>,
    #[serde(rename = "isCollection", skip_serializing_if = "Option::is_none")]
    is_collection: Option<bool>,
}

impl ExampleMeta {
    fn to_file(&self) -> MetaFile<'_> {
        MetaFile {
            block_type: self.block_type.as_deref(),
            annotation: Annotation {
                block_type: self.block_type.as_deref(),
                odata_type: self.odata_type.as_deref(),
                truncated: self.truncated,
                is_collection: self.is_collection,
            },
            operation: self.operation.as_ref(),
            version: self.version.as_deref(),
            source: self.source.as_deref(),
            line: self.line,
            repairs: &self.repairs,
            original_lines: self.original_lines.as_deref(),
        }
    }
}

// ---- file names ----

/// What a file name in a page directory says: `<n>-<kind>.<extension>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Http,
    Json,
    Meta,
}

fn parse_file_name(name: &str) -> Option<(u32, ExampleKind, Part)> {
    let (stem, part) = if let Some(stem) = name.strip_suffix(".meta.json") {
        (stem, Part::Meta)
    } else if let Some(stem) = name.strip_suffix(".json") {
        (stem, Part::Json)
    } else if let Some(stem) = name.strip_suffix(".http") {
        (stem, Part::Http)
    } else {
        return None;
    };
    let (index, kind) = stem.split_once('-')?;
    if index.is_empty() || !index.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((index.parse().ok()?, ExampleKind::parse(kind)?, part))
}

fn file_name(index: u32, kind: ExampleKind, part: Part) -> String {
    let extension = match part {
        Part::Http => "http",
        Part::Json => "json",
        Part::Meta => "meta.json",
    };
    format!("{index}-{}.{extension}", kind.as_str())
}

// ---- loading ----

#[derive(Default)]
struct Parts {
    http: Option<String>,
    json_text: Option<String>,
    meta: Option<ExampleMeta>,
}

/// Loads every example under `root`, sorted by page directory, index, then kind.
///
/// A page directory is any directory holding at least one `<n>-<kind>.meta.json`; example files
/// elsewhere are not examples (e.g. stray files next to an index).
pub fn load_examples(root: &Path) -> Result<Vec<Example>> {
    let mut files = Vec::new();
    collect_files(root, &mut files)?;

    // BTreeMap keyed by (dir, index, kind) gives the required deterministic order for free.
    let mut groups: BTreeMap<(PathBuf, u32, ExampleKind), Parts> = BTreeMap::new();
    let mut page_dirs = BTreeSet::new();
    for path in files {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some((index, kind, part)) = parse_file_name(name) else {
            continue;
        };
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let parts = groups.entry((dir.clone(), index, kind)).or_default();
        let text =
            fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        match part {
            Part::Http => parts.http = Some(text),
            Part::Json => parts.json_text = Some(text),
            Part::Meta => {
                let value: Value = serde_json::from_str(&text)
                    .with_context(|| format!("parsing {}", path.display()))?;
                parts.meta = Some(ExampleMeta::from_json(&value));
                page_dirs.insert(dir);
            }
        }
    }

    let examples = groups
        .into_iter()
        .filter(|((dir, _, _), _)| page_dirs.contains(dir))
        .map(|((dir, index, kind), parts)| {
            let mut meta = parts.meta.unwrap_or_default();
            if meta.version.is_none() {
                meta.version = version_from_path(&dir);
            }
            Example {
                page: dir
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                dir,
                index,
                kind,
                http: parts.http,
                json_text: parts.json_text,
                meta,
            }
        })
        .collect();
    Ok(examples)
}

/// All regular files below `dir`, recursively; symbolic links are not followed.
fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    for entry in walkdir::WalkDir::new(dir) {
        // walkdir's message already names the path, and so would its source: say it once.
        let entry = entry.map_err(|error| {
            let path = error.path().unwrap_or(dir).display().to_string();
            match error.io_error() {
                Some(io) => anyhow::anyhow!("listing {path}: {io}"),
                None => anyhow::anyhow!("listing {path}: {error}"),
            }
        })?;
        if entry.file_type().is_file() {
            files.push(entry.into_path());
        }
    }
    Ok(())
}

// ---- writing ----

/// Writes `example` under `root/<version>/<page>/` in the layout [`load_examples`] reads.
pub fn write_example(root: &Path, example: &ExtractedExample) -> Result<()> {
    let Some(version) = example.meta.version.as_deref() else {
        bail!(
            "example {} of {} has no version; cannot choose its directory",
            example.index,
            example.page
        );
    };
    if example.page.is_empty()
        || example.page.contains(['/', '\\'])
        || example.page.starts_with('.')
    {
        bail!("unusable page slug {:?}", example.page);
    }
    let dir = root.join(version).join(&example.page);
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;

    let path_of = |part| dir.join(file_name(example.index, example.kind, part));
    if let Some(http) = &example.http {
        write_text(&path_of(Part::Http), http)?;
    }
    if let Some(json_text) = &example.json_text {
        write_text(&path_of(Part::Json), json_text)?;
    }
    let meta = serde_json::to_string_pretty(&example.meta.to_file())
        .context("serializing example meta")?;
    write_text(&path_of(Part::Meta), &meta)
}

/// Writes `text` with exactly one trailing newline, so files diff cleanly.
fn write_text(path: &Path, text: &str) -> Result<()> {
    let mut contents = text.trim_end_matches(['\n', '\r']).to_owned();
    contents.push('\n');
    fs::write(path, contents).with_context(|| format!("writing {}", path.display()))
}

// ---- HTTP messages ----

/// The start line of a documented request and its headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestLine {
    /// The method as written (upper case).
    pub method: String,
    /// The absolute URL as written, query included; may hold unencoded spaces.
    pub url: String,
    /// The headers in order, names and values trimmed.
    pub headers: Vec<(String, String)>,
}

/// The status line of a documented response and its headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLine {
    /// The three-digit status code.
    pub code: u16,
    /// The reason phrase as written (docs sometimes pair a code with another code's phrase,
    /// e.g. `204 Accepted`; it is kept, not corrected).
    pub reason: String,
    /// The headers in order, names and values trimmed.
    pub headers: Vec<(String, String)>,
}

/// Parses `METHOD URL [HTTP/x.y]` and the headers after it.
///
/// Documented URLs may contain unencoded spaces (in `$filter` expressions), so the URL is
/// everything between the method and an optional trailing protocol version.
pub fn parse_request_line(http: &str) -> Option<RequestLine> {
    let (start, rest) = split_start_line(http)?;
    let (method, target) = start.split_once(' ')?;
    let method_ok = !method.is_empty() && method.bytes().all(|b| b.is_ascii_uppercase());
    let url = match target.rsplit_once(' ') {
        Some((url, protocol)) if protocol.starts_with("HTTP/") => url,
        _ => target,
    }
    .trim();
    if !method_ok || url.is_empty() || url.starts_with("HTTP/") {
        return None;
    }
    Some(RequestLine {
        method: method.to_owned(),
        url: url.to_owned(),
        headers: parse_headers(rest),
    })
}

/// Parses `HTTP/x.y CODE [reason]` and the headers after it.
pub fn parse_status_line(http: &str) -> Option<StatusLine> {
    let (start, rest) = split_start_line(http)?;
    let (protocol, after_protocol) = start.split_once(' ')?;
    if !protocol.starts_with("HTTP/") {
        return None;
    }
    let after_protocol = after_protocol.trim_start();
    let (code, reason) = after_protocol
        .split_once(' ')
        .unwrap_or((after_protocol, ""));
    if code.len() != 3 {
        return None;
    }
    Some(StatusLine {
        code: code.parse().ok()?,
        reason: reason.trim().to_owned(),
        headers: parse_headers(rest),
    })
}

/// The first non-blank line, and the lines after it.
fn split_start_line(http: &str) -> Option<(&str, &str)> {
    let text = http.trim_start();
    let (start, rest) = text.split_once('\n').unwrap_or((text, ""));
    let start = start.trim();
    (!start.is_empty()).then_some((start, rest))
}

/// `Name: value` lines up to the first blank line (after which a body may follow).
fn parse_headers(lines: &str) -> Vec<(String, String)> {
    lines
        .lines()
        .map(str::trim)
        .take_while(|line| !line.is_empty())
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            Some((name.trim().to_owned(), value.trim().to_owned()))
        })
        .collect()
}

// ---- documented request templates ----

/// The HTTP methods documented requests use.
pub(crate) const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// A documented request template: `METHOD /path/{id}/...` (a relative path, unlike examples).
pub(crate) fn parse_template(line: &str) -> Option<OperationRef> {
    let (method, path) = line.trim().split_once(' ')?;
    let path = path.trim();
    let is_template =
        METHODS.contains(&method) && path.starts_with('/') && !path.contains(char::is_whitespace);
    is_template.then(|| OperationRef {
        method: method.to_owned(),
        path: path.to_owned(),
    })
}

/// The path of an absolute URL without scheme, host and query.
pub(crate) fn path_of_url(url: &str) -> &str {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
    path.split_once('?').map_or(path, |(path, _)| path)
}

/// `v1.0` or `beta` when the URL's first path segment names the version.
pub(crate) fn version_of_url(url: &str) -> Option<&'static str> {
    match path_of_url(url).trim_start_matches('/').split('/').next()? {
        "v1.0" => Some("v1.0"),
        "beta" => Some("beta"),
        _ => None,
    }
}

/// The documented template an example request exercises, if any (matched segment by
/// segment, each `{...}` standing for text, as the request builders match them).
pub(crate) fn match_operation(
    method: &str,
    url: &str,
    templates: &[OperationRef],
) -> Option<OperationRef> {
    let path = path_of_url(url);
    let path = match version_of_url(url) {
        Some(version) => &path[1 + version.len()..],
        None => path,
    };
    templates
        .iter()
        .find(|t| {
            t.method == method && graph_runtime::http::match_template(&t.path, path).is_some()
        })
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    use crate::scratch_dir;

    fn sample(index: u32, kind: ExampleKind) -> ExtractedExample {
        ExtractedExample {
            page: "widget-update".into(),
            index,
            kind,
            http: Some(
                "PATCH https://graph.microsoft.com/beta/widgets/1\nContent-Type: application/json"
                    .into(),
            ),
            json_text: Some("{\n  \"a\": 1,\n}".into()),
            meta: ExampleMeta {
                block_type: Some(kind.as_str().into()),
                odata_type: Some("microsoft.graph.widget".into()),
                truncated: Some(true),
                is_collection: None,
                operation: Some(OperationRef {
                    method: "PATCH".into(),
                    path: "/widgets/{widgetId}".into(),
                }),
                source: Some("inline".into()),
                line: Some(7),
                version: Some("beta".into()),
                repairs: vec!["scrape-lost-braces".into()],
                original_lines: Some(vec![" \"a\": 1,".into()]),
            },
        }
    }

    #[test]
    fn written_examples_load_back_in_order() {
        let scratch = scratch_dir();
        let root = scratch.path();
        // Written out of order on purpose: loading sorts.
        for (index, kind) in [
            (2, ExampleKind::Response),
            (10, ExampleKind::Request),
            (2, ExampleKind::Request),
            (1, ExampleKind::Resource),
        ] {
            write_example(root, &sample(index, kind)).expect("write");
        }
        let loaded = load_examples(root).expect("load");
        let order: Vec<_> = loaded.iter().map(|e| (e.index, e.kind)).collect();
        assert_eq!(
            order,
            [
                (1, ExampleKind::Resource),
                (2, ExampleKind::Request),
                (2, ExampleKind::Response),
                (10, ExampleKind::Request)
            ]
        );
        let first = &loaded[1];
        let written = sample(2, ExampleKind::Request);
        assert_eq!(first.page, "widget-update");
        assert_eq!(first.dir, root.join("beta").join("widget-update"));
        assert_eq!(first.meta, written.meta);
        assert_eq!(first.json_text.as_deref(), Some("{\n  \"a\": 1,\n}\n"));
        assert!(first.http.as_deref().is_some_and(|h| h.ends_with("json\n")));

        let meta_text =
            fs::read_to_string(first.dir.join("2-request.meta.json")).expect("meta written");
        assert!(meta_text.starts_with("{\n  \"blockType\": \"request\",\n  \"annotation\""));
        assert!(meta_text.ends_with("}\n"));
    }

    #[test]
    fn writing_without_version_fails() {
        let mut example = sample(1, ExampleKind::Request);
        example.meta.version = None;
        let scratch = scratch_dir();
        assert!(write_example(scratch.path(), &example).is_err());
    }

    #[test]
    fn reference_meta_is_read_leniently() {
        let meta = ExampleMeta::from_json(&json!({
            "page": "api-reference/v1.0/api/x.md",
            "source": "somewhere",
            "line": 29,
            "blockType": "response",
            "annotation": {
                "blockType": "response",
                "truncated": true,
                "@odata.type": "microsoft.graph.x",
                "isCollection": "true"
            },
            "files": ["1-response.http"],
            "json_validity": {}
        }));
        assert_eq!(meta.block_type.as_deref(), Some("response"));
        assert_eq!(meta.odata_type.as_deref(), Some("microsoft.graph.x"));
        assert_eq!(
            (meta.truncated, meta.is_collection),
            (Some(true), Some(true))
        );
        assert_eq!(meta.line, Some(29));
        assert_eq!(meta.version, None);

        let sparse =
            ExampleMeta::from_json(&json!({"annotation": null, "@odata.type": "t", "line": "x"}));
        assert_eq!(sparse.odata_type.as_deref(), Some("t"));
        assert_eq!(sparse.line, None);
    }

    #[test]
    fn file_names_are_recognised_strictly() {
        assert_eq!(
            parse_file_name("12-response.meta.json"),
            Some((12, ExampleKind::Response, Part::Meta))
        );
        assert_eq!(
            parse_file_name("1-resource.json"),
            Some((1, ExampleKind::Resource, Part::Json))
        );
        assert_eq!(parse_file_name("index.json"), None);
        assert_eq!(parse_file_name("spec-check.v1.0.json"), None);
        assert_eq!(parse_file_name("1-other.json"), None);
        assert_eq!(parse_file_name("-1-request.http"), None);
    }

    #[test]
    fn version_is_inferred_from_the_directory() {
        let scratch = scratch_dir();
        let root = scratch.path();
        let dir = root.join("2022").join("v1.0").join("page");
        fs::create_dir_all(&dir).expect("dir");
        fs::write(dir.join("1-request.meta.json"), "{}").expect("meta");
        fs::write(dir.join("1-request.http"), "GET https://x/y\n").expect("http");
        fs::write(
            root.join("2022").join("1-request.http"),
            "not in a page dir",
        )
        .expect("stray");
        let loaded = load_examples(root).expect("load");
        assert_eq!(loaded.len(), 1);
        assert_eq!(loaded[0].meta.version.as_deref(), Some("v1.0"));
        assert_eq!(loaded[0].page, "page");
    }

    #[test]
    fn request_lines_and_headers() {
        let http = "PATCH https://graph.microsoft.com/v1.0/a/b?$x=1\nContent-Type: application/json\n\n{\n  \"k\": \"v: w\"\n}\n";
        let request = parse_request_line(http).expect("request");
        assert_eq!(request.method, "PATCH");
        assert_eq!(request.url, "https://graph.microsoft.com/v1.0/a/b?$x=1");
        assert_eq!(
            request.headers,
            [("Content-Type".to_owned(), "application/json".to_owned())]
        );
        let spaced =
            parse_request_line("GET https://h/v1.0/x?$filter=a eq 'b' HTTP/1.1").expect("spaces");
        assert_eq!(spaced.url, "https://h/v1.0/x?$filter=a eq 'b'");
        assert!(parse_request_line("get /x").is_none());
        assert!(parse_request_line("HTTP/1.1 200 OK").is_none());
        assert!(parse_request_line("").is_none());
    }

    #[test]
    fn status_lines_keep_the_reason_as_written() {
        let status = parse_status_line("HTTP/1.1 204 Accepted\n").expect("status");
        assert_eq!((status.code, status.reason.as_str()), (204, "Accepted"));
        assert!(status.headers.is_empty());
        let status = parse_status_line("HTTP/1.1 200 OK\nContent-type: application/json\n\n{}")
            .expect("status");
        assert_eq!(status.headers[0].0, "Content-type");
        assert_eq!(parse_status_line("HTTP/2 404").map(|s| s.code), Some(404));
        assert!(parse_status_line("GET /x").is_none());
        assert!(parse_status_line("HTTP/1.1 20 OK").is_none());
    }

    #[test]
    fn shared_docs_examples_load() {
        let Some(root) = crate::shared_path("graph/docs-examples") else {
            return;
        };
        let examples = load_examples(&root).expect("load");
        assert!(!examples.is_empty());
        for example in &examples {
            let version = example.meta.version.as_deref();
            assert!(
                matches!(version, Some("v1.0" | "beta")),
                "{:?}",
                example.dir
            );
            match example.kind {
                ExampleKind::Request => {
                    let http = example.http.as_deref().expect("request has .http");
                    assert!(parse_request_line(http).is_some(), "{http}");
                }
                ExampleKind::Response => {
                    let http = example.http.as_deref().expect("response has .http");
                    assert!(parse_status_line(http).is_some(), "{http}");
                }
                ExampleKind::Resource => assert!(example.json_text.is_some()),
            }
        }
        let sorted = examples
            .windows(2)
            .all(|w| (&w[0].dir, w[0].index, w[0].kind) < (&w[1].dir, w[1].index, w[1].kind));
        assert!(sorted);
        println!("loaded {} shared docs examples", examples.len());
    }
}
