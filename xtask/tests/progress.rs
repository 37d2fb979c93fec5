//! Progress goes to a terminal only: a long run with stderr piped, as in CI, prints no
//! spinner and no escape codes; on a pseudo-terminal (with `script`, where installed) the
//! spinner appears once the run has taken a second.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn this_checkout() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ has a parent")
        .to_path_buf()
}

#[test]
fn a_piped_run_shows_no_progress_and_a_terminal_run_does() {
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(this_checkout())
        .args(["codegen", "--check"])
        .output()
        .expect("running xtask");
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("\x1b["),
        "escape codes in piped stderr: {stderr:?}"
    );
    assert!(
        !stderr.contains("codegen: checking"),
        "a spinner in piped stderr: {stderr:?}"
    );

    // The same run on a terminal. Only meaningful when the run is slow enough for the
    // spinner's delay (a debug build is), and `script` is there to make a terminal.
    let has_script = Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_script || took < Duration::from_millis(1500) {
        println!("note: no `script`, or the run took {took:?}; skipping the terminal half");
        return;
    }
    let command = format!("{} codegen --check", env!("CARGO_BIN_EXE_xtask"));
    let on_terminal = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(this_checkout())
        .output()
        .expect("running xtask under script");
    let seen = String::from_utf8_lossy(&on_terminal.stdout);
    assert!(
        seen.contains("codegen: checking"),
        "no spinner on a terminal: {seen:?}"
    );
}

/// Trim of the whole Graph description (seconds of reading) shows its spinner on a
/// terminal and nothing when piped. Needs `../shared` and `script`; skipped without them.
#[test]
fn a_long_trim_shows_its_spinner_on_a_terminal_only() {
    let upstream = this_checkout().join("../shared/graph/upstream/graph-all.v1.0.yaml");
    let has_script = Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !upstream.is_file() || !has_script {
        println!("note: no {} or no `script`; skipping", upstream.display());
        return;
    }
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let out = scratch.path().join("trimmed.yaml");
    let args = [
        "trim",
        "--from",
        upstream.to_str().expect("a UTF-8 path"),
        "--prefix",
        "/identityGovernance/accessReviews",
        "--out",
        out.to_str().expect("a UTF-8 path"),
    ];
    let piped = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(this_checkout())
        .args(args)
        .output()
        .expect("running xtask trim");
    assert!(piped.status.success(), "{piped:?}");
    let stderr = String::from_utf8_lossy(&piped.stderr);
    assert!(
        !stderr.contains("\x1b["),
        "escape codes in piped stderr: {stderr:?}"
    );
    assert!(
        !stderr.contains("trim: reading"),
        "a spinner in piped stderr: {stderr:?}"
    );

    let command = format!("{} {}", env!("CARGO_BIN_EXE_xtask"), args.join(" "));
    let on_terminal = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(this_checkout())
        .output()
        .expect("running xtask trim under script");
    let seen = String::from_utf8_lossy(&on_terminal.stdout);
    assert!(
        seen.contains("trim: reading and trimming"),
        "no spinner on a terminal: {seen:?}"
    );
}
