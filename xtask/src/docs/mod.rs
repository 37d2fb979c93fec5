//! Documented examples: extraction from doc pages, the lenient pre-pass, the fixture layout.

pub mod layout;
pub mod lenient;
pub mod markdown;
pub mod seeds;

/// Locates a path inside the shared reference directory for tests that read it.
///
/// `SHARED_DIR` overrides the default `../../shared` (relative to this crate's manifest). When the
/// directory is absent the caller skips its test; a note is printed so the skip is never silent.
#[cfg(test)]
pub(crate) fn shared_path(relative: &str) -> Option<std::path::PathBuf> {
    let base = std::env::var_os("SHARED_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"));
    let path = base.join(relative);
    if path.is_dir() {
        // Canonical so that test output names files without `../..`.
        Some(std::fs::canonicalize(&path).unwrap_or(path))
    } else {
        println!("note: {} is absent; skipping this test", path.display());
        None
    }
}

/// A fresh empty directory under the system temp dir, unique to this test process and name.
#[cfg(test)]
pub(crate) fn scratch_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-docs-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}
