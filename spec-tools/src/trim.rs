//! `cargo xtask trim`: carves a self-contained OpenAPI document for a few path prefixes out of
//! a large one (such as Microsoft's whole Graph description).
//!
//! What is kept:
//! - every path whose key starts with one of the prefixes (plain string prefix match);
//! - every component (`#/components/<section>/<name>`: schemas, responses, parameters,
//!   requestBodies, examples, headers, ...) those paths reference, directly or through other
//!   components;
//! - with `--derived-from METADATA.xml`, the schemas whose CSDL type derives (directly or not,
//!   through `BaseType=`) from a schema that a kept property, body, response or parameter is
//!   typed as, when the document has them, and what they reference; navigation properties
//!   count only with `--follow-navigation`, and inheriting from a base is no reason to add its
//!   other subtypes (`trim/derived.rs` has the rules);
//! - every other top-level key (`openapi`, `info`, `servers`, `security`, extensions) as it is,
//!   `components.securitySchemes` whole (security requirements name them rather than `$ref`
//!   them), and only the top-level `tags` that a kept operation uses.
//!
//! Discriminator `mapping` values are references only by convention and are not followed:
//! following them from a base such as `microsoft.graph.entity` would pull in every entity type.
//! Mapping entries whose target was not kept are removed, so the output has no dangling
//! references.
//!
//! The summary's warnings name the used bases whose derived types the output lacks: those the
//! CSDL or a discriminator names but the input does not have, and, without `--derived-from`,
//! those whose derived types the input has but the trim left out, or which declare nothing
//! and have no derived type in the input (Graph leaves out subtypes that no property names).
//!
//! The document is handled as a `serde_yaml_ng::Value` tree, not as openapiv3 structs, so
//! nothing the structs do not model is lost, and mapping order (the upstream order) is kept;
//! the output is therefore a function of the input alone. YAML is read as YAML 1.2, so a
//! parameter named `on` stays the string `on`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_yaml_ng::{Mapping, Value};

use crate::csdl::TypeHierarchy;
use crate::error::{Error, Result};
use crate::openapi::{component_ref, operations, read_document, write_document, COMPONENTS_PREFIX};

mod derived;

pub use derived::MissingDerived;

/// Referenced by name from `security` requirements, never by `$ref`, so kept whole.
const SECURITY_SCHEMES: &str = "securitySchemes";

/// The section of component schemas.
const SCHEMAS: &str = "schemas";

/// A component: its section (`schemas`, `responses`, ...) and its name.
type ComponentKey = (String, String);

/// How [`run`] finds derived types.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions<'a> {
    /// The CSDL metadata (`--derived-from`) that names the derived types to add.
    pub derived_from: Option<&'a Path>,
    /// Whether navigation properties count as uses of their types (`--follow-navigation`).
    pub follow_navigation: bool,
}

/// How [`trim`] finds derived types: [`RunOptions`] with the CSDL read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// The type hierarchy that names the derived types to add; none are added without it.
    pub hierarchy: Option<&'a TypeHierarchy>,
    /// Whether navigation properties count as uses of their types.
    pub follow_navigation: bool,
}

/// `cargo xtask trim --from UPSTREAM --prefix PATH... --out FILE [--derived-from XML]
/// [--follow-navigation]`: reads `from`, trims it to the paths under `prefixes` (and, with
/// `derived_from`, the CSDL subtypes of the types they use), and writes the result to `out`
/// (JSON if its name ends in `.json`, else YAML).
pub fn run(
    from: &Path,
    prefixes: &[String],
    out: &Path,
    options: RunOptions<'_>,
) -> Result<Report> {
    let started = Instant::now();
    let document: Value = read_document(from)?;
    let read_time = started.elapsed();
    let hierarchy = options.derived_from.map(TypeHierarchy::read).transpose()?;
    let trim_started = Instant::now();
    let trim_options = Options {
        hierarchy: hierarchy.as_ref(),
        follow_navigation: options.follow_navigation,
    };
    let (trimmed, summary) = trim(&document, prefixes, trim_options)?;
    let trim_time = trim_started.elapsed();
    write_document(out, &trimmed)?;
    Ok(Report {
        from: from.to_owned(),
        out: out.to_owned(),
        summary,
        read_time,
        trim_time,
        total_time: started.elapsed(),
    })
}

