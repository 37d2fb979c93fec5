//! `cargo xtask diff OLD NEW [--fail-on-breaking]`: what changed between two versions of an
//! OpenAPI description, as a Markdown report with every line marked breaking or additive.
//!
//! OLD and NEW are files (YAML or, ending in `.json`, JSON) or `REV:PATH`, the file at a git
//! revision (`git show REV:PATH` in the workspace root, so PATH is relative to it).
//!
//! What is compared, and the rules (from the point of view of a client built on the old version,
//! such as the generated models crate):
//! - **Operations** (path + method). Removed: breaking. Added: additive. A changed JSON request
//!   body type, or changed set of JSON success (2XX) response types: breaking.
//! - **Types** (component schemas). Removed: breaking. Added: additive. A changed kind (object,
//!   enum, string, ...) or changed base types (`allOf` references): breaking.
//! - **Properties** of a type present in both, including those inherited through `allOf`
//!   references. A change is listed once, on the most basic type where it appears, rather than
//!   again on every derived type; and a property that moves between a type and its base is no
//!   change, because every type still has it.
//!   - removed: breaking; type changed: breaking;
//!   - added optional: additive; added required: breaking (writers must now send it);
//!   - optional → required: breaking; required → optional: additive;
//!   - nullability changed, either way: breaking. Becoming nullable means readers may now see
//!     `null`. Becoming non-nullable means writers can no longer send `null` to clear the
//!     property (a PATCH does this), and in the generated code the field type changes from
//!     `Nullable<T>` to a plain optional either way.
//! - **Enum members** of a component enum present in both. Removed: breaking. Added: additive
//!   (the generated enums are open, so an old client reads a new member as `Other`).
//!
//! Not compared: descriptions, parameters, inline enums of properties, formats' patterns.
//!
//! Both documents are read as plain YAML trees (like `spec_check`), so `allOf`/`anyOf` forms are
//! seen exactly as written; nullable references written as `anyOf: [$ref, {nullable: true}]` or
//! `allOf: [$ref]` + `nullable: true` are the reference plus nullability.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context, Result};
use serde_yaml_ng::Value;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
const SCHEMA_REF_PREFIX: &str = "#/components/schemas/";
const JSON_MEDIA_TYPE: &str = "application/json";
/// Longer `allOf` chains than this can only come from a reference cycle.
const MAX_BASE_DEPTH: usize = 32;

/// Prints the report and returns the number of breaking changes. `REV:PATH` specs are read
/// with git in `root`.
pub fn run(old: &str, new: &str, root: &Path) -> Result<usize> {
    let old_document = load(old, root)?;
    let new_document = load(new, root)?;
    let changes = diff(&old_document, &new_document);
    print!("{}", render(old, new, &changes));
    Ok(changes
        .iter()
        .filter(|c| c.impact == Impact::Breaking)
        .count())
}

/// Reads a spec named by a file path or by `REV:PATH`.
pub fn load(spec: &str, root: &Path) -> Result<Value> {
    let path = Path::new(spec);
    let (text, file) = if path.is_file() {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        (text, spec)
    } else if let Some((revision, file)) = spec
        .split_once(':')
        .filter(|(r, f)| !r.is_empty() && !f.is_empty())
    {
        (git_show(revision, file, root)?, file)
    } else {
        bail!("{spec}: no such file, and not of the form REV:PATH");
    };
    let is_json = file.to_ascii_lowercase().ends_with(".json");
    crate::trim::parse_document(&text, is_json).with_context(|| format!("parsing {spec}"))
}

fn git_show(revision: &str, file: &str, root: &Path) -> Result<String> {
    let output = Command::new("git")
        .arg("show")
        .arg(format!("{revision}:{file}"))
        .current_dir(root)
        .output()
        .context("running git show")?;
    if !output.status.success() {
        bail!(
            "git show {revision}:{file}: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    String::from_utf8(output.stdout).with_context(|| format!("{revision}:{file} is not UTF-8"))
}

// ---- changes and the report ----

/// The report's sections, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    Operations,
    Types,
    Properties,
    EnumMembers,
}

impl Section {
    fn title(self) -> &'static str {
        match self {
            Section::Operations => "Operations",
            Section::Types => "Types",
            Section::Properties => "Properties",
            Section::EnumMembers => "Enum members",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    Breaking,
    Additive,
}

impl fmt::Display for Impact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Impact::Breaking => "breaking",
            Impact::Additive => "additive",
        })
    }
}

