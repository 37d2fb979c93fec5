//! Behaviour tests on the resolved IR: what the generated code will be made of, checked
//! without compiling any of it.

mod common;

use common::{field, json_names, resolve, rust_names, struct_def, type_def, type_named};
use generator::ir::{Model, Presence, Primitive, TypeId, TypeKind, TypeRef};

fn id_of(model: &Model, key: &str) -> TypeId {
    TypeId(
        model
            .types
            .iter()
            .position(|def| def.key == key)
            .unwrap_or_else(|| panic!("no type for {key}")),
    )
}

const HIERARCHY: &str = r##"
components:
  schemas:
    a:
      type: object
      properties:
        a1:
          type: string
        a2:
          type: string
    b:
      allOf:
        - $ref: '#/components/schemas/a'
        - type: object
          properties:
            b1:
              type: string
            a2:
              type: integer
              description: Redeclared with another type.
    c:
      allOf:
        - $ref: '#/components/schemas/b'
        - type: object
          properties:
            c1:
              type: boolean
    mixin:
      type: object
      properties:
        m1:
          type: string
    d:
      allOf:
        - $ref: '#/components/schemas/c'
        - $ref: '#/components/schemas/mixin'
        - type: object
          properties:
            d1:
              type: string
"##;

#[test]
fn derived_types_repeat_inherited_fields_first() {
    let model = resolve(HIERARCHY);
    assert_eq!(json_names(&model, "a"), ["a1", "a2"]);
    assert_eq!(json_names(&model, "b"), ["a1", "a2", "b1"]);
    assert_eq!(json_names(&model, "c"), ["a1", "a2", "b1", "c1"]);
    // Several parents: in allOf order, then the type's own properties.
    assert_eq!(
        json_names(&model, "d"),
        ["a1", "a2", "b1", "c1", "m1", "d1"]
    );
}

#[test]
fn redeclared_property_replaces_the_inherited_one_in_place() {
    let model = resolve(HIERARCHY);
    for key in ["b", "c", "d"] {
        let a2 = field(&model, key, "a2");
        assert_eq!(a2.ty, TypeRef::Primitive(Primitive::I64), "{key}");
        assert_eq!(a2.doc, "Redeclared with another type.", "{key}");
    }
    assert_eq!(
        field(&model, "a", "a2").ty,
        TypeRef::Primitive(Primitive::String)
    );
}

#[test]
fn parents_and_descendants_are_recorded() {
    let model = resolve(HIERARCHY);
    assert_eq!(struct_def(&model, "a").parents, Vec::<String>::new());
    assert_eq!(struct_def(&model, "b").parents, ["a"]);
    assert_eq!(struct_def(&model, "c").parents, ["b"]);
    assert_eq!(struct_def(&model, "d").parents, ["c", "mixin"]);
    assert_eq!(struct_def(&model, "a").descendants, ["b", "c", "d"]);
    assert_eq!(struct_def(&model, "b").descendants, ["c", "d"]);
    assert_eq!(struct_def(&model, "mixin").descendants, ["d"]);
    assert!(struct_def(&model, "d").descendants.is_empty());
    // No discriminator anywhere: no polymorphic enums, and references stay plain.
    assert!(model.types.iter().all(|def| match &def.kind {
        TypeKind::Struct(s) => s.poly.is_none() && s.discriminator.is_none(),
        _ => true,
    }));
}

const POLYMORPHIC: &str = r##"
components:
  schemas:
    microsoft.graph.identity:
      type: object
      properties:
        displayName:
          type: string
        '@odata.type':
          type: string
      discriminator:
        propertyName: '@odata.type'
        mapping:
          '#microsoft.graph.userIdentity': '#/components/schemas/microsoft.graph.userIdentity'
          '#microsoft.graph.auditUserIdentity': '#/components/schemas/microsoft.graph.auditUserIdentity'
          '#legacy.auditUser': '#/components/schemas/microsoft.graph.auditUserIdentity'
          '#microsoft.graph.identity': '#/components/schemas/microsoft.graph.identity'
    microsoft.graph.userIdentity:
      allOf:
        - $ref: '#/components/schemas/microsoft.graph.identity'
        - type: object
          properties:
            userPrincipalName:
              type: string
    microsoft.graph.auditUserIdentity:
      allOf:
        - $ref: '#/components/schemas/microsoft.graph.userIdentity'
        - type: object
          properties:
            homeTenantId:
              type: string
    microsoft.graph.unmappedIdentity:
      allOf:
        - $ref: '#/components/schemas/microsoft.graph.identity'
        - type: object
          properties:
            note:
              type: string
    microsoft.graph.plain:
      type: object
      properties:
        name:
          type: string
    microsoft.graph.holder:
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
        user:
          $ref: '#/components/schemas/microsoft.graph.userIdentity'
