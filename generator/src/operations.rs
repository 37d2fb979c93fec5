//! Step 2b: resolve the document's paths into the IR of the requests crate: a tree of
//! request builders that follows the URL (`definitions().by_id(d).instances()`), one
//! operation builder per path and method, with typed query options, bodies and responses.
//! Every name is decided here.

use std::collections::BTreeSet;

use openapiv3::{OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr};

use crate::error::{Error, ErrorKind, Errors, Pointer};
use crate::ir::{BodyEncoding, Model, OperationTypes, TypeId, TypeKind, TypeRef};
use crate::naming::{self, Namespace};

/// The request builders of a document.
#[derive(Debug, Clone)]
pub struct Api {
    /// Every node of the path tree; `nodes[0]` is the root `/`.
    pub nodes: Vec<Node>,
    /// Where request chains start, the primary one first: for each top-level segment, the
    /// first node below it that branches or has operations
    /// (`/identityGovernance/accessReviews` for our spec).
    pub entries: Vec<Entry>,
}

/// A starting point of request chains.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The node.
    pub node: usize,
    /// The `Api` method that returns its builder (`access_reviews`).
    pub method: String,
}

/// One position in the URL tree.
#[derive(Debug, Clone)]
pub struct Node {
    /// The builder type's name (`DefinitionsItemInstances`); for a collapsed node, the name
    /// of its only operation's builder.
    pub name: String,
    /// What the last segment is.
    pub segment: Segment,
    /// The method on the parent builder that leads here (`instances`, `by_id`, `stop`).
    pub method: String,
    /// The path template up to here.
    pub template: String,
    /// Children, in the order their paths appear in the document.
    pub children: Vec<usize>,
    /// Operations on this exact path.
    pub operations: Vec<Operation>,
    /// True for a leaf with one operation: the parent's method returns the operation builder
    /// directly (`...instances().by_id(i).reset_decisions()` is ready to send).
    pub collapsed: bool,
    /// The module that holds this path's builder and operations, named after its last
    /// segment and unique among its siblings; its file sits in its parent's directory
    /// (`access_reviews/definitions/item.rs`), so the files follow the URL. Empty for a
    /// collapsed node, whose operation lives in its parent's module.
    pub module: String,
}

/// A path segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// The root `/`.
    Root,
    /// A fixed segment (`definitions`, `$count`, `resetDecisions`).
    Literal(String),
    /// A key (`{accessReviewInstanceId}`).
    Key(String),
    /// An OData function call with parameters (`filterByCurrentUser(on='{on}')`).
    Function {
        /// The function name.
        name: String,
        /// The segment as the spec writes it.
        template: String,
        /// The parameters, in template order.
        parameters: Vec<FunctionParameter>,
    },
}

/// A parameter of a function segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionParameter {
    /// The placeholder name in the template.
    pub name: String,
    /// The Rust argument name.
    pub argument: String,
    /// Its type: a generated enum, or text.
    pub enum_type: Option<TypeId>,
}

/// One operation (path + method).
#[derive(Debug, Clone)]
pub struct Operation {
    /// The operation builder's type name.
    pub name: String,
    /// The method on the node builder that starts it (`list`, `get`, `update`); unused when
    /// the node is collapsed.
    pub verb: String,
    /// The HTTP method.
    pub method: HttpMethod,
    /// The HTTP method as text, upper case (`method.as_str()`).
    pub http_method: String,
    /// The path template.
    pub template: String,
    /// Documentation text.
    pub doc: String,
    /// Query options the operation declares.
    pub query: Vec<OptionParameter>,
    /// Headers the operation declares.
    pub headers: Vec<OptionParameter>,
    /// The request body, when the operation takes one.
    pub body: Option<Body>,
    /// What a success response holds.
    pub response: ResponseKind,
    /// True for an OData action or function (`x-ms-docs-operation-type: action` or
    /// `function`), which is the only operation its path can ever have.
    pub is_action_or_function: bool,
}

