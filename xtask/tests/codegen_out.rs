//! `cargo xtask codegen --spec FILE --out DIR`, run as the real command on scratch
//! directories: it writes and removes only the files its lock record says it generated,
//! refuses to overwrite others without `--force`, and never goes through a symbolic link.

#![cfg(unix)] // The link tests need std::os::unix::fs::symlink.

mod common;
use common::{without_gadget, TINY};

use std::collections::BTreeMap;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Self {
        Scratch {
            dir: tempfile::tempdir().expect("a scratch directory"),
        }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn out(&self) -> PathBuf {
        self.path("out")
    }

    /// Writes `text` as the spec `tiny.yaml` and returns its path.
    fn spec(&self, text: &str) -> PathBuf {
        let path = self.path("tiny.yaml");
        std::fs::write(&path, text).expect("writing the spec");
        path
    }

    fn codegen(&self, spec_text: &str, extra: &[&str]) -> Output {
        let spec = self.spec(spec_text);
        Command::new(env!("CARGO_BIN_EXE_xtask"))
            .arg("codegen")
            .arg("--spec")
            .arg(&spec)
            .arg("--out")
            .arg(self.out())
            .args(extra)
            .output()
            .expect("running xtask")
    }

    fn codegen_ok(&self, spec_text: &str, extra: &[&str]) {
        let output = self.codegen(spec_text, extra);
        assert!(output.status.success(), "{}", describe(&output));
    }
}

