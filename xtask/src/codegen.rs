//! `cargo xtask codegen`: regenerate generated/ from spec/, or check that it is fresh; or
//! generate any spec into any directory (`--spec FILE --out DIR`).
//!
//! Two ways of writing, because the two kinds of output are owned differently:
//!
//! - The project's targets (`generated/v1.0`, `generated/beta`) own their `models/` and
//!   `requests/` directories whole. Each changed directory is built complete beside the old
//!   one and swapped in with directory renames, the old ones kept until every swap is done,
//!   so a failure leaves the old tree (see [`write_project`]).
//! - `--out DIR` belongs to the user, who may keep files of their own there. Codegen writes
//!   and removes only the files its lock record (`DIR/codegen.lock`) says it generated,
//!   refuses to overwrite any other file unless given `--force`, and never writes, reads or
//!   removes through a symbolic link below DIR (see [`write_external`]).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use serde::{Deserialize, Serialize};

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

/// The lock record's file name, in a target's directory or in `--out DIR`.
const LOCK_FILE: &str = "codegen.lock";

/// The project's v1.0 spec, relative to the workspace root.
pub const V1_SPEC: &str = "spec/v1.0/access-reviews.yaml";

/// The project's beta spec, relative to the workspace root.
pub const BETA_SPEC: &str = "spec/beta/access-reviews.yaml";

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

/// The workspace root (the parent of xtask/).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Files to write, by path relative to the workspace root (or the --out directory).
type Plan = BTreeMap<PathBuf, String>;

