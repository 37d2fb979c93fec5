//! Extraction of documented examples from scraped, plain-text documentation pages.
//!
//! The scrape flattens a page to lines: headings, prose, the documented request templates, and
//! for each example the HTTP request, then the same request as code in several SDK languages,
//! then the HTTP response. Examples are recognised by their HTTP start lines; a JSON body is the
//! brace-balanced block that directly follows the headers, which is what keeps the SDK snippets
//! (which come after the body) out of the capture.

use anyhow::{bail, Context, Result};

pub use super::layout::ExtractedExample;
use super::layout::{
    match_operation, parse_status_line, parse_template, version_of_url, ExampleKind, ExampleMeta,
    OperationRef, METHODS,
};

/// The phrase Graph pages put before a response that shows only some of the data.
const TRUNCATION_NOTE: &str = "might be shortened";

/// Extracts every example of one scraped page, in page order.
///
/// `source_name` is recorded in each example's meta as its source.
pub fn extract_seed_page(text: &str, source_name: &str) -> Result<Vec<ExtractedExample>> {
    let lines: Vec<&str> = text.lines().collect();
    let page = PageFacts::read(&lines);
    let slug = derive_slug(page.title.as_deref(), &page.templates).with_context(|| {
        format!(
            "{source_name}: cannot name the page (title {:?}, templates {:?})",
            page.title, page.templates
        )
    })?;
    let mut examples = match page.title.as_deref().and_then(resource_type_name) {
        Some(type_name) => vec![extract_resource(&lines, type_name, &page)
            .with_context(|| format!("{source_name}: resource page"))?],
        None => extract_http_examples(&lines, &page)
            .with_context(|| format!("{source_name}: examples"))?,
    };
    if examples.is_empty() {
        bail!("{source_name}: no examples found");
    }
    for example in &mut examples {
        example.page = slug.clone();
        example.meta.source = Some(source_name.to_owned());
    }
    Ok(examples)
}

// ---- page-level facts ----

/// What the page says once, independent of any one example.
#[derive(Debug)]
struct PageFacts {
    title: Option<String>,
    version: String,
    templates: Vec<OperationRef>,
    /// The type the "Response" section says a successful call returns.
    response_type: Option<String>,
}

impl PageFacts {
    fn read(lines: &[&str]) -> Self {
        PageFacts {
            title: find_title(lines),
            version: find_version(lines),
            templates: lines.iter().filter_map(|l| parse_template(l)).collect(),
            response_type: response_section_type(lines),
        }
    }
}

fn non_blank<'a>(lines: &'a [&'a str]) -> impl Iterator<Item = &'a str> {
    lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty())
}

/// The title is the line right before `Namespace: ...`; scrapes that lost it have none.
fn find_title(lines: &[&str]) -> Option<String> {
    let mut leading = non_blank(lines);
    let first = leading.next()?;
    let second = leading.next()?;
    second.starts_with("Namespace:").then(|| first.to_owned())
}

/// `beta` or `v1.0`: the example URLs say it best; failing that, beta pages carry a banner
/// about `/beta`, and a page with neither is a v1.0 page.
fn find_version(lines: &[&str]) -> String {
    let from_urls = non_blank(lines)
        .filter_map(parse_example_request)
        .find_map(|(_, url)| version_of_url(url));
    if let Some(version) = from_urls {
        return version.to_owned();
    }
    let has_beta_banner = non_blank(lines).any(|l| l.starts_with("APIs under the /beta"));
    if has_beta_banner { "beta" } else { "v1.0" }.to_owned()
}

/// An example request start line: `METHOD https://graph.microsoft.com/...`.
fn parse_example_request(line: &str) -> Option<(&str, &str)> {
    let (method, url) = line.trim().split_once(' ')?;
    let url = url.trim();
    // No whitespace check: `$filter` values in documented URLs contain unencoded spaces.
    let is_request =
        METHODS.contains(&method) && (url.starts_with("https://") || url.starts_with("http://"));
    is_request.then_some((method, url))
}

// ---- the "Response" section ----

fn is_heading(line: &str) -> bool {
    matches!(line, "Examples" | "Request" | "Response") || line.starts_with("Example ")
}

/// Reads the first "Response" section ("... returns a 200 OK response code and a collection of
/// X objects ...") and turns what it names into an OData type.
fn response_section_type(lines: &[&str]) -> Option<String> {
    let mut body = non_blank(lines).skip_while(|l| *l != "Response").skip(1);
    let prose: Vec<&str> = body.by_ref().take_while(|l| !is_heading(l)).collect();
    odata_type_named_in(&prose.join(" "))
}

