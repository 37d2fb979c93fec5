//! `cargo xtask codegen`: regenerate generated/ from spec/, or check that it is fresh; or
//! generate any spec into any directory (`--spec FILE --out DIR`).
//!
//! Two ways of writing, because the two kinds of output are owned differently:
//!
//! - The project's targets (`generated/v1.0`, `generated/beta`) own their `models/` and
//!   `requests/` directories whole. Each changed directory is built complete beside the old
//!   one and swapped in with directory renames, the old ones kept until every swap is done,
//!   so a failure leaves the old tree (see [`ProjectWriter`]).
//! - `--out DIR` belongs to the user, who may keep files of their own there. Codegen writes
//!   and removes only the files its lock record (`DIR/codegen.lock`) says it generated,
//!   refuses to overwrite any other file unless given `--force`, and never writes, reads or
//!   removes through a symbolic link below DIR (see `ExternalWriter`).
//!
//! Either way, files are written (staged) or compared one at a time as the generator makes
//! them, and dropped: memory holds the spec's IR and a few files, not the whole output.
//! Nothing is put in place until every file has come.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use serde::{Deserialize, Serialize};

use crate::outcome::{Failure, Outcome};
use crate::progress::Progress;
use crate::report::{print_json, Format};

/// The crates the project generates from one of its specs: `<out>/models` and
/// `<out>/requests`.
pub struct Target {
    /// The spec, relative to the workspace root.
    pub spec: &'static str,
    /// The directory of the two crates, relative to the workspace root.
    pub out: &'static str,
    /// The crates' package names start with this (`-models`, `-requests`).
    pub crate_prefix: &'static str,
}

impl Target {
    /// The lock record of this target.
    pub fn lock_path(&self) -> PathBuf {
        Path::new(self.out).join(LOCK_FILE)
    }

    /// The directories this target owns: everything in them is generated.
    pub fn owned_dirs(&self) -> [PathBuf; 2] {
        [
            Path::new(self.out).join("models"),
            Path::new(self.out).join("requests"),
        ]
    }
}

/// The version of the generator this codegen runs, as `--version` prints it.
pub const GENERATOR_VERSION: &str = generator::VERSION;

/// The lock record's file name, in a target's directory or in `--out DIR`.
const LOCK_FILE: &str = "codegen.lock";

/// The project's v1.0 spec, relative to the workspace root.
pub const V1_SPEC: &str = spec_tools::check::V1_0.spec;

/// The project's beta spec, relative to the workspace root.
pub const BETA_SPEC: &str = spec_tools::check::BETA.spec;

/// What `cargo xtask codegen` makes, with no arguments. Beta gets crates of its own, so a
/// user of v1.0 compiles no beta code.
pub const TARGETS: &[Target] = &[
    Target {
        spec: V1_SPEC,
        out: "generated/v1.0",
        crate_prefix: "access-reviews",
    },
    Target {
        spec: BETA_SPEC,
        out: "generated/beta",
        crate_prefix: "access-reviews-beta",
    },
];

/// Files to write, by path relative to the workspace root (or the --out directory).
type Plan = BTreeMap<PathBuf, String>;

/// Where generated files go as they are made: a path (relative to the workspace root, or
/// the --out directory) and the file's contents.
type Sink<'a> = dyn FnMut(PathBuf, String) -> Result<()> + 'a;

/// Generates every project target, handing each file to `sink` as it is made (each
/// target's crates, then its lock record). Callers stage what they are given, so nothing
/// is in place unless all of it succeeds.
fn project_files(root: &Path, sink: &mut Sink<'_>) -> Result<()> {
    for target in TARGETS {
        let spec = generator::load_spec(&root.join(target.spec)).map_err(|e| anyhow!("{e}"))?;
        // The runtime is found relative to the crate, so the output is the same on every machine.
        let depth = Path::new(target.out).components().count() + 1;
        let runtime = format!("{{ path = \"{}runtime\" }}", "../".repeat(depth));
        let mut hash = OutputHash::default();
        generate_crates(
            spec,
            target.crate_prefix,
            runtime,
            target.spec.to_owned(),
            &mut hash,
            &mut |path, text| sink(Path::new(target.out).join(path), text),
        )
        .map_err(|failed| failed.named(Some(target.spec)))?;
        let spec_bytes = std::fs::read(root.join(target.spec))
            .with_context(|| format!("reading {}", target.spec))?;
        let lock = Lock {
            spec: target.spec.to_owned(),
            spec_sha256: sha256_hex(&spec_bytes),
            generator: format!("generator {}", generator::VERSION),
            output_sha256: hash.finish(),
            // The target owns its directories whole, so the record needn't list the files.
            files: None,
        };
        sink(target.lock_path(), lock.render()?)?;
    }
    Ok(())
}

/// Generates every project target in memory.
pub fn plan_project(root: &Path) -> Result<Plan> {
    let mut plan = Plan::new();
    project_files(root, &mut |path, text| {
        plan.insert(path, text);
        Ok(())
    })?;
    Ok(plan)
}

/// What a target's generated files were made from, like Kiota's lock file: lets `--check`
/// tell a changed spec from a changed generator. For `--out`, it also lists the files
/// codegen wrote, which are the only ones it will ever replace or remove there.
///
/// Written and read as TOML by the `toml` crate, so any spec name (quotes, backslashes,
/// non-ASCII) reads back as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Lock {
    spec: String,
    spec_sha256: String,
    generator: String,
    output_sha256: String,
    /// The generated files, relative to the output directory with `/` between components,
    /// sorted. Absent for the project's targets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    files: Option<Vec<String>>,
}

const LOCK_HEADER: &str =
    "# @generated by `cargo xtask codegen`: what the crates beside this file were made from.\n";

impl Lock {
    fn render(&self) -> Result<String> {
        let body = toml::to_string(self).context("writing the lock record")?;
        Ok(format!("{LOCK_HEADER}{body}"))
    }

