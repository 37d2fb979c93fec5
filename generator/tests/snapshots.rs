//! Snapshot tests: one small inline spec per construct, and the generated files a reviewer
//! would want to read for it. The snapshots were each read before being accepted; a change
//! to one is a change to generated code and should be read the same way.

mod common;

use common::{generate, render};

#[test]
fn plain_object() {
    let files = generate(
        r#"
components:
  schemas:
    microsoft.graph.widget:
      title: widget
      type: object
      description: A thing with a name and a count.
      properties:
        name:
          type: string
          description: The widget's name.
        count:
          type: integer
          format: int32
        enabled:
          type: boolean
          description: Whether the widget is on.
"#,
    );
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        [
            "Cargo.toml",
            "rustfmt.toml",
            "src/lib.rs",
            "src/schema.rs",
            "src/widget.rs"
        ]
    );
    insta::assert_snapshot!(render(
        &files,
        &[
            "Cargo.toml",
            "rustfmt.toml",
            "src/lib.rs",
            "src/widget.rs",
            "src/schema.rs"
        ]
    ));
}

#[test]
fn all_of_inheritance_two_levels() {
    let files = generate(
        r#"
components:
  schemas:
    microsoft.graph.entity:
      title: entity
      type: object
      properties:
        id:
          type: string
          description: The key.
    microsoft.graph.directoryObject:
      allOf:
        - $ref: '#/components/schemas/microsoft.graph.entity'
        - title: directoryObject
          type: object
          properties:
            deletedDateTime:
              type: string
              format: date-time
    microsoft.graph.user:
      allOf:
        - $ref: '#/components/schemas/microsoft.graph.directoryObject'
        - title: user
          type: object
          description: A person who signs in.
          properties:
            displayName:
              type: string
            accountEnabled:
              type: boolean
"#,
    );
    insta::assert_snapshot!(render(&files, &["src/directory_object.rs", "src/user.rs"]));
}

#[test]
fn discriminator_with_mapping() {
    let files = generate(
        r##"
components:
  schemas:
    microsoft.graph.identity:
      title: identity
      type: object
      properties:
        '@odata.type':
          type: string
        displayName:
          type: string
          nullable: true
      discriminator:
        propertyName: '@odata.type'
        mapping:
          '#microsoft.graph.userIdentity': '#/components/schemas/microsoft.graph.userIdentity'
          '#microsoft.graph.auditUserIdentity': '#/components/schemas/microsoft.graph.auditUserIdentity'
    microsoft.graph.userIdentity:
      allOf:
        - $ref: '#/components/schemas/microsoft.graph.identity'
        - title: userIdentity
          type: object
          properties:
            userPrincipalName:
              type: string
    microsoft.graph.auditUserIdentity:
      allOf:
        - $ref: '#/components/schemas/microsoft.graph.userIdentity'
        - title: auditUserIdentity
          type: object
          properties:
            homeTenantId:
              type: string
    microsoft.graph.decision:
      title: decision
      type: object
      properties:
        principal:
          $ref: '#/components/schemas/microsoft.graph.identity'
        reviewer:
          anyOf:
            - $ref: '#/components/schemas/microsoft.graph.identity'
            - type: object
              nullable: true
        contacts:
          type: array
          items:
            $ref: '#/components/schemas/microsoft.graph.identity'
        owner:
          $ref: '#/components/schemas/microsoft.graph.userIdentity'
"##,
    );
    insta::assert_snapshot!(render(
        &files,
        &[
            "src/identity.rs",
            "src/audit_user_identity.rs",
            "src/decision.rs"
        ]
    ));
}

