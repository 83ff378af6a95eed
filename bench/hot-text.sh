#!/usr/bin/env bash
# Regenerate bench/hot-text.ld (`make hot-text`): run cnt-start (-F and -d), cnt-freeze,
# cnt-unfreeze, cnt-info and cnt-stop under callgrind on a throwaway busybox container, then
# list the input sections that hold the code they ran (bench/hot-text.py), which the link puts
# first. Needs root, valgrind, busybox-static and python3, and a build of the current sources
# (their link maps are build/map/<tool>.map). Everything it makes is removed at exit.
#
# init (the child of the monitor) loses its profile when it execs, so one more start runs a
# command that does not exist: init then goes through the whole setup and exits. valgrind has
# no clone3: cnt falls back to clone(2) there (ns::clone_child).
set -eu
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "bench/hot-text.sh: needs root" >&2; exit 1; }
for c in valgrind python3 busybox; do
    command -v "$c" >/dev/null || { echo "bench/hot-text.sh: $c missing" >&2; exit 1; }
done
BIN=$TOP/bin
D=$(mktemp -d /tmp/cnt-hot.XXXXXX)
N=hot$$
RUNDIR=/run/cnt-hot/$(basename "$D")
ROOTFS=$D/rootfs
CG=/tmp/cnt-hot-cg.$$       # init writes its profile to <rootfs>$CG.1 (pid 1, after pivot_root)
export CNT_CONF=$D/cnt.conf
cleanup() {
    set +e
    "$BIN/cnt-stop" -P "$D/lxc" -n "${N}s" -k >/dev/null 2>&1
    rm -rf "$D" "$RUNDIR" "$CG".*
    rmdir /run/cnt-hot 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$D/lxc" "$D/out" "$ROOTFS"/{bin,sbin,etc,proc,sys,dev,tmp,root,run}
cp "$(command -v busybox)" "$ROOTFS/bin/busybox"
for a in sh true sleep; do ln -s busybox "$ROOTFS/bin/$a"; done
printf '[paths]\nlxcpath = %s\nrundir = %s\n' "$D/lxc" "$RUNDIR" > "$CNT_CONF"
define() {  # name, init command
    mkdir -p "$D/lxc/$1"
    printf '%s\n' "lxc.rootfs.path = dir:$ROOTFS" "lxc.uts.name = $1" "lxc.init.cmd = $2" \
        "lxc.tty.max = 0" "lxc.pty.max = 8" "lxc.console.path = none" \
        "lxc.mount.auto = proc:mixed sys:ro" "lxc.autodev = 1" "lxc.net.0.type = empty" \
        > "$D/lxc/$1/config"
}
define "$N" /bin/true
define "${N}s" "/bin/sleep 100000"

vg() { valgrind --tool=callgrind --dump-instr=yes --callgrind-out-file="$CG.%p" -q "$@" || true; }
# The foreground start runs what a -d start runs, but for the fork of the monitor. A daemon
# monitor is not run under valgrind: it renames itself over its argv, which valgrind rereads
# at init's exec.
vg "$BIN/cnt-start" -P "$D/lxc" -n "$N" -F
vg "$BIN/cnt-start" -P "$D/lxc" -n "$N" -F -- /no/such/command 2>/dev/null
"$BIN/cnt-start" -P "$D/lxc" -n "${N}s" -d
for t in cnt-freeze cnt-unfreeze cnt-info; do vg "$BIN/$t" -P "$D/lxc" -n "${N}s" >/dev/null; done
# valgrind 3.19 has no pidfd_open: cnt-stop stops there, after its common path.
vg "$BIN/cnt-stop" -P "$D/lxc" -n "${N}s" -k 2>/dev/null
"$BIN/cnt-stop" -P "$D/lxc" -n "${N}s" -k
mv "$CG".* "$ROOTFS$CG".* "$D/out/" 2>/dev/null || true
ls "$D/out"/* >/dev/null 2>&1 || { echo "bench/hot-text.sh: no profile was written" >&2; exit 1; }
# In the order the runs were made (monitor of -F first, then init, ...): by modification time.
python3 "$TOP/bench/hot-text.py" "$TOP/bench/hot-text.ld" "$TOP/build/map" $(ls -tr "$D/out"/*)
