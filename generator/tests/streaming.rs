//! `generate_crates_with`: files come one at a time, in one fixed order, with the same
//! bytes whatever the number of threads, and an error from the receiver stops the run.

mod common;

use std::path::Path;

use common::requests_options;
use generator::{Crate, GeneratedFile};

/// The project's beta spec: about two hundred files, more than the generator keeps in flight.
fn project_spec() -> openapiv3::OpenAPI {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/beta/access-reviews.yaml");
    generator::load_spec(&path).expect("the project's spec loads")
}

fn collect(threads: usize, spec: &openapiv3::OpenAPI) -> Vec<GeneratedFile> {
    let mut files = Vec::new();
    generator::generate_crates_on(
        threads,
        spec,
        &common::options(),
        &requests_options(),
        |file| {
            files.push(file);
            Ok::<(), generator::Error>(())
        },
    )
    .expect("the spec generates");
    files
}

#[test]
fn every_thread_count_gives_the_same_files_in_the_same_order() {
    let spec = project_spec();
    let one = collect(1, &spec);
    assert!(one.len() > 150, "{} files", one.len());
    for threads in [2, 3, 8] {
        let many = collect(threads, &spec);
        assert!(one == many, "{threads} threads differ from one");
    }
    // The order: the models crate, then the requests crate, each sorted as paths sort.
    let keys: Vec<(Crate, &Path)> = one
        .iter()
        .map(|file| (file.krate, Path::new(&file.path)))
        .collect();
    assert!(keys.windows(2).all(|pair| pair[0] < pair[1]), "{keys:?}");
    // And the same files as the collecting wrapper.
    let (models, requests) =
        generator::generate_crates(&spec, &common::options(), &requests_options()).unwrap();
    let wrapped: Vec<(Crate, &String, &String)> = models
        .iter()
        .map(|(path, text)| (Crate::Models, path, text))
        .chain(
            requests
                .iter()
                .map(|(path, text)| (Crate::Requests, path, text)),
        )
        .collect();
    let mut streamed: Vec<(Crate, &String, &String)> = one
        .iter()
        .map(|file| (file.krate, &file.path, &file.text))
        .collect();
    streamed.sort();
    assert_eq!(wrapped, streamed);
}

#[derive(Debug, PartialEq)]
enum Stop {
    Generator(generator::Error),
    Enough,
}

impl From<generator::Error> for Stop {
    fn from(error: generator::Error) -> Self {
        Stop::Generator(error)
    }
}

#[test]
fn an_error_from_the_receiver_stops_generation_and_comes_back() {
    let spec = project_spec();
    for threads in [1, 2] {
        let mut seen = 0;
        let result = generator::generate_crates_on(
            threads,
            &spec,
            &common::options(),
            &requests_options(),
            |_| {
                seen += 1;
                if seen == 5 {
                    Err(Stop::Enough)
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(result, Err(Stop::Enough));
        assert_eq!(seen, 5, "no file is handed over after the error");
    }
}

#[test]
fn a_spec_error_comes_before_any_file() {
    // A path parameter the template doesn't have: found when operations are resolved,
    // which is after the models are laid out but before anything is handed over.
    let spec = common::spec(
        r#"
paths:
  /things/{id}:
    get:
      parameters:
        - {name: other, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: done}
components:
  schemas:
    thing: {type: object, properties: {id: {type: string}}}
"#,
    );
    let mut seen = 0;
    let result =
        generator::generate_crates_with(&spec, &common::options(), &requests_options(), |_| {
            seen += 1;
            Ok::<(), generator::Error>(())
        });
    assert!(result.is_err());
    assert_eq!(seen, 0);
}

#[test]
fn a_panicking_receiver_ends_the_run_instead_of_hanging_it() {
    let spec = project_spec();
    for threads in [1, 2, 3] {
        let result = std::panic::catch_unwind(|| {
            let mut seen = 0;
            generator::generate_crates_on(
                threads,
                &spec,
                &common::options(),
                &requests_options(),
                |_| -> Result<(), generator::Error> {
                    seen += 1;
                    assert!(seen < 3, "the receiver gives up");
                    Ok(())
                },
            )
        });
        assert!(
            result.is_err(),
            "{threads} threads: the panic comes through"
        );
    }
}
