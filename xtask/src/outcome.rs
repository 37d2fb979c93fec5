//! How a command ends, and the exit status each ending has. Every verb returns an
//! [`Outcome`]; `main` turns it into the process's exit code with [`exit_code`], so the table
//! below is the only place the codes are decided.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | done, and nothing was found to fail on |
//! | 1 | the command ran and found what it was asked to fail on: a breaking change (`diff --fail-on-breaking`), stale files (`codegen --check`), failing examples (`examples --check`), unexplained differences (`spec-check`) |
//! | 2 | usage or input error: bad arguments, no checkout found, an unreadable or invalid spec, a bad `REV:PATH`, or anything else that stopped the command before it could answer |
//!
//! Code 2 is also what clap exits with for arguments it can't parse, so a job can treat 1 as
//! "look at the report" and anything above it as "the tool is broken or misused".

use std::fmt;
use std::process::ExitCode;

/// The exit code of a finding (see the module's table).
pub const FOUND: u8 = 1;

/// The exit code of a usage or input error (see the module's table).
pub const ERROR: u8 = 2;

/// The exit codes as `cargo xtask --help` lists them.
pub const HELP: &str = "\
Exit codes:
  0  done; nothing found to fail on
  1  found what was asked to fail on: a breaking change (diff --fail-on-breaking),
     stale files (codegen --check), failing examples (examples --check),
     unexplained differences (spec-check)
  2  usage or input error: bad arguments, no checkout found, an unreadable or
     invalid spec, a bad REV:PATH, or any other error that stopped the command";

/// Why a command did not end with success.
#[derive(Debug)]
pub enum Failure {
    /// The command did its work and found what it was asked to fail on; the report has been
    /// printed, and this says in one line what was found.
    Found(String),
    /// The command could not do its work: bad usage, bad input, or an error on the way.
    Error(anyhow::Error),
}

/// What a verb returns: `Ok` is exit code 0.
pub type Outcome<T = ()> = Result<T, Failure>;

impl Failure {
    /// A finding, described in one line.
    pub fn found(message: impl Into<String>) -> Self {
        Failure::Found(message.into())
    }

    /// A usage or input error, described in one line.
    pub fn usage(message: impl fmt::Display) -> Self {
        Failure::Error(anyhow::anyhow!("{message}"))
    }

    /// The exit code of this failure.
    pub fn code(&self) -> u8 {
        match self {
            Failure::Found(_) => FOUND,
            Failure::Error(_) => ERROR,
        }
    }
}

/// Any error that isn't explicitly a finding is an error of code 2: a failure is never taken
/// for a finding by accident.
impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Self {
        Failure::Error(error)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Found(message) => write!(f, "{message}"),
            Failure::Error(error) => write!(f, "{error:#}"),
        }
    }
}

/// Prints a failure's message to stderr and returns the exit code the outcome has.
pub fn exit_code(outcome: Outcome) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {failure}");
            ExitCode::from(failure.code())
        }
    }
}
