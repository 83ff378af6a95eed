# cnt-start under `ip netns exec NS` (a router's netns): ip mounts a fresh /sys there, which
# hides /sys/fs/cgroup; cnt mounts the host's hierarchies again in a private mount namespace and
# starts, as LXC does. Seen inside (the netns's interface, its cgroup) and on the host (the
# cgroup directories, the host's mounts untouched, everything gone after stop).
. "$(dirname "$0")/lib.sh"
need_root
need_cmd ip
N=tb-netns$$
NS=tb-ns$$
ip netns add $NS || fail "creating netns $NS"
on_exit "ip netns del $NS"
ip -n $NS link add tb-r$$ type veth peer name tb-p$$ || fail "creating a veth in $NS"
cleanup_container $N
expect_rc 0 cnt-create -n $N -t busybox
echo "lxc.net.0.type = none" >> "$LXCPATH/$N/config"   # share the router's netns
ip netns exec $NS grep -q " /sys/fs/cgroup" /proc/self/mountinfo &&
    fail "ip netns exec left /sys/fs/cgroup mounted: this test proves nothing here"
host_mounts=$(grep -c . /proc/self/mountinfo)

expect_rc 0 ip netns exec $NS cnt-start -n $N
expect_rc 0 cnt-info -n $N -s -H
assert_eq "$OUT" RUNNING "started from the netns"
pid=$(cnt-info -n $N -p -H)
# Inside: the router's interface, not the host's.
expect_rc 0 cnt-attach -n $N -- ip link
assert_contains "$OUT" "tb-r$$"
assert_not_contains "$OUT" "eth0"
# On the host: init sits in the container's cgroup of every hierarchy.
grep -q "memory:.*/cnt.payload.$N" /proc/$pid/cgroup || fail "init not in the memory cgroup: $(cat /proc/$pid/cgroup)"
d=$(find /sys/fs/cgroup/memory -maxdepth 6 -type d -name "cnt.payload.$N" | head -1)
[ -n "$d" ] || fail "no memory cgroup of $N on the host"
grep -qx "$pid" "$d/.cnt/cgroup.procs" 2>/dev/null || grep -rqx "$pid" "$d" --include=cgroup.procs ||
    fail "init $pid not listed in $d"
assert_eq "$(grep -c . /proc/self/mountinfo)" "$host_mounts" "the host's mounts changed"
# The tools run from the host (another mount namespace) find it all.
expect_rc 0 cnt-freeze -n $N
expect_rc 0 cnt-info -n $N -s -H
assert_eq "$OUT" FROZEN
expect_rc 0 cnt-unfreeze -n $N
expect_rc 0 cnt-stop -n $N
assert_eq "$(find /sys/fs/cgroup -maxdepth 6 -name "cnt.payload.$N" | wc -l)" 0 "cgroups left after stop"