"##;

#[test]
fn discriminator_field_comes_first_in_every_member_of_the_hierarchy() {
    let model = resolve(POLYMORPHIC);
    for key in [
        "microsoft.graph.identity",
        "microsoft.graph.userIdentity",
        "microsoft.graph.auditUserIdentity",
        "microsoft.graph.unmappedIdentity",
    ] {
        let def = struct_def(&model, key);
        assert_eq!(def.fields[0].json_name, "@odata.type", "{key}");
        assert_eq!(def.fields[0].rust_name, "odata_type", "{key}");
        assert_eq!(
            def.fields[0].ty,
            TypeRef::Primitive(Primitive::String),
            "{key}"
        );
        assert_eq!(def.discriminator.as_deref(), Some("@odata.type"), "{key}");
        // Declared once, not repeated.
        assert_eq!(
            def.fields
                .iter()
                .filter(|f| f.json_name == "@odata.type")
                .count(),
            1,
            "{key}"
        );
    }
    assert_eq!(
        json_names(&model, "microsoft.graph.auditUserIdentity"),
        [
            "@odata.type",
            "displayName",
            "userPrincipalName",
            "homeTenantId"
        ]
    );
    assert_eq!(
        struct_def(&model, "microsoft.graph.plain").discriminator,
        None
    );
    assert_eq!(
        struct_def(&model, "microsoft.graph.holder").discriminator,
        None
    );
}

#[test]
fn discriminator_field_is_added_when_the_base_does_not_declare_it() {
    let model = resolve(
        r##"
components:
  schemas:
    base:
      type: object
      properties:
        name:
          type: string
      discriminator:
        propertyName: kind
    derived:
      allOf:
        - $ref: '#/components/schemas/base'
        - type: object
          properties:
            extra:
              type: string
"##,
    );
    assert_eq!(json_names(&model, "base"), ["kind", "name"]);
    assert_eq!(json_names(&model, "derived"), ["kind", "name", "extra"]);
    let kind = field(&model, "derived", "kind");
    assert_eq!(kind.presence, Presence::Optional);
    assert_eq!(kind.ty, TypeRef::Primitive(Primitive::String));
    // Without a mapping, the schema key is the tag.
    let poly = struct_def(&model, "base").poly.as_ref().expect("poly");
    assert_eq!(poly.property, "kind");
    assert_eq!(poly.variants.len(), 2);
    assert_eq!(poly.variants[1].tags, ["derived"]);
}

