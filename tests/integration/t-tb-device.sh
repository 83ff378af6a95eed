# cnt-device: a host device node handed to a running container and taken back. Seen inside
# (the node, opening it, mknod still refused for others) and on the host (nothing made outside
# the container, even through a symlink the container planted).
. "$(dirname "$0")/lib.sh"
need_root
[ -c /dev/loop-control ] || modprobe loop 2>/dev/null
[ -c /dev/loop-control ] || fail "no /dev/loop-control on this host"
N=tb-dev$$
cleanup_container $N
expect_rc 0 cnt-create -n $N -t busybox
expect_rc 1 cnt-device -n $N add /dev/loop-control
assert_eq "$OUT" "cnt-device: $N: is not running"
expect_rc 0 cnt-start -n $N
inside() { cnt-attach -n $N -- "$@"; }

# Before: not there, and the device cgroup refuses making it by hand.
expect_rc 1 inside mknod /tmp/lc c 10 237
expect_rc 0 cnt-device -n $N add /dev/loop-control
expect_rc 0 inside stat -c '%F %t:%T %u' /dev/loop-control
assert_eq "$OUT" "character special file a:ed 0"
expect_rc 0 inside sh -c 'exec 3</dev/loop-control && echo opened'
assert_eq "$OUT" opened
# The other devices are still as the config says.
expect_rc 0 inside sh -c 'head -c 1 /dev/zero | wc -c'
expect_rc 1 inside mknod /tmp/kmsg c 1 11
# A second device at another place, its directory made.
expect_rc 0 cnt-device -n $N add /dev/kmsg /dev/tb/kmsg
expect_rc 0 inside sh -c 'head -c 0 /dev/tb/kmsg && exec 3</dev/loop-control && echo both'
assert_eq "$OUT" both
# Refusals: not a device, a destination that exists, a node that is not the one handed in.
expect_rc 1 cnt-device -n $N add /etc/hostname
assert_contains "$OUT" "is not a device node"
expect_rc 1 cnt-device -n $N add /dev/null /dev/tb
assert_contains "$OUT" "File exists"
expect_rc 1 cnt-device -n $N del /dev/full /dev/zero
assert_contains "$OUT" "/dev/zero in the container is not /dev/full"
expect_rc 0 inside sh -c 'head -c 1 /dev/zero | wc -c'
# A symlink planted inside leads inside, never to the host's /etc.
expect_rc 0 inside ln -s /etc /dev/evil
expect_rc 0 cnt-device -n $N add /dev/kmsg /dev/evil/tb-kmsg$$
[ -e /etc/tb-kmsg$$ ] && { rm -f /etc/tb-kmsg$$; fail "a node was made in the host's /etc"; }
expect_rc 0 inside stat -c %F /etc/tb-kmsg$$
assert_eq "$OUT" "character special file"

# del: the node goes and the device is refused again; the other one still works.
expect_rc 0 cnt-device -n $N del /dev/loop-control
expect_rc 1 inside ls /dev/loop-control
expect_rc 1 inside mknod /tmp/lc c 10 237
expect_rc 0 inside sh -c 'head -c 0 /dev/tb/kmsg && echo kmsg'
expect_rc 0 cnt-stop -n $N -k
# A new run starts with the config's devices only.
expect_rc 0 cnt-start -n $N
expect_rc 1 inside mknod /tmp/kmsg c 1 11
expect_rc 0 cnt-stop -n $N -k

# --- a network interface: one end of a veth pair made in a netns of the test's own -----------
NS=tb-devns$$
ip netns add $NS || fail "creating netns $NS"
on_exit "ip netns del $NS"
ip -n $NS link add tbd$$a type veth peer name tbd$$b || fail "creating the veth pair"
ip -n $NS addr add 10.214.0.1/24 dev tbd$$b && ip -n $NS link set tbd$$b up || fail "peer address"
expect_rc 0 cnt-start -n $N
expect_rc 0 ip netns exec $NS cnt-device -n $N add tbd$$a eth7
expect_rc 1 ip -n $NS link show tbd$$a
expect_rc 0 inside sh -c 'ip addr add 10.214.0.2/24 dev eth7 && ip link set eth7 up &&
    ping -c 1 -W 5 10.214.0.1'
assert_contains "$OUT" "1 packets received"
expect_rc 0 ip netns exec $NS cnt-device -n $N del tbd$$a eth7
expect_rc 0 ip -n $NS link show tbd$$a
expect_rc 1 inside cat /sys/class/net/eth7/ifindex
expect_rc 1 cnt-device -n $N del tbd$$a eth7
expect_rc 0 cnt-stop -n $N -k
