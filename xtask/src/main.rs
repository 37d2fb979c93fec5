//! `cargo xtask`: the project's workflow commands.

mod codegen;
mod docs;

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Codegen { check, spec, out } => codegen::run(check, spec, out),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
