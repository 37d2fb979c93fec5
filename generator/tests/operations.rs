//! The requests side of the IR: the URL tree, operation names, bodies and responses.

mod common;

use generator::ir::{TypeKind, TypeRef};
use generator::operations::{resolve_operations, Api, OptionKind, ResponseKind, Segment};

const PATHS: &str = r#"
paths:
  /reviews/items:
    get:
      parameters:
        - $ref: '#/components/parameters/top'
        - name: $select
          in: query
          style: form
          explode: false
          schema: {type: array, items: {type: string}}
        - {name: $count, in: query, schema: {type: boolean}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/ItemPage'}
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Item'}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
  /reviews/items/{itemId}:
    parameters:
      - {name: itemId, in: path, required: true, schema: {type: string}}
    patch:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Item'}
      responses:
        '204': {description: done}
  /reviews/items/{itemId}/notes:
    parameters:
      - {name: itemId, in: path, required: true, schema: {type: string}}
    get:
      responses:
        '204': {description: none yet}
  /reviews/items/{itemId}/recordAll:
    parameters:
      - {name: itemId, in: path, required: true, schema: {type: string}}
    post:
      x-ms-docs-operation-type: action
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                decision: {type: string}
                justification: {type: string, nullable: true}
      responses:
        '204': {description: done}
  /reviews/items/$count:
    get:
      responses:
        '200':
          description: ok
          content:
            text/plain:
              schema: {type: integer}
  /reviews/items/filterByCurrentUser(on='{on}'):
    get:
      parameters:
        - name: 'on'
          in: path
          required: true
          schema: {$ref: '#/components/schemas/Who'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  value: {type: array, items: {$ref: '#/components/schemas/Item'}}
                  '@odata.nextLink': {type: string, nullable: true}
components:
  parameters:
    top: {name: $top, in: query, schema: {type: integer}}
  schemas:
    Who: {type: string, enum: [reviewer, unknownFutureValue]}
    Item:
      type: object
      properties:
        id: {type: string}
    ItemPage:
      type: object
      properties:
        value: {type: array, items: {$ref: '#/components/schemas/Item'}}
        '@odata.nextLink': {type: string}
"#;

fn api() -> (generator::ir::Model, Api) {
    let spec = common::spec(PATHS);
    let model = generator::resolve::resolve(&spec).unwrap();
    let api = resolve_operations(&spec, &model).unwrap();
    (model, api)
}

fn node<'a>(api: &'a Api, template: &str) -> &'a generator::operations::Node {
    api.nodes
        .iter()
        .find(|n| n.template == template)
        .unwrap_or_else(|| panic!("no node {template}"))
}

#[test]
fn entry_is_where_the_tree_branches() {
    let (_, api) = api();
    assert_eq!(api.entries.len(), 1);
    assert_eq!(api.nodes[api.entries[0].node].template, "/reviews/items");
    assert_eq!(api.entries[0].method, "items");
}

#[test]
fn several_top_level_paths_get_an_entry_each_the_main_one_first() {
    let done = "      responses:\n        '204': {description: done}\n";
    let body = format!(
        "paths:\n  /legacy/items:\n    get:\n{done}  /app/items:\n    get:\n{done}    delete:\n{done}  /app/items/{{id}}:\n    delete:\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n{done}  /app/other:\n    get:\n{done}  /items:\n    get:\n{done}"
    );
    let spec = common::spec(&body);
    let model = generator::resolve::resolve(&spec).unwrap();
    let api = resolve_operations(&spec, &model).unwrap();
    let entries: Vec<_> = api
        .entries
        .iter()
        .map(|entry| {
            (
                api.nodes[entry.node].template.as_str(),
                entry.method.as_str(),
                api.nodes[entry.node].name.as_str(),
            )
        })
        .collect();
    // `/app` has the most operations, so it is the main API and comes first; the others
    // are named by their whole path. Type names below the main entry are claimed first, so
    // the top-level `/items` builder yields `Items` to `/app/items`.
    assert_eq!(
        entries,
        [
            ("/app", "app", "App"),
            ("/legacy/items", "legacy_items", "LegacyItems"),
            ("/items", "items", "Items2")
        ]
    );
    // Below the main entry, names start from it; below the others, with the entry's name.
    assert_eq!(node(&api, "/app/items/{id}").name, "ItemsItem");
}

