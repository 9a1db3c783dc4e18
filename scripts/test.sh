#!/usr/bin/env bash
# The one test command (README "Test"): installs what is missing, then lint, unit tests, the dist
# check, the test bed (scripts/test-bed.sh up) and the integration tests, with one summary line.
# UNIT_ONLY=1 stops after the unit tests and the dist check (no root needed).
set -uo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
results=.test-results
rm -rf "$results" && mkdir -p "$results"
status=0
step() { printf '\n=== %s ===\n' "$*"; }

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "image-publish tests need Node.js >= 20 and npm (found: $(node --version 2>/dev/null || echo none))." >&2
  echo "On Debian/Ubuntu: install Node.js 20+ (e.g. from your distribution backports or NodeSource), then rerun." >&2
  exit 1
fi

step "install (npm ci)"
# The README's run command is `npm ci`: if the lock file and package.json disagree, fail here, with
# npm's own message, instead of hiding it behind `npm install`.
if ! npm ci --dry-run --ignore-scripts --no-audit --no-fund >"$results/npm-ci-dry-run.log" 2>&1; then
  echo "npm ci would fail on a fresh clone (package-lock.json out of sync with package.json):" >&2
  grep -m5 -E 'npm error' "$results/npm-ci-dry-run.log" >&2
  exit 1
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund || exit 1
fi

step "lint"
npm run -s lint || status=1

step "unit tests"
NODE_OPTIONS=--experimental-vm-modules npx jest -c jest.config.js --json --outputFile="$results/unit.json" || status=1

step "dist is fresh"
bash scripts/check-dist.sh || status=1

if [ "${UNIT_ONLY:-0}" != 1 ]; then
  step "test bed up"
  if bash scripts/test-bed.sh up; then
    step "integration tests"
    NODE_OPTIONS=--experimental-vm-modules npx jest -c jest.integration.config.js --json --outputFile="$results/integration.json" || status=1
  else
    echo "test bed failed to start: integration tests not run (this is a failure, not a skip)" >&2
    status=1
  fi
fi

step "summary"
node scripts/summarize-tests.mjs "$results" || status=1
echo "total time: $(( $(date +%s) - start ))s"
exit $status
