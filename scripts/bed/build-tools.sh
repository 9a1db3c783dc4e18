#!/usr/bin/env bash
# Build the pinned Go tools of the image-publish test bed into $IMAGE_PUBLISH_BED_PREFIX/bin.
# Usage: build-tools.sh [TOOL...]   (default: all). A tool is rebuilt only when
# $BIN/<tool>.version differs from the pinned version in scripts/versions.env.
# Two build lanes run in parallel (the machine has 2 cores); logs go to $STATE/logs/build-<tool>.log.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../versions.env
source "$HERE/../versions.env"
PREFIX="${IMAGE_PUBLISH_BED_PREFIX:-/opt/image-publish-bed}"
STATE="${IMAGE_PUBLISH_BED_STATE:-/var/lib/image-publish-bed}"
BIN="$PREFIX/bin"
LOGS="$STATE/logs"
mkdir -p "$BIN" "$LOGS" "$PREFIX/src"
export PATH="/usr/local/go/bin:$PATH"
export GOFLAGS="${GOFLAGS:--buildvcs=false}"
export GOTOOLCHAIN=local

pinned() {
  case "$1" in
    buildx) echo "$BUILDX_VERSION" ;;
    buildkit) echo "$BUILDKIT_VERSION" ;;
    trivy) echo "$TRIVY_VERSION" ;;
    trivy-db) echo "$TRIVY_DB_VERSION" ;;
    cosign) echo "$COSIGN_VERSION" ;;
    regctl) echo "$REGCTL_VERSION" ;;
    act) echo "$ACT_VERSION" ;;
    *) echo "unknown tool $1" >&2; return 1 ;;
  esac
}

# binaries a tool stamp covers
bins() {
  case "$1" in
    buildkit) echo "buildkitd buildctl" ;;
    *) echo "$1" ;;
  esac
}

is_current() {
  local t="$1" v b
  v="$(pinned "$t")"
  [[ -f "$BIN/$t.version" && "$(cat "$BIN/$t.version")" == "$v" ]] || return 1
  for b in $(bins "$t"); do [[ -x "$BIN/$b" ]] || return 1; done
}

# Writable copy of a module (for modules `go install` refuses: exclude/replace directives).
module_copy() {
  local mod="$1" v="$2" moddir src
  src="$PREFIX/src/${mod##*/}@$v"
  if [[ ! -f "$src/go.mod" ]]; then
    moddir="$(cd /tmp && go mod download -json "$mod@$v" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
    [[ -n "$moddir" && -d "$moddir" ]] || { echo "module_copy: cannot download $mod@$v" >&2; return 1; }
    rm -rf "$src.tmp"; cp -r "$moddir" "$src.tmp"; chmod -R u+w "$src.tmp"; mv "$src.tmp" "$src"
  fi
  echo "$src"
}

build_one() {
  local t="$1" v tmp
  v="$(pinned "$t")"
  tmp="$(mktemp -d "$PREFIX/src/gobin.XXXXXX")"
  case "$t" in
    buildx)
      GOBIN="$tmp" go install -ldflags "-s -w -X github.com/docker/buildx/version.Version=$v" \
        "github.com/docker/buildx/cmd/buildx@$v"
      ;;
    buildkit)
      # buildkit's go.mod has an exclude block: go install refuses it, so build from a writable copy.
      local src; src="$(module_copy github.com/moby/buildkit "$v")"
      (cd "$src" && CGO_ENABLED=0 go build -mod=mod \
        -ldflags "-s -w -X github.com/moby/buildkit/version.Version=$v" \
        -o "$tmp/" ./cmd/buildkitd ./cmd/buildctl)
      ;;
    trivy)
      # `go install trivy@v` fails: the proxy answers 403 for trivy's /@v/list (deprecation lookup),
      # so build from a writable copy of the module like buildkit.
      local src; src="$(module_copy github.com/aquasecurity/trivy "$v")"
      # trivy needs encoding/json/v2 (GOEXPERIMENT=jsonv2, as in its goreleaser.yml)
      (cd "$src" && CGO_ENABLED=0 GOEXPERIMENT=jsonv2 go build -mod=mod \
        -ldflags "-s -w -X github.com/aquasecurity/trivy/pkg/version/app.ver=${v#v}" \
        -o "$tmp/" ./cmd/trivy)
      ;;
    trivy-db)
      CGO_ENABLED=0 GOBIN="$tmp" go install -ldflags "-s -w" "github.com/aquasecurity/trivy-db/cmd/trivy-db@$v"
      ;;
    cosign)
      local mod=github.com/sigstore/cosign/v3
      [[ "$v" == v2.* ]] && mod=github.com/sigstore/cosign/v2
      CGO_ENABLED=0 GOBIN="$tmp" go install \
        -ldflags "-s -w -X sigs.k8s.io/release-utils/version.gitVersion=$v" "$mod/cmd/cosign@$v"
      ;;
    regctl)
      CGO_ENABLED=0 GOBIN="$tmp" go install \
        -ldflags "-s -w -X github.com/regclient/regclient/internal/version.vcsTag=$v" \
        "github.com/regclient/regclient/cmd/regctl@$v"
      ;;
    act)
      CGO_ENABLED=0 GOBIN="$tmp" go install -ldflags "-s -w -X main.version=${v#v}" "github.com/nektos/act@$v"
      ;;
  esac
  local b
  for b in $(bins "$t"); do [[ -x "$tmp/$b" ]] || { echo "missing $tmp/$b" >&2; return 1; }; done
  for b in $(bins "$t"); do install -m 0755 "$tmp/$b" "$BIN/$b"; done
  rm -rf "$tmp"
  echo "$v" > "$BIN/$t.version"
}

