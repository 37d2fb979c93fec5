//! The exit codes of every verb (0 done, 1 found what it was asked to fail on, 2 usage or
//! input error; see `xtask::outcome`), `--version`, and how the checkout is found at run
//! time (`--root`, or upwards from the current directory), run as the real command.

#![cfg(unix)] // The examples check's stand-in for cargo is a shell script.

mod common;
use common::{without_gadget, TINY};

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// This checkout: the one the tests were built in.
fn this_checkout() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ has a parent")
        .to_path_buf()
}

fn xtask(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("running xtask")
}

fn describe(output: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Asserts the exit code of a run, showing its output when it isn't that.
#[track_caller]
fn assert_code(output: &Output, code: i32) {
    assert_eq!(output.status.code(), Some(code), "{}", describe(output));
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("creating a directory");
    }
    std::fs::write(path, text).expect("writing a file");
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("creating a directory");
    for entry in std::fs::read_dir(from).expect("reading a directory") {
        let entry = entry.expect("a directory entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copying a file");
        }
    }
}

/// The files that make a directory a checkout for xtask, without any spec.
fn bare_checkout(dir: &Path) {
    write(&dir.join("Cargo.toml"), "[workspace]\n");
    write(&dir.join("xtask/Cargo.toml"), "");
    std::fs::create_dir_all(dir.join("spec")).expect("creating spec/");
}

/// A copy of this checkout's spec/ and generated/, which codegen reads, in `dir`.
fn copied_checkout(dir: &Path) {
    bare_checkout(dir);
    let source = this_checkout();
    for part in ["spec", "generated"] {
        copy_tree(&source.join(part), &dir.join(part));
    }
}

#[test]
fn codegen_is_0_when_done_1_when_stale_and_2_on_bad_input_or_usage() {
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let spec = scratch.path().join("tiny.yaml");
    let out = scratch.path().join("out");
    write(&spec, TINY);
    let (spec, out) = (spec.to_str().expect("UTF-8"), out.to_str().expect("UTF-8"));
    let here = this_checkout();
    assert_code(&xtask(&here, &["codegen", "--spec", spec, "--out", out]), 0);
    let check = ["codegen", "--check", "--spec", spec, "--out", out];
    assert_code(&xtask(&here, &check), 0);
    // A generated file edited by hand is stale: a finding.
    write(&Path::new(out).join("models/src/gadget.rs"), "// edited\n");
    let stale = xtask(&here, &check);
    assert_code(&stale, 1);
    assert!(
        String::from_utf8_lossy(&stale.stderr).contains("stale"),
        "{}",
        describe(&stale)
    );
    // A spec that doesn't parse, or isn't there, is an input error.
    let bad = scratch.path().join("bad.yaml");
    write(&bad, "openapi: [this is not\n");
    let bad = bad.to_str().expect("UTF-8");
    assert_code(&xtask(&here, &["codegen", "--spec", bad, "--out", out]), 2);
    assert_code(
        &xtask(&here, &["codegen", "--check", "--spec", bad, "--out", out]),
        2,
    );
    let missing = scratch.path().join("missing.yaml");
    let missing = missing.to_str().expect("UTF-8");
    assert_code(
        &xtask(&here, &["codegen", "--spec", missing, "--out", out]),
        2,
    );
    // Bad arguments: clap's usage errors and ours.
    assert_code(&xtask(&here, &["codegen", "--spec", spec]), 2);
    assert_code(&xtask(&here, &["codegen", "--no-such-flag"]), 2);
    assert_code(&xtask(&here, &["codegen", "--force"]), 2);
    assert_code(&xtask(&here, &["no-such-verb"]), 2);
    assert_code(&xtask(&here, &[]), 2);
}

#[test]
fn diff_is_1_only_for_a_breaking_change_with_fail_on_breaking_and_2_for_a_bad_spec() {
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let old = scratch.path().join("old.yaml");
    let new = scratch.path().join("new.yaml");
    write(&old, TINY);
    write(&new, &without_gadget());
    let (old, new) = (old.to_str().expect("UTF-8"), new.to_str().expect("UTF-8"));
    let here = this_checkout();
    let breaking = xtask(&here, &["diff", old, new, "--fail-on-breaking"]);
    assert_code(&breaking, 1);
    assert!(
        String::from_utf8_lossy(&breaking.stdout).contains("breaking"),
        "{}",
        describe(&breaking)
    );
    // Reported, but not asked to fail on; and nothing breaking the other way.
    assert_code(&xtask(&here, &["diff", old, new]), 0);
    assert_code(&xtask(&here, &["diff", new, old, "--fail-on-breaking"]), 0);
    assert_code(&xtask(&here, &["diff", old, old, "--fail-on-breaking"]), 0);
    // A revision git doesn't know, a file that isn't there, a spec that doesn't parse.
    let bad_revision = "no-such-revision:spec/v1.0/access-reviews.yaml";
    assert_code(
        &xtask(&here, &["diff", bad_revision, new, "--fail-on-breaking"]),
        2,
    );
    let missing = scratch.path().join("missing.yaml");
    let missing = missing.to_str().expect("UTF-8");
    assert_code(
        &xtask(&here, &["diff", old, missing, "--fail-on-breaking"]),
        2,
    );
    let bad = scratch.path().join("bad.yaml");
    write(&bad, "openapi: [this is not\n");
    let bad = bad.to_str().expect("UTF-8");
    assert_code(&xtask(&here, &["diff", bad, new, "--fail-on-breaking"]), 2);
    assert_code(&xtask(&here, &["diff", old]), 2);
}

