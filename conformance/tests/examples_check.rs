//! The examples check as a whole, on example directories written here: a documented
//! property the spec doesn't declare fails with a line naming it, and a directory without
//! examples is an error.

use std::path::Path;
use std::process::Command;

use conformance::{check_dir, workspace_root, Checker, Failure};
use docs_tools::layout::{write_example, ExampleKind, ExampleMeta, ExtractedExample};

const INSTANCE: &str =
    "https://graph.microsoft.com/v1.0/identityGovernance/accessReviews/definitions/d/instances/i";

fn example(index: u32, kind: ExampleKind, http: &str, body: &str) -> ExtractedExample {
    let odata_type = (kind == ExampleKind::Response)
        .then(|| "microsoft.graph.accessReviewInstanceDecisionItem".to_owned());
    ExtractedExample {
        page: "accessreviewinstancedecisionitem-get".to_owned(),
        index,
        kind,
        http: Some(http.to_owned()),
        json_text: Some(body.to_owned()),
        meta: ExampleMeta {
            block_type: Some(kind.as_str().to_owned()),
            odata_type,
            version: Some("v1.0".to_owned()),
            ..ExampleMeta::default()
        },
    }
}

/// A GET of one decision whose documented response misspells `justification`, and a PATCH
/// whose body misspells it another way, beside a correct response.
fn write_examples(dir: &Path) {
    let get = format!("GET {INSTANCE}/decisions/x");
    let patch = format!("PATCH {INSTANCE}/decisions/x\nContent-Type: application/json");
    let examples = [
        example(1, ExampleKind::Request, &get, ""),
        example(
            1,
            ExampleKind::Response,
            "HTTP/1.1 200 OK\nContent-Type: application/json",
            r##"{"id": "x", "decision": "Approve", "justificationTypo": "still needed",
                "principal": {"@odata.type": "#microsoft.graph.userIdentity", "id": "u", "userPrincipalName": "u@example.com"}}"##,
        ),
        example(
            2,
            ExampleKind::Request,
            &patch,
            r#"{"decision": "Deny", "justifcation": "left the team"}"#,
        ),
        example(
            3,
            ExampleKind::Response,
            "HTTP/1.1 200 OK",
            r#"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#x", "id": "x", "justification": "fine"}"#,
        ),
    ];
    for mut example in examples {
        if example.json_text.as_deref() == Some("") {
            example.json_text = None;
        }
        write_example(dir, &example).expect("writes the example");
    }
}

#[test]
fn undeclared_properties_are_a_failure_of_their_own() {
    let scratch = tempfile::tempdir().expect("a scratch directory");
    write_examples(scratch.path());
    let checker = Checker::load(&workspace_root()).expect("loads the specs and errata");
    let report = check_dir(scratch.path(), &checker).expect("checks");
    let failure = |id: &str| {
        report
            .outcomes
            .iter()
            .find(|o| o.id == id)
            .unwrap_or_else(|| panic!("no outcome for {id}"))
            .failure
            .clone()
    };
    let Some(Failure::UndeclaredProperties(found)) =
        failure("v1.0/accessreviewinstancedecisionitem-get/1-response")
    else {
        panic!("the misspelled response property is not reported as undeclared");
    };
    // Only the misspelling: the principal's userPrincipalName is declared on the derived type
    // its @odata.type names (userIdentity), not on identity.
    let paths: Vec<&str> = found.iter().map(|u| u.path.as_str()).collect();
    assert_eq!(paths, ["$.justificationTypo"]);
    assert_eq!(
        found[0].owner,
        "microsoft.graph.accessReviewInstanceDecisionItem"
    );
    assert!(
        matches!(failure("v1.0/accessreviewinstancedecisionitem-get/2-request"),
            Some(Failure::UndeclaredProperties(found)) if found[0].path == "$.justifcation"),
        "a request body is scanned too, before it is rebuilt"
    );
    assert_eq!(
        failure("v1.0/accessreviewinstancedecisionitem-get/3-response"),
        None,
        "annotations such as @odata.context are not properties"
    );
    assert_eq!((report.passed(), report.failed()), (2, 2));
}

#[test]
fn the_command_prints_a_line_naming_the_property() {
    let scratch = tempfile::tempdir().expect("a scratch directory");
    write_examples(scratch.path());
    let output = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .arg("check")
        .arg(scratch.path())
        .output()
        .expect("runs the check");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success(), "{stdout}");
    assert!(
        stdout.lines().any(|line| line
            == "FAIL v1.0/accessreviewinstancedecisionitem-get/1-response: undeclared property \
                $.justificationTypo: microsoft.graph.accessReviewInstanceDecisionItem declares \
                no such property"),
        "{stdout}"
    );
    assert!(stdout.starts_with("2 passed, 2 failed\n"), "{stdout}");
}

#[test]
fn the_json_report_names_each_failing_example_and_its_file() {
    let scratch = tempfile::tempdir().expect("a scratch directory");
    write_examples(scratch.path());
    let output = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .arg("check")
        .arg(scratch.path())
        .args(["--format", "json"])
        .output()
        .expect("runs the check");
    assert_eq!(output.status.code(), Some(1));
    let report: docs_tools::report::ExamplesReport =
        serde_json::from_slice(&output.stdout).expect("stdout is one JSON report");
    assert_eq!(report.schema, "graph-xtask/examples/v1");
    assert_eq!((report.passed, report.failed), (2, 2));
    let typo = report
        .failures
        .iter()
        .find(|f| f.example == "v1.0/accessreviewinstancedecisionitem-get/1-response")
        .expect("the misspelled property's example failed");
    assert!(
        typo.file
            .ends_with("accessreviewinstancedecisionitem-get/1-response.json"),
        "{typo:?}"
    );
    assert_eq!(
        typo.messages,
        ["undeclared property $.justificationTypo: microsoft.graph.accessReviewInstanceDecisionItem declares no such property"]
    );
}

#[test]
fn a_directory_without_examples_is_an_error() {
    let scratch = tempfile::tempdir().expect("a scratch directory");
    std::fs::write(scratch.path().join("index.json"), "[]").expect("writes a stray file");
    let checker = Checker::load(&workspace_root()).expect("loads the specs and errata");
    let error = check_dir(scratch.path(), &checker)
        .err()
        .expect("an empty directory is an error");
    assert!(
        error.to_string().starts_with("no examples under"),
        "{error}"
    );
    let output = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .arg("check")
        .arg(scratch.path())
        .output()
        .expect("runs the check");
    assert!(!output.status.success());
    assert!(!String::from_utf8_lossy(&output.stdout).contains("0 passed"));
}
