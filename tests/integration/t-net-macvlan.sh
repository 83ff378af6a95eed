# macvlan in bridge mode: two containers on the same parent reach each other.
. "$(dirname "$0")/lib.sh"
net_host
a=a$$ b=b$$
H ip link add cntm$$ type veth peer name cntn$$
H ip link set cntm$$ up
H ip link set cntn$$ up
for c in "$a:2" "$b:3"; do
    mk_busybox "${c%:*}" "lxc.net.0.type = macvlan" "lxc.net.0.link = cntm$$" \
        "lxc.net.0.macvlan.mode = bridge" "lxc.net.0.flags = up" \
        "lxc.net.0.ipv4.address = 10.213.0.${c#*:}/24"
    start "${c%:*}"
done
inside "$a" ping -c1 -W5 10.213.0.3
assert_contains "$OUT" "1 packets received"
inside "$b" ip -o link show eth0
assert_contains "$OUT" "eth0@"