run_tool() {
  local t="$1" start=$SECONDS
  if is_current "$t"; then echo "  $t $(pinned "$t"): up to date"; return 0; fi
  echo "  $t $(pinned "$t"): building (log $LOGS/build-$t.log)"
  # separate process so that `set -e` applies inside build_one
  if bash "${BASH_SOURCE[0]}" __build_one "$t" >"$LOGS/build-$t.log" 2>&1; then
    echo "  $t $(pinned "$t"): built in $((SECONDS - start))s"
  else
    echo "  $t: BUILD FAILED after $((SECONDS - start))s; tail of $LOGS/build-$t.log:" >&2
    tail -20 "$LOGS/build-$t.log" >&2
    return 1
  fi
}

if [[ "${1:-}" == "__build_one" ]]; then
  build_one "$2"
  exit 0
fi

# one build at a time per prefix (concurrent `up`s wait instead of compiling twice)
exec 9>"$PREFIX/.build.lock"
flock 9

TOOLS=("$@")
[[ ${#TOOLS[@]} -gt 0 ]] || TOOLS=(trivy buildkit buildx trivy-db regctl act cosign)
command -v go >/dev/null || { echo "build-tools: no Go toolchain (need go >= 1.26.3 at /usr/local/go/bin or on PATH)" >&2; exit 1; }

# Download all modules first (network-bound, parallel), then compile in two lanes.
todo=()
for t in "${TOOLS[@]}"; do is_current "$t" || todo+=("$t"); done
if [[ ${#todo[@]} -gt 0 ]]; then
  for t in "${todo[@]}"; do
    case "$t" in
      buildx) m=github.com/docker/buildx ;; buildkit) m=github.com/moby/buildkit ;;
      trivy) m=github.com/aquasecurity/trivy ;; trivy-db) m=github.com/aquasecurity/trivy-db ;;
      cosign) m=github.com/sigstore/cosign/v3; [[ "$COSIGN_VERSION" == v2.* ]] && m=github.com/sigstore/cosign/v2 ;;
      regctl) m=github.com/regclient/regclient ;; act) m=github.com/nektos/act ;;
    esac
    (cd /tmp && go mod download "$m@$(pinned "$t")") >/dev/null 2>&1 &
  done
  wait || true
fi

# Lane A: trivy (largest), trivy-db, act; lane B: buildkit, buildx, regctl, cosign (roughly equal CPU).
laneA=() laneB=()
for t in "${TOOLS[@]}"; do
  case "$t" in
    trivy|trivy-db|act) laneA+=("$t") ;;
    *) laneB+=("$t") ;;
  esac
done
rc=0
( for t in "${laneA[@]}"; do run_tool "$t" || exit 1; done ) & pa=$!
( for t in "${laneB[@]}"; do run_tool "$t" || exit 1; done ) & pb=$!
wait "$pa" || rc=1
wait "$pb" || rc=1
exit $rc