/// Generates every project target in memory. Nothing is written unless all succeed.
pub fn plan_project(root: &Path) -> Result<Plan> {
    let mut plan = Plan::new();
    for target in TARGETS {
        let spec = generator::load_spec(&root.join(target.spec)).map_err(|e| anyhow!("{e}"))?;
        // The runtime is found relative to the crate, so the output is the same on every machine.
        let depth = Path::new(target.out).components().count() + 1;
        let runtime = format!("{{ path = \"{}runtime\" }}", "../".repeat(depth));
        let crates = plan_crates(&spec, target.crate_prefix, runtime, target.spec.to_owned())
            .map_err(|e| anyhow!("{}: {e}", target.spec))?;
        let spec_bytes = std::fs::read(root.join(target.spec))
            .with_context(|| format!("reading {}", target.spec))?;
        let lock = Lock {
            spec: target.spec.to_owned(),
            spec_sha256: sha256_hex(&spec_bytes),
            generator: format!("generator {}", generator::VERSION),
            output_sha256: output_hash(&crates),
            // The target owns its directories whole, so the record needn't list the files.
            files: None,
        };
        plan.insert(target.lock_path(), lock.render()?);
        for (path, text) in crates {
            plan.insert(Path::new(target.out).join(path), text);
        }
    }
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

/// One hash over every generated file (path and contents), in path order.
fn output_hash(files: &Plan) -> String {
    use sha2::Digest;
    let mut hasher = sha2::Sha256::new();
    for (path, text) in files {
        hasher.update(path.to_string_lossy().as_bytes());
        hasher.update([0]);
        hasher.update(text.as_bytes());
        hasher.update([0]);
    }
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The models and requests crates of one spec, under `models/` and `requests/`.
fn plan_crates(
    spec: &openapiv3::OpenAPI,
    prefix: &str,
    runtime_dependency: String,
    source_label: String,
) -> Result<Plan, generator::Error> {
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
    let (models, requests) = generator::generate_crates(spec, &options, &requests)?;
    let mut plan = Plan::new();
    for (path, text) in models {
        plan.insert(Path::new("models").join(path), text);
    }
    for (path, text) in requests {
        plan.insert(Path::new("requests").join(path), text);
    }
    Ok(plan)
}

/// What `--spec FILE --out DIR` makes: the files, and the lock record that lists them.
pub struct External {
    files: Plan,
    lock: Lock,
}

/// Generates a standalone workspace for any spec: `OUT/Cargo.toml`, `OUT/models/` and
/// `OUT/requests/`, and the lock record `OUT/codegen.lock`.
pub fn plan_external(spec_path: &Path, root: &Path) -> Result<External> {
    let spec = generator::load_spec(spec_path).map_err(|e| anyhow!("{e}"))?;
    let runtime = root.join("runtime");
    let runtime = runtime.canonicalize().unwrap_or(runtime);
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
    let runtime = format!("{{ path = {:?} }}", runtime.display().to_string());
    let mut files =
        plan_crates(&spec, &prefix, runtime, label.clone()).map_err(|e| anyhow!("{e}"))?;
    files.insert(
        PathBuf::from("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"models\", \"requests\"]\n".to_owned(),
    );
    let spec_bytes =
        std::fs::read(spec_path).with_context(|| format!("reading {}", spec_path.display()))?;
    let lock = Lock {
        spec: label,
        spec_sha256: sha256_hex(&spec_bytes),
        generator: format!("generator {}", generator::VERSION),
        output_sha256: output_hash(&files),
        files: Some(files.keys().map(|path| record_name(path)).collect()),
    };
    Ok(External { files, lock })
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
    /// A regular file.
    File,
    /// A directory.
    Directory,
}

fn inspect(base: &Path, relative: &Path) -> Result<Found> {
    let mut current = base.to_path_buf();
    let components: Vec<Component> = relative.components().collect();
    for (index, component) in components.iter().enumerate() {
        current.push(component);
        let last = index + 1 == components.len();
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
                Found::File
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
    }
    Ok(Found::Directory)
}

/// Creates `path` exclusively (never opening what is already there, a symbolic link
/// included) and writes `text` to it.
fn create_new(path: &Path, text: &str) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

/// Writes `text` to a new temporary file beside `target` (same directory, so a rename onto
/// `target` replaces it whole) and returns its path. The name is hidden, and picked afresh if
/// taken, so nothing that is already there is opened.
fn write_temporary(target: &Path, text: &str) -> Result<PathBuf> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for attempt in 0..100 {
        let temporary = target.with_file_name(format!(
            ".{name}.codegen-tmp-{}-{attempt}",
            std::process::id()
        ));
        match create_new(&temporary, text) {
            Ok(()) => return Ok(temporary),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(error) => {
                let _ = std::fs::remove_file(&temporary);
                return Err(error).with_context(|| format!("writing {}", temporary.display()));
            }
        }
    }
    bail!("no free temporary name beside {}", target.display())
}

/// Creates the missing directories of `base/relative` (whose parents [`inspect`] found to be
/// real directories) and records each one made, outermost first.
fn create_dirs(base: &Path, relative: &Path, made: &mut Vec<PathBuf>) -> Result<()> {
    let mut current = base.to_path_buf();
    for component in relative.components() {
        current.push(component);
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
    }
    Ok(())
}

/// The lock record in `out`, if there is one. `Err` if it is there but isn't one codegen can
/// trust (unreadable, or naming paths outside `out`).
fn read_record(out: &Path) -> Result<Option<BTreeSet<PathBuf>>> {
    match inspect(out, Path::new(LOCK_FILE))? {
        Found::Missing => return Ok(None),
        Found::File => {}
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

/// Writes `external` into `out`, the `--out` directory.
///
/// - Only files in the previous lock record (`out/codegen.lock`) are replaced or removed. A
///   file the plan would write that exists but isn't in the record is refused, naming it,
///   unless `force`; so is a lock record that can't be read or that names a path outside
///   `out` (with `force`, such a record is ignored and nothing is removed).
/// - A symbolic link anywhere below `out` on a path to be written or removed is an error.
///   What codegen doesn't own is never looked into, so a link there is simply left alone.
/// - Every check runs before anything is written, and every changed file is first written in
///   full under a temporary name, so any error up to that point leaves `out` as it was.
/// - Then a lock record listing the old and the new files is put in place first, the files
///   are renamed over their targets, stale ones are removed, and the final record is written.
///   A failure among those renames (a full disk, a permission) can leave some files new and
///   some old; the record then still lists every file codegen may have written, so running
///   codegen again finishes the job instead of refusing.
///
/// The checks and the writes are separate system calls, so a directory that is replaced by
/// a link by another process in between could still be followed: codegen guards against
/// mistakes and hostile files in the directory, not against a concurrent attacker.
pub fn write_external(out: &Path, external: &External, force: bool) -> Result<Written> {
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
    let planned: BTreeSet<PathBuf> = external.files.keys().cloned().collect();

    // Look before writing anything: links, things in the way, files that aren't ours.
    let mut problems = Vec::new();
    let mut not_ours = Vec::new();
    let mut changed = Vec::new();
    for (path, text) in &external.files {
        match inspect(out, path) {
            Err(error) => problems.push(format!("{error:#}")),
            Ok(Found::Directory) => problems.push(format!(
                "{} is a directory where codegen writes a file",
                out.join(path).display()
            )),
            Ok(Found::Missing) => changed.push((path, text)),
            Ok(Found::File) => {
                if !previous.contains(path) {
                    not_ours.push(out.join(path).display().to_string());
                }
                let full = out.join(path);
                let same = std::fs::read(&full).is_ok_and(|bytes| bytes == text.as_bytes());
                if !same {
                    changed.push((path, text));
                }
            }
        }
    }
    let stale: Vec<&PathBuf> = previous.difference(&planned).collect();
    for path in &stale {
        if let Err(error) = inspect(out, path) {
            problems.push(format!("{error:#}"));
        }
    }
    if let Err(error) = inspect(out, Path::new(LOCK_FILE)) {
        problems.push(format!("{error:#}"));
    }
    if !problems.is_empty() {
        bail!("nothing was changed:\n  {}", problems.join("\n  "));
    }
    if !not_ours.is_empty() && !force {
        bail!(
            "refusing to overwrite {} file(s) that codegen did not write (they are not in {}): {}; nothing was changed. Pass --force to overwrite them",
            not_ours.len(),
            out.join(LOCK_FILE).display(),
            not_ours.join(", ")
        );
    }

    // Stage every changed file in full.
    let mut made_dirs = Vec::new();
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let staging = (|| -> Result<()> {
        if std::fs::symlink_metadata(out).is_err() {
            std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
            made_dirs.push(out.to_path_buf());
        }
        for (path, text) in &changed {
            if let Some(parent) = path.parent() {
                create_dirs(out, parent, &mut made_dirs)?;
            }
            let full = out.join(path);
            staged.push((write_temporary(&full, text)?, full));
        }
        Ok(())
    })();
    let unstage = |staged: &[(PathBuf, PathBuf)]| {
        for (temporary, _) in staged {
            let _ = std::fs::remove_file(temporary);
        }
        for dir in made_dirs.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
    };
    if let Err(error) = staging {
        unstage(&staged);
        return Err(error.context("nothing was changed"));
    }

    // Record every file that may be ours before any of them changes.
    let lock_path = out.join(LOCK_FILE);
    let mut intent = external.lock.clone();
    intent.files = Some(
        previous
            .union(&planned)
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
        let temporary = write_temporary(&lock_path, &lock.render()?)?;
        replace(&temporary, &lock_path).inspect_err(|_| {
            let _ = std::fs::remove_file(&temporary);
        })
    };
    let partway = |done: usize, error: anyhow::Error| {
        error.context(format!(
            "codegen stopped after replacing {done} of {} files; {} lists every file it may have written, so running it again finishes the job",
            staged.len(),
            lock_path.display()
        ))
    };
    if let Err(error) = put_lock(&intent) {
        unstage(&staged);
        return Err(error.context("nothing was changed"));
    }
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
            Ok(Found::File) => {}
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
    put_lock(&external.lock).map_err(|error| partway(staged.len(), error))?;
    Ok(Written {
        written: staged.len(),
        removed,
    })
}

/// Differences between `external` and what is in `out`: files missing or different, and
/// recorded files that are no longer generated. Files codegen didn't write don't count.
fn stale_external(out: &Path, external: &External) -> Vec<String> {
    let mut stale = Vec::new();
    let previous = match read_record(out) {
        Ok(record) => record.unwrap_or_default(),
        Err(error) => {
            stale.push(format!("{error:#}"));
            BTreeSet::new()
        }
    };
    let mut expected = external.files.clone();
    if let Ok(lock) = external.lock.render() {
        expected.insert(PathBuf::from(LOCK_FILE), lock);
    }
    for (path, text) in &expected {
        match inspect(out, path) {
            Ok(Found::File) => {
                let full = out.join(path);
                if std::fs::read(&full).ok().as_deref() != Some(text.as_bytes()) {
                    stale.push(format!(
                        "{} differs from what the generator makes",
                        path.display()
                    ));
                }
            }
            Ok(_) => stale.push(format!("{} is missing", path.display())),
            Err(error) => stale.push(format!("{error:#}")),
        }
    }
    for path in previous.difference(&external.files.keys().cloned().collect()) {
        if inspect(out, path).is_ok_and(|found| found == Found::File) {
            stale.push(format!("{} is no longer generated", path.display()));
        }
    }
    stale
}

/// Differences between the plan and the files on disk under `base`.
pub fn stale_files(base: &Path, plan: &Plan, owned_dirs: &[&Path]) -> Vec<String> {
    let mut stale = Vec::new();
    for (path, text) in plan {
        match std::fs::read_to_string(base.join(path)) {
            Ok(existing) if &existing == text => {}
            Ok(_) => stale.push(format!(
                "{} differs from what the generator makes",
                path.display()
            )),
            Err(_) => stale.push(format!("{} is missing", path.display())),
        }
    }
    for extra in extra_files(base, plan, owned_dirs) {
        stale.push(format!("{} is no longer generated", extra.display()));
    }
    stale
}

/// Entries under the owned directories that the plan does not contain. Symbolic links are
/// reported as entries, never followed.
fn extra_files(base: &Path, plan: &Plan, owned_dirs: &[&Path]) -> Vec<PathBuf> {
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
                    if !plan.contains_key(relative) {
                        extra.push(relative.to_path_buf());
                    }
                }
            }
        }
    }
    extra.sort();
    extra
}

