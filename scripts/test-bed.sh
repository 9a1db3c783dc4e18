#!/usr/bin/env bash
# Offline integration test bed for image-publish.
#
#   bash scripts/test-bed.sh up       # install/build/start everything (idempotent)
#   bash scripts/test-bed.sh down     # stop what `up` started (by pid)
#   bash scripts/test-bed.sh status   # services + tool versions
#   bash scripts/test-bed.sh env      # print $STATE/bed.env (shell exports)
#
# Env overrides: IMAGE_PUBLISH_BED_PREFIX (default /opt/image-publish-bed; tools in $PREFIX/bin)
#                IMAGE_PUBLISH_BED_STATE  (default /var/lib/image-publish-bed)
# Pinned versions: scripts/versions.env. Facts/recipes: TEST-BED.md.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BED_DIR="$HERE/bed"
# shellcheck source=versions.env
source "$HERE/versions.env"

PREFIX="${IMAGE_PUBLISH_BED_PREFIX:-/opt/image-publish-bed}"
BIN="$PREFIX/bin"
STATE="${IMAGE_PUBLISH_BED_STATE:-/var/lib/image-publish-bed}"
RUN="$STATE/run"
LOGS="$STATE/logs"
CERTS="$STATE/certs"

DEV_REGISTRY=127.0.0.1:5000
PROD_REGISTRY=127.0.0.1:5443
PROD_USER=ci
BUILDER_NAME=image-publish-bed
BUILDKIT_SOCK="$STATE/buildkit/buildkitd.sock"
DOCKER_SOCK=/var/run/docker.sock
DOCKER_CONFIG_DIR="$STATE/docker-config"
CONTAINERS_DIR="$STATE/containers"
TRIVY_CACHE="$STATE/trivy-cache"
TRIVY_DB_REPO="$DEV_REGISTRY/bed/trivy-db:2"
COSIGN_DIR="$STATE/cosign"
REGCTL_CONFIG_FILE="$STATE/regctl/config.json"
BUSYBOX_REF="$DEV_REGISTRY/bed/busybox:1"
VULNERABLE_REF="$DEV_REGISTRY/bed/vulnerable:1"
CLEAN_REF="$DEV_REGISTRY/bed/clean:1"
# Token auth (Docker token protocol, scripts/bed/token-server.mjs). Two realm styles:
#   hub:    registry https://127.0.0.1:5600, realm on ANOTHER host name https://localhost:5601/token
#   origin: https://127.0.0.1:5610 serves /token itself and streams the rest to a distribution
#           on 127.0.0.1:5611 (realm on the registry's own origin, as GHCR/Quay/Harbor)
TOKEN_HUB_REGISTRY=127.0.0.1:5600
TOKEN_HUB_REALM_PORT=5601
TOKEN_ORIGIN_REGISTRY=127.0.0.1:5610
TOKEN_ORIGIN_BACKEND=127.0.0.1:5611
TOKEN_ISSUER=image-publish-bed-token
TOKEN_PUSH_USER=pusher
TOKEN_PULL_USER=puller
TOKEN_PUBLIC_PREFIX=public/
TOKEN_DIR="$STATE/token"
# OCI 1.1 referrers API, two independent implementations (scripts/bed/registries), plain http
GGCR_REGISTRY=127.0.0.1:5700
CUE_REGISTRY=127.0.0.1:5701
# docker-container driver (buildx's default builder) and the binfmt installer image
BUILDKIT_IMAGE=moby/buildkit:buildx-stable-1
BUILDKIT_CONTAINER_CONFIG="$STATE/buildkit/buildkitd-container.toml"
BINFMT_IMAGE=tonistiigi/binfmt:latest
BINFMT_IMAGE_BED=image-publish-bed/binfmt:1
DAEMON_JSON="$STATE/docker/daemon.json"

export PATH="$BIN:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
export DOCKER_CONFIG="$DOCKER_CONFIG_DIR"
export REGISTRY_AUTH_FILE="$DOCKER_CONFIG_DIR/config.json"
export CONTAINERS_STORAGE_CONF="$CONTAINERS_DIR/storage.conf"
export CONTAINERS_REGISTRIES_CONF="$CONTAINERS_DIR/registries.conf"
export BUILDAH_ISOLATION=chroot
export REGCTL_CONFIG="$REGCTL_CONFIG_FILE"
export SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt

log() { printf '[test-bed] %s\n' "$*" >&2; }
set -E
trap 'rc=$?; log "FAILED (exit $rc) at line $LINENO: $BASH_COMMAND"' ERR
die() { printf '[test-bed] ERROR: %s\n' "$*" >&2; exit 1; }

preflight() {
  [[ "$(uname -s)" == Linux ]] || die "the test bed needs Linux (found $(uname -s))"
  [[ "$(id -u)" == 0 ]] || die "the test bed needs root (run: sudo bash scripts/test-bed.sh ${1:-up})"
}

# ---------------------------------------------------------------- timing
declare -a STAGE_TIMES=()
stage() {
  local name="$1"; shift
  local t0=$SECONDS
  log "== $name"
  "$@"
  STAGE_TIMES+=("$(printf '%-22s %4ds' "$name" $((SECONDS - t0)))")
}

# ---------------------------------------------------------------- services
# pidfile $RUN/NAME.pid holds "PID EXE"; alive = pid exists and /proc/PID/exe is still EXE.
svc_pid() {
  local f="$RUN/$1.pid" pid exe
  [[ -f "$f" ]] || return 1
  read -r pid exe < "$f" || true
  [[ -n "${pid:-}" && -n "${exe:-}" ]] || return 1
  [[ "$(readlink "/proc/$pid/exe" 2>/dev/null || true)" == "$exe" ]] || return 1
  echo "$pid"
}

# pid of the process listening on a TCP port / unix socket (empty if none)
listener_pid() { # tcp:PORT | unix:PATH
  case "$1" in
    tcp:*) { ss -Hltnp "sport = :${1#tcp:}" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; } || true ;;
    unix:*) { ss -Hlxp 2>/dev/null | awk -v p="${1#unix:}" '$5 == p' | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; } || true ;;
  esac
}

svc_start() { # NAME ENDPOINT CMD...   (ENDPOINT: tcp:PORT or unix:PATH the service listens on)
  local name="$1" endpoint="$2"; shift 2
  if svc_pid "$name" >/dev/null; then log "$name already running (pid $(svc_pid "$name"))"; return 0; fi
  local exe; exe="$(readlink -f "$(command -v "$1")")"
  mkdir -p "$RUN" "$LOGS"
  local other; other="$(listener_pid "$endpoint")"
  if [[ -n "$other" ]]; then
    # adopt a live instance of this bed (same binary, command line points into $STATE); refuse anything else
    if [[ "$(readlink "/proc/$other/exe" 2>/dev/null)" == "$exe" ]] && tr '\0' ' ' < "/proc/$other/cmdline" | grep -qF "$STATE/"; then
      echo "$other $exe" > "$RUN/$name.pid"
      log "$name already running (pid $other, adopted)"
      return 0
    fi
    die "$endpoint is already in use by pid $other ($(tr '\0' ' ' < "/proc/$other/cmdline" 2>/dev/null | cut -c1-120)), not started by the test bed; stop it first"
  fi
  # The service reports its own pid (setsid may fork when it is a process-group leader, so $! is not reliable).
  rm -f "$RUN/$name.pid.new"
  ( exec setsid bash -c 'echo $$ > "$0"; exec "$@"' "$RUN/$name.pid.new" "$@" </dev/null >>"$LOGS/$name.log" 2>&1 ) &
  local i pid=""
  for i in $(seq 1 50); do
    [[ -s "$RUN/$name.pid.new" ]] && { pid="$(cat "$RUN/$name.pid.new")"; break; }
    sleep 0.1
  done
  [[ -n "$pid" ]] || die "$name did not start (log $LOGS/$name.log)"
  rm -f "$RUN/$name.pid.new"
  echo "$pid $exe" > "$RUN/$name.pid"
  log "$name started (pid $pid, log $LOGS/$name.log)"
}

