# Two containers on one bridge: they ping each other; hwaddr templates give valid unicast MACs
# that differ; mtu, ipv4.gateway = auto and an IPv6 address + gateway are visible inside.
. "$(dirname "$0")/lib.sh"
net_host
a=a$$ b=b$$
H ip link add cntbr0 type bridge
H ip addr add 10.211.0.1/24 dev cntbr0
H ip link set cntbr0 up
common() {
    echo "lxc.net.0.type = veth"; echo "lxc.net.0.link = cntbr0"; echo "lxc.net.0.flags = up"
    echo "lxc.net.0.hwaddr = xx:xx:xx:xx:xx:xx"; echo "lxc.net.0.mtu = 1400"
    echo "lxc.net.0.ipv4.gateway = auto"
}
mapfile -t C < <(common)
mk_busybox "$a" "${C[@]}" "lxc.net.0.ipv4.address = 10.211.0.2/24" \
    "lxc.net.0.ipv6.address = fd11::2/64" "lxc.net.0.ipv6.gateway = fd11::1"
mk_busybox "$b" "${C[@]}" "lxc.net.0.ipv4.address = 10.211.0.3/24"
start "$a"
start "$b"
inside "$a" ping -c1 -W5 10.211.0.3
assert_contains "$OUT" "1 packets received"
inside "$b" ping -c1 -W5 10.211.0.2
assert_contains "$OUT" "1 packets received"
inside "$a" ip -o link show eth0
assert_contains "$OUT" "mtu 1400"
mac_a=$(echo "$OUT" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
inside "$b" cat /sys/class/net/eth0/address
mac_b=$OUT
[ -n "$mac_a" ] && [ "$mac_a" != "$mac_b" ] || fail "MACs not distinct: $mac_a $mac_b"
for m in "$mac_a" "$mac_b"; do
    first=$((16#${m%%:*}))
    [ $((first & 1)) = 0 ] || fail "$m is multicast"
    [ $((first & 2)) = 2 ] || fail "$m is not locally administered"
done
inside "$a" ip route
assert_contains "$OUT" "default via 10.211.0.1 dev eth0"
inside "$a" ip -6 addr show eth0
assert_contains "$OUT" "fd11::2/64"
inside "$a" ip -6 route
assert_contains "$OUT" "default via fd11::1 dev eth0"
assert_contains "$(H ip -o link show master cntbr0)" "veth"
stop "$a"
stop "$b"
assert_eq "$(host_links_settled cntbr0)" "cntbr0" "interfaces left in the host netns"