    /// Reads a lock record; `None` if the text isn't one.
    fn parse(text: &str) -> Option<Self> {
        toml::from_str(text).ok()
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// One hash over every generated file of a target (path and contents), taken as the files
/// come. They come in path order, which this checks, so the value is that of one hash over
/// the whole sorted set of files.
#[derive(Default)]
struct OutputHash {
    hasher: sha2::Sha256,
    last: Option<PathBuf>,
}

impl OutputHash {
    fn add(&mut self, path: &Path, text: &str) -> Result<()> {
        use sha2::Digest;
        if let Some(last) = self.last.as_deref().filter(|last| *last >= path) {
            bail!(
                "generator bug: {} came after {}, out of path order",
                path.display(),
                last.display()
            );
        }
        self.hasher.update(path.to_string_lossy().as_bytes());
        self.hasher.update([0]);
        self.hasher.update(text.as_bytes());
        self.hasher.update([0]);
        self.last = Some(path.to_path_buf());
        Ok(())
    }

    fn finish(self) -> String {
        use sha2::Digest;
        self.hasher
            .finalize()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }
}

/// Why generating stopped: the spec (every error the generator found), or whatever
/// received the files.
enum Failed {
    Spec(generator::Errors),
    Sink(anyhow::Error),
}

impl From<generator::Error> for Failed {
    fn from(error: generator::Error) -> Self {
        Failed::Spec(error.into())
    }
}

impl From<generator::Errors> for Failed {
    fn from(errors: generator::Errors) -> Self {
        Failed::Spec(errors)
    }
}

impl Failed {
    /// The error to report: the spec's errors as [`SpecErrors`], named after the spec if
    /// `spec` is given.
    fn named(self, spec: Option<&str>) -> anyhow::Error {
        match self {
            Failed::Spec(errors) => anyhow::Error::new(SpecErrors {
                spec: spec.map(str::to_owned),
                errors,
            }),
            Failed::Sink(error) => error,
        }
    }
}

/// Every error codegen found in a spec: one run reports them all. Kept typed inside the
/// command's error, so that the JSON error document can list each with its place.
#[derive(Debug)]
pub struct SpecErrors {
    /// The spec's name, when codegen knows it by one (a project target's path).
    pub spec: Option<String>,
    /// The errors, in the order found.
    pub errors: generator::Errors,
}

/// One error: `SPEC: POINTER: what`. Several: a count, then one indented line each.
impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(spec) = &self.spec {
            write!(f, "{spec}: ")?;
        }
        if self.errors.len() == 1 {
            return write!(f, "{}", self.errors.first());
        }
        write!(f, "{} errors", self.errors.len())?;
        for error in self.errors.iter() {
            write!(f, "\n  {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecErrors {}

/// Generates the models and requests crates of one spec, under `models/` and `requests/`,
/// handing each file to `sink` as it is made and adding it to `hash`. The parsed document
/// is dropped once resolved, before any file is made.
fn generate_crates(
    spec: openapiv3::OpenAPI,
    prefix: &str,
    runtime_dependency: String,
    source_label: String,
    hash: &mut OutputHash,
    sink: &mut Sink<'_>,
) -> Result<(), Failed> {
    let options = generator::Options {
        crate_name: format!("{prefix}-models"),
        runtime_dependency,
        source_label,
        standalone: false,
    };
    let requests = generator::RequestsOptions {
        crate_name: format!("{prefix}-requests"),
        models_crate_name: options.crate_name.clone(),
        models_dependency: "{ path = \"../models\" }".to_owned(),
    };
    let resolved = generator::resolve_crates(&spec)?;
    drop(spec);
    resolved.generate(&options, &requests, |file| {
        let dir = match file.krate {
            generator::Crate::Models => "models",
            generator::Crate::Requests => "requests",
        };
        let path = Path::new(dir).join(&file.path);
        hash.add(&path, &file.text).map_err(Failed::Sink)?;
        sink(path, file.text).map_err(Failed::Sink)
    })
}

/// Generates a standalone workspace for any spec, `OUT/Cargo.toml`, `OUT/models/` and
/// `OUT/requests/`, handing each file to `sink` as it is made; returns the lock record
/// without its list of files (the receiver knows them).
fn external_files(spec_path: &Path, root: &Path, sink: &mut Sink<'_>) -> Result<Lock> {
    let spec = generator::load_spec(spec_path).map_err(|e| anyhow!("{e}"))?;
    let stem = spec_path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("api");
    let prefix = generator::naming::snake(stem, "api").replace('_', "-");
    let label = spec_path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("spec")
        .to_owned();
    // The runtime and its derive crate are vendored into `vendor/` and named by relative
    // paths, so the workspace builds wherever it is moved (there is no registry to name them
    // by version, and a path into this checkout would tie the output to this machine).
    let vendored = vendored_files(root)?;
    let runtime = "{ path = \"../vendor/runtime\" }".to_owned();
    let mut hash = OutputHash::default();
    // `Cargo.toml` sorts before `models/`, and `vendor/` after `requests/`: the hash takes
    // the files in path order.
    let workspace = PathBuf::from("Cargo.toml");
    let manifest = workspace_manifest(root)?;
    hash.add(&workspace, &manifest)?;
    sink(workspace, manifest)?;
    generate_crates(spec, &prefix, runtime, label.clone(), &mut hash, sink)
        .map_err(|failed| failed.named(None))?;
    for (path, text) in vendored {
        hash.add(&path, &text)?;
        sink(path, text)?;
    }
    let spec_bytes =
        std::fs::read(spec_path).with_context(|| format!("reading {}", spec_path.display()))?;
    Ok(Lock {
        spec: label,
        spec_sha256: sha256_hex(&spec_bytes),
        generator: format!("generator {}", generator::VERSION),
        output_sha256: hash.finish(),
        files: None,
    })
}

/// The crates a standalone workspace vendors, by their directory in this checkout (and in
/// `vendor/`), in path order. The runtime names the derive crate as `../derive`, so the two
/// keep their directory names.
const VENDORED_CRATES: &[&str] = &["derive", "runtime"];

/// The files of the vendored crates, as `vendor/<crate>/...`: each crate's `Cargo.toml` and
/// the sources under its `src/`, in path order (their tests and benchmarks stay here).
fn vendored_files(root: &Path) -> Result<Vec<(PathBuf, String)>> {
    let mut files = Vec::new();
    for krate in VENDORED_CRATES {
        let base = root.join(krate);
        let mut found = vec![PathBuf::from("Cargo.toml")];
        collect_sources(&base, Path::new("src"), &mut found)?;
        found.sort();
        for relative in found {
            let text = std::fs::read_to_string(base.join(&relative))
                .with_context(|| format!("reading {}", base.join(&relative).display()))?;
            files.push((Path::new("vendor").join(krate).join(relative), text));
        }
    }
    Ok(files)
}

/// Every file below `base/relative`, as paths relative to `base`.
fn collect_sources(base: &Path, relative: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let dir = base.join(relative);
    for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        let path = relative.join(entry.file_name());
        let kind = entry
            .file_type()
            .with_context(|| format!("reading {}", dir.display()))?;
        if kind.is_dir() {
            collect_sources(base, &path, out)?;
        } else if kind.is_file() {
            out.push(path);
        }
    }
    Ok(())
}

/// The standalone workspace's `Cargo.toml`: its two crates and the vendored ones, with the
/// package fields and dependency versions the vendored manifests inherit, taken from this
/// checkout's own manifest so that the two never disagree.
fn workspace_manifest(root: &Path) -> Result<String> {
    let read = |path: PathBuf| -> Result<toml::Table> {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        text.parse::<toml::Table>()
            .with_context(|| format!("parsing {}", path.display()))
    };
    let ours = read(root.join("Cargo.toml"))?;
    let workspace = ours.get("workspace").and_then(toml::Value::as_table);
    let package = workspace
        .and_then(|w| w.get("package"))
        .cloned()
        .unwrap_or_else(|| toml::Value::Table(toml::Table::new()));
    let all_dependencies = workspace
        .and_then(|w| w.get("dependencies"))
        .and_then(toml::Value::as_table);
    let mut dependencies = toml::Table::new();
    for krate in VENDORED_CRATES {
        let manifest = read(root.join(krate).join("Cargo.toml"))?;
        let inherited = manifest
            .get("dependencies")
            .and_then(toml::Value::as_table)
            .into_iter()
            .flatten()
            .filter(|(_, value)| {
                value.get("workspace").and_then(toml::Value::as_bool) == Some(true)
            });
        for (name, _) in inherited {
            let Some(version) = all_dependencies.and_then(|d| d.get(name)) else {
                bail!("{krate}/Cargo.toml inherits {name}, which the workspace does not declare");
            };
            dependencies.insert(name.clone(), version.clone());
        }
    }
    let mut members = vec!["models".to_owned(), "requests".to_owned()];
    members.extend(
        VENDORED_CRATES
            .iter()
            .map(|krate| format!("vendor/{krate}")),
    );
    let mut table = toml::Table::new();
    table.insert("resolver".to_owned(), toml::Value::String("2".to_owned()));
    table.insert(
        "members".to_owned(),
        toml::Value::Array(members.into_iter().map(toml::Value::String).collect()),
    );
    table.insert("package".to_owned(), package);
    table.insert("dependencies".to_owned(), toml::Value::Table(dependencies));
    let mut document = toml::Table::new();
    document.insert("workspace".to_owned(), toml::Value::Table(table));
    let body = toml::to_string(&document).context("writing the workspace manifest")?;
    // Proc macros built optimized: the models' `#[derive(Model)]` expands once per schema at
    // every build, which for thousands of schemas is worth the one-off optimized build.
    Ok(format!(
        "# Written by `cargo xtask codegen`: the generated crates and, under vendor/, the runtime\n\
         # they need, so that this workspace builds wherever it is moved.\n\
         {body}\n[profile.dev.build-override]\nopt-level = 3\n"
    ))
}

/// A relative path as the lock record spells it: components joined by `/`.
fn record_name(path: &Path) -> String {
    path.components()
        .map(|component| component.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A path from a lock record, if it names a file strictly below the output directory: only
/// plain components, no `..`, `.`, root or drive, no backslash. Anything else in a record
/// means it was edited or is not ours, and must not steer a removal.
fn recorded_path(name: &str) -> Option<PathBuf> {
    if name.is_empty() || name.contains('\\') || name.contains('\0') {
        return None;
    }
    let path = PathBuf::from(name);
    let plain = path
        .components()
        .all(|component| matches!(component, Component::Normal(_)));
    (plain && path.components().count() == name.split('/').count()).then_some(path)
}

/// What is at `base/relative`, found without following any symbolic link below `base`:
/// every directory on the way, and the file itself, is checked with `symlink_metadata`.
#[derive(Debug, PartialEq, Eq)]
enum Found {
    /// Nothing there (or below: a missing directory on the way).
    Missing,
    /// A regular file, of this many bytes.
    File(u64),
    /// A directory.
    Directory,
}

fn inspect(base: &Path, relative: &Path) -> Result<Found> {
    inspect_below(base, relative, &mut HashSet::new())
}

/// [`inspect`], skipping the directories on the way that are in `known` (found to be real
/// directories before, or made by codegen), and adding those it finds to it: writing many
/// files into few directories looks at each directory once.
fn inspect_below(base: &Path, relative: &Path, known: &mut HashSet<PathBuf>) -> Result<Found> {
    let mut current = base.to_path_buf();
    let mut inside = PathBuf::new();
    let components: Vec<Component> = relative.components().collect();
    for (index, component) in components.iter().enumerate() {
        current.push(component);
        inside.push(component);
        let last = index + 1 == components.len();
        if !last && known.contains(&inside) {
            continue;
        }
        let metadata = match std::fs::symlink_metadata(&current) {
            Ok(metadata) => metadata,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Found::Missing)
            }
            Err(error) => {
                return Err(error).with_context(|| format!("inspecting {}", current.display()))
            }
        };
        let kind = metadata.file_type();
        if kind.is_symlink() {
            bail!(
                "{} is a symbolic link; codegen never writes, reads or removes through one (remove it, or choose another --out)",
                current.display()
            );
        }
        if last {
            return Ok(if kind.is_dir() {
                Found::Directory
            } else if kind.is_file() {
                Found::File(metadata.len())
            } else {
                bail!("{} is not a regular file", current.display())
            });
        }
        if !kind.is_dir() {
            bail!(
                "{} is in the way: codegen needs a directory there",
                current.display()
            );
        }
        known.insert(inside.clone());
    }
    Ok(Found::Directory)
}

/// Whether the regular file at `path`, of `len` bytes, holds exactly `text` (read only if
/// the length matches).
fn holds(path: &Path, len: u64, text: &str) -> bool {
    len == text.len() as u64 && std::fs::read(path).is_ok_and(|bytes| bytes == text.as_bytes())
}

/// Creates `path` exclusively (never opening what is already there, a symbolic link
/// included) and writes `text` to it; the caller flushes it to disk (see [`Syncer`]).
fn create_unsynced(path: &Path, text: &[u8]) -> std::io::Result<std::fs::File> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(text)?;
    Ok(file)
}

/// Writes `text` to a new temporary file beside `target` (same directory, so a rename onto
/// `target` replaces it whole) and returns its path and the file, not yet flushed. The name
/// is hidden, and picked afresh if taken, so nothing that is already there is opened.
fn write_temporary(target: &Path, text: &str) -> Result<(PathBuf, std::fs::File)> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let pid = std::process::id();
    for attempt in 0..100 {
        let temporary = target.with_file_name(format!(".{name}.codegen-tmp-{pid}-{attempt}"));
        match create_unsynced(&temporary, text.as_bytes()) {
            Ok(file) => return Ok((temporary, file)),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(error) => {
                let _ = std::fs::remove_file(&temporary);
                return Err(error).with_context(|| format!("writing {}", temporary.display()));
            }
        }
    }
    bail!("no free temporary name beside {}", target.display())
}

/// [`write_temporary`], flushed to disk before it returns.
fn write_temporary_synced(target: &Path, text: &str) -> Result<PathBuf> {
    let (temporary, file) = write_temporary(target, text)?;
    if let Err(error) = file.sync_all() {
        let _ = std::fs::remove_file(&temporary);
        return Err(error).with_context(|| format!("writing {}", temporary.display()));
    }
    Ok(temporary)
}

/// Flushes written files to disk before any of them is renamed into place, so that no
/// rename can reach the disk before the data of the file it names. Whoever stages files
/// gives each one to [`Syncer::sync`] and calls [`Syncer::wait`] before the first rename.
///
/// On Linux this is one `syncfs(2)` per file system the files are on, at `wait`: a single
/// flush instead of one `fsync` per file, which for the 7,459 files of the whole Graph v1.0
/// cost 0.7 s of 4.2 s (median of five paired runs), and for our own 128 files several
/// milliseconds of a 50 ms run. Elsewhere each file is flushed on its own, on a few threads,
/// so that waiting for the disk overlaps with making the next files.
#[derive(Default)]
struct Syncer {
    /// Linux: one open file per file system (by device id) that files were written to.
    #[cfg(target_os = "linux")]
    file_systems: Vec<(u64, std::fs::File, PathBuf)>,
    #[cfg(not(target_os = "linux"))]
    sender: Option<std::sync::mpsc::SyncSender<(std::fs::File, PathBuf)>>,
    #[cfg(not(target_os = "linux"))]
    threads: Vec<std::thread::JoinHandle<Option<anyhow::Error>>>,
    /// The first failure seen.
    failure: Option<anyhow::Error>,
}

/// How many files are flushed at once where each is flushed on its own. Flushing mostly
/// waits for the device, which takes several requests at a time; a few threads are enough.
#[cfg(not(target_os = "linux"))]
const SYNC_THREADS: usize = 8;

impl Syncer {
    /// Makes sure `file` (written at `path`) is on disk by the time [`Syncer::wait`] returns.
    #[cfg(target_os = "linux")]
    fn sync(&mut self, file: std::fs::File, path: PathBuf) {
        use std::os::unix::fs::MetadataExt as _;
        match file.metadata() {
            Ok(metadata) => {
                let device = metadata.dev();
                if !self
                    .file_systems
                    .iter()
                    .any(|(known, _, _)| *known == device)
                {
                    self.file_systems.push((device, file, path));
                }
            }
            Err(error) => {
                self.failure.get_or_insert_with(|| {
                    anyhow!(error).context(format!("writing {}", path.display()))
                });
            }
        }
    }