/// Writes the plan under `base`, removing files in the owned directories that are no longer
/// generated. Everything or nothing: every changed file is first written beside its target
/// under a temporary name; only when all of them are written are they renamed into place
/// (a rename replaces a file whole) and stale files removed. On an error before that, the
/// temporary files are removed and nothing under `base` has changed. Unchanged files are
/// not touched, so their timestamps stay and cargo rebuilds only what changed.
pub fn write_plan(base: &Path, plan: &Plan, owned_dirs: &[&Path]) -> Result<usize> {
    let changed: Vec<(&PathBuf, &String)> = plan
        .iter()
        .filter(|(path, text)| {
            std::fs::read_to_string(base.join(path)).ok().as_deref() != Some(text.as_str())
        })
        .collect();
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let staging = (|| -> Result<()> {
        for (path, text) in &changed {
            let full = base.join(path);
            if let Some(parent) = full.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("creating {}", parent.display()))?;
            }
            let temporary = temporary_name(&full);
            std::fs::write(&temporary, text)
                .with_context(|| format!("writing {}", temporary.display()))?;
            staged.push((temporary, full));
        }
        Ok(())
    })();
    if let Err(error) = staging {
        for (temporary, _) in &staged {
            let _ = std::fs::remove_file(temporary);
        }
        return Err(error.context("nothing was changed"));
    }
    for (temporary, full) in &staged {
        std::fs::rename(temporary, full)
            .with_context(|| format!("replacing {}", full.display()))?;
    }
    for extra in extra_files(base, plan, owned_dirs) {
        std::fs::remove_file(base.join(&extra))
            .with_context(|| format!("removing {}", extra.display()))?;
    }
    Ok(staged.len())
}

