# Cgroup limits, device rules and freeze seen from inside real containers (cnt-start +
# lxc.cgroup.* / lxc.cgroup2.* keys, checked with cnt-attach).
. "$(dirname "$0")/lib.sh"
need_root

P=(-P "$LXCPATH")

# new_container NAME: busybox container with the config lines on stdin appended.
new_container() {
    local l
    mapfile -t l
    mk_created "$1" ${l[@]+"${l[@]}"}
}
start() { expect_rc 0 cnt-start "${P[@]}" -n "$1" -d; }
inside() { local n=$1; shift; cnt-attach "${P[@]}" -n "$n" -- "$@"; }

# --- memory, pids, cpuset (v1 keys) -------------------------------------------------------------
c=cgl$$
{
    echo "lxc.cgroup.memory.limit_in_bytes = 48M"
    echo "lxc.cgroup.pids.max = 12"
    [ "$(nproc)" -ge 2 ] && echo "lxc.cgroup.cpuset.cpus = 1"
} > "$T_DIR/cfg.$c"
new_container $c < "$T_DIR/cfg.$c"
before=$(leftovers $c)
start $c

# cpuset: the container's processes may only run on CPU 1
if [ "$(nproc)" -ge 2 ]; then
    out=$(inside $c grep Cpus_allowed_list /proc/self/status)
    assert_contains "$out" "1" "Cpus_allowed_list"
    assert_eq "$(printf '%s' "$out" | awk '{print $2}')" "1" "Cpus_allowed_list inside"
fi

# memory: a process holding 96 MiB is OOM-killed, the container keeps running
inside $c sh -c 'x=$(head -c 100663296 /dev/zero | tr "\000" a); echo survived ${#x}' >/dev/null 2>&1
rc=$?
[ "$rc" != 0 ] || fail "allocating 96 MiB under a 48M limit succeeded"
expect_rc 0 inside $c true
# The OOM victim's memory goes back to the group as it exits: let it settle under the limit
# before the next step forks inside (at most 5 s).
mem=$(find /sys/fs/cgroup/memory -maxdepth 8 -type d -name "cnt.payload.$c" 2>/dev/null | head -1)
if [ -n "$mem" ]; then
    for i in $(seq 100); do
        [ "$(cat "$mem/memory.usage_in_bytes")" -lt $((32 << 20)) ] && break
        sleep 0.05
    done
fi

# --- freeze / unfreeze, seen through a counter running inside ----------------------------------
inside $c sh -c 'i=0; while :; do i=$((i+1)); echo $i > /cnt-count; sleep 0.02; done' \
    >"$T_DIR/counter.out" 2>&1 &
attach_pid=$!
on_exit "kill $attach_pid"
count="$LXCPATH/$c/rootfs/cnt-count"
for i in $(seq 200); do [ -s "$count" ] && break; sleep 0.05; done
if [ ! -s "$count" ]; then
    pids=$(find /sys/fs/cgroup/pids -maxdepth 8 -type d -name "cnt.payload.$c" 2>/dev/null | head -1)
    fail "counter did not start (attach $(kill -0 $attach_pid 2>/dev/null && echo running || echo exited);" \
        "pids.current $(cat "$pids/pids.current" 2>/dev/null); output: $(head -c 300 "$T_DIR/counter.out"))"
fi
expect_rc 0 cnt-freeze "${P[@]}" -n $c
expect_rc 0 cnt-info "${P[@]}" -n $c -s
assert_contains "$OUT" "FROZEN"
a=$(cat "$count"); sleep 0.3; b=$(cat "$count")
assert_eq "$b" "$a" "counter moved while frozen"
expect_rc 0 cnt-unfreeze "${P[@]}" -n $c
expect_rc 0 cnt-info "${P[@]}" -n $c -s
assert_contains "$OUT" "RUNNING"
moved=0
for i in $(seq 100); do [ "$(cat "$count")" != "$b" ] && { moved=1; break; }; sleep 0.05; done
[ $moved = 1 ] || fail "counter did not resume after unfreeze"
# (last: the sleepers it leaves use up the pids limit)
# pids.max: forking a dozen sleepers must hit the limit. They keep running (their output is
# not ours to wait for), so the stop below has to kill a container that cannot fork.
out=$(inside $c sh -c 'n=0; for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14; do sleep 600 >/dev/null 2>&1 & [ $? = 0 ] && n=$((n+1)); done; echo started=$n' 2>&1)
assert_contains "$out" "fork" "fork failure inside the container"
expect_rc 0 cnt-info "${P[@]}" -n $c -s
assert_contains "$OUT" "RUNNING"

