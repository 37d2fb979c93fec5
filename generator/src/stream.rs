//! Steps 3 and 4 one file at a time: the files of both crates laid out as jobs, each
//! emitted and formatted on its own (on a few threads), and handed over in path order.
//!
//! A file's tokens are made on the thread that formats them (token streams can't cross
//! threads); only the formatted text travels. The consumer takes the files in order, and no
//! thread runs more than [`WINDOW`] files ahead of it, so what is held at once is bounded
//! whatever the size of the output.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::{Condvar, Mutex, MutexGuard};

use crate::emit::ModelFiles;
use crate::emit_requests::{RequestEmitter, RequestFiles};
use crate::error::Error;
use crate::{format, Crate, GeneratedFile, Options, RequestsOptions};

/// How far (in files) emitting may run ahead of the consumer.
const WINDOW: usize = 128;

/// What makes one file's text.
pub(crate) enum Make<'a> {
    /// Text known up front (manifests, `rustfmt.toml`).
    Text(String),
    ModelsLib,
    ModelsSchema,
    ModelsModule(&'a str),
    RequestsLib,
    RequestsModule(&'a str),
}

/// One file to make.
pub(crate) struct Job<'a> {
    krate: Crate,
    path: String,
    make: Make<'a>,
}

impl Job<'_> {
    /// Files that can take much longer than the rest (each holds something of every schema
    /// or every operation): started first, so that no thread is left with one at the end.
    fn large(&self) -> bool {
        matches!(
            self.make,
            Make::ModelsLib | Make::ModelsSchema | Make::RequestsLib
        ) || matches!(self.make, Make::RequestsModule("routes"))
    }
}

/// What the jobs are made from.
pub(crate) struct Emitters<'a> {
    pub header: &'a str,
    pub models: &'a ModelFiles<'a>,
    pub requests: Option<&'a RequestFiles<'a>>,
}

/// `a` before `b` as [`std::path::Path`] orders them: component by component.
fn path_order(a: &str, b: &str) -> Ordering {
    a.split('/').cmp(b.split('/'))
}

/// A crate's files in path order. `files` holds them by path as laid out (a later file of
/// the same path replacing an earlier one).
fn sorted<'a>(krate: Crate, files: BTreeMap<String, Make<'a>>) -> Vec<Job<'a>> {
    let mut jobs: Vec<Job<'a>> = files
        .into_iter()
        .map(|(path, make)| Job { krate, path, make })
        .collect();
    jobs.sort_by(|a, b| path_order(&a.path, &b.path));
    jobs
}

/// The models crate's files.
pub(crate) fn models_jobs<'a>(
    spec: &openapiv3::OpenAPI,
    options: &Options,
    header: &str,
    models: &'a ModelFiles<'a>,
) -> Vec<Job<'a>> {
    let mut files = BTreeMap::new();
    files.insert(
        "Cargo.toml".to_owned(),
        Make::Text(format::cargo_toml(options, &spec.info, header)),
    );
    files.insert("src/lib.rs".to_owned(), Make::ModelsLib);
    files.insert("src/schema.rs".to_owned(), Make::ModelsSchema);
    for module in models.modules() {
        files.insert(format!("src/{module}.rs"), Make::ModelsModule(module));
    }
    files.insert(
        "rustfmt.toml".to_owned(),
        Make::Text(format::rustfmt_toml(header)),
    );
    sorted(Crate::Models, files)
}

/// The requests crate's files.
pub(crate) fn requests_jobs<'a>(
    spec: &openapiv3::OpenAPI,
    options: &Options,
    requests: &RequestsOptions,
    header: &str,
    files_of: &'a RequestFiles<'a>,
) -> Vec<Job<'a>> {
    let mut files = BTreeMap::new();
    files.insert(
        "Cargo.toml".to_owned(),
        Make::Text(format::requests_cargo_toml(
            options, requests, &spec.info, header,
        )),
    );
    files.insert("src/lib.rs".to_owned(), Make::RequestsLib);
    for module in files_of.modules() {
        files.insert(format!("src/{module}.rs"), Make::RequestsModule(module));
    }
    files.insert(
        "rustfmt.toml".to_owned(),
        Make::Text(format::rustfmt_toml(header)),
    );
    sorted(Crate::Requests, files)
}

/// Makes one file's text.
fn make(
    job: &Job<'_>,
    emitters: &Emitters<'_>,
    requests: Option<&RequestEmitter<'_>>,
) -> Result<String, Error> {
    let tokens = match (&job.make, requests) {
        (Make::Text(text), _) => return Ok(text.clone()),
        (Make::ModelsLib, _) => emitters.models.lib(),
        (Make::ModelsSchema, _) => emitters.models.schema(),
        (Make::ModelsModule(module), _) => emitters.models.module(module),
        (Make::RequestsLib, Some(emitter)) => emitter.lib(),
        (Make::RequestsModule(module), Some(emitter)) => emitter.module(module),
        (Make::RequestsLib | Make::RequestsModule(_), None) => {
            unreachable!("requests jobs come with the requests crate's emitter")
        }
    };
    format::rust_file(emitters.header, tokens, &job.path)
}

