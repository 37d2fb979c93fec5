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
