//! The machine-readable reports (`--format json`) of `diff`, `codegen --check` and, through
//! the conformance crate, `examples --check`; and `cargo xtask report`, which reads them back
//! and writes the Markdown summary a reviewer of a docs change reads first.
//!
//! Every document is one JSON object whose `schema` field names its shape and version
//! (`graph-xtask/<verb>/v1`). Within a version, fields may be added but none is removed,
//! renamed or given another meaning; anything else gets a new version. When a command in
//! JSON mode stops with a usage or input error (exit code 2), stdout holds
//! `{"schema": "graph-xtask/error/v1", "command": ..., "error": {"message": ...}}` instead
//! of a report, and stderr the usual `error:` line.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{bail, Context as _};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use docs_tools::report::ExamplesReport;

use crate::outcome::{Failure, Outcome};

/// How a command prints its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Lines for a person, leading with the summary.
    #[default]
    Human,
    /// One JSON document on stdout, with a versioned `schema` field.
    Json,
}

/// The `schema` of a `diff --format json` document.
pub const DIFF_SCHEMA: &str = "graph-xtask/diff/v1";
/// The `schema` of a `codegen --check --format json` document.
pub const CODEGEN_CHECK_SCHEMA: &str = "graph-xtask/codegen-check/v1";
/// The `schema` of an `examples --check --format json` document (written by conformance).
pub const EXAMPLES_SCHEMA: &str = docs_tools::report::SCHEMA;
/// The `schema` of the document printed instead of a report when a command fails to run.
pub const ERROR_SCHEMA: &str = "graph-xtask/error/v1";

/// What changed between two specs (`diff --format json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffReport {
    /// Always [`DIFF_SCHEMA`].
    pub schema: String,
    /// The old spec as named on the command line (a file or `REV:PATH`).
    pub old: String,
    /// The new spec as named on the command line.
    pub new: String,
    /// How many changes of each impact.
    pub counts: DiffCounts,
    /// Changes that can break a client built on the old spec.
    pub breaking: Vec<DiffChange>,
    /// Changes an old client survives. Every change is one or the other: there is no third
    /// class.
    pub additive: Vec<DiffChange>,
}

/// The sizes of a [`DiffReport`]'s lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffCounts {
    /// Breaking changes.
    pub breaking: usize,
    /// Additive changes.
    pub additive: usize,
    /// All changes.
    pub total: usize,
}

/// One change, as the Markdown report lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffChange {
    /// `operations`, `types`, `properties` or `enum-members`.
    pub section: String,
    /// `added`, `removed` or `changed`.
    pub kind: String,
    /// The operation (`GET /path`) or schema the change is about.
    pub subject: String,
    /// A JSON pointer into the document that has it (the old one for a removal).
    pub pointer: String,
    /// The change in words, as in the Markdown report.
    pub message: String,
}

impl DiffReport {
    /// The JSON form of spec-tools' report.
    pub fn from_report(report: &spec_tools::diff::Report) -> Self {
        use spec_tools::diff::Impact;
        let listed = |impact: Impact| -> Vec<DiffChange> {
            report
                .changes
                .iter()
                .filter(|change| change.impact == impact)
                .map(|change| DiffChange {
                    section: change.section.name().to_owned(),
                    kind: change.kind.name().to_owned(),
                    subject: change.subject.clone(),
                    pointer: change.pointer.clone(),
                    message: change.text.clone(),
                })
                .collect()
        };
        let (breaking, additive) = (listed(Impact::Breaking), listed(Impact::Additive));
        DiffReport {
            schema: DIFF_SCHEMA.to_owned(),
            old: report.old.clone(),
            new: report.new.clone(),
            counts: DiffCounts {
                breaking: breaking.len(),
                additive: additive.len(),
                total: breaking.len() + additive.len(),
            },
            breaking,
            additive,
        }
    }
}

/// Whether the generated files are what the generator makes (`codegen --check --format json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodegenCheckReport {
    /// Always [`CODEGEN_CHECK_SCHEMA`].
    pub schema: String,
    /// True when nothing is stale, missing, extra or unreadable.
    pub up_to_date: bool,
    /// How many of each.
    pub counts: CodegenCounts,
    /// Files on disk that differ from what the generator makes.
    pub stale: Vec<StaleFile>,
    /// Files the generator makes that are not on disk.
    pub missing: Vec<String>,
    /// Generated files on disk that the generator no longer makes.
    pub extra: Vec<String>,
    /// What could not be checked (an unreadable lock record, a link in the way).
    pub problems: Vec<String>,
    /// Why the files are out of date, from the lock records (the spec or the generator
    /// changed).
    pub reasons: Vec<String>,
}