fn describe(output: &Output) -> String {
    format!(
        "status {:?}\nstdout: {}\nstderr: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Everything under `dir`, links as links (`-> target`), never followed.
fn tree(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut found = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let relative = path.strip_prefix(dir).unwrap_or(&path).to_path_buf();
            let kind = entry.file_type().expect("a file type");
            if kind.is_symlink() {
                let target = std::fs::read_link(&path).expect("a link target");
                found.insert(relative, format!("-> {}", target.display()));
            } else if kind.is_dir() {
                found.insert(relative, "<dir>".to_owned());
                pending.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("a file");
                found.insert(relative, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
    }
    found
}

/// A directory outside `out` with a file in it, which codegen must never touch.
fn victim(scratch: &Scratch) -> PathBuf {
    let victim = scratch.path("victim");
    std::fs::create_dir_all(&victim).expect("victim dir");
    std::fs::write(victim.join("precious.txt"), "mine").expect("victim file");
    victim
}

#[test]
fn a_symlink_below_out_is_never_followed() {
    let scratch = Scratch::new();
    scratch.codegen_ok(TINY, &[]);
    let victim = victim(&scratch);
    let before = tree(&victim);

    // A link codegen doesn't own: left alone, and nothing is removed through it, even when
    // the run removes stale files from the directory that holds it.
    let out = scratch.out();
    symlink(&victim, out.join("models/link")).expect("a link");
    symlink(&victim, out.join("models/src/link")).expect("a link");
    scratch.codegen_ok(&without_gadget(), &[]);
    assert_eq!(tree(&victim), before, "the victim is untouched");
    assert!(std::fs::symlink_metadata(out.join("models/src/link")).is_ok());

    // A link where codegen writes: refused, naming it, and nothing goes through it.
    std::fs::rename(out.join("models/src"), scratch.path("moved-src")).expect("move src");
    symlink(&victim, out.join("models/src")).expect("a link");
    let before_out = tree(&out);
    let output = scratch.codegen(TINY, &[]);
    assert!(!output.status.success(), "{}", describe(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("models/src is a symbolic link"), "{stderr}");
    assert_eq!(tree(&victim), before, "nothing was written into the victim");
    assert_eq!(tree(&out), before_out, "nothing changed in out");
}

#[test]
fn a_problem_found_after_files_were_staged_changes_nothing() {
    let scratch = Scratch::new();
    scratch.codegen_ok(TINY, &[]);
    let out = scratch.out();
    // A new title changes every crate's files, so the models crate's are staged before
    // the requests crate's turn comes, where a directory is in the way of `src/lib.rs`.
    let retitled = TINY.replace("title: Tiny", "title: Tinier");
    assert_ne!(retitled, TINY);
    let taken = out.join("requests/src/lib.rs");
    std::fs::remove_file(&taken).expect("remove lib.rs");
    std::fs::create_dir_all(taken.join("inside")).expect("a directory in the way");
    let before = tree(&out);

    let output = scratch.codegen(&retitled, &[]);
    assert!(!output.status.success(), "{}", describe(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("requests/src/lib.rs is a directory where codegen writes a file"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was changed"), "{stderr}");
    // No temporary file is left beside the models crate's files.
    assert_eq!(tree(&out), before, "nothing changed in out");
}

#[test]
fn a_file_of_the_users_beside_generated_ones_is_kept() {
    let scratch = Scratch::new();
    scratch.codegen_ok(TINY, &[]);
    let out = scratch.out();
    std::fs::write(out.join("models/NOTES.md"), "my notes").expect("notes");
    std::fs::write(out.join("models/src/NOTES.md"), "more notes").expect("notes");
    // This run rewrites files and removes the stale gadget.rs beside the notes.
    scratch.codegen_ok(&without_gadget(), &[]);
    assert!(!out.join("models/src/gadget.rs").exists());
    assert_eq!(
        std::fs::read_to_string(out.join("models/NOTES.md"))
            .ok()
            .as_deref(),
        Some("my notes")
    );
    assert_eq!(
        std::fs::read_to_string(out.join("models/src/NOTES.md"))
            .ok()
            .as_deref(),
        Some("more notes")
    );
}

#[test]
fn a_hand_written_cargo_toml_is_refused_without_force_and_replaced_with_it() {
    let scratch = Scratch::new();
    let out = scratch.out();
    std::fs::create_dir_all(&out).expect("out");
    let mine = "[workspace]\nmembers = [\"my-crate\"]\n";
    std::fs::write(out.join("Cargo.toml"), mine).expect("Cargo.toml");
    let before = tree(&out);

    let output = scratch.codegen(TINY, &[]);
    assert!(!output.status.success(), "{}", describe(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("{}", out.join("Cargo.toml").display())),
        "the error names the file: {stderr}"
    );
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(tree(&out), before, "nothing was written");

    scratch.codegen_ok(TINY, &["--force"]);
    let replaced = std::fs::read_to_string(out.join("Cargo.toml")).expect("Cargo.toml");
    assert_ne!(replaced, mine);
    assert!(replaced
        .contains("members = [\"models\", \"requests\", \"vendor/derive\", \"vendor/runtime\"]"));
    // Now it is codegen's, as the record says: the next run needs no --force.
    scratch.codegen_ok(TINY, &[]);
}

#[test]
fn files_no_longer_generated_are_removed_and_only_those() {
    let scratch = Scratch::new();
    scratch.codegen_ok(TINY, &[]);
    let out = scratch.out();
    assert!(out.join("models/src/gadget.rs").is_file());
    std::fs::write(out.join("models/src/mine.rs"), "// mine").expect("user file");

    scratch.codegen_ok(&without_gadget(), &[]);
    assert!(
        !out.join("models/src/gadget.rs").exists(),
        "stale file removed"
    );
    assert!(out.join("models/src/mine.rs").is_file(), "user file kept");

    // The record lists exactly the generated files, each of which is there.
    let lock = std::fs::read_to_string(out.join("codegen.lock")).expect("a lock record");
    let record: toml::Table = toml::from_str(&lock).expect("TOML");
    let files: Vec<&str> = record["files"]
        .as_array()
        .expect("a file list")
        .iter()
        .filter_map(|file| file.as_str())
        .collect();
    assert!(files.contains(&"models/src/thing.rs"), "{files:?}");
    assert!(files.contains(&"Cargo.toml"), "{files:?}");
    assert!(!files.contains(&"models/src/gadget.rs"), "{files:?}");
    assert!(!files.contains(&"models/src/mine.rs"), "{files:?}");
    for file in &files {
        assert!(out.join(file).is_file(), "{file} is listed and present");
    }
}

#[test]
fn a_lock_record_naming_paths_outside_out_is_refused() {
    let scratch = Scratch::new();
    scratch.codegen_ok(TINY, &[]);
    let out = scratch.out();
    std::fs::write(scratch.path("victim.txt"), "mine").expect("victim");
    let lock_path = out.join("codegen.lock");
    let lock = std::fs::read_to_string(&lock_path).expect("a lock record");
    let tampered = lock.replacen("files = [", "files = [\"../victim.txt\", ", 1);
    assert_ne!(tampered, lock);
    std::fs::write(&lock_path, tampered).expect("tampering");
    let before = tree(&out);

    let output = scratch.codegen(&without_gadget(), &[]);
    assert!(!output.status.success(), "{}", describe(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("../victim.txt"), "{stderr}");
    assert_eq!(tree(&out), before, "nothing changed");
    assert!(scratch.path("victim.txt").is_file());

    // With --force the record is ignored: files are written, nothing is removed.
    scratch.codegen_ok(&without_gadget(), &["--force"]);
    assert!(scratch.path("victim.txt").is_file());
    assert!(out.join("models/src/gadget.rs").is_file(), "not removed");
}

#[test]
fn check_names_stale_generated_files_and_ignores_the_users() {
    let scratch = Scratch::new();
    scratch.codegen_ok(TINY, &[]);
    let out = scratch.out();
    std::fs::write(out.join("models/NOTES.md"), "my notes").expect("notes");
    scratch.codegen_ok(TINY, &["--check"]);

    std::fs::write(out.join("models/src/thing.rs"), "// edited").expect("edit");
    let output = scratch.codegen(TINY, &["--check"]);
    assert!(!output.status.success(), "{}", describe(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("models/src/thing.rs differs"), "{stderr}");
    assert!(!stderr.contains("NOTES.md"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(out.join("models/src/thing.rs"))
            .ok()
            .as_deref(),
        Some("// edited"),
        "--check changes nothing"
    );
}

/// Every `path =` dependency in the workspace's manifests, as written.
fn manifest_paths(out: &Path) -> Vec<String> {
    tree(out)
        .into_iter()
        .filter(|(path, _)| path.file_name().is_some_and(|name| name == "Cargo.toml"))
        .flat_map(|(_, text)| {
            text.lines()
                .filter_map(|line| {
                    let start = line.find("path = \"")? + "path = \"".len();
                    let end = line[start..].find('"')? + start;
                    Some(line[start..end].to_owned())
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn the_output_vendors_the_runtime_and_names_nothing_outside_itself() {
    let scratch = Scratch::new();
    let output = scratch.codegen(TINY, &[]);
    assert!(output.status.success(), "{}", describe(&output));
    let out = scratch.out();
    let paths = manifest_paths(&out);
    assert!(
        !paths.is_empty(),
        "the crates name their dependencies by path"
    );
    for path in &paths {
        assert!(
            !Path::new(path).is_absolute() && !path.starts_with("../../"),
            "a dependency path reaches outside the output: {path}"
        );
    }
    assert!(paths.contains(&"../vendor/runtime".to_owned()), "{paths:?}");
    assert!(paths.contains(&"../derive".to_owned()), "{paths:?}");
    for vendored in ["vendor/runtime/src/lib.rs", "vendor/derive/src/lib.rs"] {
        assert!(out.join(vendored).is_file(), "{vendored} is not vendored");
    }
    let lock = std::fs::read_to_string(out.join("codegen.lock")).expect("a lock record");
    assert!(
        lock.contains("\"vendor/runtime/src/http/body.rs\""),
        "the lock record lists the vendored files: {lock}"
    );
    let workspace = std::fs::read_to_string(out.join("Cargo.toml")).expect("a workspace");
    assert!(workspace.contains("\"vendor/runtime\""), "{workspace}");
    // A second run writes the same bytes.
    let before = tree(&out);
    let again = scratch.codegen(TINY, &[]);
    assert!(again.status.success(), "{}", describe(&again));
    assert_eq!(before, tree(&out));
}

/// Slow (a cargo build of the runtime's dependencies): `cargo test -p xtask -- --ignored`.
/// CI runs the same check on every corpus description, each moved before it is built.
#[test]
#[ignore]
fn the_output_builds_after_it_is_moved() {
    let scratch = Scratch::new();
    let output = scratch.codegen(TINY, &[]);
    assert!(output.status.success(), "{}", describe(&output));
    let moved = scratch.path("elsewhere/deeper");
    std::fs::create_dir_all(moved.parent().expect("a parent")).expect("making the new parent");
    std::fs::rename(scratch.out(), &moved).expect("moving the output");
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/moved-output");
    let check = Command::new(env!("CARGO"))
        .args(["check", "--quiet", "--all-targets"])
        .current_dir(&moved)
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("running cargo");
    assert!(check.status.success(), "{}", describe(&check));
}
