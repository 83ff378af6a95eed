# A normal user's network setup (libcore/net): net::setup run by a real test user for a veth on a
# bridge goes through cnt-user-nic (found next to the running binary, installed setuid root)
# and reaches the container's netns through its user namespace, which the user owns: inside,
# lo and eth0 are up, eth0 has the config's MTU, MAC and address; the host end is on the bridge.
# Without a grant, the setup fails with the helper's reason. Addresses only inside the netns
# the test made.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd setpriv
need_cmd unshare
need_cmd nsenter
need_cmd flock
[ -f "$TOP/build/libcore.a" ] || skip "needs build/libcore.a (make)"

inst=$(mktemp -d /tmp/cnt-unn.XXXXXX)
on_exit "rm -rf '$inst'"
chmod 755 "$inst"
install -m 4755 "$TOP/bin/cnt-user-nic" "$inst/" || fail "installing cnt-user-nic"
pkgs="libnl-3.0 libnl-route-3.0 inih libcap libseccomp"
san=()  # a sanitized tree (make SANITIZE=...) has a libcore.a that needs its runtime
nm "$TOP/build/libcore.a" 2>/dev/null | grep -q __asan_ && san=(-fsanitize=address,undefined)
# shellcheck disable=SC2046
g++ -std=c++2b -O1 "${san[@]}" -I"$TOP/libcore" $(pkg-config --cflags $pkgs) -o "$inst/probe" \
    "$TOP/tests/integration/usernet-probe.cpp" "$TOP/build/libcore.a" $(pkg-config --libs $pkgs) \
    -lboost_program_options -lboost_filesystem || fail "building the probe"
chmod 755 "$inst/probe"

BR=unn$$
on_exit "ip link del $BR"
ip link add "$BR" type bridge || fail "making bridge $BR"
make_test_user unn-
grants=/etc/cnt/cnt-usernet
[ -d /etc/cnt ] || { mkdir /etc/cnt && on_exit "rmdir /etc/cnt"; }
[ -e $grants ] || { install -m 644 /dev/null $grants && on_exit "[ -s $grants ] || rm -f $grants"; }
on_exit "flock /tmp/cnt-usernet.lock sed -i '/^$TU_NAME /d' $grants"
on_exit "[ -f /run/cnt/cnt-user-nic.lock ] && flock /run/cnt/cnt-user-nic.lock sed -i '/^$TU_UID /d' /run/cnt/cnt-user-nic.state"

setpriv --reuid="$TU_UID" --regid="$TU_GID" --init-groups -- unshare --user --map-root-user --net sleep 600 &
P=$!
on_exit "kill -9 $P"
for ((i = 0; i < 100; i++)); do [ "$(cat "/proc/$P/comm" 2>/dev/null)" = sleep ] && break; sleep 0.05; done

# No grant yet: the helper's refusal is the setup's error.
expect_rc 1 as_test_user "$inst/probe" "$P" "$BR"
assert_contains "$OUT" "is not granted a veth on bridge \"$BR\""
assert_eq "$(nsenter -t "$P" -n ip -o link show | grep -c eth0)" 0 "no eth0 after a refusal"

flock /tmp/cnt-usernet.lock sh -c "echo '$TU_NAME veth $BR 1' >> $grants"
expect_rc 0 as_test_user "$inst/probe" "$P" "$BR"
host=$OUT
inside=$(nsenter -t "$P" -n ip -o link show eth0)
assert_contains "$inside" ",UP" "eth0 up"
assert_contains "$inside" "mtu 1400" "eth0's MTU"
assert_contains "$inside" "02:00:00:aa:bb:cc" "eth0's MAC"
assert_contains "$(nsenter -t "$P" -n ip -o link show lo)" ",UP" "lo up"
assert_contains "$(nsenter -t "$P" -n ip -o addr show eth0)" "inet 10.231.7.2/24" "eth0's address"
assert_eq "$(ip -o link show master "$BR" | awk -F': ' '{print $2}' | sed 's/@.*//')" "$host" "host end on $BR"
assert_contains "$(ip -o link show "$host")" ",UP" "host end up"

# The veth dies with the netns.
kill -9 "$P"; wait "$P" 2>/dev/null
for ((i = 0; i < 100; i++)); do ip link show "$host" >/dev/null 2>&1 || break; sleep 0.05; done
ip link show "$host" >/dev/null 2>&1 && fail "$host outlived its netns"
exit 0
