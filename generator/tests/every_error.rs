//! One run reports every error it finds: each step of the resolver goes on past a component
//! or an operation that fails, and stops at the end of the step, so that what failed is not
//! read again as the cause of errors that are not there.

mod common;

use generator::resolve::{resolve, resolve_reporting_all};
use generator::{Error, Errors};

fn every_error(body: &str) -> Errors {
    let spec = common::spec(body);
    let errors = match resolve_reporting_all(&spec) {
        Ok(_) => panic!("expected errors for:\n{body}"),
        Err(errors) => errors,
    };
    let first = resolve(&spec).expect_err("resolve accepted what resolve_reporting_all refused");
    assert_eq!(
        errors.first(),
        &first,
        "resolve() stops at the first of them"
    );
    errors
}

fn locations(errors: &Errors) -> Vec<&str> {
    errors.iter().map(|error| error.location.as_str()).collect()
}

#[test]
fn two_broken_components_are_both_reported() {
    let errors = every_error(
        r#"
components:
  schemas:
    a:
      type: object
      properties:
        owner: {$ref: '#/components/schemas/missing'}
        fine: {type: string}
    b:
      type: object
      properties:
        fine: {$ref: '#/components/schemas/a'}
    c:
      type: object
      properties:
        list:
          type: array
          items: {$ref: '#/components/schemas/gone'}
"#,
    );
    insta::assert_snapshot!(errors.to_string());
    assert_eq!(
        locations(&errors),
        [
            "#/components/schemas/a/properties/owner",
            "#/components/schemas/c/properties/list/items",
        ]
    );
}

#[test]
fn a_failed_parent_is_reported_once_and_not_as_a_cycle() {
    // `child` and `grandchild` inherit from `parent`, whose field fails: the error is
    // `parent`'s alone, once, however many descendants read it.
    let errors = every_error(
        r#"
components:
  schemas:
    child:
      allOf:
        - $ref: '#/components/schemas/parent'
        - type: object
          properties:
            own: {type: string}
    grandchild:
      allOf:
        - $ref: '#/components/schemas/child'
    parent:
      type: object
      properties:
        broken: {$ref: '#/components/schemas/nowhere'}
"#,
    );
    assert_eq!(errors.len(), 1, "{errors}");
    assert_eq!(
        locations(&errors),
        ["#/components/schemas/parent/properties/broken"]
    );
}

#[test]
fn an_inheritance_cycle_is_reported_once_beside_another() {
    let errors = every_error(
        r#"
components:
  schemas:
    a:
      allOf: [{$ref: '#/components/schemas/b'}, {type: object}]
    b:
      allOf: [{$ref: '#/components/schemas/a'}, {type: object}]
    x:
      allOf: [{$ref: '#/components/schemas/y'}, {type: object}]
    y:
      allOf: [{$ref: '#/components/schemas/z'}, {type: object}]
    z:
      allOf: [{$ref: '#/components/schemas/x'}, {type: object}]
"#,
    );
    insta::assert_snapshot!(errors.to_string());
    assert_eq!(
        locations(&errors),
        ["#/components/schemas/a", "#/components/schemas/x"]
    );
}

#[test]
fn errors_of_a_later_step_wait_for_the_earlier_ones_to_be_fixed() {
    // The missing `$ref` is found when fields are resolved; the bad body only when
    // operations are, a step that does not run until the fields resolve.
    let body = r#"
paths:
  /things:
    post:
      requestBody:
        content:
          '*/*': {}
      responses:
        '204': {description: done}
components:
  schemas:
    a:
      type: object
      properties:
        b: {$ref: '#/components/schemas/missing'}
"#;
    let errors = every_error(body);
    assert_eq!(locations(&errors), ["#/components/schemas/a/properties/b"]);
    let fixed = body.replace("#/components/schemas/missing", "#/components/schemas/a");
    let errors = every_error(&fixed);
    assert_eq!(
        locations(&errors),
        ["#/paths/~1things/post/requestBody/content/*~1*"]
    );
}

#[test]
fn alias_cycles_are_reported_once_each() {
    let errors = every_error(
        r#"
components:
  schemas:
    a: {$ref: '#/components/schemas/b'}
    b: {$ref: '#/components/schemas/a'}
    p: {$ref: '#/components/schemas/q'}
    q: {allOf: [{$ref: '#/components/schemas/p'}]}
"#,
    );
    assert_eq!(
        locations(&errors),
        ["#/components/schemas/a/$ref", "#/components/schemas/p/$ref"]
    );
}

#[test]
fn errors_in_operations_are_all_reported() {
    // Past the resolver, the requests side goes on past a failed operation too.
    let spec = common::spec(
        r#"
paths:
  /one/pre{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: done}
  /two/{id}post:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: done}
"#,
    );
    let model = resolve(&spec).expect("the models resolve");
    let errors = generator::operations::resolve_operations(&spec, &model)
        .expect_err("both operations are refused");
    let all: Vec<&Error> = errors.iter().collect();
    assert_eq!(all.len(), 2, "{errors}");
    insta::assert_snapshot!(errors.to_string());
}

#[test]
fn a_single_error_is_one_line() {
    let errors = every_error(
        r#"
components:
  schemas:
    a: {$ref: '#/components/schemas/none'}
"#,
    );
    assert_eq!(errors.len(), 1);
    assert_eq!(errors.to_string(), errors.first().to_string());
    assert!(!errors.to_string().contains('\n'));
}
