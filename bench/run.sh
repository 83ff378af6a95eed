#!/usr/bin/env bash
# cnt benchmarks side by side (issue #7): cnt next to the namespace floor and, when installed,
# LXC (lxc-start -F, lxc-execute), crun and runc, all on one busybox rootfs. Run by `make bench`.
# The timed samples go through bin/cnt-bench (posix_spawn + wait, round-robin); this script only
# builds the fixtures and cleans them up. Results: bench/results/<date>.txt (and .csv files).
#
#   BENCH_RUNS=N   samples per case (default 50)
#   BENCH_QUICK=1  container counts 50 only (default 50 200 500)
#   BENCH_NS="50 200"  explicit container counts (none: skip the N-container tables)
#   BENCH_GAP_MS=N quiet spell before each sample of the cold-start table (default 250)
# Needs root. Everything it makes (containers, bridge cntbench0, mount namespace, dirs) is removed
# at exit, whatever happened; it kills only processes of the containers it started.
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$TOP/bin:$PATH"
RUNS=${BENCH_RUNS:-50}
if [ -n "${BENCH_NS:-}" ]; then NS=$BENCH_NS
elif [ "${BENCH_QUICK:-0}" = 1 ]; then NS="50"
else NS="50 200 500"; fi
[ "$NS" = none ] && NS=""
LIST_N=500                       # defined containers for the listing cases
BRIDGE=cntbench0
[ "$(id -u)" = 0 ] || { echo "bench/run.sh: needs root" >&2; exit 1; }
command -v cnt-bench >/dev/null || { echo "bench/run.sh: bin/cnt-bench missing: run make bin/cnt-bench" >&2; exit 1; }
command -v cnt-kfloor >/dev/null || { echo "bench/run.sh: bin/cnt-kfloor missing: run make bin/cnt-kfloor" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

STAMP=$(date +%Y%m%d-%H%M%S)
mkdir -p "$TOP/bench/results"
RESULT="$TOP/bench/results/$STAMP.txt"
D=$(mktemp -d /tmp/cnt-bench.XXXXXX)
P="cb$$"                          # name prefix: cgroup and veth names stay unique on a shared host
ROOTFS="$D/rootfs"
CNTPATH="$D/cnt"                  # cnt lxcpath
LXCP="$D/lxc"                     # LXC lxcpath (separate: the two tools keep different run state)
RUNDIR="/run/cnt-bench/$(basename "$D")"
KFPID="$D/kfloor.pid"             # cnt-kfloor -d's "run state" (init and monitor pids)
export CNT_CONF="$D/cnt.conf"
mkdir -p "$CNTPATH" "$LXCP"
cat > "$CNT_CONF" <<CONF
[paths]
lxcpath = $CNTPATH
template_dir = $TOP/templates
default_config = $TOP/config/default.conf
rundir = $RUNDIR
CONF

# ---- cleanup (reverse order of creation; every step tolerant of "not there") ----
cleanup() {
    set +e
    trap - EXIT INT TERM
    if have lxc-ls; then
        for c in $(lxc-ls -P "$LXCP" --running 2>/dev/null); do lxc-stop -P "$LXCP" -n "$c" -k >/dev/null 2>&1; done
    fi
    # cnt containers: cnt-stop when it exists, else kill the init and monitor pids of our state files.
    if [ -d "$RUNDIR" ]; then
        for st in $(find "$RUNDIR" -name state 2>/dev/null); do
            n=$(basename "$(dirname "$st")")
            if have cnt-stop; then cnt-stop -P "$CNTPATH" -n "$n" -k >/dev/null 2>&1; fi
        done
        for st in $(find "$RUNDIR" -name state 2>/dev/null); do
            for k in init monitor; do   # only if the pid still has the recorded start time
                pid=$(sed -n "s/^${k}_pid=//p" "$st"); t=$(sed -n "s/^${k}_start=//p" "$st")
                [ -n "$pid" ] && [ "$pid" -gt 1 ] && [ "$(awk '{print $22}' "/proc/$pid/stat" 2>/dev/null)" = "$t" ] &&
                    kill -9 "$pid" 2>/dev/null
            done
        done
    fi
    have crun && [ -e "$D/ns/mnt" ] && nsenter --mount="$D/ns/mnt" crun delete -f "${P}crun" >/dev/null 2>&1
    have runc && runc delete -f "${P}runc" >/dev/null 2>&1
    have cnt-oci && cnt-oci --root "$D/cnt-oci" delete -f "${P}cntoci" >/dev/null 2>&1
    ip link del "$BRIDGE" >/dev/null 2>&1
    # a cnt-kfloor -d container left running, then the cgroups of a cnt-kfloor that failed
    # half way (they sit below the caller's own)
    for f in "$KFPID" "$D"/kf[0-9]*.pid; do [ -f "$f" ] && cnt-kfloor --stop "$f" >/dev/null 2>&1; done
    # (-depth: each one's inner .cnt directory first)
    find /sys/fs/cgroup -maxdepth 7 -depth -type d -path "*/kfloor.${P}k*" -exec rmdir {} + 2>/dev/null
    umount "$D/ns/mnt" 2>/dev/null; umount "$D/ns" 2>/dev/null
    rm -rf "$D" "$RUNDIR"
    rmdir /run/cnt-bench 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

exec > >(tee "$RESULT") 2>&1

# ---- one busybox rootfs for every runtime ----
BUSYBOX=$(command -v busybox) || { echo "busybox-static missing (apt-get install busybox-static)"; exit 1; }
mkdir -p "$ROOTFS"/{bin,sbin,etc,proc,sys,dev,tmp,root,run}
cp "$BUSYBOX" "$ROOTFS/bin/busybox"
for a in sh true sleep cat ls ps mount; do ln -s busybox "$ROOTFS/bin/$a"; done
echo "root:x:0:0:root:/root:/bin/sh" > "$ROOTFS/etc/passwd"

# The same lxc.conf drives cnt and LXC: the point of the suite.
# $1 lxcpath, $2 name, $3 init command, $4 network type (empty|veth)
define() {
    mkdir -p "$1/$2"
    {
        echo "lxc.rootfs.path = dir:$ROOTFS"
        echo "lxc.uts.name = $2"
        echo "lxc.init.cmd = $3"
        echo "lxc.tty.max = 0"
        echo "lxc.pty.max = 8"
        echo "lxc.console.path = none"
        echo "lxc.mount.auto = proc:mixed sys:ro"
        echo "lxc.autodev = 1"
        echo "lxc.net.0.type = $4"
        if [ "$4" = veth ]; then echo "lxc.net.0.link = $BRIDGE"; echo "lxc.net.0.flags = up"; fi
        # Each tool's hardening defaults, as its default containers get them: cnt's common.conf
        # (device program, seccomp denylist, capability drops); LXC's seccomp policy and device
        # lists from its common.conf (v1 and cgroup2 rules, as LXC writes both).
        if [ "$1" = "$CNTPATH" ]; then
            echo "lxc.include = $TOP/config/common.conf"
        elif [ -f /usr/share/lxc/config/common.conf ]; then
            echo "lxc.seccomp.profile = /usr/share/lxc/config/common.seccomp"
            echo "lxc.cap.drop = mac_admin mac_override sys_time sys_module sys_rawio"
            grep -E '^lxc\.cgroup2?\.devices\.' /usr/share/lxc/config/common.conf
        fi
    } > "$1/$2/config"
}
for lp in "$CNTPATH" "$LXCP"; do
    define "$lp" "${P}true" /bin/true empty
    define "$lp" "${P}veth" /bin/true veth
    define "$lp" "${P}sleep" "/bin/sleep 100000" empty
    define "$lp" "${P}frz" "/bin/sleep 100000" empty
    for ((i = 0; i < LIST_N; i++)); do define "$lp" "${P}s$i" "/bin/sleep 100000" empty; done
done
# cnt-copy -s / lxc-copy -s: a container whose rootfs is its own copy of the busybox rootfs,
# cloned as an overlay (the clone is destroyed after each sample).
for lp in "$CNTPATH" "$LXCP"; do
    define "$lp" "${P}cp" /bin/true empty
    cp -a "$ROOTFS" "$lp/${P}cp/rootfs"
    sed -i "s|^lxc.rootfs.path = .*|lxc.rootfs.path = dir:$lp/${P}cp/rootfs|" "$lp/${P}cp/config"
done
ip link add "$BRIDGE" type bridge && ip link set "$BRIDGE" up

# OCI bundle for crun, runc and cnt-oci: the same rootfs, /bin/true, pid+net+ipc+uts+mnt
# namespaces (runc's default spec when runc is there, so all three run the same config).
if have crun || have runc || have cnt-oci; then
    mkdir -p "$D/oci"
    (cd "$D/oci" && { runc spec 2>/dev/null || crun spec 2>/dev/null || cnt-oci spec; })
    jq --arg r "$ROOTFS" '.process.args=["/bin/true"] | .process.terminal=false | .root.path=$r | .root.readonly=true' \
        "$D/oci/config.json" > "$D/oci/c.json" && mv "$D/oci/c.json" "$D/oci/config.json"
fi
# crun 1.8 refuses a hybrid host ("cgroups in hybrid mode not supported") while cgroup2 is
# mounted at /sys/fs/cgroup/unified. A persistent mount namespace without that mount, kept on a
# bind-mounted file, lets the timed command be `nsenter --mount=FILE crun run ...`: one setns+exec
# more than crun alone, and that wrapper is timed as its own case ("nsenter /bin/true").
CRUN_WRAP=()
if have crun && grep -q ' /sys/fs/cgroup/unified ' /proc/self/mountinfo; then
    mkdir -p "$D/ns" && mount --bind "$D/ns" "$D/ns" && mount --make-private "$D/ns" && touch "$D/ns/mnt" &&
        unshare --mount="$D/ns/mnt" --propagation private umount /sys/fs/cgroup/unified &&
        CRUN_WRAP=(nsenter --mount="$D/ns/mnt")
fi

version() { if have "$1"; then "$@" 2>&1 | head -1 | cut -c1-60; else echo "not installed"; fi; }
ENV=()
for v in "cnt:cnt-info --version" "lxc:lxc-start --version" "crun:crun --version" "runc:runc --version" \
         "cnt-oci:cnt-oci --version" \
         "unshare:unshare --version" "busybox:busybox"; do
    label=${v%%:*}
    version ${v#*:} > "$D/version.$label"
    ENV+=(--env "$label=cat '$D/version.$label'")   # --env runs a shell command; print the captured line
done

FLOOR=(--case floor -- unshare -fpmuin --root "$ROOTFS" --mount-proc /bin/true)
SEP() { echo; echo "== $*"; }

# ---- 1, 2: one /bin/true container, foreground, empty net and one veth ----
SEP "start a /bin/true container in the foreground (ms; x floor = median / floor median)"
cases=("${FLOOR[@]}"
    --case "kernel work (cnt-kfloor)" -- cnt-kfloor "$ROOTFS" "${P}kf" /bin/true
    --case "cnt-start -F" -- cnt-start -P "$CNTPATH" -n "${P}true" -F
    --case "lxc-start -F" -- lxc-start -P "$LXCP" -n "${P}true" -F
    --case "lxc-execute" -- lxc-execute -P "$LXCP" -n "${P}true" -- /bin/true)
have crun && cases+=(--case "crun run" -- "${CRUN_WRAP[@]}" crun run -b "$D/oci" "${P}crun")
[ ${#CRUN_WRAP[@]} -gt 0 ] && cases+=(--case "nsenter /bin/true" -- "${CRUN_WRAP[@]}" /bin/true)
have runc && cases+=(--case "runc run" -- runc run -b "$D/oci" "${P}runc")
have cnt-oci && cases+=(--case "cnt-oci run" -- cnt-oci --root "$D/cnt-oci" run -b "$D/oci" "${P}cntoci")
cases+=(--case "cnt-start -F veth" -- cnt-start -P "$CNTPATH" -n "${P}veth" -F
    --case "lxc-start -F veth" -- lxc-start -P "$LXCP" -n "${P}veth" -F)
cnt-bench --runs "$RUNS" "${ENV[@]}" --csv "${RESULT%.txt}-start.csv" "${cases[@]}"

# ---- cold starts: each sample after a quiet spell, as an admin starts one container ----
# Back to back, a start may ride on kernel state the previous sample left warm: the first write
# of a pid into a cgroup.procs after a quiet spell waits for an RCU grace period (5-22 ms on
# this VM) unless cgroups are mounted with favordynmods. GAP_MS of quiet before each sample.
GAP_MS=${BENCH_GAP_MS:-250}
COLD_RUNS=$(( RUNS < 20 ? RUNS : 20 ))
SEP "cold starts: $GAP_MS ms of quiet before each sample (ms)"
cases=("${FLOOR[@]}"
    --case "kernel work (cnt-kfloor)" -- cnt-kfloor "$ROOTFS" "${P}kf" /bin/true
    --case "cnt-start -F" -- cnt-start -P "$CNTPATH" -n "${P}true" -F
    --case "lxc-start -F" -- lxc-start -P "$LXCP" -n "${P}true" -F)
have crun && cases+=(--case "crun run" -- "${CRUN_WRAP[@]}" crun run -b "$D/oci" "${P}crun")
have runc && cases+=(--case "runc run" -- runc run -b "$D/oci" "${P}runc")
have cnt-oci && cases+=(--case "cnt-oci run" -- cnt-oci --root "$D/cnt-oci" run -b "$D/oci" "${P}cntoci")
cases+=(--case "cnt-start -d" --teardown "cnt-stop -P '$CNTPATH' -n '${P}sleep' -k" -- cnt-start -P "$CNTPATH" -n "${P}sleep" -d
    --case "lxc-start -d" --teardown "lxc-stop -P '$LXCP' -n '${P}sleep' -k" -- lxc-start -P "$LXCP" -n "${P}sleep" -d)
cnt-bench --runs "$COLD_RUNS" --gap "$GAP_MS" --no-env --csv "${RESULT%.txt}-cold.csv" "${cases[@]}"

# ---- 3, 4, 6: daemon start/stop, freeze/thaw, config query and listing ----
SEP "daemon start and stop, freeze and thaw, info and listing with $LIST_N defined containers (ms)"
frozen_ok=1
have cnt-start && { cnt-start -P "$CNTPATH" -n "${P}frz" -d || echo "cnt-start -d ${P}frz failed"; }
lxc-start -P "$LXCP" -n "${P}frz" -d || echo "lxc-start -d ${P}frz failed"
cases=("${FLOOR[@]}"
    --case "cnt-start -d" --teardown "cnt-stop -P '$CNTPATH' -n '${P}sleep' -k" -- cnt-start -P "$CNTPATH" -n "${P}sleep" -d
    --case "cnt-stop -k" --setup "cnt-start -P '$CNTPATH' -n '${P}sleep' -d" -- cnt-stop -P "$CNTPATH" -n "${P}sleep" -k
    --case "kernel work -d" --teardown "cnt-kfloor --stop '$KFPID'" -- cnt-kfloor -d "$KFPID" "$ROOTFS" "${P}kd" /bin/sleep 100000
    --case "kernel work stop" --setup "cnt-kfloor -d '$KFPID' '$ROOTFS' '${P}kd' /bin/sleep 100000" -- cnt-kfloor --stop "$KFPID"
    --case "lxc-start -d" --teardown "lxc-stop -P '$LXCP' -n '${P}sleep' -k" -- lxc-start -P "$LXCP" -n "${P}sleep" -d
    --case "lxc-stop -k" --setup "lxc-start -P '$LXCP' -n '${P}sleep' -d" -- lxc-stop -P "$LXCP" -n "${P}sleep" -k
    --case "lxc-freeze" --teardown "lxc-unfreeze -P '$LXCP' -n '${P}frz'" -- lxc-freeze -P "$LXCP" -n "${P}frz"
    --case "lxc-unfreeze" --setup "lxc-freeze -P '$LXCP' -n '${P}frz'" -- lxc-unfreeze -P "$LXCP" -n "${P}frz"
    --case "lxc-attach" -- lxc-attach -P "$LXCP" -n "${P}frz" -- /bin/true
    --case "cnt-info -c" -- cnt-info -P "$CNTPATH" -n "${P}s0" -c lxc.uts.name
    --case "lxc-info -c" -- lxc-info -P "$LXCP" -n "${P}s0" -c lxc.uts.name
    --case "cnt-ls" -- cnt-ls -P "$CNTPATH"
    --case "lxc-ls" -- lxc-ls -P "$LXCP"
    --case "cnt-ls -f" -- cnt-ls -P "$CNTPATH" -f
    --case "lxc-ls -f" -- lxc-ls -P "$LXCP" -f
    --case "cnt-copy -s" --teardown "cnt-destroy -P '$CNTPATH' -n '${P}cpc' >/dev/null" -- cnt-copy -P "$CNTPATH" -n "${P}cp" -N "${P}cpc" -s
    --case "lxc-copy -s" --teardown "lxc-destroy -P '$LXCP' -n '${P}cpc' >/dev/null" -- lxc-copy -P "$LXCP" -n "${P}cp" -N "${P}cpc" -s)
if have cnt-start; then
    cases+=(--case "cnt-freeze" --teardown "cnt-unfreeze -P '$CNTPATH' -n '${P}frz'" -- cnt-freeze -P "$CNTPATH" -n "${P}frz"
        --case "cnt-unfreeze" --setup "cnt-freeze -P '$CNTPATH' -n '${P}frz'" -- cnt-unfreeze -P "$CNTPATH" -n "${P}frz"
        --case "cnt-attach" -- cnt-attach -P "$CNTPATH" -n "${P}frz" -- /bin/true)
else
    echo "cnt-freeze/cnt-unfreeze of a cnt-started container: not available (no cnt-start)"
fi
cnt-bench --runs "$RUNS" --no-env --csv "${RESULT%.txt}-ops.csv" "${cases[@]}"
# An attach writes the new process into the container's cgroups too: the same quiet spell.
SEP "cold attach: $GAP_MS ms of quiet before each sample (ms)"
cases=("${FLOOR[@]}" --case "lxc-attach" -- lxc-attach -P "$LXCP" -n "${P}frz" -- /bin/true)
have cnt-attach && cases+=(--case "cnt-attach" -- cnt-attach -P "$CNTPATH" -n "${P}frz" -- /bin/true)
cnt-bench --runs "$COLD_RUNS" --gap "$GAP_MS" --no-env --csv "${RESULT%.txt}-attach-cold.csv" "${cases[@]}"
have cnt-stop && cnt-stop -P "$CNTPATH" -n "${P}frz" -k >/dev/null 2>&1
lxc-stop -P "$LXCP" -n "${P}frz" -k >/dev/null 2>&1

# ---- 5: N containers started one by one, then stopped; monitor memory per container ----
# PSS (proportional set size) shares each mapped page among the processes mapping it, so the sum
# over the monitors is what they really cost together; RSS counts shared library pages N times.
mem_of() {  # pids... -> "count PSS-KiB RSS-KiB"
    local n=0 pss=0 rss=0 p a b
    for p in "$@"; do
        [ -r "/proc/$p/smaps_rollup" ] || continue
        read -r a b < <(awk '/^Pss:/{p=$2} /^Rss:/{r=$2} END{print p+0, r+0}' "/proc/$p/smaps_rollup")
        n=$((n + 1)); pss=$((pss + a)); rss=$((rss + b))
    done
    echo "$n $pss $rss"
}
cnt_monitors() { find "$RUNDIR" -name state -exec sed -n 's/^monitor_pid=//p' {} + 2>/dev/null; }
lxc_monitors() {  # LXC's monitor is the parent of init and names itself "[lxc monitor] LXCPATH NAME"
    local f
    for f in /proc/[0-9]*/cmdline; do
        tr '\0' ' ' 2>/dev/null < "$f" | grep -q "^\[lxc monitor\] $LXCP ${P}s" && { f=${f#/proc/}; echo "${f%/cmdline}"; }
    done
}
report_mem() {  # label count pss rss
    if [ "$2" -gt 0 ]; then
        awk -v l="$1" -v n="$2" -v p="$3" -v r="$4" \
            'BEGIN{printf "%-14s %4d monitors: PSS %.2f MB each (%.1f MB total), RSS %.2f MB each\n", l, n, p/n/1024, p/1024, r/n/1024}'
    else
        echo "$1: no monitor processes found"
    fi
}
# Each series runs interleaved with the floor (which leaves nothing running): the floor's own
# first and last quarter show what the machine did as the count grew, and "x floor first/last"
# takes that out of a manager's trend. cnt's series also start (and then stop) as many
# containers of cnt-kfloor -d, the kernel work alone: what the kernel's own cost does as the
# count grows (pivot_root, for one, visits every thread of the system), next to what cnt adds.
series() {  # csv-name case...
    local csv=$1; shift
    cnt-bench --runs "$n" --warmup 0 --no-env --csv "${RESULT%.txt}-$csv-$n.csv" "${FLOOR[@]}" "$@"
}
for n in $NS; do
    [ "$n" -le "$LIST_N" ] || { echo "N=$n > $LIST_N defined containers; skipped"; continue; }
    SEP "$n containers started one by one (-d, /bin/sleep), then stopped (-k); per container (ms)"
    if have cnt-start; then
        series cnt-start --case "cnt-start -d x$n" -- cnt-start -P "$CNTPATH" -n "${P}s{i}" -d \
            --case "kernel work -d x$n" -- cnt-kfloor -d "$D/kf{i}.pid" "$ROOTFS" "${P}k{i}" /bin/sleep 100000
        read -r c p r < <(mem_of $(cnt_monitors)); report_mem "cnt N=$n" "$c" "$p" "$r"
        series cnt-stop --case "cnt-stop -k x$n" -- cnt-stop -P "$CNTPATH" -n "${P}s{i}" -k \
            --case "kernel work stop x$n" -- cnt-kfloor --stop "$D/kf{i}.pid"
    else
        echo "cnt-start: not available"
    fi
    series lxc-start --case "lxc-start -d x$n" -- lxc-start -P "$LXCP" -n "${P}s{i}" -d
    read -r c p r < <(mem_of $(lxc_monitors)); report_mem "lxc N=$n" "$c" "$p" "$r"
    series lxc-stop --case "lxc-stop -k x$n" -- lxc-stop -P "$LXCP" -n "${P}s{i}" -k
done

echo
echo "results: $RESULT"
