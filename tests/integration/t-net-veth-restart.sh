# cnt-stop returns only when the container's host-side veth is gone (the kernel deletes it
# with the netns, asynchronously): right after `cnt-stop -k` the bridge has no port left and
# the fixed lxc.net.0.veth.pair name is free, so an immediate restart never fails on EEXIST.
. "$(dirname "$0")/lib.sh"
net_host
c=crash-vr$$
H ip link add crashbr0 type bridge
H ip link set crashbr0 up
mk_busybox "$c" "lxc.net.0.type = veth" "lxc.net.0.link = crashbr0" "lxc.net.0.flags = up" \
    "lxc.net.0.veth.pair = crashv$$"
for i in $(seq 1 20); do
    start "$c"
    ports=$(H ip -o link show master crashbr0 | wc -l)
    assert_eq "$ports" 1 "run $i: ports on the bridge while running"
    stop "$c"
    ports=$(H ip -o link show master crashbr0)
    assert_eq "$ports" "" "run $i: bridge ports right after cnt-stop -k"
    H ip link show "crashv$$" >/dev/null 2>&1 && fail "run $i: crashv$$ still there after cnt-stop -k"
done
# A start that finds the fixed name still taken (here by a stand-in the test deletes a moment
# later) waits for it instead of failing on "File exists".
H ip link add "crashv$$" type veth peer name "crashp$$"
( sleep 0.5; H ip link del "crashv$$" ) &
start "$c"
wait
stop "$c"
assert_eq "$(host_links)" "crashbr0" "host interfaces after the last stop"
echo "ok: $T_NAME"
