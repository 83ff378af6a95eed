#!/usr/bin/env bash
# `make demo`: a real busybox container from create to destroy, in a throwaway lxcpath.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
export PATH="$TOP/bin:$PATH"
[ "$(id -u)" = 0 ] || { echo "make demo: run as root (sudo make demo)" >&2; exit 1; }
P=$(mktemp -d /tmp/cnt-demo.XXXXXX)
export CNT_CONF="$P/cnt.conf"
printf '[paths]\nlxcpath = %s\ntemplate_dir = %s\ndefault_config = %s\n' \
    "$P" "$TOP/templates" "$TOP/config/default.conf" > "$CNT_CONF"
N=demo1
cleanup() { cnt-stop -n $N -k >/dev/null 2>&1 || true; cnt-destroy -n $N -f >/dev/null 2>&1 || true; rm -rf "$P"; }
trap cleanup EXIT
run() { printf '\n$ %s\n' "$*"; "$@"; }
run cnt-create -n $N -t busybox
run cnt-start -n $N -d
run cnt-info -n $N
run cnt-attach -n $N -- sh -c 'echo "hello from $(hostname), pid 1 is $(cat /proc/1/comm)"; ps'
run cnt-freeze -n $N
run cnt-info -n $N -s
run cnt-unfreeze -n $N
run cnt-stop -n $N
run cnt-info -n $N -s
run cnt-destroy -n $N
trap - EXIT
rm -rf "$P"
echo; echo "demo: done"
