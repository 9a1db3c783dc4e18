# shellcheck shell=sh
# Runs inside the binfmt installer image under busybox sh (see Dockerfile).
set -eu
bb=/bin/busybox
B=/proc/sys/fs/binfmt_misc
[ -e "$B/register" ] || $bb mount -t binfmt_misc binfmt_misc "$B"

qemu_of() { # Go arch -> qemu name
  case "$1" in
    arm64) echo aarch64 ;; arm) echo arm ;; riscv64) echo riscv64 ;; ppc64le) echo ppc64le ;;
    s390x) echo s390x ;; mips64le) echo mips64el ;; mips64) echo mips64 ;; loong64) echo loongarch64 ;;
    *) return 1 ;;
  esac
}
ALL="arm64 arm riscv64 ppc64le s390x mips64le mips64 loong64"

field() { # FILE KEY -> value of "KEY value" in a Debian binfmts file
  while read -r k v; do [ "$k" = "$2" ] && { printf '%s' "$v"; return 0; }; done < "$1"
  return 1
}

install_one() {
  q="$(qemu_of "$1")" || { echo "installing: $1 unsupported architecture" >&2; return 1; }
  f="/etc/binfmts/qemu-$q"
  [ -f "$f" ] || { echo "installing: $1 no emulator in this image" >&2; return 1; }
  if [ -e "$B/qemu-$q" ]; then echo "installing: $1 qemu-$q already registered" >&2; return 0; fi
  flags=F
  [ "$(field "$f" preserve || true)" = yes ] && flags="P$flags"
  [ "$(field "$f" credentials || true)" = yes ] && flags="${flags}C"
  line=":qemu-$q:M:$(field "$f" offset):$(field "$f" magic):$(field "$f" mask):$(field "$f" interpreter):$flags"
  printf '%s' "$line" > "$B/register"
  echo "installing: $1 OK" >&2
}

uninstall_one() { # qemu-NAME, NAME or Go arch
  n="${1#qemu-}"; q="$(qemu_of "$n" 2>/dev/null || echo "$n")"
  if [ -e "$B/qemu-$q" ]; then printf '%s' -1 > "$B/qemu-$q"; echo "uninstalling: qemu-$q OK" >&2; fi
}

status() {
  sup='"linux/amd64"' emu=""
  for a in $ALL; do
    q="$(qemu_of "$a")"
    if [ -e "$B/qemu-$q" ] && $bb head -1 "$B/qemu-$q" | $bb grep -q '^enabled'; then
      sup="$sup,\"linux/$a\""; emu="$emu${emu:+,}\"qemu-$q\""
    fi
  done
  printf '{"supported":[%s],"emulators":[%s]}\n' "$sup" "$emu"
}

rc=0
while [ $# -gt 0 ]; do
  case "$1" in
    --install)
      list="$2"; shift 2; [ "$list" = all ] && list="$ALL"
      for a in $(echo "$list" | $bb tr ',' ' '); do install_one "$a" || rc=1; done ;;
    --uninstall)
      list="$2"; shift 2; [ "$list" = all ] && list="$ALL"
      for a in $(echo "$list" | $bb tr ',' ' '); do uninstall_one "$a"; done ;;
    --version) echo "image-publish-bed binfmt 1 (Debian qemu-user-static)"; exit 0 ;;
    *) echo "usage: binfmt [--install ARCHES|all] [--uninstall ARCHES|all]" >&2; exit 2 ;;
  esac
done
status
exit $rc
