//! `conformance check DIR [--verbose] [--format human|json]`: the examples check as a command. `cargo xtask
//! examples --check DIR` runs this (through `cargo run -p conformance`), because the check
//! needs the generated crates compiled and the codegen tool must not link them.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "conformance",
    about = "Check documented examples against the spec and the generated crates"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check every example under DIR and print `N passed, N failed`.
    Check {
        /// The examples: `<version>/<page>/<n>-request|response|resource.*` below it.
        dir: PathBuf,
        /// Also print the docs defects the check tolerated (always in the JSON report).
        #[arg(long, short)]
        verbose: bool,
        /// `human` lines, or one JSON document (schema `graph-xtask/examples/v1`).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

/// Exit codes, the same as `cargo xtask`'s (which passes them on): 0 when every example
/// passed, 1 when some failed (the report says which), 2 when the check could not run (bad
/// arguments, an empty or unreadable directory, specs or errata that don't load).
fn main() -> ExitCode {
    let Command::Check {
        dir,
        verbose,
        format,
    } = Cli::parse().command;
    let format = match format {
        Format::Human => conformance::Format::Human,
        Format::Json => conformance::Format::Json,
    };
    match conformance::run_check(&dir, verbose, format) {
        Ok(true) => ExitCode::SUCCESS,
        // The report has said what failed; `cargo xtask` adds the error line.
        Ok(false) => ExitCode::from(1),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}