/// `dir/.name.codegen-tmp`, beside the file it will replace (same file system, so the
/// rename is atomic).
fn temporary_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.codegen-tmp"))
}

/// `cargo xtask codegen [--check] [--spec FILE --out DIR [--force]]`.
pub fn run(check: bool, spec: Option<PathBuf>, out: Option<PathBuf>, force: bool) -> Result<()> {
    run_in(&workspace_root(), check, spec, out, force)
}

/// [`run`] for the workspace at `root`.
pub fn run_in(
    root: &Path,
    check: bool,
    spec: Option<PathBuf>,
    out: Option<PathBuf>,
    force: bool,
) -> Result<()> {
    match (spec, out) {
        (Some(spec), Some(out)) => {
            let external = plan_external(&spec, root)?;
            if check {
                return report_stale(&stale_external(&out, &external), &[]);
            }
            let done = write_external(&out, &external, force)?;
            println!(
                "codegen: {} files for {} in {} ({} written, {} removed)",
                external.files.len(),
                spec.display(),
                out.display(),
                done.written,
                done.removed
            );
            Ok(())
        }
        (None, None) => {
            if force {
                bail!("--force is for --out: codegen owns generated/ whole");
            }
            let plan = plan_project(root)?;
            let owned_dirs: Vec<PathBuf> = TARGETS.iter().flat_map(Target::owned_dirs).collect();
            let owned: Vec<&Path> = owned_dirs.iter().map(PathBuf::as_path).collect();
            if check {
                return report_stale(&stale_files(root, &plan, &owned), &why_stale(root, &plan));
            }
            let written = write_plan(root, &plan, &owned)?;
            println!(
                "codegen: {} files up to date ({written} written)",
                plan.len()
            );
            Ok(())
        }
        _ => bail!("--spec and --out go together"),
    }
}