/// One line of the report. Field order is the sort order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub section: Section,
    /// The operation or type the change is about, for sorting.
    pub subject: String,
    pub text: String,
    pub impact: Impact,
}

fn change(section: Section, subject: &str, impact: Impact, text: String) -> Change {
    Change {
        section,
        subject: subject.to_owned(),
        text,
        impact,
    }
}

/// The Markdown report: a summary line, then one list per section that has changes.
pub fn render(old: &str, new: &str, changes: &[Change]) -> String {
    let breaking = changes
        .iter()
        .filter(|c| c.impact == Impact::Breaking)
        .count();
    let mut out = format!(
        "# API diff\n\n`{old}` → `{new}`: {breaking} breaking, {} additive\n",
        changes.len() - breaking
    );
    let mut section = None;
    for change in changes {
        if section != Some(change.section) {
            section = Some(change.section);
            out.push_str(&format!("\n## {}\n\n", change.section.title()));
        }
        out.push_str(&format!("- **{}** {}\n", change.impact, change.text));
    }
    if changes.is_empty() {
        out.push_str("\nNo changes.\n");
    }
    out
}

/// Every change from `old` to `new`, sorted.
pub fn diff(old: &Value, new: &Value) -> Vec<Change> {
    let (old, new) = (Api::read(old), Api::read(new));
    let mut changes = Vec::new();
    diff_operations(&old, &new, &mut changes);
    diff_types(&old, &new, &mut changes);
    changes.sort();
    changes.dedup();
    changes
}

// ---- what a document declares ----

struct Api {
    operations: BTreeMap<String, Operation>,
    schemas: BTreeMap<String, Schema>,
}

struct Operation {
    request: Option<String>,
    /// `status: type` of each JSON success response.
    responses: BTreeSet<String>,
}

struct Schema {
    kind: String,
    bases: BTreeSet<String>,
    /// Own and inherited properties.
    properties: BTreeMap<String, Property>,
    members: BTreeSet<String>,
}

#[derive(Clone, PartialEq, Eq)]
struct Property {
    type_name: String,
    nullable: bool,
    required: bool,
}

impl fmt::Display for Property {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.type_name)?;
        if self.nullable {
            f.write_str(", nullable")?;
        }
        Ok(())
    }
}

impl Api {
    fn read(document: &Value) -> Api {
        let mut operations = BTreeMap::new();
        for (path, item) in entries(document.get("paths")) {
            for method in METHODS {
                if let Some(operation) = item.get(method) {
                    operations.insert(
                        format!("{} {path}", method.to_uppercase()),
                        read_operation(document, operation),
                    );
                }
            }
        }
        let schemas = entries(document.get("components").and_then(|c| c.get("schemas")))
            .map(|(name, schema)| (name.clone(), read_schema(document, schema)))
            .collect();
        Api {
            operations,
            schemas,
        }
    }
}

/// A mapping's entries with their keys as text (YAML allows `200:` as a number key).
fn entries(mapping: Option<&Value>) -> impl Iterator<Item = (String, &Value)> {
    mapping
        .and_then(Value::as_mapping)
        .into_iter()
        .flatten()
        .filter_map(|(key, value)| Some((key_text(key)?, value)))
}

