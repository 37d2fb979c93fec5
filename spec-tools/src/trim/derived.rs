//! Which derived types a trim adds, and which bases it has to warn about.
//!
//! A derived type matters only where a value typed as its base can hold it: a property, a
//! request body, a response or a parameter whose schema is the base (directly, as array items,
//! as an `additionalProperties` value, or as a member of `anyOf`/`oneOf`/`allOf`). Such a
//! place is a *use* of the base. Inheritance is not a use: `allOf: [$ref: base, {...}]` at the
//! top of a component makes the component a subtype, and the base's other subtypes are no
//! more likely to appear because of it. So Graph's root `entity`, the base of every entity
//! type, is never expanded merely because every entity type inherits from it.
//!
//! Uses are searched in the *live* components: those the kept paths use, the bases and
//! derived types of live schemas, and what live components use in turn. A navigation property
//! (marked `x-ms-navigationProperty: true` in the document, or declared as a
//! `NavigationProperty` by the CSDL, which is the only place Graph records single-valued
//! ones) holds a related entity that the service returns only when asked to expand it, so its
//! type is not a use unless the caller asks to follow navigation. The schemas such a property
//! names are still kept, so that the output has no dangling reference; they just do not make
//! anything more live.

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml_ng::{Mapping, Value};

use super::{collect_refs, component, ComponentKey, SCHEMAS};
use crate::csdl::TypeHierarchy;
use crate::openapi::{base_names, component_ref};

/// The marker Graph's OpenAPI documents put on (collection-valued) navigation properties.
const NAVIGATION_MARKER: &str = "x-ms-navigationProperty";

/// The live schemas found by [`expand`], and the derived types it adds.
#[derive(Debug, Default)]
pub(super) struct Expansion {
    /// Schemas at a use in a live component, the root entity excluded.
    pub used: BTreeSet<String>,
    /// Derived types of used schemas that the document has, to be kept.
    pub derived: BTreeSet<String>,
}

/// Finds the uses reachable from `paths` and, when `hierarchy` is given, the derived types of
/// every schema used (transitively: a derived type is live and its own uses count).
pub(super) fn expand(
    components: &Mapping,
    paths: &Value,
    hierarchy: Option<&TypeHierarchy>,
    follow_navigation: bool,
) -> Expansion {
    let schemas = components.get(SCHEMAS).and_then(Value::as_mapping);
    let has_schema = |name: &str| schemas.is_some_and(|s| s.contains_key(name));
    let mut expansion = Expansion::default();
    let mut live = BTreeSet::new();
    let mut pending = Vec::new();
    let mut uses = BTreeSet::new();
    collect_refs(paths, &mut uses);
    let mut bases = BTreeSet::new();
    loop {
        for key in std::mem::take(&mut uses) {
            if key.0 == SCHEMAS && !is_root_entity(&key.1) && expansion.used.insert(key.1.clone()) {
                for derived in hierarchy.into_iter().flat_map(|h| h.descendants(&key.1)) {
                    if has_schema(&derived) {
                        expansion.derived.insert(derived.clone());
                        bases.insert((SCHEMAS.to_owned(), derived));
                    }
                }
            }
            bases.insert(key);
        }
        for key in std::mem::take(&mut bases) {
            if live.insert(key.clone()) {
                pending.push(key);
            }
        }
        let Some(key) = pending.pop() else {
            return expansion;
        };
        let Some(node) = component(components, &key) else {
            continue;
        };
        if key.0 == SCHEMAS {
            let walker = SchemaWalker {
                owner: &key.1,
                hierarchy,
                follow_navigation,
            };
            walker.component(node, &mut uses, &mut bases);
        } else {
            // A response, request body, parameter or header: every schema it names is a use.
            collect_refs(node, &mut uses);
        }
    }
}

/// Graph's root entity type (`microsoft.graph.entity`, or `entity` in any namespace), which
/// every entity type derives from: expanding it would add every entity type of the API.
pub(super) fn is_root_entity(name: &str) -> bool {
    name.rsplit('.').next() == Some("entity")
}

