//! Which derived types `trim` adds, and what it warns about, on a small hand-written API shaped
//! like Graph's: an `entity` root, bases used by properties in every way a schema can name a
//! type, navigation properties marked in the document and others known only to the CSDL.

use serde_yaml_ng::Value;
use spec_tools::csdl::TypeHierarchy;
use spec_tools::openapi::parse_document;
use spec_tools::trim::{trim, MissingDerived, Options, Summary};

/// `/shelves` returns a `shelf`. A shelf's properties name `box` (directly), `label` (as array
/// items), `tag` (through anyOf, Graph's nullable form) and `note` (through allOf); its
/// `owner` (marked) and `neighbour` (known to the CSDL only) are navigation properties to
/// `person` and `shelf`. `crate` derives from `box` and names `lid`, itself a base; `robot`
/// derives from `person`; `lamp` derives from `entity` only.
const API: &str = r##"openapi: 3.0.3
info: {title: shelves, version: v1}
paths:
  /shelves/{id}:
    get:
      responses:
        '200':
          description: the shelf
          content:
            application/json:
              schema: {$ref: '#/components/schemas/ns.shelf'}
components:
  schemas:
    ns.entity:
      type: object
      properties:
        id: {type: string}
    ns.shelf:
      allOf:
        - $ref: '#/components/schemas/ns.entity'
        - type: object
          properties:
            box: {$ref: '#/components/schemas/ns.box'}
            labels:
              type: array
              items: {$ref: '#/components/schemas/ns.label'}
            tag:
              anyOf:
                - $ref: '#/components/schemas/ns.tag'
                - {type: object, nullable: true}
            note:
              allOf:
                - $ref: '#/components/schemas/ns.note'
            owner:
              type: array
              items: {$ref: '#/components/schemas/ns.person'}
              x-ms-navigationProperty: true
            neighbour: {$ref: '#/components/schemas/ns.shelf'}
    ns.box:
      type: object
      properties:
        size: {type: integer}
    ns.crate:
      allOf:
        - $ref: '#/components/schemas/ns.box'
        - type: object
          properties:
            lid: {$ref: '#/components/schemas/ns.lid'}
    ns.lid:
      type: object
      properties:
        hinged: {type: boolean}
    ns.slidingLid:
      allOf:
        - $ref: '#/components/schemas/ns.lid'
    ns.label:
      type: object
      properties:
        text: {type: string}
    ns.printedLabel:
      allOf:
        - $ref: '#/components/schemas/ns.label'
    ns.tag:
      type: object
      properties:
        colour: {type: string}
    ns.rfidTag:
      allOf:
        - $ref: '#/components/schemas/ns.tag'
    ns.note:
      type: object
      properties:
        body: {type: string}
    ns.stickyNote:
      allOf:
        - $ref: '#/components/schemas/ns.note'
    ns.person:
      allOf:
        - $ref: '#/components/schemas/ns.entity'
        - type: object
          properties:
            name: {type: string}
    ns.robot:
      allOf:
        - $ref: '#/components/schemas/ns.person'
    ns.lamp:
      allOf:
        - $ref: '#/components/schemas/ns.entity'
    ns.tallShelf:
      allOf:
        - $ref: '#/components/schemas/ns.shelf'
"##;