fn key_text(key: &Value) -> Option<String> {
    match key {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// Follows a local `$ref` (any JSON pointer into the document); other nodes are returned as is.
fn follow<'a>(document: &'a Value, node: &'a Value) -> &'a Value {
    let mut current = node;
    // A bound, because references can form a cycle.
    for _ in 0..MAX_BASE_DEPTH {
        let Some(pointer) = current
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/"))
        else {
            return current;
        };
        let target = pointer.split('/').try_fold(document, |node, segment| {
            node.get(segment.replace("~1", "/").replace("~0", "~"))
        });
        match target {
            Some(target) => current = target,
            None => return current,
        }
    }
    current
}

fn json_schema<'a>(document: &'a Value, holder: &'a Value) -> Option<&'a Value> {
    follow(document, holder)
        .get("content")?
        .get(JSON_MEDIA_TYPE)?
        .get("schema")
}

fn read_operation(document: &Value, operation: &Value) -> Operation {
    let request = operation
        .get("requestBody")
        .and_then(|body| json_schema(document, body))
        .map(|schema| describe(schema).0);
    let responses = entries(operation.get("responses"))
        .filter(|(status, _)| status.starts_with('2'))
        .filter_map(|(status, response)| {
            let schema = json_schema(document, response)?;
            Some(format!("{status}: {}", describe(schema).0))
        })
        .collect();
    Operation { request, responses }
}

fn read_schema(document: &Value, schema: &Value) -> Schema {
    let kind = if schema.get("enum").is_some() {
        "enum".to_owned()
    } else if is_object(schema) {
        "object".to_owned()
    } else {
        describe(schema).0
    };
    let members = schema
        .get("enum")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
        .filter_map(scalar_text)
        .collect();
    let mut properties = BTreeMap::new();
    collect_properties(document, schema, 0, &mut properties);
    Schema {
        kind,
        bases: base_names(schema),
        properties,
        members,
    }
}

fn is_object(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("object")
        || schema.get("properties").is_some()
        || schema.get("allOf").is_some()
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Null => Some("null".to_owned()),
        _ => None,
    }
}

/// The schema names an `allOf` inherits from.
fn base_names(schema: &Value) -> BTreeSet<String> {
    allof_members(schema)
        .filter_map(|member| member.get("$ref")?.as_str())
        .map(|r| r.strip_prefix(SCHEMA_REF_PREFIX).unwrap_or(r).to_owned())
        .collect()
}

fn allof_members(schema: &Value) -> impl Iterator<Item = &Value> {
    schema
        .get("allOf")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
}

/// Inherited properties first, then the schema's own (which override), then `required`.
fn collect_properties(
    document: &Value,
    schema: &Value,
    depth: usize,
    properties: &mut BTreeMap<String, Property>,
) {
    if depth > MAX_BASE_DEPTH {
        return;
    }
    for member in allof_members(schema) {
        collect_properties(document, follow(document, member), depth + 1, properties);
    }
    for (name, property) in entries(schema.get("properties")) {
        let (type_name, nullable) = describe(property);
        properties.insert(
            name,
            Property {
                type_name,
                nullable,
                required: false,
            },
        );
    }
    let required = schema
        .get("required")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str);
    for name in required {
        if let Some(property) = properties.get_mut(name) {
            property.required = true;
        }
    }
}

/// A property schema's type, in words, and whether it is nullable.
fn describe(schema: &Value) -> (String, bool) {
    let nullable = schema.get("nullable").and_then(Value::as_bool) == Some(true);
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        let name = target.strip_prefix(SCHEMA_REF_PREFIX).unwrap_or(target);
        return (name.to_owned(), nullable);
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(members) = schema.get(key).and_then(Value::as_sequence) {
            let (type_name, null_member) = describe_union(members);
            return (type_name, nullable || null_member);
        }
    }
    if let Some([only]) = schema
        .get("allOf")
        .and_then(Value::as_sequence)
        .map(Vec::as_slice)
    {
        let (type_name, inner_nullable) = describe(only);
        return (type_name, nullable || inner_nullable);
    }
    let type_name = match schema.get("type").and_then(Value::as_str) {
        Some("array") => {
            let items = schema.get("items").map(describe);
            match items {
                Some((items, true)) => format!("array of {items} (nullable items)"),
                Some((items, false)) => format!("array of {items}"),
                None => "array".to_owned(),
            }
        }
        Some(_) | None if schema.get("properties").is_some() => describe_inline_object(schema),
        Some(kind) => match schema.get("format").and_then(Value::as_str) {
            Some(format) => format!("{kind} ({format})"),
            None => kind.to_owned(),
        },
        None => "any".to_owned(),
    };
    (type_name, nullable)
}

fn describe_union(members: &[Value]) -> (String, bool) {
    let mut nullable = false;
    let mut types = BTreeSet::new();
    for member in members {
        if is_null_placeholder(member) {
            nullable = true;
        } else {
            let (type_name, member_nullable) = describe(member);
            nullable |= member_nullable;
            types.insert(type_name);
        }
    }
    let type_name = match types.len() {
        0 => "any".to_owned(),
        1 => types.into_iter().next().unwrap_or_default(),
        _ => format!(
            "one of [{}]",
            types.into_iter().collect::<Vec<_>>().join(", ")
        ),
    };
    (type_name, nullable)
}

