//! `cargo xtask examples`: extracting examples from doc pages (docs-tools), and running the
//! examples check, which lives in the conformance crate.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;

/// `cargo xtask examples extract PAGE... --out DIR`: re-extracts the pages' examples, replacing
/// the fixtures of each page.
pub fn run_extract(pages: &[PathBuf], out: &Path) -> Result<()> {
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
/// runs the conformance crate's binary of the root workspace, in the current directory, and
/// ends as it ends.
pub fn run_check(dir: &Path, verbose: bool) -> ExitCode {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = crate::codegen::workspace_root().join("Cargo.toml");
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
    match command.status() {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(status) => {
            // The check printed its failures; its exit code is passed on where it has one.
            let code = status
                .code()
                .and_then(|c| u8::try_from(c).ok())
                .unwrap_or(1);
            ExitCode::from(code.max(1))
        }
        Err(error) => {
            eprintln!("error: running `cargo run -p conformance`: {error}");
            ExitCode::FAILURE
        }
    }
}
