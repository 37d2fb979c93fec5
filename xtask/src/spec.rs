//! `cargo xtask diff`, `spec-check` and `trim`: the spec-tools library does the work; this
//! module prints what it returns and says how the command ended (see [`crate::outcome`]).

use std::path::Path;

use crate::outcome::{Failure, Outcome};
use crate::progress::Progress;
use crate::report::{print_json, DiffReport, Format};

/// Prints the report of what changed from `old` to `new`, in Markdown or as JSON
/// ([`DiffReport`]); `REV:PATH` is read with git in the checkout at `root`. With
/// `fail_on_breaking`, a breaking change is a finding.
pub fn diff(root: &Path, old: &str, new: &str, fail_on_breaking: bool, format: Format) -> Outcome {
    let report = spec_tools::diff::run(old, new, root).map_err(anyhow::Error::from)?;
    match format {
        Format::Human => print!("{report}"),
        Format::Json => print_json(&DiffReport::from_report(&report))?,
    }
    let breaking = report.breaking();
    if fail_on_breaking && breaking > 0 {
        return Err(Failure::found(format!(
            "{breaking} breaking change(s) and --fail-on-breaking was given"
        )));
    }
    Ok(())
}

/// Prints each unexplained difference between the spec of the checkout at `root` and
/// `upstream`, then a summary; any unexplained difference is a finding.
pub fn check(root: &Path, upstream: &Path, version: &str) -> Outcome {
    let outcome = spec_tools::check::run(root, upstream, version).map_err(anyhow::Error::from)?;
    for line in &outcome.lines {
        println!("{line}");
    }
    println!("{}", outcome.summary());
    if !outcome.is_clean() {
        return Err(Failure::found(
            "the spec differs from upstream in ways the differences file does not explain",
        ));
    }
    Ok(())
}

/// Writes the trimmed document, warns about dangling references and about used bases whose
/// derived types the output lacks (the exit code stays 0), and prints what was kept.
pub fn trim(
    from: &Path,
    prefixes: &[String],
    out: &Path,
    derived_from: Option<&Path>,
    follow_navigation: bool,
) -> Outcome {
    let options = spec_tools::trim::RunOptions {
        derived_from,
        follow_navigation,
    };
    // Reading the whole Graph description takes seconds: show that it is going, on a terminal.
    let progress = Progress::spinner("trim", &format!("reading and trimming {}", from.display()));
    let report = spec_tools::trim::run(from, prefixes, out, options);
    drop(progress);
    let report = report.map_err(anyhow::Error::from)?;
    for warning in report.summary.warnings() {
        eprintln!("warning: {warning}");
    }
    println!("{report}");
    Ok(())
}
