//! `cargo xtask spec-check`: compares the project's OpenAPI description of access reviews
//! (`spec/<version>/access-reviews.yaml`, for v1.0 or beta) with Microsoft's upstream document
//! and reports every difference that `spec/<version>/upstream-differences.yaml` does not
//! explain, and every entry of that file that no longer describes a real difference.
//!
//! Both documents are read as plain trees (see [`crate::openapi`]) rather than through
//! openapiv3: the check only needs paths, methods, property names and a few type keywords, and a
//! raw tree shows every schema form (`allOf` mixed with other keywords, `anyOf` nullability)
//! exactly as written.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde_yaml_ng::Value;

use crate::error::{Error, Result};
use crate::openapi::{
    base_names, describe, entries, enum_members, operations, property_layers, read_document,
    reference, schema_name, Shape,
};

/// What one API version's check compares: the project's spec and its list of intended
/// differences (relative to the workspace root), and which part of upstream they describe.
#[derive(Debug, Clone, Copy)]
pub struct Version {
    /// The name `--version` takes.
    pub name: &'static str,
    /// The project's spec of this version, relative to the workspace root.
    pub spec: &'static str,
    /// Its list of intended differences from upstream, relative to the workspace root.
    pub differences: &'static str,
    /// The path prefixes the spec describes. Upstream paths below one of them are compared
    /// subtree by subtree: a subtree (the first segment below the prefix, in our spelling) is
    /// compared when ours has at least one path in it, or when it is required.
    scopes: &'static [&'static str],
    /// Path prefixes (in our spelling) that ours must cover completely.
    required: &'static [&'static str],
}

/// The v1.0 spec: identityGovernance/accessReviews, of which the definitions subtree is
/// required.
pub const V1_0: Version = Version {
    name: "v1.0",
    spec: "spec/v1.0/access-reviews.yaml",
    differences: "spec/v1.0/upstream-differences.yaml",
    scopes: &["/identityGovernance/accessReviews"],
    required: &["/identityGovernance/accessReviews/definitions"],
};

/// The beta spec: identityGovernance/accessReviews and the legacy /accessReviews API, whose
/// definitions subtree and legacy API are required.
pub const BETA: Version = Version {
    name: "beta",
    spec: "spec/beta/access-reviews.yaml",
    differences: "spec/beta/upstream-differences.yaml",
    scopes: &["/identityGovernance/accessReviews", "/accessReviews"],
    required: &[
        "/identityGovernance/accessReviews/definitions",
        "/accessReviews",
    ],
};

/// The versions `--version` accepts.
pub const VERSIONS: [Version; 2] = [V1_0, BETA];

impl Version {
    /// The version called `name` (`v1.0` or `beta`).
    pub fn named(name: &str) -> Result<Version> {
        VERSIONS
            .into_iter()
            .find(|version| version.name == name)
            .ok_or_else(|| Error::UnknownVersion {
                name: name.to_owned(),
                expected: join(VERSIONS.iter().map(|version| version.name)),
            })
    }

    /// The subtree of one of the scopes a path (in our spelling) lies in: the scope and the
    /// first segment below it (`""` for the scope itself), or `None` outside every scope.
    fn subtree<'p>(&self, path: &'p str) -> Option<(&'static str, &'p str)> {
        self.scopes.iter().find_map(|&scope| {
            let rest = path.strip_prefix(scope)?;
            if rest.is_empty() {
                return Some((scope, ""));
            }
            let rest = rest.strip_prefix('/')?;
            Some((scope, rest.split('/').next().unwrap_or(rest)))
        })
    }

    /// Whether ours must have this path (in our spelling) if upstream has it.
    fn is_required(&self, path: &str) -> bool {
        self.required.iter().any(|prefix| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    }
}

/// `cargo xtask spec-check`: checks the project's spec of `version` (below `root`, the
/// workspace) against Microsoft's document `upstream`.
pub fn run(root: &Path, upstream: &Path, version: &str) -> Result<Outcome> {
    let version = Version::named(version)?;
    compare(
        &root.join(version.spec),
        &root.join(version.differences),
        upstream,
        &version,
    )
}

/// What a check found: one line for each difference left unexplained (and each entry of the
/// differences file that explains nothing), with the counts of what was compared.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The version checked (`v1.0` or `beta`).
    pub version: &'static str,
    /// The unexplained differences and stale entries, one message each.
    pub lines: Vec<String>,
    /// How many upstream paths were compared.
    pub upstream_paths: usize,
    /// How many upstream operations those paths have.
    pub operations: usize,
    /// How many schemas both documents have.
    pub shared_schemas: usize,
}

impl Outcome {
    /// Whether every difference was explained.
    pub fn is_clean(&self) -> bool {
        self.lines.is_empty()
    }

    /// The closing line: what was compared, and how many differences were left unexplained.
    pub fn summary(&self) -> String {
        format!(
            "spec check ({}): {} upstream paths, {} operations, {} shared schemas compared; {} unexplained differences",
            self.version,
            self.upstream_paths,
            self.operations,
            self.shared_schemas,
            self.lines.len()
        )
    }
}

fn compare(ours: &Path, differences: &Path, upstream: &Path, version: &Version) -> Result<Outcome> {
    let ours: Value = read_document(ours)?;
    let upstream: Value = read_document(upstream)?;
    let differences: Differences = read_document(differences)?;

    let mut outcome = Outcome {
        version: version.name,
        ..Outcome::default()
    };
    let rules = rewrite_rules(&differences.path_rewrites, &mut outcome.lines);
    compare_paths(
        &ours,
        &upstream,
        &rules,
        &differences,
        version,
        &mut outcome,
    );
    compare_schemas(&ours, &upstream, &differences, &mut outcome);
    Ok(outcome)
}

// ---------------------------------------------------------------------------------------------
// The differences file

/// The sections of upstream-differences.yaml the check reads. The prose sections
/// (representation_changes, dropped_from_upstream, not_added) describe differences this check
/// ignores by construction (nullability form, discriminators, patterns, descriptions), so
/// they are not parsed.
#[derive(Debug, Default, Deserialize)]
struct Differences {
    #[serde(default)]
    path_rewrites: Vec<PathRewrite>,
    #[serde(default)]
    added_schemas: Vec<AddedSchema>,
    #[serde(default)]
    changed_properties: Vec<ChangedProperty>,
    #[serde(default)]
    omitted_properties: Vec<OmittedProperty>,
    #[serde(default)]
    extra_paths: Vec<ExtraPath>,
    #[serde(default)]
    extra_operations: Vec<ExtraOperation>,
    #[serde(default)]
    added_responses: Vec<AddedResponse>,
    #[serde(default)]
    typed_strings: Vec<TypedString>,
}

/// An enum of ours that types string properties whose values the documentation lists: the
/// enum is a schema upstream lacks, and each listed property is a plain string upstream (or an
/// array of them) where ours refers to the enum. Properties are written `schema.property`
/// (split at the last dot). Request bodies are not compared with upstream, so the entry only
/// names them in prose.
#[derive(Debug, Deserialize)]
struct TypedString {
    #[serde(rename = "enum")]
    name: String,
    #[serde(default)]
    properties: Vec<String>,
}

