#!/usr/bin/env bash
# The docs-change workflow of the README in one run, for CI or by hand:
#
#   scripts/docs-change.sh UPSTREAM [--prefix PATH]... [--derived-from CSDL.xml]
#                          [--version v1.0|beta] [--examples DIR] [--out DIR]
#
# 1. trims UPSTREAM to the given path prefixes (no --prefix: UPSTREAM is used as it is, for
#    a description already trimmed or edited by hand);
# 2. diffs spec/<version>/access-reviews.yaml against it (diff.json);
# 3. puts it in place of that spec, notes which generated files will change
#    (codegen.json), and regenerates;
# 4. runs the examples check (examples.json), over spec/fixtures unless --examples says;
# 5. writes summary.md, the page a reviewer reads first, from the three reports.
#
# Everything is written to --out (default: docs-change/ in the checkout). The run changes
# spec/ and generated/ as the manual steps do: `git checkout -- spec generated` undoes it.
#
# Exit code: 0 no breaking change and no failing example; 1 a breaking change or a failing
# example (summary.md says which); 2 a tool could not run.
#
# Needs only bash, cargo and this checkout: the JSON is read by `cargo xtask report`.
set -euo pipefail

usage() {
    sed -n '4,5p' "$0" | sed 's/^# *//' >&2
    exit 2
}

[ $# -ge 1 ] || usage
upstream="$1"
shift
prefixes=()
derived_from=""
version="v1.0"
examples=""
out=""
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) [ $# -ge 2 ] || usage; prefixes+=("$2"); shift 2 ;;
        --derived-from) [ $# -ge 2 ] || usage; derived_from="$2"; shift 2 ;;
        --version) [ $# -ge 2 ] || usage; version="$2"; shift 2 ;;
        --examples) [ $# -ge 2 ] || usage; examples="$2"; shift 2 ;;
        --out) [ $# -ge 2 ] || usage; out="$2"; shift 2 ;;
        *) echo "docs-change: unknown argument $1" >&2; usage ;;
    esac
done
case "$version" in v1.0 | beta) ;; *) echo "docs-change: --version is v1.0 or beta" >&2; exit 2 ;; esac

# Paths given relative to where the script was started stay valid after the cd below.
absolute() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac; }
upstream="$(absolute "$upstream")"
[ -z "$derived_from" ] || derived_from="$(absolute "$derived_from")"
[ -z "$out" ] || out="$(absolute "$out")"
[ -z "$examples" ] || examples="$(absolute "$examples")"

cd "$(dirname "$0")/.."
root="$PWD"
out="${out:-$root/docs-change}"
examples="${examples:-$root/spec/fixtures}"
spec="spec/$version/access-reviews.yaml"
mkdir -p "$out"

# Runs a step; exit codes other than the ones allowed for it are a tool error (exit 2).
step() {
    local allowed="$1"
    shift
    local code=0
    "$@" || code=$?
    case " $allowed " in
        *" $code "*) return 0 ;;
    esac
    echo "docs-change: \`$*\` exited with $code" >&2
    exit 2
}

echo "== 1. trim" >&2
if [ ${#prefixes[@]} -gt 0 ]; then
    args=(--from "$upstream" --out "$out/upstream.yaml")
    for prefix in "${prefixes[@]}"; do args+=(--prefix "$prefix"); done
    [ -z "$derived_from" ] || args+=(--derived-from "$derived_from")
    step "0" cargo xtask trim "${args[@]}" >&2
else
    step "0" cp "$upstream" "$out/upstream.yaml"
fi

echo "== 2. diff $spec → upstream" >&2
step "0" cargo xtask diff --format json "$spec" "$out/upstream.yaml" >"$out/diff.json"

echo "== 3. regenerate" >&2
step "0" cp "$out/upstream.yaml" "$spec"
# 1 is the expected answer here: the files the new spec changes.
step "0 1" cargo xtask codegen --check --format json >"$out/codegen.json"
step "0" cargo xtask codegen >&2

echo "== 4. examples check ($examples)" >&2
step "0 1" cargo xtask examples --check "$examples" --format json >"$out/examples.json"

echo "== 5. summary: $out/summary.md" >&2
code=0
cargo xtask report --diff "$out/diff.json" --codegen "$out/codegen.json" \
    --examples "$out/examples.json" --out "$out/summary.md" || code=$?
[ -f "$out/summary.md" ] && cat "$out/summary.md"
exit "$code"
