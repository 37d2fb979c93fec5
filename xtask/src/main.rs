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
use xtask::report::{self, Format};
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
        /// With --check: `human` lines, or one JSON document (graph-xtask/codegen-check/v1).
        #[arg(long, value_enum, default_value_t, requires = "check")]
        format: Format,
    },
    /// Check documented examples (`--check DIR`) or extract them from doc pages (`extract`).
    Examples {
        /// Check every example under this directory and print `N passed, N failed`.
        #[arg(long, value_name = "DIR")]
        check: Option<PathBuf>,
        /// Also print the docs defects the check tolerated (the JSON report always has them).
        #[arg(long, short)]
        verbose: bool,
        /// With --check: `human` lines, or one JSON document (graph-xtask/examples/v1).
        #[arg(long, value_enum, default_value_t)]
        format: Format,
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
        /// `human` (Markdown), or one JSON document (graph-xtask/diff/v1).
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Write the Markdown summary of a docs change from the JSON reports of `diff`,
    /// `codegen --check` and `examples --check`; exit 1 if a change is breaking or an example
    /// failed.
    Report {
        /// The `diff --format json` report.
        #[arg(long, value_name = "FILE")]
        diff: PathBuf,
        /// The `codegen --check --format json` report, taken before regenerating.
        #[arg(long, value_name = "FILE")]
        codegen: Option<PathBuf>,
        /// The `examples --check --format json` report, taken after regenerating.
        #[arg(long, value_name = "FILE")]
        examples: Option<PathBuf>,
        /// Write the summary here instead of to stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
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
    let json_verb = command.json_verb();
    let outcome = run(cli.root.as_deref(), command);
    if let (Some(verb), Err(failure @ Failure::Error(_))) = (json_verb, &outcome) {
        // A job reading stdout as JSON gets a document saying what went wrong, not nothing.
        let error = report::ErrorReport {
            schema: report::ERROR_SCHEMA.to_owned(),
            command: verb.to_owned(),
            error: report::ErrorDetail {
                message: failure.to_string(),
                exit_code: failure.code(),
                spec_errors: match failure {
                    Failure::Error(error) => report::SpecError::of(error),
                    Failure::Found(_) => Vec::new(),
                },
            },
        };
        // Failing to print it leaves the stderr line and the exit code, which still tell.
        let _ = report::print_json(&error);
    }
    outcome::exit_code(outcome)
}

impl Command {
    /// The verb's name when it was asked for a JSON report, for the error document.
    fn json_verb(&self) -> Option<&'static str> {
        match self {
            Command::Codegen {
                format: Format::Json,
                ..
            } => Some("codegen"),
            Command::Examples {
                format: Format::Json,
                ..
            } => Some("examples"),
            Command::Diff {
                format: Format::Json,
                ..
            } => Some("diff"),
            _ => None,
        }
    }
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
            format,
        } => codegen::run_in(&checkout()?, check, format, spec, out, force),
        Command::Examples {
            action: Some(ExamplesAction::Extract { pages, out }),
            ..
        } => examples::run_extract(&pages, &out),
        Command::Examples {
            check: Some(dir),
            verbose,
            format,
            action: None,
        } => examples::run_check(&checkout()?, &dir, verbose, format),
        Command::SpecCheck { upstream, version } => spec::check(&checkout()?, &upstream, &version),
        Command::Diff {
            old,
            new,
            fail_on_breaking,
            format,
        } => spec::diff(&checkout()?, &old, &new, fail_on_breaking, format),
        Command::Report {
            diff,
            codegen,
            examples,
            out,
        } => report::run_report(
            &report::Inputs {
                diff: &diff,
                codegen: codegen.as_deref(),
                examples: examples.as_deref(),
            },
            out.as_deref(),
        ),
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