#[test]
fn nullable_and_required() {
    let files = generate(
        r#"
components:
  schemas:
    microsoft.graph.person:
      title: person
      type: object
      properties:
        name:
          type: string
    microsoft.graph.assignment:
      title: assignment
      type: object
      required: [id, expiresDateTime, approver]
      properties:
        id:
          type: string
          description: Required, not nullable.
        note:
          type: string
          description: Optional, not nullable.
        justification:
          type: string
          nullable: true
          description: Optional and nullable (scalar form).
        manager:
          anyOf:
            - $ref: '#/components/schemas/microsoft.graph.person'
            - type: object
              nullable: true
          description: Optional and nullable (reference form).
        expiresDateTime:
          type: string
          format: date-time
          nullable: true
          description: Required and nullable (scalar form).
        approver:
          anyOf:
            - $ref: '#/components/schemas/microsoft.graph.person'
            - type: object
              nullable: true
          description: Required and nullable (reference form).
"#,
    );
    insta::assert_snapshot!(render(&files, &["src/assignment.rs"]));
}

#[test]
fn string_enums() {
    let files = generate(
        r#"
components:
  schemas:
    microsoft.graph.reviewStatus:
      title: reviewStatus
      type: string
      enum:
        - notStarted
        - inProgress
        - completed
        - unknownFutureValue
    microsoft.graph.caseClash:
      title: caseClash
      type: string
      description: Members that differ only in case, and one named like the catch-all.
      enum:
        - value
        - Value
        - VALUE
        - other
        - ''
    microsoft.graph.review:
      title: review
      type: object
      properties:
        status:
          $ref: '#/components/schemas/microsoft.graph.reviewStatus'
        clash:
          $ref: '#/components/schemas/microsoft.graph.caseClash'
        priority:
          type: string
          enum: [low, high, unknownFutureValue]
"#,
    );
    insta::assert_snapshot!(render(
        &files,
        &["src/review_status.rs", "src/case_clash.rs", "src/review.rs"]
    ));
}

/// Members are documented with what they mean when the spec says so in `x-ms-enum`; a
/// member the extension doesn't describe, and a malformed extension, fall back to the value.
#[test]
fn enum_member_descriptions() {
    let files = generate(
        r#"
components:
  schemas:
    microsoft.graph.verdict:
      title: verdict
      type: string
      enum: [approve, deny, dontKnow]
      x-ms-enum:
        name: verdict
        modelAsString: true
        values:
          - value: approve
            description: The reviewer keeps the access.
          - value: deny
            description: '  '
          - value: notAMember
            description: Describes a value the enum does not list.
    microsoft.graph.malformed:
      title: malformed
      type: string
      enum: [one]
      x-ms-enum:
        values: one
"#,
    );
    let verdict = &files["src/verdict.rs"];
    assert!(verdict.contains("/// `approve`: The reviewer keeps the access.\n    Approve,"));
    assert!(
        verdict.contains("/// `deny`\n    Deny,"),
        "a blank description is none"
    );
    assert!(verdict.contains("/// `dontKnow`\n    DontKnow,"));
    assert!(!verdict.contains("notAMember"));
    assert!(files["src/malformed.rs"].contains("/// `one`\n    One,"));
}

#[test]
fn flags_enum() {
    let files = generate(
        r#"
components:
  schemas:
    microsoft.graph.dayOfWeek:
      title: dayOfWeek
      type: string
      enum: [sunday, monday, tuesday, unknownFutureValue]
      x-ms-enum-flags:
        isFlags: true
    microsoft.graph.schedule:
      title: schedule
      type: object
      properties:
        days:
          $ref: '#/components/schemas/microsoft.graph.dayOfWeek'
        history:
          type: array
          items:
            $ref: '#/components/schemas/microsoft.graph.dayOfWeek'
"#,
    );
    insta::assert_snapshot!(render(&files, &["src/day_of_week.rs", "src/schedule.rs"]));
}

#[test]
fn arrays() {
    let files = generate(
        r#"
components:
  schemas:
    microsoft.graph.person:
      title: person
      type: object
      properties:
        name:
          type: string
    microsoft.graph.personList:
      title: personList
      type: array
      items:
        $ref: '#/components/schemas/microsoft.graph.person'
    microsoft.graph.team:
      title: team
      type: object
      properties:
        tags:
          type: array
          items:
            type: string
        members:
          type: array
          items:
            $ref: '#/components/schemas/microsoft.graph.person'
        grid:
          type: array
          items:
            type: array
            items:
              type: integer
              format: int32
        entries:
          type: array
          items:
            type: object
            properties:
              key:
                type: string
        anything:
          type: array
"#,
    );
    insta::assert_snapshot!(render(&files, &["src/person_list.rs", "src/team.rs"]));
}