    /// Waits until every file given so far is on disk; the first error if one wasn't.
    #[cfg(target_os = "linux")]
    fn wait(&mut self) -> Result<()> {
        use std::os::fd::AsRawFd as _;
        for (_, file, path) in self.file_systems.drain(..) {
            // SAFETY: syncfs takes a file descriptor, which `file` keeps open for the call;
            // it reads no memory of ours.
            if unsafe { libc::syncfs(file.as_raw_fd()) } != 0 {
                let error = std::io::Error::last_os_error();
                self.failure.get_or_insert_with(|| {
                    anyhow!(error)
                        .context(format!("flushing the file system of {}", path.display()))
                });
            }
        }
        self.failure.take().map_or(Ok(()), Err)
    }

    /// Flushes `file` (written at `path`) to disk, soon.
    #[cfg(not(target_os = "linux"))]
    fn sync(&mut self, file: std::fs::File, path: PathBuf) {
        let sender = self.sender.get_or_insert_with(|| {
            let (sender, receiver) =
                std::sync::mpsc::sync_channel::<(std::fs::File, PathBuf)>(4 * SYNC_THREADS);
            let receiver = std::sync::Arc::new(std::sync::Mutex::new(receiver));
            for _ in 0..SYNC_THREADS {
                let receiver = std::sync::Arc::clone(&receiver);
                self.threads.push(std::thread::spawn(move || {
                    let mut failure = None;
                    loop {
                        let next = match receiver.lock() {
                            Ok(receiver) => receiver.recv(),
                            Err(_) => break,
                        };
                        let Ok((file, path)) = next else { break };
                        if let Err(error) = file.sync_all() {
                            failure.get_or_insert_with(|| {
                                anyhow!(error).context(format!("writing {}", path.display()))
                            });
                        }
                    }
                    failure
                }));
            }
            sender
        });
        if let Err(std::sync::mpsc::SendError((file, path))) = sender.send((file, path)) {
            // No flushing thread is left (one panicked holding the queue): flush it here.
            if let Err(error) = file.sync_all() {
                self.failure.get_or_insert_with(|| {
                    anyhow!(error).context(format!("writing {}", path.display()))
                });
            }
        }
    }

    /// Waits until every file given so far is on disk; the first error if one wasn't.
    #[cfg(not(target_os = "linux"))]
    fn wait(&mut self) -> Result<()> {
        self.sender = None;
        for thread in self.threads.drain(..) {
            let failure = thread
                .join()
                .unwrap_or_else(|_| Some(anyhow!("a thread flushing files to disk panicked")));
            if self.failure.is_none() {
                self.failure = failure;
            }
        }
        self.failure.take().map_or(Ok(()), Err)
    }
}

impl Drop for Syncer {
    fn drop(&mut self) {
        let _ = self.wait();
    }
}

/// Creates the missing directories of `base/relative` (whose parents [`inspect`] found to be
/// real directories) and records each one made, outermost first. Directories in `known`
/// (relative to `base`) are taken as there; those made or found are added to it.
fn create_dirs(
    base: &Path,
    relative: &Path,
    made: &mut Vec<PathBuf>,
    known: &mut HashSet<PathBuf>,
) -> Result<()> {
    let mut current = base.to_path_buf();
    let mut inside = PathBuf::new();
    for component in relative.components() {
        current.push(component);
        inside.push(component);
        if known.contains(&inside) {
            continue;
        }
        match std::fs::create_dir(&current) {
            Ok(()) => made.push(current.clone()),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                // It may have appeared since it was inspected: check it again.
                let metadata = std::fs::symlink_metadata(&current)
                    .with_context(|| format!("inspecting {}", current.display()))?;
                if !metadata.file_type().is_dir() {
                    bail!("{} is not a directory", current.display());
                }
            }
            Err(error) => {
                return Err(error).with_context(|| format!("creating {}", current.display()))
            }
        }
        known.insert(inside.clone());
    }
    Ok(())
}

/// The lock record in `out`, if there is one. `Err` if it is there but isn't one codegen can
/// trust (unreadable, or naming paths outside `out`).
fn read_record(out: &Path) -> Result<Option<BTreeSet<PathBuf>>> {
    match inspect(out, Path::new(LOCK_FILE))? {
        Found::Missing => return Ok(None),
        Found::File(_) => {}
        Found::Directory => bail!("{} is a directory", out.join(LOCK_FILE).display()),
    }
    let path = out.join(LOCK_FILE);
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let lock = Lock::parse(&text)
        .ok_or_else(|| anyhow!("{} is not a lock record codegen can read", path.display()))?;
    let mut files = BTreeSet::new();
    for name in lock.files.unwrap_or_default() {
        let file = recorded_path(&name).ok_or_else(|| {
            anyhow!(
                "{} lists `{name}`, which is not a path below {}",
                path.display(),
                out.display()
            )
        })?;
        files.insert(file);
    }
    Ok(Some(files))
}

/// What a write did, for the summary line.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Files written (new or changed).
    pub written: usize,
    /// Generated files removed because the generator no longer makes them.
    pub removed: usize,
}

/// Writes generated files into `out`, the `--out` directory, as they come
/// ([`ExternalWriter::add`]), and puts them in place when all have come
/// ([`ExternalWriter::finish`]).
///
/// - Only files in the previous lock record (`out/codegen.lock`) are replaced or removed. A
///   file codegen would write that exists but isn't in the record is refused, naming it,
///   unless `force`; so is a lock record that can't be read or that names a path outside
///   `out` (with `force`, such a record is ignored and nothing is removed).
/// - A symbolic link anywhere below `out` on a path to be written or removed is an error.
///   What codegen doesn't own is never looked into, so a link there is simply left alone.
/// - Each file is checked when it comes, and if it changed, written in full under a
///   temporary name; once a check fails nothing more is written, and every problem found is
///   reported at the end. Any error up to the renames (a failed check, a generator error, a
///   full disk), or dropping the writer unfinished, removes what was staged and leaves `out`
///   as it was.
/// - Then, every staged file being on disk, a lock record listing the old and the new files
///   is put in place first, the files are renamed over their targets, stale ones are
///   removed, and the final record is written. A failure among those renames (a full disk,
///   a permission) can leave some files new and some old; the record then still lists every
///   file codegen may have written, so running codegen again finishes the job instead of
///   refusing.
///
/// The checks and the writes are separate system calls, so a directory that is replaced by
/// a link by another process in between could still be followed: codegen guards against
/// mistakes and hostile files in the directory, not against a concurrent attacker.
struct ExternalWriter<'a> {
    out: &'a Path,
    force: bool,
    /// The files of the previous lock record: the only ones codegen may replace or remove.
    previous: BTreeSet<PathBuf>,
    /// Every file given so far.
    planned: BTreeSet<PathBuf>,
    problems: Vec<String>,
    not_ours: Vec<String>,
    /// Directories below `out` (relative to it) known to be real directories.
    known_dirs: HashSet<PathBuf>,
    /// Directories codegen made, outermost first.
    made_dirs: Vec<PathBuf>,
    /// Whether `out` is known to exist.
    out_exists: bool,
    /// Temporary files, and the files they replace.
    staged: Vec<(PathBuf, PathBuf)>,
    syncer: Syncer,
    /// Set once the renames start: from then on, what is staged is codegen's to finish.
    committed: bool,
}