expect_rc 0 cnt-stop "${P[@]}" -n $c -k
assert_eq "$(leftovers $c)" "$before" "left behind by cnt-stop -k of a pids-exhausted container"
expect_rc 1 cnt-freeze "${P[@]}" -n $c
assert_contains "$OUT" "not running"
expect_rc 0 cnt-unfreeze "${P[@]}" -n $c

# --- a sub-cgroup frozen on its own (v1 freezer) does not make the container unkillable ------
# A frozen child cgroup stays frozen when its parent thaws, and a killed task in it never
# exits (nor does init, which waits for every task of its pid namespace).
c=cgf$$
new_container $c </dev/null
start $c
frz=$(find /sys/fs/cgroup/freezer -maxdepth 8 -type d -name "cnt.payload.$c" 2>/dev/null | head -1)
if [ -n "$frz" ]; then
    init=$(sed -n 's/^init_pid=//p' "$(run_dir "$c")/state")
    # (the container's processes, and the sub-cgroups it makes, are in its inner cgroup)
    victim=$(grep -vx "$init" "$frz/.cnt/cgroup.procs" | head -1)
    [ -n "$victim" ] || fail "no process besides init in $frz/.cnt"
    mkdir "$frz/.cnt/sub"
    echo "$victim" > "$frz/.cnt/sub/cgroup.procs"
    echo FROZEN > "$frz/.cnt/sub/freezer.state"
    expect_rc 0 cnt-stop "${P[@]}" -n $c -k
    assert_eq "$(leftovers $c)" "" "left behind by cnt-stop -k with a frozen sub-cgroup"
else
    expect_rc 0 cnt-stop "${P[@]}" -n $c -k
fi

# --- cnt-stop -k of a container frozen with cnt-freeze (cgroup2's freezer on a hybrid or v2
# host lets SIGKILL through; a v1 freezer is thawed by the kill) -----------------------------
c=cgz$$
new_container $c </dev/null
start $c
expect_rc 0 cnt-freeze "${P[@]}" -n $c
expect_rc 0 cnt-info "${P[@]}" -n $c -s
assert_contains "$OUT" "FROZEN"
expect_rc 0 cnt-stop "${P[@]}" -n $c -k
expect_rc 0 cnt-info "${P[@]}" -n $c -s
assert_contains "$OUT" "STOPPED"
assert_eq "$(leftovers $c)" "" "left behind by cnt-stop -k of a frozen container"

# --- device rules: v1 devices controller, then the cgroup2 BPF program -------------------------
for kind in cgroup cgroup2; do
    c=cgd$kind$$
    {
        echo "lxc.$kind.devices.deny = a"
        printf '%s\n' "$BOOT_DEVS" | sed "s/^/lxc.$kind.devices.allow = /"
    } > "$T_DIR/cfg.$c"
    new_container $c < "$T_DIR/cfg.$c"
    start $c
    expect_rc 0 inside $c sh -c 'echo x > /dev/null && cat /dev/null'
    expect_rc 1 inside $c sh -c 'head -c1 /dev/zero >/dev/null'
    assert_contains "$OUT" "ermitted" "/dev/zero denied ($kind)"
    expect_rc 0 cnt-stop "${P[@]}" -n $c -k
    assert_eq "$(leftovers $c)" "" "left behind by cnt-stop -k ($kind)"
done

# --- a refused value fails the start, names key and line, and leaves no cgroup behind ---------
c=cge$$
new_container $c <<<"lxc.cgroup.pids.max = lots"
line=$(grep -n 'lxc.cgroup.pids.max' "$LXCPATH/$c/config" | cut -d: -f1)
expect_rc 1 cnt-start "${P[@]}" -n $c -d
assert_contains "$OUT" "lxc.cgroup.pids.max"
assert_contains "$OUT" ":$line"
left=$(find /sys/fs/cgroup -maxdepth 6 -type d -name "cnt.payload.$c" 2>/dev/null)
assert_eq "$left" "" "cgroups left after a failed start"
assert_eq "$(leftovers cgl$$ cgf$$ cgdcgroup$$ cgdcgroup2$$ cge$$)" "" "left behind at the end"
exit 0
