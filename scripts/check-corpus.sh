#!/usr/bin/env bash
# Generates a crate for every description in the generality corpus and checks it with clippy,
# warnings denied (RUSTFLAGS and clippy's own), after moving it: the output vendors the runtime
# and names nothing outside itself.
#
# The corpus: every description in specs-corpus, and Microsoft's OData-converter fixtures
# (TripService both as YAML and as JSON: its unions and "or null" forms are the converter's own).
#
# Usage: scripts/check-corpus.sh [SHARED_DIR]   (default ../shared, beside the checkout)
set -euo pipefail
cd "$(dirname "$0")/.."

shared="${1:-../shared}"
converter="$shared/graph/upstream/odata-converter-fixtures"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

specs=("$shared"/specs-corpus/*.yaml
    "$converter"/Basic.OpenApi.yaml
    "$converter"/Multiple.Schema.OpenApi.yaml
    "$converter"/TripService.OpenApi.yaml
    "$converter"/TripService.OpenApi.json)
for spec in "${specs[@]}"; do
    if [ ! -f "$spec" ]; then
        echo "check-corpus: $spec is missing" >&2
        exit 1
    fi
done

mkdir -p "$scratch/moved"
for spec in "${specs[@]}"; do
    name="$(basename "$spec")"
    cargo xtask codegen --spec "$spec" --out "$scratch/made/$name" >/dev/null
    mv "$scratch/made/$name" "$scratch/moved/$name"
    # One target directory for all of them: the vendored runtime is built once per copy, but
    # the registry dependencies once in all.
    (cd "$scratch/moved/$name" &&
        CARGO_TARGET_DIR="$scratch/target" RUSTFLAGS="-D warnings" \
            cargo clippy --quiet --all-targets -- -D warnings)
    echo "$name: generated crates pass clippy with warnings denied, after moving them"
done
echo "check-corpus: ${#specs[@]} descriptions"