impl<'a> ExternalWriter<'a> {
    /// A writer into `out`, which must be a directory if it exists; reads its lock record.
    fn new(out: &'a Path, force: bool) -> Result<Self> {
        match std::fs::metadata(out) {
            Ok(metadata) if !metadata.is_dir() => bail!("{} is not a directory", out.display()),
            _ => {}
        }
        let previous = match read_record(out) {
            Ok(Some(files)) => files,
            Ok(None) => BTreeSet::new(),
            Err(error) if force => {
                eprintln!("warning: {error:#}; ignoring it (--force), so nothing is removed");
                BTreeSet::new()
            }
            Err(error) => {
                return Err(error.context(
                    "nothing was changed; remove the lock record, or pass --force to overwrite the generated files and remove nothing",
                ))
            }
        };
        Ok(ExternalWriter {
            out,
            force,
            previous,
            planned: BTreeSet::new(),
            problems: Vec::new(),
            not_ours: Vec::new(),
            known_dirs: HashSet::new(),
            made_dirs: Vec::new(),
            out_exists: false,
            staged: Vec::new(),
            syncer: Syncer::default(),
            committed: false,
        })
    }

    /// How many files were given.
    fn files(&self) -> usize {
        self.planned.len()
    }

    /// Whether a check failed, so that nothing will be written.
    fn blocked(&self) -> bool {
        !self.problems.is_empty() || (!self.not_ours.is_empty() && !self.force)
    }

    /// Checks the file at `path` (relative to `out`) and, if it changed, stages it.
    fn add(&mut self, path: &Path, text: &str) -> Result<()> {
        self.planned.insert(path.to_path_buf());
        let full = self.out.join(path);
        let changed = match inspect_below(self.out, path, &mut self.known_dirs) {
            Err(error) => {
                self.problems.push(format!("{error:#}"));
                return Ok(());
            }
            Ok(Found::Directory) => {
                self.problems.push(format!(
                    "{} is a directory where codegen writes a file",
                    full.display()
                ));
                return Ok(());
            }
            Ok(Found::Missing) => true,
            Ok(Found::File(len)) => {
                if !self.previous.contains(path) {
                    self.not_ours.push(full.display().to_string());
                }
                !holds(&full, len, text)
            }
        };
        if changed && !self.blocked() {
            self.stage(path, &full, text)
                .map_err(|error| error.context("nothing was changed"))?;
        }
        Ok(())
    }

    fn stage(&mut self, path: &Path, full: &Path, text: &str) -> Result<()> {
        if !self.out_exists && std::fs::symlink_metadata(self.out).is_err() {
            std::fs::create_dir_all(self.out)
                .with_context(|| format!("creating {}", self.out.display()))?;
            self.made_dirs.push(self.out.to_path_buf());
        }
        self.out_exists = true;
        if let Some(parent) = path.parent() {
            create_dirs(self.out, parent, &mut self.made_dirs, &mut self.known_dirs)?;
        }
        let (temporary, file) = write_temporary(full, text)?;
        self.syncer.sync(file, temporary.clone());
        self.staged.push((temporary, full.to_path_buf()));
        Ok(())
    }

    /// Removes what was staged: the temporary files, and the directories made for them.
    fn unstage(&mut self) {
        let _ = self.syncer.wait();
        for (temporary, _) in self.staged.drain(..) {
            let _ = std::fs::remove_file(temporary);
        }
        for dir in self.made_dirs.drain(..).rev() {
            let _ = std::fs::remove_dir(dir);
        }
    }

    /// Puts every staged file in place and removes the recorded files no longer generated;
    /// `lock` is the record to leave (its list of files is filled in here).
    fn finish(mut self, mut lock: Lock) -> Result<Written> {
        let out = self.out;
        let stale: Vec<PathBuf> = self.previous.difference(&self.planned).cloned().collect();
        for path in &stale {
            if let Err(error) = inspect(out, path) {
                self.problems.push(format!("{error:#}"));
            }
        }
        if let Err(error) = inspect(out, Path::new(LOCK_FILE)) {
            self.problems.push(format!("{error:#}"));
        }
        if !self.problems.is_empty() {
            bail!("nothing was changed:\n  {}", self.problems.join("\n  "));
        }
        if !self.not_ours.is_empty() && !self.force {
            bail!(
                "refusing to overwrite {} file(s) that codegen did not write (they are not in {}): {}; nothing was changed. Pass --force to overwrite them",
                self.not_ours.len(),
                out.join(LOCK_FILE).display(),
                self.not_ours.join(", ")
            );
        }
        self.syncer
            .wait()
            .map_err(|error| error.context("nothing was changed"))?;

        // Record every file that may be ours before any of them changes.
        let lock_path = out.join(LOCK_FILE);
        lock.files = Some(self.planned.iter().map(|path| record_name(path)).collect());
        let mut intent = lock.clone();
        intent.files = Some(
            self.previous
                .union(&self.planned)
                .map(|path| record_name(path))
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect(),
        );
        let replace = |temporary: &Path, target: &Path| {
            std::fs::rename(temporary, target)
                .with_context(|| format!("replacing {}", target.display()))
        };
        let put_lock = |lock: &Lock| -> Result<()> {
            let temporary = write_temporary_synced(&lock_path, &lock.render()?)?;
            replace(&temporary, &lock_path).inspect_err(|_| {
                let _ = std::fs::remove_file(&temporary);
            })
        };
        put_lock(&intent).map_err(|error| error.context("nothing was changed"))?;
        self.committed = true;
        let staged = std::mem::take(&mut self.staged);
        let partway = |done: usize, error: anyhow::Error| {
            error.context(format!(
                "codegen stopped after replacing {done} of {} files; {} lists every file it may have written, so running it again finishes the job",
                staged.len(),
                lock_path.display()
            ))
        };
        for (done, (temporary, full)) in staged.iter().enumerate() {
            if let Err(error) = replace(temporary, full) {
                for (temporary, _) in &staged[done..] {
                    let _ = std::fs::remove_file(temporary);
                }
                return Err(partway(done, error));
            }
        }
        let mut removed = 0;
        for path in &stale {
            // Checked again right before, as this is the one step that deletes.
            match inspect(out, path) {
                Ok(Found::File(_)) => {}
                Ok(_) => continue,
                Err(error) => return Err(partway(staged.len(), error)),
            }
            let full = out.join(path);
            std::fs::remove_file(&full)
                .with_context(|| format!("removing {}", full.display()))
                .map_err(|error| partway(staged.len(), error))?;
            removed += 1;
            // Directories that held only generated files go too; `remove_dir` fails on any
            // that still holds something, which stops the walk.
            let mut dir = full.parent();
            while let Some(current) = dir.filter(|d| *d != out) {
                if std::fs::remove_dir(current).is_err() {
                    break;
                }
                dir = current.parent();
            }
        }
        put_lock(&lock).map_err(|error| partway(staged.len(), error))?;
        Ok(Written {
            written: staged.len(),
            removed,
        })
    }
}

impl Drop for ExternalWriter<'_> {
    fn drop(&mut self) {
        if !self.committed {
            self.unstage();
        }
    }
}

/// Compares generated files with what is in `out`, as they come: files missing or
/// different, and recorded files that are no longer generated. Files codegen didn't write
/// don't count.
struct ExternalCheck<'a> {
    out: &'a Path,
    /// Why the lock record can't be trusted, if it can't.
    record_problem: Option<String>,
    previous: BTreeSet<PathBuf>,
    planned: BTreeSet<PathBuf>,
    /// Each out-of-date file, by path.
    stale: Vec<(PathBuf, Stale)>,
    known_dirs: HashSet<PathBuf>,
}

impl<'a> ExternalCheck<'a> {
    fn new(out: &'a Path) -> Self {
        let (previous, record_problem) = match read_record(out) {
            Ok(record) => (record.unwrap_or_default(), None),
            Err(error) => (BTreeSet::new(), Some(format!("{error:#}"))),
        };
        ExternalCheck {
            out,
            record_problem,
            previous,
            planned: BTreeSet::new(),
            stale: Vec::new(),
            known_dirs: HashSet::new(),
        }
    }

    fn add(&mut self, path: &Path, text: &str) {
        self.planned.insert(path.to_path_buf());
        self.compare(path, text);
    }

    fn compare(&mut self, path: &Path, text: &str) {
        let problem = match inspect_below(self.out, path, &mut self.known_dirs) {
            Ok(Found::File(len)) => {
                let full = self.out.join(path);
                if holds(&full, len, text) {
                    return;
                }
                let existing = std::fs::read(full).unwrap_or_default();
                Stale::Differs {
                    path: path.to_path_buf(),
                    diff: diff_excerpt(path, &String::from_utf8_lossy(&existing), text),
                }
            }
            Ok(_) => Stale::Missing(path.to_path_buf()),
            Err(error) => Stale::Problem(format!("{error:#}")),
        };
        self.stale.push((path.to_path_buf(), problem));
    }

