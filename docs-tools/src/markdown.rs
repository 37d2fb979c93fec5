//! Extraction of documented examples from Microsoft Graph documentation pages in Markdown.
//!
//! The pages mark each example with an HTML comment right before its fenced code block:
//!
//! ````text
//! <!-- { "blockType": "request", "name": "update_widget" } -->
//! ```http
//! PATCH https://graph.microsoft.com/v1.0/widgets/1
//! Content-Type: application/json
//!
//! { "name": "new" }
//! ```
//! ````
//!
//! `request` blocks hold the request line, headers and an optional body; `response` blocks the
//! status line, headers and an optional body; `resource` blocks a JSON representation. Other
//! block types (`ignored`, ...) and code blocks without an annotation are not examples, but the
//! documented request templates (`PATCH /widgets/{id}`) are read from them to name the operation
//! each example exercises. An annotation belongs to a code block only when nothing but blank
//! lines comes between them.
//!
//! The result is what [`super::seeds::extract_seed_page`] produces for scraped pages, so both
//! kinds of page are written to the same fixture layout.

use anyhow::{bail, Context, Result};
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use serde_json::Value;

use super::layout::{
    as_flag, as_string, match_operation, parse_template, version_of_url, ExampleKind, ExampleMeta,
    ExtractedExample, OperationRef,
};
use super::lenient::parse_lenient;

/// Extracts every annotated example of one Markdown page, in page order.
///
/// `source_name` is recorded in each example's meta; its file name is the page slug, and a
/// `v1.0` or `beta` component of it is the version (failing that, the request URLs say it).
pub fn extract_markdown_page(text: &str, source_name: &str) -> Result<Vec<ExtractedExample>> {
    let slug = slug_of(source_name)
        .with_context(|| format!("{source_name}: cannot name the page from its file name"))?;
    let blocks =
        read_blocks(text).with_context(|| format!("{source_name}: reading code blocks"))?;
    let templates: Vec<OperationRef> = blocks
        .iter()
        .filter(|b| b.kind.is_none())
        .flat_map(|b| b.lines().into_iter().filter_map(parse_template))
        .collect();
    let Some(version) = version_of_source(source_name).or_else(|| version_of_requests(&blocks))
    else {
        bail!(
            "{source_name}: cannot tell the version (no v1.0 or beta in its path or request URLs)"
        );
    };

    let mut examples = Vec::new();
    let mut index = 0;
    // The operation of the request whose response is still to come.
    let mut pending: Option<Option<OperationRef>> = None;
    for block in &blocks {
        let Some(kind) = block.kind else {
            continue;
        };
        let (http, json_text, operation) = match kind {
            ExampleKind::Request => {
                index += 1;
                let (http, body) = split_request(block)
                    .with_context(|| format!("{source_name}: line {}", block.first_line))?;
                let operation = operation_of(&http, &templates);
                pending = Some(operation.clone());
                (Some(http), body, operation)
            }
            ExampleKind::Response => {
                let operation = match pending.take() {
                    Some(operation) => operation,
                    None => {
                        index += 1;
                        None
                    }
                };
                let (http, body) = split_response(block)
                    .with_context(|| format!("{source_name}: line {}", block.first_line))?;
                (http, body, operation)
            }
            ExampleKind::Resource => {
                index += 1;
                pending = None;
                (None, Some(block.content()), None)
            }
        };
        let meta = ExampleMeta {
            block_type: Some(kind.as_str().to_owned()),
            odata_type: block.annotation.get("@odata.type").and_then(as_string),
            truncated: block.annotation.get("truncated").and_then(as_flag),
            is_collection: block.annotation.get("isCollection").and_then(as_flag),
            operation,
            source: Some(source_name.to_owned()),
            line: u32::try_from(block.first_line).ok(),
            version: Some(version.clone()),
            ..ExampleMeta::default()
        };
        examples.push(ExtractedExample {
            page: slug.clone(),
            index,
            kind,
            http,
            json_text,
            meta,
        });
    }
    Ok(examples)
}

/// `api-reference/v1.0/api/widget-update.md` → `widget-update`.
fn slug_of(source_name: &str) -> Option<String> {
    let file = source_name.rsplit(['/', '\\']).next()?;
    let stem = match file.len().checked_sub(3) {
        Some(cut) if file.is_char_boundary(cut) && file[cut..].eq_ignore_ascii_case(".md") => {
            &file[..cut]
        }
        _ => file,
    };
    let usable = !stem.is_empty() && !stem.starts_with('.');
    usable.then(|| stem.to_owned())
}