svc_stop() {
  local name="$1" pid i
  if pid="$(svc_pid "$name")"; then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then log "$name did not stop, sending KILL"; kill -KILL "$pid" 2>/dev/null || true; fi
    log "$name stopped (pid $pid)"
  fi
  rm -f "$RUN/$name.pid"
}

wait_for() { # DESC SECONDS CMD...
  local desc="$1" secs="$2"; shift 2
  local i
  for i in $(seq 1 $((secs * 5))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  die "timed out after ${secs}s waiting for $desc"
}

# ---------------------------------------------------------------- stages
apt_stage() {
  local missing=() p
  for p in $DEBIAN_PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [[ ${#missing[@]} -eq 0 ]]; then log "all Debian packages present"; return 0; fi
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$LOGS/apt.log" 2>&1 \
    || { tail -20 "$LOGS/apt.log" >&2; die "apt-get install failed"; }
}

TOOLS_PID=""
tools_start() {
  # compiles run in the background while the non-Go stages proceed
  bash "$BED_DIR/build-tools.sh" >"$LOGS/build-tools.out" 2>&1 &
  TOOLS_PID=$!
}
tools_wait() {
  local rc=0
  wait "$TOOLS_PID" || rc=$?
  cat "$LOGS/build-tools.out" >&2
  [[ $rc -eq 0 ]] || die "building Go tools failed (see $LOGS/build-*.log)"
}

certs_stage() {
  mkdir -p "$CERTS"
  if [[ ! -s "$CERTS/ca.crt" || ! -s "$CERTS/ca.key" ]]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -sha256 \
      -keyout "$CERTS/ca.key" -out "$CERTS/ca.crt" -subj "/CN=image-publish-bed test CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    rm -f "$CERTS/server.crt"
  fi
  if [[ ! -s "$CERTS/server.crt" ]]; then
    openssl req -newkey rsa:2048 -nodes -sha256 -keyout "$CERTS/server.key" -out "$CERTS/server.csr" \
      -subj "/CN=localhost" 2>/dev/null
    printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost" "basicConstraints=CA:FALSE" \
      "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth" > "$CERTS/server.ext"
    openssl x509 -req -in "$CERTS/server.csr" -CA "$CERTS/ca.crt" -CAkey "$CERTS/ca.key" -CAcreateserial \
      -days 3650 -sha256 -extfile "$CERTS/server.ext" -out "$CERTS/server.crt" 2>/dev/null
  fi
  chmod 600 "$CERTS/ca.key" "$CERTS/server.key"
  # trust the CA everywhere
  local sys=/usr/local/share/ca-certificates/image-publish-bed-ca.crt
  if ! cmp -s "$CERTS/ca.crt" "$sys"; then
    install -D -m 0644 "$CERTS/ca.crt" "$sys"
    update-ca-certificates >/dev/null 2>&1
  fi
  local r
  for r in "$PROD_REGISTRY" "$TOKEN_HUB_REGISTRY" "$TOKEN_ORIGIN_REGISTRY"; do
    install -D -m 0644 "$CERTS/ca.crt" "/etc/docker/certs.d/$r/ca.crt"
    install -D -m 0644 "$CERTS/ca.crt" "/etc/containers/certs.d/$r/ca.crt"
  done
  # htpasswd user, password generated once
  mkdir -p "$STATE/auth"
  if [[ ! -s "$STATE/auth/password" ]]; then
    (umask 077; openssl rand -hex 16 > "$STATE/auth/password")
  fi
  local pw; pw="$(cat "$STATE/auth/password")"
  if [[ ! -s "$STATE/auth/htpasswd" ]] || ! htpasswd -vbB "$STATE/auth/htpasswd" "$PROD_USER" "$pw" >/dev/null 2>&1; then
    htpasswd -Bbc "$STATE/auth/htpasswd" "$PROD_USER" "$pw" 2>/dev/null
  fi
  # docker-format auth file (DOCKER_CONFIG / REGISTRY_AUTH_FILE); keep other keys (e.g. from docker login)
  mkdir -p "$DOCKER_CONFIG_DIR"
  local auth; auth="$(printf '%s:%s' "$PROD_USER" "$pw" | base64 -w0)"
  local cur='{}'; [[ -s "$DOCKER_CONFIG_DIR/config.json" ]] && cur="$(cat "$DOCKER_CONFIG_DIR/config.json")"
  jq --arg r "$PROD_REGISTRY" --arg a "$auth" '.auths[$r] = {auth: $a}' <<<"$cur" > "$DOCKER_CONFIG_DIR/config.json.tmp"
  mv "$DOCKER_CONFIG_DIR/config.json.tmp" "$DOCKER_CONFIG_DIR/config.json"
  chmod 600 "$DOCKER_CONFIG_DIR/config.json"
}

# Token issuer: its signing certificate (the registries' rootcertbundle) and two accounts.
token_auth_stage() {
  mkdir -p "$TOKEN_DIR"
  if [[ ! -s "$CERTS/token.crt" || ! -s "$CERTS/token.key" ]]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -sha256 -keyout "$CERTS/token.key" \
      -out "$CERTS/token.crt" -subj "/CN=$TOKEN_ISSUER" 2>/dev/null
  fi
  chmod 600 "$CERTS/token.key"
  local u
  for u in "$TOKEN_PUSH_USER" "$TOKEN_PULL_USER"; do
    [[ -s "$STATE/auth/token-$u.password" ]] || (umask 077; openssl rand -hex 16 > "$STATE/auth/token-$u.password")
  done
  install -m 0644 "$BED_DIR/token-server.mjs" "$TOKEN_DIR/token-server.mjs"
  (umask 077; jq -n \
    --arg issuer "$TOKEN_ISSUER" --arg key "$CERTS/token.key" --arg cert "$CERTS/token.crt" \
    --arg tlsCert "$CERTS/server.crt" --arg tlsKey "$CERTS/server.key" \
    --arg pushU "$TOKEN_PUSH_USER" --arg pushP "$(cat "$STATE/auth/token-$TOKEN_PUSH_USER.password")" \
    --arg pullU "$TOKEN_PULL_USER" --arg pullP "$(cat "$STATE/auth/token-$TOKEN_PULL_USER.password")" \
    --arg public "$TOKEN_PUBLIC_PREFIX" --argjson hubPort "$TOKEN_HUB_REALM_PORT" \
    --argjson originPort "${TOKEN_ORIGIN_REGISTRY##*:}" --arg backend "http://$TOKEN_ORIGIN_BACKEND" \
    '{issuer: $issuer, key: $key, cert: $cert, ttl: 300,
      accounts: {($pushU): {password: $pushP, actions: ["pull", "push", "delete", "*"]},
                 ($pullU): {password: $pullP, actions: ["pull"]}},
      publicPrefixes: [$public],
      listeners: [
        {host: "127.0.0.1", port: $hubPort, tls: {cert: $tlsCert, key: $tlsKey}, services: ["bed-hub"]},
        {host: "127.0.0.1", port: $originPort, tls: {cert: $tlsCert, key: $tlsKey}, services: ["bed-origin"], proxy: $backend}
      ]}' > "$TOKEN_DIR/config.json.tmp")
  mv "$TOKEN_DIR/config.json.tmp" "$TOKEN_DIR/config.json"
}

# Restart a running service when what it was started from changed (stamp = hash of its inputs).
svc_restamp() { # NAME FILE...
  local name="$1"; shift
  local stamp; stamp="$(cat "$@" | sha256sum | cut -c1-16)"
  if [[ "$(cat "$RUN/$name.stamp" 2>/dev/null)" != "$stamp" ]]; then
    if svc_pid "$name" >/dev/null; then log "$name: configuration changed, restarting"; fi
    svc_stop "$name"
    mkdir -p "$RUN"; echo "$stamp" > "$RUN/$name.stamp"
  fi
}

binfmt_stage() {
  if [[ ! -e /proc/sys/fs/binfmt_misc/register ]]; then
    mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
  fi
  update-binfmts --enable >/dev/null 2>&1 || true
  [[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]] || die "qemu-aarch64 binfmt handler not registered"
  grep -q '^enabled' /proc/sys/fs/binfmt_misc/qemu-aarch64 || die "qemu-aarch64 binfmt handler disabled"
  grep -q '^flags: .*F' /proc/sys/fs/binfmt_misc/qemu-aarch64 || log "WARNING: qemu-aarch64 lacks the F flag"
}

registry_config() { # NAME ADDR EXTRA
  local name="$1" addr="$2" extra="$3"
  mkdir -p "$STATE/registry/$name/storage"
  cat > "$STATE/registry/$name/config.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $STATE/registry/$name/storage
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: $addr
  secret: image-publish-bed-$name
$extra
EOF
}

registries_stage() {
  registry_config dev "$DEV_REGISTRY" ""
  registry_config prod "$PROD_REGISTRY" "  tls:
    certificate: $CERTS/server.crt
    key: $CERTS/server.key
auth:
  htpasswd:
    realm: image-publish-bed
    path: $STATE/auth/htpasswd"
  # distribution maps REGISTRY_* env vars onto its config (REGISTRY_AUTH_FILE would become auth.file)
  ( unset REGISTRY_AUTH_FILE
    svc_start registry-dev "tcp:${DEV_REGISTRY##*:}" docker-registry serve "$STATE/registry/dev/config.yml"
    svc_start registry-prod "tcp:${PROD_REGISTRY##*:}" docker-registry serve "$STATE/registry/prod/config.yml" )
  local pw; pw="$(cat "$STATE/auth/password")"
  wait_for "dev registry" 20 curl -fsS "http://$DEV_REGISTRY/v2/"
  wait_for "prod registry" 20 curl -fsS --cacert "$CERTS/ca.crt" -u "$PROD_USER:$pw" "https://$PROD_REGISTRY/v2/"
  # unauthenticated access must be refused
  local code; code="$(curl -s -o /dev/null -w '%{http_code}' "https://$PROD_REGISTRY/v2/")"
  [[ "$code" == 401 ]] || die "prod registry answered $code without credentials (expected 401)"
  token_registries
}

token_auth_yaml() { # REALM SERVICE
  printf '%s\n' "auth:" "  token:" "    realm: $1" "    service: $2" "    issuer: $TOKEN_ISSUER" \
    "    rootcertbundle: $CERTS/token.crt"
}

token_registries() {
  registry_config token-hub "$TOKEN_HUB_REGISTRY" "  tls:
    certificate: $CERTS/server.crt
    key: $CERTS/server.key
$(token_auth_yaml "https://localhost:$TOKEN_HUB_REALM_PORT/token" bed-hub)"
  # Location headers relative: clients reach this backend through the https front on the origin.
  registry_config token-origin "$TOKEN_ORIGIN_BACKEND" "  relativeurls: true
$(token_auth_yaml "https://$TOKEN_ORIGIN_REGISTRY/token" bed-origin)"
  svc_restamp registry-token-hub "$STATE/registry/token-hub/config.yml" "$CERTS/token.crt"
  svc_restamp registry-token-origin "$STATE/registry/token-origin/config.yml" "$CERTS/token.crt"
  svc_restamp token-server "$TOKEN_DIR/token-server.mjs" "$TOKEN_DIR/config.json"
  ( unset REGISTRY_AUTH_FILE
    svc_start registry-token-hub "tcp:${TOKEN_HUB_REGISTRY##*:}" docker-registry serve "$STATE/registry/token-hub/config.yml"
    svc_start registry-token-origin "tcp:${TOKEN_ORIGIN_BACKEND##*:}" docker-registry serve "$STATE/registry/token-origin/config.yml"
    svc_start token-server "tcp:$TOKEN_HUB_REALM_PORT" node "$TOKEN_DIR/token-server.mjs" "$TOKEN_DIR/config.json" )
  wait_for "token server" 20 curl -fsS --cacert "$CERTS/ca.crt" "https://localhost:$TOKEN_HUB_REALM_PORT/token?service=bed-hub"
  local reg code
  for reg in "$TOKEN_HUB_REGISTRY" "$TOKEN_ORIGIN_REGISTRY"; do
    wait_for "token registry $reg" 20 bash -c "curl -s -o /dev/null -w '%{http_code}' --cacert '$CERTS/ca.crt' https://$reg/v2/ | grep -qx 401"
  done
  # the challenge names the realm; a pusher token opens /v2/
  local tok; tok="$(curl -fsS --cacert "$CERTS/ca.crt" -u "$TOKEN_PUSH_USER:$(cat "$STATE/auth/token-$TOKEN_PUSH_USER.password")" \
    "https://$TOKEN_ORIGIN_REGISTRY/token?service=bed-origin&scope=repository:bed/ping:pull" | jq -r .token)"
  code="$(curl -s -o /dev/null -w '%{http_code}' --cacert "$CERTS/ca.crt" -H "Authorization: Bearer $tok" "https://$TOKEN_ORIGIN_REGISTRY/v2/")"
  [[ "$code" == 200 ]] || die "token registry $TOKEN_ORIGIN_REGISTRY refused an issued token ($code; log $LOGS/registry-token-origin.log)"
}

# OCI 1.1 referrers API registries: small Go programs (scripts/bed/registries), rebuilt when
# their source changes; state in memory (ggcr keeps blobs on disk), so a restart empties them.
referrers_stage() {
  local src="$BED_DIR/registries" stamp
  stamp="$(cd "$src" && find . -type f \( -name '*.go' -o -name go.mod -o -name go.sum \) -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-16)"
  if [[ "$(cat "$BIN/bed-registries.version" 2>/dev/null)" != "$stamp" || ! -x "$BIN/ggcr-registry" || ! -x "$BIN/cue-registry" ]]; then
    local tmp; tmp="$(mktemp -d)"
    (cd "$src" && GOTOOLCHAIN=local GOFLAGS=-buildvcs=false CGO_ENABLED=0 go build -ldflags '-s -w' -o "$tmp/" ./cmd/...) \
      >"$LOGS/build-bed-registries.log" 2>&1 || { tail -20 "$LOGS/build-bed-registries.log" >&2; die "building the referrers registries failed"; }
    install -m 0755 "$tmp/ggcr-registry" "$tmp/cue-registry" "$BIN/"
    rm -rf "$tmp"
    echo "$stamp" > "$BIN/bed-registries.version"
  fi
  svc_restamp registry-ggcr "$BIN/bed-registries.version"
  svc_restamp registry-cue "$BIN/bed-registries.version"
  mkdir -p "$STATE/registry/ggcr"
  svc_start registry-ggcr "tcp:${GGCR_REGISTRY##*:}" ggcr-registry -addr "$GGCR_REGISTRY" -blobs "$STATE/registry/ggcr/blobs"
  svc_start registry-cue "tcp:${CUE_REGISTRY##*:}" cue-registry -addr "$CUE_REGISTRY"
  local r
  for r in "$GGCR_REGISTRY" "$CUE_REGISTRY"; do wait_for "registry $r" 20 curl -fsS "http://$r/v2/"; done
}

# dockerd with the runc wrapper as default runtime (privileged containers need it here: see
# scripts/bed/runc-capdrop.sh). A bed dockerd started without that daemon.json is restarted once;
# a changed daemon.json is reloaded with SIGHUP (runtimes are reloadable).
dockerd_stage() {
  mkdir -p "$STATE/docker"
  install -m 0755 "$BED_DIR/runc-capdrop.sh" "$BIN/runc-capdrop"
  local want; want="$(jq -n --arg p "$BIN/runc-capdrop" '{runtimes: {capdrop: {path: $p}}, "default-runtime": "capdrop"}')"
  local changed=0
  if [[ "$(cat "$DAEMON_JSON" 2>/dev/null)" != "$want" ]]; then echo "$want" > "$DAEMON_JSON"; changed=1; fi
  local pid
  if pid="$(svc_pid dockerd)"; then
    if tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "--config-file $DAEMON_JSON"; then
      if [[ $changed == 1 ]]; then log "dockerd: daemon.json changed, reloading"; kill -HUP "$pid"; sleep 1; fi
      log "dockerd already running (pid $pid)"
      dockerd_check_runtime
      return 0
    fi
    log "dockerd (pid $pid) runs without $DAEMON_JSON: restarting it"
    svc_stop dockerd
  elif [[ -S "$DOCKER_SOCK" ]] && curl -fsS --unix-socket "$DOCKER_SOCK" http://d/_ping >/dev/null 2>&1; then
    log "a dockerd not started by the bed already serves $DOCKER_SOCK; using it"
    dockerd_check_runtime || log "WARNING: its default runtime is not capdrop: privileged containers (docker-container builder, binfmt) will fail"
    return 0
  fi
  svc_start dockerd "unix:$DOCKER_SOCK" dockerd --config-file "$DAEMON_JSON" --bridge=none --iptables=false --ip6tables=false \
    --host "unix://$DOCKER_SOCK" --data-root "$STATE/docker" --pidfile "$RUN/dockerd.self.pid"
  wait_for "dockerd" 40 curl -fsS --unix-socket "$DOCKER_SOCK" http://d/_ping
  dockerd_check_runtime
}

dockerd_check_runtime() {
  local rt i
  for i in $(seq 1 20); do
    rt="$(curl -fsS --unix-socket "$DOCKER_SOCK" http://d/info | jq -r .DefaultRuntime)"
    [[ "$rt" == capdrop ]] && return 0
    sleep 0.5
  done
  log "dockerd default runtime is \"$rt\", expected capdrop"
  return 1
}

containers_stage() {
  mkdir -p "$CONTAINERS_DIR/storage" "$CONTAINERS_DIR/run"
  cat > "$CONTAINERS_STORAGE_CONF" <<EOF
[storage]
driver = "vfs"
runroot = "$CONTAINERS_DIR/run"
graphroot = "$CONTAINERS_DIR/storage"
EOF
  cat > "$CONTAINERS_REGISTRIES_CONF" <<EOF
unqualified-search-registries = []

[[registry]]
location = "$DEV_REGISTRY"
insecure = true

[[registry]]
location = "$PROD_REGISTRY"
insecure = false

[[registry]]
location = "$TOKEN_HUB_REGISTRY"
insecure = false

[[registry]]
location = "$TOKEN_ORIGIN_REGISTRY"
insecure = false

[[registry]]
location = "$GGCR_REGISTRY"
insecure = true

[[registry]]
location = "$CUE_REGISTRY"
insecure = true
EOF
}

# [registry.*] sections for every bed registry; CA is a path the reader can see (buildx copies the
# files a --buildkitd-config names into the docker-container builder).
buildkit_registries_toml() {
  local r
  for r in "$DEV_REGISTRY" "$GGCR_REGISTRY" "$CUE_REGISTRY"; do
    printf '\n[registry."%s"]\n  http = true\n' "$r"
  done
  for r in "$PROD_REGISTRY" "$TOKEN_HUB_REGISTRY" "$TOKEN_ORIGIN_REGISTRY"; do
    # Explicit: buildkit otherwise also tries plain http for loopback hosts.
    printf '\n[registry."%s"]\n  http = false\n  ca = ["%s"]\n' "$r" "$CERTS/ca.crt"
  done
}

buildkit_stage() {
  mkdir -p "$STATE/buildkit/root"
  cat > "$STATE/buildkit/buildkitd.toml" <<EOF
root = "$STATE/buildkit/root"

[grpc]
  address = ["unix://$BUILDKIT_SOCK"]

[worker.oci]
  enabled = true
  snapshotter = "native"
  gc = true

[worker.containerd]
  enabled = false
$(buildkit_registries_toml)
EOF
  # config for `buildx create --driver docker-container --buildkitd-config` (the default-builder path)
  { echo "# buildkitd.toml for docker-container builders of the image-publish test bed"; buildkit_registries_toml; } \
    > "$BUILDKIT_CONTAINER_CONFIG"
  svc_restamp buildkitd "$STATE/buildkit/buildkitd.toml"
  svc_start buildkitd "unix:$BUILDKIT_SOCK" buildkitd --config "$STATE/buildkit/buildkitd.toml" --addr "unix://$BUILDKIT_SOCK" \
    --oci-worker-snapshotter=native --oci-worker-net=host --containerd-worker=false
  wait_for "buildkitd" 40 buildctl --addr "unix://$BUILDKIT_SOCK" debug workers
  # buildx: remote driver pointing at the socket; docker cli plugin links
  if ! buildx inspect "$BUILDER_NAME" >/dev/null 2>&1; then
    buildx create --name "$BUILDER_NAME" --driver remote "unix://$BUILDKIT_SOCK" >/dev/null
  fi
  buildx inspect --bootstrap "$BUILDER_NAME" >/dev/null
  local d
  for d in "$HOME/.docker/cli-plugins" "$DOCKER_CONFIG_DIR/cli-plugins"; do
    mkdir -p "$d"; ln -sfn "$BIN/buildx" "$d/docker-buildx"
  done
}

# Images for dockerd, built without pulling (DOCKER_BUILDKIT=0, FROM scratch). Each carries a label
# with a stamp of its inputs; an image whose stamp matches is kept.
docker_image_current() { # REF STAMP
  [[ "$(docker image inspect --format '{{index .Config.Labels "org.image-publish-bed.stamp"}}' "$1" 2>/dev/null)" == "$2" ]]
}

docker_build_local() { # CONTEXT STAMP TAG...
  local ctx="$1" stamp="$2"; shift 2
  local tags=() t; for t in "$@"; do tags+=(-t "$t"); done
  DOCKER_BUILDKIT=0 docker build -q --label "org.image-publish-bed.stamp=$stamp" "${tags[@]}" "$ctx" \
    >"$LOGS/docker-build-$(basename "$ctx").log" 2>&1 \
    || { tail -20 "$LOGS/docker-build-$(basename "$ctx").log" >&2; die "docker build $ctx failed"; }
}

copy_with_libs() { # BINARY ROOTFS -> BINARY (same path) and what ldd lists, into ROOTFS
  local bin="$1" root="$2" lib
  install -D -m 0755 "$bin" "$root$bin"
  for lib in $(ldd "$bin" 2>/dev/null | grep -o '/[^ ]*'); do install -D -m 0755 "$lib" "$root$lib"; done
}

buildkit_image_stage() {
  local stamp; stamp="$BUILDKIT_VERSION $(sha256sum "$BIN/buildkitd" "$BIN/buildctl" /usr/sbin/runc "$BED_DIR/images/buildkit/Dockerfile" | sha256sum | cut -c1-16)"
  if docker_image_current "$BUILDKIT_IMAGE" "$stamp"; then log "$BUILDKIT_IMAGE present"; return 0; fi
  local ctx="$STATE/images/buildkit"
  rm -rf "$ctx"; mkdir -p "$ctx/rootfs/usr/bin" "$ctx/rootfs/etc" "$ctx/rootfs/tmp" "$ctx/rootfs/var/lib/buildkit" "$ctx/rootfs/run"
  cp "$BED_DIR/images/buildkit/Dockerfile" "$ctx/"
  install -m 0755 "$BIN/buildkitd" "$BIN/buildctl" "$ctx/rootfs/usr/bin/"
  copy_with_libs /usr/sbin/runc "$ctx/rootfs"
  echo 'root:x:0:0:root:/root:/bin/sh' > "$ctx/rootfs/etc/passwd"
  echo 'root:x:0:' > "$ctx/rootfs/etc/group"
  chmod 1777 "$ctx/rootfs/tmp"
  docker_build_local "$ctx" "$stamp" "$BUILDKIT_IMAGE"
  rm -rf "$ctx"
}

# Arches the installer carries (Go names); their qemu-user-static binaries come from Debian.
BINFMT_ARCHES="arm64:aarch64 arm:arm riscv64:riscv64 ppc64le:ppc64le s390x:s390x mips64le:mips64el mips64:mips64 loong64:loongarch64"
binfmt_image_stage() {
  busybox_binaries
  local files=("$STATE/images/busybox/busybox-amd64" "$BED_DIR/images/binfmt/Dockerfile" "$BED_DIR/images/binfmt/binfmt.sh") pair
  for pair in $BINFMT_ARCHES; do files+=("/usr/bin/qemu-${pair#*:}-static" "/usr/share/binfmts/qemu-${pair#*:}"); done
  local stamp; stamp="$(sha256sum "${files[@]}" | sha256sum | cut -c1-16)"
  if docker_image_current "$BINFMT_IMAGE_BED" "$stamp" && docker_image_current "$BINFMT_IMAGE" "$stamp"; then
    log "$BINFMT_IMAGE present"; return 0
  fi
  local ctx="$STATE/images/binfmt" q
  rm -rf "$ctx"; mkdir -p "$ctx/rootfs/bin" "$ctx/rootfs/usr/bin" "$ctx/rootfs/usr/libexec/qemu-binfmt" "$ctx/rootfs/etc/binfmts" "$ctx/rootfs/proc"
  cp "$BED_DIR/images/binfmt/Dockerfile" "$ctx/"
  install -m 0755 "$STATE/images/busybox/busybox-amd64" "$ctx/rootfs/bin/busybox"
  install -m 0644 "$BED_DIR/images/binfmt/binfmt.sh" "$ctx/rootfs/usr/bin/binfmt"
  for pair in $BINFMT_ARCHES; do
    q="${pair#*:}"
    install -m 0755 "/usr/bin/qemu-$q-static" "$ctx/rootfs/usr/bin/"
    install -m 0644 "/usr/share/binfmts/qemu-$q" "$ctx/rootfs/etc/binfmts/"
    # the interpreter path Debian registers (…-binfmt-P: qemu expects argv[0] preserved)
    ln -s "../../bin/qemu-$q-static" "$ctx/rootfs/usr/libexec/qemu-binfmt/$q-binfmt-P"
  done
  docker_build_local "$ctx" "$stamp" "$BINFMT_IMAGE_BED" "$BINFMT_IMAGE"
  rm -rf "$ctx"
}

regctl_stage() {
  mkdir -p "$(dirname "$REGCTL_CONFIG_FILE")"
  regctl registry set "$DEV_REGISTRY" --tls disabled >/dev/null
  regctl registry set "$PROD_REGISTRY" --tls enabled --cacert "$(cat "$CERTS/ca.crt")" >/dev/null
  regctl registry login "$PROD_REGISTRY" -u "$PROD_USER" --pass-stdin < "$STATE/auth/password" >/dev/null 2>&1
  # token registries: TLS only, no stored login (tests choose the account through DOCKER_CONFIG)
  local r
  for r in "$TOKEN_HUB_REGISTRY" "$TOKEN_ORIGIN_REGISTRY"; do
    regctl registry set "$r" --tls enabled --cacert "$(cat "$CERTS/ca.crt")" >/dev/null
  done
  for r in "$GGCR_REGISTRY" "$CUE_REGISTRY"; do regctl registry set "$r" --tls disabled >/dev/null; done
}

cosign_stage() {
  mkdir -p "$COSIGN_DIR"
  if [[ ! -s "$COSIGN_DIR/password" ]]; then
    (umask 077; openssl rand -hex 16 > "$COSIGN_DIR/password")
    rm -f "$COSIGN_DIR/cosign.key" "$COSIGN_DIR/cosign.pub"
  fi
  if [[ ! -s "$COSIGN_DIR/cosign.key" || ! -s "$COSIGN_DIR/cosign.pub" ]]; then
    rm -f "$COSIGN_DIR/cosign.key" "$COSIGN_DIR/cosign.pub"
    (cd "$COSIGN_DIR" && COSIGN_PASSWORD="$(cat password)" cosign generate-key-pair >/dev/null 2>&1) \
      || die "cosign generate-key-pair failed"
  fi
}

# ---------------------------------------------------------------- images
image_present() { # REF (dev registry, plain http)
  skopeo inspect --raw --tls-verify=false "docker://$1" >/dev/null 2>&1
}
index_digest() { # REF -> sha256:... of the manifest bytes as stored
  # hash the bytes exactly as served (no $(...) round trip, which would strip a trailing newline)
  local sum; sum="$(skopeo inspect --raw --tls-verify=false "docker://$1" | sha256sum | cut -d' ' -f1)"
  [[ "$sum" =~ ^[0-9a-f]{64}$ ]] || die "cannot read manifest of $1"
  printf 'sha256:%s' "$sum"
}

busybox_binaries() { # -> $STATE/images/busybox/busybox-{amd64,arm64}
  local dir="$STATE/images/busybox" arch tmp deb
  mkdir -p "$dir"
  for arch in amd64 arm64; do
    [[ -x "$dir/busybox-$arch" ]] && continue
    tmp="$(mktemp -d)"
    if [[ "$arch" == amd64 ]]; then
      (cd "$tmp" && apt-get -oAPT::Sandbox::User=root download -qq busybox-static >/dev/null)
    else
      local aopts=(-oAPT::Architecture=arm64 -oAPT::Architectures=arm64 -oDir::State::Lists="$tmp/lists"
                   -oDir::Cache="$tmp/cache" -oDir::State::status=/dev/null -oAPT::Sandbox::User=root)
      mkdir -p "$tmp/lists/partial" "$tmp/cache/archives/partial"
      apt-get "${aopts[@]}" update -qq >/dev/null
      (cd "$tmp" && apt-get "${aopts[@]}" download -qq busybox-static:arm64 >/dev/null)
    fi
    deb="$(ls "$tmp"/busybox-static_*.deb)"
    dpkg -x "$deb" "$tmp/x"
    install -m 0755 "$tmp/x/bin/busybox" "$dir/busybox-$arch"
    rm -rf "$tmp"
  done
}

build_and_push() { # NAME CONTEXT REF
  local name="$1" ctx="$2" ref="$3"
  buildah manifest rm "bed-$name" >/dev/null 2>&1 || true
  buildah build --quiet --isolation chroot --platform linux/amd64,linux/arm64 --manifest "bed-$name" \
    -f "$ctx/Containerfile" "$ctx" >"$LOGS/image-$name.log" 2>&1 \
    || { tail -20 "$LOGS/image-$name.log" >&2; die "buildah build $name failed"; }
  buildah manifest push --all --tls-verify=false "bed-$name" "docker://$ref" >>"$LOGS/image-$name.log" 2>&1 \
    || { tail -20 "$LOGS/image-$name.log" >&2; die "buildah manifest push $name failed"; }
  buildah manifest rm "bed-$name" >/dev/null 2>&1 || true
}

images_stage() {
  if ! image_present "$BUSYBOX_REF"; then
    busybox_binaries
    local ctx="$STATE/images/busybox"
    cp "$BED_DIR/images/busybox/Containerfile" "$ctx/Containerfile"
    build_and_push busybox "$ctx" "$BUSYBOX_REF"
  else
    log "$BUSYBOX_REF present"
  fi
  local img
  for img in vulnerable clean; do
    local ref="$DEV_REGISTRY/bed/$img:1"
    if image_present "$ref"; then log "$ref present"; continue; fi
    build_and_push "$img" "$BED_DIR/images/$img" "$ref"
  done
}

# ---------------------------------------------------------------- trivy DB
trivy_db_stage() {
  local db="$TRIVY_CACHE/db"
  local work="$STATE/trivy-db-build"
  local fixture="$BED_DIR/trivy-db/vuln-list-debian"
  local stamp; stamp="$TRIVY_DB_VERSION $(cd "$fixture" && find . -type f -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-16)"
  if [[ -s "$db/trivy.db" && -s "$db/metadata.json" && "$(cat "$db/.bed-stamp" 2>/dev/null)" == "$stamp" ]]; then
    log "trivy DB present"
  else
    rm -rf "$work"; mkdir -p "$work/cache" "$work/out"
    cp -r "$fixture" "$work/cache/vuln-list-debian"
    # trivy-db must run where no overrides/ folder exists
    (cd "$work" && trivy-db build --only-update debian --cache-dir "$work/cache" --output-dir "$work/out" \
       --update-interval 87600h) >"$LOGS/trivy-db-build.log" 2>&1 \
      || { tail -20 "$LOGS/trivy-db-build.log" >&2; die "trivy-db build failed"; }
    mkdir -p "$db"
    cp "$work/out/trivy.db" "$work/out/metadata.json" "$db/"
    (cd "$work/out" && tar -czf db.tar.gz trivy.db metadata.json)
    echo "$stamp" > "$db/.bed-stamp"
    rm -f "$STATE/trivy-db-pushed"
  fi
  # OCI artifact for --db-repository
  if [[ ! -f "$STATE/trivy-db-pushed" ]] || ! regctl manifest head "$TRIVY_DB_REPO" >/dev/null 2>&1; then
    if [[ ! -s "$work/out/db.tar.gz" ]]; then
      mkdir -p "$work/out"; (cd "$db" && tar -czf "$work/out/db.tar.gz" trivy.db metadata.json)
    fi
    (cd "$work/out" && regctl artifact put \
      --config-type application/vnd.aquasec.trivy.config.v1+json \
      --file-media-type application/vnd.aquasec.trivy.db.layer.v1.tar+gzip \
      --file db.tar.gz --file-title "$TRIVY_DB_REPO") >"$LOGS/trivy-db-push.log" 2>&1 \
      || { cat "$LOGS/trivy-db-push.log" >&2; die "pushing the trivy DB artifact failed"; }
    touch "$STATE/trivy-db-pushed"
  fi
}

# ---------------------------------------------------------------- outputs
write_env() {
  local pw; pw="$(cat "$STATE/auth/password")"
  local bb vu cl tdb
  bb="$(index_digest "$BUSYBOX_REF")"; vu="$(index_digest "$VULNERABLE_REF")"; cl="$(index_digest "$CLEAN_REF")"
  tdb="$(regctl manifest head "$TRIVY_DB_REPO")"
  local storage_flags="--storage-driver vfs --root $CONTAINERS_DIR/storage --runroot $CONTAINERS_DIR/run"
  jq -n \
    --arg stateDir "$STATE" --arg prefix "$PREFIX" --arg binDir "$BIN" \
    --arg dev "$DEV_REGISTRY" --arg prod "$PROD_REGISTRY" --arg user "$PROD_USER" --arg pw "$pw" \
    --arg ca "$CERTS/ca.crt" --arg caBundle /etc/ssl/certs/ca-certificates.crt \
    --arg bksock "unix://$BUILDKIT_SOCK" --arg builder "$BUILDER_NAME" --arg bkconf "$STATE/buildkit/buildkitd.toml" \
    --arg dockerHost "unix://$DOCKER_SOCK" --arg dockerConfig "$DOCKER_CONFIG_DIR" --arg authFile "$REGISTRY_AUTH_FILE" \
    --arg storageConf "$CONTAINERS_STORAGE_CONF" --arg regConf "$CONTAINERS_REGISTRIES_CONF" --arg sflags "$storage_flags" \
    --arg regctlConfig "$REGCTL_CONFIG_FILE" \
    --arg trivyCache "$TRIVY_CACHE" --arg trivyDbRepo "$TRIVY_DB_REPO" --arg trivyDbDigest "$tdb" \
    --arg ckey "$COSIGN_DIR/cosign.key" --arg cpub "$COSIGN_DIR/cosign.pub" --arg cpw "$(cat "$COSIGN_DIR/password")" \
    --arg bbRef "$BUSYBOX_REF" --arg bbDig "$bb" --arg vuRef "$VULNERABLE_REF" --arg vuDig "$vu" \
    --arg clRef "$CLEAN_REF" --arg clDig "$cl" \
    --arg tHub "$TOKEN_HUB_REGISTRY" --arg tHubRealm "https://localhost:$TOKEN_HUB_REALM_PORT/token" \
    --arg tOrigin "$TOKEN_ORIGIN_REGISTRY" --arg tOriginRealm "https://$TOKEN_ORIGIN_REGISTRY/token" \
    --arg tPushU "$TOKEN_PUSH_USER" --arg tPushP "$(cat "$STATE/auth/token-$TOKEN_PUSH_USER.password")" \
    --arg tPullU "$TOKEN_PULL_USER" --arg tPullP "$(cat "$STATE/auth/token-$TOKEN_PULL_USER.password")" \
    --arg tPublic "$TOKEN_PUBLIC_PREFIX" --arg tIssuer "$TOKEN_ISSUER" --arg tCert "$CERTS/token.crt" \
    --arg ggcr "$GGCR_REGISTRY" --arg cue "$CUE_REGISTRY" \
    --arg bkImage "$BUILDKIT_IMAGE" --arg bkContainerConf "$BUILDKIT_CONTAINER_CONFIG" \
    --arg binfmtImage "$BINFMT_IMAGE" --arg binfmtImageBed "$BINFMT_IMAGE_BED" \
    --arg busyboxArm64 "$STATE/images/busybox/busybox-arm64" \
    --arg buildx "$BUILDX_VERSION" --arg buildkit "$BUILDKIT_VERSION" --arg trivy "$TRIVY_VERSION" \
    --arg trivyDb "$TRIVY_DB_VERSION" --arg cosign "$COSIGN_VERSION" --arg regctl "$REGCTL_VERSION" --arg act "$ACT_VERSION" \
    '{
      version: 1,
      stateDir: $stateDir, prefix: $prefix, binDir: $binDir,
      devRegistry: {host: $dev, insecure: true},
      prodRegistry: {host: $prod, username: $user, password: $pw, caCert: $ca},
      caBundle: $caBundle,
      buildkit: {address: $bksock, builder: $builder, config: $bkconf},
      tokenRegistries: {
        hub: {host: $tHub, realm: $tHubRealm, service: "bed-hub"},
        origin: {host: $tOrigin, realm: $tOriginRealm, service: "bed-origin"},
        pusher: {username: $tPushU, password: $tPushP},
        puller: {username: $tPullU, password: $tPullP},
        publicPrefix: $tPublic, issuer: $tIssuer, signingCert: $tCert
      },
      referrersRegistries: {ggcr: {host: $ggcr, insecure: true}, cue: {host: $cue, insecure: true, emptyListIsNull: true}},
      containerBuilder: {image: $bkImage, buildkitdConfig: $bkContainerConf, driverOpts: ["network=host"]},
      binfmt: {image: $binfmtImage, bedImage: $binfmtImageBed, busyboxArm64: $busyboxArm64},
      docker: {host: $dockerHost, config: $dockerConfig},
      registryAuthFile: $authFile,
      buildah: {storageConf: $storageConf, registriesConf: $regConf, storageFlags: $sflags, isolation: "chroot"},
      regctlConfig: $regctlConfig,
      trivy: {cacheDir: $trivyCache, dbRepository: $trivyDbRepo, dbDigest: $trivyDbDigest},
      cosign: {key: $ckey, pub: $cpub, password: $cpw},
      images: {
        busybox: {ref: $bbRef, digest: $bbDig},
        vulnerable: {ref: $vuRef, digest: $vuDig},
        clean: {ref: $clRef, digest: $clDig}
      },
      versions: {buildx: $buildx, buildkit: $buildkit, trivy: $trivy, trivyDb: $trivyDb, cosign: $cosign, regctl: $regctl, act: $act}
    }' > "$STATE/bed.json.tmp"
  mv "$STATE/bed.json.tmp" "$STATE/bed.json"
  chmod 600 "$STATE/bed.json"

  {
    echo "# image-publish test bed — source this file (generated by scripts/test-bed.sh up)"
    q() { printf 'export %s=%q\n' "$1" "$2"; }
    q IMAGE_PUBLISH_BED_STATE "$STATE"
    q IMAGE_PUBLISH_BED_PREFIX "$PREFIX"
    q IMAGE_PUBLISH_BED_JSON "$STATE/bed.json"
    echo "export PATH=$(printf '%q' "$BIN"):\"\$PATH\""
    q BED_DEV_REGISTRY "$DEV_REGISTRY"
    q BED_PROD_REGISTRY "$PROD_REGISTRY"
    q BED_PROD_USERNAME "$PROD_USER"
    q BED_PROD_PASSWORD "$pw"
    q BED_CA_CERT "$CERTS/ca.crt"
    q NODE_EXTRA_CA_CERTS "$CERTS/ca.crt"
    q SSL_CERT_FILE /etc/ssl/certs/ca-certificates.crt
    q BUILDKIT_HOST "unix://$BUILDKIT_SOCK"
    q BUILDX_BUILDER "$BUILDER_NAME"
    q DOCKER_HOST "unix://$DOCKER_SOCK"
    q DOCKER_CONFIG "$DOCKER_CONFIG_DIR"
    q REGISTRY_AUTH_FILE "$REGISTRY_AUTH_FILE"
    q CONTAINERS_STORAGE_CONF "$CONTAINERS_STORAGE_CONF"
    q CONTAINERS_REGISTRIES_CONF "$CONTAINERS_REGISTRIES_CONF"
    q BUILDAH_ISOLATION chroot
    q BED_BUILDAH_STORAGE_FLAGS "$storage_flags"
    q REGCTL_CONFIG "$REGCTL_CONFIG_FILE"
    q TRIVY_CACHE_DIR "$TRIVY_CACHE"
    q BED_TRIVY_DB_REPOSITORY "$TRIVY_DB_REPO"
    q BED_COSIGN_KEY "$COSIGN_DIR/cosign.key"
    q BED_COSIGN_PUB "$COSIGN_DIR/cosign.pub"
    q COSIGN_PASSWORD "$(cat "$COSIGN_DIR/password")"
    q BED_BUSYBOX_IMAGE "$BUSYBOX_REF"
    q BED_BUSYBOX_DIGEST "$bb"
    q BED_VULNERABLE_IMAGE "$VULNERABLE_REF"
    q BED_VULNERABLE_DIGEST "$vu"
    q BED_CLEAN_IMAGE "$CLEAN_REF"
    q BED_CLEAN_DIGEST "$cl"
    q BED_TOKEN_HUB_REGISTRY "$TOKEN_HUB_REGISTRY"
    q BED_TOKEN_HUB_REALM "https://localhost:$TOKEN_HUB_REALM_PORT/token"
    q BED_TOKEN_ORIGIN_REGISTRY "$TOKEN_ORIGIN_REGISTRY"
    q BED_TOKEN_ORIGIN_REALM "https://$TOKEN_ORIGIN_REGISTRY/token"
    q BED_TOKEN_PUSH_USERNAME "$TOKEN_PUSH_USER"
    q BED_TOKEN_PUSH_PASSWORD "$(cat "$STATE/auth/token-$TOKEN_PUSH_USER.password")"
    q BED_TOKEN_PULL_USERNAME "$TOKEN_PULL_USER"
    q BED_TOKEN_PULL_PASSWORD "$(cat "$STATE/auth/token-$TOKEN_PULL_USER.password")"
    q BED_TOKEN_PUBLIC_PREFIX "$TOKEN_PUBLIC_PREFIX"
    q BED_GGCR_REGISTRY "$GGCR_REGISTRY"
    q BED_CUE_REGISTRY "$CUE_REGISTRY"
    q BED_BUILDKIT_IMAGE "$BUILDKIT_IMAGE"
    q BED_BUILDKITD_CONTAINER_CONFIG "$BUILDKIT_CONTAINER_CONFIG"
    q BED_BINFMT_IMAGE "$BINFMT_IMAGE_BED"
  } > "$STATE/bed.env"
  chmod 600 "$STATE/bed.env"
}

# ---------------------------------------------------------------- commands
cmd_up() {
  preflight up
  local t0=$SECONDS
  mkdir -p "$STATE" "$RUN" "$LOGS" "$PREFIX/bin"
  chmod 700 "$STATE"
  stage "go tools (start)" tools_start
  stage "apt packages" apt_stage
  stage "certs+auth" certs_stage
  stage "token auth" token_auth_stage
  stage "binfmt/qemu" binfmt_stage
  stage "registries" registries_stage
  stage "referrers registries" referrers_stage
  stage "containers config" containers_stage
  stage "dockerd" dockerd_stage
  stage "base images" images_stage
  stage "binfmt image" binfmt_image_stage
  stage "go tools (wait)" tools_wait
  stage "regctl config" regctl_stage
  stage "buildkitd+buildx" buildkit_stage
  stage "buildkit image" buildkit_image_stage
  stage "cosign keys" cosign_stage
  stage "trivy db" trivy_db_stage
  stage "bed.env/bed.json" write_env
  log "stage times:"
  local s; for s in "${STAGE_TIMES[@]}"; do log "  $s"; done
  log "up: total $((SECONDS - t0))s — env: $STATE/bed.env, facts: $STATE/bed.json"
}

cmd_down() {
  preflight down
  local s
  for s in buildkitd dockerd registry-cue registry-ggcr token-server registry-token-origin registry-token-hub registry-prod registry-dev; do svc_stop "$s"; done
  rm -f "$RUN/dockerd.self.pid"
}

tool_version() {
  local t="$1" out
  case "$t" in
    buildx) out="$(buildx version 2>/dev/null)" ;;
    buildkitd) out="$(buildkitd --version 2>/dev/null)" ;;
    buildctl) out="$(buildctl --version 2>/dev/null)" ;;
    trivy) out="$(trivy --version 2>/dev/null | head -1)" ;;
    trivy-db) out="$(cat "$BIN/trivy-db.version" 2>/dev/null)" ;;
    cosign) out="$(cosign version 2>/dev/null | grep -i '^GitVersion' | tr -s ' ')" ;;
    regctl) out="$(regctl version --format '{{.VCSTag}}' 2>/dev/null)" ;;
    act) out="$(act --version 2>/dev/null)" ;;
    *) out="$("$t" --version 2>/dev/null | head -1)" ;;
  esac
  echo "${out:-MISSING}"
}