/// For each target whose files are stale, what changed since the last codegen, from its
/// lock record: the spec, or (same spec, different output) the generator.
fn why_stale(root: &Path, plan: &Plan) -> Vec<String> {
    let mut reasons = Vec::new();
    for target in TARGETS {
        let Some(fresh) = plan
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

fn report_stale(stale: &[String], reasons: &[String]) -> Result<()> {
    if stale.is_empty() {
        println!("codegen --check: generated files are fresh");
        return Ok(());
    }
    for line in stale {
        eprintln!("stale: {line}");
    }
    for reason in reasons {
        eprintln!("why: {reason}");
    }
    bail!(
        "{} generated file(s) are stale: run `cargo xtask codegen`",
        stale.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch copy of the parts of the workspace codegen reads and writes.
    fn scratch_workspace() -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        let source = workspace_root();
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

    fn run_project(root: &Path) -> Result<()> {
        run_in(root, false, None, None, false)
    }

    #[test]
    fn a_failing_write_changes_nothing() {
        let scratch = tempfile::tempdir().unwrap();
        let root = scratch.path();
        std::fs::create_dir_all(root.join("out")).unwrap();
        std::fs::write(root.join("out/a.rs"), "old").unwrap();
        // `blocked` is a file, so nothing can be created under it.
        std::fs::write(root.join("out/blocked"), "").unwrap();
        let plan: Plan = [
            (PathBuf::from("out/a.rs"), "new".to_owned()),
            (PathBuf::from("out/blocked/b.rs"), "new".to_owned()),
        ]
        .into_iter()
        .collect();
        let before = snapshot(root);
        assert!(write_plan(root, &plan, &[Path::new("out")]).is_err());
        assert_eq!(
            snapshot(root),
            before,
            "no file changed and no temporary file was left"
        );
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