#[test]
fn maps() {
    let files = generate(
        r#"
components:
  schemas:
    microsoft.graph.counters:
      title: counters
      type: object
      additionalProperties:
        type: integer
    microsoft.graph.report:
      title: report
      type: object
      properties:
        counts:
          type: object
          additionalProperties:
            type: integer
        labels:
          type: object
          additionalProperties:
            type: string
        extra:
          type: object
          additionalProperties: true
        named:
          $ref: '#/components/schemas/microsoft.graph.counters'
"#,
    );
    insta::assert_snapshot!(render(&files, &["src/counters.rs", "src/report.rs"]));
}

#[test]
fn formats() {
    let files = generate(
        r#"
components:
  schemas:
    microsoft.graph.sample:
      title: sample
      type: object
      properties:
        at:
          type: string
          format: date-time
        day:
          type: string
          format: date
        span:
          type: string
          format: duration
        small:
          type: integer
          format: int32
        big:
          type: integer
          format: int64
        plain:
          type: integer
        id:
          type: string
          format: uuid
        ratio:
          type: number
          format: float
        precise:
          type: number
          format: double
        number:
          type: number
        blob:
          type: string
          format: base64url
"#,
    );
    insta::assert_snapshot!(render(&files, &["src/sample.rs"]));
}

#[test]
fn recursive_types() {
    let files = generate(
        r#"
components:
  schemas:
    microsoft.graph.node:
      title: node
      type: object
      properties:
        parent:
          anyOf:
            - $ref: '#/components/schemas/microsoft.graph.node'
            - type: object
              nullable: true
        children:
          type: array
          items:
            $ref: '#/components/schemas/microsoft.graph.node'
    microsoft.graph.alpha:
      title: alpha
      type: object
      properties:
        beta:
          $ref: '#/components/schemas/microsoft.graph.beta'
    microsoft.graph.beta:
      title: beta
      type: object
      properties:
        alpha:
          $ref: '#/components/schemas/microsoft.graph.alpha'
"#,
    );
    insta::assert_snapshot!(render(
        &files,
        &["src/node.rs", "src/alpha.rs", "src/beta.rs"]
    ));
}

#[test]
fn odd_property_names() {
    let files = generate(
        r#"
components:
  schemas:
    microsoft.graph.odd:
      title: odd
      type: object
      properties:
        type:
          type: string
        self:
          type: string
        '@odata.type':
          type: string
        $count:
          type: integer
        insights@odata.context:
          type: string
        displayName:
          type: string
        DisplayName:
          type: string
        additional_properties:
          type: string
        key:
          type: string
        map:
          type: string
        2fa:
          type: boolean
"#,
    );
    insta::assert_snapshot!(render(&files, &["src/odd.rs"]));
}

const ODD_SCHEMA_NAMES: &str = r#"
components:
  schemas:
    microsoft.graph.String:
      title: String
      type: object
      properties:
        value:
          type: string
    Option:
      type: string
      enum: [some, none]
    a.alert:
      type: object
      properties:
        severity:
          type: string
    b.alert:
      type: object
      properties:
        title:
          type: string
    microsoft.graph.schema:
      type: object
      properties:
        version:
          type: string
    microsoft.graph.type:
      type: string
      enum: [a, b]
    microsoft.graph.self:
      type: object
      properties:
        link:
          type: string
    microsoft.graph.holder:
      title: holder
      type: object
      properties:
        text:
          $ref: '#/components/schemas/microsoft.graph.String'
        choice:
          $ref: '#/components/schemas/Option'
        first:
          $ref: '#/components/schemas/a.alert'
        second:
          $ref: '#/components/schemas/b.alert'
        schema:
          $ref: '#/components/schemas/microsoft.graph.schema'
        type:
          $ref: '#/components/schemas/microsoft.graph.type'
        self:
          $ref: '#/components/schemas/microsoft.graph.self'
"#;