/// What [`run`] did, and how long it took.
#[derive(Debug)]
pub struct Report {
    /// The document read.
    pub from: PathBuf,
    /// The file written.
    pub out: PathBuf,
    /// What was kept.
    pub summary: Summary,
    /// Reading and parsing `from`.
    pub read_time: Duration,
    /// Trimming, after the CSDL (if any) was read.
    pub trim_time: Duration,
    /// All of it, writing included.
    pub total_time: Duration,
}

/// Two lines: what was kept, and the timings.
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.summary)?;
        write!(
            f,
            "trim: read {} in {:.2}s, trimmed in {:.2}s, wrote {} (total {:.2}s)",
            self.from.display(),
            self.read_time.as_secs_f64(),
            self.trim_time.as_secs_f64(),
            self.out.display(),
            self.total_time.as_secs_f64()
        )
    }
}

/// What a trim kept, for the summary line.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// How many paths the document has.
    pub upstream_paths: usize,
    /// How many of them were kept.
    pub paths: usize,
    /// Kept components by section.
    pub components: BTreeMap<String, usize>,
    /// Schemas kept only because they derive from a used schema (`--derived-from`).
    pub derived_added: usize,
    /// References to components the document does not have.
    pub missing: BTreeSet<String>,
    /// The used bases whose derived types the output lacks, in name order.
    pub missing_derived: Vec<MissingDerived>,
}

impl Summary {
    /// A warning for each reference to a component the document does not have, then one for
    /// each base whose derived types the output lacks.
    pub fn warnings(&self) -> impl Iterator<Item = String> + '_ {
        let dangling = self
            .missing
            .iter()
            .map(|missing| format!("{missing} is referenced but not in the document"));
        dangling.chain(self.missing_derived.iter().map(ToString::to_string))
    }
}

/// One line: how many paths and components were kept, by section.
impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sections: Vec<String> = self
            .components
            .iter()
            .map(|(section, count)| format!("{count} {section}"))
            .collect();
        write!(
            f,
            "trim: kept {} of {} paths and {} components ({}), {} added as derived types",
            self.paths,
            self.upstream_paths,
            self.components.values().sum::<usize>(),
            sections.join(", "),
            self.derived_added
        )
    }
}