fn version_of_source(source_name: &str) -> Option<String> {
    source_name
        .split(['/', '\\'])
        .find(|segment| matches!(*segment, "v1.0" | "beta"))
        .map(str::to_owned)
}

fn version_of_requests(blocks: &[Block]) -> Option<String> {
    blocks
        .iter()
        .filter(|b| b.kind == Some(ExampleKind::Request))
        .filter_map(|b| b.lines().into_iter().find(|l| !l.trim().is_empty()))
        .filter_map(|line| line.split_whitespace().nth(1))
        .find_map(version_of_url)
        .map(str::to_owned)
}

// ---- code blocks and their annotations ----

/// A fenced code block and the annotation right before it.
struct Block {
    /// `None` for blocks that are not examples (no annotation, or another block type).
    kind: Option<ExampleKind>,
    annotation: Value,
    /// The text between the fences, without the indentation of the fence or its container.
    text: String,
    /// 1-based line of the first line inside the block.
    first_line: usize,
}

impl Block {
    fn lines(&self) -> Vec<&str> {
        self.text.lines().collect()
    }

    /// The block's text without leading and trailing blank lines.
    fn content(&self) -> String {
        trim_blank_lines(&self.lines()).join("\n")
    }
}

fn trim_blank_lines<'a, 'b>(lines: &'b [&'a str]) -> &'b [&'a str] {
    let start = lines.iter().position(|l| !l.trim().is_empty());
    let end = lines.iter().rposition(|l| !l.trim().is_empty());
    match (start, end) {
        (Some(start), Some(end)) => &lines[start..=end],
        _ => &[],
    }
}

/// The page's fenced code blocks, each with the annotation that directly precedes it.
///
/// pulldown-cmark finds the blocks as CommonMark does (fences inside list items and block
/// quotes included, indented code blocks and fences inside HTML comments excluded). An
/// annotation is an HTML block that is a comment; any other content between it and the next
/// fence (a paragraph, a heading, another HTML block) cancels it, while blank lines and the
/// end of a container produce no events and so keep it.
fn read_blocks(text: &str) -> Result<Vec<Block>> {
    let options = Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let mut blocks = Vec::new();
    let mut annotation: Option<Value> = None;
    let mut html: Option<(String, usize)> = None;
    let mut code: Option<(Option<Fence>, String, usize)> = None;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::HtmlBlock) => html = Some((String::new(), range.start)),
            Event::Html(part) => match html.as_mut() {
                Some((block, _)) => block.push_str(&part),
                None => annotation = None,
            },
            Event::End(TagEnd::HtmlBlock) => {
                let Some((block, start)) = html.take() else {
                    continue;
                };
                let line = line_of(text, start);
                annotation = match read_comment(&block) {
                    Some(Ok(comment)) => {
                        parse_annotation(comment).with_context(|| format!("line {line}"))?
                    }
                    Some(Err(())) => bail!("line {line}: HTML comment is never closed"),
                    None => None,
                };
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let fence = match kind {
                    CodeBlockKind::Fenced(_) => text.get(range.clone()).and_then(Fence::open),
                    CodeBlockKind::Indented => None,
                };
                if let (Some(fence), Some(source)) = (&fence, text.get(range.clone())) {
                    let last = source.trim_end_matches(['\n', '\r']).lines().last();
                    let closed =
                        source.lines().count() > 1 && last.is_some_and(|l| fence.closes(l));
                    if !closed {
                        let line = line_of(text, range.start);
                        bail!("line {line}: code block is never closed");
                    }
                }
                code = Some((fence, String::new(), line_of(text, range.start) + 1));
            }
            Event::Text(part) if code.is_some() => {
                if let Some((_, block, _)) = code.as_mut() {
                    block.push_str(&part);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                let Some((fence, block, first_line)) = code.take() else {
                    continue;
                };
                let annotation = annotation.take().unwrap_or(Value::Null);
                if fence.is_none() {
                    continue; // An indented code block is not an example.
                }
                blocks.push(Block {
                    kind: annotation
                        .get("blockType")
                        .and_then(Value::as_str)
                        .and_then(ExampleKind::parse),
                    annotation,
                    text: block,
                    first_line,
                });
            }
            // The end of a container (a list item, a quote) says nothing about what follows.
            Event::End(_) => {}
            _ => annotation = None,
        }
    }
    Ok(blocks)
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let before = text.get(..offset).unwrap_or(text);
    before.bytes().filter(|&b| b == b'\n').count() + 1
}

