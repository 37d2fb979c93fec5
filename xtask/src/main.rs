//! `cargo xtask`: the project's workflow commands.

mod api_diff;
mod codegen;
/// The one test helper spec_check's tests still take from here (the docs tooling itself is
/// the docs-tools crate now).
#[cfg(test)]
mod docs {
    /// Locates a path inside the shared reference directory for tests that read it.
    ///
    /// `SHARED_DIR` overrides the default `../../shared` (relative to this crate's manifest).
    /// When the directory is absent the caller skips its test; a note says so.
    pub(crate) fn shared_path(relative: &str) -> Option<std::path::PathBuf> {
        let base = std::env::var_os("SHARED_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| {
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared")
            });
        let path = base.join(relative);
        if path.is_dir() {
            Some(std::fs::canonicalize(&path).unwrap_or(path))
        } else {
            println!("note: {} is absent; skipping this test", path.display());
            None
        }
    }
}
mod spec_check;
mod trim;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Regenerate the bindings and check them against the docs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate generated/ from spec/ (or any spec into any directory).
    Codegen {
        /// Change nothing; fail and name each stale file if generated/ is not what the generator makes.
        #[arg(long)]
        check: bool,
        /// Generate from this OpenAPI document (YAML or JSON) instead of the project's specs.
        #[arg(long, requires = "out")]
        spec: Option<PathBuf>,
        /// Write a standalone crate workspace here (with --spec). Only files listed in
        /// DIR/codegen.lock are ever replaced or removed; symbolic links below DIR are refused.
        #[arg(long, requires = "spec")]
        out: Option<PathBuf>,
        /// With --out: also overwrite files in DIR that codegen.lock doesn't list (such as a
        /// hand-written Cargo.toml), and ignore a lock record it can't read.
        #[arg(long, requires = "out")]
        force: bool,
    },
    /// Check documented examples (`--check DIR`) or extract them from doc pages (`extract`).
    Examples {
        /// Check every example under this directory and print `N passed, N failed`.
        #[arg(long, value_name = "DIR")]
        check: Option<PathBuf>,
        /// Also print the docs defects tolerated by failing examples.
        #[arg(long)]
        verbose: bool,
        #[command(subcommand)]
        action: Option<ExamplesAction>,
    },
    /// Compare spec/<version> with Microsoft's published description; fail on unexplained differences.
    SpecCheck {
        /// Microsoft's OpenAPI description (identity-governance.v1.0.yaml, or the beta file).
        #[arg(long)]
        upstream: PathBuf,
        /// Which spec to check: spec/v1.0 or spec/beta.
        #[arg(long, default_value = "v1.0", value_parser = ["v1.0", "beta"])]
        version: String,
    },
    /// Report added, removed and changed operations, types, properties and enum members.
    Diff {
        /// The old spec: a file, or `REV:PATH` for the file at a git revision.
        old: String,
        /// The new spec: a file, or `REV:PATH`.
        new: String,
        /// Exit non-zero when any change is breaking.
        #[arg(long)]
        fail_on_breaking: bool,
    },
    /// Carve the paths under some prefixes, and every component they need, out of a large spec.
    Trim {
        /// The large OpenAPI document (YAML or JSON).
        #[arg(long)]
        from: PathBuf,
        /// Keep the paths whose key starts with one of these.
        #[arg(long = "prefix", required = true, num_args = 1..)]
        prefixes: Vec<String>,
        /// Where to write the result (JSON if it ends in .json, else YAML).
        #[arg(long)]
        out: PathBuf,
        /// Also keep schemas whose CSDL type derives from a kept one (the CSDL metadata XML).
        #[arg(long, value_name = "METADATA.xml")]
        derived_from: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum ExamplesAction {
    /// Extract the request/response/resource examples of documentation pages into fixtures.
    Extract {
        /// The pages: Markdown doc pages (`.md`) or plain-text scraped doc pages.
        #[arg(required = true)]
        pages: Vec<PathBuf>,
        /// The fixture directory (`<out>/<version>/<page>/...`).
        #[arg(long)]
        out: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Codegen {
            check,
            spec,
            out,
            force,
        } => codegen::run(check, spec, out, force),
        Command::Examples {
            action: Some(ExamplesAction::Extract { pages, out }),
            ..
        } => run_extract(&pages, &out),
        Command::Examples {
            check: Some(dir),
            verbose,
            action: None,
        } => return run_check(&dir, verbose),
        Command::SpecCheck { upstream, version } => match spec_check::run(&upstream, &version) {
            Ok(true) => Ok(()),
            Ok(false) => Err(anyhow::anyhow!(
                "the spec differs from upstream in ways the differences file does not explain"
            )),
            Err(error) => Err(error),
        },
        Command::Diff {
            old,
            new,
            fail_on_breaking,
        } => match api_diff::run(&old, &new) {
            Ok(breaking) if fail_on_breaking && breaking > 0 => Err(anyhow::anyhow!(
                "{breaking} breaking change(s) and --fail-on-breaking was given"
            )),
            Ok(_) => Ok(()),
            Err(error) => Err(error),
        },
        Command::Trim {
            from,
            prefixes,
            out,
            derived_from,
        } => trim::run(&from, &prefixes, &out, derived_from.as_deref()),
        Command::Examples { .. } => Err(anyhow::anyhow!("give --check DIR or `extract`")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask examples extract PAGE... --out DIR`: re-extracts the pages' examples, replacing
/// the fixtures of each page.
fn run_extract(pages: &[PathBuf], out: &std::path::Path) -> anyhow::Result<()> {
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
fn run_check(dir: &std::path::Path, verbose: bool) -> ExitCode {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = codegen::workspace_root().join("Cargo.toml");
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