cmd_status() {
  preflight status
  local s pid rc=0
  echo "services (state $STATE):"
  for s in registry-dev registry-prod registry-token-hub registry-token-origin token-server registry-ggcr registry-cue dockerd buildkitd; do
    if pid="$(svc_pid "$s")"; then printf '  %-22s running (pid %s)\n' "$s" "$pid"
    elif [[ -f "$RUN/$s.pid" ]]; then printf '  %-22s DEAD (stale pidfile)\n' "$s"; rc=1
    else printf '  %-22s stopped\n' "$s"; rc=1; fi
  done
  echo "tools ($BIN):"
  for s in buildx buildkitd buildctl trivy trivy-db cosign regctl act; do
    printf '  %-10s %s\n' "$s" "$(tool_version "$s")"
  done
  for s in buildah podman skopeo docker dockerd docker-registry runc qemu-aarch64-static; do
    printf '  %-10s %s\n' "$s" "$("$s" --version 2>/dev/null | head -1 || echo MISSING)"
  done
  printf '  %-10s %s\n' ggcr-registry "$([[ -x "$BIN/ggcr-registry" ]] && echo "source $(cat "$BIN/bed-registries.version" 2>/dev/null)" || echo MISSING)"
  printf '  %-10s %s\n' cue-registry "$([[ -x "$BIN/cue-registry" ]] && echo "source $(cat "$BIN/bed-registries.version" 2>/dev/null)" || echo MISSING)"
  echo "docker images:"
  for s in "$BUILDKIT_IMAGE" "$BINFMT_IMAGE" "$BINFMT_IMAGE_BED"; do
    printf '  %-30s %s\n' "$s" "$(docker image inspect --format '{{index .Config.Labels "org.image-publish-bed.stamp"}}' "$s" 2>/dev/null || echo MISSING)"
  done
  printf '  dockerd default runtime: %s\n' "$(curl -fsS --unix-socket "$DOCKER_SOCK" http://d/info 2>/dev/null | jq -r .DefaultRuntime 2>/dev/null || echo '?')"
  [[ -f "$STATE/bed.json" ]] && echo "bed.json: $STATE/bed.json" || { echo "bed.json: missing"; rc=1; }
  trap - ERR
  exit $rc
}

cmd_env() {
  [[ -f "$STATE/bed.env" ]] || die "no $STATE/bed.env — run: bash scripts/test-bed.sh up"
  cat "$STATE/bed.env"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  env) cmd_env ;;
  __stage) # debugging aid: run single stages, e.g. `test-bed.sh __stage images_stage`
    preflight up; shift; mkdir -p "$STATE" "$RUN" "$LOGS"
    for st in "$@"; do stage "$st" "$st"; done ;;
  *) echo "usage: $0 up|down|status|env" >&2; exit 2 ;;
esac
