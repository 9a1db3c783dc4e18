#!/usr/bin/env bash
# dockerd's default runtime on the test bed (daemon.json "default-runtime": "capdrop").
# This VM's capability bounding set lacks CAP_SYS_RESOURCE, so a privileged container (the
# docker-container buildx builder, a binfmt installer) fails in runc with "unable to apply caps".
# Drop that one capability from the container spec (create/run: <bundle>/config.json) and from exec
# specs (exec --process FILE: buildx execs buildctl in the builder), then hand over to Debian's runc.
set -euo pipefail
REAL_RUNC="${BED_REAL_RUNC:-/usr/sbin/runc}"
args=("$@")
cmd="" bundle="." process=""
for ((i = 0; i < ${#args[@]}; i++)); do
  a="${args[$i]}"
  if [[ -z "$cmd" ]]; then
    case "$a" in
      --root | --log | --log-format | --criu | --rootless) i=$((i + 1)) ;;
      -*) ;;
      *) cmd="$a" ;;
    esac
    continue
  fi
  case "$a" in
    --bundle | -b) bundle="${args[$((i + 1))]}" ;;
    --bundle=*) bundle="${a#--bundle=}" ;;
    --process | -p) process="${args[$((i + 1))]}" ;;
    --process=*) process="${a#--process=}" ;;
  esac
done
drop() { # FILE JQ-PATH
  local f="$1" p="$2"
  [[ -f "$f" ]] && grep -q CAP_SYS_RESOURCE "$f" || return 0
  jq -c "if $p then $p |= with_entries(.value |= map(select(. != \"CAP_SYS_RESOURCE\"))) else . end" "$f" > "$f.capdrop"
  mv "$f.capdrop" "$f"
}
case "$cmd" in
  create | run) drop "$bundle/config.json" .process.capabilities ;;
  exec) [[ -n "$process" ]] && drop "$process" .capabilities ;;
esac
exec "$REAL_RUNC" "$@"
