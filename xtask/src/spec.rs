//! `cargo xtask diff`, `spec-check` and `trim`: the spec-tools library does the work; this
//! module prints what it returns and turns failures into the exit status.

use std::path::Path;

use anyhow::{bail, Result};

use crate::codegen::workspace_root;

/// Prints the Markdown report of what changed from `old` to `new`.
pub fn diff(old: &str, new: &str, fail_on_breaking: bool) -> Result<()> {
    let report = spec_tools::diff::run(old, new, &workspace_root())?;
    print!("{report}");
    let breaking = report.breaking();
    if fail_on_breaking && breaking > 0 {
        bail!("{breaking} breaking change(s) and --fail-on-breaking was given");
    }
    Ok(())
}

/// Prints each unexplained difference between the project's spec and `upstream`, then a
/// summary; fails when there was any.
pub fn check(upstream: &Path, version: &str) -> Result<()> {
    let outcome = spec_tools::check::run(&workspace_root(), upstream, version)?;
    for line in &outcome.lines {
        println!("{line}");
    }
    println!("{}", outcome.summary());
    if !outcome.is_clean() {
        bail!("the spec differs from upstream in ways the differences file does not explain");
    }
    Ok(())
}

/// Writes the trimmed document, warns about dangling references, and prints what was kept.
pub fn trim(
    from: &Path,
    prefixes: &[String],
    out: &Path,
    derived_from: Option<&Path>,
) -> Result<()> {
    let report = spec_tools::trim::run(from, prefixes, out, derived_from)?;
    for warning in report.summary.warnings() {
        eprintln!("warning: {warning}");
    }
    println!("{report}");
    Ok(())
}
