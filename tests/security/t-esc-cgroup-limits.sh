# A container cannot raise its own cgroup limits, even with cgroupfs mounted by itself: its
# processes and its cgroup namespace sit in the inner cgroup (.cnt), the limits on the outer
# one, which nothing inside can name. Attack (exploits/cg_limits.c, as the container's root):
# mount cgroup v1 pids and memory and cgroup2, write "unlimited" into pids.max,
# memory.limit_in_bytes and memory.max at the root of each mount and under /sys/fs/cgroup (the
# container also has lxc.mount.auto's cgroup:rw form there), then use what it got.
. "$(dirname "$0")/../integration/lib.sh"
need_root
need_cmd cc
[ -d /sys/fs/cgroup/pids ] && [ -d /sys/fs/cgroup/memory ] ||
    skip "needs v1 pids and memory hierarchies (hybrid or v1 host)"
PIDS_MAX=50
MEM_MAX=$((64 << 20))

# The outer (limited) cgroup of container $1 in hierarchy $2, from its run state.
outer_dir() {
    local st
    st=$(state_file "$1")
    [ -n "$st" ] || fail "$1: no run state"
    awk -F= -v c="$2" '
        $1 ~ /^cgroup\.v1\.[0-9]+\.ctrl$/ && $2 == c { k = $1; sub(/\.ctrl$/, "", k); want = k }
        { v[$1] = substr($0, length($1) + 2) }
        END { if (want != "") print v[want] }' "$st"
}

before=$(sec_host_state)
names=()
for k in $(sec_kinds); do
    n="cgl$$$k"
    names+=("$n")
    sec_container "$n" "$k" "lxc.cgroup.pids.max = $PIDS_MAX" \
        "lxc.cgroup.memory.limit_in_bytes = $MEM_MAX" \
        "lxc.mount.auto = proc:mixed sys:ro cgroup:rw"
    sec_exploit cg_limits "$n"
    pids_dir=$(outer_dir "$n" pids)
    mem_dir=$(outer_dir "$n" memory)
    [ -f "$pids_dir/pids.max" ] || fail "$k: no outer pids cgroup [$pids_dir]"
    [ -f "$mem_dir/memory.limit_in_bytes" ] || fail "$k: no outer memory cgroup [$mem_dir]"
    # Inside, "/" of every hierarchy is the inner cgroup, not the limited one.
    sec_in "$n" cat /proc/self/cgroup
    assert_not_contains "$OUT" "cnt.payload" "$k: the container sees its outer cgroup"

    sec_in "$n" /bin/cg_limits
    echo "--- $k:"; printf '%s\n' "$OUT"
    [ "$RC" = 0 ] || fail "$k: the exploit did not run (rc $RC): $OUT"
    # From the host: the limits are those of the config.
    assert_eq "$(cat "$pids_dir/pids.max")" "$PIDS_MAX" "$k: outer pids.max"
    assert_eq "$(cat "$mem_dir/memory.limit_in_bytes")" "$MEM_MAX" "$k: outer memory limit"
    # From inside: they still hold. forks counts only the processes the exploit added, the
    # container's init and the attached process already count against the limit.
    forks=$(printf '%s\n' "$OUT" | sed -n 's/^forks=//p')
    [ -n "$forks" ] || fail "$k: no fork count"
    [ "$forks" -lt "$PIDS_MAX" ] || fail "$k: $forks processes made under pids.max $PIDS_MAX"
    assert_contains "$OUT" "fork stopped: Resource temporarily unavailable" "$k: fork stopped by the limit"
    assert_contains "$OUT" "hog=killed" "$k: a 160 MiB process under a 64 MiB limit"
done
assert_eq "$(sec_host_state)" "$before" "host state"
sec_end "${names[@]}"
exit 0