#[test]
fn poly_variants_carry_their_tags() {
    let model = resolve(POLYMORPHIC);
    let base = id_of(&model, "microsoft.graph.identity");
    let poly = struct_def(&model, "microsoft.graph.identity")
        .poly
        .as_ref()
        .expect("identity is polymorphic");
    assert_eq!(poly.name, "AnyIdentity");
    assert_eq!(poly.property, "@odata.type");
    let variants: Vec<(&str, TypeId, Vec<&str>)> = poly
        .variants
        .iter()
        .map(|v| {
            (
                v.name.as_str(),
                v.target,
                v.tags.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        variants,
        [
            // The base comes first and takes every tag no other variant claims, its own
            // mapping entry included.
            ("Identity", base, vec![]),
            // Then the descendants by key, two levels down included; mapping keys lose
            // their `#`, and the schema key is always a tag.
            (
                "AuditUserIdentity",
                id_of(&model, "microsoft.graph.auditUserIdentity"),
                vec!["legacy.auditUser", "microsoft.graph.auditUserIdentity"]
            ),
            (
                "UnmappedIdentity",
                id_of(&model, "microsoft.graph.unmappedIdentity"),
                vec!["microsoft.graph.unmappedIdentity"]
            ),
            (
                "UserIdentity",
                id_of(&model, "microsoft.graph.userIdentity"),
                vec!["microsoft.graph.userIdentity"]
            ),
        ]
    );
    assert!(poly
        .variants
        .iter()
        .flat_map(|v| &v.tags)
        .all(|tag| !tag.starts_with('#')));
    // Only the type with the discriminator keyword is polymorphic.
    assert!(struct_def(&model, "microsoft.graph.userIdentity")
        .poly
        .is_none());
}

#[test]
fn references_to_a_polymorphic_base_become_the_any_enum() {
    let model = resolve(POLYMORPHIC);
    let base = id_of(&model, "microsoft.graph.identity");
    let holder = "microsoft.graph.holder";
    assert_eq!(field(&model, holder, "principal").ty, TypeRef::Poly(base));
    assert_eq!(field(&model, holder, "reviewer").ty, TypeRef::Poly(base));
    assert_eq!(
        field(&model, holder, "reviewer").presence,
        Presence::Nullable
    );
    assert_eq!(
        field(&model, holder, "contacts").ty,
        TypeRef::Array(Box::new(TypeRef::Poly(base)))
    );
    // A derived type that has no discriminator of its own is referenced as itself.
    assert_eq!(
        field(&model, holder, "user").ty,
        TypeRef::Named(id_of(&model, "microsoft.graph.userIdentity"))
    );
    assert!(struct_def(&model, holder)
        .fields
        .iter()
        .all(|field| !field.boxed));
}

#[test]
fn any_enum_name_does_not_take_a_schema_name() {
    let model = resolve(
        r#"
components:
  schemas:
    identity:
      type: object
      properties:
        kind:
          type: string
      discriminator:
        propertyName: kind
    anyIdentity:
      type: object
      properties:
        x:
          type: string
"#,
    );
    assert_eq!(type_def(&model, "anyIdentity").name, "AnyIdentity");
    let poly = struct_def(&model, "identity").poly.as_ref().expect("poly");
    assert_eq!(poly.name, "AnyIdentity2");
}

const RECURSIVE: &str = r#"
components:
  schemas:
    node:
      type: object
      properties:
        parent:
          anyOf:
            - $ref: '#/components/schemas/node'
            - type: object
              nullable: true
        children:
          type: array
          items:
            $ref: '#/components/schemas/node'
        byName:
          type: object
          additionalProperties:
            $ref: '#/components/schemas/node'
        leaf:
          $ref: '#/components/schemas/leaf'
    leaf:
      type: object
      properties:
        name:
          type: string
    alpha:
      type: object
      properties:
        beta:
          $ref: '#/components/schemas/beta'
        leaf:
          $ref: '#/components/schemas/leaf'
    beta:
      type: object
      properties:
        alpha:
          $ref: '#/components/schemas/alpha'
    shape:
      type: object
      properties:
        kind:
          type: string
      discriminator:
        propertyName: kind
    group:
      allOf:
        - $ref: '#/components/schemas/shape'
        - type: object
          properties:
            first:
              $ref: '#/components/schemas/shape'
            rest:
              type: array
              items:
                $ref: '#/components/schemas/shape'
"#;

#[test]
fn box_is_set_only_on_fields_that_close_a_cycle() {
    let model = resolve(RECURSIVE);
    // Itself through a nullable property: boxed.
    assert!(field(&model, "node", "parent").boxed);
    assert_eq!(
        field(&model, "node", "parent").ty,
        TypeRef::Named(id_of(&model, "node"))
    );
    // Itself through an array or a map: already behind an allocation.
    assert!(!field(&model, "node", "children").boxed);
    assert!(!field(&model, "node", "byName").boxed);
    // A type outside the cycle: not boxed.
    assert!(!field(&model, "node", "leaf").boxed);
    assert!(!field(&model, "alpha", "leaf").boxed);
    // Mutual recursion: the fields on the cycle are boxed (both, conservatively).
    assert!(field(&model, "alpha", "beta").boxed);
    assert!(field(&model, "beta", "alpha").boxed);
    // Through a polymorphic enum: `group.first` holds an `AnyShape`, which can hold a group.
    assert!(field(&model, "group", "first").boxed);
    assert!(!field(&model, "group", "rest").boxed);
    assert!(!field(&model, "group", "kind").boxed);
    assert!(!field(&model, "shape", "kind").boxed);
    assert!(!field(&model, "leaf", "name").boxed);
}

#[test]
fn presence_follows_required_and_nullable() {
    let model = resolve(
        r#"
components:
  schemas:
    person:
      type: object
      properties:
        name:
          type: string
    holder:
      type: object
      required: [required, requiredNullable, requiredNullableRef]
      properties:
        required:
          type: string
        optional:
          type: string
        nullable:
          type: string
          nullable: true
        nullableRef:
          anyOf:
            - $ref: '#/components/schemas/person'
            - type: object
              nullable: true
        nullableOneOf:
          oneOf:
            - $ref: '#/components/schemas/person'
            - type: object
              nullable: true
        requiredNullable:
          type: integer
          nullable: true
        requiredNullableRef:
          anyOf:
            - $ref: '#/components/schemas/person'
            - type: object
              nullable: true
        singleMember:
          allOf:
            - $ref: '#/components/schemas/person'
          description: A reference with a description beside it.
"#,
    );
    let person = TypeRef::Named(id_of(&model, "person"));
    let cases = [
        ("required", Presence::Required),
        ("optional", Presence::Optional),
        ("nullable", Presence::Nullable),
        ("nullableRef", Presence::Nullable),
        ("nullableOneOf", Presence::Nullable),
        ("requiredNullable", Presence::RequiredNullable),
        ("requiredNullableRef", Presence::RequiredNullable),
        ("singleMember", Presence::Optional),
    ];
    for (name, presence) in cases {
        assert_eq!(field(&model, "holder", name).presence, presence, "{name}");
    }
    for name in [
        "nullableRef",
        "nullableOneOf",
        "requiredNullableRef",
        "singleMember",
    ] {
        assert_eq!(field(&model, "holder", name).ty, person, "{name}");
    }
    assert_eq!(
        field(&model, "holder", "singleMember").doc,
        "A reference with a description beside it."
    );
    assert!(!struct_def(&model, "holder").defaultable());
    assert!(struct_def(&model, "person").defaultable());
}

#[test]
fn formats_map_to_primitives() {
    let model = resolve(
        r#"
components:
  schemas:
    sample:
      type: object
      properties:
        dateTime: {type: string, format: date-time}
        date: {type: string, format: date}
        duration: {type: string, format: duration}
        uuid: {type: string, format: uuid}
        text: {type: string}
        binary: {type: string, format: binary}
        int32: {type: integer, format: int32}
        int64: {type: integer, format: int64}
        integer: {type: integer}
        float: {type: number, format: float}
        double: {type: number, format: double}
        number: {type: number}
        boolean: {type: boolean}
        anything: {}
"#,
    );
    let expected = [
        ("dateTime", TypeRef::Primitive(Primitive::DateTime)),
        ("date", TypeRef::Primitive(Primitive::Date)),
        ("duration", TypeRef::Primitive(Primitive::Duration)),
        ("uuid", TypeRef::Primitive(Primitive::Uuid)),
        ("text", TypeRef::Primitive(Primitive::String)),
        ("binary", TypeRef::Primitive(Primitive::String)),
        ("int32", TypeRef::Primitive(Primitive::I32)),
        ("int64", TypeRef::Primitive(Primitive::I64)),
        ("integer", TypeRef::Primitive(Primitive::I64)),
        ("float", TypeRef::Primitive(Primitive::F32)),
        ("double", TypeRef::Primitive(Primitive::F64)),
        ("number", TypeRef::Primitive(Primitive::F64)),
        ("boolean", TypeRef::Primitive(Primitive::Bool)),
        ("anything", TypeRef::Json),
    ];
    for (name, ty) in expected {
        assert_eq!(field(&model, "sample", name).ty, ty, "{name}");
    }
}

#[test]
fn arrays_maps_and_flags() {
    let model = resolve(
        r#"
components:
  schemas:
    day:
      type: string
      enum: [monday, friday]
      x-ms-enum-flags:
        isFlags: true
    color:
      type: string
      enum: [red, green]
    holder:
      type: object
      properties:
        days:
          $ref: '#/components/schemas/day'
        colors:
          type: array
          items:
            $ref: '#/components/schemas/color'
        grid:
          type: array
          items:
            type: array
            items:
              type: number
        counts:
          type: object
          additionalProperties:
            type: integer
        open:
          type: object
          additionalProperties: true
        untypedItems:
          type: array
"#,
    );
    let day = id_of(&model, "day");
    let color = id_of(&model, "color");
    assert_eq!(field(&model, "holder", "days").ty, TypeRef::Flags(day));
    assert_eq!(
        field(&model, "holder", "colors").ty,
        TypeRef::Array(Box::new(TypeRef::Named(color)))
    );
    assert_eq!(
        field(&model, "holder", "grid").ty,
        TypeRef::Array(Box::new(TypeRef::Array(Box::new(TypeRef::Primitive(
            Primitive::F64
        )))))
    );
    assert_eq!(
        field(&model, "holder", "counts").ty,
        TypeRef::Map(Box::new(TypeRef::Primitive(Primitive::I64)))
    );
    assert_eq!(field(&model, "holder", "open").ty, TypeRef::Json);
    assert_eq!(
        field(&model, "holder", "untypedItems").ty,
        TypeRef::Array(Box::new(TypeRef::Json))
    );
    match &type_def(&model, "day").kind {
        TypeKind::Enum(e) => assert!(e.flags),
        other => panic!("day is {other:?}"),
    }
    match &type_def(&model, "color").kind {
        TypeKind::Enum(e) => assert!(!e.flags),
        other => panic!("color is {other:?}"),
    }
}

#[test]
fn enum_members_get_distinct_names_and_a_free_catch_all() {
    let model = resolve(
        r#"
components:
  schemas:
    clash:
      type: string
      enum: [value, Value, VALUE, other, unknownFutureValue, '', value, 1st, self]
"#,
    );
    let TypeKind::Enum(def) = &type_def(&model, "clash").kind else {
        panic!("clash is not an enum");
    };
    let members: Vec<(&str, &str)> = def
        .variants
        .iter()
        .map(|v| (v.name.as_str(), v.value.as_str()))
        .collect();
    assert_eq!(
        members,
        [
            ("Value", "value"),
            ("Value2", "Value"),
            ("Value3", "VALUE"),
            ("Other", "other"),
            ("UnknownFutureValue", "unknownFutureValue"),
            ("Empty", ""),
            ("N1st", "1st"),
            ("Self_", "self"),
        ]
    );
    assert_eq!(def.other, "Other2");
}

#[test]
fn odd_property_names_become_distinct_identifiers() {
    let model = resolve(
        r#"
components:
  schemas:
    odd:
      type: object
      properties:
        type: {type: string}
        self: {type: string}
        '@odata.type': {type: string}
        $count: {type: integer}
        insights@odata.context: {type: string}
        displayName: {type: string}
        DisplayName: {type: string}
        additional_properties: {type: string}
        additionalProperties: {type: string}
"#,
    );
    assert_eq!(
        rust_names(&model, "odd"),
        [
            "type_",
            "self_",
            "odata_type",
            "count",
            "insights_odata_context",
            "display_name",
            "display_name_2",
            "additional_properties_2",
            "additional_properties_3",
        ]
    );
}

#[test]
fn schema_names_avoid_prelude_names_and_colliding_short_names() {
    let model = resolve(
        r#"
components:
  schemas:
    microsoft.graph.String:
      type: object
      properties:
        value: {type: string}
    Option:
      type: string
      enum: [a]
    Vec:
      type: array
      items: {type: string}
    a.alert:
      type: object
      properties:
        x: {type: string}
    b.Alert:
      type: object
      properties:
        y: {type: string}
    microsoft.graph.schema:
      type: object
      properties:
        z: {type: string}
    microsoft.graph.widget:
      type: object
      properties:
        z: {type: string}
"#,
    );
    let names: Vec<(&str, &str, &str)> = model
        .types
        .iter()
        .map(|def| (def.key.as_str(), def.name.as_str(), def.module.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            // Component schemas by key (byte order: upper case first).
            ("Option", "Option2", "option2"),
            ("Vec", "Vec2", "vec2"),
            // Last segments equal ignoring case: both take the long name.
            ("a.alert", "AAlert", "a_alert"),
            ("b.Alert", "BAlert", "b_alert"),
            ("microsoft.graph.String", "String2", "string2"),
            // `schema` is the schema table's module.
            ("microsoft.graph.schema", "Schema", "schema_2"),
            ("microsoft.graph.widget", "Widget", "widget"),
        ]
    );
}

#[test]
fn inline_types_are_named_after_owner_and_property() {
    let model = resolve(
        r#"
components:
  schemas:
    report:
      type: object
      properties:
        status:
          type: string
          enum: [ok, failed]
        details:
          type: object
          properties:
            code: {type: integer}
        items:
          type: array
          items:
            type: object
            properties:
              label: {type: string}
    reportStatus:
      type: string
      enum: [x]
"#,
    );
    // Component schemas first, by key; inline types after them, in the order found.
    let names: Vec<(&str, &str, bool)> = model
        .types
        .iter()
        .map(|def| (def.key.as_str(), def.name.as_str(), def.inline))
        .collect();
    assert_eq!(
        names,
        [
            ("report", "Report", false),
            ("reportStatus", "ReportStatus", false),
            (
                "#/components/schemas/report/properties/status",
                "ReportStatus2",
                true
            ),
            (
                "#/components/schemas/report/properties/details",
                "ReportDetails",
                true
            ),
            (
                "#/components/schemas/report/properties/items/items",
                "ReportItems",
                true
            ),
        ]
    );
    for def in model.types.iter().filter(|def| def.inline) {
        assert_eq!(def.module, "report", "{}", def.name);
    }
    let status = type_named(&model, "ReportStatus2");
    assert!(matches!(status.kind, TypeKind::Enum(_)));
    assert_eq!(
        field(&model, "report", "status").ty,
        TypeRef::Named(id_of(
            &model,
            "#/components/schemas/report/properties/status"
        ))
    );
}

#[test]
fn component_docs_come_from_the_description_wherever_it_is_written() {
    let model = resolve(
        r#"
components:
  schemas:
    base:
      type: object
      title: base
      properties:
        id: {type: string}
    inlineOnly:
      allOf:
        - $ref: '#/components/schemas/base'
        - type: object
          description: Written in the allOf part.
          properties:
            x: {type: string}
    both:
      description: Written on the schema.
      allOf:
        - $ref: '#/components/schemas/base'
        - type: object
          description: Written in the allOf part.
          properties:
            x: {type: string}
    bare:
      allOf:
        - $ref: '#/components/schemas/base'
        - type: object
          title: bare
          properties:
            x: {type: string}
"#,
    );
    assert_eq!(
        type_def(&model, "inlineOnly").doc,
        "Written in the allOf part."
    );
    assert_eq!(type_def(&model, "both").doc, "Written on the schema.");
    // No description anywhere: the schema's own title, else a sentence naming the key.
    assert_eq!(type_def(&model, "base").doc, "base");
    assert_eq!(type_def(&model, "bare").doc, "The `bare` schema.");
}

/// `{enum: [null]}` beside a reference in `anyOf` or `oneOf` (as Microsoft's OData converter
/// writes nullable references) means "or null", like `{nullable: true}` does.
#[test]
fn an_enum_of_null_alone_in_a_union_makes_the_property_nullable() {
    let model = resolve(
        r#"
components:
  schemas:
    thing:
      type: object
      properties:
        name: {type: string}
    holder:
      type: object
      properties:
        any_of_untyped:
          anyOf:
            - $ref: '#/components/schemas/thing'
            - enum: [null]
        one_of_string_typed:
          oneOf:
            - $ref: '#/components/schemas/thing'
            - type: string
              enum: [null]
        plain:
          $ref: '#/components/schemas/thing'
"#,
    );
    let thing = id_of(&model, "thing");
    for name in ["any_of_untyped", "one_of_string_typed"] {
        let property = field(&model, "holder", name);
        assert_eq!(property.ty, TypeRef::Named(thing), "{name}");
        assert_eq!(property.presence, Presence::Nullable, "{name}");
    }
    assert_eq!(
        field(&model, "holder", "plain").presence,
        Presence::Optional
    );
}

/// A component that is only a `$ref` is an alias of its target, and a chain of them is an
/// alias of an alias; references to the alias keep the target's kind (a polymorphic base
/// stays its `Any…` enum).
#[test]
fn reference_only_components_are_aliases() {
    let model = resolve(
        r#"
components:
  schemas:
    real:
      type: object
      properties:
        x: {type: string}
    alias:
      $ref: '#/components/schemas/real'
    alias_of_alias:
      $ref: '#/components/schemas/alias'
    holder:
      type: object
      properties:
        one: {$ref: '#/components/schemas/alias_of_alias'}
"#,
    );
    let real = id_of(&model, "real");
    let alias = id_of(&model, "alias");
    assert!(
        matches!(&type_def(&model, "alias").kind, TypeKind::Alias(TypeRef::Named(id)) if *id == real)
    );
    assert!(
        matches!(&type_def(&model, "alias_of_alias").kind, TypeKind::Alias(TypeRef::Named(id)) if *id == alias)
    );
    assert_eq!(
        field(&model, "holder", "one").ty,
        TypeRef::Named(id_of(&model, "alias_of_alias"))
    );
}
