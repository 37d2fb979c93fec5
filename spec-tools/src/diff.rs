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
//! Both documents are read as plain trees (see [`crate::openapi`]), so `allOf`/`anyOf` forms
//! are seen exactly as written; nullable references written as `anyOf: [$ref, {nullable: true}]`
//! or `allOf: [$ref]` + `nullable: true` are the reference plus nullability.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;
use std::process::Command;

use serde_yaml_ng::Value;

use crate::error::{Error, Result};
use crate::openapi::{
    base_names, describe, entries, enum_members, follow, is_json, operations, parse_document,
    property_layers, required_names, schemas, Shape,
};

const JSON_MEDIA_TYPE: &str = "application/json";

/// `cargo xtask diff OLD NEW`: loads both specs (see [`load`]; `REV:PATH` is read with git in
/// `root`) and compares them.
pub fn run(old: &str, new: &str, root: &Path) -> Result<Report> {
    let old_document = load(old, root)?;
    let new_document = load(new, root)?;
    Ok(Report {
        old: old.to_owned(),
        new: new.to_owned(),
        changes: compare(&old_document, &new_document),
    })
}

/// Reads a spec named by a file path or by `REV:PATH` (the file at a git revision, read with
/// `git show` in `root`, so PATH is relative to it). A file is read as JSON when its name ends
/// in `.json`, else as YAML.
pub fn load(spec: &str, root: &Path) -> Result<Value> {
    let path = Path::new(spec);
    let (text, file) = if path.is_file() {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?;
        (text, spec)
    } else if let Some((revision, file)) = spec
        .split_once(':')
        .filter(|(r, f)| !r.is_empty() && !f.is_empty())
    {
        (git_show(revision, file, root)?, file)
    } else {
        return Err(Error::NoSuchSpec {
            spec: spec.to_owned(),
        });
    };
    parse_document(&text, is_json(Path::new(file))).map_err(|source| Error::Parse {
        what: spec.to_owned(),
        source,
    })
}

fn git_show(revision: &str, file: &str, root: &Path) -> Result<String> {
    let object = format!("{revision}:{file}");
    let output = Command::new("git")
        .arg("show")
        .arg(&object)
        .current_dir(root)
        .output()
        .map_err(Error::GitUnavailable)?;
    if !output.status.success() {
        let message = String::from_utf8_lossy(&output.stderr).trim().to_owned();
        return Err(Error::Git { object, message });
    }
    String::from_utf8(output.stdout).map_err(|source| Error::NotUtf8 { object, source })
}

// ---- changes and the report ----

/// The report's sections, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    /// Operations: path and method.
    Operations,
    /// Component schemas as a whole.
    Types,
    /// Properties of component schemas, own and inherited.
    Properties,
    /// Members of component enums.
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

/// What a change means to a client built on the old version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// The client may stop compiling or working.
    Breaking,
    /// The client goes on working; it just does not use what is new.
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

/// Whether something appeared, disappeared or was altered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// Only the new document has it.
    Added,
    /// Only the old document has it.
    Removed,
    /// Both have it, in different forms.
    Changed,
}

impl Kind {
    /// The lowercase word for it, as machine-readable reports spell it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Added => "added",
            Kind::Removed => "removed",
            Kind::Changed => "changed",
        }
    }
}

impl Section {
    /// The section's name as machine-readable reports spell it.
    pub fn name(self) -> &'static str {
        match self {
            Section::Operations => "operations",
            Section::Types => "types",
            Section::Properties => "properties",
            Section::EnumMembers => "enum-members",
        }
    }
}

/// One line of the report. Field order is the sort order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// The report section it is listed in.
    pub section: Section,
    /// The operation or type the change is about, for sorting.
    pub subject: String,
    /// The line of the report, without the impact marker.
    pub text: String,
    /// Breaking or additive.
    pub impact: Impact,
    /// Added, removed or changed.
    pub kind: Kind,
    /// A JSON pointer to what changed, in whichever document has it (the new one for an
    /// addition or a change, the old one for a removal). A property's pointer names it
    /// under its schema's `properties`, even when the schema inherits it through `allOf`.
    pub pointer: String,
}

/// Where the change is and what it is, for [`change`].
struct At<'a> {
    section: Section,
    subject: &'a str,
    pointer: String,
}

fn change(at: At<'_>, impact: Impact, kind: Kind, text: String) -> Change {
    Change {
        section: at.section,
        subject: at.subject.to_owned(),
        text,
        impact,
        kind,
        pointer: at.pointer,
    }
}

