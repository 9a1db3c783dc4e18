#!/usr/bin/env bash
# The README's "run it" command: publishes the built-in example (the top-level Dockerfile, two
# platforms) as a push of tag v1.0.0, to the test bed's two registries on 127.0.0.1 (dev: plain
# http; prod: TLS + auth), by running dist/index.js exactly as a runner would (INPUT_*/GITHUB_*
# variables, command files), then its post step; prints the outputs, the job summary and the tags
# read back from the registries. DRY_RUN=1 only computes the plan (no root, no test bed).
set -euo pipefail
cd "$(dirname "$0")/.."
repo_root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for f in output state env summary; do : > "$work/$f"; done
sha=$(git rev-parse --verify -q HEAD 2>/dev/null) || sha=0000000000000000000000000000000000000000

base_env=(PATH="$PATH" HOME="$HOME" RUNNER_TEMP="$work"
  GITHUB_EVENT_NAME=push GITHUB_REF=refs/tags/v1.0.0 GITHUB_SHA="$sha" GITHUB_ACTOR=example
  GITHUB_REPOSITORY=image-publish/hello GITHUB_EVENT_PATH="$repo_root/examples/hello/event.json"
  GITHUB_OUTPUT="$work/output" GITHUB_STATE="$work/state" GITHUB_ENV="$work/env" GITHUB_STEP_SUMMARY="$work/summary")
inputs=(INPUT_TAG-PRESET=ghcr-standard INPUT_ARCH-TAGS=true INPUT_PLATFORMS=linux/amd64,linux/arm64
  INPUT_CONTEXT="$repo_root" INPUT_FILE="$repo_root/Dockerfile"
  INPUT_AUTO-BUILD-ARGS=true)

if [ "${DRY_RUN:-0}" = 1 ]; then
  env -i "${base_env[@]}" "${inputs[@]}" INPUT_IMAGES=$'127.0.0.1:5000/example/hello\n127.0.0.1:5443/example/hello' \
    INPUT_DRY-RUN=true node dist/index.js
else
  bash scripts/test-bed.sh up
  bed=${IMAGE_PUBLISH_BED_STATE:-/var/lib/image-publish-bed}/bed.json
  j() { node -e "const b=require(process.argv[1]);console.log(process.argv[2].split('.').reduce((o,k)=>o[k],b))" "$bed" "$1"; }
  dev=$(j devRegistry.host); prod=$(j prodRegistry.host)
  auth=$(printf -- '- registry: %s\n  username: %s\n  password: %s\n' "$prod" "$(j prodRegistry.username)" "$(j prodRegistry.password)")
  tool_env=(PATH="$(j binDir):$PATH" DOCKER_CONFIG="$(j docker.config)" NODE_EXTRA_CA_CERTS="$(j prodRegistry.caCert)")
  env -i "${base_env[@]}" "${tool_env[@]}" "${inputs[@]}" \
    INPUT_IMAGES="$dev/example/hello"$'\n'"$prod/example/hello" \
    INPUT_BUILDER="$(j buildkit.builder)" INPUT_INSECURE-REGISTRIES="$dev" INPUT_REGISTRY-AUTH="$auth" INPUT_PROVENANCE=false \
    node dist/index.js
  echo "=== post step ==="
  state=$(node -e "const s=require('fs').readFileSync(process.argv[1],'utf8');const m=s.match(/^cleanup<<(.+)\n([\s\S]*?)\n\1$/m);console.log(m?m[2]:'{}')" "$work/state")
  env -i "${base_env[@]}" "${tool_env[@]}" STATE_isPost=true STATE_cleanup="$state" node dist/index.js
  echo
  echo "=== tags read back from the registries ==="
  for r in "$dev/example/hello" "$prod/example/hello"; do
    echo "$r: $(REGCTL_CONFIG="$(j regctlConfig)" "$(j binDir)/regctl" tag ls "$r" | sort | tr '\n' ' ')"
  done
fi
echo
echo "=== outputs (GITHUB_OUTPUT) ==="
cat "$work/output"
echo
echo "=== job summary (GITHUB_STEP_SUMMARY) ==="
cat "$work/summary"