/// Finds "a collection of X objects" or "a/an [updated] X object" in prose.
fn odata_type_named_in(prose: &str) -> Option<String> {
    const NOT_TYPES: [&str; 6] = ["empty", "new", "updated", "response", "the", "error"];
    let words: Vec<&str> = prose
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_ascii_alphanumeric()))
        .collect();
    words.windows(2).enumerate().find_map(|(i, pair)| {
        let (name, next) = (pair[0], pair[1]);
        let names_a_type = next.starts_with("object")
            && name.starts_with(|c: char| c.is_ascii_lowercase())
            && name.chars().all(|c| c.is_ascii_alphanumeric())
            && !NOT_TYPES.contains(&name);
        if !names_a_type {
            return None;
        }
        let is_collection = i >= 2 && words[i - 2] == "collection" && words[i - 1] == "of";
        Some(if is_collection {
            format!("Collection(microsoft.graph.{name})")
        } else {
            format!("microsoft.graph.{name}")
        })
    })
}

// ---- page naming ----

/// `X` of a title `X resource type`.
fn resource_type_name(title: &str) -> Option<&str> {
    let name = title.strip_suffix(" resource type")?.trim();
    (!name.is_empty() && !name.contains(' ')).then_some(name)
}

/// Names a page the way the reference docs examples do: resource pages by their type
/// (`accessreviewinstance`), API pages by the entity the first documented template addresses
/// and the operation (`accessreviewinstance-update`, `accessreviewinstance-list-decisions`,
/// `accessreviewinstance-resetdecisions`).
fn derive_slug(title: Option<&str>, templates: &[OperationRef]) -> Option<String> {
    if let Some(type_name) = title.and_then(resource_type_name) {
        return Some(type_name.to_lowercase());
    }
    let template = templates.first()?;
    let segments: Vec<&str> = template.path.trim_matches('/').split('/').collect();
    let (last, before_last) = match segments.as_slice() {
        [.., before_last, last] => (*last, *before_last),
        _ => return None,
    };
    let method = template.method.as_str();

    // The template ends at an entity: the operation acts on that entity.
    if let Some(entity) = entity_of_key_segment(last) {
        let operation = match method {
            "GET" => "get",
            "PATCH" | "PUT" => "update",
            "DELETE" => "delete",
            _ => return None,
        };
        return Some(format!("{entity}-{operation}"));
    }

    // The template ends at something of an entity: a navigation property, action or function.
    let entity = entity_of_key_segment(before_last)?;
    let (name, is_function_call) = match last.split_once('(') {
        Some((name, _)) => (name, true),
        None => (last, false),
    };
    let name = name.trim_start_matches("microsoft.graph.").to_lowercase();
    let is_create = title.is_some_and(|t| t.starts_with("Create"));
    let operation = match method {
        "GET" if !is_function_call => format!("list-{name}"),
        "POST" if is_create => format!("post-{name}"),
        "GET" | "POST" => name,
        _ => return None,
    };
    Some(format!("{entity}-{operation}"))
}

/// `{accessReviewInstanceId}` → `accessreviewinstance`.
fn entity_of_key_segment(segment: &str) -> Option<String> {
    let key = segment.strip_prefix('{')?.strip_suffix('}')?;
    let entity = key.strip_suffix("Id").or_else(|| key.strip_suffix("-id"))?;
    (!entity.is_empty()).then(|| entity.to_lowercase())
}

// ---- matching example URLs to templates ----

// ---- HTTP examples ----

/// Headers the pages use without a hyphen in their name. Requiring a hyphen otherwise keeps
/// prose such as `Note: ...` from being read as a header.
const PLAIN_HEADER_NAMES: [&str; 7] = [
    "authorization",
    "accept",
    "prefer",
    "location",
    "consistencylevel",
    "host",
    "etag",
];

fn is_header_line(line: &str) -> bool {
    let Some((name, value)) = line.split_once(':') else {
        return false;
    };
    let well_formed = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !value.trim().is_empty();
    well_formed
        && (name.contains('-') || PLAIN_HEADER_NAMES.contains(&name.to_ascii_lowercase().as_str()))
}

/// A start line, its headers, and the JSON body right after them.
struct HttpBlock {
    http: String,
    json_text: Option<String>,
    /// Index of the first line after the block.
    end: usize,
}

fn read_http_block(lines: &[&str], start: usize) -> Result<HttpBlock> {
    let mut http_lines = vec![lines[start].trim()];
    let mut next = start + 1;
    while let Some(line) = lines
        .get(next)
        .map(|l| l.trim())
        .filter(|l| is_header_line(l))
    {
        http_lines.push(line);
        next += 1;
    }
    let body_start = (next..lines.len())
        .find(|&i| !lines[i].trim().is_empty())
        .filter(|&i| lines[i].trim_start().starts_with(['{', '[']));
    let (json_text, end) = match body_start {
        Some(body_start) => {
            let body_end = balanced_block_end(lines, body_start)?;
            (Some(reindent(&lines[body_start..body_end])), body_end)
        }
        None => (None, next),
    };
    Ok(HttpBlock {
        http: http_lines.join("\n"),
        json_text,
        end,
    })
}

