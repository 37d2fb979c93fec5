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
                let existing = std::fs::read(out.join(path)).unwrap_or_default();
                if existing != text.as_bytes() {
                    stale.push(differs(path, &String::from_utf8_lossy(&existing), text));
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
            Ok(existing) => stale.push(differs(path, &existing, text)),
            Err(_) => stale.push(format!("{} is missing", path.display())),
        }
    }
    for extra in extra_files(base, plan, owned_dirs) {
        stale.push(format!("{} is no longer generated", extra.display()));
    }
    stale
}

/// The most diff lines shown for one stale file: enough to see what changed, short enough
/// that a regenerated crate doesn't flood a CI log.
const DIFF_LINES: usize = 40;

/// "`path` differs", followed by a unified diff from the file on disk to what the generator
/// makes, cut after [`DIFF_LINES`] lines.
fn differs(path: &Path, on_disk: &str, generated: &str) -> String {
    let name = path.display().to_string();
    let diff = similar::TextDiff::from_lines(on_disk, generated);
    let text = diff
        .unified_diff()
        .context_radius(2)
        .header(&format!("{name} (on disk)"), &format!("{name} (generated)"))
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    let mut message = format!("{name} differs from what the generator makes:");
    for line in lines.iter().take(DIFF_LINES) {
        message.push_str("\n    ");
        message.push_str(line);
    }
    if lines.len() > DIFF_LINES {
        message.push_str(&format!(
            "\n    ... ({} more diff lines)",
            lines.len() - DIFF_LINES
        ));
    }
    message
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

/// Writes the project's plan under `root`: every owned directory (`models/`, `requests/` of
/// each target) and lock record whose contents change is replaced whole.
///
/// 1. Each changed directory is built complete beside the old one (`.models.codegen-new`).
///    Files whose contents are unchanged are hard-linked from the old tree, so they keep
///    their timestamps and cargo rebuilds only what changed; files the plan doesn't hold are
///    left out, which is how stale ones go. An error here removes what was staged: nothing
///    under `root` has changed.
/// 2. Each unit is swapped: the old one renamed aside (`.models.codegen-old`), the new one
///    renamed into place. If any rename fails, the units already swapped are swapped back
///    and the error says "nothing was changed".
/// 3. Only then are the old copies removed.
///
/// The limit: the swap is several renames, each atomic, not one. If the process dies in the
/// middle of step 2 (killed, power lost), some units can be new and others old until the
/// next codegen, which first puts back any unit whose old copy is still aside, and then
/// regenerates everything.
pub fn write_project(
    root: &Path,
    plan: &Plan,
    owned_dirs: &[PathBuf],
    locks: &[PathBuf],
    fault: &mut dyn FnMut(SwapStep, &Path) -> std::io::Result<()>,
) -> Result<usize> {
    recover_interrupted_swap(root, owned_dirs, locks)?;
    for path in plan.keys() {
        let owned = owned_dirs.iter().any(|dir| path.starts_with(dir)) || locks.contains(path);
        if !owned {
            bail!("{} is not in a directory codegen owns", path.display());
        }
    }
    let same_on_disk = |path: &Path, text: &str| {
        let full = root.join(path);
        std::fs::symlink_metadata(&full).is_ok_and(|m| m.file_type().is_file())
            && std::fs::read(&full).is_ok_and(|bytes| bytes == text.as_bytes())
    };
    let owned: Vec<&Path> = owned_dirs.iter().map(PathBuf::as_path).collect();
    let extra = extra_files(root, plan, &owned);

    let mut units: Vec<Unit> = Vec::new();
    let mut written = 0;
    let staging = (|| -> Result<()> {
        for dir in owned_dirs {
            let files: Vec<(&PathBuf, &String)> = plan
                .iter()
                .filter(|(path, _)| path.starts_with(dir))
                .collect();
            let differs = files.iter().any(|(path, text)| !same_on_disk(path, text))
                || extra.iter().any(|path| path.starts_with(dir));
            if !differs {
                continue;
            }
            let unit = Unit::beside(root.join(dir))?;
            std::fs::create_dir_all(&unit.staged)
                .with_context(|| format!("creating {}", unit.staged.display()))?;
            let staged_root = unit.staged.clone();
            units.push(unit);
            for (path, text) in files {
                let inside = path.strip_prefix(dir).unwrap_or(path);
                let new = staged_root.join(inside);
                if let Some(parent) = new.parent() {
                    std::fs::create_dir_all(parent)
                        .with_context(|| format!("creating {}", parent.display()))?;
                }
                if same_on_disk(path, text) && std::fs::hard_link(root.join(path), &new).is_ok() {
                    continue;
                }
                create_new(&new, text).with_context(|| format!("writing {}", new.display()))?;
                written += 1;
            }
        }
        for lock in locks {
            let Some(text) = plan.get(lock) else { continue };
            if same_on_disk(lock, text) {
                continue;
            }
            let unit = Unit::beside(root.join(lock))?;
            let staged = unit.staged.clone();
            units.push(unit);
            create_new(&staged, text).with_context(|| format!("writing {}", staged.display()))?;
            written += 1;
        }
        Ok(())
    })();
    if let Err(error) = staging {
        for unit in &units {
            let _ = remove_any(&unit.staged);
        }
        return Err(error.context("nothing was changed"));
    }

    // Swap; on any failure, swap back what was done.
    let mut swapped: Vec<(&Unit, bool)> = Vec::new();
    let mut failure = None;
    for unit in &units {
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
        for unit in &units {
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
    for unit in &units {
        if let Err(error) = remove_any(&unit.backup) {
            eprintln!(
                "warning: the new files are in place, but the old copy {} could not be removed: {error}",
                unit.backup.display()
            );
        }
    }
    Ok(written)
}

/// Undoes what an interrupted [`write_project`] left: an old copy still aside whose unit is
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
            let locks: Vec<PathBuf> = TARGETS.iter().map(Target::lock_path).collect();
            let written = write_project(root, &plan, &owned_dirs, &locks, &mut |_, _| Ok(()))?;
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
