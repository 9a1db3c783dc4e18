#!/usr/bin/env bash
# Fails when dist/ is not what a fresh build of src/ produces (dist/ is committed for the runner).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npx tsc --noEmit -p tsconfig.json
npx ncc build src/index.ts -o "$tmp" --license licenses.txt --target es2022 -q
bash scripts/build-cli.sh "$tmp"
if ! diff -r -q dist "$tmp" >/dev/null; then
  echo "check-dist: dist/ is stale. Run 'npm run build' and commit dist/ with the src/ change." >&2
  diff -r -q dist "$tmp" >&2 || true
  exit 1
fi
echo "check-dist: dist/ equals a fresh build"
