//! The project's workflow commands as a library, behind the `cargo xtask` command line
//! (src/main.rs): regenerating generated/ (`codegen`), the spec tools (`spec`, over the
//! spec-tools crate) and the `examples` commands (over docs-tools and the conformance crate).
//! Each command returns an [`outcome::Outcome`], whose exit code is decided in that one
//! module, and works on the checkout [`root`] finds when it runs. The JSON reports and the
//! Markdown summary of a docs change (`cargo xtask report`) are in [`report`].
//!
//! Nothing here links a generated crate: the examples check, which needs them compiled, is
//! the conformance crate's, and `examples::run_check` runs it as a separate build.

pub mod codegen;
pub mod examples;
pub mod outcome;
pub mod progress;
pub mod report;
pub mod root;
pub mod spec;

/// Every cargo xtask command runs on mimalloc. Generating a crate builds and drops millions
/// of small token trees and syntax nodes, and the system allocator's bookkeeping was a third
/// of the instructions codegen of our spec ran (callgrind); with mimalloc the whole command
/// took 0.77 of the time in a paired run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