/// The HTTP methods a generated builder sends. OpenAPI also allows `head`, `options` and
/// `trace` operations; the runtime has no such methods, so those are rejected when the paths
/// are checked, and every match on this enum is exhaustive: a method can't quietly become
/// another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl HttpMethod {
    /// The method of an operation key of a path item (`get`, `post`, ...); `None` for the
    /// ones the generator can't emit.
    pub fn from_key(key: &str) -> Option<Self> {
        match key {
            "get" => Some(HttpMethod::Get),
            "post" => Some(HttpMethod::Post),
            "put" => Some(HttpMethod::Put),
            "patch" => Some(HttpMethod::Patch),
            "delete" => Some(HttpMethod::Delete),
            _ => None,
        }
    }

    /// The method name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }

    /// The name of the matching `graph_runtime::http::Method` variant.
    pub fn runtime_variant(self) -> &'static str {
        match self {
            HttpMethod::Get => "Get",
            HttpMethod::Post => "Post",
            HttpMethod::Put => "Put",
            HttpMethod::Patch => "Patch",
            HttpMethod::Delete => "Delete",
        }
    }
}

/// A request body: what the builder takes and how it is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// The media type sent as `Content-Type`, as the document writes it.
    pub content_type: String,
    /// What the caller passes.
    pub kind: BodyKind,
    /// Every media type the operation declares, in document order.
    pub declared: Vec<String>,
}

/// The shapes of a request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyKind {
    /// A JSON value of this type.
    Json(TypeRef),
    /// A form of this struct's fields.
    Form(TypeRef),
    /// Named parts; the names the schema lists, for the docs.
    Multipart(Vec<String>),
    /// Text.
    Text,
    /// Bytes.
    Bytes,
}

/// What a success response holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseKind {
    /// Nothing (`204 No Content`).
    Empty,
    /// A JSON value of this type.
    Json(TypeRef),
    /// A page of a collection of this item type, linked by `@odata.nextLink`.
    Page(TypeRef),
    /// A plain-text count.
    Count,
    /// `text/plain` (not a count): a string.
    Text,
    /// Any other media type: its bytes.
    Bytes,
}

/// A query option or header the operation declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionParameter {
    /// The name on the wire (`$top`, `If-Match`).
    pub wire_name: String,
    /// The setter's name (`top`, `if_match`).
    pub setter: String,
    /// The value type.
    pub kind: OptionKind,
    /// Documentation text.
    pub doc: String,
    /// For a standard OData option or header, the `graph_runtime::http::options` marker
    /// trait that gives the builder its setter; `None` for options the crate writes its own
    /// setter for.
    pub standard: Option<&'static str>,
}

/// The options whose setters `graph_runtime` writes once: name on the wire, value type,
/// marker trait and setter name. Headers compare case-insensitively. An option with one of
/// these names but another value type is not standard, and gets a setter of its own.
const STANDARD_QUERY: &[(&str, OptionKind, &str, &str)] = &[
    ("$select", OptionKind::List, "Select", "select"),
    ("$expand", OptionKind::List, "Expand", "expand"),
    ("$orderby", OptionKind::List, "OrderBy", "orderby"),
    ("$filter", OptionKind::Text, "Filter", "filter"),
    ("$search", OptionKind::Text, "Search", "search"),
    ("$top", OptionKind::Integer, "Top", "top"),
    ("$skip", OptionKind::Integer, "Skip", "skip"),
    // `$count=true` asks for `@odata.count` in a collection's pages, a different thing from
    // the `$count` path segment (the navigator method `count()`), so it gets a name of its own.
    ("$count", OptionKind::Boolean, "Count", "include_count"),
];
const STANDARD_HEADERS: &[(&str, OptionKind, &str, &str)] = &[
    ("If-Match", OptionKind::Text, "IfMatch", "if_match"),
    (
        "ConsistencyLevel",
        OptionKind::Text,
        "ConsistencyLevel",
        "consistency_level",
    ),
];

/// The standard option `wire_name` of `kind` is, if any: (marker trait, setter).
fn standard_option(
    wire_name: &str,
    kind: OptionKind,
    header: bool,
) -> Option<(&'static str, &'static str)> {
    let (table, same): (_, fn(&str, &str) -> bool) = if header {
        (STANDARD_HEADERS, |a, b| a.eq_ignore_ascii_case(b))
    } else {
        (STANDARD_QUERY, |a, b| a == b)
    };
    table
        .iter()
        .find(|(wire, standard_kind, _, _)| same(wire, wire_name) && *standard_kind == kind)
        .map(|(_, _, marker, setter)| (*marker, *setter))
}

/// Value types of query options and headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    /// Text.
    Text,
    /// A whole number.
    Integer,
    /// `true`/`false`.
    Boolean,
    /// A list, sent comma-separated (`$select=a,b`).
    List,
}

