//! `cargo xtask`: the project's workflow commands, a thin command line over the xtask
//! library and the libraries it uses (generator, docs-tools).
//!
//! Two packages build this file: `xtask` in the root workspace (so that its tests and clippy
//! run with everything else) and `xtask/cli`, a workspace of its own that `cargo xtask`
//! runs. The second loads nothing of the root workspace, so `cargo xtask codegen` works
//! when generated/ is missing or doesn't compile.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use xtask::outcome::{self, Failure, Outcome};
use xtask::{codegen, examples, root, spec};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Regenerate the bindings and check them against the docs",
    after_help = outcome::HELP,
    disable_version_flag = true
)]
struct Cli {
    /// The checkout to work on. Default: the nearest directory at or above the current one
    /// that has Cargo.toml, spec/ and xtask/Cargo.toml.
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,
    /// Print the generator's version and, for each target, the spec hash and generator its
    /// lock record (generated/<version>/codegen.lock) holds.
    #[arg(long)]
    version: bool,
    #[command(subcommand)]
    command: Option<Command>,
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
        /// Exit with code 1 when any change is breaking.
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
        /// Also keep the schemas whose CSDL type derives from one that a kept property, body
        /// or response is typed as (the CSDL metadata XML).
        #[arg(long, value_name = "METADATA.xml")]
        derived_from: Option<PathBuf>,
        /// Count navigation properties as typed uses too (they are expanded only on request).
        #[arg(long)]
        follow_navigation: bool,
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
    if cli.version {
        return outcome::exit_code(version(cli.root.as_deref()));
    }
    let Some(command) = cli.command else {
        // clap's own usage error: exit code 2, like any other bad argument.
        Cli::command()
            .error(
                clap::error::ErrorKind::MissingSubcommand,
                "give a command, or --version",
            )
            .exit()
    };
    outcome::exit_code(run(cli.root.as_deref(), command))
}

/// `--version`: the generator's version, then what each target's lock record says.
fn version(root: Option<&Path>) -> Outcome {
    println!("cargo xtask: generator {}", codegen::GENERATOR_VERSION);
    let root = root::resolve(root)?;
    for line in codegen::recorded_versions(&root) {
        println!("{line}");
    }
    Ok(())
}

/// Runs one command. The checkout is looked for only by the commands that read it, so
/// `trim` and `examples extract` work anywhere.
fn run(root: Option<&Path>, command: Command) -> Outcome {
    let checkout = || root::resolve(root);
    match command {
        Command::Codegen {
            check,
            spec,
            out,
            force,
        } => codegen::run_in(&checkout()?, check, spec, out, force),
        Command::Examples {
            action: Some(ExamplesAction::Extract { pages, out }),
            ..
        } => examples::run_extract(&pages, &out),
        Command::Examples {
            check: Some(dir),
            verbose,
            action: None,
        } => examples::run_check(&checkout()?, &dir, verbose),
        Command::SpecCheck { upstream, version } => spec::check(&checkout()?, &upstream, &version),
        Command::Diff {
            old,
            new,
            fail_on_breaking,
        } => spec::diff(&checkout()?, &old, &new, fail_on_breaking),
        Command::Trim {
            from,
            prefixes,
            out,
            derived_from,
            follow_navigation,
        } => spec::trim(
            &from,
            &prefixes,
            &out,
            derived_from.as_deref(),
            follow_navigation,
        ),
        Command::Examples { .. } => Err(Failure::usage("give --check DIR or `extract`")),
    }
}