/// Trims `document` to the paths under `prefixes` and what they need.
pub fn trim(
    document: &Value,
    prefixes: &[String],
    options: Options<'_>,
) -> Result<(Value, Summary)> {
    let Some(root) = document.as_mapping() else {
        return Err(Error::NotAMapping);
    };
    let empty = Mapping::new();
    let paths = root
        .get("paths")
        .and_then(Value::as_mapping)
        .unwrap_or(&empty);
    let components = root
        .get("components")
        .and_then(Value::as_mapping)
        .unwrap_or(&empty);

    let kept_paths: Mapping = paths
        .iter()
        .filter(|(key, _)| {
            key.as_str().is_some_and(|path| {
                prefixes
                    .iter()
                    .any(|prefix| path.starts_with(prefix.as_str()))
            })
        })
        .map(|(key, item)| (key.clone(), item.clone()))
        .collect();

    let mut summary = Summary {
        upstream_paths: paths.len(),
        paths: kept_paths.len(),
        ..Summary::default()
    };
    let kept_paths_value = Value::Mapping(kept_paths.clone());
    let mut kept = BTreeSet::new();
    let mut pending = Vec::new();
    let mut found = BTreeSet::new();
    collect_refs(&kept_paths_value, &mut found);
    enqueue(found, &mut kept, &mut pending);
    close_over_references(components, &mut kept, pending, &mut summary.missing);
    let expansion = derived::expand(
        components,
        &kept_paths_value,
        options.hierarchy,
        options.follow_navigation,
    );
    let derived: BTreeSet<ComponentKey> = expansion
        .derived
        .into_iter()
        .map(|name| (SCHEMAS.to_owned(), name))
        .filter(|key| !kept.contains(key))
        .collect();
    summary.derived_added = derived.len();
    let mut pending = Vec::new();
    enqueue(derived, &mut kept, &mut pending);
    close_over_references(components, &mut kept, pending, &mut summary.missing);
    summary.missing_derived =
        derived::missing_derived(components, &expansion.used, &kept, options.hierarchy);

    let kept_components = filter_components(components, &kept);
    for (section, entries) in &kept_components {
        if let (Some(section), Some(entries)) = (section.as_str(), entries.as_mapping()) {
            summary.components.insert(section.to_owned(), entries.len());
        }
    }
    let used_tags = tags_used_by(&kept_paths);
    let mut out = Mapping::new();
    for (key, value) in root {
        let value = match key.as_str() {
            Some("paths") => Value::Mapping(kept_paths.clone()),
            Some("components") => Value::Mapping(kept_components.clone()),
            Some("tags") => filter_tags(value, &used_tags),
            _ => value.clone(),
        };
        out.insert(key.clone(), value);
    }
    Ok((Value::Mapping(out), summary))
}

/// Adds the keys not yet kept to `kept` and to the work list.
fn enqueue(
    found: BTreeSet<ComponentKey>,
    kept: &mut BTreeSet<ComponentKey>,
    pending: &mut Vec<ComponentKey>,
) {
    for key in found {
        if kept.insert(key.clone()) {
            pending.push(key);
        }
    }
}

/// Follows references from the pending components until nothing new is found.
fn close_over_references(
    components: &Mapping,
    kept: &mut BTreeSet<ComponentKey>,
    mut pending: Vec<ComponentKey>,
    missing: &mut BTreeSet<String>,
) {
    while let Some(key) = pending.pop() {
        let Some(node) = component(components, &key) else {
            missing.insert(format!("{COMPONENTS_PREFIX}{}/{}", key.0, key.1));
            continue;
        };
        let mut found = BTreeSet::new();
        collect_refs(node, &mut found);
        enqueue(found, kept, &mut pending);
    }
}

fn component<'a>(components: &'a Mapping, (section, name): &ComponentKey) -> Option<&'a Value> {
    components
        .get(section.as_str())?
        .as_mapping()?
        .get(name.as_str())
}

/// Every `#/components/<section>/<name>` that a `$ref` below `node` points at (a reference
/// into a component, `.../<name>/properties/x`, counts as one to the whole component).
fn collect_refs(node: &Value, found: &mut BTreeSet<ComponentKey>) {
    match node {
        Value::Mapping(mapping) => {
            for (key, value) in mapping {
                if key.as_str() == Some("$ref") {
                    if let Some(target) = value.as_str().and_then(component_ref) {
                        found.insert(target);
                    }
                } else {
                    collect_refs(value, found);
                }
            }
        }
        Value::Sequence(items) => items.iter().for_each(|item| collect_refs(item, found)),
        Value::Tagged(tagged) => collect_refs(&tagged.value, found),
        _ => {}
    }
}

/// The kept components, in the document's order; discriminator mappings pruned to kept targets.
fn filter_components(components: &Mapping, kept: &BTreeSet<ComponentKey>) -> Mapping {
    let mut out = Mapping::new();
    for (section_key, entries) in components {
        let Some(section) = section_key.as_str() else {
            continue;
        };
        if section == SECURITY_SCHEMES {
            out.insert(section_key.clone(), entries.clone());
            continue;
        }
        let Some(entries) = entries.as_mapping() else {
            continue;
        };
        let filtered: Mapping = entries
            .iter()
            .filter(|(name, _)| {
                name.as_str()
                    .is_some_and(|name| kept.contains(&(section.to_owned(), name.to_owned())))
            })
            .map(|(name, value)| {
                let mut value = value.clone();
                prune_discriminator_mappings(&mut value, kept);
                (name.clone(), value)
            })
            .collect();
        if !filtered.is_empty() {
            out.insert(section_key.clone(), Value::Mapping(filtered));
        }
    }
    out
}