#[test]
fn odd_schema_names() {
    let files = generate(ODD_SCHEMA_NAMES);
    insta::assert_snapshot!(render(&files, &["src/lib.rs", "src/holder.rs"]));
    // Every component's key, type name and file, in one place.
    let listing: Vec<String> = common::resolve(ODD_SCHEMA_NAMES)
        .types
        .iter()
        .map(|def| format!("{} -> {} in src/{}.rs", def.key, def.name, def.module))
        .collect();
    insta::assert_snapshot!("odd_schema_names_types", listing.join("\n"));
}

#[test]
fn discriminated_one_of() {
    let files = generate(
        r#"
components:
  schemas:
    cat:
      type: object
      required: [petType]
      properties:
        petType: {type: string}
        meows: {type: boolean}
    dog:
      type: object
      required: [petType]
      properties:
        petType: {type: string}
        barks: {type: boolean}
    pet:
      description: A pet of either kind, told apart by `petType`.
      oneOf:
        - $ref: '#/components/schemas/cat'
        - $ref: '#/components/schemas/dog'
      discriminator:
        propertyName: petType
        mapping:
          kitty: '#/components/schemas/cat'
"#,
    );
    insta::assert_snapshot!(render(&files, &["src/pet.rs"]));
}

#[test]
fn untagged_any_of_with_fallback() {
    // Inline in a property and in array items: each union is named after where it stands.
    let files = generate(
        r#"
components:
  schemas:
    point:
      type: object
      required: [x, y]
      properties:
        x: {type: number}
        y: {type: number}
    label:
      type: object
      additionalProperties: true
      properties:
        text: {type: string}
    shape:
      type: object
      properties:
        anchor:
          description: Where the shape is anchored, a point or a named place.
          anyOf:
            - $ref: '#/components/schemas/label'
            - $ref: '#/components/schemas/point'
            - type: string
            - description: Anything else, which takes part only when nothing else fits.
        sizes:
          type: array
          items:
            oneOf:
              - type: integer
              - type: object
                properties:
                  width: {type: integer}
"#,
    );
    insta::assert_snapshot!(render(&files, &["src/shape.rs"]));
}

#[test]
fn every_spelling_of_or_null() {
    // Each property is `Nullable<…>` of the referenced or inline type, never a union.
    let files = generate(
        r#"
components:
  schemas:
    item:
      type: object
      properties:
        name: {type: string}
    holder:
      type: object
      required: [strict]
      properties:
        flag:
          type: boolean
          nullable: true
        marker:
          anyOf:
            - $ref: '#/components/schemas/item'
            - type: object
              nullable: true
        enumNullAny:
          anyOf:
            - $ref: '#/components/schemas/item'
            - enum: [null]
        enumNullOne:
          oneOf:
            - type: string
            - enum: [null]
        strict:
          oneOf:
            - $ref: '#/components/schemas/item'
            - enum: [null]
        many:
          description: Two alternatives and null; null makes the union nullable, not a variant.
          anyOf:
            - type: integer
            - type: string
            - enum: [null]
"#,
    );
    insta::assert_snapshot!(render(&files, &["src/holder.rs"]));
}

#[test]
fn all_of_single_reference_alias_and_chain() {
    let files = generate(
        r#"
components:
  schemas:
    base:
      type: object
      properties:
        id: {type: string}
    named:
      description: The base under another name.
      allOf:
        - $ref: '#/components/schemas/base'
    renamed:
      $ref: '#/components/schemas/named'
    again:
      allOf:
        - $ref: '#/components/schemas/renamed'
    child:
      allOf:
        - $ref: '#/components/schemas/again'
        - type: object
          properties:
            extra: {type: integer}
    user:
      type: object
      properties:
        home:
          $ref: '#/components/schemas/again'
"#,
    );
    insta::assert_snapshot!(render(
        &files,
        &[
            "src/named.rs",
            "src/renamed.rs",
            "src/again.rs",
            "src/child.rs",
            "src/user.rs"
        ]
    ));
}