/// `{nullable: true}` (or `{type: object, nullable: true}`) in a union only allows `null`.
fn is_null_placeholder(schema: &Value) -> bool {
    let nullable = schema.get("nullable").and_then(Value::as_bool) == Some(true);
    let shapeless = [
        "$ref",
        "properties",
        "items",
        "allOf",
        "anyOf",
        "oneOf",
        "enum",
    ]
    .iter()
    .all(|key| schema.get(*key).is_none());
    let object_or_untyped = matches!(
        schema.get("type").and_then(Value::as_str),
        None | Some("object")
    );
    nullable && shapeless && object_or_untyped
}

/// An inline object (such as a collection response's `{value: array of X}`), member by member.
fn describe_inline_object(schema: &Value) -> String {
    let members: Vec<String> = entries(schema.get("properties"))
        .map(|(name, property)| {
            let (type_name, nullable) = describe(property);
            let marker = if nullable { "?" } else { "" };
            format!("{name}: {type_name}{marker}")
        })
        .collect();
    format!("{{{}}}", members.join(", "))
}

// ---- comparing ----

fn diff_operations(old: &Api, new: &Api, changes: &mut Vec<Change>) {
    let op = Section::Operations;
    for (name, before) in &old.operations {
        let Some(after) = new.operations.get(name) else {
            changes.push(change(
                op,
                name,
                Impact::Breaking,
                format!("removed operation `{name}`"),
            ));
            continue;
        };
        if before.request != after.request {
            let text = format!(
                "changed request body of `{name}`: {} → {}",
                optional_type(before.request.as_deref()),
                optional_type(after.request.as_deref())
            );
            changes.push(change(op, name, Impact::Breaking, text));
        }
        if before.responses != after.responses {
            let text = format!(
                "changed success responses of `{name}`: {} → {}",
                type_list(&before.responses),
                type_list(&after.responses)
            );
            changes.push(change(op, name, Impact::Breaking, text));
        }
    }
    for name in new.operations.keys() {
        if !old.operations.contains_key(name) {
            changes.push(change(
                op,
                name,
                Impact::Additive,
                format!("added operation `{name}`"),
            ));
        }
    }
}

fn optional_type(type_name: Option<&str>) -> &str {
    type_name.unwrap_or("none")
}

fn type_list(types: &BTreeSet<String>) -> String {
    format!("[{}]", types.iter().cloned().collect::<Vec<_>>().join(", "))
}

fn diff_types(old: &Api, new: &Api, changes: &mut Vec<Change>) {
    let types = Section::Types;
    let mut property_changes = BTreeMap::new();
    for (name, before) in &old.schemas {
        let Some(after) = new.schemas.get(name) else {
            changes.push(change(
                types,
                name,
                Impact::Breaking,
                format!("removed type `{name}`"),
            ));
            continue;
        };
        if before.kind != after.kind {
            let text = format!("changed type `{name}`: {} → {}", before.kind, after.kind);
            changes.push(change(types, name, Impact::Breaking, text));
        }
        if before.bases != after.bases {
            let text = format!(
                "changed base types of `{name}`: {} → {}",
                type_list(&before.bases),
                type_list(&after.bases)
            );
            changes.push(change(types, name, Impact::Breaking, text));
        }
        diff_members(name, before, after, changes);
        property_changes.insert(name.as_str(), diff_properties(before, after));
    }
    for name in new.schemas.keys() {
        if !old.schemas.contains_key(name) {
            changes.push(change(
                types,
                name,
                Impact::Additive,
                format!("added type `{name}`"),
            ));
        }
    }
    report_property_changes(old, new, &property_changes, changes);
}

fn diff_members(name: &str, before: &Schema, after: &Schema, changes: &mut Vec<Change>) {
    let section = Section::EnumMembers;
    for member in before.members.difference(&after.members) {
        let text = format!("removed member `{member}` of `{name}`");
        changes.push(change(section, name, Impact::Breaking, text));
    }
    for member in after.members.difference(&before.members) {
        let text = format!("added member `{member}` to `{name}`");
        changes.push(change(section, name, Impact::Additive, text));
    }
}

/// A property change, worded without the schema so that a base's and a derived type's
/// identical changes compare equal.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PropertyChange {
    property: String,
    impact: Impact,
    /// `{}` stands for the property's qualified name.
    template: String,
}

fn property_change(property: &str, impact: Impact, template: String) -> PropertyChange {
    PropertyChange {
        property: property.to_owned(),
        impact,
        template,
    }
}

