//! Steps 3 and 4 one file at a time: the files of both crates laid out as jobs, each
//! emitted and formatted on its own (on a few threads), and handed over in path order.
//!
//! A file's tokens are made on the thread that formats them (token streams can't cross
//! threads); only the formatted text travels. The calling thread takes the files in order;
//! small files are made at most [`WINDOW`] files ahead of it, and the few large ones as soon
//! as a helper is free, so what is held at once is bounded whatever the size of the output.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::{Condvar, Mutex, MutexGuard};

use crate::emit::ModelFiles;
use crate::emit_requests::{RequestEmitter, RequestFiles};
use crate::error::Error;
use crate::{format, Crate, GeneratedFile, Options, RequestsOptions};

/// How far (in files) small files may be made ahead of the one the caller takes next.
const WINDOW: usize = 256;

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
    /// Whether it can take much longer than most: a file that holds something of every
    /// schema or every operation, or a module of many types. Large files go first to the
    /// helper threads, so that none is left to the end, and the thread that takes the files
    /// in order makes small ones (a large one only if no helper has started it), so that
    /// handing files over doesn't stop for long.
    large: bool,
}

/// A models module holding more types than this is a large file.
const LARGE_MODULE: usize = 32;

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
fn sorted<'a>(
    krate: Crate,
    files: BTreeMap<String, Make<'a>>,
    large: impl Fn(&Make<'a>) -> bool,
) -> Vec<Job<'a>> {
    let mut jobs: Vec<Job<'a>> = files
        .into_iter()
        .map(|(path, make)| Job {
            krate,
            path,
            large: large(&make),
            make,
        })
        .collect();
    jobs.sort_by(|a, b| path_order(&a.path, &b.path));
    jobs
}

/// The models crate's files.
pub(crate) fn models_jobs<'a>(
    info: &openapiv3::Info,
    options: &Options,
    header: &str,
    models: &'a ModelFiles<'a>,
) -> Vec<Job<'a>> {
    let mut files = BTreeMap::new();
    files.insert(
        "Cargo.toml".to_owned(),
        Make::Text(format::cargo_toml(options, info, header)),
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
    sorted(Crate::Models, files, |make| match make {
        Make::ModelsLib | Make::ModelsSchema => true,
        Make::ModelsModule(module) => models.types_in(module) > LARGE_MODULE,
        _ => false,
    })
}

/// The requests crate's files.
pub(crate) fn requests_jobs<'a>(
    info: &openapiv3::Info,
    options: &Options,
    requests: &RequestsOptions,
    header: &str,
    files_of: &'a RequestFiles<'a>,
) -> Vec<Job<'a>> {
    let mut files = BTreeMap::new();
    files.insert(
        "Cargo.toml".to_owned(),
        Make::Text(format::requests_cargo_toml(options, requests, info, header)),
    );
    files.insert("src/lib.rs".to_owned(), Make::RequestsLib);
    for module in files_of.modules() {
        files.insert(format!("src/{module}.rs"), Make::RequestsModule(module));
    }
    files.insert(
        "rustfmt.toml".to_owned(),
        Make::Text(format::rustfmt_toml(header)),
    );
    sorted(Crate::Requests, files, |make| {
        matches!(make, Make::RequestsLib | Make::RequestsModule("routes"))
    })
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

