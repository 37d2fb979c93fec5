//! The type hierarchy of an OData CSDL metadata document (Graph's `$metadata`): which entity
//! and complex types derive from which, through `BaseType=`, and which of their properties are
//! navigation properties. `trim --derived-from` uses it to add the subtypes of the schemas
//! that kept properties are typed as, and to tell navigation properties apart where the
//! OpenAPI document does not mark them (Graph marks only collection-valued ones).
//!
//! The document is read with roxmltree, a real XML parser, rather than scanned by hand: attribute
//! values can hold entity and character references (`&amp;`, `&#x2E;`), and markup can hide in
//! comments and CDATA sections, which a parser handles by the XML rules and a scan only by the
//! cases it thought of. roxmltree builds a read-only tree and has no other dependency; the
//! metadata of the whole Graph API (3.5 MB) reads in well under a second.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::error::{Error, Result};

/// Which CSDL types derive from which, by qualified name (`microsoft.graph.entity`).
#[derive(Debug, Default)]
pub struct TypeHierarchy {
    /// Base type → directly derived types.
    children: BTreeMap<String, BTreeSet<String>>,
    /// Type → the names of the navigation properties it declares itself (not inherited ones).
    navigation: BTreeMap<String, BTreeSet<String>>,
}

impl TypeHierarchy {
    /// Reads the hierarchy from a CSDL file.
    pub fn read(path: &Path) -> Result<Self> {
        let xml = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&xml).map_err(|source| Error::Csdl {
            path: path.to_owned(),
            source,
        })
    }

    /// Reads the hierarchy from a CSDL document's text.
    ///
    /// Each `EntityType` and `ComplexType` with a `BaseType` that is a child of a `Schema`
    /// with a `Namespace` derives from that base. Base names may use the alias a `Schema`
    /// declares for its namespace (`graph.entity` for `microsoft.graph.entity`), also one
    /// declared by a later schema. Elements are matched by local name, whatever their XML
    /// namespace.
    pub fn parse(xml: &str) -> Result<Self, roxmltree::Error> {
        // (The file as Microsoft publishes it starts with a byte order mark, which roxmltree
        // skips.)
        let document = roxmltree::Document::parse(xml)?;
        let mut aliases = BTreeMap::new();
        let mut derivations = Vec::new();
        let mut navigation: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for schema in document
            .descendants()
            .filter(|node| is_element(node, "Schema"))
        {
            let Some(namespace) = schema.attribute("Namespace") else {
                continue;
            };
            if let Some(alias) = schema.attribute("Alias") {
                aliases.insert(alias.to_owned(), namespace.to_owned());
            }
            let types = schema
                .children()
                .filter(|node| is_element(node, "EntityType") || is_element(node, "ComplexType"));
            for node in types {
                let Some(name) = node.attribute("Name") else {
                    continue;
                };
                let qualified = format!("{namespace}.{name}");
                let navigation_names: BTreeSet<String> = node
                    .children()
                    .filter(|child| is_element(child, "NavigationProperty"))
                    .filter_map(|child| child.attribute("Name").map(str::to_owned))
                    .collect();
                if !navigation_names.is_empty() {
                    navigation.insert(qualified.clone(), navigation_names);
                }
                if let Some(base) = node.attribute("BaseType") {
                    derivations.push((qualified, base.to_owned()));
                }
            }
        }
        // Resolved after the walk: an alias may be declared by a later schema than its use.
        let mut children: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (derived, base) in derivations {
            children
                .entry(qualify(&base, &aliases))
                .or_default()
                .insert(derived);
        }
        Ok(TypeHierarchy {
            children,
            navigation,
        })
    }

    /// Whether `type_name` declares `property` as a navigation property.
    pub fn is_navigation(&self, type_name: &str, property: &str) -> bool {
        self.navigation
            .get(type_name)
            .is_some_and(|names| names.contains(property))
    }

    /// Every type deriving from `base`, directly or not.
    pub fn descendants(&self, base: &str) -> BTreeSet<String> {
        let mut found = BTreeSet::new();
        let mut pending = vec![base.to_owned()];
        while let Some(current) = pending.pop() {
            for child in self.children.get(&current).into_iter().flatten() {
                if found.insert(child.clone()) {
                    pending.push(child.clone());
                }
            }
        }
        found
    }
}

fn is_element(node: &roxmltree::Node<'_, '_>, local_name: &str) -> bool {
    node.is_element() && node.tag_name().name() == local_name
}