/// The sizes of a [`CodegenCheckReport`]'s lists, and how many files were checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodegenCounts {
    /// Files the generator makes, lock records included.
    pub generated: usize,
    /// Stale files.
    pub stale: usize,
    /// Missing files.
    pub missing: usize,
    /// Extra files.
    pub extra: usize,
    /// Problems.
    pub problems: usize,
}

/// A file that differs from what the generator makes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaleFile {
    /// Relative to the checkout (or to `--out`).
    pub path: String,
    /// A unified diff from the file on disk to the generated one, cut short for large files.
    pub diff: String,
}

/// What `cargo xtask` prints on stdout in JSON mode when a command stops with an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorReport {
    /// Always [`ERROR_SCHEMA`].
    pub schema: String,
    /// The verb that failed: `diff`, `codegen` or `examples`.
    pub command: String,
    /// What went wrong.
    pub error: ErrorDetail,
}

/// The error of an [`ErrorReport`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// The message, as the `error:` line on stderr has it.
    pub message: String,
    /// The exit code: 2.
    pub exit_code: u8,
    /// When the input is a spec the generator refused: every error it found, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spec_errors: Vec<SpecError>,
}

/// One error in a spec, in an [`ErrorDetail`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecError {
    /// A JSON pointer into the spec (`#/components/schemas/x`), or the spec's path for an
    /// error that is about the whole file.
    pub location: String,
    /// The error in words, with its location first, as stderr has it.
    pub message: String,
}