/// The text inside `<!-- ... -->` when an HTML block is a comment; `Err` when the comment
/// never ends (CommonMark then runs the block to the end of the page).
fn read_comment(block: &str) -> Option<Result<&str, ()>> {
    let inside = block.trim_start().strip_prefix("<!--")?;
    Some(inside.find("-->").map(|end| &inside[..end]).ok_or(()))
}

/// An annotation is a comment holding a JSON object (written leniently: trailing commas and
/// comments occur); other comments are not annotations.
fn parse_annotation(comment: &str) -> Result<Option<Value>> {
    let comment = comment.trim();
    if !comment.starts_with('{') {
        return Ok(None);
    }
    let (value, _) = parse_lenient(comment)
        .map_err(|error| anyhow::anyhow!("unreadable annotation {comment:?}: {error}"))?;
    Ok(Some(value))
}

/// An opening code fence: three or more backticks or tildes. pulldown-cmark finds the
/// blocks; this tells whether one was closed, since CommonMark runs an unclosed fence to the
/// end of its container instead of refusing it.
struct Fence {
    marker: char,
    length: usize,
}

impl Fence {
    fn open(line: &str) -> Option<Fence> {
        let trimmed = line.trim_start();
        let marker = trimmed.chars().next().filter(|c| matches!(c, '`' | '~'))?;
        let length = trimmed.chars().take_while(|&c| c == marker).count();
        (length >= 3).then_some(Fence { marker, length })
    }

    fn closes(&self, line: &str) -> bool {
        let trimmed = line.trim();
        let length = trimmed.chars().take_while(|&c| c == self.marker).count();
        length >= self.length && trimmed.len() == length * self.marker.len_utf8()
    }
}

// ---- request and response blocks ----

/// A start line and the headers after it (`http`), then an optional body. A JSON body becomes
/// `json_text`; any other body stays in `http` after a blank line, where readers of the layout
/// do not look for headers.
fn split_message(lines: &[&str]) -> (String, Option<String>) {
    let lines = trim_blank_lines(lines);
    let mut head = vec![lines.first().map_or("", |l| l.trim())];
    let mut next = 1;
    while let Some(line) = lines.get(next).map(|l| l.trim()) {
        // Some pages leave out the blank line between the headers and the body.
        if line.is_empty() || line.starts_with(['{', '[']) {
            break;
        }
        head.push(line);
        next += 1;
    }
    let body = trim_blank_lines(&lines[next.min(lines.len())..]).join("\n");
    let head = head.join("\n");
    if body.is_empty() {
        (head, None)
    } else if body.starts_with(['{', '[']) {
        (head, Some(body))
    } else {
        (format!("{head}\n\n{body}"), None)
    }
}

fn split_request(block: &Block) -> Result<(String, Option<String>)> {
    let (http, body) = split_message(&block.lines());
    if super::layout::parse_request_line(&http).is_none() {
        bail!("request block does not start with a request line: {http:?}");
    }
    Ok((http, body))
}

/// A response block may hold only a JSON body, without a status line.
fn split_response(block: &Block) -> Result<(Option<String>, Option<String>)> {
    let content = block.content();
    if content.starts_with(['{', '[']) {
        return Ok((None, Some(content)));
    }
    let (http, body) = split_message(&block.lines());
    if super::layout::parse_status_line(&http).is_none() {
        bail!("response block does not start with a status line: {http:?}");
    }
    Ok((Some(http), body))
}

// ---- matching requests to documented templates ----

