//! The exit codes of `conformance check DIR`, which `cargo xtask examples --check` passes on:
//! 0 when every example passed, 1 when some failed, 2 when the check could not run.

use std::path::Path;
use std::process::{Command, Output};

fn check(dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_conformance"))
        .arg("check")
        .arg(dir)
        .output()
        .expect("running conformance")
}

#[track_caller]
fn assert_code(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn fixtures() -> std::path::PathBuf {
    conformance::workspace_root().join("spec/fixtures")
}

#[test]
fn passing_examples_are_0_failing_ones_1_and_no_examples_2() {
    assert_code(&check(&fixtures()), 0);

    // One page of the fixtures, with a property no schema declares added to a response.
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let page = "v1.0/accessreviewinstance-list-decisions";
    let copy = scratch.path().join("examples").join(page);
    std::fs::create_dir_all(&copy).expect("creating the page directory");
    for entry in std::fs::read_dir(fixtures().join(page)).expect("reading the page") {
        let entry = entry.expect("a directory entry");
        std::fs::copy(entry.path(), copy.join(entry.file_name())).expect("copying a fixture");
    }
    let response = copy.join("1-response.json");
    let text = std::fs::read_to_string(&response).expect("reading the response");
    let edited = text.replacen(
        "\"justification\": \"\",",
        "\"justification\": \"\", \"justificationTypo\": \"x\",",
        1,
    );
    assert_ne!(text, edited, "the fixture has the property to edit");
    std::fs::write(&response, edited).expect("writing the response");
    let failed = check(&scratch.path().join("examples"));
    assert_code(&failed, 1);
    assert!(String::from_utf8_lossy(&failed.stdout).contains("justificationTypo"));

    // Nothing to check, or no such directory: the check can't answer.
    let empty = scratch.path().join("empty");
    std::fs::create_dir_all(&empty).expect("creating a directory");
    assert_code(&check(&empty), 2);
    assert_code(&check(&scratch.path().join("missing")), 2);
}