/// Walks one component schema for its uses and its bases.
struct SchemaWalker<'a> {
    /// The schema's name, which the CSDL knows its navigation properties by.
    owner: &'a str,
    hierarchy: Option<&'a TypeHierarchy>,
    follow_navigation: bool,
}

impl SchemaWalker<'_> {
    /// The top of a component: the references of its `allOf` are its bases; everything else
    /// is walked for uses.
    fn component(
        &self,
        node: &Value,
        uses: &mut BTreeSet<ComponentKey>,
        bases: &mut BTreeSet<ComponentKey>,
    ) {
        let Some(mapping) = node.as_mapping() else {
            return;
        };
        for (key, value) in mapping {
            if key.as_str() == Some("allOf") {
                for part in value.as_sequence().into_iter().flatten() {
                    match part
                        .get("$ref")
                        .and_then(Value::as_str)
                        .and_then(component_ref)
                    {
                        Some(base) => {
                            bases.insert(base);
                        }
                        None => self.uses(part, uses),
                    }
                }
            } else {
                self.entry(key, value, uses);
            }
        }
    }

    /// Every reference below `node` is a use, except below a navigation property not followed.
    fn uses(&self, node: &Value, uses: &mut BTreeSet<ComponentKey>) {
        match node {
            Value::Mapping(mapping) => {
                for (key, value) in mapping {
                    self.entry(key, value, uses);
                }
            }
            Value::Sequence(items) => items.iter().for_each(|item| self.uses(item, uses)),
            Value::Tagged(tagged) => self.uses(&tagged.value, uses),
            _ => {}
        }
    }

    /// One key of a schema and its value.
    fn entry(&self, key: &Value, value: &Value, uses: &mut BTreeSet<ComponentKey>) {
        match key.as_str() {
            Some("$ref") => {
                if let Some(target) = value.as_str().and_then(component_ref) {
                    uses.insert(target);
                }
            }
            Some("properties") => {
                for (name, property) in value.as_mapping().into_iter().flatten() {
                    if !self.follow_navigation && self.is_navigation(name, property) {
                        continue;
                    }
                    self.uses(property, uses);
                }
            }
            _ => self.uses(value, uses),
        }
    }

    fn is_navigation(&self, name: &Value, property: &Value) -> bool {
        let marked = property.get(NAVIGATION_MARKER).and_then(Value::as_bool) == Some(true);
        marked
            || name.as_str().is_some_and(|name| {
                self.hierarchy
                    .is_some_and(|hierarchy| hierarchy.is_navigation(self.owner, name))
            })
    }
}

/// What is known to be missing below one used base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MissingDerived {
    /// The CSDL names derived types that the input has no schema for.
    NotInInput {
        /// The base.
        base: String,
        /// The derived types the input lacks.
        derived: Vec<String>,
    },
    /// The base's discriminator maps values to schemas the input lacks.
    UnmappedDiscriminator {
        /// The base.
        base: String,
        /// The mapping targets the input lacks.
        targets: Vec<String>,
    },
    /// Without `--derived-from`: the input has derived types of the base (through `allOf`)
    /// that the trim did not keep.
    NotKept {
        /// The base.
        base: String,
        /// The derived types left out.
        derived: Vec<String>,
    },
    /// Without `--derived-from`: an object schema with no properties that nothing in the
    /// input derives from. Graph writes an abstract base this way, and leaves out the derived
    /// types that no property names (`accessReviewScope` without `accessReviewQueryScope`).
    EmptyBase {
        /// The base.
        base: String,
    },
}

/// The hint for the warnings that the CSDL can resolve.
const DERIVED_FROM_HINT: &str = "pass --derived-from METADATA.csdl.xml";

impl std::fmt::Display for MissingDerived {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MissingDerived::NotInInput { base, derived } => write!(
                f,
                "{base} has derived types that the input lacks (the CSDL names them): {}; a trim cannot add them, so the spec has to describe them itself",
                derived.join(", ")
            ),
            MissingDerived::UnmappedDiscriminator { base, targets } => write!(
                f,
                "{base} has a discriminator mapping to schemas that the input lacks: {}",
                targets.join(", ")
            ),
            MissingDerived::NotKept { base, derived } => write!(
                f,
                "{base} has derived types in the input that were not kept: {} ({DERIVED_FROM_HINT} to add those that derive from it)",
                derived.join(", ")
            ),
            MissingDerived::EmptyBase { base } => write!(
                f,
                "{base} declares no properties and nothing in the input derives from it, so its derived types are probably missing from the input ({DERIVED_FROM_HINT} to find them)"
            ),
        }
    }
}

