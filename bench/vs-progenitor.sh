#!/usr/bin/env bash
# Paired side-by-side measurement: progenitor's CLI vs our `xtask codegen`, on one spec.
#
#   bench.sh PROGENITOR XTASK SPEC
#
#   PROGENITOR  path to a built cargo-progenitor binary
#   XTASK       path to our built xtask binary (xtask/cli)
#   SPEC        OpenAPI 3.0 document (YAML or JSON) both generators accept
#
# Two hyperfine runs, each one paired run of both commands (interleaved by hyperfine's own
# order, same machine state):
#   1. codegen time: generate from SPEC into a fresh directory (removed before every run);
#   2. `cargo check` time of the generated code only: dependencies are built once first
#      (that warm build needs crates.io), then each timed run touches the generated
#      lib.rs files and re-checks offline; once with CARGO_INCREMENTAL=0 (a full check of
#      the generated crates) and once with cargo's default incremental cache.
# Prints medians and the ratio ours/progenitor for each; JSON and Markdown exports are kept.
#
# Environment (all optional):
#   BENCH_DIR   where outputs, target dirs and exports go (default: a new mktemp -d dir).
#               Must not be inside a Cargo workspace.
#   WARMUP      hyperfine --warmup for codegen (default 3)
#   RUNS        hyperfine --runs   for codegen (default 20)
#   CHECK_WARMUP, CHECK_RUNS   the same for cargo check (default: WARMUP, RUNS)
#   CARGO       cargo to use (default: cargo)
set -euo pipefail

if [ $# -ne 3 ]; then
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi

abspath() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd -P)" "$(basename "$1")"); }

PROGENITOR=$(abspath "$1")
XTASK=$(abspath "$2")
SPEC=$(abspath "$3")
WARMUP=${WARMUP:-3}
RUNS=${RUNS:-20}
CHECK_WARMUP=${CHECK_WARMUP:-$WARMUP}
CHECK_RUNS=${CHECK_RUNS:-$RUNS}
CARGO=${CARGO:-cargo}

for tool in hyperfine python3 "$CARGO"; do
    command -v "$tool" >/dev/null || { echo "bench.sh: needs $tool on PATH" >&2; exit 1; }
done
for f in "$PROGENITOR" "$XTASK"; do
    [ -x "$f" ] || { echo "bench.sh: not executable: $f" >&2; exit 1; }
done
[ -f "$SPEC" ] || { echo "bench.sh: no spec at $SPEC" >&2; exit 1; }

if [ -n "${BENCH_DIR:-}" ]; then
    mkdir -p "$BENCH_DIR"
    W=$(cd "$BENCH_DIR" && pwd -P)
else
    W=$(mktemp -d /tmp/progenitor-bench.XXXXXX)
fi
PG="$W/progenitor-out"      # progenitor's crate
OURS="$W/ours-out"          # our workspace (models + requests crates)
unset CARGO_TARGET_DIR CARGO_BUILD_TARGET_DIR

# Commands, as hyperfine will run them (quoted for sh -c).
q() { printf "'%s'" "${1//\'/\'\\\'\'}"; }
GEN_PG="$(q "$PROGENITOR") progenitor -i $(q "$SPEC") -o $(q "$PG") -n bench-progenitor -v 0.1.0"
GEN_OURS="$(q "$XTASK") codegen --spec $(q "$SPEC") --out $(q "$OURS") --force"
CHECK_PG="CARGO_TARGET_DIR=$(q "$W/target-progenitor") $CARGO check --offline --quiet --manifest-path $(q "$PG/Cargo.toml")"
CHECK_OURS="CARGO_TARGET_DIR=$(q "$W/target-ours") $CARGO check --offline --quiet --workspace --manifest-path $(q "$OURS/Cargo.toml")"

echo "== bench.sh"
echo "progenitor: $PROGENITOR"
echo "xtask:      $XTASK"
echo "spec:       $SPEC (sha256 $(sha256sum "$SPEC" | cut -d' ' -f1))"
python3 - "$SPEC" <<'EOF' || true
import json, sys
path = sys.argv[1]
try:
    text = open(path, encoding="utf-8").read()
    try:
        doc = json.loads(text)
    except ValueError:
        import yaml  # PyYAML; counts are skipped without it
        doc = yaml.safe_load(text)
except Exception as e:
    print(f"            (no path/operation counts: {e.__class__.__name__})")
    sys.exit(0)
methods = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
paths = doc.get("paths") or {}
ops = sum(1 for item in paths.values() for m in (item or {}) if m in methods)
schemas = len((doc.get("components") or {}).get("schemas") or {})
print(f"            {len(paths)} paths, {ops} operations, {schemas} schemas")
EOF
echo "work dir:   $W"
echo "host:       $(nproc) CPUs; $($CARGO --version); hyperfine $(hyperfine --version | cut -d' ' -f2)"
echo

