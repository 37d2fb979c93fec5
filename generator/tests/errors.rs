//! Bad input gives an error naming the place in the document, never a panic; and the same
//! input always gives the same output.

mod common;

use common::{document, options};
use generator::{Error, ErrorKind};

/// Resolves `body` (see [`common::document`]) and returns the error it must give. Whole
/// generation must give the same error.
fn resolve_error(body: &str) -> Error {
    let spec = common::spec(body);
    let error = match generator::resolve::resolve(&spec) {
        Ok(_) => panic!("expected an error for:\n{body}"),
        Err(error) => error,
    };
    let generated = generator::generate_models(&spec, &options())
        .expect_err("generate_models accepted what resolve rejected");
    assert_eq!(generated, error);
    error
}

fn missing(target: &str) -> ErrorKind {
    ErrorKind::MissingReference(target.to_owned())
}

fn assert_unsupported(error: &Error, location: &str, mentions: &str) {
    assert_eq!(error.location, location, "{error}");
    match &error.kind {
        ErrorKind::Unsupported(what) => assert!(what.contains(mentions), "{error}"),
        other => panic!("expected Unsupported, got {other:?}"),
    }
}

fn assert_invalid(error: &Error, location: &str, mentions: &str) {
    assert_eq!(error.location, location, "{error}");
    match &error.kind {
        ErrorKind::Invalid(what) => assert!(what.contains(mentions), "{error}"),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

fn assert_syntax(error: &Error, location: &str) {
    assert_eq!(error.location, location, "{error}");
    assert!(matches!(error.kind, ErrorKind::Syntax(_)), "{error:?}");
}

#[test]
fn missing_reference_in_a_property() {
    let error = resolve_error(
        r#"
components:
  schemas:
    holder:
      type: object
      properties:
        owner:
          $ref: '#/components/schemas/nope'
"#,
    );
    assert_eq!(
        error.location,
        "#/components/schemas/holder/properties/owner"
    );
    assert_eq!(error.kind, missing("#/components/schemas/nope"));
}

#[test]
fn missing_reference_in_a_nullable_property() {
    let error = resolve_error(
        r#"
components:
  schemas:
    holder:
      type: object
      properties:
        owner:
          anyOf:
            - $ref: '#/components/schemas/nope'
            - type: object
              nullable: true
"#,
    );
    assert_eq!(
        error.location,
        "#/components/schemas/holder/properties/owner/anyOf/0"
    );
    assert_eq!(error.kind, missing("#/components/schemas/nope"));
}

#[test]
fn missing_reference_in_all_of() {
    let error = resolve_error(
        r#"
components:
  schemas:
    base:
      type: object
      properties:
        id: {type: string}
    derived:
      allOf:
        - $ref: '#/components/schemas/base'
        - $ref: '#/components/schemas/nope'
        - type: object
          properties:
            name: {type: string}
"#,
    );
    assert_eq!(error.location, "#/components/schemas/derived/allOf/1");
    assert_eq!(error.kind, missing("#/components/schemas/nope"));
}

#[test]
fn missing_reference_in_array_items() {
    let error = resolve_error(
        r#"
components:
  schemas:
    holder:
      type: object
      properties:
        members:
          type: array
          items:
            $ref: '#/components/schemas/nope'
"#,
    );
    assert_eq!(
        error.location,
        "#/components/schemas/holder/properties/members/items"
    );
    assert_eq!(error.kind, missing("#/components/schemas/nope"));
}

#[test]
fn missing_reference_in_map_values() {
    let error = resolve_error(
        r#"
components:
  schemas:
    holder:
      type: object
      properties:
        byName:
          type: object
          additionalProperties:
            $ref: '#/components/schemas/nope'
"#,
    );
    assert_eq!(
        error.location,
        "#/components/schemas/holder/properties/byName/additionalProperties"
    );
    assert_eq!(error.kind, missing("#/components/schemas/nope"));
}

#[test]
fn missing_reference_in_a_discriminator_mapping() {
    let error = resolve_error(
        r##"
components:
  schemas:
    base:
      type: object
      properties:
        kind: {type: string}
      discriminator:
        propertyName: kind
        mapping:
          '#x.gone': '#/components/schemas/x.gone'
"##,
    );
    assert_eq!(
        error.location,
        "#/components/schemas/base/discriminator/mapping/#x.gone"
    );
    assert_eq!(error.kind, missing("#/components/schemas/x.gone"));
}

#[test]
fn reference_outside_component_schemas_is_unsupported() {
    let error = resolve_error(
        r#"
components:
  schemas:
    holder:
      type: object
      properties:
        owner:
          $ref: 'other.yaml#/components/schemas/person'
"#,
    );
    assert_unsupported(
        &error,
        "#/components/schemas/holder/properties/owner",
        "other.yaml#/components/schemas/person",
    );
}

#[test]
fn reference_escapes_are_decoded() {
    // `~1` in a reference is `/` in the key; the error names the reference as written.
    let error = resolve_error(
        r#"
components:
  schemas:
    a/b:
      type: object
      properties:
        self:
          $ref: '#/components/schemas/a~1b'
        other:
          $ref: '#/components/schemas/a~1c'
"#,
    );
    assert_eq!(error.location, "#/components/schemas/a~1b/properties/other");
    assert_eq!(error.kind, missing("#/components/schemas/a~1c"));
}

#[test]
fn not_is_unsupported() {
    let error = resolve_error(
        r#"
components:
  schemas:
    holder:
      type: object
      properties:
        notAString:
          not:
            type: string
"#,
    );
    assert_unsupported(
        &error,
        "#/components/schemas/holder/properties/notAString",
        "`not`",
    );
}

/// A union beside properties is refused, and the error names the keyword as written and
/// points at it, inside the property where it stands.
#[test]
fn one_of_beside_properties_names_one_of_at_its_pointer() {
    let body = r#"
components:
  schemas:
    cat:
      type: object
      properties:
        meow: {type: boolean}
    dog:
      type: object
      properties:
        bark: {type: boolean}
    Foo:
      type: object
      properties:
        bar:
          type: object
          properties:
            name: {type: string}
          oneOf:
            - $ref: '#/components/schemas/cat'
            - $ref: '#/components/schemas/dog'
"#;
    let error = resolve_error(body);
    assert_unsupported(
        &error,
        "#/components/schemas/Foo/properties/bar/oneOf",
        "oneOf beside properties",
    );
    assert!(!error.to_string().contains("anyOf"), "{error}");
    insta::assert_snapshot!(error.to_string(), @"#/components/schemas/Foo/properties/bar/oneOf: unsupported: oneOf beside properties or allOf in an object schema");

    // An alternative that can't be resolved is named by its own pointer, under `oneOf`.
    let error = resolve_error(
        r#"
components:
  schemas:
    cat:
      type: object
      properties:
        meow: {type: boolean}
    Foo:
      type: object
      properties:
        bar:
          oneOf:
            - $ref: '#/components/schemas/cat'
            - $ref: '#/components/schemas/ghost'
"#,
    );
    assert_eq!(
        error.location,
        "#/components/schemas/Foo/properties/bar/oneOf/1"
    );
    assert_eq!(error.kind, missing("#/components/schemas/ghost"));
    insta::assert_snapshot!(error.to_string(), @"#/components/schemas/Foo/properties/bar/oneOf/1: $ref target #/components/schemas/ghost is not defined");
}

#[test]
fn type_file_is_unsupported() {
    let error = resolve_error(
        r#"
components:
  schemas:
    upload:
      type: object
      properties:
        content:
          type: file
"#,
    );
    assert_unsupported(
        &error,
        "#/components/schemas/upload/properties/content/type",
        "`file`",
    );
}

#[test]
fn inheritance_cycle_is_invalid() {
    let error = resolve_error(
        r#"
components:
  schemas:
    a:
      allOf:
        - $ref: '#/components/schemas/b'
        - type: object
          properties:
            x: {type: string}
    b:
      allOf:
        - $ref: '#/components/schemas/a'
        - type: object
          properties:
            y: {type: string}
"#,
    );
    assert_invalid(&error, "#/components/schemas/a", "inheritance cycle");

    let error = resolve_error(
        r#"
components:
  schemas:
    self:
      allOf:
        - $ref: '#/components/schemas/self'
        - type: object
          properties:
            x: {type: string}
"#,
    );
    assert_invalid(&error, "#/components/schemas/self", "inheritance cycle");
}

#[test]
fn discriminator_mapping_to_a_type_that_does_not_derive_from_the_base_is_invalid() {
    let error = resolve_error(
        r##"
components:
  schemas:
    base:
      type: object
      properties:
        kind: {type: string}
      discriminator:
        propertyName: kind
        mapping:
          '#stranger': '#/components/schemas/stranger'
    stranger:
      type: object
      properties:
        kind: {type: string}
"##,
    );
    assert_invalid(
        &error,
        "#/components/schemas/base/discriminator/mapping/#stranger",
        "stranger does not derive from base",
    );
}

#[test]
fn discriminator_property_that_is_not_a_string_is_unsupported() {
    let error = resolve_error(
        r#"
components:
  schemas:
    base:
      type: object
      properties:
        kind: {type: integer}
      discriminator:
        propertyName: kind
"#,
    );
    assert_unsupported(&error, "#/components/schemas/base", "not a string");
}

#[test]
fn non_string_enum_members_are_unsupported() {
    let error = resolve_error(
        r#"
components:
  schemas:
    level:
      enum: [1, 2, 3]
"#,
    );
    assert_unsupported(&error, "#/components/schemas/level/enum", "not strings");
}

#[test]
fn other_unsupported_shapes_are_errors_not_panics() {
    let error = resolve_error(
        r#"
components:
  schemas:
    color:
      type: string
      enum: [red]
    paint:
      allOf:
        - $ref: '#/components/schemas/color'
        - type: object
          properties:
            x: {type: string}
"#,
    );
    assert_unsupported(
        &error,
        "#/components/schemas/paint/allOf/0",
        "not an object",
    );

    let error = resolve_error(
        r#"
components:
  schemas:
    color:
      type: string
      enum: [red]
      discriminator:
        propertyName: kind
"#,
    );
    assert_unsupported(
        &error,
        "#/components/schemas/color/discriminator",
        "not an object",
    );

    let error = resolve_error(
        r#"
components:
  schemas:
    holder:
      type: object
      properties:
        nothing:
          anyOf:
            - type: object
              nullable: true
"#,
    );
    assert_unsupported(
        &error,
        "#/components/schemas/holder/properties/nothing/anyOf",
        "anyOf whose only alternative is null",
    );

    let error = resolve_error(
        r#"
components:
  schemas:
    holder:
      type: object
      properties:
        x: {type: string}
      oneOf:
        - type: object
          properties:
            a: {type: string}
        - type: object
          properties:
            b: {type: string}
"#,
    );
    assert_unsupported(
        &error,
        "#/components/schemas/holder/oneOf",
        "oneOf beside properties or allOf in an object schema",
    );
}

#[test]
fn schema_containing_itself_with_no_object_in_between_is_unsupported() {
    // These once overflowed the stack (the nullable self-alias) or gave a type alias that
    // refers to itself, which Rust rejects.
    let cases = [
        (
            "list",
            r#"
components:
  schemas:
    list:
      type: array
      items:
        $ref: '#/components/schemas/list'
"#,
        ),
        (
            "maybe",
            r#"
components:
  schemas:
    maybe:
      anyOf:
        - $ref: '#/components/schemas/maybe'
        - type: object
          nullable: true
"#,
        ),
        (
            "x",
            r#"
components:
  schemas:
    x:
      anyOf:
        - $ref: '#/components/schemas/y'
        - type: object
          nullable: true
    y:
      type: array
      items:
        $ref: '#/components/schemas/x'
"#,
        ),
        (
            "a",
            r#"
components:
  schemas:
    a:
      type: array
      items:
        $ref: '#/components/schemas/b'
    b:
      type: array
      items:
        type: array
        items:
          $ref: '#/components/schemas/a'
"#,
        ),
    ];
    for (key, body) in cases {
        let spec = common::spec(body);
        let Err(error) = generator::resolve::resolve(&spec) else {
            panic!("{key}: expected an error");
        };
        assert_unsupported(
            &error,
            &format!("#/components/schemas/{key}"),
            "contains itself",
        );
    }
}

#[test]
fn recursion_through_an_object_is_fine_for_aliases() {
    let model = common::resolve(
        r#"
components:
  schemas:
    nodes:
      type: array
      items:
        $ref: '#/components/schemas/node'
    node:
      type: object
      properties:
        children:
          $ref: '#/components/schemas/nodes'
        next:
          $ref: '#/components/schemas/nextNode'
    nextNode:
      anyOf:
        - $ref: '#/components/schemas/node'
        - type: object
          nullable: true
"#,
    );
    assert!(!common::field(&model, "node", "children").boxed);
    // Through an alias to itself: boxed like a direct reference.
    assert!(common::field(&model, "node", "next").boxed);
}

#[test]
fn broken_yaml_is_a_syntax_error() {
    let error = generator::parse_spec(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'\npaths: {}\n",
        false,
    )
    .expect_err("unclosed flow mapping");
    assert!(matches!(error.kind, ErrorKind::Syntax(_)), "{error:?}");

    let error =
        generator::parse_spec("openapi: 3.0.3\n  info: [\n", false).expect_err("bad indentation");
    assert!(matches!(error.kind, ErrorKind::Syntax(_)), "{error:?}");
}

#[test]
fn broken_json_is_a_syntax_error() {
    let error = generator::parse_spec(r#"{"openapi": "3.0.3", "info": {"title": "T","#, true)
        .expect_err("truncated JSON");
    assert!(matches!(error.kind, ErrorKind::Syntax(_)), "{error:?}");

    // YAML text read as JSON is rejected, not guessed at.
    let error =
        generator::parse_spec(&document("components: {}\n"), true).expect_err("YAML is not JSON");
    assert!(matches!(error.kind, ErrorKind::Syntax(_)), "{error:?}");
}

#[test]
fn wrong_shape_is_located_by_json_pointer() {
    // YAML: a server URL must be a string.
    let error = generator::parse_spec(
        &document("servers:\n  - url: https://example.com\n  - url: [not, a, string]\n"),
        false,
    )
    .expect_err("url is a list");
    assert_syntax(&error, "#/servers/1/url");

    // JSON: the same kind of mistake in the info object.
    let error = generator::parse_spec(
        r#"{"openapi": "3.0.3", "info": {"title": 7, "version": "1"}, "paths": {}}"#,
        true,
    )
    .expect_err("title is a number");
    assert_syntax(&error, "#/info/title");

    // A required member left out: reported at the object that lacks it.
    let error =
        generator::parse_spec(r#"{"openapi": "3.0.3", "paths": {}}"#, true).expect_err("no info");
    assert_syntax(&error, "#");
    assert!(error.to_string().contains("info"), "{error}");
}

/// `openapiv3` reads the path map through `#[serde(flatten)]`, which buffers it, so its
/// own error can point no deeper than `#/paths`, with the line where the path map starts.
/// The document is then read again item by item, operation by operation, and the error
/// names the member at fault.
#[test]
fn wrong_shape_inside_paths_is_located_at_the_member_at_fault() {
    let error = generator::parse_spec(
        &document(
            r#"
paths:
  /users:
    get:
      summary: fine
      responses:
        '200':
          description: OK
  /users/{id}:
    get:
      summary: [not, a, string]
      responses:
        '200':
          description: OK
"#,
        ),
        false,
    )
    .expect_err("summary is a list");
    assert_syntax(&error, "#/paths/~1users~1{id}/get/summary");
    insta::assert_snapshot!(error.to_string(), @"#/paths/~1users~1{id}/get/summary: not a valid OpenAPI document: invalid type: sequence, expected a string");

    let error = generator::parse_spec(
        r#"{"openapi": "3.0.3", "info": {"title": "T", "version": "1"},
            "paths": {"/users": {"get": {"summary": 1, "responses": {}}}}}"#,
        true,
    )
    .expect_err("summary is a number");
    assert_syntax(&error, "#/paths/~1users/get/summary");

    // A parameter of the wrong shape, declared on the path item.
    let error = generator::parse_spec(
        &document(
            r#"
paths:
  /users/{id}:
    parameters:
      - name: id
        in: path
        required: maybe
        schema: {type: string}
    get:
      responses:
        '200':
          description: OK
"#,
        ),
        false,
    )
    .expect_err("required is not a boolean");
    assert!(
        error
            .location
            .starts_with("#/paths/~1users~1{id}/parameters"),
        "{error}"
    );
}

/// `type: [X, 'null']`, the JSON Schema way of writing "X or null", is read in a 3.0
/// document as `type: X, nullable: true`: a `Nullable<X>` like every other spelling.
#[test]
fn a_type_list_with_null_is_nullable() {
    let spec = generator::parse_spec(
        &document(
            r#"
components:
  schemas:
    holder:
      type: object
      required: [count]
      properties:
        name:
          type: [string, 'null']
        count:
          type: ['null', integer]
          example: {type: [kept, as, written]}
"#,
        ),
        false,
    )
    .expect("a type list with null is read");
    let model = generator::resolve::resolve(&spec).expect("resolves");
    let holder = model
        .types
        .iter()
        .find(|def| def.key == "holder")
        .expect("holder");
    let generator::ir::TypeKind::Struct(def) = &holder.kind else {
        panic!("holder is a struct");
    };
    let presence: Vec<_> = def
        .fields
        .iter()
        .map(|field| (field.json_name.as_str(), field.presence, field.ty.clone()))
        .collect();
    use generator::ir::{Presence, Primitive, TypeRef};
    // Such a document is read again as a JSON value tree, whose maps are sorted: its
    // properties come in key order.
    assert_eq!(
        presence,
        [
            (
                "count",
                Presence::RequiredNullable,
                TypeRef::Primitive(Primitive::I64)
            ),
            (
                "name",
                Presence::Nullable,
                TypeRef::Primitive(Primitive::String)
            ),
        ]
    );
}

#[test]
fn wrong_shape_inside_components_is_located() {
    let error = generator::parse_spec(
        &document(
            r#"
components:
  schemas:
    widget:
      type: object
      properties:
        name:
          type: string
          nullable: maybe
"#,
        ),
        false,
    )
    .expect_err("nullable is not a boolean");
    assert_syntax(&error, "#/components/schemas/widget");
}

#[test]
fn yaml_on_stays_a_string() {
    let spec = generator::parse_spec(
        &document(
            r#"
paths:
  /reviews/filterByCurrentUser(on={on}):
    get:
      parameters:
        - name: on
          in: path
          required: true
          schema:
            type: string
            enum: [on, off, yes, no]
      responses:
        '200':
          description: OK
components:
  schemas:
    switch:
      type: object
      properties:
        on: {type: boolean}
        off: {type: boolean}
        y: {type: string}
"#,
        ),
        false,
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let (path, item) = spec.paths.paths.iter().next().expect("one path");
    assert_eq!(path, "/reviews/filterByCurrentUser(on={on})");
    let operation = item
        .as_item()
        .and_then(|item| item.get.as_ref())
        .expect("a get operation");
    let parameter = operation.parameters[0]
        .as_item()
        .expect("an inline parameter");
    let data = parameter.parameter_data_ref();
    assert_eq!(data.name, "on");
    let openapiv3::ParameterSchemaOrContent::Schema(schema) = &data.format else {
        panic!("parameter has no schema");
    };
    let schema = schema.as_item().expect("inline schema");
    let openapiv3::SchemaKind::Type(openapiv3::Type::String(string)) = &schema.schema_kind else {
        panic!("not a string schema: {schema:?}");
    };
    let members: Vec<&str> = string
        .enumeration
        .iter()
        .flatten()
        .map(String::as_str)
        .collect();
    assert_eq!(members, ["on", "off", "yes", "no"]);

    let model = generator::resolve::resolve(&spec).expect("resolves");
    assert_eq!(common::json_names(&model, "switch"), ["on", "off", "y"]);
}

const RICH: &str = r##"
components:
  schemas:
    microsoft.graph.entity:
      type: object
      properties:
        id: {type: string}
        '@odata.type': {type: string}
      discriminator:
        propertyName: '@odata.type'
        mapping:
          '#microsoft.graph.user': '#/components/schemas/microsoft.graph.user'
    microsoft.graph.user:
      allOf:
        - $ref: '#/components/schemas/microsoft.graph.entity'
        - type: object
          properties:
            displayName: {type: string, nullable: true}
            manager:
              anyOf:
                - $ref: '#/components/schemas/microsoft.graph.user'
                - type: object
                  nullable: true
            directReports:
              type: array
              items:
                $ref: '#/components/schemas/microsoft.graph.entity'
            status:
              type: string
              enum: [active, blocked, unknownFutureValue]
            days:
              $ref: '#/components/schemas/microsoft.graph.dayOfWeek'
            counts:
              type: object
              additionalProperties: {type: integer}
            created: {type: string, format: date-time}
    microsoft.graph.dayOfWeek:
      type: string
      enum: [monday, tuesday]
      x-ms-enum-flags: {isFlags: true}
    zeta:
      type: object
      properties:
        z: {type: string}
    alpha:
      type: object
      properties:
        a: {type: string}
"##;

#[test]
fn generating_twice_gives_identical_files() {
    let spec = common::spec(RICH);
    let first = generator::generate_models(&spec, &options()).expect("generates");
    let second = generator::generate_models(&spec, &options()).expect("generates");
    assert_eq!(first, second);
    // And parsing again changes nothing either.
    let third = common::generate(RICH);
    assert_eq!(first, third);
}

#[test]
fn yaml_and_json_give_identical_files() {
    let yaml = document(RICH);
    // The same document as JSON, converted without reordering keys.
    let value: serde_yaml_ng::Value = serde_yaml_ng::from_str(&yaml).expect("valid YAML");
    let json = serde_json::to_string_pretty(&value).expect("converts");
    assert!(json.trim_start().starts_with('{'));
    let from_yaml = generator::generate_models(
        &generator::parse_spec(&yaml, false).expect("YAML parses"),
        &options(),
    )
    .expect("generates");
    let from_json = generator::generate_models(
        &generator::parse_spec(&json, true).expect("JSON parses"),
        &options(),
    )
    .expect("generates");
    assert_eq!(from_yaml, from_json);
}

#[test]
fn project_spec_generates_deterministically() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/v1.0/access-reviews.yaml");
    let spec = generator::load_spec(&path).unwrap_or_else(|error| panic!("{error}"));
    let first = generator::generate_models(&spec, &options()).expect("generates");
    let second = generator::generate_models(&spec, &options()).expect("generates");
    assert_eq!(first, second);
    assert!(first.len() > 3);
}

/// `paths:` with one entry `key` whose item is `item` (indented for the path item level).
fn one_path(key: &str, item: &str) -> String {
    let item: String = item
        .trim_matches('\n')
        .lines()
        .map(|line| format!("    {line}\n"))
        .collect();
    format!("paths:\n  \"{key}\":\n{item}")
}

const NO_CONTENT: &str = "responses:\n  '204': {description: done}\n";

fn get_with(parameters: &str) -> String {
    let parameters: String = parameters
        .lines()
        .map(|line| format!("  {line}\n"))
        .collect();
    format!("get:\n{parameters}{}", indent(NO_CONTENT))
}

fn indent(text: &str) -> String {
    text.lines().map(|line| format!("  {line}\n")).collect()
}

/// Generation of both crates must give the same error as `resolve`.
fn assert_crates_agree(body: &str, error: &Error) {
    let spec = common::spec(body);
    let requests = common::requests_options();
    let crates = generator::generate_crates(&spec, &options(), &requests)
        .expect_err("generate_crates accepted what resolve rejected");
    assert_eq!(&crates, error);
}

#[test]
fn a_template_parameter_that_no_parameter_declares_is_invalid() {
    let body = one_path("/items/{itemId}", &get_with(""));
    let error = resolve_error(&body);
    assert_invalid(&error, "#/paths/~1items~1{itemId}/get", "{itemId}");
    assert_crates_agree(&body, &error);

    // A query parameter of the same name does not declare it.
    let body = one_path(
        "/items/{itemId}",
        &get_with("parameters:\n  - {name: itemId, in: query, schema: {type: string}}"),
    );
    assert_invalid(
        &resolve_error(&body),
        "#/paths/~1items~1{itemId}/get",
        "{itemId}",
    );

    // In a function segment too.
    let body = one_path("/items/f(on='{on}')", &get_with(""));
    assert_invalid(
        &resolve_error(&body),
        "#/paths/~1items~1f(on='{on}')/get",
        "{on}",
    );
}

#[test]
fn a_declared_path_parameter_that_the_template_does_not_use_is_invalid() {
    let declared =
        "parameters:\n  - {name: itemId, in: path, required: true, schema: {type: string}}";
    let body = one_path("/items", &get_with(declared));
    let error = resolve_error(&body);
    assert_invalid(&error, "#/paths/~1items/get/parameters/0", "itemId");
    assert_crates_agree(&body, &error);

    // Declared for the whole path item: located there.
    let body = one_path("/items", &format!("{declared}\n{}", get_with("")));
    assert_invalid(
        &resolve_error(&body),
        "#/paths/~1items/parameters/0",
        "itemId",
    );

    // Through a $ref: located at the reference.
    let body = format!(
        "{}components:\n  parameters:\n    id: {{name: id, in: path, required: true, schema: {{type: string}}}}\n",
        one_path(
            "/items/{itemId}",
            &get_with("parameters:\n  - {name: itemId, in: path, required: true, schema: {type: string}}\n  - $ref: '#/components/parameters/id'"),
        )
    );
    assert_invalid(
        &resolve_error(&body),
        "#/paths/~1items~1{itemId}/get/parameters/1",
        "`id`",
    );
}

#[test]
fn a_path_parameter_declared_twice_is_invalid() {
    let twice = "parameters:\n  - {name: itemId, in: path, required: true, schema: {type: string}}\n  - {name: itemId, in: path, required: true, schema: {type: integer}}";
    let error = resolve_error(&one_path("/items/{itemId}", &get_with(twice)));
    assert_invalid(
        &error,
        "#/paths/~1items~1{itemId}/get/parameters/1",
        "itemId",
    );
}

#[test]
fn a_template_that_uses_a_parameter_twice_is_invalid() {
    let declared = "parameters:\n  - {name: id, in: path, required: true, schema: {type: string}}";
    let error = resolve_error(&one_path("/a/{id}/b/{id}", &get_with(declared)));
    assert_invalid(&error, "#/paths/~1a~1{id}~1b~1{id}", "{id}");
}

// A key that doesn't start with `/` never reaches the generator: openapiv3 reads only those
// keys as paths (and `x-` ones as extensions), so such an entry generates nothing.
#[test]
fn malformed_path_keys_are_invalid() {
    let declared = "parameters:\n  - {name: id, in: path, required: true, schema: {type: string}}";
    for (key, pointer, mentions) in [
        ("/{}", "#/paths/~1{}", "empty"),
        ("/items/{}/x", "#/paths/~1items~1{}~1x", "empty"),
        ("/items?$top=1", "#/paths/~1items?$top=1", "query"),
        ("/items#fragment", "#/paths/~1items#fragment", "fragment"),
        ("/x/../y", "#/paths/~1x~1..~1y", "dot segment"),
        ("/./items", "#/paths/~1.~1items", "dot segment"),
        ("/items/.", "#/paths/~1items~1.", "dot segment"),
        ("/x/%2e%2E/y", "#/paths/~1x~1%2e%2E~1y", "dot segment"),
        ("/x/.%2e", "#/paths/~1x~1.%2e", "dot segment"),
        ("/items//x", "#/paths/~1items~1~1x", "empty segment"),
        ("/items/", "#/paths/~1items~1", "empty segment"),
        ("/items/{id", "#/paths/~1items~1{id", "unclosed"),
        ("/items/id}", "#/paths/~1items~1id}", "`}`"),
        ("/items/{a{id}}", "#/paths/~1items~1{a{id}}", "`{`"),
    ] {
        let error = resolve_error(&one_path(key, &get_with(declared)));
        assert_invalid(&error, pointer, mentions);
    }
}

#[test]
fn head_options_and_trace_are_unsupported_not_emitted_as_another_method() {
    for method in ["head", "options", "trace"] {
        let body = one_path("/x", &format!("{method}:\n{}", indent(NO_CONTENT)));
        let error = resolve_error(&body);
        assert_unsupported(
            &error,
            &format!("#/paths/~1x/{method}"),
            &method.to_uppercase(),
        );
        assert_crates_agree(&body, &error);
    }
}

/// How long rejecting a document may take; the quadratic parse took over a minute.
const DEEP_BUDGET: std::time::Duration = std::time::Duration::from_secs(2);

fn assert_too_deep(text: &str, is_json: bool, line: usize) {
    let start = std::time::Instant::now();
    let error = generator::parse_spec(text, is_json).expect_err("too deep");
    let took = start.elapsed();
    assert_eq!(error.location, "#", "{error}");
    match error.kind {
        ErrorKind::TooDeep {
            limit,
            line: at_line,
            ..
        } => {
            assert_eq!(limit, generator::parse::MAX_DEPTH);
            assert_eq!(at_line, line, "{error}");
        }
        ref other => panic!("expected TooDeep, got {other:?}"),
    }
    assert!(
        error.to_string().contains("128"),
        "the message says the limit: {error}"
    );
    assert!(took < DEEP_BUDGET, "took {took:?}");
}

#[test]
fn deep_nesting_is_rejected_before_a_tree_is_built() {
    const DEPTH: usize = 100_000;
    let preamble = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n";
    // Flow style YAML.
    let flow = format!(
        "{preamble}x-deep: {}{}\n",
        "[".repeat(DEPTH),
        "]".repeat(DEPTH)
    );
    assert_too_deep(&flow, false, 4);
    // Block style YAML: compact nested sequences.
    let block = format!("{preamble}x-deep:\n{}x\n", "- ".repeat(DEPTH));
    assert_too_deep(&block, false, 5);
    // JSON, read as JSON and read as YAML.
    let json = format!(
        "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"T\", \"version\": \"1\"}}, \"paths\": {{}},\n\"x-deep\": {}1{}}}",
        "{\"a\":".repeat(DEPTH),
        "}".repeat(DEPTH)
    );
    assert_too_deep(&json, true, 2);
    assert_too_deep(&json, false, 2);
}

#[test]
fn nesting_below_the_limit_still_parses() {
    let preamble = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n";
    // 100 levels of extension value, plus the top-level mapping.
    let flow = format!("{preamble}x-deep: {}{}\n", "[".repeat(100), "]".repeat(100));
    generator::parse_spec(&flow, false).unwrap_or_else(|error| panic!("{error}"));
    // Brackets in scalars and comments are not structure.
    let scalars = format!(
        "{preamble}x-text: see [{}\nx-quoted: '{}'\n# {}\nx-block: |\n  {}\n",
        "[".repeat(500),
        "{".repeat(500),
        "[".repeat(500),
        "[".repeat(500)
    );
    generator::parse_spec(&scalars, false).unwrap_or_else(|error| panic!("{error}"));
    let json = format!(
        "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"{}\", \"version\": \"1\"}}, \"paths\": {{}}}}",
        "[\\\"".repeat(500)
    );
    generator::parse_spec(&json, true).unwrap_or_else(|error| panic!("{error}"));
}

/// Swagger 2.0 and OpenAPI 3.1 are named as such, with what is supported, instead of as
/// the first construct that fails to parse (`missing field openapi`), or being read as 3.0.
#[test]
fn other_openapi_versions_are_named() {
    let swagger_yaml = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n";
    let swagger_json = r#"{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#;
    for (text, is_json) in [(swagger_yaml, false), (swagger_json, true)] {
        let error = generator::parse_spec(text, is_json).expect_err("Swagger 2.0 is refused");
        assert_unsupported(&error, "#/swagger", "Swagger 2.0 document");
        assert!(error.to_string().contains("OpenAPI 3.0.x"), "{error}");
    }
    // A 3.1 document that happens to parse as 3.0, and one that doesn't.
    let parses = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n";
    let error = generator::parse_spec(parses, false).expect_err("3.1 is refused");
    assert_unsupported(&error, "#/openapi", "\"3.1.0\"");
    let fails = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nwebhooks: {}\npaths: {/x: 1}\n";
    let error = generator::parse_spec(fails, false).expect_err("3.1 is refused");
    assert_unsupported(&error, "#/openapi", "\"3.1.0\"");
    // 3.0 documents still parse, and a 3.0 syntax error is still reported as one.
    let ok = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
    assert!(generator::parse_spec(ok, false).is_ok());
    let bad = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {/x: 1}\n";
    let error = generator::parse_spec(bad, false).expect_err("a bad path item");
    assert!(matches!(error.kind, ErrorKind::Syntax(_)), "{error:?}");
}

/// A `oneOf` written beside other keywords (which openapiv3 reads as a mixed schema) is
/// still called `oneOf` in the error and in its pointer, not `anyOf`.
#[test]
fn a_one_of_beside_other_keywords_is_named_one_of() {
    let error = resolve_error(
        r#"
components:
  schemas:
    cat:
      type: object
      properties:
        meow: {type: boolean}
    dog:
      type: object
      properties:
        bark: {type: boolean}
    owner:
      type: object
      properties:
        pet:
          type: object
          description: The pet, whichever kind.
          properties:
            name: {type: string}
          oneOf:
            - $ref: '#/components/schemas/cat'
            - $ref: '#/components/schemas/dog'
"#,
    );
    assert_unsupported(
        &error,
        "#/components/schemas/owner/properties/pet/oneOf",
        "oneOf beside properties",
    );
}

/// A component that is only a `$ref` is an alias (see `tests/ir.rs`); one whose target is
/// missing is named at its `$ref`, and aliases that refer to each other are refused.
#[test]
fn reference_only_components_that_go_nowhere_are_errors() {
    let error = resolve_error(
        r#"
components:
  schemas:
    alias:
      $ref: '#/components/schemas/nowhere'
"#,
    );
    assert_eq!(error.location, "#/components/schemas/alias/$ref", "{error}");
    assert_eq!(error.kind, missing("#/components/schemas/nowhere"));

    let error = resolve_error(
        r#"
components:
  schemas:
    a:
      $ref: '#/components/schemas/b'
    b:
      $ref: '#/components/schemas/a'
"#,
    );
    assert_eq!(error.location, "#/components/schemas/a/$ref", "{error}");
    assert!(error.to_string().contains("a -> b -> a"), "{error}");
}

/// A chain of aliases written both ways (`$ref` alone, `allOf` of one `$ref`) that comes
/// back to where it started is refused at the first `$ref` of the chain, with the chain in
/// the message, before anything follows it (so no stack overflow).
#[test]
fn an_alias_cycle_through_all_of_is_reported_with_its_pointer() {
    let error = resolve_error(
        r#"
components:
  schemas:
    A:
      description: The first name.
      allOf:
        - $ref: '#/components/schemas/B'
    B:
      $ref: '#/components/schemas/C'
    C:
      allOf:
        - $ref: '#/components/schemas/A'
    user:
      type: object
      properties:
        a:
          $ref: '#/components/schemas/A'
"#,
    );
    insta::assert_snapshot!(error.to_string(), @"#/components/schemas/A/allOf/0: invalid: components that are aliases of each other: A -> B -> C -> A");

    // A component that names itself.
    let error = resolve_error(
        r#"
components:
  schemas:
    self:
      allOf:
        - $ref: '#/components/schemas/self'
"#,
    );
    assert_invalid(&error, "#/components/schemas/self/allOf/0", "self -> self");
}

/// Every way a body's media types can be refused, each named at its `content` entry (or its
/// schema), all reported by one run. The operations are otherwise fine.
const BAD_BODIES: &str = r#"
paths:
  /ranges:
    post:
      requestBody:
        content:
          '*/*': {schema: {type: string, format: binary}}
      responses:
        '204': {description: done}
  /unknown-form:
    post:
      requestBody:
        content:
          application/x-www-form-urlencoded: {}
      responses:
        '204': {description: done}
  /list-form:
    post:
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: array, items: {type: string}}
      responses:
        '204': {description: done}
  /not-a-media-type:
    get:
      responses:
        '200':
          description: ok
          content:
            json: {schema: {type: string}}
"#;

#[test]
fn unsupported_body_media_types_are_errors_at_their_content_entry() {
    let error = resolve_error(BAD_BODIES);
    assert_unsupported(
        &error,
        "#/paths/~1ranges/post/requestBody/content/*~1*",
        "names no concrete type",
    );
    let errors = generator::resolve::resolve_reporting_all(&common::spec(BAD_BODIES))
        .expect_err("the bodies are refused");
    let all: Vec<&Error> = errors.iter().collect();
    assert_eq!(all.len(), 4, "{errors}");
    assert_eq!(all[0], &error, "the first is the one resolve() stops at");
    assert_unsupported(
        all[1],
        "#/paths/~1unknown-form/post/requestBody/content/application~1x-www-form-urlencoded",
        "without a schema",
    );
    assert_unsupported(
        all[2],
        "#/paths/~1list-form/post/requestBody/content/application~1x-www-form-urlencoded/schema",
        "not an object",
    );
    assert_invalid(
        all[3],
        "#/paths/~1not-a-media-type/get/responses/200/content/json",
        "not a media type",
    );
    insta::assert_snapshot!(errors.to_string());
}

#[test]
fn body_and_response_references_must_name_their_own_section() {
    let error = resolve_error(
        r#"
paths:
  /things:
    post:
      requestBody: {$ref: '#/components/requestBodies/absent'}
      responses:
        '204': {description: done}
"#,
    );
    assert_eq!(error.location, "#/paths/~1things/post/requestBody");
    assert_eq!(error.kind, missing("#/components/requestBodies/absent"));
    let error = resolve_error(
        r#"
paths:
  /things:
    get:
      responses:
        '200': {$ref: '#/components/schemas/thing'}
components:
  schemas:
    thing: {type: object}
"#,
    );
    assert_unsupported(
        &error,
        "#/paths/~1things/get/responses/200",
        "$ref #/components/schemas/thing in responses",
    );
}
