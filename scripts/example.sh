#!/usr/bin/env bash
# The README's "run it" command: runs dist/index.js exactly as a runner would (INPUT_* and GITHUB_*
# variables, command files) on the built-in example (examples/hello), as a push of tag v1.0.0,
# and prints the outputs and the job summary. Today this is the dry-run plan.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for f in output state env summary; do : > "$work/$f"; done
sha=$(git rev-parse --verify -q HEAD 2>/dev/null) || sha=0000000000000000000000000000000000000000
env -i PATH="$PATH" HOME="$HOME" RUNNER_TEMP="$work" \
  GITHUB_EVENT_NAME=push GITHUB_REF=refs/tags/v1.0.0 GITHUB_SHA="$sha" \
  GITHUB_REPOSITORY=image-publish/hello GITHUB_EVENT_PATH="$PWD/examples/hello/event.json" \
  GITHUB_OUTPUT="$work/output" GITHUB_STATE="$work/state" GITHUB_ENV="$work/env" GITHUB_STEP_SUMMARY="$work/summary" \
  INPUT_IMAGES=$'127.0.0.1:5000/example/hello\nquay.io/image-publish/hello' \
  INPUT_TAG-PRESET=ghcr-standard INPUT_ARCH-TAGS=true INPUT_PLATFORMS=linux/amd64,linux/arm64 \
  INPUT_CONTEXT=. INPUT_DRY-RUN=true \
  node dist/index.js
echo
echo "=== outputs (GITHUB_OUTPUT) ==="
cat "$work/output"
echo
echo "=== job summary (GITHUB_STEP_SUMMARY) ==="
cat "$work/summary"