/// The CSDL of the same API. It also names `ns.woodenCrate`, which the document lacks, and
/// declares `neighbour` as a navigation property (the document cannot mark a plain `$ref`).
const CSDL: &str = r#"<Edmx>
  <Schema Namespace="ns" Alias="n">
    <EntityType Name="entity" Abstract="true" />
    <EntityType Name="shelf" BaseType="n.entity">
      <Property Name="box" Type="n.box" />
      <NavigationProperty Name="owner" Type="Collection(n.person)" />
      <NavigationProperty Name="neighbour" Type="n.shelf" />
    </EntityType>
    <EntityType Name="tallShelf" BaseType="n.shelf" />
    <ComplexType Name="box" />
    <ComplexType Name="crate" BaseType="n.box" />
    <ComplexType Name="woodenCrate" BaseType="n.crate" />
    <ComplexType Name="lid" />
    <ComplexType Name="slidingLid" BaseType="n.lid" />
    <ComplexType Name="label" />
    <ComplexType Name="printedLabel" BaseType="n.label" />
    <ComplexType Name="tag" />
    <ComplexType Name="rfidTag" BaseType="n.tag" />
    <ComplexType Name="note" />
    <ComplexType Name="stickyNote" BaseType="n.note" />
    <EntityType Name="person" BaseType="n.entity" />
    <EntityType Name="robot" BaseType="n.person" />
    <EntityType Name="lamp" BaseType="n.entity" />
  </Schema>
</Edmx>"#;

fn run(api: &str, csdl: Option<&str>, follow_navigation: bool) -> (Vec<String>, Summary) {
    let document: Value = parse_document(api, false).expect("the test API parses");
    let hierarchy = csdl.map(|xml| TypeHierarchy::parse(xml).expect("the test CSDL parses"));
    let options = Options {
        hierarchy: hierarchy.as_ref(),
        follow_navigation,
    };
    let (trimmed, summary) = trim(&document, &["/shelves".to_owned()], options).expect("trims");
    let schemas = trimmed["components"]["schemas"]
        .as_mapping()
        .expect("schemas")
        .keys()
        .filter_map(|key| {
            key.as_str()
                .map(|name| name.trim_start_matches("ns.").to_owned())
        })
        .collect();
    (schemas, summary)
}

#[test]
fn derived_types_are_added_where_a_used_type_is_their_base() {
    let (schemas, summary) = run(API, Some(CSDL), false);
    // crate (box, directly), printedLabel (array items), rfidTag (anyOf), stickyNote (allOf);
    // slidingLid because crate, once added, names lid; tallShelf because the response is a
    // shelf. person and shelf are kept (the navigation properties name them) but robot is not
    // added, and lamp is not added because every entity inherits from entity.
    assert_eq!(
        schemas,
        [
            "entity",
            "shelf",
            "box",
            "crate",
            "lid",
            "slidingLid",
            "label",
            "printedLabel",
            "tag",
            "rfidTag",
            "note",
            "stickyNote",
            "person",
            "tallShelf"
        ]
    );
    assert_eq!(summary.derived_added, 6);
}

#[test]
fn navigation_properties_are_followed_only_when_asked() {
    let (schemas, summary) = run(API, Some(CSDL), true);
    assert!(schemas.contains(&"robot".to_owned()), "{schemas:?}");
    assert!(!schemas.contains(&"lamp".to_owned()), "{schemas:?}");
    assert_eq!(summary.derived_added, 7);

    // Only the CSDL knows that `neighbour` is a navigation property: with tallShelf reached
    // only through it, tallShelf stays out unless navigation is followed.
    let through_neighbour = API
        .replace(
            "schema: {$ref: '#/components/schemas/ns.shelf'}",
            "schema: {$ref: '#/components/schemas/ns.person'}",
        )
        .replace(
            "        - $ref: '#/components/schemas/ns.entity'\n        - type: object\n          properties:\n            name: {type: string}",
            "        - $ref: '#/components/schemas/ns.entity'\n        - type: object\n          properties:\n            desk: {$ref: '#/components/schemas/ns.shelf'}",
        );
    let csdl = CSDL.replace(
        r#"<EntityType Name="person" BaseType="n.entity" />"#,
        r#"<EntityType Name="person" BaseType="n.entity"><NavigationProperty Name="desk" Type="n.shelf" /></EntityType>"#,
    );
    let (schemas, _) = run(&through_neighbour, Some(&csdl), false);
    assert!(schemas.contains(&"shelf".to_owned()), "{schemas:?}");
    assert!(!schemas.contains(&"tallShelf".to_owned()), "{schemas:?}");
    assert!(!schemas.contains(&"crate".to_owned()), "{schemas:?}");
    let (schemas, _) = run(&through_neighbour, Some(&csdl), true);
    assert!(schemas.contains(&"tallShelf".to_owned()), "{schemas:?}");
    assert!(schemas.contains(&"crate".to_owned()), "{schemas:?}");
}