fn extract_http_examples(lines: &[&str], page: &PageFacts) -> Result<Vec<ExtractedExample>> {
    let mut examples = Vec::new();
    let mut index = 0;
    // The request whose response is still to come: its operation and where its block ended.
    let mut pending: Option<(Option<OperationRef>, usize)> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        if let Some((method, url)) = parse_example_request(line) {
            index += 1;
            let block = read_http_block(lines, i)?;
            let operation = match_operation(method, url, &page.templates);
            let meta = example_meta(ExampleKind::Request, page, operation.clone(), i);
            examples.push(example(
                index,
                ExampleKind::Request,
                block.http,
                block.json_text,
                meta,
            ));
            pending = Some((operation, block.end));
            i = block.end;
            continue;
        }
        if let (Some((operation, request_end)), Some(_)) = (&pending, parse_status_line(line)) {
            let block = read_http_block(lines, i)?;
            let mut meta = example_meta(ExampleKind::Response, page, operation.clone(), i);
            meta.odata_type = page.response_type.clone();
            let noted_truncated = lines[*request_end..i]
                .iter()
                .any(|l| l.contains(TRUNCATION_NOTE));
            meta.truncated = noted_truncated.then_some(true);
            examples.push(example(
                index,
                ExampleKind::Response,
                block.http,
                block.json_text,
                meta,
            ));
            pending = None;
            i = block.end;
            continue;
        }
        i += 1;
    }
    Ok(examples)
}

fn example(
    index: u32,
    kind: ExampleKind,
    http: String,
    json_text: Option<String>,
    meta: ExampleMeta,
) -> ExtractedExample {
    ExtractedExample {
        page: String::new(), // named once the whole page is read
        index,
        kind,
        http: Some(http),
        json_text,
        meta,
    }
}

fn example_meta(
    kind: ExampleKind,
    page: &PageFacts,
    operation: Option<OperationRef>,
    line_index: usize,
) -> ExampleMeta {
    ExampleMeta {
        block_type: Some(kind.as_str().to_owned()),
        operation,
        line: u32::try_from(line_index + 1).ok(),
        version: Some(page.version.clone()),
        ..ExampleMeta::default()
    }
}

// ---- the resource page's JSON representation ----

fn looks_like_json_line(line: &str) -> bool {
    line.starts_with(['"', '{', '}', '[', ']'])
}

fn extract_resource(lines: &[&str], type_name: &str, page: &PageFacts) -> Result<ExtractedExample> {
    let Some(heading) = lines.iter().position(|l| l.trim() == "JSON representation") else {
        bail!("no \"JSON representation\" section");
    };
    let Some(start) = (heading + 1..lines.len()).find(|&i| looks_like_json_line(lines[i].trim()))
    else {
        bail!("the \"JSON representation\" section holds no JSON");
    };
    let mut meta = example_meta(ExampleKind::Resource, page, None, start);
    meta.odata_type = Some(format!("microsoft.graph.{type_name}"));

    let json_text = if lines[start].trim_start().starts_with('{') {
        reindent(&lines[start..balanced_block_end(lines, start)?])
    } else {
        // The scrape dropped every line that held only brackets; rebuild them.
        let block: Vec<&str> = lines[start..]
            .iter()
            .copied()
            .take_while(|l| looks_like_json_line(l.trim()))
            .collect();
        meta.repairs.push("scrape-lost-braces".to_owned());
        meta.original_lines = Some(block.iter().map(|l| (*l).to_owned()).collect());
        rebuild_lost_braces(&block)
    };
    Ok(ExtractedExample {
        page: String::new(),
        index: 1,
        kind: ExampleKind::Resource,
        http: None,
        json_text: Some(json_text),
        meta,
    })
}

/// One open container while rebuilding brackets from indentation.
struct OpenContainer {
    closer: char,
    /// Indentation of the container's first item; a shallower line closes the container.
    item_indent: Option<usize>,
    has_items: bool,
}

impl OpenContainer {
    fn new(closer: char) -> Self {
        OpenContainer {
            closer,
            item_indent: None,
            has_items: false,
        }
    }
}