    /// What is stale, given the lock record codegen would write (its list of files is
    /// filled in here).
    fn finish(mut self, mut lock: Lock) -> Checked {
        lock.files = Some(self.planned.iter().map(|path| record_name(path)).collect());
        if let Ok(text) = lock.render() {
            self.compare(Path::new(LOCK_FILE), &text);
        }
        self.stale.sort_by(|a, b| a.0.cmp(&b.0));
        let mut stale: Vec<Stale> = self
            .record_problem
            .into_iter()
            .map(Stale::Problem)
            .collect();
        stale.extend(self.stale.into_iter().map(|(_, problem)| problem));
        for path in self.previous.difference(&self.planned) {
            if inspect(self.out, path).is_ok_and(|found| matches!(found, Found::File(_))) {
                stale.push(Stale::Extra(path.clone()));
            }
        }
        Checked {
            // The lock record is compared too.
            generated: self.planned.len() + 1,
            stale,
            reasons: Vec::new(),
        }
    }
}

/// Compares the project's generated files with those on disk under `root`, as they come.
struct ProjectCheck<'a> {
    root: &'a Path,
    owned_dirs: &'a [&'a Path],
    /// Each out-of-date file, by path.
    stale: Vec<(PathBuf, Stale)>,
    planned: BTreeSet<PathBuf>,
    /// The lock records codegen would write, for [`why_stale`].
    locks: Plan,
}

impl<'a> ProjectCheck<'a> {
    fn new(root: &'a Path, owned_dirs: &'a [&'a Path]) -> Self {
        ProjectCheck {
            root,
            owned_dirs,
            stale: Vec::new(),
            planned: BTreeSet::new(),
            locks: Plan::new(),
        }
    }

    fn add(&mut self, path: &Path, text: &str) {
        match std::fs::read_to_string(self.root.join(path)) {
            Ok(existing) if existing == text => {}
            Ok(existing) => self.stale.push((
                path.to_path_buf(),
                Stale::Differs {
                    path: path.to_path_buf(),
                    diff: diff_excerpt(path, &existing, text),
                },
            )),
            Err(_) => self
                .stale
                .push((path.to_path_buf(), Stale::Missing(path.to_path_buf()))),
        }
        if path.file_name().is_some_and(|name| name == LOCK_FILE) {
            self.locks.insert(path.to_path_buf(), text.to_owned());
        }
        self.planned.insert(path.to_path_buf());
    }

    /// What is stale, in path order, then files no longer generated; and why, from the
    /// lock records.
    fn finish(mut self) -> Checked {
        self.stale.sort_by(|a, b| a.0.cmp(&b.0));
        let mut stale: Vec<Stale> = self.stale.into_iter().map(|(_, line)| line).collect();
        for extra in extra_files(self.root, &self.planned, self.owned_dirs) {
            stale.push(Stale::Extra(extra));
        }
        let reasons = if stale.is_empty() {
            Vec::new()
        } else {
            why_stale(self.root, &self.locks)
        };
        Checked {
            generated: self.planned.len(),
            stale,
            reasons,
        }
    }
}

/// One file `codegen --check` found out of date, or could not check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stale {
    /// On disk, but not what the generator makes; `diff` is a unified diff from the file on
    /// disk to what the generator makes, cut after 40 lines.
    Differs {
        /// Relative to the checkout or the `--out` directory.
        path: PathBuf,
        /// The start of a unified diff from the file on disk to the generated one.
        diff: String,
    },
    /// Generated, but not on disk.
    Missing(PathBuf),
    /// On disk among the generated files, but no longer generated.
    Extra(PathBuf),
    /// Something that stopped a file being checked (a lock record that can't be read, a
    /// symbolic link in the way).
    Problem(String),
}

impl std::fmt::Display for Stale {
    /// The line `codegen --check` prints after `stale: `.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stale::Differs { path, diff } => {
                write!(
                    f,
                    "{} differs from what the generator makes:",
                    path.display()
                )?;
                for line in diff.lines() {
                    write!(f, "\n    {line}")?;
                }
                Ok(())
            }
            Stale::Missing(path) => write!(f, "{} is missing", path.display()),
            Stale::Extra(path) => write!(f, "{} is no longer generated", path.display()),
            Stale::Problem(problem) => f.write_str(problem),
        }
    }
}

/// What a `codegen --check` found.
#[derive(Debug, Default)]
pub struct Checked {
    /// How many files the generator makes (lock records included).
    pub generated: usize,
    /// What is out of date, in path order, then the files no longer generated.
    pub stale: Vec<Stale>,
    /// Why, from the lock records.
    pub reasons: Vec<String>,
}

impl Checked {
    /// The `codegen --check --format json` document.
    pub fn to_json(&self) -> crate::report::CodegenCheckReport {
        use crate::report::{CodegenCheckReport, CodegenCounts, StaleFile, CODEGEN_CHECK_SCHEMA};
        let path = |path: &Path| path.display().to_string();
        let mut report = CodegenCheckReport {
            schema: CODEGEN_CHECK_SCHEMA.to_owned(),
            up_to_date: self.stale.is_empty(),
            counts: CodegenCounts {
                generated: self.generated,
                stale: 0,
                missing: 0,
                extra: 0,
                problems: 0,
            },
            stale: Vec::new(),
            missing: Vec::new(),
            extra: Vec::new(),
            problems: Vec::new(),
            reasons: self.reasons.clone(),
        };
        for entry in &self.stale {
            match entry {
                Stale::Differs { path: file, diff } => report.stale.push(StaleFile {
                    path: path(file),
                    diff: diff.clone(),
                }),
                Stale::Missing(file) => report.missing.push(path(file)),
                Stale::Extra(file) => report.extra.push(path(file)),
                Stale::Problem(problem) => report.problems.push(problem.clone()),
            }
        }
        report.counts.stale = report.stale.len();
        report.counts.missing = report.missing.len();
        report.counts.extra = report.extra.len();
        report.counts.problems = report.problems.len();
        report
    }
}

/// Differences between the plan and the files on disk under `base`.
pub fn stale_files(base: &Path, plan: &Plan, owned_dirs: &[&Path]) -> Vec<Stale> {
    let mut check = ProjectCheck::new(base, owned_dirs);
    for (path, text) in plan {
        check.add(path, text);
    }
    check.finish().stale
}

/// The most diff lines shown for one stale file: enough to see what changed, short enough
/// that a regenerated crate doesn't flood a CI log.
const DIFF_LINES: usize = 40;

/// A unified diff from the file on disk to what the generator makes, cut after
/// [`DIFF_LINES`] lines (a last line says how many were left out).
fn diff_excerpt(path: &Path, on_disk: &str, generated: &str) -> String {
    let name = path.display().to_string();
    let diff = similar::TextDiff::from_lines(on_disk, generated);
    let text = diff
        .unified_diff()
        .context_radius(2)
        .header(&format!("{name} (on disk)"), &format!("{name} (generated)"))
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    let mut excerpt: Vec<String> = lines
        .iter()
        .take(DIFF_LINES)
        .map(|line| (*line).to_owned())
        .collect();
    if lines.len() > DIFF_LINES {
        excerpt.push(format!(
            "... ({} more diff lines)",
            lines.len() - DIFF_LINES
        ));
    }
    excerpt.join("\n")
}

/// "`path` differs", followed by [`diff_excerpt`], indented: the line `--check` prints.
#[cfg(test)]
fn differs(path: &Path, on_disk: &str, generated: &str) -> String {
    Stale::Differs {
        path: path.to_path_buf(),
        diff: diff_excerpt(path, on_disk, generated),
    }
    .to_string()
}

/// Entries under the owned directories that are not in `planned`. Symbolic links are
/// reported as entries, never followed.
fn extra_files(base: &Path, planned: &BTreeSet<PathBuf>, owned_dirs: &[&Path]) -> Vec<PathBuf> {
    let mut extra = Vec::new();
    for dir in owned_dirs {
        let mut pending = vec![base.join(dir)];
        while let Some(current) = pending.pop() {
            let Ok(entries) = std::fs::read_dir(&current) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
                    pending.push(path);
                } else if let Ok(relative) = path.strip_prefix(base) {
                    if !planned.contains(relative) {
                        extra.push(relative.to_path_buf());
                    }
                }
            }
        }
    }
    extra.sort();
    extra
}

/// A step of [`write_project`]'s swap, given to its fault hook so that tests can make any
/// step fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SwapStep {
    /// Moving the current directory or lock file aside.
    MoveAside,
    /// Moving the staged one into place.
    MoveIn,
}

/// One directory or file of a project target that is replaced whole.
struct Unit {
    /// Where it lives (`generated/v1.0/models`, `generated/v1.0/codegen.lock`).
    target: PathBuf,
    /// The new one, complete, beside it.
    staged: PathBuf,
    /// Where the old one waits until every unit is swapped.
    backup: PathBuf,
}

impl Unit {
    /// The unit replacing `target`, with its staged copy and its backup beside it. A staged
    /// copy left by an earlier run is removed first.
    fn beside(target: PathBuf) -> Result<Unit> {
        let unit = Unit {
            staged: sibling(&target, "codegen-new"),
            backup: sibling(&target, "codegen-old"),
            target,
        };
        remove_any(&unit.staged).with_context(|| format!("removing {}", unit.staged.display()))?;
        Ok(unit)
    }
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{suffix}"))
}

fn remove_any(path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(error),
        // `remove_dir_all` does not follow links inside the tree it removes.
        Ok(metadata) if metadata.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
    }
}

fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// Writes the project's files under `root` as they come ([`ProjectWriter::add`]): every
/// owned directory (`models/`, `requests/` of each target) and lock record whose contents
/// change is replaced whole ([`ProjectWriter::finish`]).
///
/// 1. Each changed directory is built complete beside the old one (`.models.codegen-new`),
///    started when its first changed file comes. Files whose contents are unchanged are
///    hard-linked from the old tree, so they keep their timestamps and cargo rebuilds only
///    what changed; files that don't come are left out, which is how stale ones go. An
///    error here (a generator error included), or dropping the writer unfinished, removes
///    what was staged: nothing under `root` has changed.
/// 2. Once every file has come and every staged file is on disk, each unit is swapped: the
///    old one renamed aside (`.models.codegen-old`), the new one renamed into place. If any
///    rename fails, the units already swapped are swapped back and the error says "nothing
///    was changed".
/// 3. Only then are the old copies removed.
///
/// The limit: the swap is several renames, each atomic, not one. If the process dies in the
/// middle of step 2 (killed, power lost), some units can be new and others old until the
/// next codegen, which first puts back any unit whose old copy is still aside, and then
/// regenerates everything.
pub struct ProjectWriter<'a> {
    root: &'a Path,
    owned_dirs: &'a [PathBuf],
    locks: &'a [PathBuf],
    /// Per owned directory, in `owned_dirs` order.
    dirs: Vec<StagedDir>,
    /// Per lock record, in `locks` order: the unit replacing it, if it changed.
    lock_units: Vec<Option<Unit>>,
    /// Every file given so far.
    planned: BTreeSet<PathBuf>,
    written: usize,
    syncer: Syncer,
    /// Set once the swap starts, which cleans up after itself.
    swapping: bool,
}

/// One owned directory while files come.
#[derive(Default)]
struct StagedDir {
    /// Its new copy, once a changed file has come.
    unit: Option<Unit>,
    /// Unchanged files that came before the copy was started, to be linked into it then.
    unchanged: Vec<PathBuf>,
    /// Directories of the new copy known to exist.
    made: HashSet<PathBuf>,
}

impl<'a> ProjectWriter<'a> {
    /// A writer of the units `owned_dirs` and `locks` under `root`; first repairs what an
    /// interrupted run left.
    pub fn new(root: &'a Path, owned_dirs: &'a [PathBuf], locks: &'a [PathBuf]) -> Result<Self> {
        recover_interrupted_swap(root, owned_dirs, locks)?;
        Ok(ProjectWriter {
            root,
            owned_dirs,
            locks,
            dirs: owned_dirs.iter().map(|_| StagedDir::default()).collect(),
            lock_units: locks.iter().map(|_| None).collect(),
            planned: BTreeSet::new(),
            written: 0,
            syncer: Syncer::default(),
            swapping: false,
        })
    }

    /// Stages the file at `path` (relative to `root`) if its directory changes.
    pub fn add(&mut self, path: &Path, text: &str) -> Result<()> {
        self.stage(path, text)
            .map_err(|error| error.context("nothing was changed"))
    }

    fn stage(&mut self, path: &Path, text: &str) -> Result<()> {
        let root = self.root;
        if let Some(index) = self.owned_dirs.iter().position(|dir| path.starts_with(dir)) {
            self.planned.insert(path.to_path_buf());
            let same = same_on_disk(&root.join(path), text);
            if self.dirs[index].unit.is_none() {
                if same {
                    self.dirs[index].unchanged.push(path.to_path_buf());
                    return Ok(());
                }
                self.start(index)?;
            }
            self.put(index, path, (!same).then_some(text))
        } else if let Some(index) = self.locks.iter().position(|lock| lock == path) {
            self.planned.insert(path.to_path_buf());
            if same_on_disk(&root.join(path), text) {
                return Ok(());
            }
            let unit = Unit::beside(root.join(path))?;
            let staged = unit.staged.clone();
            self.lock_units[index] = Some(unit);
            let file = create_unsynced(&staged, text.as_bytes())
                .with_context(|| format!("writing {}", staged.display()))?;
            self.syncer.sync(file, staged);
            self.written += 1;
            Ok(())
        } else {
            bail!("{} is not in a directory codegen owns", path.display())
        }
    }

    /// Starts the new copy of owned directory `index`, with the unchanged files so far.
    fn start(&mut self, index: usize) -> Result<()> {
        let unit = Unit::beside(self.root.join(&self.owned_dirs[index]))?;
        std::fs::create_dir_all(&unit.staged)
            .with_context(|| format!("creating {}", unit.staged.display()))?;
        self.dirs[index].unit = Some(unit);
        for path in std::mem::take(&mut self.dirs[index].unchanged) {
            self.put(index, &path, None)?;
        }
        Ok(())
    }

    /// Puts the file at `path` into the new copy of owned directory `index`: `text` if it
    /// changed, else a link to the old file (or, where links don't work, a copy of it).
    fn put(&mut self, index: usize, path: &Path, changed: Option<&str>) -> Result<()> {
        let old = self.root.join(path);
        let inside = path.strip_prefix(&self.owned_dirs[index]).unwrap_or(path);
        let dir = &mut self.dirs[index];
        let Some(unit) = &dir.unit else {
            bail!("{} has no new copy", self.owned_dirs[index].display())
        };
        let new = unit.staged.join(inside);
        if let Some(parent) = new.parent() {
            if !dir.made.contains(parent) {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("creating {}", parent.display()))?;
                dir.made.insert(parent.to_path_buf());
            }
        }
        let bytes = match changed {
            Some(text) => Cow::Borrowed(text.as_bytes()),
            None if std::fs::hard_link(&old, &new).is_ok() => return Ok(()),
            None => Cow::Owned(
                std::fs::read(&old).with_context(|| format!("reading {}", old.display()))?,
            ),
        };
        let file =
            create_unsynced(&new, &bytes).with_context(|| format!("writing {}", new.display()))?;
        self.syncer.sync(file, new);
        self.written += 1;
        Ok(())
    }

    /// Swaps in every unit that changed; how many files were written.
    pub fn finish(
        mut self,
        fault: &mut dyn FnMut(SwapStep, &Path) -> std::io::Result<()>,
    ) -> Result<usize> {
        let owned: Vec<&Path> = self.owned_dirs.iter().map(PathBuf::as_path).collect();
        let extra = extra_files(self.root, &self.planned, &owned);
        for index in 0..self.owned_dirs.len() {
            let dir = &self.owned_dirs[index];
            if self.dirs[index].unit.is_none() && extra.iter().any(|path| path.starts_with(dir)) {
                self.start(index)
                    .map_err(|error| error.context("nothing was changed"))?;
            }
        }
        self.syncer
            .wait()
            .map_err(|error| error.context("nothing was changed"))?;
        self.swapping = true;
        let units: Vec<Unit> = self
            .dirs
            .iter_mut()
            .filter_map(|dir| dir.unit.take())
            .chain(self.lock_units.iter_mut().filter_map(Option::take))
            .collect();
        swap(&units, fault)?;
        Ok(self.written)
    }
}

impl Drop for ProjectWriter<'_> {
    fn drop(&mut self) {
        if self.swapping {
            return;
        }
        let _ = self.syncer.wait();
        let units = self.dirs.iter().filter_map(|dir| dir.unit.as_ref());
        for unit in units.chain(self.lock_units.iter().flatten()) {
            let _ = remove_any(&unit.staged);
        }
    }
}

/// Whether `path` is a regular file holding exactly `text`.
fn same_on_disk(path: &Path, text: &str) -> bool {
    std::fs::symlink_metadata(path)
        .is_ok_and(|m| m.file_type().is_file() && holds(path, m.len(), text))
}

/// Writes `plan` under `root` with a [`ProjectWriter`].
pub fn write_project(
    root: &Path,
    plan: &Plan,
    owned_dirs: &[PathBuf],
    locks: &[PathBuf],
    fault: &mut dyn FnMut(SwapStep, &Path) -> std::io::Result<()>,
) -> Result<usize> {
    let mut writer = ProjectWriter::new(root, owned_dirs, locks)?;
    for (path, text) in plan {
        writer.add(path, text)?;
    }
    writer.finish(fault)
}

/// Swaps each staged unit into place, keeping the old ones aside until all are in, and
/// removes the old ones; on any failure, swaps back what was done.
fn swap(
    units: &[Unit],
    fault: &mut dyn FnMut(SwapStep, &Path) -> std::io::Result<()>,
) -> Result<()> {
    let mut swapped: Vec<(&Unit, bool)> = Vec::new();
    let mut failure = None;
    for unit in units {
        let had_old = exists(&unit.target);
        if had_old {
            let aside = fault(SwapStep::MoveAside, &unit.target)
                .and_then(|()| std::fs::rename(&unit.target, &unit.backup));
            if let Err(error) = aside {
                failure =
                    Some(anyhow!(error).context(format!("moving {} aside", unit.target.display())));
                break;
            }
        }
        let moved_in = fault(SwapStep::MoveIn, &unit.target)
            .and_then(|()| std::fs::rename(&unit.staged, &unit.target));
        if let Err(error) = moved_in {
            if had_old {
                let _ = std::fs::rename(&unit.backup, &unit.target);
            }
            failure = Some(
                anyhow!(error).context(format!("moving the new {} in", unit.target.display())),
            );
            break;
        }
        swapped.push((unit, had_old));
    }
    if let Some(error) = failure {
        let mut stuck = Vec::new();
        for (unit, had_old) in swapped.iter().rev() {
            let back = std::fs::rename(&unit.target, &unit.staged).and_then(|()| {
                if *had_old {
                    std::fs::rename(&unit.backup, &unit.target)
                } else {
                    Ok(())
                }
            });
            if back.is_err() {
                stuck.push(unit.target.display().to_string());
            }
        }
        for unit in units {
            let _ = remove_any(&unit.staged);
        }
        if !stuck.is_empty() {
            return Err(error.context(format!(
                "and these could not be put back: {} (their old copies are beside them as .*.codegen-old; running codegen again restores a consistent tree)",
                stuck.join(", ")
            )));
        }
        return Err(error.context("nothing was changed"));
    }
    for unit in units {
        if let Err(error) = remove_any(&unit.backup) {
            eprintln!(
                "warning: the new files are in place, but the old copy {} could not be removed: {error}",
                unit.backup.display()
            );
        }
    }
    Ok(())
}