/// One JSON pointer reference token: `~` and `/` escaped (RFC 6901).
fn token(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// The pointer of a schema component.
fn schema_pointer(name: &str) -> String {
    format!("/components/schemas/{}", token(name))
}

/// The pointer of an operation named `METHOD /path`, as [`Api::read`] names them.
fn operation_pointer(name: &str) -> String {
    match name.split_once(' ') {
        Some((method, path)) => format!("/paths/{}/{}", token(path), method.to_lowercase()),
        None => format!("/paths/{}", token(name)),
    }
}

/// The pointer of `section`'s subject `name`: an operation or a schema.
fn subject_pointer(section: Section, name: &str) -> String {
    match section {
        Section::Operations => operation_pointer(name),
        _ => schema_pointer(name),
    }
}

/// What changed from one spec to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// How the old spec was named (a file or `REV:PATH`).
    pub old: String,
    /// How the new spec was named.
    pub new: String,
    /// Every change, sorted by section, subject and text.
    pub changes: Vec<Change>,
}

impl Report {
    /// How many of the changes are breaking.
    pub fn breaking(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| c.impact == Impact::Breaking)
            .count()
    }
}

/// The Markdown report: a summary line, then one list per section that has changes.
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let breaking = self.breaking();
        writeln!(f, "# API diff\n")?;
        writeln!(
            f,
            "`{}` → `{}`: {breaking} breaking, {} additive",
            self.old,
            self.new,
            self.changes.len() - breaking
        )?;
        let mut section = None;
        for change in &self.changes {
            if section != Some(change.section) {
                section = Some(change.section);
                writeln!(f, "\n## {}\n", change.section.title())?;
            }
            writeln!(f, "- **{}** {}", change.impact, change.text)?;
        }
        if self.changes.is_empty() {
            writeln!(f, "\nNo changes.")?;
        }
        Ok(())
    }
}

/// Every change from `old` to `new`, sorted.
pub fn compare(old: &Value, new: &Value) -> Vec<Change> {
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
        let mut found = BTreeMap::new();
        for (path, item) in entries(document.get("paths")) {
            for (method, operation) in operations(item) {
                found.insert(
                    format!("{} {path}", method.to_uppercase()),
                    read_operation(document, operation),
                );
            }
        }
        Api {
            operations: found,
            schemas: schemas(document)
                .map(|(name, schema)| (name, read_schema(document, schema)))
                .collect(),
        }
    }
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
        .map(|schema| type_text(&describe(schema).shape));
    let responses = entries(operation.get("responses"))
        .filter(|(status, _)| status.starts_with('2'))
        .filter_map(|(status, response)| {
            let schema = json_schema(document, response)?;
            Some(format!("{status}: {}", type_text(&describe(schema).shape)))
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
        type_text(&describe(schema).shape)
    };
    Schema {
        kind,
        bases: base_names(schema).map(str::to_owned).collect(),
        properties: properties(document, schema),
        members: enum_members(schema).unwrap_or_default(),
    }
}

fn is_object(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("object")
        || schema.get("properties").is_some()
        || schema.get("allOf").is_some()
}

/// A schema's own and inherited properties: what its `allOf` parts declare (references are
/// followed), overridden by what it declares itself; `required` applies to what is declared so
/// far at its level.
fn properties(document: &Value, schema: &Value) -> BTreeMap<String, Property> {
    let mut properties = BTreeMap::new();
    for layer in property_layers(schema, &|part| Some(follow(document, part))) {
        for (name, property) in entries(layer.get("properties")) {
            let described = describe(property);
            let property = Property {
                type_name: type_text(&described.shape),
                nullable: described.nullable,
                required: false,
            };
            properties.insert(name, property);
        }
        for name in required_names(layer) {
            if let Some(property) = properties.get_mut(name) {
                property.required = true;
            }
        }
    }
    properties
}

/// A type in the report's words: a schema by its name, `array of X`, `one of [X, Y]`, an
/// inline object member by member (`{value: array of X, next: string?}`), a `type` with its
/// format (`string (date-time)`), or `any`.
fn type_text(shape: &Shape) -> String {
    match shape {
        Shape::Ref(name) => name.clone(),
        Shape::Array(None) => "array".to_owned(),
        Shape::Array(Some(items)) if items.nullable => {
            format!("array of {} (nullable items)", type_text(&items.shape))
        }
        Shape::Array(Some(items)) => format!("array of {}", type_text(&items.shape)),
        Shape::Union(members) => {
            // Sorted by how they read, and alternatives that read the same are one.
            let texts: BTreeSet<String> = members.iter().map(type_text).collect();
            let texts: Vec<String> = texts.into_iter().collect();
            match texts.as_slice() {
                [only] => only.clone(),
                _ => format!("one of [{}]", texts.join(", ")),
            }
        }
        Shape::Plain {
            properties: Some(properties),
            ..
        } => {
            let members: Vec<String> = properties
                .iter()
                .map(|(name, property)| {
                    let marker = if property.nullable { "?" } else { "" };
                    format!("{name}: {}{marker}", type_text(&property.shape))
                })
                .collect();
            format!("{{{}}}", members.join(", "))
        }
        Shape::Plain {
            kind: Some(kind),
            format: Some(format),
            ..
        } => format!("{kind} ({format})"),
        Shape::Plain {
            kind: Some(kind), ..
        } => kind.clone(),
        Shape::Plain { kind: None, .. } => "any".to_owned(),
    }
}

