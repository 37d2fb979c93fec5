//! Which checkout a command works on, decided when it runs: `--root DIR`, or else the
//! nearest directory at or above the current one that is a checkout of this project. A built
//! xtask binary can so be used on any checkout, and never acts on the one it was built in
//! just because it was built there.
//!
//! A directory is a checkout of this project when it holds a `Cargo.toml`, the `spec/`
//! directory and `xtask/Cargo.toml` (see [`is_checkout`]).

use std::path::{Path, PathBuf};

use crate::outcome::{Failure, Outcome};

/// Whether `dir` looks like the root of a checkout of this project: a `Cargo.toml`, with the
/// `spec/` directory and the `xtask/` package beside it.
pub fn is_checkout(dir: &Path) -> bool {
    dir.join("Cargo.toml").is_file()
        && dir.join("spec").is_dir()
        && dir.join("xtask").join("Cargo.toml").is_file()
}

/// The checkout at or above `start`, the nearest one first.
pub fn find_from(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| is_checkout(dir))
        .map(Path::to_path_buf)
}

/// The checkout to work on: `root` if given (which must be one), else the one found from the
/// current directory upwards. Neither is a usage error (exit code 2), never a guess.
pub fn resolve(root: Option<&Path>) -> Outcome<PathBuf> {
    if let Some(root) = root {
        if is_checkout(root) {
            return Ok(root.to_path_buf());
        }
        return Err(Failure::usage(format!(
            "--root {}: not the root of a checkout of this project (expected Cargo.toml, spec/ and xtask/Cargo.toml in it)",
            root.display()
        )));
    }
    let current = std::env::current_dir()
        .map_err(|error| Failure::usage(format!("can't read the current directory: {error}")))?;
    // An absolute start, so that `ancestors()` reaches the file system's root.
    let current = current.canonicalize().unwrap_or(current);
    find_from(&current).ok_or_else(|| {
        Failure::usage(format!(
            "{} is not inside a checkout of this project (no directory at or above it has Cargo.toml, spec/ and xtask/Cargo.toml): run from the checkout, or pass --root DIR",
            current.display()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_checkout_above_is_found_and_nothing_else_counts() {
        let scratch = tempfile::tempdir().unwrap();
        let root = scratch.path().join("checkout");
        let deep = root.join("generated").join("v1.0");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::create_dir_all(root.join("spec")).unwrap();
        std::fs::write(root.join("Cargo.toml"), "").unwrap();
        // Without xtask/Cargo.toml it is some other workspace: not found.
        assert_eq!(find_from(&deep), None);
        std::fs::create_dir_all(root.join("xtask")).unwrap();
        std::fs::write(root.join("xtask").join("Cargo.toml"), "").unwrap();
        assert_eq!(find_from(&deep), Some(root.clone()));
        assert_eq!(find_from(&root), Some(root.clone()));
        assert_eq!(find_from(scratch.path()), None);
        assert!(resolve(Some(&root)).is_ok());
        assert!(matches!(resolve(Some(&deep)), Err(Failure::Error(_))));
    }
}
