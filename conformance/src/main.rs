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

fn main() -> ExitCode {
    let Command::Check { dir, verbose } = Cli::parse().command;
    match conformance::run_check(&dir, verbose) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("error: some examples failed");
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
