//! Documented examples as data: extracting them from documentation pages, the lenient pass
//! that repairs (and reports) the JSON defects the pages carry, and the on-disk fixture layout
//! that the examples check reads.
//!
//! - [`seeds`] reads the scraped plain-text pages, [`markdown`] the Markdown source pages;
//!   both produce [`layout::ExtractedExample`]s.
//! - [`layout`] writes and reads `<version>/<page>/<n>-<kind>.http|.json|.meta.json`.
//! - [`lenient`] parses a documented body, repairing only the defects it knows and naming each.
//! - [`report`] is the examples check's machine-readable report, which conformance writes
//!   and `cargo xtask report` reads.
//! - [`extract_page`] and [`write_page`] are `cargo xtask examples extract` without the printing.

#![deny(missing_docs)]

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{Context, Result};

pub mod layout;
pub mod lenient;
pub mod markdown;
pub mod report;
pub mod seeds;

use layout::ExtractedExample;

/// Reads one documentation page and extracts its examples: a `.md` file as a Markdown page,
/// anything else as a scraped plain-text page.
pub fn extract_page(page: &Path) -> Result<Vec<ExtractedExample>> {
    let text =
        std::fs::read_to_string(page).with_context(|| format!("reading {}", page.display()))?;
    let name = page.file_name().and_then(|n| n.to_str()).unwrap_or("page");
    let is_markdown = page
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("md"));
    // A Markdown page's version is a directory of its path (`.../v1.0/api/x.md`), so it
    // gets the path as given rather than the bare file name.
    if is_markdown {
        markdown::extract_markdown_page(&text, &page.to_string_lossy())
    } else {
        seeds::extract_seed_page(&text, name)
    }
    .with_context(|| format!("extracting {}", page.display()))
}

/// Writes one page's examples under `out`, first removing what an earlier extraction left in
/// each page directory they go to, so examples the page no longer has don't linger.
pub fn write_page(out: &Path, examples: &[ExtractedExample]) -> Result<()> {
    let mut cleared = BTreeSet::new();
    for example in examples {
        let version = example.meta.version.as_deref().unwrap_or("unknown");
        let page_dir = out.join(version).join(&example.page);
        if cleared.insert(page_dir.clone()) && page_dir.exists() {
            std::fs::remove_dir_all(&page_dir)
                .with_context(|| format!("clearing {}", page_dir.display()))?;
        }
        layout::write_example(out, example)?;
    }
    Ok(())
}

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

/// A fresh empty directory for one test, removed when dropped (even when the test fails).
#[cfg(test)]
pub(crate) fn scratch_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("docs-tools-")
        .tempdir()
        .expect("a scratch directory")
}