/// Undoes what an interrupted [`ProjectWriter`] left: an old copy still aside whose unit is
/// missing is put back; an old copy beside a unit that is in place, and any staged copy, are
/// removed.
fn recover_interrupted_swap(root: &Path, owned_dirs: &[PathBuf], locks: &[PathBuf]) -> Result<()> {
    for path in owned_dirs.iter().chain(locks) {
        let target = root.join(path);
        let backup = sibling(&target, "codegen-old");
        if exists(&backup) {
            if exists(&target) {
                remove_any(&backup).with_context(|| format!("removing {}", backup.display()))?;
            } else {
                std::fs::rename(&backup, &target).with_context(|| {
                    format!(
                        "putting back {} from an interrupted codegen",
                        target.display()
                    )
                })?;
            }
        }
        let staged = sibling(&target, "codegen-new");
        remove_any(&staged).with_context(|| format!("removing {}", staged.display()))?;
    }
    Ok(())
}

/// `cargo xtask codegen [--check] [--spec FILE --out DIR [--force]]` for the checkout at
/// `root`. Each file is checked or written as it is generated and then dropped, so memory
/// does not grow with the size of the output. Stale files under `--check` are
/// [`Failure::Found`]; every other failure is an error.
pub fn run_in(
    root: &Path,
    check: bool,
    format: Format,
    spec: Option<PathBuf>,
    out: Option<PathBuf>,
    force: bool,
) -> Outcome {
    match (spec, out) {
        (Some(spec), Some(out)) => {
            if check {
                let progress = Progress::start("files", "checking");
                let mut checker = ExternalCheck::new(&out);
                let lock = external_files(&spec, root, &mut |path, text| {
                    progress.inc();
                    checker.add(&path, &text);
                    Ok(())
                })?;
                drop(progress);
                return report_stale(&checker.finish(lock), format);
            }
            let progress = Progress::start("files", "generating");
            let mut writer = ExternalWriter::new(&out, force)?;
            let lock = external_files(&spec, root, &mut |path, text| {
                progress.inc();
                writer.add(&path, &text)
            })?;
            let files = writer.files();
            progress.phase("writing");
            let done = writer.finish(lock)?;
            drop(progress);
            println!(
                "codegen: {files} files for {} in {} ({} written, {} removed)",
                spec.display(),
                out.display(),
                done.written,
                done.removed
            );
            Ok(())
        }
        (None, None) => {
            if force {
                return Err(Failure::usage(
                    "--force is for --out: codegen owns generated/ whole",
                ));
            }
            let owned_dirs: Vec<PathBuf> = TARGETS.iter().flat_map(Target::owned_dirs).collect();
            if check {
                let owned: Vec<&Path> = owned_dirs.iter().map(PathBuf::as_path).collect();
                let progress = Progress::start("files", "checking");
                let mut checker = ProjectCheck::new(root, &owned);
                project_files(root, &mut |path, text| {
                    progress.inc();
                    checker.add(&path, &text);
                    Ok(())
                })?;
                drop(progress);
                return report_stale(&checker.finish(), format);
            }
            let locks: Vec<PathBuf> = TARGETS.iter().map(Target::lock_path).collect();
            let mut writer = ProjectWriter::new(root, &owned_dirs, &locks)?;
            let mut files = 0;
            let progress = Progress::start("files", "generating");
            project_files(root, &mut |path, text| {
                files += 1;
                progress.inc();
                writer.add(&path, &text)
            })?;
            progress.phase("writing");
            let written = writer.finish(&mut |_, _| Ok(()))?;
            drop(progress);
            println!("codegen: {files} files up to date ({written} written)");
            Ok(())
        }
        _ => Err(Failure::usage("--spec and --out go together")),
    }
}

/// One line per project target for `cargo xtask --version`: the spec hash and generator its
/// lock record says the target's crates were made from, or why the record can't be read.
pub fn recorded_versions(root: &Path) -> Vec<String> {
    TARGETS
        .iter()
        .map(|target| {
            let path = root.join(target.lock_path());
            match std::fs::read_to_string(&path).map(|text| Lock::parse(&text)) {
                Ok(Some(lock)) => format!(
                    "{}: spec {} sha256 {}, made by {}",
                    target.out, lock.spec, lock.spec_sha256, lock.generator
                ),
                Ok(None) => format!("{}: {} is not a lock record", target.out, path.display()),
                Err(error) => format!("{}: no lock record ({error})", target.out),
            }
        })
        .collect()
}

/// For each target whose files are stale, what changed since the last codegen, from its
/// lock record: the spec, or (same spec, different output) the generator. `fresh` holds
/// the lock records codegen would write now, by path.
fn why_stale(root: &Path, fresh: &Plan) -> Vec<String> {
    let mut reasons = Vec::new();
    for target in TARGETS {
        let Some(fresh) = fresh
            .get(&target.lock_path())
            .and_then(|text| Lock::parse(text))
        else {
            continue;
        };
        let recorded = std::fs::read_to_string(root.join(target.lock_path()))
            .ok()
            .and_then(|text| Lock::parse(&text));
        match recorded {
            None => reasons.push(format!("{}: no lock record; generated/ was never made by this codegen", target.out)),
            Some(recorded) if recorded.spec_sha256 != fresh.spec_sha256 => {
                reasons.push(format!("{}: the spec {} changed since the last codegen", target.out, target.spec))
            }
            Some(recorded) if recorded.output_sha256 != fresh.output_sha256 => reasons.push(format!(
                "{}: same spec, different output: the generator changed since the last codegen ({} then, {} now)",
                target.out, recorded.generator, fresh.generator
            )),
            Some(_) => {}
        }
    }
    reasons
}

