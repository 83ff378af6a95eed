#!/bin/bash
# A normal user's container on a host bridge: cnt-start, run by the user, gets the veth from
# the setuid cnt-user-nic within the user's grant in /etc/cnt/cnt-usernet. From inside, eth0
# has the config's address and reaches a peer in a network namespace the test made on the same
# bridge; the grant's count is enforced (a second container is refused, naming the quota); the
# host end goes with the container. Addresses only inside the test's netns and the containers'.
source "$(dirname "$0")/lib.sh"
need_root
need_cmd busybox
need_cmd flock
# The tools from a copy of bin/ in the test's directory: cnt-start finds cnt-user-nic next to
# itself, and only a setuid root copy counts.
CNT_TEST_COPY_TOOLS=1 make_test_user upn-
install -m 4755 "$TOP/bin/cnt-user-nic" "$TEST_USER_BIN/cnt-user-nic" || fail "installing cnt-user-nic"
ULXC=$TEST_HOME/.local/share/cnt
as_user() { run_as_user "$@"; }

BR=upn$$ PEER=upnp$$ NS=upn$$
on_exit "ip link del $BR 2>/dev/null; ip netns del $NS 2>/dev/null"
ip link add "$BR" type bridge && ip link set "$BR" up || fail "making bridge $BR"
ip netns add "$NS" || fail "making netns $NS"
ip link add "$PEER" type veth peer name eth0 netns "$NS" || fail "making the peer's veth"
ip link set "$PEER" master "$BR" up
ip -n "$NS" addr add 10.231.9.1/24 dev eth0 && ip -n "$NS" link set eth0 up || fail "peer address"

grants=/etc/cnt/cnt-usernet
[ -d /etc/cnt ] || { mkdir /etc/cnt && on_exit "rmdir /etc/cnt 2>/dev/null"; }
[ -e $grants ] || { install -m 644 /dev/null $grants && on_exit "[ -s $grants ] || rm -f $grants"; }
on_exit "flock /tmp/cnt-usernet.lock sed -i '/^$TEST_USER /d' $grants"
on_exit "[ -f /run/cnt/cnt-user-nic.lock ] && flock /run/cnt/cnt-user-nic.lock sed -i '/^$TEST_UID /d' /run/cnt/cnt-user-nic.state"
flock /tmp/cnt-usernet.lock sh -c "echo '$TEST_USER veth $BR 1' >> $grants"

# The user's default.conf: what cnt-create suggests, with a veth on the bridge.
OUT=$(as_user cnt-create -n upn-a -t busybox 2>&1) && fail "create without maps succeeded"
as_user mkdir -p "$TEST_HOME/.config/cnt"
printf '%s\n' "$OUT" | sed -n '/^lxc\./p' | grep -v '^lxc.net' |
    as_user sh -c "cat > '$TEST_HOME/.config/cnt/default.conf'"
printf '%s\n' "lxc.net.0.type = veth" "lxc.net.0.link = $BR" "lxc.net.0.flags = up" |
    as_user sh -c "cat >> '$TEST_HOME/.config/cnt/default.conf'"
delegate_test_user
for c in upn-a upn-b; do
    expect_rc 0 as_user cnt-create -n $c -t busybox
    on_exit "run_as_user cnt-stop -n $c -k; run_as_user cnt-destroy -n $c -f"
done

expect_rc 0 as_user cnt-start -n upn-a -s lxc.net.0.ipv4.address=10.231.9.2/24
expect_rc 0 as_user cnt-attach -n upn-a -- /sbin/ip -o addr show eth0
assert_contains "$OUT" "inet 10.231.9.2/24" "eth0's address inside"
expect_rc 0 as_user cnt-attach -n upn-a -- /bin/ping -c 1 -W 5 10.231.9.1
assert_contains "$OUT" "1 packets received" "the peer answers"
assert_eq "$(ip -o link show master "$BR" | wc -l)" 2 "the peer's and the container's ends on $BR"

# The grant is for one veth: a second container is refused, with the helper's reason.
OUT=$(as_user cnt-start -n upn-b 2>&1) && fail "a second veth beyond the grant started"
assert_contains "$OUT" "quota"
expect_rc 0 as_user cnt-info -n upn-b -s
assert_contains "$OUT" STOPPED

# Stopped: the host end goes with the container's netns.
expect_rc 0 as_user cnt-stop -n upn-a
wait_for test "$(ip -o link show master "$BR" | wc -l)" = 1 ||
    fail "left on $BR: $(ip -o link show master "$BR")"
exit 0
