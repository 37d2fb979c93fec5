//! `cargo xtask codegen`: regenerate generated/ from spec/, or check that it is fresh.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

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
    /// The directories this target owns: everything in them is generated.
    pub fn owned_dirs(&self) -> [PathBuf; 2] {
        [
            Path::new(self.out).join("models"),
            Path::new(self.out).join("requests"),
        ]
    }
}

/// The project's v1.0 spec, relative to the workspace root.
pub const V1_SPEC: &str = "spec/v1.0/access-reviews.yaml";

/// What `cargo xtask codegen` makes, with no arguments.
pub const TARGETS: &[Target] = &[Target {
    spec: V1_SPEC,
    out: "generated/v1.0",
    crate_prefix: "access-reviews",
}];

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
        let spec =
            generator::load_spec(&root.join(target.spec)).map_err(|e| anyhow::anyhow!("{e}"))?;
        // The runtime is found relative to the crate, so the output is the same on every machine.
        let depth = Path::new(target.out).components().count() + 1;
        let runtime = format!("{{ path = \"{}runtime\" }}", "../".repeat(depth));
        let crates = plan_crates(&spec, target.crate_prefix, runtime, target.spec.to_owned())
            .map_err(|e| anyhow::anyhow!("{}: {e}", target.spec))?;
        for (path, text) in crates {
            plan.insert(Path::new(target.out).join(path), text);
        }
    }
    Ok(plan)
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

/// Generates a standalone workspace for any spec: `OUT/Cargo.toml`, `OUT/models/` and
/// `OUT/requests/`.
pub fn plan_external(spec_path: &Path, root: &Path) -> Result<Plan> {
    let spec = generator::load_spec(spec_path).map_err(|e| anyhow::anyhow!("{e}"))?;
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
    let mut plan =
        plan_crates(&spec, &prefix, runtime, label).map_err(|e| anyhow::anyhow!("{e}"))?;
    plan.insert(
        PathBuf::from("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"models\", \"requests\"]\n".to_owned(),
    );
    Ok(plan)
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

/// Files under the owned directories that the plan does not contain.
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
                if path.is_dir() {
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
/// generated. Only changed files are rewritten, so timestamps of unchanged files stay.
pub fn write_plan(base: &Path, plan: &Plan, owned_dirs: &[&Path]) -> Result<usize> {
    let mut written = 0;
    for extra in extra_files(base, plan, owned_dirs) {
        std::fs::remove_file(base.join(&extra))
            .with_context(|| format!("removing {}", extra.display()))?;
    }
    for (path, text) in plan {
        let full = base.join(path);
        if std::fs::read_to_string(&full).ok().as_deref() == Some(text.as_str()) {
            continue;
        }
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&full, text).with_context(|| format!("writing {}", full.display()))?;
        written += 1;
    }
    Ok(written)
}

/// `cargo xtask codegen [--check] [--spec FILE --out DIR]`.
pub fn run(check: bool, spec: Option<PathBuf>, out: Option<PathBuf>) -> Result<()> {
    let root = workspace_root();
    match (spec, out) {
        (Some(spec), Some(out)) => {
            let plan = plan_external(&spec, &root)?;
            let owned = [Path::new("models"), Path::new("requests")];
            if check {
                return report_stale(&stale_files(&out, &plan, &owned));
            }
            let written = write_plan(&out, &plan, &owned)?;
            println!(
                "codegen: {} files for {} in {} ({written} written)",
                plan.len(),
                spec.display(),
                out.display()
            );
            Ok(())
        }
        (None, None) => {
            let plan = plan_project(&root)?;
            let owned_dirs: Vec<PathBuf> = TARGETS.iter().flat_map(Target::owned_dirs).collect();
            let owned: Vec<&Path> = owned_dirs.iter().map(PathBuf::as_path).collect();
            if check {
                return report_stale(&stale_files(&root, &plan, &owned));
            }
            let written = write_plan(&root, &plan, &owned)?;
            println!(
                "codegen: {} files up to date ({written} written)",
                plan.len()
            );
            Ok(())
        }
        _ => bail!("--spec and --out go together"),
    }
}

fn report_stale(stale: &[String]) -> Result<()> {
    if stale.is_empty() {
        println!("codegen --check: generated files are fresh");
        return Ok(());
    }
    for line in stale {
        eprintln!("stale: {line}");
    }
    bail!(
        "{} generated file(s) are stale: run `cargo xtask codegen`",
        stale.len()
    )
}