/// Prints what `--check` found, as lines (stale ones on stderr) or as one JSON document on
/// stdout; anything out of date is a finding.
fn report_stale(checked: &Checked, format: Format) -> Outcome {
    match format {
        Format::Json => print_json(&checked.to_json())?,
        Format::Human if checked.stale.is_empty() => {
            println!("codegen --check: generated files are fresh");
        }
        Format::Human => {
            for line in &checked.stale {
                eprintln!("stale: {line}");
            }
            for reason in &checked.reasons {
                eprintln!("why: {reason}");
            }
        }
    }
    if checked.stale.is_empty() {
        return Ok(());
    }
    Err(Failure::found(format!(
        "{} generated file(s) are stale: run `cargo xtask codegen`",
        checked.stale.len()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stale_file_is_shown_as_a_bounded_unified_diff() {
        let old = "a\nb\nc\n";
        let new = "a\nB\nc\n";
        let message = differs(Path::new("src/x.rs"), old, new);
        let lines: Vec<&str> = message.lines().collect();
        assert_eq!(lines[0], "src/x.rs differs from what the generator makes:");
        assert!(lines.contains(&"    --- src/x.rs (on disk)"), "{message}");
        assert!(lines.contains(&"    +++ src/x.rs (generated)"), "{message}");
        assert!(
            lines.contains(&"    -b") && lines.contains(&"    +B"),
            "{message}"
        );
        // A file that changed everywhere is cut short, and says how much was left out.
        let old: String = (0..500).map(|n| format!("old {n}\n")).collect();
        let new: String = (0..500).map(|n| format!("new {n}\n")).collect();
        let message = differs(Path::new("big.rs"), &old, &new);
        assert_eq!(message.lines().count(), 1 + DIFF_LINES + 1);
        assert!(message.ends_with("more diff lines)"), "{message}");
    }

    /// A scratch copy of the parts of the workspace codegen reads and writes.
    fn scratch_workspace() -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        for dir in ["spec", "generated"] {
            copy_tree(&source.join(dir), &root.path().join(dir));
        }
        root
    }

    fn copy_tree(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap().flatten() {
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy_tree(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }

    /// Every entry under `dir`: file bytes, `<dir>`, or a link's target; links not followed.
    fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut files = BTreeMap::new();
        let mut pending = vec![dir.to_path_buf()];
        while let Some(current) = pending.pop() {
            for entry in std::fs::read_dir(&current).unwrap().flatten() {
                let kind = entry.file_type().unwrap();
                let value = if kind.is_symlink() {
                    format!("-> {}", std::fs::read_link(entry.path()).unwrap().display())
                        .into_bytes()
                } else if kind.is_dir() {
                    pending.push(entry.path());
                    b"<dir>".to_vec()
                } else {
                    std::fs::read(entry.path()).unwrap()
                };
                files.insert(entry.path(), value);
            }
        }
        files
    }

    fn run_project(root: &Path) -> Outcome {
        run_in(root, false, Format::Human, None, None, false)
    }

    /// Changes a description in both specs, so that every target's crates and lock change.
    fn edit_specs(root: &Path) {
        for spec in [V1_SPEC, BETA_SPEC] {
            let path = root.join(spec);
            let text = std::fs::read_to_string(&path).unwrap();
            let edited = text.replace("Key of the entity", "Identifier of the entity");
            assert_ne!(edited, text, "{spec} must change");
            std::fs::write(&path, edited).unwrap();
        }
    }

    fn project_units() -> (Vec<PathBuf>, Vec<PathBuf>) {
        (
            TARGETS.iter().flat_map(Target::owned_dirs).collect(),
            TARGETS.iter().map(Target::lock_path).collect(),
        )
    }

    /// Whether `root` holds exactly `plan` (generation is slow in a debug build, so the
    /// tests plan once and check against that).
    fn is_fresh(root: &Path, plan: &Plan) -> bool {
        let (dirs, _) = project_units();
        let owned: Vec<&Path> = dirs.iter().map(PathBuf::as_path).collect();
        stale_files(root, plan, &owned).is_empty()
    }

    /// Plans and writes the project, as `cargo xtask codegen` does; returns the plan.
    fn regenerate(root: &Path) -> Plan {
        let plan = plan_project(root).unwrap();
        let (dirs, locks) = project_units();
        write_project(root, &plan, &dirs, &locks, &mut |_, _| Ok(())).unwrap();
        plan
    }

    #[test]
    fn a_failing_codegen_leaves_generated_byte_for_byte_unchanged() {
        let scratch = scratch_workspace();
        let root = scratch.path();
        let before = snapshot(&root.join("generated"));
        let spec = root.join(V1_SPEC);
        let text = std::fs::read_to_string(&spec).unwrap();
        // A reference to a schema that does not exist.
        let broken = text.replacen(
            "$ref: '#/components/schemas/microsoft.graph.userIdentity'",
            "$ref: '#/components/schemas/microsoft.graph.noSuchIdentity'",
            1,
        );
        assert_ne!(broken, text, "the test must break the spec");
        std::fs::write(&spec, broken).unwrap();
        let error = run_project(root).unwrap_err().to_string();
        assert!(error.contains("noSuchIdentity"), "{error}");
        assert!(
            error.contains("#/components/schemas/"),
            "the error names the place: {error}"
        );
        assert_eq!(snapshot(&root.join("generated")), before);
    }

    #[test]
    fn a_spec_error_after_files_were_staged_leaves_generated_byte_for_byte_unchanged() {
        let scratch = scratch_workspace();
        let root = scratch.path();
        // v1.0 changes, so its new models/ is being staged when beta, generated after it,
        // turns out to be broken.
        let v1 = root.join(V1_SPEC);
        let text = std::fs::read_to_string(&v1).unwrap();
        std::fs::write(
            &v1,
            text.replace("Key of the entity", "Identifier of the entity"),
        )
        .unwrap();
        let beta = root.join(BETA_SPEC);
        let text = std::fs::read_to_string(&beta).unwrap();
        let broken = text.replacen(
            "$ref: '#/components/schemas/microsoft.graph.userIdentity'",
            "$ref: '#/components/schemas/microsoft.graph.noSuchIdentity'",
            1,
        );
        assert_ne!(broken, text, "the test must break the spec");
        std::fs::write(&beta, broken).unwrap();
        let before = snapshot(&root.join("generated"));
        let error = run_project(root).unwrap_err().to_string();
        assert!(error.contains("noSuchIdentity"), "{error}");
        assert!(error.starts_with(BETA_SPEC), "{error}");
        // Nothing staged is left either (a `.models.codegen-new` would show here).
        assert_eq!(snapshot(&root.join("generated")), before);
    }

    #[test]
    fn a_failure_at_any_step_of_the_swap_changes_nothing() {
        let scratch = scratch_workspace();
        let root = scratch.path();
        edit_specs(root);
        let before = snapshot(&root.join("generated"));
        let plan = plan_project(root).unwrap();
        let (dirs, locks) = project_units();
        // Fail the first step, then the second, ... until a run gets through.
        let mut failing_at = 0;
        loop {
            let mut calls = 0;
            let mut fault = |_: SwapStep, target: &Path| {
                calls += 1;
                if calls > failing_at {
                    Err(std::io::Error::other(format!(
                        "injected failure at {}",
                        target.display()
                    )))
                } else {
                    Ok(())
                }
            };
            match write_project(root, &plan, &dirs, &locks, &mut fault) {
                Ok(_) => break,
                Err(error) => {
                    let message = format!("{error:#}");
                    assert!(message.contains("injected failure"), "{message}");
                    assert!(message.contains("nothing was changed"), "{message}");
                    assert_eq!(
                        snapshot(&root.join("generated")),
                        before,
                        "after a failure at step {}",
                        failing_at + 1
                    );
                }
            }
            failing_at += 1;
        }
        // The edit changes each target's models/ and lock record (requests/ don't show the
        // description): four units, each moved aside and then in.
        assert_eq!(failing_at, 8);
        assert!(is_fresh(root, &plan));
        let leftovers: Vec<_> = snapshot(&root.join("generated"))
            .into_keys()
            .filter(|path| path.to_string_lossy().contains(".codegen-"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn an_interrupted_swap_is_put_back_by_the_next_run() {
        let scratch = scratch_workspace();
        let root = scratch.path();
        // What a run killed between moving models/ aside and moving the new one in leaves.
        let models = root.join("generated/v1.0/models");
        std::fs::rename(&models, sibling(&models, "codegen-old")).unwrap();
        std::fs::create_dir_all(sibling(&models, "codegen-new").join("src")).unwrap();
        let plan = regenerate(root);
        assert!(is_fresh(root, &plan));
        assert!(!exists(&sibling(&models, "codegen-old")));
        assert!(!exists(&sibling(&models, "codegen-new")));
    }

    #[test]
    fn unchanged_files_keep_their_timestamps() {
        let scratch = scratch_workspace();
        let root = scratch.path();
        let untouched = root.join("generated/v1.0/models/Cargo.toml");
        let modified = |path: &Path| std::fs::metadata(path).unwrap().modified().unwrap();
        let before = modified(&untouched);
        std::thread::sleep(std::time::Duration::from_millis(20));
        edit_specs(root);
        let plan = regenerate(root);
        assert!(is_fresh(root, &plan));
        assert_eq!(modified(&untouched), before);
    }

    #[test]
    fn a_path_taken_by_a_directory_does_not_leave_a_mix() {
        let scratch = scratch_workspace();
        let root = scratch.path();
        edit_specs(root);
        // A generated file's place is taken by a directory with something in it: a file
        // rename onto it fails, so replacing files one by one stopped halfway.
        let taken = root.join("generated/v1.0/requests/src/lib.rs");
        std::fs::remove_file(&taken).unwrap();
        std::fs::create_dir_all(taken.join("inside")).unwrap();
        let plan = regenerate(root);
        assert!(is_fresh(root, &plan));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_inside_generated_is_removed_as_a_link_never_followed() {
        let scratch = scratch_workspace();
        let root = scratch.path();
        let victim = root.join("victim");
        std::fs::create_dir_all(&victim).unwrap();
        std::fs::write(victim.join("precious.txt"), "mine").unwrap();
        std::os::unix::fs::symlink(&victim, root.join("generated/v1.0/models/src/link")).unwrap();
        edit_specs(root);
        let plan = regenerate(root);
        assert!(is_fresh(root, &plan));
        assert!(!exists(&root.join("generated/v1.0/models/src/link")));
        assert_eq!(
            std::fs::read_to_string(victim.join("precious.txt"))
                .ok()
                .as_deref(),
            Some("mine")
        );
    }

    #[test]
    fn check_says_whether_the_spec_or_the_generator_changed() {
        let scratch = scratch_workspace();
        let root = scratch.path();
        let plan = plan_project(root).unwrap();
        assert!(
            why_stale(root, &plan).is_empty(),
            "the committed files are fresh"
        );

        let lock = root.join(TARGETS[0].lock_path());
        let recorded = std::fs::read_to_string(&lock).unwrap();
        let mut tampered = Lock::parse(&recorded).unwrap();
        tampered.output_sha256 = "0".repeat(64);
        std::fs::write(&lock, tampered.render().unwrap()).unwrap();
        let reasons = why_stale(root, &plan);
        assert!(
            reasons.iter().any(|r| r.contains("the generator changed")),
            "{reasons:?}"
        );

        std::fs::write(&lock, &recorded).unwrap();
        let spec = root.join(V1_SPEC);
        let text = std::fs::read_to_string(&spec).unwrap();
        std::fs::write(
            &spec,
            text.replacen("Key of the entity", "Identifier of the entity", 1),
        )
        .unwrap();
        let plan = plan_project(root).unwrap();
        let reasons = why_stale(root, &plan);
        assert!(
            reasons
                .iter()
                .any(|r| r.contains("the spec spec/v1.0/access-reviews.yaml changed")),
            "{reasons:?}"
        );
    }

    #[test]
    fn lock_records_read_back_whatever_the_spec_is_called() {
        for spec in [
            "spec/x.yaml",
            "my \"quoted\" spec.yaml",
            r"C:\specs\graph.yaml",
            "grafik-ü-✓.yaml",
            "line\nbreak = \"injected\".yaml",
        ] {
            let lock = Lock {
                spec: spec.into(),
                spec_sha256: "ab".into(),
                generator: "generator 0.1.0".into(),
                output_sha256: "cd".into(),
                files: Some(vec!["Cargo.toml".into(), "models/src/lib.rs".into()]),
            };
            assert_eq!(Lock::parse(&lock.render().unwrap()), Some(lock), "{spec}");
        }
        assert_eq!(Lock::parse("not a lock"), None);
    }

    #[test]
    fn the_projects_lock_records_keep_their_format() {
        let lock = Lock {
            spec: "spec/v1.0/access-reviews.yaml".into(),
            spec_sha256: "ab".into(),
            generator: "generator 0.1.0".into(),
            output_sha256: "cd".into(),
            files: None,
        };
        assert_eq!(
            lock.render().unwrap(),
            "# @generated by `cargo xtask codegen`: what the crates beside this file were made from.\n\
             spec = \"spec/v1.0/access-reviews.yaml\"\nspec_sha256 = \"ab\"\n\
             generator = \"generator 0.1.0\"\noutput_sha256 = \"cd\"\n"
        );
    }

    #[test]
    fn recorded_paths_stay_below_the_output() {
        for good in ["Cargo.toml", "models/src/lib.rs"] {
            assert_eq!(recorded_path(good), Some(PathBuf::from(good)));
        }
        for bad in [
            "",
            "../victim",
            "models/../../victim",
            "/etc/passwd",
            "./models",
            "models//lib.rs",
            "models/",
            r"models\..\..\victim",
            "a\0b",
        ] {
            assert_eq!(recorded_path(bad), None, "{bad:?}");
        }
    }
}