fn diff_properties(before: &Schema, after: &Schema) -> Vec<PropertyChange> {
    let mut found = Vec::new();
    for (name, old) in &before.properties {
        let Some(new) = after.properties.get(name) else {
            found.push(property_change(
                name,
                Impact::Breaking,
                format!("removed property {{}} ({old})"),
            ));
            continue;
        };
        if old.type_name != new.type_name {
            let text = format!(
                "changed type of property {{}}: {} → {}",
                old.type_name, new.type_name
            );
            found.push(property_change(name, Impact::Breaking, text));
        }
        if old.nullable != new.nullable {
            let text = if new.nullable {
                "made property {} nullable"
            } else {
                "made property {} non-nullable"
            };
            found.push(property_change(name, Impact::Breaking, text.to_owned()));
        }
        if old.required != new.required {
            let (impact, text) = if new.required {
                (Impact::Breaking, "made property {} required")
            } else {
                (Impact::Additive, "made property {} optional")
            };
            found.push(property_change(name, impact, text.to_owned()));
        }
    }
    for (name, new) in &after.properties {
        if !before.properties.contains_key(name) {
            let (impact, kind) = if new.required {
                (Impact::Breaking, "required")
            } else {
                (Impact::Additive, "optional")
            };
            found.push(property_change(
                name,
                impact,
                format!("added {kind} property {{}} ({new})"),
            ));
        }
    }
    found
}