/// Setter names an operation builder uses for itself.
/// True for a path that can only ever have one operation, so that its navigator method may
/// return the operation itself: the `$count` segment, an OData function call, or an action or
/// function the spec marks as such. Any other path gets a navigator even when it has one
/// operation today, so that adding a second one (a DELETE beside a GET) doesn't change what
/// callers' code gets back.
fn is_single_operation_path(node: &Node) -> bool {
    match &node.segment {
        Segment::Literal(text) if text == "$count" => true,
        Segment::Function { .. } => true,
        _ => node
            .operations
            .iter()
            .all(|operation| operation.is_action_or_function),
    }
}

/// The names the operation builder (`graph_runtime::operation_builder!`) already uses, and
/// every standard setter: an option of the spec's own never takes one of these.
const OPERATION_METHODS: &[&str] = &[
    "max_pages",
    "send",
    "stream",
    "to_request",
    "decode",
    "new",
    "rebuild",
    "with_query",
    "with_header",
    "select",
    "expand",
    "orderby",
    "filter",
    "search",
    "top",
    "skip",
    "include_count",
    "if_match",
    "consistency_level",
];

/// Resolves the paths of `spec`; `model` gives the body types. It goes on past a path or an
/// operation that fails, and reports every error found.
pub fn resolve_operations(spec: &OpenAPI, model: &Model) -> Result<Api, Errors> {
    let mut errors = Vec::new();
    let mut api = Api {
        nodes: vec![Node {
            name: String::new(),
            segment: Segment::Root,
            method: String::new(),
            template: String::new(),
            children: Vec::new(),
            operations: Vec::new(),
            collapsed: false,
            module: String::new(),
        }],
        entries: Vec::new(),
    };
    let paths_pointer = Pointer::root().push("paths");
    for (path, item) in spec.paths.paths.iter() {
        let pointer = paths_pointer.push(path);
        let ReferenceOr::Item(item) = item else {
            errors.push(Error::unsupported(&pointer, "a path item that is a $ref"));
            continue;
        };
        let node = match check_path_item(spec, path, item, &pointer)
            .and_then(|()| insert_path(&mut api, path, &pointer, spec, item, model))
        {
            Ok(node) => node,
            Err(error) => {
                errors.push(error);
                continue;
            }
        };
        for (method, operation) in item.iter() {
            let op_pointer = pointer.push(method);
            let resolved = HttpMethod::from_key(method)
                .ok_or_else(|| unemittable(method, &op_pointer))
                .and_then(|http| {
                    let parameters = item
                        .parameters
                        .iter()
                        .chain(operation.parameters.iter())
                        .map(|parameter| resolve_parameter(spec, parameter, &op_pointer))
                        .collect::<Result<Vec<&Parameter>, Error>>()?;
                    Ok((http, parameters))
                });
            let (http, parameters) = match resolved {
                Ok(resolved) => resolved,
                Err(error) => {
                    errors.push(error);
                    continue;
                }
            };
            let types = model
                .operations
                .get(&(path.clone(), method.to_owned()))
                .cloned()
                .unwrap_or_default();
            let doc = operation_doc(operation, method, path);
            api.nodes[node].operations.push(Operation {
                name: String::new(),
                verb: String::new(),
                method: http,
                http_method: http.as_str().to_owned(),
                template: path.clone(),
                doc,
                query: option_parameters(&parameters, |p| matches!(p, Parameter::Query { .. })),
                headers: option_parameters(&parameters, |p| matches!(p, Parameter::Header { .. })),
                body: request_body(&types),
                response: response_kind(&types, model),
                is_action_or_function: matches!(
                    operation
                        .extensions
                        .get("x-ms-docs-operation-type")
                        .and_then(|kind| kind.as_str()),
                    Some("action" | "function")
                ),
            });
        }
    }
    if let Some(errors) = Errors::from_vec(errors) {
        return Err(errors);
    }
    let entries = entry_nodes(&api);
    name_nodes(&mut api, &entries);
    Ok(api)
}

fn unemittable(method: &str, pointer: &Pointer) -> Error {
    Error::unsupported(
        pointer,
        format!(
            "the HTTP method {}: generated builders send GET, POST, PUT, PATCH and DELETE only",
            method.to_uppercase()
        ),
    )
}

