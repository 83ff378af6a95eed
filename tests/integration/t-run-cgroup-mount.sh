# lxc.mount.auto cgroup forms: what the container sees at /sys/fs/cgroup, and what it may write.
. "$(dirname "$0")/lib.sh"
need_root
[ -d /sys/fs/cgroup/memory ] || skip "needs a v1 memory hierarchy (hybrid or v1 host)"
n=c$$
mk_busybox "$n"
limit=/sys/fs/cgroup/memory/memory.limit_in_bytes

for form in cgroup:mixed cgroup:rw cgroup:ro cgroup-full:mixed cgroup-full:ro; do
    expect_rc 0 cnt-start -P "$LXCPATH" -n "$n" -s "lxc.mount.auto=proc:mixed sys:ro $form"
    expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- cat /proc/mounts
    mounts=$OUT
    assert_contains "$mounts" "/sys/fs/cgroup tmpfs" "$form: tmpfs"
    assert_contains "$mounts" "/sys/fs/cgroup/memory cgroup" "$form: memory hierarchy"
    [ -d /sys/fs/cgroup/unified ] && assert_contains "$mounts" "/sys/fs/cgroup/unified cgroup2" "$form: unified"
    expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- ls /sys/fs/cgroup
    assert_contains "$OUT" "memory" "$form"
    assert_contains "$OUT" "pids" "$form"
    # The container's own cgroup: what the host sees as the container's memory cgroup.
    host_cg=$(awk -F: '$2 == "memory" {print $3}' /proc/"$(cnt-info -P "$LXCPATH" -n "$n" -p -H)"/cgroup)
    case $form in
    cgroup-full:*)
        # The whole hierarchy: the container's own cgroup sits at its host path.
        expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- test -f "/sys/fs/cgroup/memory$host_cg/memory.limit_in_bytes"
        limit_in="/sys/fs/cgroup/memory$host_cg/memory.limit_in_bytes"
        ;;
    *)
        limit_in=$limit
        ;;
    esac
    OUT=$(cnt-attach -P "$LXCPATH" -n "$n" -- sh -c "echo 268435456 > $limit_in && echo write-ok" 2>&1)
    case $form in
    *:ro)
        assert_not_contains "$OUT" "write-ok" "$form: write to own cgroup"
        assert_contains "$OUT" "Read-only file system" "$form"
        ;;
    *)
        assert_contains "$OUT" "write-ok" "$form: write to own cgroup"
        assert_eq "$(cat "/sys/fs/cgroup/memory$host_cg/memory.limit_in_bytes")" 268435456 "$form: limit seen by the host"
        ;;
    esac
    # Its own cgroup is the inner one: the one above it holds the limits, and is out of
    # reach (not shown by cgroup:*, read-only in cgroup-full:mixed).
    case $host_cg in */.cnt) ;; *) fail "$form: init is not in an inner cgroup: $host_cg";; esac
    case $form in
    cgroup-full:*)
        outer_in="/sys/fs/cgroup/memory${host_cg%/.cnt}/memory.limit_in_bytes"
        OUT=$(cnt-attach -P "$LXCPATH" -n "$n" -- sh -c "echo -1 > $outer_in && echo write-ok" 2>&1)
        assert_not_contains "$OUT" "write-ok" "$form: the container's limits writable"
        ;;
    esac
    case $form in
    cgroup-full:mixed)
        # Outside its own cgroup the hierarchy is read-only.
        OUT=$(cnt-attach -P "$LXCPATH" -n "$n" -- sh -c "mkdir /sys/fs/cgroup/memory/x$$ && echo mkdir-ok" 2>&1)
        assert_not_contains "$OUT" "mkdir-ok" "$form: parent writable"
        ;;
    cgroup:mixed)
        OUT=$(cnt-attach -P "$LXCPATH" -n "$n" -- sh -c "mkdir /sys/fs/cgroup/x$$ && echo mkdir-ok" 2>&1)
        assert_not_contains "$OUT" "mkdir-ok" "$form: tmpfs writable"
        ;;
    esac
    expect_rc 0 cnt-stop -P "$LXCPATH" -n "$n" -k
done

# A cgroup filesystem named by lxc.mount.entry is mounted inside the container's cgroup
# namespace: its root is the container's own cgroup, never the host's tree.
if [ -d /sys/fs/cgroup/unified ] || grep -q ' /sys/fs/cgroup cgroup2 ' /proc/self/mountinfo; then
    expect_rc 0 cnt-start -P "$LXCPATH" -n "$n" -s "lxc.mount.entry=cgroup2 mnt cgroup2 rw,create=dir 0 0"
    expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- sh -c 'ls /mnt; cat /proc/self/cgroup'
    assert_not_contains "$OUT" "cnt.payload" "cgroup2 entry shows the host's tree"
    assert_contains "$OUT" "0::/" "cgroup namespace root"
    expect_rc 0 cnt-stop -P "$LXCPATH" -n "$n" -k
fi
exit 0