fn prune_discriminator_mappings(node: &mut Value, kept: &BTreeSet<ComponentKey>) {
    match node {
        Value::Mapping(mapping) => {
            for (key, value) in mapping.iter_mut() {
                if key.as_str() == Some("discriminator") {
                    if let Some(targets) = value.get_mut("mapping").and_then(Value::as_mapping_mut)
                    {
                        targets.retain(|_, target| mapping_target_kept(target, kept));
                    }
                } else {
                    prune_discriminator_mappings(value, kept);
                }
            }
        }
        Value::Sequence(items) => items
            .iter_mut()
            .for_each(|item| prune_discriminator_mappings(item, kept)),
        _ => {}
    }
}

/// A mapping entry stays unless it names a component that was not kept.
fn mapping_target_kept(target: &Value, kept: &BTreeSet<ComponentKey>) -> bool {
    match target.as_str().and_then(component_ref) {
        Some(target) => kept.contains(&target),
        None => true,
    }
}

fn tags_used_by(paths: &Mapping) -> BTreeSet<String> {
    paths
        .values()
        .flat_map(|item| operations(item).map(|(_, operation)| operation))
        .filter_map(|operation| operation.get("tags")?.as_sequence())
        .flatten()
        .filter_map(|tag| tag.as_str().map(str::to_owned))
        .collect()
}