/// `graph.entity` → `microsoft.graph.entity` when `graph` is an alias.
fn qualify(name: &str, aliases: &BTreeMap<String, String>) -> String {
    match name.rsplit_once('.') {
        Some((qualifier, local)) => match aliases.get(qualifier) {
            Some(namespace) => format!("{namespace}.{local}"),
            None => name.to_owned(),
        },
        None => name.to_owned(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small CSDL document, shaped like Graph's: aliases, a commented-out type, an abstract
    /// root, a type whose base is not in the trimmed document.
    pub(crate) const CSDL: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <!-- <EntityType Name="commentedOut" BaseType="n.widget" /> -->
    <Schema Namespace="ns" Alias="n" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="entity" Abstract="true"><Key><PropertyRef Name="id" /></Key></EntityType>
      <EntityType Name="widget" BaseType="n.entity" />
      <EntityType Name="specialWidget" BaseType="ns.widget">
        <Property Name="colour" Type="ns.colour" />
        <NavigationProperty Name="owner" Type="ns.gadget" />
      </EntityType>
      <ComplexType Name="notInDocument" BaseType="n.widget" />
      <EntityType Name="gadget" BaseType="n.entity" />
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

    fn names(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    #[test]
    fn descendants_follow_base_types_through_aliases() {
        let hierarchy = TypeHierarchy::parse(CSDL).expect("parses");
        assert_eq!(
            hierarchy.descendants("ns.entity"),
            names(&[
                "ns.gadget",
                "ns.notInDocument",
                "ns.specialWidget",
                "ns.widget"
            ])
        );
        assert_eq!(
            hierarchy.descendants("ns.widget"),
            names(&["ns.notInDocument", "ns.specialWidget"])
        );
        assert!(hierarchy.descendants("ns.specialWidget").is_empty());
        assert!(hierarchy.descendants("ns.nowhere").is_empty());
    }

    #[test]
    fn navigation_properties_are_known_by_declaring_type() {
        let hierarchy = TypeHierarchy::parse(CSDL).expect("parses");
        assert!(hierarchy.is_navigation("ns.specialWidget", "owner"));
        // A plain property is not one, nor is the name on another type.
        assert!(!hierarchy.is_navigation("ns.specialWidget", "colour"));
        assert!(!hierarchy.is_navigation("ns.widget", "owner"));
    }

    #[test]
    fn references_in_attributes_are_decoded() {
        // `&#x2E;` and `&#46;` are `.`; `&#x6E;` is `n`; `&amp;` is `&`.
        let xml = r#"<Edmx>
  <Schema Namespace="ns" Alias="n">
    <EntityType Name="entity" />
    <EntityType Name="widget" BaseType="n&#x2E;entity" />
    <ComplexType Name="odd&amp;one" BaseType="&#x6E;&#46;widget" />
    <EntityType Name="cdata" BaseType="n.entity"><![CDATA[ <EntityType Name="hidden" BaseType="n.entity" /> ]]></EntityType>
  </Schema>
  <Schema Namespace="later&#x2F;ns" Alias="l">
    <EntityType Name="late" BaseType="l.early" />
  </Schema>
</Edmx>"#;
        let hierarchy = TypeHierarchy::parse(xml).expect("parses");
        assert_eq!(
            hierarchy.descendants("ns.entity"),
            names(&["ns.cdata", "ns.odd&one", "ns.widget"])
        );
        assert_eq!(
            hierarchy.descendants("later/ns.early"),
            names(&["later/ns.late"])
        );
    }

    #[test]
    fn an_alias_declared_later_counts_and_a_byte_order_mark_is_skipped() {
        let xml = "\u{feff}<Edmx><Schema Namespace=\"a\"><EntityType Name=\"x\" BaseType=\"bee.y\"/></Schema><Schema Namespace=\"b\" Alias=\"bee\"/></Edmx>";
        let hierarchy = TypeHierarchy::parse(xml).expect("parses");
        assert_eq!(hierarchy.descendants("b.y"), names(&["a.x"]));
    }

    #[test]
    fn malformed_xml_is_an_error() {
        for xml in [
            "<Schema Namespace=\"x\"",
            "<Schema Namespace=\"x\"></Other>",
            "<Schema Name=\"&unknown;\"/>",
            "",
        ] {
            assert!(TypeHierarchy::parse(xml).is_err(), "{xml:?}");
        }
    }

    #[test]
    fn the_graph_metadata_reads() {
        let Some(upstream) = crate::shared_path("graph/upstream") else {
            return;
        };
        let hierarchy =
            TypeHierarchy::read(&upstream.join("metadata.v1.0.csdl.xml")).expect("reads");
        let entities = hierarchy.descendants("microsoft.graph.entity");
        assert!(entities.len() > 500, "only {} entity types", entities.len());
        assert!(entities.contains("microsoft.graph.accessReviewInstance"));
    }
}
