# Seed scenario: a veth in router mode; eth0 has a /32 and a default route on the device; the
# host reaches it by a host route through the host end. Ping both ways.
. "$(dirname "$0")/lib.sh"
net_host
n=c$$
H ip addr add 10.210.0.1/32 dev lo
mk_busybox "$n" "lxc.net.0.type = veth" "lxc.net.0.veth.mode = router" "lxc.net.0.flags = up" \
    "lxc.net.0.name = eth0" "lxc.net.0.ipv4.address = 10.210.0.2/32" "lxc.net.0.ipv4.gateway = dev"
start "$n"
inside "$n" ip -o -4 addr show eth0
assert_contains "$OUT" "10.210.0.2/32"
inside "$n" ip route
assert_contains "$OUT" "default dev eth0"
inside "$n" ip -o link show lo
assert_contains "$OUT" "UP"
assert_contains "$(H ip route)" "10.210.0.2 dev veth"
inside "$n" ping -c1 -W5 10.210.0.1
assert_contains "$OUT" "1 packets received"
OUT=$(H busybox ping -c1 -W5 10.210.0.2 2>&1)
assert_contains "$OUT" "1 packets received" "host -> container"
expect_rc 0 cnt-info -P "$LXCPATH" -n "$n" -i
assert_contains "$OUT" "10.210.0.2"
stop "$n"
assert_eq "$(host_links_settled "")" "" "interfaces left in the host netns"