/// Rebuilds a JSON object whose bracket-only lines were lost, from the indentation of what is
/// left. A line ending in `{` or `[` opens a container; a line shallower than the items of the
/// innermost container closes it; a `"key": value` line directly inside an array means the
/// array's element object lost its braces too. Separating commas are normalised on the way.
fn rebuild_lost_braces(lines: &[&str]) -> String {
    let mut out: Vec<String> = vec!["{".to_owned()];
    let mut open = vec![OpenContainer::new('}')];
    for line in lines {
        let indent = line.len() - line.trim_start().len();
        let content = line.trim().trim_end_matches(',').trim_end();
        if content.is_empty() {
            continue;
        }
        while open.len() > 1
            && open
                .last()
                .and_then(|c| c.item_indent)
                .is_some_and(|i| indent < i)
        {
            close_container(&mut open, &mut out);
        }
        if open.last().is_some_and(|c| c.closer == ']') && is_member_line(content) {
            start_item(&mut open, &mut out, indent);
            out.push("{".to_owned());
            let mut object = OpenContainer::new('}');
            object.item_indent = Some(indent);
            open.push(object);
        }
        start_item(&mut open, &mut out, indent);
        out.push(content.to_owned());
        if content.ends_with('{') {
            open.push(OpenContainer::new('}'));
        } else if content.ends_with('[') {
            open.push(OpenContainer::new(']'));
        }
    }
    while !open.is_empty() {
        close_container(&mut open, &mut out);
    }
    let out: Vec<&str> = out.iter().map(String::as_str).collect();
    reindent(&out)
}

/// Records a new item in the innermost container, separating it from the previous one.
fn start_item(open: &mut [OpenContainer], out: &mut [String], indent: usize) {
    let Some(container) = open.last_mut() else {
        return;
    };
    container.item_indent.get_or_insert(indent);
    if container.has_items {
        if let Some(previous) = out.last_mut() {
            previous.push(',');
        }
    }
    container.has_items = true;
}

fn close_container(open: &mut Vec<OpenContainer>, out: &mut Vec<String>) {
    if let Some(container) = open.pop() {
        out.push(container.closer.to_string());
    }
}

/// `"key": ...` (as opposed to a bare value in an array).
fn is_member_line(content: &str) -> bool {
    let Some(after_quote) = content.strip_prefix('"') else {
        return false;
    };
    let mut escaped = false;
    for (i, c) in after_quote.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return after_quote[i + 1..].trim_start().starts_with(':'),
            _ => {}
        }
    }
    false
}

// ---- bracket balance and indentation ----

/// Tracks bracket depth over JSON text line by line, ignoring brackets inside strings. Strings
/// may span lines: the pages sometimes break a long value.
#[derive(Debug, Default, Clone, Copy)]
struct BracketScan {
    depth: usize,
    in_string: bool,
    escaped: bool,
}