fn filter_tags(tags: &Value, used: &BTreeSet<String>) -> Value {
    let Some(tags) = tags.as_sequence() else {
        return tags.clone();
    };
    Value::Sequence(
        tags.iter()
            .filter(|tag| {
                tag.get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|name| used.contains(name))
            })
            .cloned()
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csdl::tests::CSDL;
    use crate::openapi::parse_document;

    const DOCUMENT: &str = r##"openapi: 3.0.3
info:
  title: test
  version: v1
servers:
  - url: https://example.test/v1
tags:
  - name: widgets
  - name: gadgets
paths:
  /widgets:
    get:
      tags: [widgets]
      parameters:
        - $ref: '#/components/parameters/top'
        - name: on
          in: query
          schema:
            type: string
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ns.widget'
        default:
          $ref: '#/components/responses/error'
  /widgets/{id}:
    delete:
      responses:
        '204':
          description: gone
  /gadgets:
    get:
      tags: [gadgets]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ns.gadget'
components:
  schemas:
    ns.entity:
      type: object
      properties:
        id:
          type: string
      discriminator:
        propertyName: '@odata.type'
        mapping:
          '#ns.widget': '#/components/schemas/ns.widget'
          '#ns.specialWidget': '#/components/schemas/ns.specialWidget'
          '#ns.gadget': '#/components/schemas/ns.gadget'
    ns.widget:
      allOf:
        - $ref: '#/components/schemas/ns.entity'
        - type: object
          properties:
            part:
              $ref: '#/components/schemas/ns.part'
    ns.specialWidget:
      allOf:
        - $ref: '#/components/schemas/ns.widget'
        - type: object
          properties:
            colour:
              $ref: '#/components/schemas/ns.colour'
    ns.part:
      type: object
      properties:
        material:
          $ref: '#/components/schemas/ns.material'
    ns.material:
      type: string
      enum: [wood, steel]
    ns.colour:
      type: string
      enum: [red]
    ns.gadget:
      type: object
    ns.odataError:
      type: object
  responses:
    error:
      description: error
      content:
        application/json:
          schema:
            $ref: '#/components/schemas/ns.odataError'
  parameters:
    top:
      name: $top
      in: query
      schema:
        type: integer
    skip:
      name: $skip
      in: query
      schema:
        type: integer
  securitySchemes:
    apiKey:
      type: apiKey
      name: key
      in: header
"##;

    fn names(document: &Value, section: &str) -> Vec<String> {
        document["components"][section]
            .as_mapping()
            .map(|m| {
                m.keys()
                    .filter_map(|k| k.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn trim_inline(prefixes: &[&str], hierarchy: Option<&TypeHierarchy>) -> (Value, Summary) {
        let document = parse_document(DOCUMENT, false).expect("parses");
        let prefixes: Vec<String> = prefixes.iter().map(|p| (*p).to_owned()).collect();
        let options = Options {
            hierarchy,
            follow_navigation: false,
        };
        trim(&document, &prefixes, options).expect("trims")
    }

    #[test]
    fn chained_references_are_kept_and_unrelated_components_dropped() {
        let (trimmed, summary) = trim_inline(&["/widgets"], None);
        let paths: Vec<_> = trimmed["paths"]
            .as_mapping()
            .expect("paths")
            .keys()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(paths, ["/widgets", "/widgets/{id}"]);
        assert_eq!(
            names(&trimmed, "schemas"),
            [
                "ns.entity",
                "ns.widget",
                "ns.part",
                "ns.material",
                "ns.odataError"
            ]
        );
        assert_eq!(names(&trimmed, "parameters"), ["top"]);
        assert_eq!(names(&trimmed, "responses"), ["error"]);
        assert_eq!(names(&trimmed, "securitySchemes"), ["apiKey"]);
        // Mapping entries of types not kept are gone; the kept one stays.
        let mapping = trimmed["components"]["schemas"]["ns.entity"]["discriminator"]["mapping"]
            .as_mapping()
            .expect("mapping");
        assert_eq!(mapping.len(), 1);
        assert!(mapping.contains_key("#ns.widget"));
        let tags: Vec<_> = trimmed["tags"]
            .as_sequence()
            .expect("tags")
            .iter()
            .filter_map(|t| t["name"].as_str())
            .collect();
        assert_eq!(tags, ["widgets"]);
        assert_eq!(trimmed["info"]["title"].as_str(), Some("test"));
        assert_eq!((summary.paths, summary.upstream_paths), (2, 3));
        assert!(summary.missing.is_empty());
    }

    #[test]
    fn a_parameter_named_on_stays_a_string() {
        let (trimmed, _) = trim_inline(&["/widgets"], None);
        let name = &trimmed["paths"]["/widgets"]["get"]["parameters"][1]["name"];
        assert_eq!(name.as_str(), Some("on"));
        let text = serde_yaml_ng::to_string(&trimmed).expect("encodes");
        let reread: Value = serde_yaml_ng::from_str(&text).expect("reparses");
        assert_eq!(
            reread["paths"]["/widgets"]["get"]["parameters"][1]["name"].as_str(),
            Some("on")
        );
        // The generator's parser reads the output the same way.
        let spec = generator::parse_spec(&text, false).expect("generator parses");
        let item = spec
            .paths
            .paths
            .get("/widgets")
            .and_then(|i| i.as_item())
            .expect("item");
        let names: Vec<_> = item
            .get
            .as_ref()
            .expect("get")
            .parameters
            .iter()
            .filter_map(|p| p.as_item().map(|p| p.parameter_data_ref().name.clone()))
            .collect();
        assert_eq!(names, ["on"]);
    }

    #[test]
    fn derived_types_come_from_the_csdl() {
        let hierarchy = TypeHierarchy::parse(CSDL).expect("parses");
        let (trimmed, summary) = trim_inline(&["/widgets"], Some(&hierarchy));
        // specialWidget is added because the response is typed as widget, and colour with it;
        // gadget derives from entity, which is only inherited from, so it stays out.
        assert_eq!(
            names(&trimmed, "schemas"),
            [
                "ns.entity",
                "ns.widget",
                "ns.specialWidget",
                "ns.part",
                "ns.material",
                "ns.colour",
                "ns.odataError"
            ]
        );
        assert_eq!(summary.derived_added, 1);
        let mapping = trimmed["components"]["schemas"]["ns.entity"]["discriminator"]["mapping"]
            .as_mapping()
            .expect("mapping");
        assert_eq!(mapping.len(), 2);
        // The CSDL's notInDocument derives from widget, and the input lacks it.
        assert_eq!(
            summary.missing_derived,
            [MissingDerived::NotInInput {
                base: "ns.widget".to_owned(),
                derived: vec!["ns.notInDocument".to_owned()],
            }]
        );
    }

    #[test]
    fn output_is_the_same_every_time() {
        let hierarchy = TypeHierarchy::parse(CSDL).expect("parses");
        let encode = || {
            let (trimmed, _) = trim_inline(&["/gadgets", "/widgets"], Some(&hierarchy));
            serde_yaml_ng::to_string(&trimmed).expect("encodes")
        };
        let first = encode();
        assert_eq!(first, encode());
        let dir = tempfile::tempdir().expect("scratch directory");
        let (from, out) = (dir.path().join("in.yaml"), dir.path().join("out.json"));
        std::fs::write(&from, DOCUMENT).expect("write");
        let report =
            run(&from, &["/widgets".to_owned()], &out, RunOptions::default()).expect("runs");
        assert_eq!(
            report.summary.to_string(),
            "trim: kept 2 of 3 paths and 8 components (1 parameters, 1 responses, 5 schemas, 1 securitySchemes), 0 added as derived types"
        );
        // Without the CSDL, the document's own allOf shows that widget has a derived type the
        // trim left out, and odataError declares nothing and has none.
        let bases: Vec<_> = report
            .summary
            .missing_derived
            .iter()
            .map(|missing| match missing {
                MissingDerived::NotKept { base, .. } | MissingDerived::EmptyBase { base } => {
                    base.as_str()
                }
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        assert_eq!(bases, ["ns.odataError", "ns.widget"]);
        let json = std::fs::read_to_string(&out).expect("read");
        let reread = parse_document(&json, true).expect("JSON output parses");
        assert_eq!(names(&reread, "schemas").len(), 5);
    }

    #[test]
    fn a_dangling_reference_is_a_warning() {
        let document = parse_document(
            "paths:\n  /a:\n    get:\n      responses:\n        default: {$ref: '#/components/responses/gone'}\n",
            false,
        )
        .expect("parses");
        let (_, summary) = trim(&document, &["/a".to_owned()], Options::default()).expect("trims");
        assert_eq!(
            summary.warnings().collect::<Vec<_>>(),
            ["#/components/responses/gone is referenced but not in the document"]
        );
        let not_a_mapping = parse_document("[1, 2]", false).expect("parses");
        assert!(matches!(
            trim(&not_a_mapping, &[], Options::default()),
            Err(Error::NotAMapping)
        ));
    }

    /// `trim_differences` of `spec/v1.0/upstream-differences.yaml`, with the sections that
    /// explain schemas Microsoft's description lacks.
    #[derive(serde::Deserialize)]
    struct DifferencesFile {
        #[serde(default)]
        added_schemas: Vec<Listed>,
        #[serde(default)]
        typed_strings: Vec<TypedEnum>,
        trim_differences: TrimDifferences,
    }

    #[derive(serde::Deserialize)]
    struct TrimDifferences {
        only_in_trim: Vec<Listed>,
        only_in_ours: Vec<Listed>,
    }

    #[derive(serde::Deserialize)]
    struct Listed {
        name: String,
        #[serde(default)]
        reason: String,
    }

    #[derive(serde::Deserialize)]
    struct TypedEnum {
        #[serde(rename = "enum")]
        name: String,
    }

    fn schema_set(document: &Value) -> BTreeSet<String> {
        names(document, "schemas").into_iter().collect()
    }

    /// The access-reviews trim of the whole Graph v1.0 description, with the CSDL, keeps the
    /// schemas of our spec and nothing else, but for what `upstream-differences.yaml` lists:
    /// a schema of ours that the whole API lacks is one a trim cannot produce, and must be
    /// explained by `added_schemas` or `typed_strings`; any other difference must be listed
    /// under `trim_differences`, with a reason.
    #[test]
    fn the_access_reviews_trim_of_graph_all_has_our_schemas() {
        let Some(upstream) = crate::shared_path("graph/upstream") else {
            return;
        };
        let root = crate::workspace_root();
        let document: Value =
            read_document(&upstream.join("graph-all.v1.0.yaml")).expect("graph-all reads");
        let hierarchy =
            TypeHierarchy::read(&upstream.join("metadata.v1.0.csdl.xml")).expect("CSDL reads");
        let prefixes = ["/identityGovernance/accessReviews".to_owned()];
        let options = Options {
            hierarchy: Some(&hierarchy),
            follow_navigation: false,
        };
        let (trimmed, summary) = trim(&document, &prefixes, options).expect("trims");
        let ours: Value =
            read_document(&root.join("spec/v1.0/access-reviews.yaml")).expect("our spec reads");
        let differences: DifferencesFile =
            read_document(&root.join("spec/v1.0/upstream-differences.yaml"))
                .expect("the differences file reads");
        let (trimmed, ours, upstream_schemas) = (
            schema_set(&trimmed),
            schema_set(&ours),
            schema_set(&document),
        );

        for big in ["user", "group", "message", "driveItem", "entity"] {
            let name = format!("microsoft.graph.{big}");
            assert_eq!(trimmed.contains(&name), big == "entity", "{name}");
        }
        assert!(summary.missing.is_empty(), "{:?}", summary.missing);

        let listed = |entries: &[Listed]| -> BTreeSet<String> {
            for entry in entries {
                assert!(
                    !entry.reason.trim().is_empty(),
                    "{} has no reason",
                    entry.name
                );
            }
            entries.iter().map(|entry| entry.name.clone()).collect()
        };
        let only_in_trim: BTreeSet<String> = trimmed.difference(&ours).cloned().collect();
        assert_eq!(
            only_in_trim,
            listed(&differences.trim_differences.only_in_trim),
            "schemas the trim keeps that ours lacks, against trim_differences.only_in_trim"
        );
        let ours_explained: BTreeSet<String> = differences
            .added_schemas
            .iter()
            .map(|added| added.name.clone())
            .chain(
                differences
                    .typed_strings
                    .iter()
                    .map(|typed| typed.name.clone()),
            )
            .collect();
        let listed_in_ours = listed(&differences.trim_differences.only_in_ours);
        let unexplained: Vec<&String> = ours
            .difference(&trimmed)
            .filter(|name| {
                let absent_upstream_and_explained =
                    !upstream_schemas.contains(*name) && ours_explained.contains(*name);
                !absent_upstream_and_explained && !listed_in_ours.contains(*name)
            })
            .collect();
        assert!(
            unexplained.is_empty(),
            "schemas of ours that the trim lacks, explained nowhere: {unexplained:?}"
        );
        let stale: Vec<&String> = listed_in_ours
            .iter()
            .filter(|name| !ours.contains(*name) || trimmed.contains(*name))
            .collect();
        assert!(stale.is_empty(), "stale only_in_ours entries: {stale:?}");

        // Without the CSDL, the scope base is reported: the input has none of its subtypes.
        let (_, summary) = trim(&document, &prefixes, Options::default()).expect("trims");
        assert!(summary
            .missing_derived
            .contains(&MissingDerived::EmptyBase {
                base: "microsoft.graph.accessReviewScope".to_owned()
            }));
    }
}