impl SpecError {
    /// The errors of a failed command, if a spec's errors stopped it.
    pub fn of(error: &anyhow::Error) -> Vec<SpecError> {
        error
            .chain()
            .find_map(|cause| cause.downcast_ref::<crate::codegen::SpecErrors>())
            .map(|found| {
                found
                    .errors
                    .iter()
                    .map(|error| SpecError {
                        location: error.location.clone(),
                        message: error.to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Prints `value` as one pretty JSON document on stdout.
pub fn print_json(value: &impl Serialize) -> Outcome {
    let text = serde_json::to_string_pretty(value).context("writing the JSON report")?;
    println!("{text}");
    Ok(())
}

/// Reads a JSON report written by one of the commands, refusing one of another schema.
fn read_report<T: DeserializeOwned>(path: &Path, schema: &str) -> anyhow::Result<T> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let found = value.get("schema").and_then(serde_json::Value::as_str);
    if found != Some(schema) {
        bail!(
            "{} is not a {schema} report (its schema is {})",
            path.display(),
            found.map_or("missing".to_owned(), |s| format!("`{s}`"))
        );
    }
    serde_json::from_value(value).with_context(|| format!("reading {} as {schema}", path.display()))
}

/// The reports `cargo xtask report` reads, by path.
pub struct Inputs<'a> {
    /// `diff --format json` output.
    pub diff: &'a Path,
    /// `codegen --check --format json` output, taken before regenerating.
    pub codegen: Option<&'a Path>,
    /// `examples --check --format json` output, taken after regenerating.
    pub examples: Option<&'a Path>,
}

/// `cargo xtask report`: reads the reports, writes the Markdown summary to `out` (or stdout),
/// and ends with a finding (exit code 1) when a change is breaking or an example failed.
pub fn run_report(inputs: &Inputs<'_>, out: Option<&Path>) -> Outcome {
    let diff: DiffReport = read_report(inputs.diff, DIFF_SCHEMA)?;
    let codegen: Option<CodegenCheckReport> = inputs
        .codegen
        .map(|path| read_report(path, CODEGEN_CHECK_SCHEMA))
        .transpose()?;
    let examples: Option<ExamplesReport> = inputs
        .examples
        .map(|path| read_report(path, EXAMPLES_SCHEMA))
        .transpose()?;
    let summary = summary(&diff, codegen.as_ref(), examples.as_ref());
    match out {
        Some(path) => {
            std::fs::write(path, &summary).with_context(|| format!("writing {}", path.display()))?
        }
        None => print!("{summary}"),
    }
    let failed = examples.as_ref().map_or(0, |e| e.failed);
    match (diff.counts.breaking, failed) {
        (0, 0) => Ok(()),
        (breaking, failed) => Err(Failure::found(format!(
            "{breaking} breaking change(s), {failed} failing example(s)"
        ))),
    }
}

/// The Markdown summary: a verdict and a table of counts first, then the lists.
pub fn summary(
    diff: &DiffReport,
    codegen: Option<&CodegenCheckReport>,
    examples: Option<&ExamplesReport>,
) -> String {
    let mut text = String::new();
    let failed = examples.map_or(0, |e| e.failed);
    let verdict = match (diff.counts.breaking, failed) {
        (0, 0) => "no breaking change".to_owned(),
        (0, failed) => format!("{failed} failing example(s)"),
        (breaking, 0) => format!("{breaking} breaking change(s)"),
        (breaking, failed) => {
            format!("{breaking} breaking change(s) and {failed} failing example(s)")
        }
    };
    // `write!` to a String cannot fail.
    let _ = writeln!(text, "# Docs change: {verdict}\n");
    let _ = writeln!(text, "`{}` → `{}`\n", diff.old, diff.new);
    let _ = writeln!(text, "| check | result |\n|---|---|");
    let _ = writeln!(
        text,
        "| API changes | {} breaking, {} additive |",
        diff.counts.breaking, diff.counts.additive
    );
    match codegen {
        Some(codegen) => {
            let _ = writeln!(
                text,
                "| generated files | {} changed, {} new, {} removed (of {}) |",
                codegen.counts.stale,
                codegen.counts.missing,
                codegen.counts.extra,
                codegen.counts.generated
            );
        }
        None => {
            let _ = writeln!(text, "| generated files | not checked |");
        }
    }
    match examples {
        Some(examples) => {
            let _ = writeln!(
                text,
                "| examples | {} passed, {} failed |",
                examples.passed, examples.failed
            );
        }
        None => {
            let _ = writeln!(text, "| examples | not run |");
        }
    }
    let changes = |text: &mut String, title: &str, list: &[DiffChange]| {
        if list.is_empty() {
            return;
        }
        let _ = writeln!(text, "\n## {title}\n");
        for change in list {
            let _ = writeln!(text, "- {} (`{}`)", change.message, change.pointer);
        }
    };
    changes(&mut text, "Breaking changes", &diff.breaking);
    changes(&mut text, "Additive changes", &diff.additive);
    if let Some(examples) = examples.filter(|e| !e.failures.is_empty()) {
        let _ = writeln!(text, "\n## Failing examples\n");
        for failure in &examples.failures {
            for message in &failure.messages {
                let _ = writeln!(
                    text,
                    "- `{}` (`{}`): {message}",
                    failure.example, failure.file
                );
            }
        }
    }
    if let Some(codegen) = codegen.filter(|c| !c.up_to_date) {
        let _ = writeln!(text, "\n## Generated files\n");
        for file in &codegen.stale {
            let _ = writeln!(text, "- changed `{}`", file.path);
        }
        for path in &codegen.missing {
            let _ = writeln!(text, "- new `{path}`");
        }
        for path in &codegen.extra {
            let _ = writeln!(text, "- removed `{path}`");
        }
        for problem in &codegen.problems {
            let _ = writeln!(text, "- not checked: {problem}");
        }
        for reason in &codegen.reasons {
            let _ = writeln!(text, "\nWhy: {reason}");
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(message: &str) -> DiffChange {
        DiffChange {
            section: "properties".into(),
            kind: "removed".into(),
            subject: "ns.thing".into(),
            pointer: "/components/schemas/ns.thing/properties/name".into(),
            message: message.into(),
        }
    }

    #[test]
    fn the_summary_leads_with_the_verdict_and_the_counts() {
        let diff = DiffReport {
            schema: DIFF_SCHEMA.into(),
            old: "old.yaml".into(),
            new: "new.yaml".into(),
            counts: DiffCounts {
                breaking: 1,
                additive: 0,
                total: 1,
            },
            breaking: vec![change("removed property `ns.thing.name` (string)")],
            additive: vec![],
        };
        let codegen = CodegenCheckReport {
            schema: CODEGEN_CHECK_SCHEMA.into(),
            up_to_date: false,
            counts: CodegenCounts {
                generated: 10,
                stale: 1,
                missing: 0,
                extra: 1,
                problems: 0,
            },
            stale: vec![StaleFile {
                path: "generated/v1.0/models/src/thing.rs".into(),
                diff: String::new(),
            }],
            missing: vec![],
            extra: vec!["generated/v1.0/models/src/gone.rs".into()],
            problems: vec![],
            reasons: vec!["the spec changed".into()],
        };
        let text = summary(&diff, Some(&codegen), None);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "# Docs change: 1 breaking change(s)");
        assert!(
            text.contains("| API changes | 1 breaking, 0 additive |"),
            "{text}"
        );
        assert!(text.contains("| generated files | 1 changed, 0 new, 1 removed (of 10) |"));
        assert!(text.contains("| examples | not run |"));
        assert!(text.contains(
            "- removed property `ns.thing.name` (string) (`/components/schemas/ns.thing/properties/name`)"
        ));
        assert!(text.contains("- removed `generated/v1.0/models/src/gone.rs`"));
        assert!(!text.contains("## Additive changes"));
    }
}
