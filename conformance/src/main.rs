//! `conformance check DIR [--verbose]`: the examples check as a command. `cargo xtask
//! examples --check DIR` runs this (through `cargo run -p conformance`), because the check
//! needs the generated crates compiled and the codegen tool must not link them.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
        /// Also print the docs defects tolerated by failing examples.
        #[arg(long)]
        verbose: bool,
    },
}

/// Exit codes, the same as `cargo xtask`'s (which passes them on): 0 when every example
/// passed, 1 when some failed (the report says which), 2 when the check could not run (bad
/// arguments, an empty or unreadable directory, specs or errata that don't load).
fn main() -> ExitCode {
    let Command::Check { dir, verbose } = Cli::parse().command;
    match conformance::run_check(&dir, verbose) {
        Ok(true) => ExitCode::SUCCESS,
        // The report ends with `N passed, N failed`; `cargo xtask` adds the error line.
        Ok(false) => ExitCode::from(1),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}