/// An operation of ours on a path upstream has, where upstream lacks that method.
#[derive(Debug, Deserialize)]
struct ExtraOperation {
    method: String,
    path: String,
}

/// A response status of ours that upstream's operation lacks (the beta docs answer some PATCH
/// requests with 200 OK and the object). Response codes are not compared in general; a listed
/// entry is only checked to still describe a real difference.
#[derive(Debug, Deserialize)]
struct AddedResponse {
    method: String,
    path: String,
    status: String,
}

#[derive(Debug, Deserialize)]
struct PathRewrite {
    rule: String,
    example: Option<RewriteExample>,
}

#[derive(Debug, Deserialize)]
struct RewriteExample {
    upstream: String,
    ours: String,
}

#[derive(Debug, Deserialize)]
struct AddedSchema {
    name: String,
    /// Set when upstream's file has the schema but does not reach it from the access review
    /// paths; such a schema is still compared property by property.
    #[serde(default)]
    in_upstream_file: bool,
}

#[derive(Debug, Deserialize)]
struct ChangedProperty {
    schema: String,
    property: String,
    change: String,
}

#[derive(Debug, Deserialize)]
struct OmittedProperty {
    schema: String,
    property: String,
    target: Option<String>,
}

/// A path of ours that upstream lacks: written either as the bare path or as a mapping with a
/// `path` (and a reason, which the check does not need).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum ExtraPath {
    Bare(String),
    Entry { path: String },
}