/// Checks what the builders take on trust about one path: that its key is a well-formed
/// template, that its operations use methods the runtime can send, and that the template's
/// placeholders and the `in: path` parameters match one to one. Each error is located at the
/// key, the operation, or the parameter at fault.
pub(crate) fn check_path_item(
    spec: &OpenAPI,
    path: &str,
    item: &openapiv3::PathItem,
    pointer: &Pointer,
) -> Result<(), Error> {
    let placeholders = template_placeholders(path, pointer)?;
    for (method, _) in item.iter() {
        if HttpMethod::from_key(method).is_none() {
            return Err(unemittable(method, &pointer.push(method)));
        }
    }
    let shared_pointer = pointer.push("parameters");
    let shared = path_parameters(spec, &item.parameters, &shared_pointer)?;
    for (name, at) in &shared {
        check_used(name, at, &placeholders, path)?;
    }
    for (method, operation) in item.iter() {
        let op_pointer = pointer.push(method);
        let own = path_parameters(spec, &operation.parameters, &op_pointer.push("parameters"))?;
        for (name, at) in &own {
            check_used(name, at, &placeholders, path)?;
        }
        for placeholder in &placeholders {
            let declared = own
                .iter()
                .chain(shared.iter())
                .any(|(name, _)| name == placeholder);
            if !declared {
                return Err(Error::invalid(
                    &op_pointer,
                    format!(
                        "the template's `{{{placeholder}}}` is declared by no parameter with \
                         `in: path` and `name: {placeholder}`"
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn check_used(name: &str, at: &Pointer, placeholders: &[String], path: &str) -> Result<(), Error> {
    if placeholders.iter().any(|placeholder| placeholder == name) {
        return Ok(());
    }
    Err(Error::invalid(
        at,
        format!("path parameter `{name}` is not in the template `{path}`"),
    ))
}

/// The `in: path` parameters of one parameter list, by name, each with its pointer. Any
/// parameter declared twice (same name and location) is an error, as OpenAPI requires.
fn path_parameters(
    spec: &OpenAPI,
    list: &[ReferenceOr<Parameter>],
    pointer: &Pointer,
) -> Result<Vec<(String, Pointer)>, Error> {
    let mut seen = BTreeSet::new();
    let mut found = Vec::new();
    for (index, parameter) in list.iter().enumerate() {
        let at = pointer.push(index);
        let parameter = match parameter {
            ReferenceOr::Item(parameter) => parameter,
            ReferenceOr::Reference { reference } => reference
                .strip_prefix("#/components/parameters/")
                .and_then(|key| spec.components.as_ref()?.parameters.get(key)?.as_item())
                .ok_or_else(|| {
                    Error::new(
                        at.to_string(),
                        ErrorKind::MissingReference(reference.clone()),
                    )
                })?,
        };
        let (location, is_path) = match parameter {
            Parameter::Query { .. } => ("query", false),
            Parameter::Header { .. } => ("header", false),
            Parameter::Path { .. } => ("path", true),
            Parameter::Cookie { .. } => ("cookie", false),
        };
        let name = &parameter.parameter_data_ref().name;
        if !seen.insert((name.clone(), location)) {
            return Err(Error::invalid(
                &at,
                format!("parameter `{name}` (in: {location}) is declared twice in this list"),
            ));
        }
        if is_path {
            found.push((name.clone(), at));
        }
    }
    Ok(found)
}

/// The placeholders of a path key, in order, once the key is known to be a path the
/// builders can follow: it starts with `/`, has no query, fragment, empty segment or dot
/// segment (in any spelling URL parsing reads as one, such as `%2e%2E`), and its braces pair
/// up around non-empty names, each used once.
fn template_placeholders(path: &str, pointer: &Pointer) -> Result<Vec<String>, Error> {
    let invalid = |what: String| Err(Error::invalid(pointer, what));
    let Some(rest) = path.strip_prefix('/') else {
        return invalid(format!("path `{path}` does not start with `/`"));
    };
    if path.contains('?') {
        return invalid(format!("path `{path}` holds a query (`?`)"));
    }
    if path.contains('#') {
        return invalid(format!("path `{path}` holds a fragment (`#`)"));
    }
    let mut placeholders: Vec<String> = Vec::new();
    // `/` alone is the root, with no segments.
    if rest.is_empty() {
        return Ok(placeholders);
    }
    for segment in rest.split('/') {
        if segment.is_empty() {
            return invalid(format!("path `{path}` has an empty segment"));
        }
        let decoded = segment.to_ascii_lowercase().replace("%2e", ".");
        if decoded == "." || decoded == ".." {
            return invalid(format!(
                "path `{path}` has the dot segment `{segment}`, which URL parsing removes"
            ));
        }
        let mut text = segment;
        loop {
            let open = text.find('{');
            let close = text.find('}');
            match (open, close) {
                (None, None) => break,
                (Some(open), Some(close)) if open < close => {
                    let name = &text[open + 1..close];
                    if name.is_empty() {
                        return invalid(format!("path `{path}` has an empty placeholder `{{}}`"));
                    }
                    if name.contains('{') {
                        return invalid(format!(
                            "path segment `{segment}` has a `{{` inside a placeholder"
                        ));
                    }
                    if placeholders.iter().any(|known| known == name) {
                        return invalid(format!("path `{path}` uses `{{{name}}}` twice"));
                    }
                    placeholders.push(name.to_owned());
                    text = &text[close + 1..];
                }
                (Some(_), None) => {
                    return invalid(format!("unclosed `{{` in path segment `{segment}`"));
                }
                (_, Some(_)) => {
                    return invalid(format!(
                        "path segment `{segment}` has a `}}` that closes no placeholder"
                    ));
                }
            }
        }
    }
    Ok(placeholders)
}

/// Adds the nodes of `path` to the tree and returns the last one.
fn insert_path(
    api: &mut Api,
    path: &str,
    pointer: &Pointer,
    spec: &OpenAPI,
    item: &openapiv3::PathItem,
    model: &Model,
) -> Result<usize, Error> {
    let mut current = 0;
    let mut template = String::new();
    for raw in path.split('/').filter(|segment| !segment.is_empty()) {
        template.push('/');
        template.push_str(raw);
        let segment = classify(raw, pointer, spec, item, model)?;
        let existing = api.nodes[current]
            .children
            .iter()
            .copied()
            .find(|&child| api.nodes[child].segment == segment);
        current = match existing {
            Some(child) => child,
            None => {
                let id = api.nodes.len();
                api.nodes.push(Node {
                    name: String::new(),
                    segment,
                    method: String::new(),
                    template: template.clone(),
                    children: Vec::new(),
                    operations: Vec::new(),
                    collapsed: false,
                    module: String::new(),
                });
                api.nodes[current].children.push(id);
                id
            }
        };
    }
    Ok(current)
}

/// Sorts a raw segment into literal, key or function call.
fn classify(
    raw: &str,
    pointer: &Pointer,
    spec: &OpenAPI,
    item: &openapiv3::PathItem,
    model: &Model,
) -> Result<Segment, Error> {
    if let Some(name) = raw
        .strip_prefix('{')
        .and_then(|rest| rest.strip_suffix('}'))
    {
        if !name.contains('{') && !name.contains('}') {
            return Ok(Segment::Key(name.to_owned()));
        }
    }
    if !raw.contains('{') {
        return Ok(Segment::Literal(raw.to_owned()));
    }
    let Some((name, _)) = raw.split_once('(') else {
        return Err(Error::unsupported(
            pointer,
            format!("path segment `{raw}` mixes text and parameters"),
        ));
    };
    let mut parameters = Vec::new();
    let mut rest = raw;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else {
            return Err(Error::invalid(
                pointer,
                format!("unclosed `{{` in path segment `{raw}`"),
            ));
        };
        let placeholder = &after[..end];
        parameters.push(FunctionParameter {
            name: placeholder.to_owned(),
            argument: naming::snake(placeholder, "value"),
            enum_type: path_parameter_enum(spec, item, placeholder, model),
        });
        rest = &after[end + 1..];
    }
    Ok(Segment::Function {
        name: name.to_owned(),
        template: raw.to_owned(),
        parameters,
    })
}

/// The generated enum a path parameter's schema names, if it names one.
fn path_parameter_enum(
    spec: &OpenAPI,
    item: &openapiv3::PathItem,
    name: &str,
    model: &Model,
) -> Option<TypeId> {
    let declared = item.parameters.iter().chain(
        item.iter()
            .flat_map(|(_, operation)| operation.parameters.iter()),
    );
    for parameter in declared {
        let parameter = match parameter {
            ReferenceOr::Item(parameter) => parameter,
            ReferenceOr::Reference { reference } => {
                let key = reference.strip_prefix("#/components/parameters/")?;
                spec.components.as_ref()?.parameters.get(key)?.as_item()?
            }
        };
        let data = parameter.parameter_data_ref();
        if data.name != name {
            continue;
        }
        let ParameterSchemaOrContent::Schema(ReferenceOr::Reference { reference }) = &data.format
        else {
            return None;
        };
        let key = reference.strip_prefix("#/components/schemas/")?;
        let id = model
            .types
            .iter()
            .position(|def| !def.inline && def.key == key)?;
        return matches!(model.types[id].kind, TypeKind::Enum(_)).then_some(TypeId(id));
    }
    None
}

fn resolve_parameter<'s>(
    spec: &'s OpenAPI,
    parameter: &'s ReferenceOr<Parameter>,
    pointer: &Pointer,
) -> Result<&'s Parameter, Error> {
    match parameter {
        ReferenceOr::Item(parameter) => Ok(parameter),
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/parameters/")
            .and_then(|key| spec.components.as_ref()?.parameters.get(key)?.as_item())
            .ok_or_else(|| {
                Error::new(
                    pointer.push("parameters").to_string(),
                    crate::error::ErrorKind::MissingReference(reference.clone()),
                )
            }),
    }
}

fn option_parameters(
    parameters: &[&Parameter],
    wanted: impl Fn(&Parameter) -> bool,
) -> Vec<OptionParameter> {
    let mut options: Vec<OptionParameter> = Vec::new();
    for parameter in parameters.iter().copied().filter(|p| wanted(p)) {
        let data = parameter.parameter_data_ref();
        let kind = match &data.format {
            ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => {
                match &schema.schema_kind {
                    openapiv3::SchemaKind::Type(openapiv3::Type::Integer(_)) => OptionKind::Integer,
                    openapiv3::SchemaKind::Type(openapiv3::Type::Boolean(_)) => OptionKind::Boolean,
                    openapiv3::SchemaKind::Type(openapiv3::Type::Array(_)) => OptionKind::List,
                    _ => OptionKind::Text,
                }
            }
            _ => OptionKind::Text,
        };
        let doc = data
            .description
            .clone()
            .filter(|text| !text.trim().is_empty())
            .unwrap_or_else(|| format!("Sets `{}`.", data.name));
        let option = OptionParameter {
            wire_name: data.name.clone(),
            setter: String::new(),
            kind,
            doc,
            standard: None,
        };
        match options
            .iter_mut()
            .find(|existing| existing.wire_name == option.wire_name)
        {
            Some(existing) => *existing = option,
            None => options.push(option),
        }
    }
    options
}

fn operation_doc(operation: &openapiv3::Operation, method: &str, path: &str) -> String {
    let mut doc = String::new();
    if let Some(summary) = operation
        .summary
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        doc.push_str(summary.trim());
        doc.push_str(".\n\n");
    }
    if let Some(description) = operation
        .description
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        doc.push_str(description.trim());
        doc.push_str("\n\n");
    }
    doc.push_str(&format!("`{} {}`", method.to_uppercase(), path));
    doc.replace("..\n", ".\n")
}

/// The body an operation takes, from the media type the resolver chose.
fn request_body(types: &OperationTypes) -> Option<Body> {
    let media = types.request_media.as_ref()?;
    let kind = match (media.encoding, &types.request) {
        (BodyEncoding::Json, Some(ty)) => BodyKind::Json(ty.clone()),
        (BodyEncoding::Form, Some(ty)) => BodyKind::Form(ty.clone()),
        (BodyEncoding::Json | BodyEncoding::Form, None) => return None,
        (BodyEncoding::Multipart, _) => BodyKind::Multipart(media.parts.clone()),
        (BodyEncoding::Text, _) => BodyKind::Text,
        (BodyEncoding::Bytes, _) => BodyKind::Bytes,
    };
    Some(Body {
        content_type: media.content_type.clone(),
        kind,
        declared: media.declared.clone(),
    })
}

/// A page when the response type is a struct with `value` (an array) and `@odata.nextLink`.
fn response_kind(types: &OperationTypes, model: &Model) -> ResponseKind {
    if types.response_is_count {
        return ResponseKind::Count;
    }
    let Some(response) = &types.response else {
        return match types.response_media.as_ref().map(|media| media.encoding) {
            Some(BodyEncoding::Text) => ResponseKind::Text,
            Some(_) => ResponseKind::Bytes,
            None => ResponseKind::Empty,
        };
    };
    if let TypeRef::Named(id) = response {
        if let TypeKind::Struct(def) = &model.get(*id).kind {
            let item =
                def.fields
                    .iter()
                    .find_map(|field| match (&field.json_name[..], &field.ty) {
                        ("value", TypeRef::Array(item)) => Some(item.as_ref().clone()),
                        _ => None,
                    });
            let linked = def
                .fields
                .iter()
                .any(|field| field.json_name == "@odata.nextLink");
            if let (Some(item), true) = (item, linked) {
                return ResponseKind::Page(item);
            }
        }
    }
    ResponseKind::Json(response.clone())
}

/// For each top-level segment, walks down while there is exactly one (literal) way to go,
/// and returns where it stops with the literal segments walked; the entry with the most
/// operations below it comes first (it is the API the document is about).
fn entry_nodes(api: &Api) -> Vec<(usize, Vec<String>)> {
    let mut entries: Vec<(usize, Vec<String>)> = Vec::new();
    for &top in &api.nodes[0].children {
        let mut current = top;
        let mut chain = Vec::new();
        loop {
            if let Segment::Literal(text) = &api.nodes[current].segment {
                chain.push(text.clone());
            }
            let node = &api.nodes[current];
            let next = node.children.first().copied();
            match next {
                Some(child)
                    if node.children.len() == 1
                        && node.operations.is_empty()
                        && matches!(api.nodes[child].segment, Segment::Literal(_)) =>
                {
                    current = child;
                }
                _ => break,
            }
        }
        entries.push((current, chain));
    }
    let operations_below = |node: usize| {
        let mut count = 0;
        let mut stack = vec![node];
        while let Some(current) = stack.pop() {
            count += api.nodes[current].operations.len();
            stack.extend(api.nodes[current].children.iter().copied());
        }
        count
    };
    // Stable: ties keep document order.
    entries.sort_by_key(|(node, _)| std::cmp::Reverse(operations_below(*node)));
    entries
}

/// Names every node, operation, method and setter.
fn name_nodes(api: &mut Api, entries: &[(usize, Vec<String>)]) {
    let mut types = Namespace::with_reserved(&["Api", "Operation"]);
    let mut methods = Namespace::default();
    let full_names: Vec<String> = entries
        .iter()
        .map(|(_, chain)| naming::snake(&chain.join(" "), "root"))
        .collect();
    let mut order = Vec::new();
    for (index, (entry, chain)) in entries.iter().enumerate() {
        // The primary entry is named after its last segment unless another entry's whole
        // path reads the same (beta's legacy `/accessReviews` beside
        // `/identityGovernance/accessReviews`); the others after their whole path.
        let short = naming::snake(chain.last().map(String::as_str).unwrap_or("root"), "root");
        let wanted = if index == 0 && !full_names[1..].contains(&short) {
            short
        } else {
            full_names[index].clone()
        };
        let method = methods.claim(&wanted);
        let entry_part = naming::upper_camel(&method, "Root");
        api.entries.push(Entry {
            node: *entry,
            method,
        });
        // Below the primary entry, type names are the segments from it (`DefinitionsItem`);
        // below the others they start with the entry's name.
        let prefix = if index == 0 {
            String::new()
        } else {
            entry_part.clone()
        };
        let mut stack = vec![(*entry, prefix)];
        while let Some((id, prefix)) = stack.pop() {
            let base = if id == *entry {
                entry_part.clone()
            } else {
                prefix.clone()
            };
            order.push((id, base));
            for &child in api.nodes[id].children.iter().rev() {
                let part = match &api.nodes[child].segment {
                    Segment::Root => String::new(),
                    Segment::Literal(text) => naming::upper_camel(text, "Segment"),
                    Segment::Key(_) => "Item".to_owned(),
                    Segment::Function { name, .. } => naming::upper_camel(name, "Function"),
                };
                stack.push((child, format!("{prefix}{part}")));
            }
        }
    }
    let entry_nodes: Vec<usize> = api.entries.iter().map(|entry| entry.node).collect();
    for (id, base) in order {
        let node = &mut api.nodes[id];
        node.collapsed = !entry_nodes.contains(&id)
            && node.children.is_empty()
            && node.operations.len() == 1
            && is_single_operation_path(node);
        node.name = types.claim(&base);
        if node.collapsed {
            node.operations[0].name = node.name.clone();
            continue;
        }
        let mut verbs = Namespace::default();
        let has_patch = node
            .operations
            .iter()
            .any(|operation| operation.method == HttpMethod::Patch);
        for operation in &mut node.operations {
            let verb = match (operation.method, &operation.response) {
                (HttpMethod::Get, ResponseKind::Page(_)) => "list",
                (HttpMethod::Get, _) => "get",
                (HttpMethod::Post, _) => "create",
                (HttpMethod::Patch, _) => "update",
                // The docs' verb: a PUT they title "Update ..." is `update`, unless the path
                // has a PATCH, which keeps that name (the docs' partial update), and the PUT
                // is then `replace`, as is every PUT titled otherwise.
                (HttpMethod::Put, _) if !has_patch && titled_update(&operation.doc) => "update",
                (HttpMethod::Put, _) => "replace",
                (HttpMethod::Delete, _) => "delete",
            };
            operation.verb = verbs.claim(verb);
            operation.name = types.claim(&format!(
                "{base}{}",
                naming::upper_camel(&operation.verb, "Call")
            ));
        }
    }
    // Methods leading to each child, unique within the parent (next to its verbs).
    for id in 0..api.nodes.len() {
        let mut methods = Namespace::with_reserved(
            &api.nodes[id]
                .operations
                .iter()
                .map(|o| o.verb.as_str())
                .collect::<Vec<_>>(),
        );
        let keys = api.nodes[id]
            .children
            .iter()
            .filter(|&&c| matches!(api.nodes[c].segment, Segment::Key(_)))
            .count();
        for child in api.nodes[id].children.clone() {
            let wanted = match &api.nodes[child].segment {
                Segment::Root => "root".to_owned(),
                Segment::Literal(text) => naming::snake(text, "segment"),
                Segment::Key(_) if keys == 1 => "by_id".to_owned(),
                Segment::Key(name) => format!("by_{}", naming::snake(name, "key")),
                Segment::Function { name, .. } => naming::snake(name, "function"),
            };
            api.nodes[child].method = methods.claim(&wanted);
        }
    }
    // Modules: the entries at the crate root, every other builder in its parent's module.
    let mut roots = Namespace::with_reserved(&["lib", "routes"]);
    for index in 0..api.entries.len() {
        let node = api.entries[index].node;
        api.nodes[node].module = roots.claim(&api.entries[index].method);
    }
    for id in 0..api.nodes.len() {
        // A child module is never named as its parent (`item/item.rs`, from `/{a}/{b}`): the
        // path would read as a stutter, and clippy's `module_inception` refuses it.
        let parent = api.nodes[id].module.clone();
        let mut siblings = Namespace::with_reserved(&[parent.as_str()]);
        for child in api.nodes[id].children.clone() {
            if api.nodes[child].collapsed || entry_nodes.contains(&child) {
                continue;
            }
            let wanted = match &api.nodes[child].segment {
                Segment::Root => "root".to_owned(),
                Segment::Literal(text) => naming::snake(text, "segment"),
                Segment::Key(_) => "item".to_owned(),
                Segment::Function { name, .. } => naming::snake(name, "function"),
            };
            api.nodes[child].module = siblings.claim(&wanted);
        }
    }
    // Setters, unique within each operation builder.
    for node in &mut api.nodes {
        for operation in &mut node.operations {
            let mut setters = Namespace::with_reserved(OPERATION_METHODS);
            let query = operation.query.iter_mut().map(|option| (option, false));
            let headers = operation.headers.iter_mut().map(|option| (option, true));
            for (option, header) in query.chain(headers) {
                match standard_option(&option.wire_name, option.kind, header) {
                    Some((marker, setter)) => {
                        option.standard = Some(marker);
                        option.setter = setter.to_owned();
                    }
                    None => {
                        option.setter = setters.claim(&naming::snake(&option.wire_name, "option"));
                    }
                }
            }
        }
    }
}

/// True when an operation's title (its doc's first line) starts with the verb "Update".
fn titled_update(doc: &str) -> bool {
    let mut words = doc.split_whitespace();
    words.next() == Some("Update")
}