#[test]
fn union_with_an_implied_discriminator() {
    // Each alternative requires `type`, a one-member string enum of its own (GeoJSON as
    // the OData converter writes it): the union reads `type` rather than trying variants.
    let files = generate(
        r#"
components:
  schemas:
    position:
      type: array
      items: {type: number}
    point:
      type: object
      required: [type, coordinates]
      properties:
        type:
          type: string
          enum: [Point]
        coordinates:
          $ref: '#/components/schemas/position'
    multiPoint:
      type: object
      required: [type, coordinates]
      properties:
        type:
          type: string
          enum: [MultiPoint]
        coordinates:
          type: array
          items:
            $ref: '#/components/schemas/position'
    lineString:
      type: object
      required: [type, coordinates]
      properties:
        type:
          type: string
          enum: [LineString]
        coordinates:
          type: array
          items:
            $ref: '#/components/schemas/position'
    geometry:
      type: object
      oneOf:
        - $ref: '#/components/schemas/point'
        - $ref: '#/components/schemas/multiPoint'
        - $ref: '#/components/schemas/lineString'
"#,
    );
    insta::assert_snapshot!(render(&files, &["src/geometry.rs"]));
}

#[test]
fn bodies_of_every_media_type() {
    // One operation per encoding, requests and responses: bytes (octet-stream up, image/png
    // down), text both ways, a form chosen over the XML beside it, multipart parts, and a
    // `*/*` response read as bytes.
    let (models, requests) = common::generate_both(
        r#"
paths:
  /pets/{petId}/photo:
    parameters:
      - {name: petId, in: path, required: true, schema: {type: string}}
    put:
      description: Uploads the pet's photo.
      requestBody:
        required: true
        content:
          application/octet-stream:
            schema: {type: string, format: binary}
      responses:
        '204': {description: stored}
    get:
      description: Downloads the pet's photo.
      responses:
        '200':
          description: the photo
          content:
            image/png:
              schema: {type: string, format: binary}
  /pets/{petId}/note:
    parameters:
      - {name: petId, in: path, required: true, schema: {type: string}}
    put:
      description: Replaces the pet's note.
      requestBody:
        content:
          text/plain:
            schema: {type: string}
      responses:
        '204': {description: stored}
    get:
      description: Reads the pet's note.
      responses:
        '200':
          description: the note
          content:
            text/plain:
              schema: {type: string}
  /pets/{petId}/rename:
    parameters:
      - {name: petId, in: path, required: true, schema: {type: string}}
    post:
      description: Renames the pet from a form.
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                name: {type: string}
                status: {type: string}
              required: [name]
          application/xml:
            schema: {type: object}
      responses:
        '204': {description: renamed}
  /pets/{petId}/documents:
    parameters:
      - {name: petId, in: path, required: true, schema: {type: string}}
    post:
      description: Attaches documents.
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                summary: {type: string}
                file: {type: string, format: binary}
      responses:
        '200':
          description: anything
          content:
            '*/*':
              schema: {type: string, format: binary}
components:
  schemas: {}
"#,
    );
    insta::assert_snapshot!(format!(
        "{}\n{}",
        render(&models, &["src/operation_types.rs"]),
        render(
            &requests,
            &[
                "src/pets/item/documents.rs",
                "src/pets/item/note.rs",
                "src/pets/item/photo.rs",
                "src/pets/item/rename.rs",
            ]
        )
    ));
}

#[test]
fn one_of_that_only_names_required_properties_is_a_rule_not_a_union() {
    // A common way to say "give `email` or `phone`": the alternatives pick which of the
    // properties must be present. The struct keeps every property, all optional.
    let files = generate(
        r#"
components:
  schemas:
    contact:
      type: object
      properties:
        email: {type: string}
        phone: {type: string}
        name: {type: string}
      required: [name]
      oneOf:
        - required: [email]
        - type: object
          required: [phone]
    derived:
      allOf:
        - $ref: '#/components/schemas/contact'
        - type: object
          properties:
            extra: {type: string}
      anyOf:
        - required: [extra]
        - required: [email]
"#,
    );
    insta::assert_snapshot!(render(&files, &["src/contact.rs", "src/derived.rs"]));
}