#[test]
fn names_come_from_segments_and_verbs() {
    let (_, api) = api();
    let items = node(&api, "/reviews/items");
    let verbs: Vec<_> = items
        .operations
        .iter()
        .map(|o| (o.verb.as_str(), o.name.as_str()))
        .collect();
    assert_eq!(verbs, [("list", "ItemsList"), ("create", "ItemsCreate")]);
    let item = node(&api, "/reviews/items/{itemId}");
    assert_eq!(
        (item.method.as_str(), item.segment.clone()),
        ("by_id", Segment::Key("itemId".into()))
    );
    assert_eq!(item.operations[0].verb, "update");
    // A leaf that can only ever have one operation (an action, a function call, `$count`)
    // collapses: the parent's method returns the operation.
    let record = node(&api, "/reviews/items/{itemId}/recordAll");
    assert!(record.collapsed);
    // Any other leaf keeps its navigator, though it has one operation today, so that a
    // second one added later doesn't change what `item.notes()` returns.
    let notes = node(&api, "/reviews/items/{itemId}/notes");
    assert!(!notes.collapsed);
    assert_eq!(notes.operations[0].verb, "get");
    assert_eq!(
        (record.method.as_str(), record.name.as_str()),
        ("record_all", "ItemRecordAll")
    );
    let count = node(&api, "/reviews/items/$count");
    assert!(count.collapsed);
    assert_eq!(count.method, "count");
    assert_eq!(count.operations[0].response, ResponseKind::Count);
}

#[test]
fn query_options_are_typed() {
    let (_, api) = api();
    let list = &node(&api, "/reviews/items").operations[0];
    let options: Vec<_> = list
        .query
        .iter()
        .map(|o| (o.wire_name.as_str(), o.setter.as_str(), o.kind))
        .collect();
    assert_eq!(
        options,
        [
            ("$top", "top", OptionKind::Integer),
            ("$select", "select", OptionKind::List),
            // Not `count`: that is the `$count` segment's navigator method.
            ("$count", "include_count", OptionKind::Boolean)
        ]
    );
}

#[test]
fn collections_are_pages_and_inline_bodies_get_types_with_fields() {
    let (model, api) = api();
    let list = &node(&api, "/reviews/items").operations[0];
    assert!(matches!(
        list.response,
        ResponseKind::Page(TypeRef::Named(_))
    ));
    let function = node(&api, "/reviews/items/filterByCurrentUser(on='{on}')");
    let Segment::Function {
        name, parameters, ..
    } = &function.segment
    else {
        panic!("not a function")
    };
    assert_eq!(name, "filterByCurrentUser");
    assert_eq!(parameters[0].argument, "on");
    assert!(
        parameters[0].enum_type.is_some(),
        "the enum schema types the argument"
    );
    assert!(
        matches!(function.operations[0].response, ResponseKind::Page(_)),
        "an inline page is still a page"
    );

    let record = &node(&api, "/reviews/items/{itemId}/recordAll").operations[0];
    let Some(generator::operations::Body {
        kind: generator::operations::BodyKind::Json(TypeRef::Named(body)),
        ..
    }) = &record.body
    else {
        panic!("no inline JSON body type")
    };
    let body = model.get(*body);
    assert_eq!(body.name, "ItemsRecordAllBody");
    let TypeKind::Struct(fields) = &body.kind else {
        panic!("the body is not a struct")
    };
    let names: Vec<_> = fields.fields.iter().map(|f| f.json_name.as_str()).collect();
    assert_eq!(names, ["decision", "justification"]);
}

#[test]
fn requests_crate_generates_deterministically() {
    let spec = common::spec(PATHS);
    let requests = common::requests_options();
    let first = generator::generate_crates(&spec, &common::options(), &requests).unwrap();
    let second = generator::generate_crates(&spec, &common::options(), &requests).unwrap();
    assert_eq!(first, second);
    let builders: String = first
        .1
        .iter()
        .filter(|(path, _)| path.starts_with("src/"))
        .map(|(_, text)| text.as_str())
        .collect();
    assert!(builders.contains("pub fn record_all("), "{builders}");
    assert!(
        builders.contains("pub fn filter_by_current_user("),
        "{builders}"
    );
}

#[test]
fn no_module_is_named_as_the_module_it_is_in() {
    // `/{owner}/{repo}` would give `item/item.rs`, and `/teams/teams` `teams/teams.rs`;
    // clippy's `module_inception` refuses both in the generated crate.
    let (_, requests) = common::generate_both(
        r#"
paths:
  /repos/{owner}/{repo}:
    get:
      parameters:
        - {name: owner, in: path, required: true, schema: {type: string}}
        - {name: repo, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: done}
  /orgs/{org}/teams/teams:
    get:
      parameters:
        - {name: org, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: done}
"#,
    );
    let files: Vec<&str> = requests.keys().map(String::as_str).collect();
    assert!(!files.is_empty());
    for file in &files {
        let parts: Vec<&str> = file.trim_end_matches(".rs").split('/').collect();
        for pair in parts.windows(2) {
            assert_ne!(pair[0], pair[1], "{file} in {files:?}");
        }
    }
    insta::assert_debug_snapshot!(files);
}