/// Makes every job and hands the files to `sink` in job order, on `threads` threads: the
/// calling thread, which takes the files in order and makes small ones whenever the next
/// file isn't ready, and `threads - 1` helpers, which make the large files first and then
/// small ones ahead of it.
pub(crate) fn run<E: From<Error>>(
    threads: usize,
    jobs: &[Job<'_>],
    emitters: &Emitters<'_>,
    mut sink: impl FnMut(GeneratedFile) -> Result<(), E>,
) -> Result<(), E> {
    let with_emitter = |work: &mut dyn FnMut(Option<&RequestEmitter<'_>>)| match emitters.requests {
        Some(files) => files.with_emitter(|emitter| work(Some(emitter))),
        None => work(None),
    };
    let queue = Queue::new(jobs);
    let mut outcome = Ok(());
    std::thread::scope(|scope| {
        // If this thread panics, the helpers must stop for the scope to end.
        let _stop = StopOnPanic(&queue);
        for _ in 1..threads.min(jobs.len()) {
            scope.spawn(|| {
                let _stop = StopOnPanic(&queue);
                with_emitter(&mut |requests| {
                    while let Some(index) = queue.claim() {
                        queue.finish(index, make(&jobs[index], emitters, requests));
                    }
                });
            });
        }
        with_emitter(&mut |requests| {
            let make_one = |index: usize| make(&jobs[index], emitters, requests);
            for (index, job) in jobs.iter().enumerate() {
                // `None`: a helper panicked; leaving the scope passes the panic on.
                let Some(result) = queue.take(index, &make_one) else {
                    break;
                };
                let delivered = result.map_err(E::from).and_then(|text| {
                    sink(GeneratedFile {
                        krate: job.krate,
                        path: job.path.clone(),
                        text,
                    })
                });
                if let Err(error) = delivered {
                    outcome = Err(error);
                    break;
                }
            }
        });
        queue.stop();
    });
    outcome
}

/// The jobs shared by the helpers and the thread that takes the files in order.
struct Queue {
    state: Mutex<State>,
    changed: Condvar,
}

struct State {
    /// The large jobs and the small ones, each in job order.
    large: Vec<usize>,
    small: Vec<usize>,
    /// How many of each have been started.
    large_started: usize,
    small_started: usize,
    /// The next job the consumer takes.
    next: usize,
    done: Vec<Option<Result<String, Error>>>,
    stopped: bool,
}

impl State {
    /// The next small job, if it may start: at most [`WINDOW`] files ahead of the consumer.
    fn small_ready(&self) -> Option<usize> {
        let index = *self.small.get(self.small_started)?;
        (index < self.next + WINDOW).then_some(index)
    }
}

impl Queue {
    fn new(jobs: &[Job<'_>]) -> Self {
        let (large, small): (Vec<usize>, Vec<usize>) =
            (0..jobs.len()).partition(|&index| jobs[index].large);
        Queue {
            state: Mutex::new(State {
                large,
                small,
                large_started: 0,
                small_started: 0,
                next: 0,
                done: jobs.iter().map(|_| None).collect(),
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

    /// A helper's next job: a large one while any is left, then small ones, waiting while
    /// the next is too far ahead of the consumer; `None` when none is left or the run
    /// stopped.
    fn claim(&self) -> Option<usize> {
        let mut state = self.lock();
        loop {
            if state.stopped {
                return None;
            }
            if let Some(&index) = state.large.get(state.large_started) {
                state.large_started += 1;
                return Some(index);
            }
            if state.small_started == state.small.len() {
                return None;
            }
            if let Some(index) = state.small_ready() {
                state.small_started += 1;
                return Some(index);
            }
            state = self.wait(state);
        }
    }

    fn finish(&self, index: usize, result: Result<String, Error>) {
        self.lock().done[index] = Some(result);
        self.changed.notify_all();
    }

    /// Job `index`'s result, making jobs with `make` while it isn't ready (small ones ahead
    /// of it, or itself if no helper has started it); `None` if the run stopped first.
    fn take(
        &self,
        index: usize,
        make: &dyn Fn(usize) -> Result<String, Error>,
    ) -> Option<Result<String, Error>> {
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
            // The file itself, if it is large and no helper has started it (there may be
            // none); else a small one ahead.
            let own = if state.large.get(state.large_started) == Some(&index) {
                state.large_started += 1;
                Some(index)
            } else {
                state.small_ready().inspect(|_| state.small_started += 1)
            };
            if let Some(ready) = own {
                drop(state);
                let result = make(ready);
                state = self.lock();
                state.done[ready] = Some(result);
                continue;
            }
            state = self.wait(state);
        }
    }

    fn stop(&self) {
        self.lock().stopped = true;
        self.changed.notify_all();
    }
}

/// Stops the run if the thread holding it panics, so that no other waits for a file that
/// will never come, or for one more job.
struct StopOnPanic<'a>(&'a Queue);

impl Drop for StopOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop();
        }
    }
}