/// Reports each property change on the most basic type that has it: a change a direct base
/// (old or new) also has is that base's change, reported there.
fn report_property_changes(
    old: &Api,
    new: &Api,
    property_changes: &BTreeMap<&str, Vec<PropertyChange>>,
    changes: &mut Vec<Change>,
) {
    for (schema, found) in property_changes {
        let bases: BTreeSet<&String> = [old.schemas.get(*schema), new.schemas.get(*schema)]
            .into_iter()
            .flatten()
            .flat_map(|s| &s.bases)
            .collect();
        for property_change in found {
            let inherited = bases.iter().any(|base| {
                property_changes
                    .get(base.as_str())
                    .is_some_and(|base_changes| base_changes.contains(property_change))
            });
            if inherited {
                continue;
            }
            let qualified = format!("`{schema}.{}`", property_change.property);
            let text = property_change.template.replacen("{}", &qualified, 1);
            changes.push(change(
                Section::Properties,
                schema,
                property_change.impact,
                text,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = r##"openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ns.thing'
components:
  schemas:
    ns.entity:
      type: object
      properties:
        id: {type: string}
    ns.thing:
      allOf:
        - $ref: '#/components/schemas/ns.entity'
        - type: object
          properties:
            name: {type: string, nullable: true}
            colour:
              anyOf:
                - $ref: '#/components/schemas/ns.colour'
                - {type: object, nullable: true}
    ns.colour:
      type: string
      enum: [red, green]
"##;

    fn lines(report: &str, impact: &str) -> Vec<String> {
        let marker = format!("**{impact}**");
        report
            .lines()
            .filter(|l| l.contains(&marker))
            .map(str::to_owned)
            .collect()
    }

    fn changes_between(old: &str, new: &str) -> Vec<Change> {
        let old = crate::trim::parse_document(old, false).expect("old parses");
        let new = crate::trim::parse_document(new, false).expect("new parses");
        diff(&old, &new)
    }

    #[test]
    fn a_removed_property_breaks_and_a_new_enum_member_does_not() {
        let new = OLD
            .replace("            name: {type: string, nullable: true}\n", "")
            .replace("[red, green]", "[red, green, blue]");
        let changes = changes_between(OLD, &new);
        let report = render("old.yaml", "new.yaml", &changes);
        assert_eq!(
            lines(&report, "breaking"),
            ["- **breaking** removed property `ns.thing.name` (string, nullable)"]
        );
        assert_eq!(
            lines(&report, "additive"),
            ["- **additive** added member `blue` to `ns.colour`"]
        );
        assert!(report.contains("1 breaking, 1 additive"));
        assert!(report.contains("## Properties") && report.contains("## Enum members"));
    }

    #[test]
    fn each_rule_is_applied() {
        let new = OLD
            .replace("id: {type: string}", "id: {type: string}\n        etag: {type: string}")
            .replace("name: {type: string, nullable: true}", "name: {type: integer}")
            .replace("  /things:\n", "  /things/{id}:\n    delete:\n      responses: {'204': {description: gone}}\n  /things:\n")
            .replace(
                "    ns.colour:\n",
                "    ns.shape:\n      type: object\n      required: [sides]\n      properties:\n        sides: {type: integer}\n    ns.colour:\n",
            )
            .replace("[red, green]", "[red]");
        let changes = changes_between(OLD, &new);
        let texts: Vec<(Impact, &str)> = changes
            .iter()
            .map(|c| (c.impact, c.text.as_str()))
            .collect();
        assert_eq!(
            texts,
            [
                (Impact::Additive, "added operation `DELETE /things/{id}`"),
                (Impact::Additive, "added type `ns.shape`"),
                // Added to the base: reported once, not again on ns.thing.
                (
                    Impact::Additive,
                    "added optional property `ns.entity.etag` (string)"
                ),
                (
                    Impact::Breaking,
                    "changed type of property `ns.thing.name`: string → integer"
                ),
                (
                    Impact::Breaking,
                    "made property `ns.thing.name` non-nullable"
                ),
                (Impact::Breaking, "removed member `green` of `ns.colour`"),
            ]
        );
    }

    #[test]
    fn required_and_moved_properties() {
        let required = OLD.replace(
            "        - type: object\n          properties:\n",
            "        - type: object\n          required: [name, size]\n          properties:\n            size: {type: integer}\n",
        );
        let texts: Vec<String> = changes_between(OLD, &required)
            .into_iter()
            .map(|c| format!("{} {}", c.impact, c.text))
            .collect();
        assert_eq!(
            texts,
            [
                "breaking added required property `ns.thing.size` (integer)",
                "breaking made property `ns.thing.name` required",
            ]
        );
        // `name` moves from ns.thing to its base: every type still has what it had.
        let moved = OLD
            .replace("            name: {type: string, nullable: true}\n", "")
            .replace(
                "id: {type: string}",
                "id: {type: string}\n        name: {type: string, nullable: true}",
            );
        let texts: Vec<String> = changes_between(OLD, &moved)
            .into_iter()
            .map(|c| c.text)
            .collect();
        assert_eq!(
            texts,
            ["added optional property `ns.entity.name` (string, nullable)"]
        );
    }

    #[test]
    fn the_project_spec_has_no_changes_against_itself() {
        let root = crate::workspace_root();
        let spec = root.join(crate::check::V1_0.spec);
        let spec = spec.to_str().expect("UTF-8 path");
        let document = load(spec, &root).expect("loads");
        assert!(diff(&document, &document).is_empty());
        let api = Api::read(&document);
        assert!(api.operations.len() > 50 && api.schemas.len() > 50);
        // Inherited properties are seen through allOf.
        let instance = &api.schemas["microsoft.graph.accessReviewInstance"];
        assert!(instance.properties.contains_key("id"));
    }

    #[test]
    fn a_revision_and_path_reads_from_git() {
        let root = crate::workspace_root();
        let in_checkout = Command::new("git")
            .args(["rev-parse", "--verify", "HEAD"])
            .current_dir(&root)
            .output()
            .is_ok_and(|o| o.status.success());
        if !in_checkout {
            println!(
                "note: {} is not a git checkout; skipping this test",
                root.display()
            );
            return;
        }
        let spec = format!("HEAD:{}", crate::check::V1_0.spec);
        let document = load(&spec, &root).expect("reads from git");
        assert!(document
            .get("paths")
            .and_then(Value::as_mapping)
            .is_some_and(|p| !p.is_empty()));
        assert!(load("HEAD:no/such/file.yaml", &root).is_err());
        assert!(load("no-such-file.yaml", &root).is_err());
    }

    #[test]
    fn nullable_forms_are_recognised() {
        let parse = |text: &str| crate::trim::parse_document(text, false).expect("parses");
        assert_eq!(
            describe(&parse("$ref: '#/components/schemas/a'")),
            ("a".to_owned(), false)
        );
        assert_eq!(
            describe(&parse(
                "anyOf: [{$ref: '#/components/schemas/a'}, {type: object, nullable: true}]"
            )),
            ("a".to_owned(), true)
        );
        assert_eq!(
            describe(&parse(
                "allOf: [{$ref: '#/components/schemas/a'}]\nnullable: true"
            )),
            ("a".to_owned(), true)
        );
        assert_eq!(
            describe(&parse("type: array\nitems: {type: string, format: uuid}")),
            ("array of string (uuid)".to_owned(), false)
        );
        assert_eq!(
            describe(&parse("oneOf: [{type: string}, {type: number}]")),
            ("one of [number, string]".to_owned(), false)
        );
    }
}