// ---- comparing ----

/// Lists what only `old` has as removed (breaking) and what only `new` has as added (additive),
/// naming each `{noun} \`name\``; returns what both have, old and new side by side.
fn match_up<'a, T>(
    section: Section,
    noun: &str,
    old: &'a BTreeMap<String, T>,
    new: &'a BTreeMap<String, T>,
    changes: &mut Vec<Change>,
) -> Vec<(&'a str, &'a T, &'a T)> {
    for name in old.keys().filter(|name| !new.contains_key(*name)) {
        let text = format!("removed {noun} `{name}`");
        let at = At {
            section,
            subject: name,
            pointer: subject_pointer(section, name),
        };
        changes.push(change(at, Impact::Breaking, Kind::Removed, text));
    }
    for name in new.keys().filter(|name| !old.contains_key(*name)) {
        let text = format!("added {noun} `{name}`");
        let at = At {
            section,
            subject: name,
            pointer: subject_pointer(section, name),
        };
        changes.push(change(at, Impact::Additive, Kind::Added, text));
    }
    old.iter()
        .filter_map(|(name, before)| Some((name.as_str(), before, new.get(name)?)))
        .collect()
}

fn diff_operations(old: &Api, new: &Api, changes: &mut Vec<Change>) {
    let op = Section::Operations;
    for (name, before, after) in
        match_up(op, "operation", &old.operations, &new.operations, changes)
    {
        let request = |request: &Option<String>| request.as_deref().unwrap_or("none").to_owned();
        changes.extend(changed(
            (op, name, "request body", "/requestBody"),
            (&before.request, &after.request),
            request,
        ));
        changes.extend(changed(
            (op, name, "success responses", "/responses"),
            (&before.responses, &after.responses),
            type_list,
        ));
    }
}

/// A breaking change when `before` and `after` differ: `changed {what} of \`{name}\`: {old} →
/// {new}`, each side worded by `words`; `suffix` extends the subject's pointer to the part.
fn changed<T: PartialEq>(
    (section, name, what, suffix): (Section, &str, &str, &str),
    (before, after): (&T, &T),
    words: impl Fn(&T) -> String,
) -> Option<Change> {
    (before != after).then(|| {
        let text = format!(
            "changed {what} of `{name}`: {} → {}",
            words(before),
            words(after)
        );
        let at = At {
            section,
            subject: name,
            pointer: subject_pointer(section, name) + suffix,
        };
        change(at, Impact::Breaking, Kind::Changed, text)
    })
}

fn type_list(types: &BTreeSet<String>) -> String {
    format!("[{}]", types.iter().cloned().collect::<Vec<_>>().join(", "))
}

fn diff_types(old: &Api, new: &Api, changes: &mut Vec<Change>) {
    let types = Section::Types;
    let mut property_changes = BTreeMap::new();
    for (name, before, after) in match_up(types, "type", &old.schemas, &new.schemas, changes) {
        if before.kind != after.kind {
            let text = format!("changed type `{name}`: {} → {}", before.kind, after.kind);
            let at = At {
                section: types,
                subject: name,
                pointer: schema_pointer(name),
            };
            changes.push(change(at, Impact::Breaking, Kind::Changed, text));
        }
        changes.extend(changed(
            (types, name, "base types", "/allOf"),
            (&before.bases, &after.bases),
            type_list,
        ));
        diff_members(name, before, after, changes);
        property_changes.insert(name, diff_properties(before, after));
    }
    report_property_changes(old, new, &property_changes, changes);
}

fn diff_members(name: &str, before: &Schema, after: &Schema, changes: &mut Vec<Change>) {
    let section = Section::EnumMembers;
    for member in before.members.difference(&after.members) {
        let text = format!("removed member `{member}` of `{name}`");
        let at = At {
            section,
            subject: name,
            pointer: schema_pointer(name) + "/enum",
        };
        changes.push(change(at, Impact::Breaking, Kind::Removed, text));
    }
    for member in after.members.difference(&before.members) {
        let text = format!("added member `{member}` to `{name}`");
        let at = At {
            section,
            subject: name,
            pointer: schema_pointer(name) + "/enum",
        };
        changes.push(change(at, Impact::Additive, Kind::Added, text));
    }
}

