//! The machine-readable report of the examples check (`cargo xtask examples --check DIR
//! --format json`). It lives here, beside the fixture layout, because two crates speak it:
//! the conformance crate writes it, and `cargo xtask report` reads it back, and neither may
//! depend on the other (xtask must not link the generated crates conformance needs).
//!
//! The schema is versioned by its `schema` field; a change that removes or renames a field,
//! or changes what one means, gets a new version. Fields may be added within a version.

use serde::{Deserialize, Serialize};

/// The `schema` field of an examples report, version 1.
pub const SCHEMA: &str = "graph-xtask/examples/v1";

/// One run of the examples check over a directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExamplesReport {
    /// Always [`SCHEMA`] for this shape.
    pub schema: String,
    /// The directory checked, as given on the command line.
    pub dir: String,
    /// How many examples passed.
    pub passed: usize,
    /// How many examples failed.
    pub failed: usize,
    /// Every failing example, in the order the check met them.
    pub failures: Vec<ExampleFailure>,
    /// Every documentation defect the check tolerated, passing examples' and failing ones'.
    pub tolerated: Vec<ToleratedDefect>,
}

/// An example that failed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExampleFailure {
    /// `<version>/<page>/<n>-<kind>`, the id errata use.
    pub example: String,
    /// The example's file (its body, or its HTTP text when it has no body).
    pub file: String,
    /// One message per problem found.
    pub messages: Vec<String>,
}

/// A documentation defect that was repaired or excused, with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToleratedDefect {
    /// The example it was found in.
    pub example: String,
    /// What the defect is and why it is tolerated.
    pub defect: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_reads_back_as_it_was_written() {
        let report = ExamplesReport {
            schema: SCHEMA.to_owned(),
            dir: "examples".to_owned(),
            passed: 3,
            failed: 1,
            failures: vec![ExampleFailure {
                example: "v1.0/page/1-response".to_owned(),
                file: "examples/v1.0/page/1-response.json".to_owned(),
                messages: vec!["undeclared property $.x".to_owned()],
            }],
            tolerated: vec![ToleratedDefect {
                example: "v1.0/page/2-request".to_owned(),
                defect: "trailing comma".to_owned(),
            }],
        };
        let text = serde_json::to_string(&report).expect("serializes");
        assert!(
            text.starts_with(r#"{"schema":"graph-xtask/examples/v1","dir":"examples","passed":3"#)
        );
        let back: ExamplesReport = serde_json::from_str(&text).expect("reads back");
        assert_eq!(back, report);
    }
}