/// The bases used by the kept paths whose derived types are missing from the output, and why.
pub(super) fn missing_derived(
    components: &Mapping,
    used: &BTreeSet<String>,
    kept: &BTreeSet<ComponentKey>,
    hierarchy: Option<&TypeHierarchy>,
) -> Vec<MissingDerived> {
    let empty = Mapping::new();
    let schemas = components
        .get(SCHEMAS)
        .and_then(Value::as_mapping)
        .unwrap_or(&empty);
    let has_schema = |name: &str| schemas.contains_key(name);
    let children = document_children(schemas);
    let mut found = Vec::new();
    for base in used {
        let Some(schema) = schemas.get(base.as_str()) else {
            continue;
        };
        let targets: Vec<String> = discriminator_targets(schema)
            .into_iter()
            .filter(|target| !has_schema(target))
            .collect();
        if !targets.is_empty() {
            found.push(MissingDerived::UnmappedDiscriminator {
                base: base.clone(),
                targets,
            });
        }
        match hierarchy {
            Some(hierarchy) => {
                let derived: Vec<String> = hierarchy
                    .descendants(base)
                    .into_iter()
                    .filter(|name| !has_schema(name))
                    .collect();
                if !derived.is_empty() {
                    found.push(MissingDerived::NotInInput {
                        base: base.clone(),
                        derived,
                    });
                }
            }
            None => {
                let derived = descendants_in(&children, base);
                let not_kept: Vec<String> = derived
                    .iter()
                    .filter(|name| !kept.contains(&(SCHEMAS.to_owned(), (*name).clone())))
                    .cloned()
                    .collect();
                if !not_kept.is_empty() {
                    found.push(MissingDerived::NotKept {
                        base: base.clone(),
                        derived: not_kept,
                    });
                } else if derived.is_empty() && is_empty_object(schema) {
                    found.push(MissingDerived::EmptyBase { base: base.clone() });
                }
            }
        }
    }
    found
}

/// Base → the schemas of the document whose `allOf` refers to it.
fn document_children(schemas: &Mapping) -> BTreeMap<String, BTreeSet<String>> {
    let mut children: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, schema) in schemas {
        let Some(name) = name.as_str() else {
            continue;
        };
        for base in base_names(schema) {
            children
                .entry(base.to_owned())
                .or_default()
                .insert(name.to_owned());
        }
    }
    children
}

fn descendants_in(children: &BTreeMap<String, BTreeSet<String>>, base: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut pending = vec![base.to_owned()];
    while let Some(current) = pending.pop() {
        for child in children.get(&current).into_iter().flatten() {
            if found.insert(child.clone()) {
                pending.push(child.clone());
            }
        }
    }
    found
}

/// The schemas a discriminator `mapping` names, whatever the component section they are in.
fn discriminator_targets(schema: &Value) -> Vec<String> {
    schema
        .get("discriminator")
        .and_then(|d| d.get("mapping"))
        .and_then(Value::as_mapping)
        .into_iter()
        .flatten()
        .filter_map(|(_, target)| target.as_str().and_then(component_ref))
        .filter(|(section, _)| section == SCHEMAS)
        .map(|(_, name)| name)
        .collect()
}

/// An object schema that declares nothing: no properties, no parts, no members, no values.
/// (`additionalProperties`, which Graph puts on every object, says nothing about subtypes.)
fn is_empty_object(schema: &Value) -> bool {
    let declares = |key: &str| schema.get(key).is_some();
    let is_object = match schema.get("type") {
        None => true,
        Some(kind) => kind.as_str() == Some("object"),
    };
    let has_properties = schema
        .get("properties")
        .and_then(Value::as_mapping)
        .is_some_and(|properties| !properties.is_empty());
    is_object
        && !has_properties
        && !["allOf", "anyOf", "oneOf", "$ref", "enum", "items"]
            .into_iter()
            .any(declares)
}
