//! `--format json` of `diff`, `codegen --check` and `examples --check`, read back with
//! serde_json as a CI job would, the JSON error document of a command that can't run, and
//! `cargo xtask report`, which turns the reports into the reviewer's summary.

#![cfg(unix)] // The examples check's stand-in for cargo is a shell script.

mod common;
use common::TINY;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use xtask::report::{CodegenCheckReport, DiffReport, ErrorReport};

/// [`TINY`] without `gadget` (breaking) and with a new optional `thing.colour` (additive).
fn changed_tiny() -> String {
    let cut = TINY.find("    gadget:").expect("TINY has a gadget");
    TINY[..cut].replace(
        "id: {type: string}",
        "id: {type: string}\n        colour: {type: string}",
    )
}

fn this_checkout() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ has a parent")
        .to_path_buf()
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(this_checkout())
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

fn utf8(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

#[test]
fn diff_json_lists_the_breaking_and_the_additive_change_with_pointers() {
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let (old, new) = (
        scratch.path().join("old.yaml"),
        scratch.path().join("new.yaml"),
    );
    write(&old, TINY);
    write(&new, &changed_tiny());
    let output = xtask(&["diff", utf8(&old), utf8(&new), "--format", "json"]);
    assert_code(&output, 0);
    let report: DiffReport = serde_json::from_slice(&output.stdout).expect("one JSON document");
    assert_eq!(report.schema, "graph-xtask/diff/v1");
    assert_eq!(
        (
            report.counts.breaking,
            report.counts.additive,
            report.counts.total
        ),
        (1, 1, 2)
    );
    let breaking = &report.breaking[0];
    assert_eq!(
        (breaking.section.as_str(), breaking.kind.as_str()),
        ("types", "removed")
    );
    assert_eq!(breaking.pointer, "/components/schemas/gadget");
    assert_eq!(breaking.message, "removed type `gadget`");
    let additive = &report.additive[0];
    assert_eq!(
        (additive.section.as_str(), additive.kind.as_str()),
        ("properties", "added")
    );
    assert_eq!(
        additive.pointer,
        "/components/schemas/thing/properties/colour"
    );
    // The format doesn't change the exit codes.
    let failing = xtask(&[
        "diff",
        utf8(&old),
        utf8(&new),
        "--format",
        "json",
        "--fail-on-breaking",
    ]);
    assert_code(&failing, 1);
    let again: DiffReport = serde_json::from_slice(&failing.stdout).expect("still the report");
    assert_eq!(again, report);
}

#[test]
fn an_input_error_in_json_mode_is_exit_2_and_a_json_error_document() {
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let old = scratch.path().join("old.yaml");
    write(&old, TINY);
    let missing = scratch.path().join("missing.yaml");
    let output = xtask(&["diff", utf8(&old), utf8(&missing), "--format", "json"]);
    assert_code(&output, 2);
    let error: ErrorReport = serde_json::from_slice(&output.stdout).expect("one JSON document");
    assert_eq!(error.schema, "graph-xtask/error/v1");
    assert_eq!(error.command, "diff");
    assert_eq!(error.error.exit_code, 2);
    assert!(error.error.message.contains("missing.yaml"), "{error:?}");
    assert!(String::from_utf8_lossy(&output.stderr).starts_with("error: "));
    // Human mode keeps stdout empty on an error.
    let human = xtask(&["diff", utf8(&old), utf8(&missing)]);
    assert_code(&human, 2);
    assert!(human.stdout.is_empty(), "{}", describe(&human));
}

#[test]
fn a_spec_with_several_errors_reports_them_all_and_writes_nothing() {
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let spec = scratch.path().join("broken.yaml");
    let broken = TINY
        .replace(
            "id: {type: string}",
            "id: {$ref: '#/components/schemas/missing'}",
        )
        .replace(
            "name: {type: string}",
            "name: {$ref: '#/components/schemas/gone'}",
        );
    assert_ne!(broken, TINY);
    write(&spec, &broken);
    let out = scratch.path().join("out");
    let human = xtask(&["codegen", "--spec", utf8(&spec), "--out", utf8(&out)]);
    assert_code(&human, 2);
    assert!(!out.exists(), "nothing is written for a broken spec");
    let stderr = String::from_utf8_lossy(&human.stderr);
    assert!(stderr.starts_with("error: 2 errors\n"), "{stderr}");
    assert!(
        stderr.contains("\n  #/components/schemas/gadget/properties/name: ")
            && stderr.contains("\n  #/components/schemas/thing/properties/id: "),
        "{stderr}"
    );
    let json = xtask(&[
        "codegen",
        "--check",
        "--spec",
        utf8(&spec),
        "--out",
        utf8(&out),
        "--format",
        "json",
    ]);
    assert_code(&json, 2);
    let error: ErrorReport = serde_json::from_slice(&json.stdout).expect("an error document");
    let locations: Vec<&str> = error
        .error
        .spec_errors
        .iter()
        .map(|error| error.location.as_str())
        .collect();
    assert_eq!(
        locations,
        [
            "#/components/schemas/gadget/properties/name",
            "#/components/schemas/thing/properties/id",
        ]
    );
    assert!(error.error.spec_errors[1].message.contains("missing"));
    // An error that is not about the spec's content lists none.
    let absent = xtask(&[
        "codegen",
        "--check",
        "--spec",
        utf8(&scratch.path().join("absent.yaml")),
        "--out",
        utf8(&out),
        "--format",
        "json",
    ]);
    assert_code(&absent, 2);
    let error: ErrorReport = serde_json::from_slice(&absent.stdout).expect("an error document");
    assert!(error.error.spec_errors.is_empty(), "{error:?}");
}

#[test]
fn codegen_check_json_names_stale_and_extra_files() {
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let spec = scratch.path().join("tiny.yaml");
    let out = scratch.path().join("out");
    write(&spec, TINY);
    let (spec_arg, out_arg) = (utf8(&spec), utf8(&out));
    assert_code(
        &xtask(&["codegen", "--spec", spec_arg, "--out", out_arg]),
        0,
    );
    let check = [
        "codegen", "--check", "--spec", spec_arg, "--out", out_arg, "--format", "json",
    ];
    let fresh = xtask(&check);
    assert_code(&fresh, 0);
    let report: CodegenCheckReport = serde_json::from_slice(&fresh.stdout).expect("JSON");
    assert_eq!(report.schema, "graph-xtask/codegen-check/v1");
    assert!(report.up_to_date);
    assert!(report.counts.generated > 5, "{report:?}");
    assert_eq!(
        report.counts.stale + report.counts.missing + report.counts.extra,
        0
    );

    // A hand edit, and a spec that no longer has gadget (so gadget.rs is extra and the
    // models' lib.rs, which lists the modules, is stale too).
    write(&out.join("models/src/thing.rs"), "// edited by hand\n");
    write(&spec, &TINY[..TINY.find("    gadget:").expect("a gadget")]);
    let stale = xtask(&check);
    assert_code(&stale, 1);
    let report: CodegenCheckReport = serde_json::from_slice(&stale.stdout).expect("JSON");
    assert!(!report.up_to_date);
    let thing = report
        .stale
        .iter()
        .find(|file| file.path == "models/src/thing.rs")
        .expect("the edited file is stale");
    assert!(thing.diff.contains("-// edited by hand"), "{}", thing.diff);
    assert_eq!(report.extra, ["models/src/gadget.rs"]);
    assert_eq!(report.counts.stale, report.stale.len());
    assert_eq!(report.counts.extra, 1);
    assert!(report.missing.is_empty() && report.problems.is_empty());
}

#[test]
fn examples_check_passes_json_through_and_reports_a_failure_to_run_as_json() {
    // The check runs `$CARGO run -p conformance ...`: a stand-in prints its arguments as a
    // JSON document, or fails as a broken build does.
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let stand_in = scratch.path().join("cargo");
    write(
        &stand_in,
        "#!/bin/sh\n[ \"$STAND_IN_EXIT\" = 0 ] && printf '{\"args\": \"%s\"}\\n' \"$*\"\nexit \"$STAND_IN_EXIT\"\n",
    );
    std::fs::set_permissions(&stand_in, std::fs::Permissions::from_mode(0o755))
        .expect("making the stand-in executable");
    let run = |code: &str| {
        Command::new(env!("CARGO_BIN_EXE_xtask"))
            .current_dir(this_checkout())
            .args(["examples", "--check", "spec/fixtures", "--format", "json"])
            .env("CARGO", &stand_in)
            .env("STAND_IN_EXIT", code)
            .output()
            .expect("running xtask")
    };
    let passed = run("0");
    assert_code(&passed, 0);
    let echoed: Value = serde_json::from_slice(&passed.stdout).expect("the stand-in's JSON");
    let args = echoed["args"].as_str().unwrap_or_default();
    assert!(
        args.ends_with("check spec/fixtures --format json"),
        "{args}"
    );

    let broken = run("101");
    assert_code(&broken, 2);
    let error: ErrorReport = serde_json::from_slice(&broken.stdout).expect("an error document");
    assert_eq!(error.command, "examples");
    assert!(error.error.message.contains("101"), "{error:?}");
}

#[test]
fn report_summarises_the_json_reports_and_fails_on_a_breaking_change() {
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let (old, new) = (
        scratch.path().join("old.yaml"),
        scratch.path().join("new.yaml"),
    );
    write(&old, TINY);
    write(&new, &changed_tiny());
    let diff = xtask(&["diff", utf8(&old), utf8(&new), "--format", "json"]);
    assert_code(&diff, 0);
    let diff_json = scratch.path().join("diff.json");
    std::fs::write(&diff_json, &diff.stdout).expect("writing the diff report");
    let examples_json = scratch.path().join("examples.json");
    write(
        &examples_json,
        r#"{"schema": "graph-xtask/examples/v1", "dir": "ex", "passed": 4, "failed": 1,
            "failures": [{"example": "v1.0/page/1-response", "file": "ex/v1.0/page/1-response.json",
                          "messages": ["undeclared property $.typo"]}],
            "tolerated": []}"#,
    );
    let summary = scratch.path().join("summary.md");
    let output = xtask(&[
        "report",
        "--diff",
        utf8(&diff_json),
        "--examples",
        utf8(&examples_json),
        "--out",
        utf8(&summary),
    ]);
    assert_code(&output, 1);
    let text = std::fs::read_to_string(&summary).expect("the summary was written");
    assert!(
        text.starts_with("# Docs change: 1 breaking change(s) and 1 failing example(s)\n"),
        "{text}"
    );
    assert!(
        text.contains("| API changes | 1 breaking, 1 additive |"),
        "{text}"
    );
    assert!(text.contains("| examples | 4 passed, 1 failed |"), "{text}");
    assert!(text.contains("undeclared property $.typo"), "{text}");

    // A report of the wrong kind is an input error, not a summary.
    let wrong = xtask(&["report", "--diff", utf8(&examples_json)]);
    assert_code(&wrong, 2);
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("is not a graph-xtask/diff/v1 report"),
        "{}",
        describe(&wrong)
    );
}