impl ExtraPath {
    fn path(&self) -> &str {
        match self {
            ExtraPath::Bare(path) | ExtraPath::Entry { path } => path,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Paths

/// A path rewrite rule of the differences file, turning an upstream path into ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// `microsoft.graph.stop` -> `stop`.
    DropActionNamespace,
    /// `{accessReviewScheduleDefinition-id}` -> `{accessReviewScheduleDefinitionId}`.
    RenamePathParameters,
}

impl Rule {
    fn parse(name: &str) -> Option<Rule> {
        match name {
            "drop-action-namespace" => Some(Rule::DropActionNamespace),
            "rename-path-parameters" => Some(Rule::RenamePathParameters),
            _ => None,
        }
    }

    fn apply(self, segment: &str) -> String {
        match self {
            Rule::DropActionNamespace => segment
                .strip_prefix("microsoft.graph.")
                .unwrap_or(segment)
                .to_owned(),
            Rule::RenamePathParameters => camel_case_placeholders(segment),
        }
    }
}

/// Turns every `{kebab-name}` placeholder of a path segment into `{kebabName}`; the rest of
/// the segment (`$count`, function arguments) is left as it is.
fn camel_case_placeholders(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    let mut in_placeholder = false;
    let mut upper_next = false;
    for c in segment.chars() {
        match c {
            '{' => in_placeholder = true,
            '}' => in_placeholder = false,
            '-' if in_placeholder => {
                upper_next = true;
                continue;
            }
            _ => {}
        }
        if upper_next {
            out.extend(c.to_uppercase());
            upper_next = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Spells an upstream path the way ours does.
fn rewrite_path(path: &str, rules: &[Rule]) -> String {
    path.split('/')
        .map(|segment| {
            rules
                .iter()
                .fold(segment.to_owned(), |segment, rule| rule.apply(&segment))
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The rules the differences file lists. Each rule's example must still hold, so the file and
/// this implementation of its rules cannot drift apart unnoticed.
fn rewrite_rules(entries: &[PathRewrite], lines: &mut Vec<String>) -> Vec<Rule> {
    let mut rules = Vec::new();
    for entry in entries {
        match Rule::parse(&entry.rule) {
            Some(rule) => rules.push(rule),
            None => lines.push(format!(
                "path_rewrites {}: unknown rule, so the check cannot apply it",
                entry.rule
            )),
        }
    }
    for entry in entries {
        let Some(example) = &entry.example else {
            continue;
        };
        let rewritten = rewrite_path(&example.upstream, &rules);
        if rewritten != example.ours {
            lines.push(format!(
                "path_rewrites {}: the example {} rewrites to {}, not {}",
                entry.rule, example.upstream, rewritten, example.ours
            ));
        }
    }
    rules
}

/// Each path of a document with its HTTP methods (upper case, as messages show them).
type PathTable = BTreeMap<String, BTreeSet<String>>;

fn path_table(document: &Value) -> PathTable {
    entries(document.get("paths"))
        .map(|(path, item)| {
            let methods = operations(item)
                .map(|(method, _)| method.to_uppercase())
                .collect();
            (path, methods)
        })
        .collect()
}

fn compare_paths(
    ours: &Value,
    upstream: &Value,
    rules: &[Rule],
    differences: &Differences,
    version: &Version,
    outcome: &mut Outcome,
) {
    let ours_table = path_table(ours);
    let covered: BTreeSet<(&str, &str)> = ours_table
        .keys()
        .filter_map(|path| version.subtree(path))
        .collect();
    let extra_operations: BTreeSet<(String, &str)> = differences
        .extra_operations
        .iter()
        .map(|entry| (entry.method.to_uppercase(), entry.path.as_str()))
        .collect();
    // Every upstream path in our spelling, to tell which of ours upstream lacks.
    let mut upstream_table = PathTable::new();
    for (path, methods) in path_table(upstream) {
        let rewritten = rewrite_path(&path, rules);
        upstream_table.insert(rewritten.clone(), methods.clone());
        let Some(tree) = version.subtree(&rewritten) else {
            continue;
        };
        if !version.is_required(&rewritten) && !covered.contains(&tree) {
            continue;
        }
        outcome.upstream_paths += 1;
        outcome.operations += methods.len();
        match ours_table.get(&rewritten) {
            Some(our_methods) => compare_methods(
                &rewritten,
                our_methods,
                &methods,
                &extra_operations,
                &mut outcome.lines,
            ),
            None => outcome.lines.push(format!(
                "{rewritten} ({}): upstream path missing in ours (upstream spells it {path})",
                join(&methods)
            )),
        }
    }
    check_extra_paths(
        &ours_table,
        &upstream_table,
        &differences.extra_paths,
        &mut outcome.lines,
    );
    check_extra_operations(
        &ours_table,
        &upstream_table,
        &differences.extra_operations,
        &mut outcome.lines,
    );
    check_added_responses(
        ours,
        upstream,
        rules,
        &differences.added_responses,
        &mut outcome.lines,
    );
}

fn compare_methods(
    path: &str,
    ours: &BTreeSet<String>,
    upstream: &BTreeSet<String>,
    extra_operations: &BTreeSet<(String, &str)>,
    lines: &mut Vec<String>,
) {
    for method in upstream.difference(ours) {
        lines.push(format!(
            "{method} {path}: upstream operation missing in ours"
        ));
    }
    for method in ours.difference(upstream) {
        if !extra_operations.contains(&(method.clone(), path)) {
            lines.push(format!(
                "{method} {path}: operation not in upstream and not listed in extra_operations"
            ));
        }
    }
}

/// Paths of ours that upstream lacks must be listed in extra_paths, and each listed path must
/// still be one of them.
fn check_extra_paths(
    ours: &PathTable,
    upstream: &PathTable,
    extra_paths: &[ExtraPath],
    lines: &mut Vec<String>,
) {
    let listed: BTreeSet<&str> = extra_paths.iter().map(ExtraPath::path).collect();
    for (path, methods) in ours {
        if !upstream.contains_key(path) && !listed.contains(path.as_str()) {
            lines.push(format!(
                "{path} ({}): not in upstream and not listed in extra_paths",
                join(methods)
            ));
        }
    }
    for path in listed {
        if !ours.contains_key(path) {
            lines.push(format!(
                "extra_paths {path}: ours has no such path (stale entry)"
            ));
        } else if upstream.contains_key(path) {
            lines.push(format!(
                "extra_paths {path}: upstream has this path too (stale entry)"
            ));
        }
    }
}

/// Each listed extra operation must be one of ours, on a path upstream has, with a method
/// upstream lacks there. (That every such operation of ours is listed is checked while the
/// methods are compared.)
fn check_extra_operations(
    ours: &PathTable,
    upstream: &PathTable,
    extra_operations: &[ExtraOperation],
    lines: &mut Vec<String>,
) {
    let mut seen = BTreeSet::new();
    for entry in extra_operations {
        let method = entry.method.to_uppercase();
        let path = entry.path.as_str();
        let label = format!("extra_operations {method} {path}");
        let problem = if !seen.insert((method.clone(), path)) {
            Some("listed more than once")
        } else if !ours
            .get(path)
            .is_some_and(|methods| methods.contains(&method))
        {
            Some("ours has no such operation (stale entry)")
        } else {
            match upstream.get(path) {
                None => Some("upstream has no such path; list the path in extra_paths instead"),
                Some(methods) if methods.contains(&method) => {
                    Some("upstream has this operation too (stale entry)")
                }
                Some(_) => None,
            }
        };
        if let Some(problem) = problem {
            lines.push(format!("{label}: {problem}"));
        }
    }
}

/// The response status codes of an operation (`None` when the document lacks the operation).
fn response_codes(document: &Value, path: &str, method: &str) -> Option<BTreeSet<String>> {
    let operation = document
        .get("paths")?
        .get(path)?
        .get(method.to_ascii_lowercase())?;
    Some(
        entries(operation.get("responses"))
            .map(|(status, _)| status)
            .collect(),
    )
}

/// Each listed added response must be a status ours declares and upstream's operation lacks.
fn check_added_responses(
    ours: &Value,
    upstream: &Value,
    rules: &[Rule],
    added: &[AddedResponse],
    lines: &mut Vec<String>,
) {
    // Upstream paths by our spelling, to find upstream's operation for one of ours.
    let upstream_paths: BTreeMap<String, String> = entries(upstream.get("paths"))
        .map(|(path, _)| (rewrite_path(&path, rules), path))
        .collect();
    for entry in added {
        let label = format!(
            "added_responses {} {} {}",
            entry.method.to_uppercase(),
            entry.path,
            entry.status
        );
        let ours_has = response_codes(ours, &entry.path, &entry.method)
            .is_some_and(|codes| codes.contains(&entry.status));
        let upstream_codes = upstream_paths
            .get(&entry.path)
            .and_then(|path| response_codes(upstream, path, &entry.method));
        let problem = match upstream_codes {
            _ if !ours_has => Some("ours has no such response (stale entry)"),
            None => Some("upstream has no such operation; list it in extra_paths or extra_operations instead"),
            Some(codes) if codes.contains(&entry.status) => {
                Some("upstream has this response too (stale entry)")
            }
            Some(_) => None,
        };
        if let Some(problem) = problem {
            lines.push(format!("{label}: {problem}"));
        }
    }
}

fn join<T: AsRef<str>>(items: impl IntoIterator<Item = T>) -> String {
    items
        .into_iter()
        .map(|item| item.as_ref().to_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

// ---------------------------------------------------------------------------------------------
// Property types

/// What a property holds, with the spelling differences that carry no meaning removed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum TypeDesc {
    Ref(String),
    Array(Box<TypeDesc>),
    Primitive {
        kind: String,
        format: Option<String>,
    },
    /// Several alternatives (`anyOf`/`oneOf` with more than one real member), sorted.
    Union(Vec<TypeDesc>),
    Untyped,
}

impl fmt::Display for TypeDesc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeDesc::Ref(target) => write!(f, "$ref {target}"),
            TypeDesc::Array(items) => write!(f, "array of {items}"),
            TypeDesc::Primitive { kind, format: None } => write!(f, "{kind}"),
            TypeDesc::Primitive {
                kind,
                format: Some(format),
            } => write!(f, "{kind} ({format})"),
            TypeDesc::Union(members) => {
                write!(
                    f,
                    "one of [{}]",
                    join(members.iter().map(|m| m.to_string()))
                )
            }
            TypeDesc::Untyped => write!(f, "untyped"),
        }
    }
}

impl TypeDesc {
    fn refers_to(&self, target: &str) -> bool {
        match self {
            TypeDesc::Ref(name) => name == target,
            TypeDesc::Array(items) => items.refers_to(target),
            TypeDesc::Union(members) => members.iter().any(|member| member.refers_to(target)),
            TypeDesc::Primitive { .. } | TypeDesc::Untyped => false,
        }
    }
}

/// The type of a property schema. Nullability is not part of it: ours writes a nullable
/// reference as `anyOf: [$ref, {type: object, nullable: true}]` where upstream writes the
/// plain `$ref`, and both mean the same type.
fn type_of(schema: &Value) -> TypeDesc {
    TypeDesc::of(&describe(schema).shape)
}

impl TypeDesc {
    /// The check's view of a shape: nullability (also of array items) and inline object
    /// members are left out, and union alternatives that then look alike are one.
    fn of(shape: &Shape) -> TypeDesc {
        match shape {
            Shape::Ref(target) => TypeDesc::Ref(target.clone()),
            Shape::Array(items) => TypeDesc::Array(Box::new(
                items
                    .as_ref()
                    .map_or(TypeDesc::Untyped, |items| TypeDesc::of(&items.shape)),
            )),
            Shape::Union(members) => {
                let mut types: Vec<TypeDesc> = members.iter().map(TypeDesc::of).collect();
                types.sort();
                types.dedup();
                match types.as_slice() {
                    [] => TypeDesc::Untyped,
                    [only] => only.clone(),
                    _ => TypeDesc::Union(types),
                }
            }
            Shape::Plain {
                kind: Some(kind),
                format,
                ..
            } => TypeDesc::Primitive {
                kind: kind.clone(),
                format: format.clone(),
            },
            Shape::Plain { kind: None, .. } => TypeDesc::Untyped,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Schemas

/// A property-level difference between a shared schema of ours and upstream's.
#[derive(Debug)]
enum Difference {
    Added(TypeDesc),
    Missing(TypeDesc),
    TypeChanged { ours: TypeDesc, upstream: TypeDesc },
}

impl Difference {
    fn kind(&self) -> Kind {
        match self {
            Difference::Added(_) => Kind::Added,
            Difference::Missing(_) => Kind::Missing,
            Difference::TypeChanged { .. } => Kind::TypeChanged,
        }
    }

    fn describe(&self) -> String {
        match self {
            Difference::Added(ours) => {
                format!(
                    "in ours ({ours}) but not in upstream, and not listed in changed_properties"
                )
            }
            Difference::Missing(upstream) => format!(
                "in upstream ({upstream}) but missing in ours, and not listed in omitted_properties"
            ),
            Difference::TypeChanged { ours, upstream } => {
                format!("type differs: ours {ours}, upstream {upstream}")
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Added,
    Missing,
    TypeChanged,
}

/// What an entry of changed_properties or omitted_properties allows.
#[derive(Debug)]
struct Allowance<'a> {
    /// How the entry is named in messages: `changed_properties schema.property (added)`.
    label: String,
    /// `None` when the entry's `change` names no kind this check knows: any difference fits.
    kind: Option<Kind>,
    /// For omitted properties: the type upstream's property refers to.
    target: Option<&'a str>,
    /// For typed_strings: the enum ours refers to where upstream has a plain string.
    typed_as: Option<&'a str>,
    used: bool,
}

/// The listed property differences, keyed by schema and property.
struct Allowances<'a> {
    entries: BTreeMap<(String, String), Allowance<'a>>,
}

impl<'a> Allowances<'a> {
    fn new(differences: &'a Differences, lines: &mut Vec<String>) -> Self {
        let mut allowances = Allowances {
            entries: BTreeMap::new(),
        };
        for entry in &differences.changed_properties {
            let allowance = Allowance {
                label: format!(
                    "changed_properties {}.{} ({})",
                    entry.schema, entry.property, entry.change
                ),
                kind: change_kind(&entry.change),
                target: None,
                typed_as: None,
                used: false,
            };
            allowances.insert(&entry.schema, &entry.property, allowance, lines);
        }
        for entry in &differences.omitted_properties {
            let allowance = Allowance {
                label: format!("omitted_properties {}.{}", entry.schema, entry.property),
                kind: Some(Kind::Missing),
                target: entry.target.as_deref(),
                typed_as: None,
                used: false,
            };
            allowances.insert(&entry.schema, &entry.property, allowance, lines);
        }
        for entry in &differences.typed_strings {
            for listed in &entry.properties {
                let Some((schema, property)) = listed.rsplit_once('.') else {
                    lines.push(format!(
                        "typed_strings {}: {listed} is not written schema.property",
                        entry.name
                    ));
                    continue;
                };
                let allowance = Allowance {
                    label: format!("typed_strings {}: {schema}.{property}", entry.name),
                    kind: Some(Kind::TypeChanged),
                    target: None,
                    typed_as: Some(&entry.name),
                    used: false,
                };
                allowances.insert(schema, property, allowance, lines);
            }
        }
        allowances
    }

    fn insert(
        &mut self,
        schema: &str,
        property: &str,
        allowance: Allowance<'a>,
        lines: &mut Vec<String>,
    ) {
        let label = allowance.label.clone();
        let key = (schema.to_owned(), property.to_owned());
        if self.entries.insert(key, allowance).is_some() {
            lines.push(format!(
                "{label}: {schema}.{property} is listed more than once"
            ));
        }
    }

    /// Whether a listed entry explains `difference`; the entry then counts as used.
    fn allows(&mut self, schema: &str, property: &str, difference: &Difference) -> bool {
        let Some(entry) = self
            .entries
            .get_mut(&(schema.to_owned(), property.to_owned()))
        else {
            return false;
        };
        // (`Option::is_none_or` would need a newer Rust than the workspace's rust-version.)
        let kind_fits = match entry.kind {
            Some(kind) => kind == difference.kind(),
            None => true,
        };
        let target_fits = match (entry.target, difference) {
            (Some(target), Difference::Missing(upstream)) => upstream.refers_to(target),
            _ => true,
        };
        let typed_fits = match (entry.typed_as, difference) {
            (Some(name), Difference::TypeChanged { ours, upstream }) => {
                is_typed_string(ours, upstream, name)
            }
            (Some(_), _) => false,
            (None, _) => true,
        };
        let fits = kind_fits && target_fits && typed_fits;
        entry.used |= fits;
        fits
    }

    /// Reports the entries no difference used. An entry for a schema upstream lacks cannot be
    /// compared with upstream; it is checked against ours alone.
    fn report_unused(&self, ours: &Schemas<'_>, upstream: &Schemas<'_>, lines: &mut Vec<String>) {
        for ((schema, property), entry) in &self.entries {
            if entry.used {
                continue;
            }
            let problem = match (
                ours.get(schema.as_str()),
                upstream.contains_key(schema.as_str()),
            ) {
                (None, _) => Some("ours has no such schema"),
                (Some(_), true) => Some("no such difference"),
                (Some(our_schema), false) => {
                    let declared =
                        declared_properties(our_schema, &|name| inline_base(name, ours, upstream))
                            .contains_key(property.as_str());
                    match (entry.kind, declared) {
                        (Some(Kind::Missing), true) => Some("ours declares the property"),
                        (Some(Kind::Missing), false) | (_, true) => None,
                        (_, false) => Some("ours does not declare the property"),
                    }
                }
            };
            if let Some(problem) = problem {
                lines.push(format!("{}: {problem} (stale entry)", entry.label));
            }
        }
    }
}

/// Whether ours refers to the enum `name` exactly where upstream has a plain string (no
/// format), or holds an array of the enum where upstream holds an array of plain strings.
fn is_typed_string(ours: &TypeDesc, upstream: &TypeDesc, name: &str) -> bool {
    match (ours, upstream) {
        (TypeDesc::Array(ours), TypeDesc::Array(upstream)) => is_typed_string(ours, upstream, name),
        (TypeDesc::Ref(target), TypeDesc::Primitive { kind, format: None }) => {
            target == name && kind == "string"
        }
        _ => false,
    }
}

/// The kind of difference a changed_properties `change` text names.
fn change_kind(change: &str) -> Option<Kind> {
    let change = change.trim().to_ascii_lowercase();
    if change.starts_with("added") {
        Some(Kind::Added)
    } else if change.starts_with("removed") || change.starts_with("omitted") {
        Some(Kind::Missing)
    } else if change.starts_with("type") {
        Some(Kind::TypeChanged)
    } else {
        None
    }
}

type Schemas<'a> = BTreeMap<String, &'a Value>;

fn schemas(document: &Value) -> Schemas<'_> {
    crate::openapi::schemas(document).collect()
}

/// A base of ours that upstream lacks (BaseCollectionPaginationCountResponse): upstream declares
/// its properties on each derived schema, so they are compared as the derived schema's own.
fn inline_base<'a>(name: &str, ours: &Schemas<'a>, upstream: &Schemas<'_>) -> Option<&'a Value> {
    if upstream.contains_key(name) {
        None
    } else {
        ours.get(name).copied()
    }
}

fn compare_schemas(
    ours_document: &Value,
    upstream_document: &Value,
    differences: &Differences,
    outcome: &mut Outcome,
) {
    let ours = schemas(ours_document);
    let upstream = schemas(upstream_document);
    let mut allowances = Allowances::new(differences, &mut outcome.lines);
    let inline_ours = |name: &str| inline_base(name, &ours, &upstream);
    let inline_none = |_: &str| None;

    for (name, our_schema) in &ours {
        let Some(their_schema) = upstream.get(name) else {
            continue;
        };
        outcome.shared_schemas += 1;
        compare_bases(
            name,
            &bases(our_schema, &inline_ours),
            &bases(their_schema, &inline_none),
            &mut outcome.lines,
        );
        compare_enums(name, our_schema, their_schema, &mut outcome.lines);
        let our_properties = declared_properties(our_schema, &inline_ours);
        let their_properties = declared_properties(their_schema, &inline_none);
        for (property, difference) in property_differences(&our_properties, &their_properties) {
            if !allowances.allows(name, property, &difference) {
                outcome
                    .lines
                    .push(format!("{name}.{property}: {}", difference.describe()));
            }
        }
    }
    allowances.report_unused(&ours, &upstream, &mut outcome.lines);
    check_added_schemas(
        &ours,
        &upstream,
        &differences.added_schemas,
        &differences.typed_strings,
        &mut outcome.lines,
    );
}

/// The properties a schema declares: its own `properties` and those of its inline `allOf`
/// parts. An `allOf` `$ref` is inherited and left out (inheritance is compared through
/// `bases`), unless `inline` resolves it: then the base's properties count as the schema's own.
fn declared_properties<'a>(
    schema: &'a Value,
    inline: &dyn Fn(&str) -> Option<&'a Value>,
) -> BTreeMap<String, &'a Value> {
    let resolve = |part: &'a Value| reference(part).map(schema_name).and_then(inline);
    property_layers(schema, &resolve)
        .into_iter()
        .flat_map(|layer| entries(layer.get("properties")))
        .collect()
}

/// The schemas a schema inherits from (its `allOf` references that are not inlined).
fn bases<'a>(schema: &'a Value, inline: &dyn Fn(&str) -> Option<&'a Value>) -> BTreeSet<&'a str> {
    base_names(schema)
        .filter(|target| inline(target).is_none())
        .collect()
}

fn compare_bases(
    name: &str,
    ours: &BTreeSet<&str>,
    upstream: &BTreeSet<&str>,
    lines: &mut Vec<String>,
) {
    if ours != upstream {
        lines.push(format!(
            "{name}: inherits from [{}] in ours but from [{}] upstream",
            join(ours),
            join(upstream)
        ));
    }
}

/// Enum members are facts too; a member missing on either side is a real difference.
fn compare_enums(name: &str, ours: &Value, upstream: &Value, lines: &mut Vec<String>) {
    match (enum_members(ours), enum_members(upstream)) {
        (Some(ours), Some(upstream)) => {
            for member in upstream.difference(&ours) {
                lines.push(format!(
                    "{name} (enum): member {member} in upstream but missing in ours"
                ));
            }
            for member in ours.difference(&upstream) {
                lines.push(format!(
                    "{name} (enum): member {member} in ours but not in upstream"
                ));
            }
        }
        (Some(_), None) => lines.push(format!("{name}: an enum in ours but not upstream")),
        (None, Some(_)) => lines.push(format!("{name}: an enum upstream but not in ours")),
        (None, None) => {}
    }
}

fn property_differences<'m>(
    ours: &'m BTreeMap<String, &Value>,
    upstream: &'m BTreeMap<String, &Value>,
) -> Vec<(&'m str, Difference)> {
    let names: BTreeSet<&'m str> = ours
        .keys()
        .chain(upstream.keys())
        .map(String::as_str)
        .collect();
    names
        .into_iter()
        .filter_map(|name| {
            let difference = match (ours.get(name), upstream.get(name)) {
                (Some(our), Some(their)) => {
                    let (our, their) = (type_of(our), type_of(their));
                    (our != their).then_some(Difference::TypeChanged {
                        ours: our,
                        upstream: their,
                    })
                }
                (Some(our), None) => Some(Difference::Added(type_of(our))),
                (None, Some(their)) => Some(Difference::Missing(type_of(their))),
                (None, None) => None,
            }?;
            Some((name, difference))
        })
        .collect()
}

/// Every schema of ours that upstream lacks must be listed in added_schemas (or be the enum of
/// a typed_strings entry), and every listed schema must still be one of them (or be marked
/// in_upstream_file, when upstream has it but does not use it for access reviews). A
/// typed_strings enum must be a string enum of ours that upstream lacks.
fn check_added_schemas(
    ours: &Schemas<'_>,
    upstream: &Schemas<'_>,
    added: &[AddedSchema],
    typed: &[TypedString],
    lines: &mut Vec<String>,
) {
    for entry in typed {
        let name = entry.name.as_str();
        let problem = match ours.get(name) {
            None => Some("ours has no such schema"),
            Some(_) if upstream.contains_key(name) => {
                Some("upstream has this schema too, so it is not ours to add")
            }
            Some(schema) if enum_members(schema).is_none() => Some("ours is not an enum"),
            Some(schema) if schema.get("type").and_then(Value::as_str) != Some("string") => {
                Some("ours is not a string enum")
            }
            Some(_) if entry.properties.is_empty() => Some("no properties are listed"),
            Some(_) => None,
        };
        if let Some(problem) = problem {
            lines.push(format!("typed_strings {name}: {problem} (stale entry)"));
        }
    }
    let listed: BTreeSet<&str> = added
        .iter()
        .map(|entry| entry.name.as_str())
        .chain(typed.iter().map(|entry| entry.name.as_str()))
        .collect();
    for name in ours.keys() {
        if !upstream.contains_key(name) && !listed.contains(name.as_str()) {
            lines.push(format!(
                "schema {name}: not in upstream and not listed in added_schemas"
            ));
        }
    }
    for entry in added {
        let name = entry.name.as_str();
        let problem = if !ours.contains_key(name) {
            Some("ours has no such schema")
        } else if upstream.contains_key(name) && !entry.in_upstream_file {
            Some("upstream has this schema too; remove the entry or mark it in_upstream_file")
        } else if !upstream.contains_key(name) && entry.in_upstream_file {
            Some("marked in_upstream_file, but upstream has no such schema")
        } else {
            None
        };
        if let Some(problem) = problem {
            lines.push(format!("added_schemas {name}: {problem} (stale entry)"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const UPSTREAM: &str = r#"
openapi: 3.0.1
info:
  title: Identity.Governance
  version: v1.0
paths:
  /identityGovernance/accessReviews/definitions:
    get:
      responses: {}
    post:
      responses: {}
  '/identityGovernance/accessReviews/definitions/{accessReviewScheduleDefinition-id}':
    get:
      responses: {}
    delete:
      responses: {}
  '/identityGovernance/accessReviews/definitions/{accessReviewScheduleDefinition-id}/microsoft.graph.stop':
    post:
      responses: {}
  '/identityGovernance/accessReviews/definitions/microsoft.graph.filterByCurrentUser(on=''{on}'')':
    get:
      responses: {}
  /identityGovernance/accessReviews/historyDefinitions:
    get:
      responses: {}
  /agreements:
    get:
      responses: {}
components:
  schemas:
    microsoft.graph.entity:
      title: entity
      type: object
      properties:
        id:
          type: string
          description: Upstream's words.
      additionalProperties:
        type: object
    microsoft.graph.accessReviewScheduleDefinition:
      allOf:
        - $ref: '#/components/schemas/microsoft.graph.entity'
        - title: accessReviewScheduleDefinition
          type: object
          properties:
            createdBy:
              $ref: '#/components/schemas/microsoft.graph.userIdentity'
            createdDateTime:
              pattern: '^[0-9]{4,}-.*$'
              type: string
              format: date-time
              nullable: true
            displayName:
              type: string
              nullable: true
            reviewers:
              type: array
              items:
                $ref: '#/components/schemas/microsoft.graph.userIdentity'
          additionalProperties:
            type: object
    microsoft.graph.userIdentity:
      title: userIdentity
      type: object
      properties:
        displayName:
          type: string
          nullable: true
      additionalProperties:
        type: object
    microsoft.graph.agreement:
      title: agreement
      type: object
"#;

    const OURS: &str = r#"
openapi: 3.0.3
info:
  title: Access reviews
  version: v1.0
paths:
  /identityGovernance/accessReviews/definitions:
    get:
      responses: {}
    post:
      responses: {}
  /identityGovernance/accessReviews/definitions/{accessReviewScheduleDefinitionId}:
    get:
      responses: {}
    delete:
      responses: {}
  /identityGovernance/accessReviews/definitions/{accessReviewScheduleDefinitionId}/stop:
    post:
      responses: {}
  /identityGovernance/accessReviews/definitions/filterByCurrentUser(on='{on}'):
    get:
      responses: {}
components:
  schemas:
    microsoft.graph.entity:
      title: entity
      type: object
      description: Our own words.
      properties:
        id:
          type: string
        '@odata.type':
          type: string
      discriminator:
        propertyName: '@odata.type'
    microsoft.graph.accessReviewScheduleDefinition:
      description: Our own words.
      allOf:
        - $ref: '#/components/schemas/microsoft.graph.entity'
        - type: object
          properties:
            createdBy:
              anyOf:
                - $ref: '#/components/schemas/microsoft.graph.userIdentity'
                - type: object
                  nullable: true
            createdDateTime:
              type: string
              format: date-time
              nullable: true
            displayName:
              type: string
              nullable: true
            reviewers:
              type: array
              items:
                $ref: '#/components/schemas/microsoft.graph.userIdentity'
    microsoft.graph.userIdentity:
      title: userIdentity
      type: object
      properties:
        displayName:
          type: string
          nullable: true
    microsoft.graph.accessReviewQueryScope:
      type: object
      properties:
        query:
          type: string
"#;

    const DIFFERENCES: &str = r#"
path_rewrites:
  - rule: drop-action-namespace
    example:
      upstream: /a/{b-id}/microsoft.graph.stop
      ours: /a/{bId}/stop
  - rule: rename-path-parameters
    example:
      upstream: '{accessReviewScheduleDefinition-id}'
      ours: '{accessReviewScheduleDefinitionId}'
added_schemas:
  - name: microsoft.graph.accessReviewQueryScope
    reason: Used by the documentation.
changed_properties:
  - schema: microsoft.graph.entity
    property: '@odata.type'
    change: added
    reason: Root of a polymorphic hierarchy.
omitted_properties: []
extra_paths: []
"#;

    /// Runs `compare` on the given documents, written to a scratch directory of this call's
    /// own (removed when it ends, also when the check fails).
    fn run_check(ours: &str, differences: &str) -> Vec<String> {
        let dir = tempfile::tempdir().expect("scratch directory");
        let files = [
            ("ours.yaml", ours),
            ("differences.yaml", differences),
            ("upstream.yaml", UPSTREAM),
        ];
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).expect("writes a fixture");
        }
        compare(
            &dir.path().join("ours.yaml"),
            &dir.path().join("differences.yaml"),
            &dir.path().join("upstream.yaml"),
            &V1_0,
        )
        .expect("the fixtures are read")
        .lines
    }

    /// `document` with the first `from` replaced; fails if the fixture no longer has `from`,
    /// so an edit that silently does nothing cannot make a test pass.
    fn edited(document: &str, from: &str, to: &str) -> String {
        assert!(document.contains(from), "the fixture lacks {from:?}");
        document.replacen(from, to, 1)
    }

    fn assert_single(lines: &[String], expected: &str) {
        assert_eq!(lines, [expected.to_owned()], "got {lines:#?}");
    }

    /// Checks the project's spec of `version` against the upstream file `upstream` in shared/.
    fn check_real_spec(version: &Version, upstream: &str) {
        let root = crate::workspace_root();
        let Some(upstream_dir) = crate::shared_path("graph/upstream") else {
            return;
        };
        let upstream = upstream_dir.join(upstream);
        if !upstream.exists() {
            return;
        }
        let outcome = compare(
            &root.join(version.spec),
            &root.join(version.differences),
            &upstream,
            version,
        )
        .unwrap();
        assert!(
            outcome.lines.is_empty(),
            "unexplained differences:\n{}",
            outcome.lines.join("\n")
        );
        // Guards against a check that passes because it compared nothing.
        assert!(outcome.upstream_paths > 0 && outcome.operations > 0 && outcome.shared_schemas > 0);
    }

    #[test]
    fn real_spec_matches_upstream() {
        check_real_spec(&V1_0, "identity-governance.v1.0.yaml");
    }

    #[test]
    fn real_beta_spec_matches_upstream() {
        check_real_spec(&BETA, "identity-governance.beta-2022-08.yaml");
    }

    #[test]
    fn versions_choose_their_files() {
        assert_eq!(
            Version::named("v1.0").unwrap().spec,
            "spec/v1.0/access-reviews.yaml"
        );
        for version in VERSIONS {
            assert!(crate::workspace_root().join(version.spec).is_file());
        }
        assert_eq!(
            Version::named("beta").unwrap().differences,
            "spec/beta/upstream-differences.yaml"
        );
        assert!(Version::named("v2").is_err());
    }

    #[test]
    fn subtrees_and_required_prefixes() {
        assert_eq!(
            BETA.subtree("/accessReviews/{accessReviewId}/stop"),
            Some(("/accessReviews", "{accessReviewId}"))
        );
        assert_eq!(
            BETA.subtree("/identityGovernance/accessReviews"),
            Some(("/identityGovernance/accessReviews", ""))
        );
        assert_eq!(V1_0.subtree("/accessReviews/{accessReviewId}"), None);
        assert_eq!(BETA.subtree("/accessReviewsX"), None);
        assert!(BETA.is_required("/accessReviews"));
        assert!(!BETA.is_required("/accessReviewsX"));
        assert!(V1_0.is_required("/identityGovernance/accessReviews/definitions/{id}"));
        assert!(!V1_0.is_required("/identityGovernance/accessReviews/historyDefinitions"));
    }

    #[test]
    fn extra_operations_explain_methods_upstream_lacks() {
        let ours = edited(
            OURS,
            "  /identityGovernance/accessReviews/definitions/{accessReviewScheduleDefinitionId}:\n    get:\n      responses: {}\n",
            "  /identityGovernance/accessReviews/definitions/{accessReviewScheduleDefinitionId}:\n    put:\n      responses: {}\n    get:\n      responses: {}\n",
        );
        assert_single(
            &run_check(&ours, DIFFERENCES),
            "PUT /identityGovernance/accessReviews/definitions/{accessReviewScheduleDefinitionId}: operation not in upstream and not listed in extra_operations",
        );
        let listed = format!(
            "{DIFFERENCES}extra_operations:\n  - method: PUT\n    path: /identityGovernance/accessReviews/definitions/{{accessReviewScheduleDefinitionId}}\n    reason: Documented.\n"
        );
        assert!(run_check(&ours, &listed).is_empty());
        // Stale entries: an operation ours lacks, one upstream has, one on a path upstream lacks.
        let stale = format!(
            "{DIFFERENCES}extra_operations:\n  - method: PUT\n    path: /identityGovernance/accessReviews/definitions\n  - method: get\n    path: /identityGovernance/accessReviews/definitions\n  - method: POST\n    path: /identityGovernance/accessReviews/nowhere\n"
        );
        assert_eq!(
            run_check(OURS, &stale),
            [
                "extra_operations PUT /identityGovernance/accessReviews/definitions: ours has no such operation (stale entry)",
                "extra_operations GET /identityGovernance/accessReviews/definitions: upstream has this operation too (stale entry)",
                "extra_operations POST /identityGovernance/accessReviews/nowhere: ours has no such operation (stale entry)",
            ]
        );
    }

    #[test]
    fn added_responses_must_still_differ() {
        let ours = edited(
            OURS,
            "  /identityGovernance/accessReviews/definitions/{accessReviewScheduleDefinitionId}:\n    get:\n      responses: {}\n",
            "  /identityGovernance/accessReviews/definitions/{accessReviewScheduleDefinitionId}:\n    get:\n      responses:\n        '200':\n          description: The object.\n",
        );
        let listed = format!(
            "{DIFFERENCES}added_responses:\n  - method: GET\n    path: /identityGovernance/accessReviews/definitions/{{accessReviewScheduleDefinitionId}}\n    status: '200'\n    reason: Documented.\n"
        );
        assert!(run_check(&ours, &listed).is_empty());
        assert_single(
            &run_check(OURS, &listed),
            "added_responses GET /identityGovernance/accessReviews/definitions/{accessReviewScheduleDefinitionId} 200: ours has no such response (stale entry)",
        );
    }

    #[test]
    fn accepts_the_documented_differences() {
        // Covers both path rewrite rules, the anyOf-nullable reference, a listed added schema,
        // a listed added property, and ignored descriptions, patterns and additionalProperties.
        assert_eq!(run_check(OURS, DIFFERENCES), Vec::<String>::new());
    }

    #[test]
    fn rewrites_upstream_paths_into_ours() {
        let rules = [Rule::DropActionNamespace, Rule::RenamePathParameters];
        assert_eq!(
            rewrite_path(
                "/a/{accessReviewInstance-id}/decisions/microsoft.graph.filterByCurrentUser(on='{on}')",
                &rules
            ),
            "/a/{accessReviewInstanceId}/decisions/filterByCurrentUser(on='{on}')"
        );
        assert_eq!(rewrite_path("/a/{b-id}/$count", &rules), "/a/{bId}/$count");
    }

    #[test]
    fn applies_only_the_listed_rewrite_rules() {
        let differences = edited(
            DIFFERENCES,
            "  - rule: drop-action-namespace\n    example:\n      upstream: /a/{b-id}/microsoft.graph.stop\n      ours: /a/{bId}/stop\n",
            "",
        );
        let lines = run_check(OURS, &differences);
        assert!(
            lines.iter().any(|line| line.starts_with(
                "/identityGovernance/accessReviews/definitions/{accessReviewScheduleDefinitionId}/microsoft.graph.stop (POST): upstream path missing in ours"
            )),
            "got {lines:#?}"
        );
    }

    #[test]
    fn reports_an_upstream_path_missing_in_ours() {
        let ours = edited(
            OURS,
            "  /identityGovernance/accessReviews/definitions/{accessReviewScheduleDefinitionId}/stop:\n    post:\n      responses: {}\n",
            "",
        );
        assert_single(
            &run_check(&ours, DIFFERENCES),
            "/identityGovernance/accessReviews/definitions/{accessReviewScheduleDefinitionId}/stop (POST): upstream path missing in ours (upstream spells it /identityGovernance/accessReviews/definitions/{accessReviewScheduleDefinition-id}/microsoft.graph.stop)",
        );
    }

    #[test]
    fn reports_a_method_missing_in_ours() {
        let ours = edited(OURS, "    delete:\n      responses: {}\n", "");
        assert_single(
            &run_check(&ours, DIFFERENCES),
            "DELETE /identityGovernance/accessReviews/definitions/{accessReviewScheduleDefinitionId}: upstream operation missing in ours",
        );
    }

    #[test]
    fn reports_an_unlisted_path_of_ours_unless_listed() {
        let ours = edited(
            OURS,
            "components:",
            "  /identityGovernance/accessReviews/definitions/$count:\n    get:\n      responses: {}\ncomponents:",
        );
        assert_single(
            &run_check(&ours, DIFFERENCES),
            "/identityGovernance/accessReviews/definitions/$count (GET): not in upstream and not listed in extra_paths",
        );
        let differences = edited(
            DIFFERENCES,
            "extra_paths: []",
            "extra_paths:\n  - path: /identityGovernance/accessReviews/definitions/$count\n    reason: Documented.",
        );
        assert!(run_check(&ours, &differences).is_empty());
    }

    #[test]
    fn reports_a_property_with_a_different_type() {
        let ours = edited(OURS, "format: date-time", "format: date");
        assert_single(
            &run_check(&ours, DIFFERENCES),
            "microsoft.graph.accessReviewScheduleDefinition.createdDateTime: type differs: ours string (date), upstream string (date-time)",
        );
        let ours = edited(
            OURS,
            "              items:\n                $ref: '#/components/schemas/microsoft.graph.userIdentity'",
            "              items:\n                $ref: '#/components/schemas/microsoft.graph.entity'",
        );
        assert_single(
            &run_check(&ours, DIFFERENCES),
            "microsoft.graph.accessReviewScheduleDefinition.reviewers: type differs: ours array of $ref microsoft.graph.entity, upstream array of $ref microsoft.graph.userIdentity",
        );
    }

    #[test]
    fn compares_the_reference_inside_the_nullable_any_of() {
        let ours = edited(
            OURS,
            "                - $ref: '#/components/schemas/microsoft.graph.userIdentity'\n                - type: object",
            "                - $ref: '#/components/schemas/microsoft.graph.entity'\n                - type: object",
        );
        assert_single(
            &run_check(&ours, DIFFERENCES),
            "microsoft.graph.accessReviewScheduleDefinition.createdBy: type differs: ours $ref microsoft.graph.entity, upstream $ref microsoft.graph.userIdentity",
        );
    }

    #[test]
    fn reports_a_property_missing_in_ours() {
        let ours = edited(
            OURS,
            "            displayName:\n              type: string\n              nullable: true\n",
            "",
        );
        assert_single(
            &run_check(&ours, DIFFERENCES),
            "microsoft.graph.accessReviewScheduleDefinition.displayName: in upstream (string) but missing in ours, and not listed in omitted_properties",
        );
    }

    #[test]
    fn reports_an_unlisted_added_property() {
        let differences = edited(
            DIFFERENCES,
            "  - schema: microsoft.graph.entity\n    property: '@odata.type'\n    change: added\n    reason: Root of a polymorphic hierarchy.\n",
            "",
        );
        assert_single(
            &run_check(OURS, &differences),
            "microsoft.graph.entity.@odata.type: in ours (string) but not in upstream, and not listed in changed_properties",
        );
    }

    #[test]
    fn reports_an_unlisted_added_schema() {
        let differences = edited(
            DIFFERENCES,
            "  - name: microsoft.graph.accessReviewQueryScope\n    reason: Used by the documentation.\n",
            "",
        );
        assert_single(
            &run_check(OURS, &differences),
            "schema microsoft.graph.accessReviewQueryScope: not in upstream and not listed in added_schemas",
        );
    }

    #[test]
    fn reports_stale_entries() {
        let differences = edited(
            DIFFERENCES,
            "omitted_properties: []",
            "omitted_properties:\n  - schema: microsoft.graph.userIdentity\n    property: displayName\n    target: microsoft.graph.user\n",
        );
        let differences = edited(
            &differences,
            "added_schemas:\n",
            "added_schemas:\n  - name: microsoft.graph.agreement\n",
        );
        let lines = run_check(OURS, &differences);
        assert_eq!(
            lines,
            [
                "omitted_properties microsoft.graph.userIdentity.displayName: no such difference (stale entry)",
                "added_schemas microsoft.graph.agreement: ours has no such schema (stale entry)",
            ]
        );
    }

    /// A typed_strings entry explains an enum of ours that upstream lacks and the string
    /// properties it types, and nothing else: the enum must be the one ours refers to, the
    /// upstream property must be a plain string, and an entry no difference uses is stale.
    #[test]
    fn typed_strings_explain_enums_for_documented_values() {
        let ours = edited(
            OURS,
            "            displayName:\n              type: string\n              nullable: true\n            reviewers:",
            "            displayName:\n              anyOf:\n                - $ref: '#/components/schemas/ReviewNameValue'\n                - type: object\n                  nullable: true\n            reviewers:",
        );
        let ours = format!(
            "{ours}    ReviewNameValue:\n      type: string\n      enum: [First, Second]\n"
        );
        assert_eq!(
            run_check(&ours, DIFFERENCES),
            [
                "microsoft.graph.accessReviewScheduleDefinition.displayName: type differs: ours $ref ReviewNameValue, upstream string",
                "schema ReviewNameValue: not in upstream and not listed in added_schemas",
            ]
        );
        let entry = "typed_strings:\n  - enum: ReviewNameValue\n    properties:\n      - microsoft.graph.accessReviewScheduleDefinition.displayName\n    reason: The docs list the values.\n";
        let differences = format!("{DIFFERENCES}{entry}");
        assert!(run_check(&ours, &differences).is_empty());

        // Only a plain string upstream may become the enum: not a date-time.
        let wrong = format!(
            "{DIFFERENCES}{}",
            entry.replace(
                "accessReviewScheduleDefinition.displayName",
                "accessReviewScheduleDefinition.createdDateTime\n      - microsoft.graph.accessReviewScheduleDefinition.displayName"
            )
        );
        let typed_date = edited(
            &ours,
            "            createdDateTime:\n              type: string\n              format: date-time\n              nullable: true",
            "            createdDateTime:\n              $ref: '#/components/schemas/ReviewNameValue'",
        );
        assert_eq!(
            run_check(&typed_date, &wrong),
            [
                "microsoft.graph.accessReviewScheduleDefinition.createdDateTime: type differs: ours $ref ReviewNameValue, upstream string (date-time)",
                "typed_strings ReviewNameValue: microsoft.graph.accessReviewScheduleDefinition.createdDateTime: no such difference (stale entry)",
            ]
        );

        // The property must refer to the enum the entry names.
        let other = differences.replace("- enum: ReviewNameValue", "- enum: OtherValue");
        let lines = run_check(&ours, &other);
        assert!(
            lines.contains(&"microsoft.graph.accessReviewScheduleDefinition.displayName: type differs: ours $ref ReviewNameValue, upstream string".to_owned())
                && lines.contains(&"typed_strings OtherValue: ours has no such schema (stale entry)".to_owned()),
            "got {lines:#?}"
        );

        // An entry whose property is a string again is stale, and so is a non-enum.
        assert_eq!(
            run_check(&format!("{OURS}    ReviewNameValue:\n      type: object\n"), &differences),
            [
                "typed_strings ReviewNameValue: microsoft.graph.accessReviewScheduleDefinition.displayName: no such difference (stale entry)",
                "typed_strings ReviewNameValue: ours is not an enum (stale entry)",
            ]
        );
    }

    #[test]
    fn nullable_forms_are_one_type() {
        let json = |text: &str| -> Value {
            crate::openapi::parse_document(text, true).expect("test JSON parses")
        };
        let plain = json(r##"{"$ref": "#/components/schemas/microsoft.graph.identity"}"##);
        let any_of = json(
            r##"{"anyOf": [
                {"$ref": "#/components/schemas/microsoft.graph.identity"},
                {"type": "object", "nullable": true}
            ]}"##,
        );
        let all_of =
            json(r##"{"allOf": [{"$ref": "#/components/schemas/microsoft.graph.identity"}]}"##);
        assert_eq!(type_of(&plain), type_of(&any_of));
        assert_eq!(type_of(&plain), type_of(&all_of));
        let number = json(r#"{"type": "number", "format": "double", "nullable": true}"#);
        let union =
            json(r#"{"oneOf": [{"type": "number", "format": "double"}, {"type": "string"}]}"#);
        assert_ne!(type_of(&number), type_of(&union));
        // Nullability inside an array, and inline object members, are not compared.
        let items = json(r#"{"type": "array", "items": {"type": "string", "nullable": true}}"#);
        let plain_items = json(r#"{"type": "array", "items": {"type": "string"}}"#);
        assert_eq!(type_of(&items), type_of(&plain_items));
        let object = json(r#"{"type": "object", "properties": {"a": {"type": "string"}}}"#);
        assert_eq!(type_of(&object).to_string(), "object");
    }
}
