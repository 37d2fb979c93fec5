//! Tools that read OpenAPI documents as plain trees, beside the generator's pipeline:
//!
//! - [`trim`]: carve the paths under some prefixes, and every component they need, out of a
//!   large description (such as Microsoft's whole Graph API);
//! - [`diff`]: what changed between two versions of a description, each change marked
//!   breaking or additive;
//! - [`check`]: compare the project's spec with Microsoft's and report every difference the
//!   project's list of intended differences does not explain.
//!
//! Beside them, [`openapi`] holds what all three need to read a document (loading, operations,
//! references, `allOf`, what type a property holds), and [`csdl`] reads the OData metadata that
//! `trim --derived-from` takes. Every fallible function returns this crate's [`Error`].
//!
//! `cargo xtask trim`, `cargo xtask diff` and `cargo xtask spec-check` parse their arguments,
//! call into this crate and print what it returns.

#![deny(missing_docs)]

pub mod check;
pub mod csdl;
pub mod diff;
mod error;
pub mod openapi;
pub mod trim;

pub use error::{Error, Result, SyntaxError};

/// The workspace root (the parent of this crate's directory), for tests that read the
/// project's own files.
#[cfg(test)]
pub(crate) fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_else(|| std::path::PathBuf::from("."))
}

/// A directory of the reference material (`$SHARED_DIR`, by default `shared/` beside the
/// workspace), or `None` when it is absent. Tests that need it then pass without checking
/// anything, and say so on their output.
#[cfg(test)]
pub(crate) fn shared_path(relative: &str) -> Option<std::path::PathBuf> {
    let shared = match std::env::var_os("SHARED_DIR") {
        Some(dir) => std::path::PathBuf::from(dir),
        None => workspace_root().join("../shared"),
    };
    let path = shared.join(relative);
    if !path.is_dir() {
        println!("note: {} is absent; skipping this test", path.display());
        return None;
    }
    Some(path)
}
