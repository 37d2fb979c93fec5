#!/usr/bin/env bash
# End-to-end test of scripts/docs-change.sh, run by .ci/run: in a scratch copy of this
# checkout (the real spec/ and generated/ are never touched), an "upstream" made from our
# own v1.0 spec with one property added must come out additive (exit 0), and one with a
# property removed, passed through trim, breaking (exit 1), each with the summary saying so.
# Needs nothing outside the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

copy="$scratch/checkout"
mkdir "$copy"
tar -C "$root" --exclude=./.git --exclude=target --exclude=./docs-change -cf - . | tar -C "$copy" -xf -
# A build directory of its own, kept between runs: sharing target/ would let the copy's
# xtask binary replace this checkout's target/debug/xtask (same name, other sources).
export CARGO_TARGET_DIR="${DOCS_CHANGE_TARGET_DIR:-$root/target/docs-change-test}"

spec="spec/v1.0/access-reviews.yaml"
fail() { echo "test-docs-change: $*" >&2; exit 1; }
expect() { grep -qF -- "$2" "$1" || fail "$1 lacks: $2"; }

echo "== additive: a new optional property"
sed 's/^            expirationDateTime:$/            reviewerNote:\n              type: string\n              description: A note for the reviewers.\n            expirationDateTime:/' \
    "$root/$spec" >"$scratch/additive.yaml"
cmp -s "$root/$spec" "$scratch/additive.yaml" && fail "the additive edit changed nothing"
code=0
"$copy/scripts/docs-change.sh" "$scratch/additive.yaml" --out "$scratch/additive" >/dev/null || code=$?
[ "$code" = 0 ] || fail "an additive change exited $code"
summary="$scratch/additive/summary.md"
expect "$summary" "# Docs change: no breaking change"
expect "$summary" "| API changes | 0 breaking, 1 additive |"
expect "$summary" "added optional property \`microsoft.graph.accessReviewHistoryInstance.reviewerNote\` (string)"
expect "$summary" "- changed \`generated/v1.0/models/src/access_review_history_instance.rs\`"
expect "$summary" " failed |"
grep -q '^| examples | [0-9]* passed, 0 failed |$' "$summary" || fail "examples failed: $(cat "$summary")"
expect "$scratch/additive/diff.json" '"pointer": "/components/schemas/microsoft.graph.accessReviewHistoryInstance/properties/reviewerNote"'
cat "$summary"
grep -q "reviewerNote" "$copy/generated/v1.0/models/src/access_review_history_instance.rs" ||
    fail "the copy was not regenerated"
if git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
    git -C "$root" diff --quiet -- spec generated || fail "the real checkout's spec/ or generated/ changed"
fi

echo "== breaking: a property removed, through trim"
rm -rf "$copy/spec" "$copy/generated"
cp -a "$root/spec" "$root/generated" "$copy/"
sed '/^            expirationDateTime:$/,+3d' "$root/$spec" >"$scratch/breaking.yaml"
cmp -s "$root/$spec" "$scratch/breaking.yaml" && fail "the breaking edit changed nothing"
code=0
"$copy/scripts/docs-change.sh" "$scratch/breaking.yaml" --prefix /identityGovernance/accessReviews \
    --out "$scratch/breaking" >/dev/null || code=$?
[ "$code" = 1 ] || fail "a breaking change exited $code, not 1"
summary="$scratch/breaking/summary.md"
head -n 1 "$summary" | grep -q '^# Docs change: .*breaking change' || fail "verdict: $(head -n 1 "$summary")"
expect "$summary" "removed property \`microsoft.graph.accessReviewHistoryInstance.expirationDateTime\` (string (date-time))"
cat "$summary"

echo "== a tool error is exit 2"
code=0
"$copy/scripts/docs-change.sh" "$scratch/no-such-file.yaml" --out "$scratch/error" >/dev/null 2>&1 || code=$?
[ "$code" = 2 ] || fail "a missing upstream exited $code, not 2"

echo "test-docs-change: all cases passed"
