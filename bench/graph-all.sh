#!/usr/bin/env bash
# The scale benchmark: generate the whole Graph v1.0 description and check what comes out.
#
#   bench/graph-all.sh [XTASK] [SPEC]
#
#   XTASK  a release build of our xtask (default: builds xtask/cli in release and uses it)
#   SPEC   default: ../shared/graph/upstream/graph-all.v1.0.yaml
#
# Prints, for codegen (RUNS runs into a fresh directory, default 3): the median wall time and
# the median peak RSS; then one `cargo check` of the generated workspace (its dependencies are
# built first, so that only the generated crates are timed), with its wall time and the peak
# RSS of the largest process (rustc); then lines generated per operation and per schema.
# Timing comes from GNU time (/usr/bin/time), so install the Debian package `time` if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

XTASK="${1:-}"
SPEC="${2:-$root/../shared/graph/upstream/graph-all.v1.0.yaml}"
RUNS="${RUNS:-3}"
if [ -z "$XTASK" ]; then
    cargo build --release --quiet --manifest-path xtask/cli/Cargo.toml
    XTASK="$root/xtask/cli/target/release/xtask"
fi
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install -y time" >&2; exit 1; }
[ -f "$SPEC" ] || { echo "no spec at $SPEC" >&2; exit 1; }

work="$(mktemp -d /tmp/graph-all-bench.XXXXXX)"
echo "spec: $SPEC ($(du -h "$SPEC" | cut -f1)); work dir: $work; $(nproc) CPUs"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "== codegen, $RUNS runs into a fresh directory"
: >"$work/codegen.times"
# Each run gets a directory of its own, and none is removed until all have run: creating
# thousands of files right after removing thousands makes ext4 check each new inode against
# the recently deleted ones (`recently_deleted` in a kernel profile), which cost 3-6 s of
# system time here. That is the removal's cost, not codegen's. Without a journal (as on this
# machine), ext4 won't reuse an inode deleted in the last 60 s (longer while its block is
# unwritten), so the first run waits 90 s (SETTLE=0 skips it) in case whatever ran before
# the benchmark removed files.
sleep "${SETTLE:-90}"
for run in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$XTASK" codegen --spec "$SPEC" --out "$work/out.$run" >/dev/null
    cat "$work/time.txt" >>"$work/codegen.times"
    echo "run $run: $(awk '{printf "%.2f s, %.0f MB peak RSS", $1, $2/1024}' "$work/time.txt")"
done
echo "median: $(cut -d' ' -f1 "$work/codegen.times" | median) s wall, $(cut -d' ' -f2 "$work/codegen.times" | median | awk '{printf "%.0f", $1/1024}') MB peak RSS"

echo "== cargo check of the generated workspace"
mv "$work/out.1" "$work/out"
export CARGO_TARGET_DIR="$work/target"
# Dependencies first (graph_runtime and the crates.io ones), so the timed check is the
# generated crates alone.
(cd "$work/out" && cargo check --quiet -p graph_runtime)
/usr/bin/time -f "%e %M" -o "$work/check.txt" bash -c "cd '$work/out' && cargo check --quiet"
awk '{printf "cargo check: %.1f s wall, %.2f GB peak RSS of the largest process\n", $1, $2/1048576}' "$work/check.txt"

echo "== size"
requests_lines=$(find "$work/out/requests/src" -name '*.rs' -print0 | xargs -0 cat | wc -l)
operations=$(grep -rh "const METHOD: http::Method" "$work/out/requests/src" | wc -l)
models_lines=$(find "$work/out/models/src" -name '*.rs' -print0 | xargs -0 cat | wc -l)
schemas=$(find "$work/out/models/src" -name '*.rs' -not -name lib.rs -not -name schema.rs -not -name operation_types.rs | wc -l)
echo "requests: $requests_lines lines for $operations operations: $((requests_lines / operations)) per operation (conformance-only routes included)"
echo "models:   $models_lines lines for $schemas schema files: $((models_lines / schemas)) per schema"
rm -rf "$work"
