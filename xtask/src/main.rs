//! `cargo xtask`: the project's workflow commands.

mod codegen;
mod docs;
mod examples;
mod spec_check;

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
        /// Write a standalone crate workspace here (with --spec).
        #[arg(long, requires = "spec")]
        out: Option<PathBuf>,
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
    /// Compare spec/v1.0 with Microsoft's published description; fail on unexplained differences.
    SpecCheck {
        /// Microsoft's OpenAPI description (identity-governance.v1.0.yaml).
        #[arg(long)]
        upstream: PathBuf,
    },
}

#[derive(Subcommand)]
enum ExamplesAction {
    /// Extract the request/response/resource examples of documentation pages into fixtures.
    Extract {
        /// The pages (plain-text scraped doc pages).
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
        Command::Codegen { check, spec, out } => codegen::run(check, spec, out),
        Command::Examples {
            action: Some(ExamplesAction::Extract { pages, out }),
            ..
        } => examples::run_extract(&pages, &out),
        Command::Examples {
            check: Some(dir),
            verbose,
            action: None,
        } => match examples::run_check(&dir, verbose) {
            Ok(true) => Ok(()),
            Ok(false) => Err(anyhow::anyhow!("some examples failed")),
            Err(error) => Err(error),
        },
        Command::SpecCheck { upstream } => match spec_check::run(&upstream) {
            Ok(true) => Ok(()),
            Ok(false) => Err(anyhow::anyhow!(
                "the spec differs from upstream in ways the differences file does not explain"
            )),
            Err(error) => Err(error),
        },
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