#[test]
fn spec_check_is_1_for_unexplained_differences_and_2_for_an_unreadable_upstream() {
    // A checkout whose v1.0 spec is TINY and whose differences file explains nothing.
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let root = scratch.path().join("checkout");
    bare_checkout(&root);
    write(&root.join("spec/v1.0/access-reviews.yaml"), TINY);
    write(&root.join("spec/v1.0/upstream-differences.yaml"), "{}\n");
    let same = scratch.path().join("same.yaml");
    let other = scratch.path().join("other.yaml");
    write(&same, TINY);
    write(
        &other,
        &TINY.replace(
            "id: {type: string}",
            "id: {type: string}\n        extra: {type: string}",
        ),
    );
    let root_arg = root.to_str().expect("UTF-8");
    let run = |upstream: &Path| {
        let upstream = upstream.to_str().expect("UTF-8");
        xtask(
            scratch.path(),
            &["--root", root_arg, "spec-check", "--upstream", upstream],
        )
    };
    assert_code(&run(&same), 0);
    let differs = run(&other);
    assert_code(&differs, 1);
    assert!(
        String::from_utf8_lossy(&differs.stdout).contains("extra"),
        "{}",
        describe(&differs)
    );
    assert_code(&run(&scratch.path().join("missing.yaml")), 2);
    let bad = scratch.path().join("bad.yaml");
    write(&bad, "openapi: [this is not\n");
    assert_code(&run(&bad), 2);
    assert_code(
        &xtask(scratch.path(), &["--root", root_arg, "spec-check"]),
        2,
    );
}

#[test]
fn examples_check_passes_on_1_for_failed_examples_and_2_for_anything_else() {
    // The check runs `$CARGO run -p conformance ...`; a stand-in that exits with a chosen
    // code shows how each of the conformance binary's codes (and cargo's 101) comes out.
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let stand_in = scratch.path().join("cargo");
    write(&stand_in, "#!/bin/sh\nexit \"$STAND_IN_EXIT\"\n");
    std::fs::set_permissions(&stand_in, std::fs::Permissions::from_mode(0o755))
        .expect("making the stand-in executable");
    let here = this_checkout();
    for (conformance, expected) in [(0, 0), (1, 1), (2, 2), (101, 2)] {
        let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .current_dir(&here)
            .args(["examples", "--check", "spec/fixtures"])
            .env("CARGO", &stand_in)
            .env("STAND_IN_EXIT", conformance.to_string())
            .output()
            .expect("running xtask");
        assert_eq!(
            output.status.code(),
            Some(expected),
            "conformance exited {conformance}: {}",
            describe(&output)
        );
    }
    // Neither --check nor extract; a page that isn't there.
    assert_code(&xtask(&here, &["examples"]), 2);
    let out = scratch.path().join("fixtures");
    let out = out.to_str().expect("UTF-8");
    assert_code(
        &xtask(
            &here,
            &["examples", "extract", "no-such-page.md", "--out", out],
        ),
        2,
    );
}

#[test]
fn version_prints_the_generator_and_each_locks_spec_hash() {
    let root = this_checkout();
    let output = xtask(&root, &["--version"]);
    assert_code(&output, 0);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("generator "), "{stdout}");
    for target in ["generated/v1.0", "generated/beta"] {
        let lock = std::fs::read_to_string(root.join(target).join("codegen.lock"))
            .expect("the target's lock record");
        let hash = lock
            .lines()
            .find_map(|line| line.strip_prefix("spec_sha256 = "))
            .expect("the lock has a spec hash")
            .trim_matches('"');
        assert_eq!(hash.len(), 64, "{lock}");
        let line = stdout
            .lines()
            .find(|line| line.starts_with(target))
            .unwrap_or_else(|| panic!("no line for {target}: {stdout}"));
        assert!(line.contains(hash), "{line}");
    }
}

#[test]
fn the_checkout_is_the_one_given_or_found_upwards_never_the_one_built_in() {
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let elsewhere = scratch.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).expect("creating a directory");

    // Outside any checkout: a usage error that says what to do, not a run on the build tree.
    let lost = xtask(&elsewhere, &["codegen", "--check"]);
    assert_code(&lost, 2);
    let stderr = String::from_utf8_lossy(&lost.stderr);
    assert!(
        stderr.contains("not inside a checkout") && stderr.contains("--root"),
        "{stderr}"
    );
    assert_code(&xtask(&elsewhere, &["--version"]), 2);
    // --root must name a checkout.
    let not_root = elsewhere.to_str().expect("UTF-8");
    assert_code(
        &xtask(&elsewhere, &["--root", not_root, "codegen", "--check"]),
        2,
    );

    // A copy of the checkout, named with --root from another directory: fresh.
    let copy = scratch.path().join("copy");
    copied_checkout(&copy);
    let copy_arg = copy.to_str().expect("UTF-8");
    assert_code(
        &xtask(&elsewhere, &["--root", copy_arg, "codegen", "--check"]),
        0,
    );
    assert_code(
        &xtask(&elsewhere, &["codegen", "--check", "--root", copy_arg]),
        0,
    );
    // Without its generated/, the copy is stale: the check looked at the copy, not at the
    // checkout xtask was built in (whose generated/ is fresh).
    std::fs::remove_dir_all(copy.join("generated")).expect("removing generated/");
    assert_code(
        &xtask(&elsewhere, &["--root", copy_arg, "codegen", "--check"]),
        1,
    );
    // Found upwards from a directory inside the copy.
    assert_code(&xtask(&copy.join("spec/v1.0"), &["codegen", "--check"]), 1);
    // And codegen there writes the copy's generated/, after which it is fresh.
    assert_code(&xtask(&copy.join("spec"), &["codegen"]), 0);
    assert!(copy.join("generated/v1.0/codegen.lock").is_file());
    assert_code(
        &xtask(&elsewhere, &["--root", copy_arg, "codegen", "--check"]),
        0,
    );
}
