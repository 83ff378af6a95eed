# Failures are clear and leave nothing: a missing bridge is named; vlan without the kernel's
# 802.1q support says which feature is missing; a start that fails after its veth was made
# leaves no interface; 20 start/stop cycles leave none.
. "$(dirname "$0")/lib.sh"
net_host
n=c$$
H ip link add cntv$$ type veth peer name cntw$$
before=$(host_links)
mk_busybox "$n" "lxc.net.0.type = veth" "lxc.net.0.link = nosuchbr" "lxc.net.0.flags = up"
expect_rc 1 H cnt-start -P "$LXCPATH" -n "$n" -d
assert_contains "$OUT" 'bridge "nosuchbr" does not exist'
assert_eq "$(host_links_settled "$before")" "$before" "after a missing bridge"

sed -i '/^lxc.net/d' "$LXCPATH/$n/config"
printf '%s\n' "lxc.net.0.type = veth" "lxc.net.0.flags = up" "lxc.net.0.veth.pair = cntx$$" \
    "lxc.net.1.type = vlan" "lxc.net.1.link = cntv$$" "lxc.net.1.vlan.id = 10" >> "$LXCPATH/$n/config"
expect_rc 1 H cnt-start -P "$LXCPATH" -n "$n" -d
if grep -q '^CONFIG_VLAN_8021Q=[ym]' "/boot/config-$(uname -r)" 2>/dev/null; then
    echo "note: this kernel has 802.1q; the vlan error path is not exercised"
else
    assert_contains "$OUT" "CONFIG_VLAN_8021Q"
fi
assert_eq "$(host_links_settled "$before")" "$before" "after a failure past the veth"

sed -i '/^lxc.net.1/d' "$LXCPATH/$n/config"
for i in $(seq 1 20); do
    expect_rc 0 H cnt-start -P "$LXCPATH" -n "$n" -d
    expect_rc 0 H cnt-stop -P "$LXCPATH" -n "$n" -k
done
assert_eq "$(host_links_settled "$before")" "$before" "after 20 start/stop cycles"
