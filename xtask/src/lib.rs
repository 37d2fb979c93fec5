//! The project's workflow commands as a library, behind the `cargo xtask` command line
//! (src/main.rs): regenerating generated/ (`codegen`), the spec tools (`trim`, `api_diff`,
//! `spec_check`) and the `examples` commands.
//!
//! Nothing here links a generated crate: the examples check, which needs them compiled, is
//! the conformance crate's, and `examples::run_check` runs it as a separate build.

pub mod api_diff;
pub mod codegen;
pub mod examples;
pub mod spec_check;
pub mod trim;

/// The one test helper spec_check's tests take from here (the docs tooling itself is the
/// docs-tools crate).
#[cfg(test)]
mod docs {
    /// Locates a path inside the shared reference directory for tests that read it.
    ///
    /// `SHARED_DIR` overrides the default `../../shared` (relative to this crate's manifest).
    /// When the directory is absent the caller skips its test; a note says so.
    pub(crate) fn shared_path(relative: &str) -> Option<std::path::PathBuf> {
        let base = std::env::var_os("SHARED_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| {
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared")
            });
        let path = base.join(relative);
        if path.is_dir() {
            Some(std::fs::canonicalize(&path).unwrap_or(path))
        } else {
            println!("note: {} is absent; skipping this test", path.display());
            None
        }
    }
}