/// Makes every job and hands the files to `sink` in job order, on `threads` threads.
pub(crate) fn run<E: From<Error>>(
    threads: usize,
    jobs: &[Job<'_>],
    emitters: &Emitters<'_>,
    mut sink: impl FnMut(GeneratedFile) -> Result<(), E>,
) -> Result<(), E> {
    let deliver =
        |job: &Job<'_>, text: String, sink: &mut dyn FnMut(GeneratedFile) -> Result<(), E>| {
            sink(GeneratedFile {
                krate: job.krate,
                path: job.path.clone(),
                text,
            })
        };
    if threads <= 1 || jobs.len() <= 1 {
        let mut work = |requests: Option<&RequestEmitter<'_>>| -> Result<(), E> {
            for job in jobs {
                let text = make(job, emitters, requests)?;
                deliver(job, text, &mut sink)?;
            }
            Ok(())
        };
        return match emitters.requests {
            Some(files) => files.with_emitter(|emitter| work(Some(emitter))),
            None => work(None),
        };
    }

    let queue = Queue::new(jobs);
    std::thread::scope(|scope| {
        for _ in 0..threads.min(jobs.len()) {
            scope.spawn(|| {
                let _stop = StopOnPanic(&queue);
                let work = |requests: Option<&RequestEmitter<'_>>| {
                    while let Some(index) = queue.claim() {
                        queue.finish(index, make(&jobs[index], emitters, requests));
                    }
                };
                match emitters.requests {
                    Some(files) => files.with_emitter(|emitter| work(Some(emitter))),
                    None => work(None),
                }
            });
        }
        let mut outcome = Ok(());
        for (index, job) in jobs.iter().enumerate() {
            // `None`: a thread panicked; leaving the scope passes the panic on.
            let Some(result) = queue.take(index) else {
                break;
            };
            if let Err(error) = result
                .map_err(E::from)
                .and_then(|text| deliver(job, text, &mut sink))
            {
                outcome = Err(error);
                break;
            }
        }
        queue.stop();
        outcome
    })
}

/// The jobs shared by the threads that make them and the one that takes them in order.
struct Queue {
    state: Mutex<State>,
    changed: Condvar,
}

struct State {
    /// The order in which jobs are started: large ones first, then the rest in job order.
    order: Vec<usize>,
    large: Vec<bool>,
    /// How many of `order` have been started.
    started: usize,
    /// The next job the consumer takes.
    next: usize,
    done: Vec<Option<Result<String, Error>>>,
    stopped: bool,
}

impl Queue {
    fn new(jobs: &[Job<'_>]) -> Self {
        let large: Vec<bool> = jobs.iter().map(Job::large).collect();
        let mut order: Vec<usize> = (0..jobs.len()).filter(|&i| large[i]).collect();
        order.extend((0..jobs.len()).filter(|&i| !large[i]));
        Queue {
            state: Mutex::new(State {
                order,
                large,
                started: 0,
                next: 0,
                done: (0..jobs.len()).map(|_| None).collect(),
                stopped: false,
            }),
            changed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The lock is never held while anything can panic, so poisoning only follows a
        // panic elsewhere, which `StopOnPanic` has already turned into a stop.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn wait<'a>(&self, guard: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        self.changed.wait(guard).unwrap_or_else(|e| e.into_inner())
    }

    /// The next job to make, waiting while it is more than [`WINDOW`] files ahead of the
    /// consumer; `None` when there is none left or the run stopped.
    fn claim(&self) -> Option<usize> {
        let mut state = self.lock();
        loop {
            if state.stopped || state.started == state.order.len() {
                return None;
            }
            let index = state.order[state.started];
            if state.large[index] || index < state.next + WINDOW {
                state.started += 1;
                return Some(index);
            }
            state = self.wait(state);
        }
    }

    fn finish(&self, index: usize, result: Result<String, Error>) {
        self.lock().done[index] = Some(result);
        self.changed.notify_all();
    }

    /// Job `index`'s result, waiting for it; `None` if the run stopped first.
    fn take(&self, index: usize) -> Option<Result<String, Error>> {
        let mut state = self.lock();
        loop {
            if let Some(result) = state.done[index].take() {
                state.next = index + 1;
                drop(state);
                self.changed.notify_all();
                return Some(result);
            }
            if state.stopped {
                return None;
            }
            state = self.wait(state);
        }
    }

    fn stop(&self) {
        self.lock().stopped = true;
        self.changed.notify_all();
    }
}

/// Stops the run if the thread holding it panics, so that the consumer doesn't wait for a
/// file that will never come.
struct StopOnPanic<'a>(&'a Queue);

impl Drop for StopOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop();
        }
    }
}
