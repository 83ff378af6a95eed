#!/usr/bin/env bash
# Scale (issue #19): N containers running at once on this host. They are started one by one
# (time per container, first and last quarter), listed by cnt-ls while all run, weighed (the
# monitors' memory), then stopped in parallel; afterwards nothing of them may be left.
# Run by `make bench-scale` (N=500) and by tests/integration/t-scale.sh (N=100).
#
#   SCALE_N=N        containers (default 500)
#   SCALE_JOBS=J     parallel cnt-stop processes (default 8)
#   SCALE_RESULT=F   also write the report to F (make bench-scale: bench/results/scale-DATE.txt)
# Needs root and bin/cnt-bench. Exits 0 only when every container started, was listed RUNNING,
# stopped with exit 0 and left nothing; what it made is removed at exit whatever happened.
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$TOP/bin:$PATH"
N=${SCALE_N:-500}
JOBS=${SCALE_JOBS:-8}
[ "$(id -u)" = 0 ] || { echo "bench/scale.sh: needs root" >&2; exit 1; }
command -v cnt-bench >/dev/null || { echo "bench/scale.sh: run make bin/cnt-bench first" >&2; exit 1; }
BUSYBOX=$(command -v busybox) || { echo "bench/scale.sh: busybox-static missing" >&2; exit 1; }

D=$(mktemp -d /tmp/cnt-scale.XXXXXX)
P="sc$$"                         # name prefix: cgroup names stay unique on a shared host
LXCPATH="$D/lxc"
RUNDIR="/run/cnt-scale/$(basename "$D")"
export CNT_CONF="$D/cnt.conf"
cat > "$CNT_CONF" <<CONF
[paths]
lxcpath = $LXCPATH
template_dir = $TOP/templates
default_config = $TOP/config/default.conf
rundir = $RUNDIR
CONF
bad=0
problem() { echo "FAIL: $*"; bad=1; }

# What of the containers is on the host: cgroups, processes whose root is in $D, mounts, state.
leftovers() {
    local p root
    find /sys/fs/cgroup -maxdepth 8 -type d -name "*.${P}s*" 2>/dev/null
    for p in /proc/[0-9]*; do
        root=$(readlink "$p/root" 2>/dev/null) || continue
        case "$root" in "$D"/*) echo "process ${p#/proc/} (root $root)";; esac
    done
    grep -F " $D/" /proc/self/mountinfo 2>/dev/null
    find "$RUNDIR" -name state 2>/dev/null
}
cleanup() {
    set +e
    trap - EXIT INT TERM
    local st
    for st in $(find "$RUNDIR" -name state 2>/dev/null); do
        cnt-stop -P "$LXCPATH" -n "$(basename "$(dirname "$st")")" -k >/dev/null 2>&1
    done
    rm -rf "$D" "$RUNDIR"
    rmdir /run/cnt-scale 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM
[ -n "${SCALE_RESULT:-}" ] && exec > >(tee "$SCALE_RESULT") 2>&1

# One busybox rootfs shared by all (read-only in each container), a sleeping init.
ROOTFS="$D/rootfs"
mkdir -p "$ROOTFS"/{bin,sbin,etc,proc,sys,dev,tmp,root,run}
cp "$BUSYBOX" "$ROOTFS/bin/busybox"
for a in sh sleep cat; do ln -s busybox "$ROOTFS/bin/$a"; done
for ((i = 0; i < N; i++)); do
    mkdir -p "$LXCPATH/${P}s$i"
    cat > "$LXCPATH/${P}s$i/config" <<EOF
lxc.include = $TOP/config/common.conf
lxc.rootfs.path = dir:$ROOTFS
lxc.rootfs.options = ro
lxc.uts.name = ${P}s$i
lxc.init.cmd = /bin/sleep 100000
lxc.tty.max = 0
lxc.pty.max = 4
lxc.console.path = none
lxc.mount.auto = proc:mixed sys:ro
lxc.autodev = 1
lxc.net.0.type = empty
EOF
done

echo "== scale: $N containers on $(nproc) cores, kernel $(uname -r), $(date -u '+%F %T') UTC"
mem_before=$(awk '/^MemAvailable:/{print $2}' /proc/meminfo)

# 1. Started one by one: per-container time, first and last quarter (flat = no per-count cost).
echo
echo "-- cnt-start -d, one by one (ms per container)"
cnt-bench --sequential --runs "$N" --warmup 0 --no-env \
    --case "cnt-start -d x$N" -- cnt-start -P "$LXCPATH" -n "${P}s{i}" -d || problem "cnt-start failed"

# 2. All listed as RUNNING, and what listing them costs.
running=$(cnt-ls -P "$LXCPATH" --running -1 | grep -c "^${P}s")
[ "$running" = "$N" ] || problem "cnt-ls --running lists $running of $N"
echo
echo "-- cnt-ls with $N running containers (ms)"
cnt-bench --runs 10 --no-env --case "cnt-ls -f" -- cnt-ls -P "$LXCPATH" -f \
    --case "cnt-ls --running -1" -- cnt-ls -P "$LXCPATH" --running -1

# 3. Memory: the monitors' proportional set size (shared pages divided among their mappers)
#    and RSS, and what the host lost in all (monitors, inits, kernel objects).
monitors=$(find "$RUNDIR" -name state -exec sed -n 's/^monitor_pid=//p' {} + 2>/dev/null)
read -r cnt pss rss < <(for p in $monitors; do cat "/proc/$p/smaps_rollup" 2>/dev/null; done |
    awk '/^Rss:/{n++; r+=$2} /^Pss:/{p+=$2} END{print n+0, p+0, r+0}')
mem_after=$(awk '/^MemAvailable:/{print $2}' /proc/meminfo)
echo
echo "-- memory"
[ "$cnt" = "$N" ] || problem "$cnt monitors of $N found"
awk -v n="$cnt" -v p="$pss" -v r="$rss" -v d="$((mem_before - mem_after))" -v N="$N" 'BEGIN{
    if (n) printf "monitors: %d, PSS %.0f KiB each (%.1f MiB total), RSS %.0f KiB each\n", n, p/n, p/1024, r/n
    printf "host MemAvailable fell by %.1f MiB for %d containers (%.0f KiB each)\n", d/1024, N, d/N }'

# 4. Stopped in parallel.
echo
echo "-- cnt-stop -k, $JOBS in parallel"
t0=$(date +%s%N)
failed=$(seq 0 $((N - 1)) | xargs -P "$JOBS" -I{} sh -c \
    "timeout 60 cnt-stop -P '$LXCPATH' -n '${P}s{}' -k >/dev/null 2>&1 || echo {}" | wc -l)
t1=$(date +%s%N)
awk -v n="$N" -v ms="$(((t1 - t0) / 1000000))" 'BEGIN{printf "%d stops in %.2f s (%.2f ms each)\n", n, ms/1000, ms/n}'
[ "$failed" = 0 ] || problem "$failed cnt-stop -k failed"
still=$(cnt-ls -P "$LXCPATH" --active -1 | grep -c "^${P}s")
[ "$still" = 0 ] || problem "$still containers still active after the stops"

# 5. Nothing left.
left=$(leftovers)
[ -z "$left" ] || problem "left on the host: $(echo "$left" | head -5)"
echo
[ $bad = 0 ] && echo "scale: all $N started, listed, stopped; nothing left" || echo "scale: FAILED"
exit $bad