impl BracketScan {
    fn feed(&mut self, line: &str) {
        for c in line.chars() {
            if self.in_string {
                match c {
                    _ if self.escaped => self.escaped = false,
                    '\\' => self.escaped = true,
                    '"' => self.in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => self.in_string = true,
                '{' | '[' => self.depth += 1,
                '}' | ']' => self.depth = self.depth.saturating_sub(1),
                _ => {}
            }
        }
    }
}

/// The index just past the line that closes the bracket opened at `start`.
fn balanced_block_end(lines: &[&str], start: usize) -> Result<usize> {
    let mut scan = BracketScan::default();
    for (i, line) in lines.iter().enumerate().skip(start) {
        scan.feed(line);
        if scan.depth == 0 && !scan.in_string {
            return Ok(i + 1);
        }
    }
    bail!("the JSON block starting at line {} never closes", start + 1)
}

/// Re-indents JSON text by bracket depth, two spaces a level, without touching anything else:
/// defects such as trailing commas or duplicate keys stay exactly as written, and lines that
/// continue a string broken across lines are left alone because their spaces are data.
fn reindent(lines: &[&str]) -> String {
    let mut scan = BracketScan::default();
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        let starts_in_string = scan.in_string;
        let depth_before = scan.depth;
        scan.feed(line);
        let mut text = if starts_in_string {
            *line
        } else {
            line.trim_start()
        };
        if !scan.in_string {
            text = text.trim_end();
        }
        if starts_in_string {
            out.push(text.to_owned());
            continue;
        }
        let leading_closers = text.chars().take_while(|c| matches!(c, '}' | ']')).count();
        let indent = depth_before.saturating_sub(leading_closers);
        out.push(format!("{}{text}", "  ".repeat(indent)));
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{load_examples, parse_request_line, path_of_url, write_example};

    /// Template matching is the runtime's (shared with the request builders).
    fn matches(template: &str, path: &str) -> bool {
        graph_runtime::http::match_template(template, path).is_some()
    }
    use crate::lenient::parse_lenient;
    use serde_json::{json, Value};

    fn op(method: &str, path: &str) -> OperationRef {
        OperationRef {
            method: method.into(),
            path: path.into(),
        }
    }

    // ---- small inline pages (written for these tests) ----

    const WIDGET_PAGE: &str = "\
Update widget
Namespace: microsoft.graph
Update a widget.
HTTP request
PATCH /shops/{shopId}/widgets/{widgetId}
Response
If successful, this method returns a 200 OK
response code and an updated widget object in the response body.
Examples
Request
PATCH https://graph.microsoft.com/v1.0/shops/1/widgets/2?$select=name
Content-Type: application/json

{
\"name\": \"w\",
\"tags\": [\"a{\", \"b]\"],
}
// Code snippets are only available for the latest version.
var body = new Widget
{
Name = \"w\",
};
Response
Note: The response object shown here might be shortened for readability.
HTTP/1.1 200 OK
Content-Type: application/json

{
    \"name\": \"w\"
}
const options = {
};
";

    #[test]
    fn extracts_request_and_response_without_code_samples() {
        let examples = extract_seed_page(WIDGET_PAGE, "inline").expect("extracts");
        assert_eq!(examples.len(), 2);
        let (request, response) = (&examples[0], &examples[1]);
        assert_eq!(request.page, "widget-update");
        assert_eq!(request.kind, ExampleKind::Request);
        assert_eq!(
            request.http.as_deref(),
            Some("PATCH https://graph.microsoft.com/v1.0/shops/1/widgets/2?$select=name\nContent-Type: application/json")
        );
        // Exactly as written (trailing comma kept, brackets in strings ignored), re-indented.
        assert_eq!(
            request.json_text.as_deref(),
            Some("{\n  \"name\": \"w\",\n  \"tags\": [\"a{\", \"b]\"],\n}")
        );
        assert_eq!(
            request.meta.operation,
            Some(op("PATCH", "/shops/{shopId}/widgets/{widgetId}"))
        );
        assert_eq!(request.meta.version.as_deref(), Some("v1.0"));
        assert_eq!(request.meta.source.as_deref(), Some("inline"));
        assert_eq!(request.meta.odata_type, None);

        assert_eq!(response.kind, ExampleKind::Response);
        assert_eq!(response.index, 1);
        assert_eq!(
            response.json_text.as_deref(),
            Some("{\n  \"name\": \"w\"\n}")
        );
        assert_eq!(
            response.meta.odata_type.as_deref(),
            Some("microsoft.graph.widget")
        );
        assert_eq!(response.meta.truncated, Some(true));
        assert_eq!(response.meta.operation, request.meta.operation);
    }

    #[test]
    fn untitled_action_page_without_response() {
        let page = "\
HTTP request
POST /shops/{shopId}/restock
POST https://graph.microsoft.com/beta/shops/9/restock
// Code snippets are only available for the latest version.
await client.Shops[\"{shop-id}\"].Restock.PostAsync();
";
        let examples = extract_seed_page(page, "inline").expect("extracts");
        assert_eq!(examples.len(), 1);
        assert_eq!(examples[0].page, "shop-restock");
        assert_eq!(examples[0].json_text, None);
        assert_eq!(examples[0].meta.version.as_deref(), Some("beta"));
        assert_eq!(
            examples[0].meta.operation,
            Some(op("POST", "/shops/{shopId}/restock"))
        );
    }

    #[test]
    fn status_line_is_kept_as_written_and_unmatched_urls_have_no_operation() {
        let page = "\
List widgets
Namespace: microsoft.graph
GET /shops/{shopId}/widgets
Response
If successful, this method returns a 200 OK response code and a collection of widget objects in the response body.
Examples
GET https://graph.microsoft.com/v1.0/widgets/filterByCurrentUser(on='reviewer')
HTTP/1.1 204 Accepted
Example 2: next
";
        let examples = extract_seed_page(page, "inline").expect("extracts");
        assert_eq!(examples.len(), 2);
        assert_eq!(examples[0].page, "shop-list-widgets");
        assert_eq!(examples[0].meta.operation, None);
        assert_eq!(examples[1].http.as_deref(), Some("HTTP/1.1 204 Accepted"));
        assert_eq!(
            examples[1].meta.odata_type.as_deref(),
            Some("Collection(microsoft.graph.widget)")
        );
        assert_eq!(examples[1].meta.truncated, None);
    }

    #[test]
    fn version_comes_from_the_beta_banner_without_urls() {
        let lines = [
            "Shop resource type",
            "Namespace: microsoft.graph",
            "APIs under the /beta",
            "version in Microsoft Graph",
        ];
        assert_eq!(find_version(&lines), "beta");
        assert_eq!(find_version(&lines[..2]), "v1.0");
    }

    #[test]
    fn lost_braces_are_rebuilt_from_indentation() {
        let page = "\
shop resource type
Namespace: microsoft.graph
JSON representation
Here's a JSON representation of the resource.
 \"id\": \"string\",
 \"address\": {
    \"city\": \"string\"
  \"owners\": [
      \"@odata.type\": \"microsoft.graph.person\"
  \"tags\": [
     \"string\"
  \"open\": true
";
        let examples = extract_seed_page(page, "inline").expect("extracts");
        assert_eq!(examples.len(), 1);
        let resource = &examples[0];
        assert_eq!(resource.page, "shop");
        assert_eq!(resource.kind, ExampleKind::Resource);
        assert_eq!(
            resource.meta.odata_type.as_deref(),
            Some("microsoft.graph.shop")
        );
        assert_eq!(resource.meta.repairs, ["scrape-lost-braces"]);
        assert_eq!(resource.meta.original_lines.as_ref().map(Vec::len), Some(8));
        let text = resource.json_text.as_deref().expect("json");
        let value: Value = serde_json::from_str(text).expect("rebuilt JSON is valid");
        assert_eq!(
            value,
            json!({
                "id": "string",
                "address": {"city": "string"},
                "owners": [{"@odata.type": "microsoft.graph.person"}],
                "tags": ["string"],
                "open": true
            })
        );
    }

    #[test]
    fn intact_json_representation_is_only_reindented() {
        let page = "shop resource type\nNamespace: microsoft.graph\nJSON representation\n{\n\"id\": \"string\"\n}\n";
        let examples = extract_seed_page(page, "inline").expect("extracts");
        assert_eq!(
            examples[0].json_text.as_deref(),
            Some("{\n  \"id\": \"string\"\n}")
        );
        assert!(examples[0].meta.repairs.is_empty());
    }

    #[test]
    fn reindent_leaves_broken_strings_alone() {
        let text = reindent(&[
            "{",
            "\"q\": \"a eq",
            "      'b'\",",
            "\"r\": [",
            "1",
            "]",
            "}",
        ]);
        assert_eq!(
            text,
            "{\n  \"q\": \"a eq\n      'b'\",\n  \"r\": [\n    1\n  ]\n}"
        );
    }

    #[test]
    fn unbalanced_body_is_an_error() {
        let page = "GET /a\nGET https://graph.microsoft.com/v1.0/a\nContent-Type: application/json\n\n{\n\"a\": 1\n";
        assert!(extract_seed_page(page, "inline").is_err());
    }

    #[test]
    fn template_segments_match_one_segment_each() {
        assert!(matches("{id}", "123"));
        assert!(matches(
            "filterByCurrentUser(on='{on}')",
            "filterByCurrentUser(on='reviewer')"
        ));
        assert!(!matches(
            "filterByCurrentUser(on='{on}')",
            "filterByCurrentUser(on=)"
        ));
        assert!(matches("/a/{x}/b", "/a/1/b"));
        assert!(!matches("/a/{x}/b", "/a/1/2/b"));
        assert_eq!(
            path_of_url("https://graph.microsoft.com/beta/a/b?$top=1"),
            "/beta/a/b"
        );
    }

    #[test]
    fn prose_names_response_types() {
        assert_eq!(
            odata_type_named_in("returns a 200 OK response code and an updated accessReviewInstance object in the response body."),
            Some("microsoft.graph.accessReviewInstance".to_owned())
        );
        assert_eq!(
            odata_type_named_in(
                "a 200 OK response code and a collection of accessReviewStage objects"
            ),
            Some("Collection(microsoft.graph.accessReviewStage)".to_owned())
        );
        assert_eq!(
            odata_type_named_in("returns a 204 No Content response code and no response body."),
            None
        );
        assert_eq!(odata_type_named_in("returns an empty object"), None);
    }

    #[test]
    fn headers_are_not_confused_with_prose() {
        assert!(is_header_line("Content-Type: application/json"));
        assert!(is_header_line("Content-type: application/json"));
        assert!(is_header_line("Prefer: return=minimal"));
        assert!(!is_header_line(
            "Note: The response object shown here might be shortened."
        ));
        assert!(!is_header_line("Example 2: Update a decision"));
    }

    // ---- the five seed pages ----

    struct Expected {
        file: &'static str,
        slug: &'static str,
        version: &'static str,
        /// (kind, method or status code, operation path when matched).
        examples: &'static [(ExampleKind, &'static str, Option<&'static str>)],
    }

    const RESET: &str = "/identityGovernance/accessReviews/definitions/{accessReviewScheduleDefinitionId}/instances/{accessReviewInstanceId}/resetDecisions";
    const STAGE_DECISION: &str = "/identityGovernance/accessReviews/definitions/{accessReviewScheduleDefinitionId}/instances/{accessReviewInstanceId}/stages/{accessReviewStageId}/decisions/{accessReviewInstanceDecisionItemId}";
    const INSTANCE: &str = "/identityGovernance/accessReviews/definitions/{accessReviewScheduleDefinitionId}/instances/{accessReviewInstanceId}";
    const DECISIONS: &str = "/identityGovernance/accessReviews/definitions/{accessReviewScheduleDefinitionId}/instances/{accessReviewInstanceId}/decisions";

    use ExampleKind::{Request as Req, Resource as Res, Response as Resp};

    const EXPECTED: [Expected; 5] = [
        Expected {
            file: "000_e03ce191938ef965.txt",
            slug: "accessreviewinstance-resetdecisions",
            version: "v1.0",
            examples: &[(Req, "POST", Some(RESET))],
        },
        Expected {
            file: "001_8fff80edf0576178.txt",
            slug: "accessreviewinstancedecisionitem-update",
            version: "beta",
            examples: &[
                (Req, "PATCH", Some(STAGE_DECISION)),
                (Resp, "204", Some(STAGE_DECISION)),
                (Req, "PATCH", Some(STAGE_DECISION)),
                (Resp, "204", Some(STAGE_DECISION)),
            ],
        },
        Expected {
            file: "002_52a4ea98d93e77e2.txt",
            slug: "accessreviewinstance-update",
            version: "beta",
            examples: &[(Req, "PUT", Some(INSTANCE)), (Resp, "200", Some(INSTANCE))],
        },
        Expected {
            file: "003_427d2390a7142cc2.txt",
            slug: "accessreviewinstance",
            version: "beta",
            examples: &[(Res, "", None)],
        },
        Expected {
            file: "004_50792f8e42cdce80.txt",
            slug: "accessreviewinstance-list-decisions",
            version: "v1.0",
            examples: &[
                (Req, "GET", Some(DECISIONS)),
                (Resp, "200", Some(DECISIONS)),
                (Req, "GET", None),
                (Resp, "200", None),
                (Req, "GET", Some(DECISIONS)),
                (Resp, "200", Some(DECISIONS)),
            ],
        },
    ];

    fn check_seed_example(
        example: &ExtractedExample,
        expected: &(ExampleKind, &str, Option<&str>),
    ) {
        let (kind, start, operation) = *expected;
        let label = format!(
            "{} {}-{}",
            example.page,
            example.index,
            example.kind.as_str()
        );
        assert_eq!(example.kind, kind, "{label}");
        assert_eq!(
            example.meta.operation.as_ref().map(|o| o.path.as_str()),
            operation,
            "{label}"
        );
        let http = example.http.as_deref().unwrap_or_default();
        match kind {
            Req => {
                let request = parse_request_line(http).expect("request line");
                assert_eq!(request.method, start, "{label}");
                let prefix = format!(
                    "https://graph.microsoft.com/{}/",
                    example.meta.version.as_deref().unwrap_or_default()
                );
                assert!(request.url.starts_with(&prefix), "{label}: {}", request.url);
                let has_body_header = request
                    .headers
                    .iter()
                    .any(|(n, _)| n.eq_ignore_ascii_case("content-type"));
                assert_eq!(has_body_header, example.json_text.is_some(), "{label}");
            }
            Resp => {
                let status = parse_status_line(http).expect("status line");
                assert_eq!(status.code.to_string(), start, "{label}");
                assert_eq!(status.code == 200, example.json_text.is_some(), "{label}");
            }
            Res => assert!(example.http.is_none()),
        }
        if let Some(text) = &example.json_text {
            let lines: Vec<&str> = text.lines().collect();
            assert_eq!(
                balanced_block_end(&lines, 0).ok(),
                Some(lines.len()),
                "{label}: balanced"
            );
            assert!(
                !text.contains("graphClient") && !text.contains("GraphServiceClient"),
                "{label}"
            );
            assert!(parse_lenient(text).is_ok(), "{label}");
        }
    }

    #[test]
    fn the_five_seed_pages() {
        let Some(seeds) = crate::shared_path("seeds") else {
            return;
        };
        let scratch = crate::scratch_dir();
        let mut written = 0;
        for expected in &EXPECTED {
            let text = std::fs::read_to_string(seeds.join(expected.file)).expect("seed page");
            let examples = extract_seed_page(&text, expected.file).expect("extracts");
            println!(
                "{}: {} examples ({})",
                expected.file,
                examples.len(),
                expected.slug
            );
            assert_eq!(examples.len(), expected.examples.len(), "{}", expected.file);
            for (example, wanted) in examples.iter().zip(expected.examples) {
                assert_eq!(example.page, expected.slug);
                assert_eq!(example.meta.version.as_deref(), Some(expected.version));
                check_seed_example(example, wanted);
                write_example(scratch.path(), example).expect("writes");
                written += 1;
            }
        }
        assert_eq!(
            load_examples(scratch.path()).expect("loads back").len(),
            written
        );
        if std::env::var_os("KEEP_SEED_FIXTURES").is_some() {
            println!("seed fixtures kept in {}", scratch.keep().display());
        }
    }

    /// Details the page-level checks above do not cover.
    #[test]
    fn seed_page_details() {
        let Some(seeds) = crate::shared_path("seeds") else {
            return;
        };
        let read = |file: &str| {
            let text = std::fs::read_to_string(seeds.join(file)).expect("seed page");
            extract_seed_page(&text, file).expect("extracts")
        };
        let defects = |example: &ExtractedExample| -> Vec<&'static str> {
            let text = example.json_text.as_deref().expect("body");
            parse_lenient(text)
                .expect("parses")
                .1
                .iter()
                .map(|d| d.name())
                .collect()
        };

        let decision_update = read("001_8fff80edf0576178.txt");
        assert_eq!(defects(&decision_update[0]), ["trailing-comma"]);
        assert_eq!(
            decision_update[1].http.as_deref(),
            Some("HTTP/1.1 204 Accepted")
        );
        assert_eq!(decision_update[1].meta.odata_type, None);

        let instance_update = read("002_52a4ea98d93e77e2.txt");
        assert_eq!(
            instance_update[1].meta.odata_type.as_deref(),
            Some("microsoft.graph.accessReviewInstance")
        );
        assert_eq!(instance_update[1].meta.truncated, Some(true));

        let resource = &read("003_427d2390a7142cc2.txt")[0];
        assert_eq!(
            resource.meta.odata_type.as_deref(),
            Some("microsoft.graph.accessReviewInstance")
        );
        assert_eq!(resource.meta.repairs, ["scrape-lost-braces"]);
        let rebuilt: Value =
            serde_json::from_str(resource.json_text.as_deref().expect("json")).expect("valid");
        assert_eq!(
            rebuilt["reviewers"][0]["@odata.type"],
            "microsoft.graph.accessReviewReviewerScope"
        );
        assert_eq!(
            rebuilt["scope"]["@odata.type"],
            "microsoft.graph.accessReviewScope"
        );
        assert_eq!(rebuilt.as_object().map(|o| o.len()), Some(10));
        // The same representation, with braces intact, as the reference extracted it.
        if let Some(reference) =
            crate::shared_path("graph/docs-examples/2022/beta/accessreviewinstance")
        {
            let text =
                std::fs::read_to_string(reference.join("1-resource.json")).expect("reference");
            assert_eq!(
                rebuilt,
                serde_json::from_str::<Value>(&text).expect("valid")
            );
        }

        let list = read("004_50792f8e42cdce80.txt");
        assert_eq!(defects(&list[1]), ["duplicate-key", "duplicate-key"]);
        assert_eq!(
            defects(&list[3]),
            ["odata-type-without-at", "odata-type-without-at"]
        );
        assert!(list[4]
            .http
            .as_deref()
            .is_some_and(|h| h.ends_with("decisions?$expand=insights")));
        assert!(list.iter().filter(|e| e.kind == Resp).all(|e| {
            e.meta.odata_type.as_deref()
                == Some("Collection(microsoft.graph.accessReviewInstanceDecisionItem)")
                && e.meta.truncated == Some(true)
        }));
    }

    /// Seed slugs name the same pages as the reference docs examples, and the bodies agree
    /// with the reference's current (or 2022) extraction of the same page where it has one.
    #[test]
    fn seed_pages_agree_with_the_reference_examples() {
        let (Some(seeds), Some(reference)) = (
            crate::shared_path("seeds"),
            crate::shared_path("graph/docs-examples"),
        ) else {
            return;
        };
        for expected in &EXPECTED {
            let text = std::fs::read_to_string(seeds.join(expected.file)).expect("seed page");
            let examples = extract_seed_page(&text, expected.file).expect("extracts");
            let page_dirs: Vec<_> = ["current", "2022"]
                .iter()
                .map(|era| {
                    reference
                        .join(era)
                        .join(expected.version)
                        .join(expected.slug)
                })
                .filter(|dir| dir.is_dir())
                .collect();
            assert!(
                !page_dirs.is_empty(),
                "no reference page named {}",
                expected.slug
            );
            for example in &examples {
                let Some(text) = &example.json_text else {
                    continue;
                };
                let name = format!("{}-{}.json", example.index, example.kind.as_str());
                let Some(reference_file) = page_dirs
                    .iter()
                    .map(|d| d.join(&name))
                    .find(|p| p.is_file())
                else {
                    println!("{}/{name}: no reference body to compare", expected.slug);
                    continue;
                };
                let theirs = std::fs::read_to_string(&reference_file).expect("reference body");
                let ours = parse_lenient(text).expect("ours parses").0;
                let theirs = parse_lenient(&theirs).expect("theirs parses").0;
                println!(
                    "{}/{name}: compared with {}",
                    expected.slug,
                    reference_file.display()
                );
                assert_eq!(ours, theirs, "{}/{name}", expected.slug);
            }
        }
    }
}