echo "== sanity: both generators succeed on the spec"
rm -rf "$PG" "$OURS"
sh -c "$GEN_PG" >"$W/progenitor-gen.log" 2>&1 || { echo "progenitor failed (see $W/progenitor-gen.log):"; tail -20 "$W/progenitor-gen.log"; exit 1; }
sh -c "$GEN_OURS" >"$W/ours-gen.log" 2>&1 || { echo "xtask codegen failed (see $W/ours-gen.log):"; tail -20 "$W/ours-gen.log"; exit 1; }
loc() { find "$1" -name '*.rs' -not -path '*/target*' -print0 | xargs -0 cat | wc -l; }
echo "progenitor: $(find "$PG" -name '*.rs' | wc -l) .rs files, $(loc "$PG") lines"
echo "ours:       $(find "$OURS" -name '*.rs' | wc -l) .rs files, $(loc "$OURS") lines"
echo

echo "== 1. codegen time (fresh output dir each run; warmup $WARMUP, runs $RUNS)"
hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" \
    --prepare "rm -rf $(q "$PG") $(q "$OURS")" \
    -n progenitor "$GEN_PG" \
    -n ours "$GEN_OURS" \
    --export-json "$W/codegen.json" --export-markdown "$W/codegen.md"
echo

echo "== 2. cargo check of the generated crates only"
# Regenerate (the last codegen run's output is there, but make sure) and warm the deps.
rm -rf "$PG" "$OURS"
sh -c "$GEN_PG" >/dev/null 2>&1
sh -c "$GEN_OURS" >/dev/null 2>&1
echo "warm build of dependencies (needs crates.io once)..."
CARGO_TARGET_DIR="$W/target-progenitor" "$CARGO" check --quiet --manifest-path "$PG/Cargo.toml" 2>"$W/progenitor-check.log" \
    || { echo "progenitor's crate does not check:"; tail -30 "$W/progenitor-check.log"; exit 1; }
CARGO_TARGET_DIR="$W/target-ours" "$CARGO" check --quiet --workspace --manifest-path "$OURS/Cargo.toml" 2>"$W/ours-check.log" \
    || { echo "our crates do not check:"; tail -30 "$W/ours-check.log"; exit 1; }
echo "(warnings: progenitor $(grep -c '^warning' "$W/progenitor-check.log" || true), ours $(grep -c '^warning' "$W/ours-check.log" || true))"
OURS_LIBS=$(find "$OURS" -path '*/src/lib.rs' -not -path '*/target*' | sort)
echo "touched per run: $PG/src/lib.rs | $(echo $OURS_LIBS)"
TOUCH_OURS="touch"
for f in $OURS_LIBS; do TOUCH_OURS="$TOUCH_OURS $(q "$f")"; done
# 2a: CARGO_INCREMENTAL=0, so the generated crates are type-checked in full each run.
# 2b: cargo's default for dev (incremental on): a touch with no change re-uses the
#     incremental cache, so this is closer to the floor of an edit-free rebuild.
for mode in full incremental; do
    if [ "$mode" = full ]; then part=2a; else part=2b; fi
    if [ "$mode" = full ]; then inc=0; else inc=1; fi
    echo "-- $part. $mode (CARGO_INCREMENTAL=$inc; warmup $CHECK_WARMUP, runs $CHECK_RUNS)"
    hyperfine --style basic --warmup "$CHECK_WARMUP" --runs "$CHECK_RUNS" \
        --prepare "touch $(q "$PG/src/lib.rs")" \
        --prepare "$TOUCH_OURS" \
        -n progenitor "CARGO_INCREMENTAL=$inc $CHECK_PG" \
        -n ours "CARGO_INCREMENTAL=$inc $CHECK_OURS" \
        --export-json "$W/check-$mode.json" --export-markdown "$W/check-$mode.md"
    echo
done

echo "== summary (medians; ratio = ours / progenitor)"
python3 - "$W/codegen.json" "$W/check-full.json" "$W/check-incremental.json" <<'EOF'
import json, sys
for label, path in (("codegen", sys.argv[1]), ("check full", sys.argv[2]), ("check incr", sys.argv[3])):
    res = {r["command"]: r for r in json.load(open(path))["results"]}
    pg, ours = res["progenitor"], res["ours"]
    def fmt(r):
        return f"median {r['median']:.3f} s (mean {r['mean']:.3f} ± {r['stddev']:.3f}, min {r['min']:.3f}, n={len(r['times'])})"
    print(f"{label:12s} progenitor: {fmt(pg)}")
    print(f"{label:12s} ours:       {fmt(ours)}")
    print(f"{label:12s} ratio ours/progenitor (medians): {ours['median'] / pg['median']:.2f}")
EOF
echo "exports: $W/codegen.json $W/check-full.json $W/check-incremental.json (and .md)"