#[test]
fn entity_is_expanded_by_nothing_even_a_property_typed_as_it() {
    let typed_entity = API.replace(
        "            box: {$ref: '#/components/schemas/ns.box'}",
        "            box: {$ref: '#/components/schemas/ns.box'}\n            anything: {$ref: '#/components/schemas/ns.entity'}",
    );
    let (schemas, _) = run(&typed_entity, Some(CSDL), false);
    assert!(!schemas.contains(&"lamp".to_owned()), "{schemas:?}");
    assert!(!schemas.contains(&"robot".to_owned()), "{schemas:?}");
}

#[test]
fn the_bases_whose_derived_types_the_input_lacks_are_reported() {
    // With the CSDL: woodenCrate is named by it but absent from the document.
    let (_, summary) = run(API, Some(CSDL), false);
    assert_eq!(
        summary.missing_derived,
        [MissingDerived::NotInInput {
            base: "ns.box".to_owned(),
            derived: vec!["ns.woodenCrate".to_owned()],
        }]
    );
    let warnings: Vec<String> = summary.warnings().collect();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].starts_with("ns.box has derived types that the input lacks"));
    assert!(warnings[0].contains("ns.woodenCrate"));

    // Without it: a base with no properties and no derived type in the input (Graph's
    // accessReviewScope), and bases whose derived types are in the input but were left out.
    let empty_box = API.replace(
        "    ns.box:\n      type: object\n      properties:\n        size: {type: integer}\n",
        "    ns.box:\n      type: object\n      additionalProperties: {type: object}\n",
    );
    let without_crate = empty_box.replace("        - $ref: '#/components/schemas/ns.box'\n", "");
    let (schemas, summary) = run(&without_crate, None, false);
    assert_eq!(summary.derived_added, 0);
    assert!(!schemas.contains(&"crate".to_owned()));
    let empty_base = MissingDerived::EmptyBase {
        base: "ns.box".to_owned(),
    };
    assert!(summary.missing_derived.contains(&empty_base), "{summary:?}");
    assert!(summary.missing_derived.contains(&MissingDerived::NotKept {
        base: "ns.label".to_owned(),
        derived: vec!["ns.printedLabel".to_owned()],
    }));
    // person is only reached through a navigation property: robot is not asked for.
    assert!(!summary.missing_derived.iter().any(
        |missing| matches!(missing, MissingDerived::NotKept { base, .. } if base == "ns.person")
    ));
    let warning = summary
        .warnings()
        .find(|warning| warning.starts_with("ns.box "))
        .expect("a warning about ns.box");
    assert!(warning.contains("--derived-from"), "{warning}");

    // A discriminator that maps to a schema the input lacks.
    let mapped = API.replace(
        "    ns.tag:\n      type: object\n",
        "    ns.tag:\n      type: object\n      discriminator:\n        propertyName: '@odata.type'\n        mapping:\n          '#ns.nfcTag': '#/components/schemas/ns.nfcTag'\n          '#ns.rfidTag': '#/components/schemas/ns.rfidTag'\n",
    );
    let (_, summary) = run(&mapped, Some(CSDL), false);
    assert!(summary
        .missing_derived
        .contains(&MissingDerived::UnmappedDiscriminator {
            base: "ns.tag".to_owned(),
            targets: vec!["ns.nfcTag".to_owned()],
        }));
    // The dangling mapping entry is removed from the output, the other one kept.
    assert_eq!(summary.missing, Default::default());
}
