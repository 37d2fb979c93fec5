//! `cargo xtask examples`: extracting examples from doc pages (docs-tools), and running the
//! examples check, which lives in the conformance crate.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::outcome::{Failure, Outcome};
use crate::report::Format;

/// `cargo xtask examples extract PAGE... --out DIR`: re-extracts the pages' examples, replacing
/// the fixtures of each page.
pub fn run_extract(pages: &[PathBuf], out: &Path) -> Outcome {
    let mut count = 0;
    for page in pages {
        let examples = docs_tools::extract_page(page)?;
        docs_tools::write_page(out, &examples)?;
        count += examples.len();
        println!("{}: {} examples", page.display(), examples.len());
    }
    println!("extracted {count} examples into {}", out.display());
    Ok(())
}

/// `cargo xtask examples --check DIR`: the check needs the generated crates compiled, which
/// this tool must not link (a generation that doesn't compile would lock codegen out), so it
/// runs the conformance crate's binary of the checkout at `root`, in the current directory.
/// That binary exits 1 when examples failed (a finding here too) and 2 on an error; anything
/// else (cargo's 101 for a build that failed, a signal) is an error.
///
/// With [`Format::Json`] the conformance binary prints the JSON report
/// (`docs_tools::report::ExamplesReport`) itself, on the stdout this process shares with it.
pub fn run_check(root: &Path, dir: &Path, verbose: bool, format: Format) -> Outcome {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = root.join("Cargo.toml");
    let mut command = std::process::Command::new(cargo);
    command
        .args([
            "run",
            "--quiet",
            "--package",
            "conformance",
            "--manifest-path",
        ])
        .arg(&manifest)
        .args(["--", "check"])
        .arg(dir);
    if verbose {
        command.arg("--verbose");
    }
    if format == Format::Json {
        command.args(["--format", "json"]);
    }
    let status = command
        .status()
        .context("running `cargo run -p conformance`")?;
    match status.code() {
        Some(0) => Ok(()),
        // The check has printed its report, ending in `N passed, N failed`.
        Some(1) => Err(Failure::found("some examples failed")),
        Some(code) => Err(Failure::usage(format!(
            "the examples check did not finish (`cargo run -p conformance` exited with {code})"
        ))),
        None => Err(Failure::usage(
            "the examples check did not finish (`cargo run -p conformance` was killed by a signal)",
        )),
    }
}