fn operation_of(http: &str, templates: &[OperationRef]) -> Option<OperationRef> {
    let request = super::layout::parse_request_line(http)?;
    match_operation(&request.method, &request.url, templates)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{load_examples, parse_request_line, write_example};

    /// Template matching is the runtime's (shared with the request builders).
    fn matches(template: &str, path: &str) -> bool {
        graph_runtime::http::match_template(template, path).is_some()
    }

    const UPDATE_PAGE: &str = r#"---
title: "Update widget"
ms.localizationpriority: medium
---

# Update widget

## HTTP request

<!-- { "blockType": "ignored" } -->
```http
PATCH /widgets/{widgetId}
GET /widgets/{widgetId}/parts
```

## Request body

```json
{ "not": "an example" }
```

## Example

### Request

<!-- {
  "blockType": "request",
  "name": "update_widget",
  // a comment the docs left in
} -->
```http
PATCH https://graph.microsoft.com/v1.0/widgets/42
Content-Type: application/json

{
  "name": "Renamed",
  "size": 3,
}
```

### Response

> **Note:** The response object shown here might be shortened for readability.

<!-- {
  "blockType": "response",
  "truncated": true,
  "@odata.type": "microsoft.graph.widget"
} -->

```http
HTTP/1.1 200 OK
Content-Type: application/json

{
    "id": "42",
    "name": "Renamed"
}
```

<!-- { "blockType": "request", "name": "list_parts" } -->
```msgraph-interactive
GET https://graph.microsoft.com/v1.0/widgets/42/parts?$top=1
```

<!-- { "blockType": "response", "@odata.type": "Collection(microsoft.graph.part)", "isCollection": "true" } -->
```http
HTTP/1.1 204 No Content
```
"#;

    const RESOURCE_PAGE: &str = r#"# widget resource type

<!-- { "blockType": "resource", "@odata.type": "microsoft.graph.widget", "optionalProperties": ["size"], } -->
  ```json
  {
    "id": "String (identifier)",
    "size": "Int32"
  }
  ```

This annotation is followed by prose, so it annotates nothing:

<!-- { "blockType": "resource", "@odata.type": "microsoft.graph.orphan" } -->
Some prose.

```json
{ "id": "not an example" }
```
"#;

    fn extract(text: &str, source: &str) -> Vec<ExtractedExample> {
        extract_markdown_page(text, source).expect("extracts")
    }

    #[test]
    fn requests_and_responses_with_bodies_and_annotations() {
        let source = "api-reference/v1.0/api/widget-update.md";
        let examples = extract(UPDATE_PAGE, source);
        let summary: Vec<_> = examples.iter().map(|e| (e.index, e.kind)).collect();
        use ExampleKind::{Request, Response};
        assert_eq!(
            summary,
            [(1, Request), (1, Response), (2, Request), (2, Response)]
        );
        assert!(examples.iter().all(|e| e.page == "widget-update"
            && e.meta.version.as_deref() == Some("v1.0")
            && e.meta.source.as_deref() == Some(source)));

        let request = &examples[0];
        assert_eq!(
            request.http.as_deref(),
            Some(
                "PATCH https://graph.microsoft.com/v1.0/widgets/42\nContent-Type: application/json"
            )
        );
        assert_eq!(
            request.json_text.as_deref(),
            Some("{\n  \"name\": \"Renamed\",\n  \"size\": 3,\n}")
        );
        let operation = request.meta.operation.as_ref().expect("operation");
        assert_eq!(
            (operation.method.as_str(), operation.path.as_str()),
            ("PATCH", "/widgets/{widgetId}")
        );
        assert_eq!(request.meta.block_type.as_deref(), Some("request"));
        assert_eq!(request.meta.line, Some(32), "the line of the request line");

        let response = &examples[1];
        assert_eq!(
            response.http.as_deref(),
            Some("HTTP/1.1 200 OK\nContent-Type: application/json")
        );
        assert_eq!(
            response.json_text.as_deref(),
            Some("{\n    \"id\": \"42\",\n    \"name\": \"Renamed\"\n}")
        );
        assert_eq!(response.meta.truncated, Some(true));
        assert_eq!(
            response.meta.odata_type.as_deref(),
            Some("microsoft.graph.widget")
        );
        assert_eq!(response.meta.operation, request.meta.operation);

        let list = &examples[2];
        assert!(parse_request_line(list.http.as_deref().unwrap_or_default()).is_some());
        assert_eq!(list.json_text, None);
        assert_eq!(
            list.meta.operation.as_ref().map(|o| o.path.as_str()),
            Some("/widgets/{widgetId}/parts")
        );
        let empty = &examples[3];
        assert_eq!(empty.http.as_deref(), Some("HTTP/1.1 204 No Content"));
        assert_eq!(
            (
                empty.json_text.as_deref(),
                empty.meta.is_collection,
                empty.meta.truncated
            ),
            (None, Some(true), None)
        );
    }

    #[test]
    fn resource_blocks_and_unannotated_blocks() {
        let examples = extract(RESOURCE_PAGE, "docs/beta/resources/widget.md");
        assert_eq!(
            examples.len(),
            1,
            "only the annotated block directly before a fence"
        );
        let resource = &examples[0];
        assert_eq!((resource.index, resource.kind), (1, ExampleKind::Resource));
        assert_eq!(resource.page, "widget");
        assert_eq!(resource.http, None);
        assert_eq!(
            resource.json_text.as_deref(),
            Some("{\n  \"id\": \"String (identifier)\",\n  \"size\": \"Int32\"\n}")
        );
        assert_eq!(
            resource.meta.odata_type.as_deref(),
            Some("microsoft.graph.widget")
        );
        assert_eq!(resource.meta.version.as_deref(), Some("beta"));
    }

    #[test]
    fn version_comes_from_request_urls_when_the_path_has_none() {
        let page = UPDATE_PAGE.replace("/v1.0/", "/beta/");
        let examples = extract(&page, "widget-update.md");
        assert!(examples
            .iter()
            .all(|e| e.meta.version.as_deref() == Some("beta")));
        assert!(extract_markdown_page(RESOURCE_PAGE, "widget.md").is_err());
    }

    #[test]
    fn malformed_pages_are_errors() {
        let unreadable =
            "<!-- { \"blockType\": request } -->\n```http\nGET https://x/v1.0/a\n```\n";
        assert!(extract_markdown_page(unreadable, "v1.0/a.md").is_err());
        let unclosed = "<!-- { \"blockType\": \"request\" } -->\n```http\nGET https://x/v1.0/a\n";
        assert!(extract_markdown_page(unclosed, "v1.0/a.md").is_err());
        let not_a_request = "<!-- { \"blockType\": \"request\" } -->\n```http\nhello\n```\n";
        assert!(extract_markdown_page(not_a_request, "v1.0/a.md").is_err());
        // A comment that is not JSON is not an annotation.
        let plain = "<!-- markdownlint-disable -->\n```http\nGET https://x/v1.0/a\n```\n";
        assert!(extract(plain, "v1.0/a.md").is_empty());
    }

    #[test]
    fn examples_are_written_in_the_fixture_layout() {
        let scratch = crate::scratch_dir();
        let root = scratch.path();
        let page = root.join("widget-update.md");
        std::fs::write(&page, UPDATE_PAGE.replace("/v1.0/", "/beta/")).expect("page");
        let examples = crate::extract_page(&page).expect("extract");
        crate::write_page(&root.join("out"), &examples).expect("write");
        let loaded = load_examples(&root.join("out")).expect("loads");
        assert_eq!(loaded.len(), 4);
        assert!(loaded[0].dir.ends_with("beta/widget-update"));
        assert_eq!(
            loaded[1].meta.odata_type.as_deref(),
            Some("microsoft.graph.widget")
        );
        // What was written reads back as what was extracted.
        let extracted = extract(
            &UPDATE_PAGE.replace("/v1.0/", "/beta/"),
            &page.to_string_lossy(),
        );
        write_example(&root.join("again"), &extracted[0]).expect("writes");
        let again = load_examples(&root.join("again")).expect("loads");
        assert_eq!(again[0].meta, extracted[0].meta);
    }

    #[test]
    fn fences_in_list_items_and_inside_comments() {
        // An annotated example inside a list item; a fence inside a comment is no block; an
        // indented code block is not an example and cancels the annotation before it.
        let page = "1. Call it:\n\n   <!-- { \"blockType\": \"request\" } -->\n   ```http\n   GET https://x/v1.0/a\n   ```\n\n<!--\n```http\nGET https://x/v1.0/hidden\n```\n-->\n\n<!-- { \"blockType\": \"request\" } -->\n\n    GET https://x/v1.0/indented\n\n```http\nGET https://x/v1.0/plain\n```\n";
        let examples = extract(page, "v1.0/a.md");
        assert_eq!(examples.len(), 1, "{examples:#?}");
        assert_eq!(
            examples[0].http.as_deref(),
            Some("GET https://x/v1.0/a"),
            "the list item's indentation is removed"
        );
        assert_eq!(examples[0].meta.line, Some(5));
        // Line ends written as CRLF read the same.
        let crlf = extract(&page.replace('\n', "\r\n"), "v1.0/a.md");
        assert_eq!(crlf[0].http, examples[0].http);
        let unclosed_comment =
            "<!-- { \"blockType\": \"request\" }\n```http\nGET https://x/v1.0/a\n```\n";
        assert!(extract_markdown_page(unclosed_comment, "v1.0/a.md").is_err());
    }

    #[test]
    fn slugs_and_fences() {
        assert_eq!(
            slug_of("a/b/accessreviewinstance-list-decisions.md").as_deref(),
            Some("accessreviewinstance-list-decisions")
        );
        assert_eq!(slug_of("C:\\docs\\x.MD").as_deref(), Some("x"));
        assert_eq!(slug_of("dir/"), None);
        let fence = Fence::open("  ````http").expect("fence");
        assert!(fence.closes("  ````") && fence.closes("`````") && !fence.closes("```"));
        assert!(Fence::open("``not").is_none());
        assert!(matches("f(on='{on}')", "f(on='x')"));
        assert!(!matches("/a/{x}", "/a/1/2"));
    }
}