/// A property change, worded without the schema so that a base's and a derived type's
/// identical changes compare equal.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PropertyChange {
    property: String,
    impact: Impact,
    kind: Kind,
    /// `{}` stands for the property's qualified name.
    template: String,
}

fn property_change(
    property: &str,
    (impact, kind): (Impact, Kind),
    template: String,
) -> PropertyChange {
    PropertyChange {
        property: property.to_owned(),
        impact,
        kind,
        template,
    }
}

fn diff_properties(before: &Schema, after: &Schema) -> Vec<PropertyChange> {
    let mut found = Vec::new();
    for (name, old) in &before.properties {
        let Some(new) = after.properties.get(name) else {
            found.push(property_change(
                name,
                (Impact::Breaking, Kind::Removed),
                format!("removed property {{}} ({old})"),
            ));
            continue;
        };
        if old.type_name != new.type_name {
            let text = format!(
                "changed type of property {{}}: {} → {}",
                old.type_name, new.type_name
            );
            found.push(property_change(
                name,
                (Impact::Breaking, Kind::Changed),
                text,
            ));
        }
        if old.nullable != new.nullable {
            let text = if new.nullable {
                "made property {} nullable"
            } else {
                "made property {} non-nullable"
            };
            found.push(property_change(
                name,
                (Impact::Breaking, Kind::Changed),
                text.to_owned(),
            ));
        }
        if old.required != new.required {
            let (impact, text) = if new.required {
                (Impact::Breaking, "made property {} required")
            } else {
                (Impact::Additive, "made property {} optional")
            };
            found.push(property_change(
                name,
                (impact, Kind::Changed),
                text.to_owned(),
            ));
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
                (impact, Kind::Added),
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
            let at = At {
                section: Section::Properties,
                subject: schema,
                pointer: format!(
                    "{}/properties/{}",
                    schema_pointer(schema),
                    token(&property_change.property)
                ),
            };
            changes.push(change(
                at,
                property_change.impact,
                property_change.kind,
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
        let old = parse_document(old, false).expect("old parses");
        let new = parse_document(new, false).expect("new parses");
        compare(&old, &new)
    }

    #[test]
    fn a_removed_property_breaks_and_a_new_enum_member_does_not() {
        let new = OLD
            .replace("            name: {type: string, nullable: true}\n", "")
            .replace("[red, green]", "[red, green, blue]");
        let changes = changes_between(OLD, &new);
        let report = Report {
            old: "old.yaml".to_owned(),
            new: "new.yaml".to_owned(),
            changes,
        }
        .to_string();
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
        let places: Vec<(Kind, &str)> = changes
            .iter()
            .map(|c| (c.kind, c.pointer.as_str()))
            .collect();
        assert_eq!(
            places,
            [
                (Kind::Added, "/paths/~1things~1{id}/delete"),
                (Kind::Added, "/components/schemas/ns.shape"),
                (Kind::Added, "/components/schemas/ns.entity/properties/etag"),
                (
                    Kind::Changed,
                    "/components/schemas/ns.thing/properties/name"
                ),
                (
                    Kind::Changed,
                    "/components/schemas/ns.thing/properties/name"
                ),
                (Kind::Removed, "/components/schemas/ns.colour/enum"),
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
        assert!(compare(&document, &document).is_empty());
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
    fn types_are_worded_with_their_nullability() {
        let cases = [
            ("$ref: '#/components/schemas/a'", "a", false),
            (
                "anyOf: [{$ref: '#/components/schemas/a'}, {type: object, nullable: true}]",
                "a",
                true,
            ),
            (
                "allOf: [{$ref: '#/components/schemas/a'}]\nnullable: true",
                "a",
                true,
            ),
            (
                "type: array\nitems: {type: string, format: uuid}",
                "array of string (uuid)",
                false,
            ),
            (
                "type: array\nitems: {type: string, nullable: true}",
                "array of string (nullable items)",
                false,
            ),
            (
                "oneOf: [{type: string}, {type: number}]",
                "one of [number, string]",
                false,
            ),
            (
                "type: object\nproperties: {value: {type: array, items: {$ref: '#/components/schemas/a'}}, next: {type: string, nullable: true}}",
                "{value: array of a, next: string?}",
                false,
            ),
            ("description: anything", "any", false),
        ];
        for (schema, text, nullable) in cases {
            let described = describe(&parse_document(schema, false).expect("parses"));
            assert_eq!(
                (type_text(&described.shape).as_str(), described.nullable),
                (text, nullable),
                "{schema}"
            );
        }
    }
}
